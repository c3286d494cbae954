"""Node positions computed before the page opens: force-directed for large graphs, geographic maps.

Small graphs are laid out in the browser (vis-network's physics, stopped once settled); above
:data:`LAYOUT_NODES` nodes that takes too long, so igraph's Fruchterman-Reingold (grid variant,
seeded) places them here and the page starts still.

>>> positions = layout_geographic(nx.Graph([("a", "b")]), {"a": (50.06, 19.94), "b": (46.23, 15.26)})
>>> positions["a"][1] < positions["b"][1]     # north is up
True
"""

from __future__ import annotations

import random

import igraph
import networkx as nx

from citynet.site.basemap import project

LAYOUT_NODES = 300
SPREAD = 25.0  # canvas units between neighbours in a precomputed layout


def layout_force(graph: nx.Graph, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Force-directed positions (igraph Fruchterman-Reingold, grid variant), the same in every run.

    >>> sorted(layout_force(nx.path_graph(3)))
    [0, 1, 2]
    """
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    lattice = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges])
    igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = lattice.layout_fruchterman_reingold(grid=len(nodes) > 1000, niter=500)
    finally:
        igraph.set_random_number_generator(random)
    return {
        node: (round(x * SPREAD, 1), round(y * SPREAD, 1)) for node, (x, y) in zip(nodes, coords, strict=True)
    }


def layout_geographic(
    graph: nx.Graph, coordinates: dict[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """Canvas positions from (lat, lon): the map's projection (:func:`citynet.site.basemap.project`).

    Nodes without coordinates are left out (the page puts them in a row under the map).
    """
    return {node: project(lat, lon) for node, (lat, lon) in coordinates.items() if node in graph}


def place_unlocated(
    graph: nx.Graph, positions: dict[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """Positions for every node: those without one in a row under the others.

    >>> place_unlocated(nx.Graph([("a", "b")]), {"a": (0.0, 0.0)})["b"]
    (0.0, 80.0)
    """
    missing = [n for n in graph if n not in positions]
    bottom = max((y for _, y in positions.values()), default=0.0) + 80.0
    left = min((x for x, _ in positions.values()), default=0.0)
    return {**positions, **{node: (left + 60.0 * i, bottom) for i, node in enumerate(missing)}}
