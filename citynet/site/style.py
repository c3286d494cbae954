"""How a partnership graph looks in the browser: vis-network nodes and edges built from networkx.

Colour by the country's region of Europe from a colour-blind-safe palette
(:mod:`citynet.site.palette`; the same country has the same colour on every page and in every
run); shape by kind (city: dot, organisation: square, network: diamond); size by degree; lead
partners with a gold border and a star; edge width by weight. Every node and edge carries its
tooltip as ``info``, a list of ``[key, value]`` text pairs: the page turns them into DOM text nodes,
never into HTML.

>>> pick_colour("PL") == pick_colour("CZ"), pick_colour("PL") != pick_colour("DE")
(True, True)
>>> size_node(1), size_node(16)
(12.0, 24.0)
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx
import pycountry

from citynet.site.palette import NETWORK_COLOUR, pick_region_colour

LEAD_BORDER = "#9a7400"  # a dark gold: 3:1 or more on the page and the map (tests/test_site_palette.py)
EDGE_COLOUR = "#78808c"  # grey, the same
# Every edge but a lead's: the page's default, not each edge's own.
EDGE_STYLE = {"color": EDGE_COLOUR, "highlight": "#000", "hover": "#555", "inherit": False}
SHAPES = {"city": "dot", "organisation": "square", "network": "diamond", "country": "dot"}
LEAD = "lead partner"


def pick_colour(code: str | None) -> str:
    """The colour of a country (ISO code): its region's, colour-blind safe (:mod:`citynet.site.palette`).

    >>> pick_colour("AT"), pick_colour("PL"), pick_colour(None)
    ('#D55E00', '#332288', '#767676')
    """
    return pick_region_colour(code)


def name_country(code: str) -> str:
    """A country's English name from its ISO code (the code if unknown).

    >>> name_country("PL"), name_country("XX")
    ('Poland', 'XX')
    """
    found = pycountry.countries.get(alpha_2=code)
    return found.name if found else code


def size_node(degree: int) -> float:
    """The drawn size of a node of this degree: grows with the square root, capped at 40."""
    return min(40.0, 8.0 + 4.0 * degree**0.5)


def format_period(attrs: dict[str, Any]) -> str | None:
    """``start to end`` of a node or edge, or None.

    >>> format_period({"start": "2013-06", "end": "2015-05-31"}), format_period({})
    ('2013-06 to 2015-05-31', None)
    """
    start, end = attrs.get("start"), attrs.get("end")
    return f"{start or '?'} to {end or '?'}" if start or end else None


def describe_node(attrs: dict[str, Any], lead_of: list[str]) -> list[list[str]]:
    """A node's tooltip: ``[key, value]`` pairs of the facts it carries."""
    country = attrs.get("country")
    pairs = [
        ("", str(attrs.get("label", attrs.get("iri", "")))),
        ("kind", attrs.get("kind")),
        ("country", f"{name_country(country)} ({country})" if country else None),
        ("programme", attrs.get("programme")),
        ("type", attrs.get("type") or attrs.get("organisation_type")),
        ("located in", attrs.get("located_in_label")),
        ("town", attrs.get("town")),
        ("period", format_period(attrs)),
        ("links", str(attrs.get("degree", 0))),
        ("members", attrs.get("members")),
        ("lead partner of", ", ".join(lead_of) or None),
        ("IRI", attrs.get("iri")),
    ]
    return [[key, str(value)] for key, value in pairs if value]


def describe_edge(graph: nx.Graph, u: str, v: str, attrs: dict[str, Any]) -> list[list[str]]:
    """An edge's tooltip: who, role, period and the sources stating it, or what it shares."""
    labels = f"{graph.nodes[u].get('label', u)} and {graph.nodes[v].get('label', v)}"
    shared = attrs.get("networks") or attrs.get("members")
    pairs = [
        ("", labels),
        ("role", attrs.get("role")),
        ("period", format_period(attrs)),
        ("sources", "; ".join(attrs.get("source_titles", [])) or None),
        ("shared", f"{attrs['weight']}: {', '.join(shared)}" if shared else None),
        ("programmes", ", ".join(attrs.get("programmes", [])) or None),
    ]
    return [[key, str(value)] for key, value in pairs if value]


def find_leads(graph: nx.Graph) -> dict[str, list[str]]:
    """The networks each member leads, by member, from the edges' ``role``.

    >>> g = nx.Graph([("a", "n", {"role": "lead partner"}), ("b", "n", {"role": "partner"})])
    >>> g.nodes["n"].update(label="OP-ACT", kind="network")
    >>> find_leads(g)
    {'a': ['OP-ACT']}
    """
    leads: dict[str, list[str]] = {}
    for u, v, role in graph.edges(data="role"):
        if role == LEAD:
            member, network = (u, v) if graph.nodes[v].get("kind") == "network" else (v, u)
            leads.setdefault(member, []).append(str(graph.nodes[network].get("label", network)))
    return {member: sorted(networks) for member, networks in leads.items()}


