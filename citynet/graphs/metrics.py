"""Node metrics of a partnership graph, one row per node, ranked.

Per node: ``degree``; ``weighted_degree`` (sum of edge weights, a missing weight counting 1);
``betweenness`` (normalised, unweighted: weights count shared networks, not distances; exact up to
10,000 nodes, estimated from a fixed sample of nodes above, see :mod:`citynet.graphs.betweenness`);
``eigenvector`` centrality (igraph's), computed within the node's connected component (each component's
scores have unit length; an isolated node scores 0), since on a disconnected graph one
component's leading eigenvector would zero the others; ``clustering`` (unweighted);
``component`` and ``community`` numbers (networkx's Louvain, ``seed=42``, so results repeat),
both numbered by size, largest first, ties by smallest label; and the broker scores
``partner_countries`` (distinct countries among the node's neighbours) and ``partner_programmes``
(distinct programmes of the networks linking it to them).

Rows are ranked by weighted degree, highest first, then by label. They come as a :class:`Metrics`
list whose ``methods`` say how each metric was computed.

At keep.eu's size (the bipartite graph of 1,900 projects and 8,600 memberships: 6,900 nodes) the
other metrics take under a second together (``bench/analyze_scale.py``): eigenvector centrality and
Louvain grow with the edges, clustering with the squared degrees, the partner counts with the edges;
at five times that size, Louvain (networkx, pure Python) is the slowest.
On a bipartite graph ``clustering`` is 0 everywhere: it counts triangles, and a bipartite graph has none.

>>> graph = nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 1})])
>>> metrics = compute_metrics(graph)
>>> [(r["node"], r["weighted_degree"], r["betweenness"]) for r in metrics]
[('b', 3, 1.0), ('a', 2, 0.0), ('c', 1, 0.0)]
>>> metrics.methods["betweenness"]
'exact'
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import igraph
import networkx as nx

from citynet.errors import QueryError
from citynet.folders import atomic_write
from citynet.graphs.betweenness import Sampling, compute_betweenness, to_igraph

COLUMNS = [
    "node",
    "label",
    "kind",
    "country",
    "degree",
    "weighted_degree",
    "betweenness",
    "eigenvector",
    "clustering",
    "component",
    "community",
    "partner_countries",
    "partner_programmes",
]

SEED = 42


def number_groups(graph: nx.Graph, groups: Iterable[set]) -> dict[Any, int]:
    """Number groups of nodes 0, 1, …: largest first, ties by their smallest (label, node).

    >>> number_groups(nx.Graph(), [{"d"}, {"c"}, {"a", "b"}])
    {'a': 0, 'b': 0, 'c': 1, 'd': 2}
    """

    def key(group: set) -> tuple:
        return -len(group), min(
            (str(graph.nodes[n].get("label", n)) if n in graph else str(n), str(n)) for n in group
        )

    return {
        node: number
        for number, group in enumerate(sorted(groups, key=key))
        for node in sorted(group, key=str)
    }


def to_subgraph(graph: nx.Graph, nodes: set) -> nx.Graph:
    """The subgraph on ``nodes``, nodes and edges in sorted order: floating-point sums over them
    then come out the same in every run (a subgraph view would follow the set's order).

    >>> list(to_subgraph(nx.Graph([("c", "b"), ("b", "a"), ("a", "d")]), {"c", "b", "a"}))
    ['a', 'b', 'c']
    """
    sub = nx.Graph()
    sub.add_nodes_from(sorted(nodes, key=str))
    edges = ([*sorted((u, v), key=str), d] for u, v, d in graph.subgraph(nodes).edges(data=True))
    sub.add_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    return sub


def score_component(sub: nx.Graph) -> dict[Any, float]:
    """Eigenvector centrality of a connected graph, unit length, by igraph (ARPACK, in C): networkx's
    power iteration took 0.6 s at keep.eu's size and 7 s at five times that, and stops at a tolerance
    of n x 1e-6, so on large graphs its values differ from igraph's in the third decimal.

    >>> {node: round(score, 4) for node, score in score_component(nx.path_graph(3)).items()}
    {0: 0.5, 1: 0.7071, 2: 0.5}
    """
    nodes = list(sub)
    weights = [weight for _, _, weight in sub.edges(data="weight", default=1)]
    # ARPACK starts from a random vector: seeded, every run gives the same floats
    igraph.set_random_number_generator(random.Random(SEED))
    try:
        values = to_igraph(sub, nodes).eigenvector_centrality(weights=weights)
    finally:
        igraph.set_random_number_generator(random)
    length = math.sqrt(sum(value * value for value in values))
    return {node: value / length for node, value in zip(nodes, values, strict=True)}


def compute_eigenvector(graph: nx.Graph) -> dict[Any, float]:
    """Eigenvector centrality within each connected component; isolated nodes score 0.

    >>> scores = compute_eigenvector(nx.Graph([("a", "b"), ("c", "d")]))
    >>> {node: round(score, 4) for node, score in scores.items()}
    {'a': 0.7071, 'b': 0.7071, 'c': 0.7071, 'd': 0.7071}
    """
    scores: dict[Any, float] = {}
    for nodes in nx.connected_components(graph):
        if len(nodes) == 1:
            scores.update(dict.fromkeys(nodes, 0.0))
            continue
        try:
            scores.update(score_component(to_subgraph(graph, nodes)))
        except igraph.InternalError as exc:
            label = min(str(graph.nodes[n].get("label", n)) for n in nodes)
            raise QueryError(
                f'eigenvector centrality failed in the component of "{label}" ({exc}) '
                f"- report this graph as a bug"
            ) from None
    return scores


def count_partner_values(graph: nx.Graph, node: Any) -> tuple[int, int]:
    """Distinct countries among a node's neighbours, and distinct programmes linking it to them."""
    countries = {graph.nodes[n].get("country") for n in graph[node]} - {None}
    programmes = {graph.nodes[n].get("programme") for n in graph[node]} - {None}
    for _, _, data in graph.edges(node, data=True):
        programmes.update(data.get("programmes", []))
    return len(countries), len(programmes)


class Metrics(list):
    """Metrics rows, ranked, and ``methods``: how each metric was computed, by column, where that
    depends on the graph's size (``{"betweenness": "exact"}`` or ``"sampled k=500 of …"``).

    >>> Metrics([{"node": "a"}], {"betweenness": "exact"}).methods
    {'betweenness': 'exact'}
    """

    def __init__(self, rows: Iterable[dict[str, Any]] = (), methods: dict[str, str] | None = None) -> None:
        super().__init__(rows)
        self.methods = dict(methods or {})

    def list_estimated(self) -> list[str]:
        """The metrics that are estimates, e.g. ``["betweenness: sampled k=500 of 12,000 nodes, seed 1"]``.

        >>> Metrics([], {"betweenness": "exact"}).list_estimated()
        []
        """
        return [f"{column}: {method}" for column, method in self.methods.items() if method != "exact"]


def compute_metrics(graph: nx.Graph, sampling: Sampling | None = None) -> Metrics:
    """One row of metrics per node, ranked by weighted degree then label; ``sampling`` says when
    betweenness is estimated (default: above 10,000 nodes, from 500 of them, seed 1)."""
    betweenness, method = compute_betweenness(graph, sampling)
    eigenvector = compute_eigenvector(graph)
    clustering = nx.clustering(graph)
    components = number_groups(graph, nx.connected_components(graph))
    communities = number_groups(graph, nx.community.louvain_communities(graph, weight="weight", seed=SEED))
    rows = []
    for node, attrs in graph.nodes(data=True):
        countries, programmes = count_partner_values(graph, node)
        rows.append(
            {
                "node": node,
                "label": attrs.get("label", str(node)),
                "kind": attrs.get("kind"),
                "country": attrs.get("country"),
                "degree": graph.degree(node),
                "weighted_degree": graph.degree(node, weight="weight"),
                "betweenness": betweenness[node],
                "eigenvector": eigenvector[node],
                "clustering": float(clustering[node]),
                "component": components[node],
                "community": communities[node],
                "partner_countries": countries,
                "partner_programmes": programmes,
            }
        )
    rows.sort(key=lambda r: (-r["weighted_degree"], str(r["label"]).casefold(), str(r["node"])))
    return Metrics(rows, {"betweenness": method})


def round_floats(row: dict[str, Any], digits: int = 3) -> dict[str, Any]:
    """The row with its floats rounded, for display.

    >>> round_floats({"label": "Kraków", "betweenness": 0.0888888})
    {'label': 'Kraków', 'betweenness': 0.089}
    """
    return {key: round(value, digits) if isinstance(value, float) else value for key, value in row.items()}


def write_metrics(rows: list[dict[str, Any]], path: Path) -> None:
    """Write metrics rows as CSV (every row, full precision, columns as :data:`COLUMNS`).

    Written through a temporary file renamed over ``path``: a full disk leaves the previous file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path, "w") as handle:
            writer = csv.DictWriter(handle, COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        raise QueryError(f'cannot write "{path}": {exc.strerror or exc}') from None
