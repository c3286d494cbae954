"""Wikidata enrichment against a local Oxigraph server holding a Wikidata-shaped fixture."""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from citynet.query.queries import run_query, to_rows
from citynet.sources.wikidata import fetch_matches, read_cities
from citynet.store.embedded import EmbeddedStore
from citynet.store.remote import Credentials, RemoteStore

from .conftest import ROOT, copy_project, invoke
from .servers import oxigraph_server

FIXTURE = ROOT / "tests" / "fixtures" / "wikidata.ttl"
KRAKOW = "https://w3id.org/citynet/id/city/3094802"
FACTS = """
SELECT ?p ?o WHERE { GRAPH <https://w3id.org/citynet/id/graph/wikidata> { ?city ?p ?o } } ORDER BY ?p ?o"""


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A query URL answering like Wikidata's for the fixture's items."""
    with oxigraph_server(tmp_path_factory.mktemp("wikidata")) as base:
        request = urllib.request.Request(
            f"{base}/store?default",
            data=FIXTURE.read_bytes(),
            method="POST",
            headers={"Content-Type": "text/turtle"},
        )
        urllib.request.urlopen(request).close()
        yield f"{base}/query"


@pytest.fixture(scope="module")
def enriched(tmp_path_factory: pytest.TempPathFactory, wikidata: str) -> tuple[Path, Path, object]:
    root = copy_project(tmp_path_factory.mktemp("project"))
    store = root / "store"
    assert invoke("load", "--root", str(root), store=store).returncode == 0
    result = invoke("enrich", "wikidata", "--endpoint", wikidata, "--root", str(root), store=store)
    return root, store, result


def facts_of(store: Path, city: str) -> list[tuple[str, str]]:
    rows = to_rows(run_query(EmbeddedStore.open(store), FACTS.replace("?city", f"<{city}>")))[1]
    return sorted((r["p"].rsplit("#", 1)[-1], r["o"]) for r in rows)


def test_enrich_reports_what_it_linked(enriched: tuple) -> None:
    _, _, result = enriched
    assert result.returncode == 0, result.stderr
    # Linked: Kraków, Celje, Leoben. Not linked: Bytom (two items) and the 33 other seed cities.
    # Quads: Kraków 4 (sameAs, population, its date, website), Celje 2, Leoben 1, provenance 4.
    assert result.stdout == "Linked 3 cities to Wikidata; 34 not linked; 11 quads in graph/wikidata\n"
    warnings = result.stderr.splitlines()
    assert len(warnings) == 34
    assert "Warning: Bytom (GeoNames 3101950): 2 Wikidata items (Q900004, Q900005) - not linked" in warnings
    assert "Warning: Granada (GeoNames 2517117): no Wikidata item - not linked" in warnings


def test_the_preferred_population_with_its_date(enriched: tuple) -> None:
    _, store, _ = enriched
    assert facts_of(store, KRAKOW) == [
        ("population", 800001),
        ("populationDate", "2021-12-31"),
        ("sameAs", "http://www.wikidata.org/entity/Q900001"),
        ("website", "https://www.krakow.example/"),
    ]


def test_no_date_no_website(enriched: tuple) -> None:
    _, store, _ = enriched
    assert facts_of(store, "https://w3id.org/citynet/id/city/3202781") == [
        ("population", 40001),
        ("sameAs", "http://www.wikidata.org/entity/Q900002"),
    ]
    assert facts_of(store, "https://w3id.org/citynet/id/city/3101950") == []  # Bytom: not guessed


def test_provenance_of_the_graph(enriched: tuple, wikidata: str) -> None:
    _, store, _ = enriched
    graph = "https://w3id.org/citynet/id/graph/wikidata"
    facts = dict(facts_of(store, graph))
    assert facts["wasDerivedFrom"] == wikidata
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", facts["generatedAtTime"])  # UTC
    assert facts["type"] == "http://www.w3.org/ns/prov#Entity"


def test_a_new_load_keeps_the_enrichment(enriched: tuple, tmp_path: Path) -> None:
    root, _, _ = enriched
    assert (root / "graph" / "enrichment" / "wikidata.nq").is_file()
    store = tmp_path / "reloaded"
    assert invoke("load", "--root", str(root), store=store).returncode == 0
    assert ("population", 800001) in facts_of(store, KRAKOW)
    cities = invoke("query", "cities", "--format", "csv", store=store).stdout.splitlines()
    assert len(cities) == 38  # header + 37 cities, each once: the Wikidata sameAs is not a GeoNames place


def test_batches_give_the_same_matches(seed: EmbeddedStore, wikidata: str) -> None:
    remote = RemoteStore(wikidata, credentials=Credentials())
    cities = read_cities(seed)
    assert len(cities) == 37
    calls: list[int] = []
    in_tens = fetch_matches(remote, cities, size=10, progress=calls.append)
    assert calls == [10, 10, 10, 7]
    linked = {"3094802", "3202781", "2772649", "3101950"}  # Kraków, Celje, Leoben, Bytom
    assert in_tens.keys() == fetch_matches(remote, cities).keys() == linked


def test_the_enrichment_joins_the_merged_default_graph(enriched: tuple) -> None:
    """Queries read the default graph (the merge of the named graphs): it has the new facts at once."""
    _, store, _ = enriched
    query = f"SELECT ?population WHERE {{ <{KRAKOW}> cn:population ?population }}"
    assert to_rows(run_query(EmbeddedStore.open(store), query))[1] == [{"population": 800001}]


def test_named_queries_and_sparql_see_the_population_at_once(enriched: tuple) -> None:
    """No reload: the command's own store answers through the merged default graph, not GRAPH."""
    _, store, _ = enriched
    cities = invoke("query", "cities", "--format", "csv", store=store)
    assert cities.returncode == 0, cities.stderr
    table = list(csv.DictReader(io.StringIO(cities.stdout)))
    rows = {row["city"]: row["population"] for row in table}
    assert rows[KRAKOW] == "800001"
    assert rows["https://w3id.org/citynet/id/city/3202781"] == "40001"  # Celje
    assert rows["https://w3id.org/citynet/id/city/3101950"] == ""  # Bytom: two items, not linked
    asked = invoke(
        "sparql", f"SELECT ?p WHERE {{ <{KRAKOW}> cn:population ?p }}", "--format", "csv", store=store
    )
    assert asked.stdout.splitlines() == ["p", "800001"]