def to_vis_node(node: str, attrs: dict[str, Any], lead_of: list[str], page: str | None) -> dict[str, Any]:
    """One vis-network node with its colour, shape, size, tooltip and filter values."""
    kind = attrs.get("kind", "city")
    fill = NETWORK_COLOUR if kind == "network" else pick_colour(attrs.get("country"))
    border = LEAD_BORDER if lead_of else fill
    label = str(attrs.get("label", node))
    return {
        "id": node,
        "label": f"{label} ★" if lead_of else label,
        "name": label,
        "kind": kind,
        "shape": SHAPES.get(kind, "dot"),
        "size": attrs.get("size") or size_node(attrs.get("degree", 0)),
        "borderWidth": 4 if lead_of else 1,
        "color": {
            "background": fill,
            "border": border,
            "highlight": {"background": fill, "border": "#000"},
            "hover": {"background": fill, "border": "#000"},
        },
        "info": describe_node(attrs, lead_of),
        "page": page,
        "country": attrs.get("country"),
        "programmes": [attrs["programme"]] if attrs.get("programme") else [],
        "types": [attrs["type"]] if attrs.get("type") else [],
        "filtered": ["programmes", "types"] if kind == "network" else ["country"],
    }


def to_vis_edge(graph: nx.Graph, u: str, v: str, attrs: dict[str, Any]) -> dict[str, Any]:
    """One vis-network edge: width by weight, lead memberships in gold (the others carry no colour:
    vis-network merges each item's own options, which costs time on a page of thousands of edges)."""
    weight = attrs.get("weight", 1)
    lead = attrs.get("role") == LEAD
    colour = {"color": LEAD_BORDER, "highlight": LEAD_BORDER, "hover": LEAD_BORDER} if lead else {}
    return {
        "from": u,
        "to": v,
        "width": min(10.0, 1.0 + 1.5 * (weight - 1)) + (2 if lead else 0),
        **({"color": colour} if colour else {}),  # others take EDGE_STYLE, the page's default
        "info": describe_edge(graph, u, v, attrs),
        "programmes": list(attrs.get("programmes", [])),
        "types": list(attrs.get("types", [])),
        "filtered": ["programmes", "types"] if "networks" in attrs else [],
    }


def to_vis_data(
    graph: nx.Graph,
    leads: dict[str, list[str]],
    pages: dict[str, str],
    positions: dict[str, tuple[float, float]] | None = None,
) -> dict[str, Any]:
    """The nodes and edges of a page; with ``positions`` the nodes sit there, fixed.

    >>> data = to_vis_data(nx.Graph([("a", "b")]), {}, {})
    >>> len(data["nodes"]), data["edges"][0]["from"]
    (2, 'a')
    """
    nodes = []
    for node, attrs in sorted(graph.nodes(data=True), key=lambda item: str(item[1].get("label", item[0]))):
        vis = to_vis_node(node, attrs, leads.get(node, []), pages.get(node))
        if positions and node in positions:
            vis["x"], vis["y"] = positions[node]
            vis["fixed"] = True
        nodes.append(vis)
    edges = [to_vis_edge(graph, *orient(graph, u, v), attrs) for u, v, attrs in graph.edges(data=True)]
    edges.sort(key=lambda e: (e["from"], e["to"]))
    return {"nodes": nodes, "edges": edges, "edgeStyle": EDGE_STYLE}


def orient(graph: nx.Graph, u: str, v: str) -> tuple[str, str]:
    """An edge's ends in a fixed order, whatever order the graph was built in: member before network.

    >>> g = nx.Graph([("n", "a")]); g.nodes["n"]["kind"] = "network"
    >>> orient(g, "n", "a"), orient(nx.Graph([("b", "a")]), "b", "a")
    (('a', 'n'), ('a', 'b'))
    """
    networks = (graph.nodes[u].get("kind") == "network", graph.nodes[v].get("kind") == "network")
    if networks[0] != networks[1]:
        return (v, u) if networks[0] else (u, v)
    return (u, v) if str(u) <= str(v) else (v, u)


def list_legend(graph: nx.Graph) -> list[dict[str, str]]:
    """The legend of a page: the countries on it, by name, with their colours.

    >>> list_legend(nx.Graph([("a", "b")]))
    []
    """
    codes = sorted({c for _, c in graph.nodes(data="country") if c}, key=name_country)
    return [{"code": code, "name": name_country(code), "colour": pick_colour(code)} for code in codes]


def encode_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: ``<``, ``>``, ``&`` and line separators escaped.

    >>> encode_json({"label": "</script><img src=x>"})
    '{"label": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text
