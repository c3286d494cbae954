"""Betweenness centrality at any size: exact, or estimated from a fixed sample of source nodes.

Betweenness costs one breadth-first search per node, time growing with nodes x edges: networkx's
pure-Python ``betweenness_centrality`` took 172 s on keep.eu's bipartite graph (about 6,900 nodes,
8,600 edges). igraph runs the same algorithm (Brandes') in C, about 2 s there
(``bench/analyze_scale.py``), so betweenness is exact up to :data:`SAMPLE_ABOVE` nodes. Above that,
only ``k`` source nodes, drawn with a fixed seed from the nodes sorted by id, are searched and the
sums scaled up: the estimator networkx 3.6 uses for ``betweenness_centrality(k=..., seed=...)``,
which gives the same numbers from the same sources (``tests/test_metrics_scale.py``). The method
used comes back with the scores, so a sampled value is never shown as an exact one.

Scores are normalised over the pairs of other nodes and unweighted (edge weights count shared
networks, not distances), as networkx's default.

>>> scores, method = compute_betweenness(nx.path_graph(["a", "b", "c"]))
>>> scores, method
({'a': 0.0, 'b': 1.0, 'c': 0.0}, 'exact')
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import igraph
import networkx as nx

from citynet.errors import QueryError

SAMPLE_ABOVE = 10_000  # nodes; exact betweenness up to here
SAMPLE_K = 500  # source nodes searched above it
SAMPLE_SEED = 1


@dataclass(frozen=True)
class Sampling:
    """When betweenness is estimated: on a graph of more than ``above`` nodes, from ``k`` source
    nodes drawn with ``seed``; never with ``exact``.

    >>> len(Sampling(above=3, k=2).choose_sources(nx.path_graph(["a", "b", "c", "d"])))
    2
    >>> Sampling(above=3, k=2, exact=True).choose_sources(nx.path_graph(["a", "b", "c", "d"])) is None
    True
    """

    above: int = SAMPLE_ABOVE
    k: int = SAMPLE_K
    seed: int = SAMPLE_SEED
    exact: bool = False

    def __post_init__(self) -> None:
        if self.k < 2:
            raise QueryError(f"betweenness sample of {self.k} nodes - sample at least 2")

    def choose_sources(self, graph: nx.Graph) -> list[Any] | None:
        """The source nodes to search, sorted by id; None for all of them (exact betweenness)."""
        if self.exact or len(graph) <= self.above or self.k >= len(graph):
            return None
        return sorted(random.Random(self.seed).sample(sorted(graph, key=str), self.k), key=str)

    def describe(self, graph: nx.Graph) -> str:
        """How betweenness is computed on ``graph``: "exact" or "sampled k=… of … nodes, seed …".

        >>> Sampling(above=2, k=2).describe(nx.path_graph(3))
        'sampled k=2 of 3 nodes, seed 1'
        """
        if self.choose_sources(graph) is None:
            return "exact"
        return f"sampled k={self.k:,} of {len(graph):,} nodes, seed {self.seed}"


def to_igraph(graph: nx.Graph, nodes: list[Any]) -> igraph.Graph:
    """The graph as an igraph graph whose vertex ``i`` is ``nodes[i]`` (edges without attributes).

    >>> to_igraph(nx.Graph([("b", "a")]), ["a", "b"]).get_edgelist()
    [(0, 1)]
    """
    index = {node: i for i, node in enumerate(nodes)}
    return igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges])


def scale_sums(sums: list[float], nodes: list[Any], sources: list[Any] | None) -> dict[Any, float]:
    """Normalise igraph's betweenness sums (each unordered pair counted once) as networkx does:
    over the ``(n-1)(n-2)/2`` pairs of other nodes; from a sample of ``k`` sources, over
    ``k(n-2)/2`` pairs, or ``(k-1)(n-2)/2`` for a source, whose own paths are not counted.

    >>> scale_sums([0.0, 1.0, 0.0], ["a", "b", "c"], None)
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    n = len(nodes)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    if sources is None:
        return {node: 2 * s / ((n - 1) * (n - 2)) for node, s in zip(nodes, sums, strict=True)}
    k, sampled = len(sources), set(sources)
    return {
        node: 2 * s / ((k - 1 if node in sampled else k) * (n - 2))
        for node, s in zip(nodes, sums, strict=True)
    }


def compute_betweenness(graph: nx.Graph, sampling: Sampling | None = None) -> tuple[dict[Any, float], str]:
    """Normalised betweenness of every node, and how it was computed (:meth:`Sampling.describe`)."""
    sampling = sampling or Sampling()
    nodes = sorted(graph, key=str)
    sources = sampling.choose_sources(graph)
    lattice = to_igraph(graph, nodes)
    if sources is None:
        sums = lattice.betweenness(directed=False)
    else:
        index = {node: i for i, node in enumerate(nodes)}
        sums = lattice.betweenness(directed=False, sources=[index[s] for s in sources])
    return scale_sums(sums, nodes, sources), sampling.describe(graph)
