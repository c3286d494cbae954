"""The edge bound of the site's graph pages (``citynet visualize --max-edges``).

A page whose graph has more edges than the bound draws all its nodes but only its ``max_edges``
strongest edges: by ``weight`` (co-partnerships: the networks two members share; a membership
weighs 1), ties broken by the two ends' labels, then their IRIs, so the same graph always keeps the
same edges. The page says so (:attr:`Trim.message`) and names the command that writes the whole
graph (:attr:`Trim.command`). Whatever a page shows beside its edges is computed from the whole
graph before it is trimmed: the map's country flows and every item's year spans
(:mod:`~citynet.site.timeline`) ride along on the edges and in ``graph.graph``.

>>> g = nx.Graph()
>>> g.add_edges_from([("a", "b", {"weight": 3}), ("b", "c", {"weight": 1}), ("a", "c", {"weight": 1})])
>>> g.graph["kind"] = "city"
>>> trimmed, trim = trim_edges(g, 2)
>>> sorted(trimmed.edges()), trimmed.number_of_nodes(), trim.total, trim.least
([('a', 'b'), ('a', 'c')], 3, 3, 1)
>>> trim.message.split(": ")[0]
'The 2 strongest of 3 co-partnerships are drawn'
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

import networkx as nx

from citynet.graphs.memberships import Filters

MAX_EDGES = 5_000  # the 100k synthetic map within 2 s in Chromium: docs/benchmarks-site.md
PROJECTED = ("city", "organisation")  # ``graph.graph["kind"]`` of a co-partnership graph


@dataclass(frozen=True)
class Trim:
    """What a trimmed page left out: it draws ``drawn`` of ``total`` edges, the weakest weighing
    ``least`` (``at_least`` of the ``tied`` edges of that weight are drawn)."""

    drawn: int
    total: int
    least: int
    tied: int
    at_least: int
    projected: bool  # co-partnerships (weighted); else memberships
    command: str

    @property
    def message(self) -> str:
        """The page's plain words on what it draws.

        >>> Trim(2, 5, 1, 3, 3, False, "").message
        'The first 2 of 5 memberships are drawn (by name).'
        """
        if not self.projected:
            return f"The first {self.drawn:,} of {self.total:,} memberships are drawn (by name)."
        networks = f"{self.least:,} {plural(self.least, 'network')}"
        if self.at_least == self.tied:
            shared = f"those sharing at least {networks}"
        elif self.at_least == self.drawn:
            shared = f"all {self.tied:,} share exactly {networks}, so the first {self.drawn:,} by name"
        else:
            shared = (
                f"those sharing more than {networks}, and the first {self.at_least:,} by name of the "
                f"{self.tied:,} sharing exactly {self.least:,}"
            )
        return f"The {self.drawn:,} strongest of {self.total:,} co-partnerships are drawn: {shared}."


def plural(count: int, noun: str) -> str:
    """``noun`` with an s unless ``count`` is one.

    >>> plural(1, "network"), plural(2, "network")
    ('network', 'networks')
    """
    return noun if count == 1 else f"{noun}s"


def rank_key(graph: nx.Graph, u: str, v: str) -> tuple[Any, ...]:
    """An edge's place in the order of strength: heaviest first, then by its ends' labels and IRIs
    (the smaller end first), whichever way round the graph holds it.

    >>> g = nx.Graph([("b", "a", {"weight": 2})]); g.nodes["a"]["label"] = "Zagreb"
    >>> rank_key(g, "b", "a")
    (-2, ('Zagreb', 'a'), ('b', 'b'))
    """
    ends = sorted((str(graph.nodes[n].get("label", n)), str(n)) for n in (u, v))
    return (-graph.edges[u, v].get("weight", 1), ends[0], ends[1])


def rank_edges(graph: nx.Graph) -> list[tuple[str, str]]:
    """The edges of ``graph``, strongest first (:func:`rank_key`).

    >>> g = nx.Graph([("c", "d", {"weight": 1}), ("a", "b", {"weight": 1}), ("d", "e", {"weight": 2})])
    >>> rank_edges(g)
    [('d', 'e'), ('a', 'b'), ('c', 'd')]
    """
    return sorted(graph.edges(), key=lambda edge: rank_key(graph, *edge))


def write_export(graph_name: str, filters: Filters) -> str:
    """The ``citynet export`` command line that writes the whole graph ``graph_name`` with ``filters``.

    >>> write_export("city-city", Filters(programmes=("URBACT III",), min_weight=2))
    "citynet export city-city --programme 'URBACT III' --min-weight 2 -o city-city.graphml"
    """
    options = [f"--{name} {value}".strip() for name, value in list_options(filters)]
    return " ".join(["citynet export", graph_name, *options, f"-o {graph_name}.graphml"])


def list_options(filters: Filters) -> list[tuple[str, str]]:
    """The command-line options that select what ``filters`` selects, values quoted for a shell.

    >>> list_options(Filters(countries=("PL", "AT"), kind="organisation", include_located=True))
    [('country', 'PL'), ('country', 'AT'), ('kind', 'organisation'), ('located', '')]
    """
    return [
        (name, "" if name == "located" else shlex.quote(value)) for name, value in filters.list_settings()
    ]


def trim_edges(
    graph: nx.Graph, max_edges: int, filters: Filters | None = None
) -> tuple[nx.Graph, Trim | None]:
    """``graph`` itself and None when it has at most ``max_edges`` edges; else a graph with all its
    nodes and its graph attributes but only its ``max_edges`` strongest edges, and what was left out
    (``filters``: the site's, for the command that exports the whole graph).

    >>> g = nx.Graph([("a", "n"), ("b", "n")]); g.nodes["n"]["kind"] = "network"
    >>> trimmed, trim = trim_edges(g, 1)
    >>> list(trimmed.edges()), trim.command
    ([('a', 'n')], 'citynet export bipartite -o bipartite.graphml')
    """
    if graph.number_of_edges() <= max_edges:
        return graph, None
    ranked = rank_edges(graph)
    kept = ranked[:max_edges]
    trimmed = nx.Graph()
    trimmed.graph.update(graph.graph)
    trimmed.add_nodes_from(graph.nodes(data=True))
    trimmed.add_edges_from((u, v, graph.edges[u, v]) for u, v in kept)
    weights = [graph.edges[edge].get("weight", 1) for edge in ranked]
    least = weights[max_edges - 1]
    projected = graph.graph.get("kind") in PROJECTED
    return trimmed, Trim(
        drawn=len(kept),
        total=len(ranked),
        least=least,
        tied=weights.count(least),
        at_least=weights[:max_edges].count(least),
        projected=projected,
        command=write_export("city-city" if projected else "bipartite", filters or Filters()),
    )
