"""Wikidata enrichment against a local Oxigraph server holding a Wikidata-shaped fixture."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from citynet.queries import run_query, to_rows
from citynet.remote import Credentials, RemoteStore
from citynet.store import EmbeddedStore
from citynet.wikidata import fetch_matches, read_cities

from .conftest import ROOT, copy_project, run_cli
from .servers import oxigraph_server

FIXTURE = ROOT / "tests" / "fixtures" / "wikidata.ttl"
KRAKOW = "https://w3id.org/citynet/id/city/3094802"
FACTS = """
SELECT ?p ?o WHERE { GRAPH <https://w3id.org/citynet/id/graph/wikidata> { ?city ?p ?o } } ORDER BY ?p ?o"""


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A query URL answering like Wikidata's for the fixture's items."""
    with oxigraph_server(tmp_path_factory.mktemp("wikidata")) as base:
        request = urllib.request.Request(f"{base}/store?default", data=FIXTURE.read_bytes(), method="POST",
                                         headers={"Content-Type": "text/turtle"})
        urllib.request.urlopen(request).close()
        yield f"{base}/query"


@pytest.fixture(scope="module")
def enriched(tmp_path_factory: pytest.TempPathFactory, wikidata: str) -> tuple[Path, Path, object]:
    root = copy_project(tmp_path_factory.mktemp("project"))
    store = root / "store"
    assert run_cli("load", "--root", str(root), store=store).returncode == 0
    result = run_cli("enrich", "wikidata", "--endpoint", wikidata, "--root", str(root), store=store)
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
        ("population", 800001), ("populationDate", "2021-12-31"), ("sameAs", "http://www.wikidata.org/entity/Q900001"),
        ("website", "https://www.krakow.example/")]


def test_no_date_no_website(enriched: tuple) -> None:
    _, store, _ = enriched
    assert facts_of(store, "https://w3id.org/citynet/id/city/3202781") == [
        ("population", 40001), ("sameAs", "http://www.wikidata.org/entity/Q900002")]
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
    assert run_cli("load", "--root", str(root), store=store).returncode == 0
    assert ("population", 800001) in facts_of(store, KRAKOW)
    cities = run_cli("query", "cities", "--format", "csv", store=store).stdout.splitlines()
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
