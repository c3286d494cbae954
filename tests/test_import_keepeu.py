"""keep.eu exports read into facts: the real export in ../shared (values checked by hand in the xlsx)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from citynet.sources.keepeu import build_keep_eu, read_export, to_facts, to_programme
from citynet.sources.partners import classify

ROOT = Path(__file__).resolve().parents[1]
KEEP = ROOT.parent / "shared" / "data" / "keep-eu"
XLSX = KEEP / "keep_closed_1420.xlsx"
pytestmark = pytest.mark.skipif(not XLSX.is_file(), reason="needs ../shared/data/keep-eu")


@pytest.fixture(scope="module")
def facts():
    programmes, networks, calls, requests, review = to_facts(read_export([XLSX]))
    return {
        "programmes": programmes,
        "networks": {n.record.split(" row")[1].strip("s ").split(",")[0]: n for n in networks},
        "by_id": {n.id: n for n in networks},
        "calls": calls,
        "requests": requests,
        "review": review,
    }


def test_counts(facts):
    assert len(facts["programmes"]) == 66  # distinct programmes of the Projects sheet
    assert len(facts["by_id"]) == 1891 - 39  # 39 projects have two lead rows (Sweden-Norway)
    assert len(facts["calls"]) == 138
    assert len(facts["requests"]) == 8621 - 3  # three partners are listed twice in their project


def test_first_project(facts):
    network = facts["networks"]["2"]  # Projects (lead partners) row 2
    assert network.acronym == '"Antonius cum Johannis"'
    assert network.budget.value == Decimal("892228.58")
    assert network.eu_funding.value == Decimal("758394.29")
    assert network.funds["erdf"].value == Decimal("758394.29")
    assert (network.start.text, network.end.text) == ("2015-10-27", "2019-09-30")
    assert network.themes == ["tourism", "construction-and-renovation", "cultural-heritage-and-arts"]
    assert [n.lang for n in network.names] == [None]
    assert network.programme == "interreg-v-a-germany-saxony-czech-republic"


def test_numeric_acronym_is_text(facts):
    network = facts["networks"]["47"]  # Acronym 103 (a number in Excel)
    assert network.acronym == "103" and network.id == "103"


def test_two_leads_one_project(facts):
    network = facts["networks"]["248"]
    assert network.record == "Projects (lead partners) rows 248, 249"
    assert sum(m.role == "lead-partner" for m in network.members) == 2


def test_repeated_acronym_across_programmes(facts):
    assert {"smile-interreg-v-a-greece-bulgaria", "smile-interreg-vb-adriatic-ionian"} <= set(facts["by_id"])


def test_partner_fields(facts):
    first = facts["requests"][0].member  # Partners row 2
    assert (first.name, first.country, first.role, first.nuts3) == (
        "Association for Rural Development Thuringia, Erfurt",
        "DE",
        "lead-partner",
        "DEG01",
    )
    assert (first.org_type, first.legal_status, first.record) == ("ngo", "public", "Partners row 2")
    assert facts["requests"][0].postal_code == "99099" and first.website is None


def test_calls_link(facts):
    network = facts["networks"]["1318"]  # Park of Bridges, Call SN PLSN.01.01.00-IP.01-00-R01/15
    assert network.call == "interreg-v-a-poland-germany-saxony-call-plsn-01-01-00-ip-01-00-r01-15"


@pytest.mark.parametrize(
    ("text", "programme", "strand"),
    [
        ("2014 - 2020 URBACT III", "urbact-iii", "urbact"),
        ("2014 - 2020 INTERREG V-A Germany - Denmark", "interreg-v-a-germany-denmark", "interreg-a"),
        ("2014 - 2020 INTERREG VB North Sea", "interreg-vb-north-sea", "interreg-b"),
        ("2014 - 2020 Interreg IPA CBC Bulgaria - Serbia", "interreg-ipa-cbc-bulgaria-serbia", "ipa-cbc"),
        ("2014 - 2020 ESPON 2020", "espon-2020", "espon"),
        ("2014 - 2020 Ireland - United Kingdom (PEACE IV)", "ireland-united-kingdom-peace-iv", "interreg-a"),
    ],
)
def test_programmes(text, programme, strand):
    found = to_programme(text, "")
    assert (found.id, found.strand, found.period) == (programme, strand, "2014-2020")


@pytest.mark.parametrize(
    ("name", "town", "expected"),
    [  # real rows of the Partners sheet, read by hand
        ("MUNICIPALITY OF VORDINGBORG", "Vordingborg", ("city", "municipality")),  # row 4971
        ("Obec Otovice", "Otovice", ("city", "municipality")),  # row 3011
        ("GMINA MIEJSKA ZGORZELEC", "Zgorzelec", ("city", "municipality")),  # row 900
        ("GMINA ZGORZELEC", "Zgorzelec", ("organisation", "municipality")),  # a rural gmina (issue 17)
        ("Gemeente Maasgouw", "Maasbracht", ("organisation", "municipality")),  # row 4230
        ("Municipality of Northern Tzoumerka", "Pramanta", ("organisation", "municipality")),  # row 8527
        ("Stadt Emmerich am Rhein", "Emmerich", ("city", "municipality")),  # row 4466
        ("Mestna občina Koper", "Koper/Capodistria", ("city", "municipality")),  # row 3903
        ("WOJEWÓDZTWO PODKARPACKIE", "Rzeszów", ("organisation", "region")),  # row 4548
        ("Università degli studi di Udine", "Udine", ("organisation", "university")),  # row 3638
        ("Chambre de Commerce et d'Industrie Territoriale de Bastia et de la Haute Corse", "Bastia",
         ("organisation", "chamber")),  # row 3869
        ("Stowarzyszenie Rozwoju i Współpracy Regionalnej 'Olza'", "Cieszyn", ("organisation", "ngo")),  # 299
        ("beemo GmbH", "Münster", ("organisation", "enterprise")),  # row 4290
        ("Ministry of Foreign Affairs and Trade", "Budapest", ("organisation", "agency")),  # row 8274
        ("Leipalingis progymnasium of Druskininkai municipality", "Leipalingis", ("organisation", "other")),
        ("Association of Rhodope Municipalities", "Smolyan", ("organisation", "ngo")),  # row 3410
    ],
)  # fmt: skip
def test_classify_real_partners(name, town, expected):
    assert classify(name, town) == expected


def test_urbact_csv_export():
    imported = build_keep_eu(
        [KEEP / "keep_urbact3_partnerships.csv", KEEP / "keep_urbact3_projects_budgets.csv"]
    )
    networks = {n.acronym: n for n in imported.facts.networks}
    assert imported.id == "keep-urbact3" and len(networks) == 29
    lead = [m for m in networks["2nd Chance"].members if m.role == "lead-partner"]
    assert [(m.name, m.country, m.nuts3) for m in lead] == [("Naples", "IT", "ITF33")]
    assert imported.entry.licence == "reuse with attribution to keep.eu / Interact"
    assert networks["2nd Chance"].record == "keep_urbact3_projects_budgets.csv row 3"  # after # and header