HOSTILE = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix wikibase: <http://wikiba.se/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
# Krakow: an item outside Wikidata
<http://evil.example/Q1> wdt:P1566 "3094802" .
# Celje: a negative population and a javascript: website
wd:Q900002 wdt:P1566 "3202781" ; wdt:P856 <javascript:alert(1)> ; p:P1082 <urn:s:celje> .
<urn:s:celje> ps:P1082 -5 ; wikibase:rank wikibase:NormalRank .
# Leoben: a population of 10^30
wd:Q900003 wdt:P1566 "2772649" ; p:P1082 <urn:s:leoben> .
<urn:s:leoben> ps:P1082 1000000000000000000000000000000 ; wikibase:rank wikibase:NormalRank .
# Bytom: a good population with an impossible date
wd:Q900004 wdt:P1566 "3101950" ; p:P1082 <urn:s:bytom> .
<urn:s:bytom> ps:P1082 40000 ; wikibase:rank wikibase:NormalRank ; pq:P585 "2021-02-30T00:00:00Z" .
"""


def test_a_hostile_mirror_is_reported_and_not_written(tmp_path: Path) -> None:
    (tmp_path / "mirror").mkdir()
    with oxigraph_server(tmp_path / "mirror") as base:
        request = urllib.request.Request(
            f"{base}/store?default",
            data=HOSTILE.encode(),
            method="POST",
            headers={"Content-Type": "text/turtle"},
        )
        urllib.request.urlopen(request).close()
        root = copy_project(tmp_path / "project")
        store = root / "store"
        assert invoke("load", "--root", str(root), store=store).returncode == 0
        result = invoke("enrich", "wikidata", "--endpoint", f"{base}/query", "--root", str(root), store=store)
    assert result.returncode == 0, result.stderr
    warnings = result.stderr.splitlines()
    assert (
        "Warning: Kraków (GeoNames 3094802): item 'http://evil.example/Q1' - expected "
        "http://www.wikidata.org/entity/Q<digits> - not linked"
    ) in warnings
    assert (
        "Warning: Celje (GeoNames 3202781): population -5 - expected a whole number from 1 to 50000000"
        " - left out"
    ) in warnings
    assert (
        "Warning: Celje (GeoNames 3202781): website 'javascript:alert(1)' - expected an http(s) URL"
        " - left out"
    ) in warnings
    assert (
        "Warning: Leoben (GeoNames 2772649): population 1000000000000000000000000000000 - expected a "
        "whole number from 1 to 50000000 - left out"
    ) in warnings
    assert (
        "Warning: Bytom (GeoNames 3101950): date 2021-02-30 - expected a real date YYYY-MM-DD - left out"
    ) in warnings
    assert facts_of(store, KRAKOW) == []
    assert facts_of(store, "https://w3id.org/citynet/id/city/3202781") == [
        ("sameAs", "http://www.wikidata.org/entity/Q900002")
    ]
    assert facts_of(store, "https://w3id.org/citynet/id/city/3101950") == [
        ("population", 40000),
        ("sameAs", "http://www.wikidata.org/entity/Q900004"),
    ]
    saved = (root / "graph" / "enrichment" / "wikidata.nq").read_text(encoding="utf-8")
    assert "evil" not in saved and "javascript" not in saved and '"-5"' not in saved
    assert invoke("load", "--root", str(root), store=root / "reloaded").returncode == 0  # a later load works
