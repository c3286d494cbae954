"""The index's list of views: the whole-graph pages, what each shows, and how many nodes and edges.

>>> [what for _, _, what, _ in list_views({"graph.html": (44, 564)}, aggregated=True)][0][:40]
'the member-network graph aggregated by c'
>>> list_views({}, aggregated=False)[1][3] is None  # city-city.html not written (too large)
True
"""

from __future__ import annotations

from citynet.site.aggregate import AGGREGATED, AGGREGATED_VIEW

VIEWS = [
    ("graph.html", "Cities, organisations and their networks", "member-network graph"),
    (
        "city-city.html",
        "Cities that share a network",
        "co-partnerships: one edge per pair, width by shared networks",
    ),
    ("map.html", "Co-partnerships on the map", "the city-city graph at the cities' coordinates"),
]


def list_views(
    written: dict[str, tuple[int, int]], aggregated: bool
) -> list[tuple[str, str, str, tuple[int, int] | None]]:
    """Each view's page, title, what it shows (graph.html: aggregated by country when it is) and its
    (nodes, edges), None when it was not written."""
    return [
        (p, t, AGGREGATED_VIEW if p == AGGREGATED and aggregated else w, written.get(p)) for p, t, w in VIEWS
    ]
