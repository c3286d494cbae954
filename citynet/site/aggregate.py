"""The whole-graph page at any size: above ``--max-nodes`` the member-network graph is aggregated.

A member-network graph of thousands of nodes cannot be read (and above ``--max-nodes`` it is not
drawn), so ``graph.html`` then shows it aggregated, and says so and why:

- **country-country**: a node per country, sized by its members (cities and organisations), at
  its place on the map; an edge per pair of countries whose members share networks, as wide as the
  number they share -- the projection :mod:`citynet.site.geomap` draws as the map's flows;
- **programme-country** (``programme-country.html``, linked from it): a table of the number of
  networks of each programme that have a member in each country.

>>> g = nx.Graph([("a", "n"), ("b", "n"), ("c", "n")])
>>> g.add_nodes_from([("a", {"kind": "city", "country": "AT"}), ("b", {"kind": "city", "country": "PL"})])
>>> g.add_nodes_from([("c", {"kind": "organisation", "country": "PL"})])
>>> g.nodes["n"].update(kind="network", label="OP-ACT", programme="URBACT II")
>>> countries = build_country_graph(g)
>>> countries.nodes["PL"]["members"], countries.edges["AT", "PL"]["weight"]
(2, 1)
>>> plan_matrix(g).cells
{'URBACT II': {'AT': 1, 'PL': 1}}
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from citynet.graphs.memberships import Filters
from citynet.graphs.network import project
from citynet.site.about import Entry, Section
from citynet.site.basemap import draw_countries
from citynet.site.geomap import to_country_networks
from citynet.site.layout import place_unlocated
from citynet.site.style import name_country

AGGREGATED = "graph.html"
AGGREGATED_VIEW = "the member-network graph aggregated by country (too many nodes to draw one by one)"
MATRIX = "programme-country.html"
NAMED = 10  # networks named on a country-country edge; the rest are counted
NO_PROGRAMME = "(no programme)"


@dataclass
class Matrix:
    """Networks by programme (rows) and country (columns): ``cells[programme][code]``."""

    programmes: list[tuple[str, int]] = field(default_factory=list)  # (programme, its networks)
    countries: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    cells: dict[str, dict[str, int]] = field(default_factory=dict)


def count_members(bipartite: nx.Graph) -> Counter[str]:
    """The members (cities and organisations) of each country, by ISO code.

    >>> g = nx.Graph([("a", "n")]); g.nodes["a"].update(kind="city", country="AT")
    >>> count_members(g)
    Counter({'AT': 1})
    """
    return Counter(
        attrs["country"]
        for _, attrs in bipartite.nodes(data=True)
        if attrs.get("kind") in ("city", "organisation") and attrs.get("country")
    )


def size_country(members: int) -> float:
    """The drawn size of a country with this many members: grows with the square root, capped at 120
    (the page shows all Europe, some 4,000 canvas units across).

    >>> size_country(0), size_country(100), size_country(10_000)
    (15.0, 45.0, 120.0)
    """
    return round(min(120.0, 15.0 + 3.0 * members**0.5), 1)


def build_country_graph(bipartite: nx.Graph) -> nx.Graph:
    """Countries (nodes by ISO code, ``members``, ``size``) linked by the networks their members share
    (``weight``; ``networks`` names the first :data:`NAMED` and counts the rest)."""
    graph = project(to_country_networks(bipartite), "country", "networks")
    members = count_members(bipartite)
    for code, attrs in graph.nodes(data=True):
        attrs.update(label=name_country(code), members=members[code], size=size_country(members[code]))
    for _, _, attrs in graph.edges(data=True):
        names = attrs["networks"]
        if len(names) > NAMED:
            attrs["networks"] = [*names[:NAMED], f"and {len(names) - NAMED} more"]
    return graph


def plan_matrix(bipartite: nx.Graph) -> Matrix:
    """How many networks of each programme have a member in each country; programmes by their
    number of networks, countries by their number of members (the most first)."""
    cells: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for network, attrs in bipartite.nodes(data=True):
        if attrs.get("kind") != "network":
            continue
        programme = attrs.get("programme") or NO_PROGRAMME
        totals[programme] += 1
        for code in {bipartite.nodes[m].get("country") for m in bipartite[network]} - {None}:
            cells[programme][code] += 1
    members = count_members(bipartite)
    codes = sorted({c for row in cells.values() for c in row}, key=lambda c: (-members[c], c))
    return Matrix(
        programmes=sorted(totals.items(), key=lambda item: (-item[1], item[0])),
        countries=[(code, name_country(code)) for code in codes],
        cells={p: dict(sorted(row.items())) for p, row in sorted(cells.items())},
    )


def place_countries(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Each country at its label point on the map; those the map lacks in a row under it."""
    centres = {c.code: c.centre for c in draw_countries() if c.code in graph}
    return place_unlocated(graph, centres)


def explain(nodes: int, max_nodes: int, graph: nx.Graph) -> list[Section]:
    """What the aggregated page says about itself: that it is aggregated, why, and what it draws."""
    return [
        Section(
            "Aggregated view",
            [
                Entry(
                    f"The member-network graph has {nodes:,} nodes, more than --max-nodes "
                    f"({max_nodes:,}): too many to draw or read, so this page shows it by country."
                ),
                Entry(
                    f"{graph.number_of_nodes()} countries, each sized by its members (cities and "
                    "organisations); an edge joins two countries whose members share networks, "
                    "as wide as the number shared."
                ),
                Entry("Networks by programme and country (a table)", MATRIX),
                Entry("The same countries and flows on the map", "map.html"),
                Entry("Find a network, city or organisation: the index's search", "index.html"),
            ],
        )
    ]


def write_aggregate(
    templates: jinja2.Environment, folder: Path, bipartite: nx.Graph, max_nodes: int, filters: Filters
) -> dict[str, Any]:
    """Write ``programme-country.html`` into ``folder``; returns what ``graph.html`` shows instead of
    ``bipartite``: the fields of a :class:`citynet.site.pages.Page` but its path."""
    matrix = plan_matrix(bipartite)
    html = templates.get_template("matrix.html").render(
        matrix=matrix, filters=filters.describe(), max_nodes=max_nodes
    )
    (folder / MATRIX).write_text(html, encoding="utf-8")
    graph = build_country_graph(bipartite)
    return {
        "title": "Countries and the networks their members share (aggregated)",
        "what": "country-country graph, aggregated from the member-network graph",
        "graph": graph,
        "positions": place_countries(graph),
        "about": explain(bipartite.number_of_nodes(), max_nodes, graph),
    }
