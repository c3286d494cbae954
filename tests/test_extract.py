"""``citynet extract``: networks, members, leads and figures found in real pages, written as proposals.

Expected values are read by hand from the pages (../shared/seeds, ../shared/extraction-dev) and from
hand-written sentences; the pages are read from ../shared at test time, never copied here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

from citynet.extract.assemble import Found, assemble_networks
from citynet.extract.model import Document
from citynet.extract.names import find_networks
from citynet.extract.networks import Registry
from citynet.extract.pipeline import Extractor
from citynet.extract.programmes import find_programmes
from citynet.sources.model import Network
from tests.conftest import ROOT, SHARED, invoke

SEED_002 = SHARED / "seeds" / "002_c00e98cb05310237.txt"
DEV = SHARED / "extraction-dev"
needs_shared = pytest.mark.skipif(
    not DEV.is_dir() and os.environ.get("CI") != "true", reason=f"needs {DEV} (../shared beside the checkout)"
)
POZNAN, DAUGAVPILS, IGUALADA = 3088171, 460413, 3120431


def propose(extractor: Extractor, text: str, lang: str) -> list[Network]:
    document = Document(text, lang, "0" * 64, "text/plain")
    return extractor.propose(document)


def roles(network: Network) -> list[tuple[str, str]]:
    return [(m.name, m.role) for m in network.members]


def project_with(tmp_path: Path, imported: bool = False) -> Path:
    """A project folder with the checkout's fact files (not graph/imported/ unless asked)."""
    ignore = None if imported else shutil.ignore_patterns("imported", "enrichment")
    shutil.copytree(ROOT / "graph", tmp_path / "graph", ignore=ignore)
    return tmp_path


# Hand-written sentences: what the rules must do in each language.


def test_a_lead_cue_makes_the_nearest_place_by_clause_the_lead(extractor: Extractor) -> None:
    text = (
        "RetaiLink je jednou ze sítí URBACT. Mezi zapojená města patří Igualada (Španělsko) jako vedoucí "
        "partner projektu, Basingstoke (UK), Liberec (Česká republika) a Fermo (Itálie)."
    )
    [network] = propose(extractor, text, "cs")
    assert roles(network) == [
        ("Igualada", "lead-partner"),
        ("Basingstoke", "partner"),
        ("Liberec", "partner"),
        ("Fermo", "partner"),
    ]


def test_polish_inflected_partners_and_the_lead_before_its_cue(extractor: Extractor) -> None:
    text = (
        "W ramach projektu URBAN-REGENERATION-MIX odbyło się spotkanie. Miasto Łódź jest liderem a "
        "partnerami miasta: Baena z Hiszpanii oraz Birmingham z Wielkiej Brytanii."
    )
    [network] = propose(extractor, text, "pl")
    assert network.names[0].text == "URBAN-REGENERATION-MIX"
    assert roles(network) == [("Łódź", "lead-partner"), ("Baena", "partner"), ("Birmingham", "partner")]


def test_no_lead_when_the_text_names_none(extractor: Extractor) -> None:
    text = "The URBACT network RESILIENT-CITY brings together Gdańsk, Riga, Tartu and Turku."
    [network] = propose(extractor, text, "en")
    assert {role for _, role in roles(network)} == {"partner"}
    assert [name for name, _ in roles(network)] == ["Gdańsk", "Riga", "Tartu", "Turku"]


def test_a_lead_given_as_a_person_makes_no_lead_and_no_member(extractor: Extractor) -> None:
    text = (
        "The URBACT network RESILIENT-CITY brings together Gdańsk, Riga and Tartu.\n\n"
        "Lead partner: Ms Alicia Verdeaux, coordinator."
    )
    [network] = propose(extractor, text, "en")
    assert roles(network) == [("Gdańsk", "partner"), ("Riga", "partner"), ("Tartu", "partner")]


def test_partners_named_by_country_are_counts_not_cities(extractor: Extractor) -> None:
    text = (
        "Projekts „Cities of change – cooperation of cities in the field of city development”.\n\n"
        "Kopā projektā piedalās 14 partneri no 11 valstīm: Latvija, Itālija (3), Īrija, Nīderlande (2)."
    )
    [network] = propose(extractor, text, "lv")
    assert network.id == "cities-of-change"  # the fact files' network, found by its name
    assert network.members == []
    assert network.declared is not None
    assert (network.declared.partners, network.declared.countries) == (14, 11)
    assert network.declared.by_country == {"LV": 1, "IT": 3, "IE": 1, "NL": 2}


def test_an_organisation_is_located_in_its_city_and_is_not_the_city(extractor: Extractor) -> None:
    text = "Nantes Métropole fait partie du réseau Cities4CSR sur la responsabilité des entreprises."
    [network] = propose(extractor, text, "fr")
    [member] = network.members
    assert (member.kind, member.name, member.town, member.org_type) == (
        "organisation",
        "Nantes Métropole",
        "Nantes",
        "municipal-association",
    )


