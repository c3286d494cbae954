"""`citynet analyze` and `citynet export` as a user runs them; exports read back; an Oxigraph server."""

from __future__ import annotations

import csv
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import igraph
import networkx as nx
import pytest

from citynet import api
from citynet.graphs.export import FORMATS, read_graph, to_exportable, write_graph
from citynet.graphs.memberships import Filters
from citynet.graphs.network import GRAPHS, build_graph
from citynet.store.embedded import EmbeddedStore

from . import servers
from .conftest import invoke


def test_analyze_city_city_ranks_krakow_first(seed_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "metrics.csv"
    result = invoke("analyze", "city-city", "--top", "3", "-o", str(out), store=seed_store)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:6] == ["node", "label", "kind", "country", "degree", "weighted"]
    # Kraków: 15 co-partners, one network each; then OP-ACT's cities (10 each) by label.
    assert lines[2].split()[:6] == ["city/3094802", "Kraków", "city", "PL", "15", "15"]
    assert lines[3].split()[1:2] == ["Altena"]
    assert lines[-1] == "(top 3 of 37 nodes: --top N for more, -o FILE for all)"
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 37
    assert (rows[0]["label"], rows[0]["weighted_degree"], rows[0]["partner_countries"]) == (
        "Kraków",
        "15",
        "11",
    )
    # the same numbers from the Python API
    assert rows == [
        {k: "" if v is None else str(v) for k, v in r.items()}
        for r in api.analyze("city-city", store_dir=seed_store)
    ]


def test_analyze_an_unknown_programme_names_the_known(seed_store: Path) -> None:
    result = invoke("analyze", "--programme", "URBACT V", store=seed_store)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'Error: unknown programme "URBACT V" - known: Europe for Citizens '
        "2007-2013, URBACT I, URBACT II, URBACT III, URBACT IV"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_of_nothing_writes_nothing(seed_store: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"empty.{fmt}"
    result = invoke(
        "export", "city-city", "--format", fmt, "--year", "2030", "-o", str(out), store=seed_store
    )
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: no memberships match the filters (year=2030) - loosen them"
    assert list(tmp_path.iterdir()) == []


def test_export_command_writes_csv_pair(seed_store: Path, tmp_path: Path) -> None:
    result = invoke(
        "export",
        "country-country",
        "--programme",
        "urbact iv",
        "--format",
        "csv",
        "-o",
        str(tmp_path / "countries.csv"),
        store=seed_store,
    )
    assert result.returncode == 0, result.stderr
    # Cities@Heart: 10 countries, 45 pairs (see test_network.py)
    assert result.stdout.startswith("Wrote the country-country graph (10 nodes, 45 edges) to ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["countries.edges.csv", "countries.nodes.csv"]


def comparable(graph: nx.Graph, fmt: str) -> tuple[dict, dict]:
    """Nodes and edges with their attributes as a read-back graph of ``fmt`` gives them."""

    def fix(attrs: dict) -> dict:
        attrs = {k: v for k, v in attrs.items() if not (fmt == "gexf" and k == "id")}
        if fmt == "csv":
            return {k: str(v) for k, v in attrs.items()}
        if fmt == "gexf" and "weight" in attrs:
            attrs["weight"] = float(attrs["weight"])
        return attrs

    nodes = {str(n): fix(dict(a)) for n, a in graph.nodes(data=True)}
    edges = {frozenset((str(u), str(v))): fix(dict(a)) for u, v, a in graph.edges(data=True)}
    return nodes, edges


@pytest.mark.parametrize("name", list(GRAPHS))
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_round_trips(seed: EmbeddedStore, tmp_path: Path, name: str, fmt: str) -> None:
    graph = build_graph(seed, name)
    write_graph(graph, fmt, tmp_path / f"graph.{fmt}")
    back = read_graph(fmt, tmp_path / f"graph.{fmt}")
    assert comparable(back, fmt) == comparable(to_exportable(graph, fmt), fmt)
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        graph.number_of_nodes(),
        graph.number_of_edges(),
    )


def test_conversions_on_the_way_out(tmp_path: Path) -> None:
    graph = nx.Graph(name="demo")
    graph.add_node(
        "a", label="A", lat=None, when=date(2017, 6, 6), tags={"x", "b"}, meta={"k": 1}, start="2013"
    )
    graph.add_edge("a", "b", networks=["USER", "RURAL"], weight=2)
    graphml = to_exportable(graph, "graphml")
    assert graphml.nodes["a"] == {
        "label": "A",
        "when": "2017-06-06",
        "tags": "b; x",
        "meta": '{"k": 1}',
        "start": "2013",
    }
    assert graphml.edges["a", "b"] == {"networks": "USER; RURAL", "weight": 2}
    assert to_exportable(graph, "gexf").nodes["a"]["period_start"] == "2013"
    assert to_exportable(graph, "json").edges["a", "b"]["networks"] == ["USER", "RURAL"]
    for fmt in FORMATS:  # and every writer takes them
        write_graph(graph, fmt, tmp_path / f"demo.{fmt}")


def test_graphml_opens_in_a_second_reader(seed: EmbeddedStore, tmp_path: Path) -> None:
    graph = build_graph(seed, "city-city")
    path = tmp_path / "city.graphml"
    write_graph(graph, "graphml", path)
    other = igraph.Graph.Read_GraphML(str(path))
    assert (other.vcount(), other.ecount()) == (37, 120)
    assert sorted(other.vs["label"]) == sorted(label for _, label in graph.nodes(data="label"))
    assert set(other.es["weight"]) == {1}
    assert {"iri", "kind", "country", "lat", "lon", "degree"} <= set(other.vs.attributes())


@pytest.fixture
def oxigraph_server(seed: EmbeddedStore, tmp_path: Path) -> Iterator[str]:
    """A real Oxigraph server on loopback holding the seed graph; yields its query endpoint."""
    with servers.oxigraph_server(tmp_path) as base:
        dump = tmp_path / "seed.nq"
        with dump.open("wb") as handle:
            seed.dump(handle, "nquads")
        request = urllib.request.Request(
            f"{base}/store",
            data=dump.read_bytes(),
            method="POST",
            headers={"Content-Type": "application/n-quads"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status in (200, 201, 204)
        yield f"{base}/query"


@pytest.mark.parametrize("name", list(GRAPHS))
def test_same_graph_from_an_oxigraph_server(seed: EmbeddedStore, oxigraph_server: str, name: str) -> None:
    from_server = build_graph(api.open_reader(endpoint=oxigraph_server), name, Filters())
    assert nx.utils.graphs_equal(from_server, build_graph(seed, name, Filters()))
