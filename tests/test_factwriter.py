"""The fact file writer: what it writes reads back, through ``read_fact_file``, to the same facts."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from citynet.build.assemble import read_ontology, read_vocabulary
from citynet.sources.facts import read_fact_file
from citynet.sources.factwriter import quote, write_fact_file
from citynet.sources.model import (
    Call,
    CoFinancing,
    Declared,
    FactFile,
    Member,
    Money,
    Name,
    Network,
    PartialDate,
    Phase,
    Programme,
    SourceEntry,
)

from .conftest import ROOT

VOCAB = read_vocabulary(read_ontology(ROOT / "ontology"))
SEEDS = sorted(p for p in (ROOT / "graph").glob("*.yaml") if p.name not in ("sources.yaml", "places.yaml"))


def without_lines(value: Any) -> Any:
    """The facts with every line number 0 and no path: what the writer cannot keep."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: without_lines(getattr(value, f.name)) for f in dataclasses.fields(value)}
        changes.update({k: 0 for k in ("line", "source_line") if k in changes})
        changes.update({"path": ""} if "path" in changes else {})
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [without_lines(v) for v in value]
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items()}
    return value


def read_back(text: str, tmp_path: Path) -> FactFile:
    path = tmp_path / "written.yaml"
    path.write_text(text, encoding="utf-8")
    return read_fact_file(path, VOCAB)


# -- hand-written cases -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Kraków", "Kraków"),
        ("Nord-Pas de Calais", "Nord-Pas de Calais"),
        ("103", '"103"'),  # an acronym YAML reads as a number
        ("yes", '"yes"'),
        ("NO", '"NO"'),  # Norway, a YAML 1.1 boolean
        ("null", '"null"'),
        ("1e3", '"1e3"'),
        ("2015-06-01", '"2015-06-01"'),
        ("Zgorzelec: Gmina", '"Zgorzelec: Gmina"'),
        ("A, B", '"A, B"'),  # a comma ends a value in a flow mapping
        ("Name #1", '"Name #1"'),
        ("Line\u2028break", '"Line\\Lbreak"'),  # YAML would read U+2028 as a line break
        ('say "hi"', '"say \\"hi\\""'),
    ],
)
def test_strings_are_quoted_when_yaml_would_read_something_else(text: str, written: str) -> None:
    assert quote(text) == written
    assert yaml.safe_load(f"key: {written}")["key"] == text  # the stock YAML 1.1 reader agrees


IMPORTED = FactFile(
    path="",
    source="keep-eu-test",
    source_entry=SourceEntry(
        "keep-eu-test",
        "keep.eu export",
        "en",
        0,
        publisher="Interact",
        date="2026-11-30",
        licence="CC BY 4.0",
    ),
    programmes=[Programme("interreg-v-a-x", [Name("Interreg V-A X", "en")], 0, "interreg-a", "2014-2020")],
    calls=[],
    networks=[
        Network(
            "n-103",
            [Name("Projekt", "pl")],
            0,
            acronym="103",
            programme="interreg-v-a-x",
            eu_funding=Money(Decimal("850.00"), "EUR"),
            funds={"erdf": Money(Decimal("850.00"), "EUR")},
            record="Projects (lead partners) row 2",
            members=[
                Member("city", "Görlitz", "DE", "lead-partner", 0, geonames=2918987, record="Partners row 3"),
                Member(
                    "organisation",
                    "Uni",
                    "PL",
                    "partner",
                    0,
                    slug="uni",
                    org_type="university",
                    nuts3="PL517",
                ),
            ],
        )
    ],
)
EXPECTED = """\
# keep.eu: a test
source:
  id: keep-eu-test
  title: keep.eu export
  language: en
  publisher: Interact
  date: "2026-11-30"
  licence: CC BY 4.0
programmes:
  - {id: interreg-v-a-x, names: [{text: Interreg V-A X, lang: en}], strand: interreg-a, period: "2014-2020"}
networks:
  - id: n-103
    names: [{text: Projekt, lang: pl}]
    acronym: "103"
    programme: interreg-v-a-x
    eu_funding: {value: 850.00, currency: EUR}
    funds: {erdf: {value: 850.00, currency: EUR}}
    record: Projects (lead partners) row 2
    members:
      - {city: Görlitz, country: DE, geonames: 2918987, role: lead-partner, record: Partners row 3}
      - {organisation: uni, name: Uni, type: university, country: PL, nuts3: PL517, role: partner}
"""


def test_a_fact_file_is_written_in_a_fixed_order_one_member_a_line(tmp_path: Path) -> None:
    text = write_fact_file(IMPORTED, "keep.eu: a test")
    assert text == EXPECTED
    assert without_lines(read_back(text, tmp_path)) == without_lines(IMPORTED)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_the_seed_fact_files_read_back_the_same(path: Path, tmp_path: Path) -> None:
    facts = read_fact_file(path, VOCAB)
    assert without_lines(read_back(write_fact_file(facts), tmp_path)) == without_lines(facts)


def test_blank_optional_texts_are_left_out(tmp_path: Path) -> None:
    """An importer may pass an empty cell: it is no value, not a field the reader would refuse."""
    member = Member("city", "Bytom", "PL", "partner", 0, town="", legal_status=" ", record="")
    network = Network("n-1", [Name("N", "en")], 0, acronym="", members=[member], objective={"en": " "})
    text = write_fact_file(FactFile("", "s", [network], []))
    assert "      - {city: Bytom, country: PL, role: partner}\n" in text
    assert "acronym" not in text and "objective" not in text
    assert read_back(text, tmp_path).networks[0].members[0].town is None


def test_writing_is_deterministic() -> None:
    assert write_fact_file(IMPORTED) == write_fact_file(IMPORTED)


