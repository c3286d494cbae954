"""The map page's layers: the countries under the cities and the country-to-country flows.

The countries come from :mod:`citynet.site.basemap`; a flow joins two countries whose members share
networks (the country-country projection of :mod:`citynet.graphs.network`), drawn between the
countries' label points, its width and opacity growing with the number of networks they share (in
proportion to the largest such number).
On the map a lead partner is a star as well as gold-rimmed, so it stands out without colour.

>>> g = nx.Graph([("a", "n"), ("b", "n")])
>>> g.add_nodes_from([("a", {"kind": "city", "country": "AT"}), ("b", {"kind": "city", "country": "PL"})])
>>> g.nodes["n"].update(kind="network", label="OP-ACT")
>>> [(f["from"], f["to"], f["weight"]) for f in plan_flows(g, draw_countries())]
[('AT', 'PL', 1)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from citynet.graphs.network import project
from citynet.site.basemap import Country, draw_countries
from citynet.site.style import name_country

LABELLED_AREA = 15_000.0  # canvas units squared (about 13,000 km²): smaller countries go unnamed
FLOW_NAMES = 5  # networks named in a flow's tooltip; the rest are counted


@dataclass
class MapLayers:
    """What the map page draws around the graph: countries (with their labels) and flows."""

    countries: list[Country] = field(default_factory=list)
    labels: list[Country] = field(default_factory=list)
    flows: list[dict[str, Any]] = field(default_factory=list)


def to_country_networks(bipartite: nx.Graph) -> nx.Graph:
    """The country-network graph: a country (its ISO code) joins a network when one of its members does.

    >>> g = nx.Graph([("a", "n")]); g.nodes["a"].update(kind="city", country="AT")
    >>> g.nodes["n"]["kind"] = "network"
    >>> sorted(to_country_networks(g).edges())
    [('AT', 'n')]
    """
    graph = nx.Graph()
    for u, v in bipartite.edges():
        member, network = (u, v) if bipartite.nodes[v].get("kind") == "network" else (v, u)
        code = bipartite.nodes[member].get("country")
        if code and bipartite.nodes[network].get("kind") == "network":
            graph.add_node(code, kind="country", country=code, bipartite=0)
            graph.add_node(network, **{**bipartite.nodes[network], "bipartite": 1})
            graph.add_edge(code, network)
    return graph


def plan_flows(bipartite: nx.Graph, countries: tuple[Country, ...]) -> list[dict[str, Any]]:
    """The flows between countries on the map, lightest first (so the heaviest are drawn on top)."""
    centres = {c.code: c.centre for c in countries if c.code}
    shared = project(to_country_networks(bipartite), "country", "networks")
    heaviest = max((w for _, _, w in shared.edges(data="weight")), default=1)
    flows = []
    for u, v, attrs in shared.edges(data=True):
        if u not in centres or v not in centres:
            continue
        first, second = sorted((u, v))
        flows.append(
            {
                "from": first,
                "to": second,
                "weight": attrs["weight"],
                "x1": centres[first][0],
                "y1": centres[first][1],
                "x2": centres[second][0],
                "y2": centres[second][1],
                "width": round(0.6 + 9.4 * attrs["weight"] / heaviest, 1),
                "opacity": round(0.3 + 0.6 * attrs["weight"] / heaviest, 2),
                "title": write_flow_title(first, second, attrs["networks"]),
            }
        )
    return sorted(flows, key=lambda f: (f["weight"], f["from"], f["to"]))


def write_flow_title(first: str, second: str, networks: list[str]) -> str:
    """A flow's tooltip: the two countries and the networks they share (the first few, named).

    >>> write_flow_title("LV", "PL", ["Cities of change", "OP-ACT"]).split(": ")[1]
    '2 shared networks (Cities of change, OP-ACT)'
    """
    named = ", ".join(networks[:FLOW_NAMES])
    if len(networks) > FLOW_NAMES:
        named += f" and {len(networks) - FLOW_NAMES} more"
    plural = "s" if len(networks) > 1 else ""
    pair = f"{name_country(first)} \N{EN DASH} {name_country(second)}"
    return f"{pair}: {len(networks)} shared network{plural} ({named})"


def plan_map(bipartite: nx.Graph) -> MapLayers:
    """The layers of the map page of the member-network graph ``bipartite``."""
    countries = draw_countries()
    return MapLayers(
        countries=list(countries),
        labels=[c for c in countries if c.code and c.area >= LABELLED_AREA],
        flows=plan_flows(bipartite, countries),
    )


def mark_leads(data: dict[str, Any], leads: dict[str, list[str]]) -> None:
    """Draw the lead partners among a page's nodes as stars, with a thinner gold rim (their ★ stays):
    at a map's scale a thick rim would hide the star's colour, its country's.

    >>> data = {"nodes": [{"id": "a", "shape": "dot"}, {"id": "b", "shape": "dot"}]}
    >>> mark_leads(data, {"a": ["OP-ACT"]}); [n["shape"] for n in data["nodes"]]
    ['star', 'dot']
    """
    for node in data["nodes"]:
        if leads.get(node["id"]):
            node["shape"] = "star"
            node["borderWidth"] = 2
