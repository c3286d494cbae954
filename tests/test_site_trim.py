"""The edge bound of the site's graph pages (``citynet visualize --max-edges``): which edges a page
keeps, what it says, and the seed site built with a small bound, in headless Chromium (skipped
without it, failing so with ``CI=true``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from citynet import api
from citynet.graphs.memberships import Filters
from citynet.site.trim import Trim, rank_edges, trim_edges

from .browser import open_ready
from .conftest import invoke

# A hand-made co-partnership graph: IRIs in the reverse order of the labels, so a tie broken by IRI
# would keep other edges than one broken by label.
LABELS = {"e": "Aachen", "d": "Bari", "c": "Cork", "b": "Dublin", "a": "Essen"}
WEIGHTS = [("e", "d", 3), ("c", "b", 2), ("e", "a", 2), ("d", "c", 1), ("b", "a", 1), ("e", "c", 1)]


def make_graph() -> nx.Graph:
    graph = nx.Graph(kind="city", flow_spans={"AT PL": {"years": [[2013, 2015]], "undated": False}})
    for node, label in LABELS.items():
        graph.add_node(node, label=label, kind="city")
    for u, v, weight in WEIGHTS:
        graph.add_edge(u, v, weight=weight, spans=[[2010 + weight, 2012 + weight]])
    return graph


def labelled(graph: nx.Graph, edges: Any) -> list[tuple[str, str]]:
    return [tuple(sorted((LABELS[u], LABELS[v]))) for u, v in edges]


def test_edges_rank_by_weight_then_by_the_labels_of_their_ends() -> None:
    # 3: Aachen-Bari; 2: Aachen-Essen before Cork-Dublin; 1: Aachen-Cork, Bari-Cork, Dublin-Essen.
    assert labelled(make_graph(), rank_edges(make_graph())) == [
        ("Aachen", "Bari"),
        ("Aachen", "Essen"),
        ("Cork", "Dublin"),
        ("Aachen", "Cork"),
        ("Bari", "Cork"),
        ("Dublin", "Essen"),
    ]


def test_a_trimmed_graph_keeps_every_node_and_the_strongest_edges_with_their_spans() -> None:
    graph = make_graph()
    trimmed, trim = trim_edges(graph, 4)
    assert sorted(labelled(trimmed, trimmed.edges())) == [
        ("Aachen", "Bari"),
        ("Aachen", "Cork"),  # the first of the three weighing 1, by label (its IRIs, e and c, are not)
        ("Aachen", "Essen"),
        ("Cork", "Dublin"),
    ]
    assert sorted(trimmed.nodes()) == ["a", "b", "c", "d", "e"]
    assert trimmed.nodes["e"] == {"label": "Aachen", "kind": "city"}
    assert trimmed.edges["e", "d"] == {"weight": 3, "spans": [[2013, 2015]]}
    assert trimmed.graph == graph.graph  # the map's flows' spans, from the whole graph
    assert graph.number_of_edges() == 6  # the whole graph is left as it was
    assert trim == Trim(
        drawn=4,
        total=6,
        least=1,
        tied=3,
        at_least=1,
        projected=True,
        command="citynet export city-city -o city-city.graphml",
    )
    assert trim.message == (
        "The 4 strongest of 6 co-partnerships are drawn: those sharing more than 1 network, "
        "and the first 1 by name of the 3 sharing exactly 1."
    )


def test_a_bound_between_weights_needs_no_tie_break() -> None:
    trimmed, trim = trim_edges(make_graph(), 3)
    assert sorted(labelled(trimmed, trimmed.edges())) == [
        ("Aachen", "Bari"),
        ("Aachen", "Essen"),
        ("Cork", "Dublin"),
    ]
    assert trim is not None
    assert trim.message == (
        "The 3 strongest of 6 co-partnerships are drawn: those sharing at least 2 networks."
    )


def test_a_graph_within_the_bound_is_drawn_whole() -> None:
    graph = make_graph()
    assert trim_edges(graph, 6) == (graph, None)


def test_a_trimmed_member_network_graph_names_the_bipartite_export_with_the_filters() -> None:
    graph = nx.Graph([("a", "n"), ("b", "n"), ("c", "n")])
    graph.nodes["n"]["kind"] = "network"
    _, trim = trim_edges(graph, 2, Filters(programmes=("URBACT III",), countries=("PL",)))
    assert trim is not None
    assert trim.message == "The first 2 of 3 memberships are drawn (by name)."
    assert trim.command == (
        "citynet export bipartite --programme 'URBACT III' --country PL -o bipartite.graphml"
    )


# --- the seed site with --max-edges 100 ----------------------------------------------------------
# The seed city-city graph (tests/test_network.py, test_city_graph_counts): 37 cities and 120
# co-partnerships, each of one shared network; so city-city.html and the map keep 100 of them, the
# first by name. The member-network pages have fewer edges than 100 (graph.html: the memberships of
# graph/*.yaml), so they are drawn whole.
TRIMMED_MESSAGE = (
    "The 100 strongest of 120 co-partnerships are drawn: all 120 share exactly 1 network, "
    "so the first 100 by name."
)


@pytest.fixture(scope="module")
def trimmed_site(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("trimmed") / "site"
    result = invoke("visualize", "--max-edges", "100", "-o", str(folder), store=seed_store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "city-city.html draws the 100 strongest of its 120 edges (--max-edges)",
        "map.html draws the 100 strongest of its 120 edges (--max-edges)",
        f"Open {folder / 'index.html'}",
    ]
    return folder


def test_the_index_lists_drawn_and_total_edges(trimmed_site: Path) -> None:
    html = (trimmed_site / "index.html").read_text(encoding="utf-8")
    assert "<td>37</td><td>100 drawn of 120 (the strongest)</td>" in html
    assert html.count("drawn of") == 2  # city-city.html and map.html; graph.html is whole


@pytest.mark.parametrize("path", ["city-city.html", "map.html"])
def test_a_trimmed_page_draws_its_bound_and_says_so(
    browser: tuple[Any, Any], trimmed_site: Path, path: str
) -> None:
    page, watch = browser
    watch.clear()
    open_ready(page, (trimmed_site / path).as_uri())
    assert watch.errors == watch.outside == []
    assert page.evaluate("[citynet.nodes.length, citynet.edges.length]") == [37, 100]
    assert page.locator("#trimmed").inner_text() == (
        f"{TRIMMED_MESSAGE} The rest: citynet export city-city -o city-city.graphml (or raise --max-edges)."
    )
    assert page.locator("#count-edges").inner_text() == "100"
    # No lead edges here: every edge is drawn in the page's grey (EDGE_COLOUR), none in its node's.
    colours = (
        "Object.values(citynet.network.body.edges).map(e => [e.options.color.color, e.options.color.inherit])"
    )
    assert {tuple(pair) for pair in page.evaluate(colours)} == {("#78808c", False)}
    # Every drawn co-partnership carries its years (or says it has none) for the period filter.
    assert page.evaluate("citynet.data.edges.every(e => e.years || e.undated)")
    page.click("#table-view summary")
    assert page.locator("#table-edges tbody tr").count() == 100
    assert page.locator("#table-edges caption").inner_text() == "Edges: the 100 drawn of 120"


def test_the_map_flows_come_from_the_whole_graph(seed_store: Path, site: Path, tmp_path: Path) -> None:
    # With one co-partnership drawn, the map still joins every pair of countries whose members share a
    # network: Latvia and Poland share two (tests/test_site_map.py), as on the whole map.
    api.visualize(tmp_path / "one", store_dir=seed_store, max_edges=1)
    html = (tmp_path / "one" / "map.html").read_text(encoding="utf-8")
    whole = (site / "map.html").read_text(encoding="utf-8")
    assert '<span id="count-edges" data-total="120">1</span> of 120 edges' in html
    assert '<line data-from="LV" data-to="PL" data-weight="2"' in html
    assert html.count("<line data-from=") == whole.count("<line data-from=") > 1
