"""`citynet analyze` at keep.eu's size: betweenness exact or sampled, and a sample always said to be one.

Nothing here is timed; the seconds are measured by ``bench/analyze_scale.py``.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import networkx as nx
import pytest

from citynet import api
from citynet.errors import QueryError
from citynet.graphs.betweenness import Sampling, compute_betweenness
from citynet.graphs.metrics import compute_eigenvector, compute_metrics
from citynet.graphs.network import GRAPHS, build_graph
from citynet.store.embedded import EmbeddedStore

from .conftest import invoke
from .keep_like import generate_keep_like


@pytest.fixture(scope="module")
def keep_like() -> nx.Graph:
    return generate_keep_like()


def test_keep_like_graph_has_keep_eu_shape(keep_like: nx.Graph) -> None:
    projects = [n for n, d in keep_like.nodes(data="bipartite") if d == 1]
    sizes = sorted(keep_like.degree(p) for p in projects)
    counts = [d for n, d in keep_like.degree() if n not in set(projects)]
    assert len(projects) == 1891 and len(keep_like) - len(projects) == 5000
    assert 8500 < keep_like.number_of_edges() <= 8621  # a partner drawn twice for a project counts once
    assert sizes[len(sizes) // 2] == 4 and sizes[0] >= 1 and sizes[-1] <= 60
    assert max(counts) <= 30 and sorted(counts)[len(counts) // 2] == 1


def test_exact_betweenness_by_hand() -> None:
    # A path a-b-c-d and an isolated e: each node has C(4, 2) = 6 pairs of other nodes; b lies on
    # the paths a-c and a-d, c on a-d and b-d: 2/6 each.
    path = nx.path_graph(["a", "b", "c", "d"])
    path.add_node("e")
    scores, method = compute_betweenness(path)
    assert method == "exact"
    assert scores == pytest.approx({"a": 0.0, "b": 1 / 3, "c": 1 / 3, "d": 0.0, "e": 0.0})
    # A square a-b-c-d-a: of b's 3 pairs of other nodes only a-c may pass b, on one of its two
    # shortest paths: 0.5 / 3.
    square, _ = compute_betweenness(nx.cycle_graph(["a", "b", "c", "d"]))
    assert square == pytest.approx(dict.fromkeys("abcd", 1 / 6))


@pytest.mark.parametrize("name", list(GRAPHS))
def test_exact_betweenness_equals_networkx_on_the_seed_graphs(seed: EmbeddedStore, name: str) -> None:
    # Below the threshold nothing changed: the values networkx gave before, to rounding.
    graph = build_graph(seed, name)
    metrics = compute_metrics(graph)
    expected = nx.betweenness_centrality(graph)
    assert {r["node"]: r["betweenness"] for r in metrics} == pytest.approx(expected, abs=1e-12)
    assert metrics.methods == {"betweenness": "exact"}
    assert metrics.list_estimated() == []


def test_eigenvector_by_hand() -> None:
    # A star of 3 leaves (bipartite: eigenvalues +sqrt(3) and -sqrt(3)): centre x, leaves x / sqrt(3),
    # unit length: x = 1/sqrt(2), leaves 1/sqrt(6). A path a-b-c: (1, sqrt(2), 1) / 2. Isolated: 0.
    graph = nx.star_graph(["hub", "l1", "l2", "l3"])
    graph.add_edges_from([("a", "b"), ("b", "c")])
    graph.add_node("alone")
    expected = {"hub": 1 / math.sqrt(2), **dict.fromkeys(["l1", "l2", "l3"], 1 / math.sqrt(6))}
    expected |= {"a": 0.5, "b": 1 / math.sqrt(2), "c": 0.5, "alone": 0.0}
    assert compute_eigenvector(graph) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("name", list(GRAPHS))
def test_eigenvector_equals_networkx_on_the_seed_graphs(seed: EmbeddedStore, name: str) -> None:
    # igraph's values; networkx's power iteration stops at a tolerance of n x 1e-6.
    graph = build_graph(seed, name)
    expected = {}
    for nodes in nx.connected_components(graph):
        sub = graph.subgraph(nodes)
        expected |= nx.eigenvector_centrality(sub, max_iter=1000, weight="weight") if len(nodes) > 1 else {}
    expected |= {node: 0.0 for node in graph if graph.degree(node) == 0}
    assert compute_eigenvector(graph) == pytest.approx(expected, abs=1e-4)


def test_eigenvector_repeats_to_the_last_digit(seed: EmbeddedStore) -> None:
    # ARPACK starts from a random vector (unseeded, Kraków's score varied in its 16th digit): seeded,
    # every run gives the same floats.
    graph = build_graph(seed, "city-city")
    first = compute_eigenvector(graph)
    assert all(compute_eigenvector(graph) == first for _ in range(10))


def test_keep_eu_size_is_exact_by_default(keep_like: nx.Graph) -> None:
    assert Sampling().describe(keep_like) == "exact"
    assert Sampling(above=5000).describe(keep_like) == f"sampled k=500 of {len(keep_like):,} nodes, seed 1"


def test_sampled_betweenness_is_flagged(keep_like: nx.Graph) -> None:
    metrics = compute_metrics(keep_like, Sampling(above=5000, k=300, seed=7))
    method = f"sampled k=300 of {len(keep_like):,} nodes, seed 7"
    assert metrics.methods == {"betweenness": method}
    assert metrics.list_estimated() == [f"betweenness: {method}"]
    assert len(metrics) == len(keep_like)


def test_sample_is_reproducible(keep_like: nx.Graph) -> None:
    sampling = Sampling(above=5000, k=200, seed=3)
    first, _ = compute_betweenness(keep_like, sampling)
    again, _ = compute_betweenness(keep_like, sampling)
    assert first == again  # the same floats, not only close ones
    # The same graph built in another order: the sample is drawn from the nodes sorted by id.
    shuffled = list(keep_like.edges)
    random.Random(0).shuffle(shuffled)
    reordered = nx.Graph(shuffled)
    reordered.add_nodes_from(keep_like)
    assert compute_betweenness(reordered, sampling)[0] == first
    other, _ = compute_betweenness(keep_like, Sampling(above=5000, k=200, seed=4))
    assert other != first


@pytest.mark.skipif(
    tuple(int(x) for x in nx.__version__.split(".")[:2]) < (3, 6),
    reason="networkx < 3.6 scales samples otherwise",
)
def test_sample_equals_networkx_estimator() -> None:
    # networkx draws its k sources with random.Random(seed).sample(list(G), k): on a graph whose
    # nodes are in sorted order it picks the sources citynet picks, and must give the same numbers.
    graph = nx.gnm_random_graph(300, 700, seed=5)
    graph.add_nodes_from(range(300, 305))  # isolated nodes
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph, key=str))
    ordered.add_edges_from(graph.edges)
    scores, _ = compute_betweenness(ordered, Sampling(above=100, k=40, seed=7))
    assert scores == pytest.approx(nx.betweenness_centrality(ordered, k=40, seed=7), abs=1e-12)


@pytest.mark.slow  # exact betweenness at keep.eu's size: about 2 s, more on a busy machine
def test_sample_ranks_the_brokers_like_the_exact_values(keep_like: nx.Graph) -> None:
    exact, _ = compute_betweenness(keep_like, Sampling(exact=True))
    sampled, _ = compute_betweenness(keep_like, Sampling(above=5000))
    top_exact = sorted(exact, key=exact.get, reverse=True)[:10]
    top_sampled = set(sorted(sampled, key=sampled.get, reverse=True)[:20])
    assert set(top_exact) <= top_sampled
    assert max(abs(sampled[n] - exact[n]) for n in top_exact) < 0.15 * exact[top_exact[0]]


def test_a_sample_of_fewer_than_two_is_refused() -> None:
    with pytest.raises(QueryError, match="sample at least 2"):
        Sampling(k=1)


def test_analyze_says_on_stderr_when_it_samples(seed_store: Path) -> None:
    # The seed's city-city graph has 37 cities.
    default = invoke("analyze", "--top", "37", store=seed_store)
    sampled = invoke("analyze", "--top", "37", "--sample-above", "10", "--sample", "5", store=seed_store)
    exact = invoke("analyze", "--top", "37", "--sample-above", "10", "--exact", store=seed_store)
    assert (default.returncode, sampled.returncode, exact.returncode) == (0, 0, 0)
    assert default.stderr == exact.stderr == ""
    assert (
        sampled.stderr
        == "betweenness: sampled k=5 of 37 nodes, seed 1 (an estimate; --exact for exact values)\n"
    )
    assert exact.stdout == default.stdout != sampled.stdout


def test_api_returns_the_method(seed_store: Path) -> None:
    rows = api.analyze("city-city", store_dir=seed_store, sampling=api.Sampling(above=10, k=5, seed=2))
    assert rows.methods == {"betweenness": "sampled k=5 of 37 nodes, seed 2"}
    assert api.analyze("city-city", store_dir=seed_store).methods == {"betweenness": "exact"}


def test_analyze_refuses_a_sample_of_one(seed_store: Path) -> None:
    result = invoke("analyze", "--sample", "1", store=seed_store)
    assert result.returncode == 2
    assert "Invalid value for '--sample'" in result.stderr