def test_two_networks_in_one_list_each_get_their_line(extractor: Extractor) -> None:
    text = (
        "Veja a lista das Redes de Transferência aprovadas:\n\n"
        "Making Spend Matter - Preston (UK), Pamplona (ES)\n"
        "BLUACT - Piraeus (EL), Burgas (BG), Matosinhos (PT)\n"
        "Movement - Groningen (NL), Magdeburg (DE)\n"
    )
    networks = {n.names[0].text: [name for name, _ in roles(n)] for n in propose(extractor, text, "pt")}
    assert networks == {
        "Making Spend Matter": ["Preston", "Pamplona"],
        "BLUACT": ["Piraeus", "Burgas", "Matosinhos"],
        "Movement": ["Groningen", "Magdeburg"],
    }
    assert {n.type for n in propose(extractor, text, "pt")} == {"transfer-network"}


def test_every_fact_carries_evidence_that_quotes_the_text(extractor: Extractor) -> None:
    text = "Piacenza è capofila del progetto europeo Maps, con Varaždin, Szombathely e Cartagena."
    [network] = propose(extractor, text, "it")
    quotes = [e for e in network.evidence] + [e for m in network.members for e in m.evidence]
    assert quotes and all(text[e.start : e.end] == e.quote for e in quotes)
    lead = network.members[0]
    assert (lead.name, lead.role) == ("Piacenza", "lead-partner")
    assert [e.quote for e in lead.evidence if e.field == "role"] == ["capofila"]


def test_a_member_named_before_its_bracketed_town_is_an_organisation_there(extractor: Extractor) -> None:
    text = (
        "URGENT – Urban Re-Generation: European Network of Towns\n\n"
        "Partners: Kallipolis (Trieste / Italy); City of Strasbourg (Strasbourg / France); "
        "Rede DLBC Lisboa (Lisabon / Portugal)."
    )
    [network] = propose(extractor, text, "en")
    assert network.names[0].text == "URGENT – Urban Re-Generation: European Network of Towns"
    assert network.acronym == "URGENT"
    assert [(m.kind, m.name, m.town) for m in network.members] == [
        ("organisation", "Kallipolis", "Trieste"),
        ("city", "Strasbourg", None),
        ("organisation", "Rede DLBC Lisboa", "Lisbon"),
    ]


def test_venues_regions_and_events_are_not_members(extractor: Extractor) -> None:
    text = (
        "a) Agri-Urban (2016-2018). Líder: Baena (España). Socios: Fundão (Portugal) y Mollet del Vallès "
        "(Barcelona).\n\nc) Foros Internacionales\n- Open Days (Bruselas) en 2015\n"
        "- CEMR Congress (Nicosia) en 2016\n"
    )
    [network] = propose(extractor, text, "es")
    assert roles(network) == [
        ("Baena", "lead-partner"),
        ("Fundão", "partner"),
        ("Mollet del Vallès", "partner"),
    ]


def test_regions_listed_by_country_are_not_members(extractor: Extractor) -> None:
    text = (
        "Le projet MEMURBIS réunit Toulouse, chef de file, Elche et Coimbra.\n\n"
        "Les zones éligibles :\n  • Espagne : Galicia, Cantabria, La Rioja, Aragón\n"
    )
    [network] = propose(extractor, text, "fr")
    assert roles(network) == [("Toulouse", "lead-partner"), ("Elche", "partner"), ("Coimbra", "partner")]


def test_an_abbreviation_does_not_end_the_lead_sentence(extractor: Extractor) -> None:
    """ "tzw." (so-called) before "liderem": the lead cue and Gen-Y City are one sentence."""
    text = "W projekcie Gen-Y City miasto Poznań jest tzw. liderem, a partnerami są Granada i Wolverhampton."
    [network] = propose(extractor, text, "pl")
    assert roles(network) == [
        ("Poznań", "lead-partner"),
        ("Granada", "partner"),
        ("Wolverhampton", "partner"),
    ]


def test_programmes_and_registry_names() -> None:
    registry = Registry.of([])
    assert [c for c, _ in find_programmes("URBACT III, URBACT IV and Europe for Citizens")] == [
        "urbact-iii",
        "urbact-iv",
        "europe-for-citizens-2007-2013",
    ]
    names = [m.quote for m in find_networks("W projekcie Gen-Y City jesteśmy liderem.", "pl", registry)]
    assert names == ["Gen-Y City"]


# The command on real pages.