def test_ten_thousand_members_are_written() -> None:
    members = [
        Member("organisation", f"Organisation {i}", "IT", "partner", 0, slug=f"org-{i}", org_type="other")
        for i in range(10_000)
    ]
    network = Network("big", [Name("Big", "en")], 0, members=members)
    text = write_fact_file(FactFile("", "s", [network], []))
    assert text.count("\n      - {organisation: org-") == 10_000


# -- property: any facts the reader accepts are written so that they read back the same ------------

slugs = st.from_regex(r"\A[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}\Z")
texts = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=30).map(str.strip)
texts = texts.filter(bool) | st.sampled_from(["103", "yes", "NO", "null", "1e3", "2015-06", "a: b", "~"])
langs = st.sampled_from(["en", "pl", "no", "de", "fr"])
years = st.integers(1990, 2030)
dates = st.builds(
    lambda y, m, d, n: PartialDate(
        *[(f"{y}", "gYear"), (f"{y}-{m:02d}", "gYearMonth"), (f"{y}-{m:02d}-{d:02d}", "date")][n]
    ),
    years,
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 2),
)
money = st.builds(Money, st.decimals(0, 10**9, places=2), st.sampled_from(["EUR", "PLN"]))
names = st.lists(st.builds(Name, texts, st.none() | langs), min_size=1, max_size=3)
lang_texts = st.dictionaries(langs, texts.map(lambda t: " ".join(t.split())).filter(bool), max_size=2)


def concepts(scheme: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(VOCAB[scheme]))


co_financing = st.builds(
    CoFinancing,
    st.none() | st.decimals(0, 1, places=2),
    st.booleans(),
    st.none() | concepts("fund"),
    st.none() | money,
).filter(lambda c: c.rate is not None or c.amount is not None)
common = {
    "town": st.none() | texts,
    "nuts3": st.none() | st.from_regex(r"\A[A-Z]{2}[A-Z0-9]{1,3}\Z"),
    "legal_status": st.none() | st.sampled_from(["public", "private", "n/a"]),
    "website": st.none() | st.sampled_from(["https://keep.eu/", "http://x.example/a?b=1"]),
    "record": st.none() | st.builds("Partners row {}".format, st.integers(2, 9000)),
    "budget": st.none() | money,
    "co_financing": st.none() | co_financing,
    "category": lang_texts,
    "status": lang_texts,
    "geonames": st.none() | st.integers(1, 10**9),
}
cities = st.builds(
    Member,
    st.just("city"),
    texts,
    st.sampled_from(["PL", "NO", "IT"]),
    concepts("role"),
    st.just(0),
    **common,
)
organisations = st.builds(
    Member,
    st.just("organisation"),
    texts,
    st.sampled_from(["PL", "NO", "IT"]),
    concepts("role"),
    st.just(0),
    written=st.none() | texts,
    slug=slugs,
    org_type=concepts("organisation-type"),
    **common,
)
phases = st.lists(
    st.builds(Phase, st.integers(1, 9), texts, st.sampled_from(["P6M", "P2Y"]), st.none() | dates),
    max_size=2,
)
declared = st.builds(
    Declared,
    st.none() | st.integers(0, 99),
    by_country=st.dictionaries(
        st.sampled_from(["PL", "NO", "IT"]), st.none() | st.integers(1, 9), max_size=2
    ),
)


def unique(members: list[Member]) -> list[Member]:
    keys = [m.slug or f"{m.name}|{m.country}" for m in members]
    return [m for i, m in enumerate(members) if keys.index(keys[i]) == i]


networks = st.builds(
    Network,
    slugs,
    names,
    st.just(0),
    acronym=st.none() | texts,
    programme=st.none() | concepts("programme"),
    start=st.none() | st.just(PartialDate("2015", "gYear")),
    end=st.none() | dates.filter(lambda d: d.text >= "2015"),
    duration=st.none() | st.just("P2Y6M"),
    budget=st.none() | money,
    eu_funding=st.none() | money,
    funds=st.dictionaries(concepts("fund"), money, max_size=2),
    co_financing=st.none() | co_financing,
    themes=st.lists(concepts("theme"), max_size=3, unique=True),
    declared=st.none() | declared,
    objective=lang_texts,
    phases=phases,
    record=st.none() | texts,
    members=st.lists(cities | organisations, max_size=5).map(unique),
)
calls = st.builds(
    Call,
    slugs,
    names,
    st.just(0),
    approved_on=st.none() | dates,
    budget=st.none() | money,
    events=lang_texts,
    record=st.none() | texts,
)
programmes = st.builds(
    Programme,
    slugs,
    names,
    st.just(0),
    strand=st.none() | concepts("strand"),
    period=st.none() | st.sampled_from(["2007-2013", "2014-2020"]),
    record=st.none() | texts,
)
sources = st.none() | st.builds(
    SourceEntry, slugs, texts, st.sampled_from(["en", "pl"]), st.just(0), publisher=st.none() | texts
)
fact_files = st.builds(
    lambda source, entry, progs, nets, cs: FactFile(
        "", entry.id if entry else source, nets, cs, programmes=progs, source_entry=entry
    ),
    slugs,
    sources,
    st.lists(programmes, max_size=2, unique_by=lambda p: p.id),
    st.lists(networks, max_size=3, unique_by=lambda n: n.id),
    st.lists(calls, max_size=2, unique_by=lambda c: c.id),
)


@given(facts=fact_files)
def test_written_facts_read_back_the_same(facts: FactFile, tmp_path_factory: pytest.TempPathFactory) -> None:
    text = write_fact_file(facts, "generated")
    assert without_lines(read_back(text, tmp_path_factory.mktemp("w"))) == without_lines(facts)
    assert write_fact_file(read_back(text, tmp_path_factory.mktemp("w")), "generated") == text