@needs_shared
def test_extract_the_daugavpils_seed(tmp_path: Path) -> None:
    """The issue's example: Poznań the lead (its "koordinators"), Daugavpils a partner ("kā sadarbības
    partneris"), 14 partners from 11 countries, of the fact files' Cities of change network."""
    project = project_with(tmp_path)
    result = invoke("extract", str(SEED_002), "--project", str(project), "--store", str(tmp_path / "none"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Proposed graph/proposed/002-c00e98cb05310237.yaml: 1 networks, 2 members (1 lead partners), "
        "language lv\n"
    ).replace("graph/", f"{project}/graph/")
    folder = project / "graph" / "proposed"
    data = yaml.safe_load((folder / "002-c00e98cb05310237.yaml").read_text(encoding="utf-8"))
    text = (folder / "002-c00e98cb05310237.txt").read_text(encoding="utf-8")
    [network] = data["networks"]
    assert network["id"] == "cities-of-change"
    assert network["declared"]["partners"] == 14 and network["declared"]["countries"] == 11
    # The page lists the partners' countries: Latvija, Itālija (3), Īrija, Nīderlande (2), Lietuva,
    # Spānija, Francija, Lielbritānija, Vācija, Rumānija (and Poznań's Poland, the lead, apart).
    by_country = {"LV": 1, "IT": 3, "IE": 1, "NL": 2, "LT": 1, "ES": 1, "FR": 1, "GB": 1, "DE": 1, "RO": 1}
    assert network["declared"]["by_country"] == by_country
    assert [(m["city"], m["role"], m["geonames"]) for m in network["members"]] == [
        ("Poznań", "lead-partner", POZNAN),
        ("Daugavpils", "partner", DAUGAVPILS),
    ]
    source = data["source"]
    assert source["sha256"] == hashlib.sha256(SEED_002.read_bytes()).hexdigest()
    assert source["retrieved"] == dt.date.today().isoformat() and source["language"] == "lv"
    evidence = [e for m in network["members"] for e in m["evidence"]] + network["evidence"]
    assert evidence and all(text[e["start"] : e["end"]] == e["quote"] for e in evidence)


@needs_shared
def test_a_proposal_accepted_loads_and_answers_partners(tmp_path: Path) -> None:
    """RetaiLink (Liberec's page, Czech) is not in the hand-written graph: extract, accept, load, ask."""
    project = project_with(tmp_path)
    store = tmp_path / "store"
    common = ("--project", str(project), "--store", str(store))
    assert invoke("load", *common).returncode == 0
    page = DEV / "20_cs_liberec_retailink.txt"
    assert invoke("extract", str(page), *common).returncode == 0
    proposal = next((project / "graph" / "proposed").glob("*.yaml"))
    accepted = invoke("review", "accept", proposal.stem, *common)
    assert accepted.returncode == 0, accepted.stderr
    assert invoke("load", *common).returncode == 0
    result = invoke("query", "partners", "--param", "network=RetaiLink", "--format", "json", *common)
    assert result.returncode == 0, result.stderr
    rows = yaml.safe_load(result.stdout)["results"]["bindings"]
    members = {(row["label"]["value"], row["role"]["value"]) for row in rows}
    assert ("Igualada", "lead partner") in members
    assert {name for name, _ in members} >= {"Basingstoke", "Liberec", "Pécs", "Fermo", "Hoogeveen"}


@needs_shared
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00junk" * 50, "binary"),
        ("Это страница на русском языке о сотрудничестве городов Европы.".encode() * 5, "language"),
    ],
    ids=["empty", "binary", "russian"],
)
def test_bad_documents_are_one_line_and_write_nothing(tmp_path: Path, content: bytes, expected: str) -> None:
    project = project_with(tmp_path)
    page = tmp_path / "page.txt"
    page.write_bytes(content)
    result = invoke("extract", str(page), "--project", str(project), "--store", str(tmp_path / "none"))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and expected in result.stderr.lower()
    assert not (project / "graph" / "proposed").exists()


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    project = project_with(tmp_path)
    result = invoke("extract", str(tmp_path / "nowhere.html"), "--project", str(project))
    assert result.returncode == 1 and "nowhere.html" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@needs_shared
@pytest.mark.slow
def test_evaluate_prints_the_table_of_every_expected_membership() -> None:
    """216 memberships are written by hand in expected.yaml (26 pages): TP + FN must add up to them."""
    result = invoke("extract", "--evaluate", str(DEV))
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if line.startswith("memberships "))
    tp, _fp, fn = (int(x) for x in row.split()[-3:])
    assert tp + fn == 216
    assert "goals" in result.stdout


@needs_shared
@pytest.mark.slow
def test_the_extraction_report_is_up_to_date() -> None:
    """docs/extraction.md is what scripts/extraction_report.py writes now: regenerate it after a change."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "scripts/extraction_report.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_found_is_what_the_assembler_reads() -> None:
    """A page with no network named proposes nothing, whatever places it names."""
    document = Document("Kraków and Riga are beautiful cities.", "en", "0" * 64, "text/plain")
    assert assemble_networks(Found(document, [], [], [], [], [])) == []
