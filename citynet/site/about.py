"""What a page says beside its graph: an organisation's facts, the organisations located in a city,
a network's organisation members, and the index's table of organisations.

Sections hold plain text and the site-relative path of a page; the templates escape the text and
link only to pages the site writes (``pages``: node IRI -> path).

>>> graph = nx.Graph([("o", "n")])
>>> graph.nodes["o"].update(label="Uni <b>", kind="organisation", organisation_type="university")
>>> graph.nodes["n"].update(label="Net", kind="network")
>>> [(e.text, e.page, e.note) for e in describe_network(graph, "n", {"o": "organisations/o.html"})[0].entries]
[('Uni <b>', 'organisations/o.html', 'university')]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from citynet.site.style import name_country


@dataclass(frozen=True)
class Entry:
    """One line of a section: its text, the page it links to (if the site has one), a note."""

    text: str
    page: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Section:
    """A heading and its lines."""

    heading: str
    entries: list[Entry] = field(default_factory=list)


def describe_place(attrs: dict[str, Any]) -> str | None:
    """Where an organisation is: its city's label, else its town as written (unresolved).

    >>> describe_place({"located_in_label": "Celje"}), describe_place({"town": "Borgo"}), describe_place({})
    ('Celje', 'Borgo (as written; not placed)', None)
    """
    if attrs.get("located_in_label"):
        return str(attrs["located_in_label"])
    return f"{attrs['town']} (as written; not placed)" if attrs.get("town") else None


def list_located(members: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The organisations located in each city (their node attributes), by city IRI, sorted by label.

    >>> list_located({"o": {"iri": "o", "kind": "organisation", "label": "U", "located_in": "c"}})
    {'c': [{'iri': 'o', 'kind': 'organisation', 'label': 'U', 'located_in': 'c'}]}
    """
    located: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for attrs in members.values():
        if attrs.get("kind") == "organisation" and attrs.get("located_in"):
            located[attrs["located_in"]].append(attrs)
    return {
        city: sorted(orgs, key=lambda a: (str(a.get("label")), a["iri"])) for city, orgs in located.items()
    }


def describe_organisation(graph: nx.Graph, node: str, pages: dict[str, str]) -> list[Section]:
    """An organisation's facts: type, country, where it is located, its networks."""
    attrs = graph.nodes[node]
    code = attrs.get("country")
    facts = [
        Entry(f"Type: {attrs['organisation_type']}") if attrs.get("organisation_type") else None,
        Entry(f"Country: {name_country(code)} ({code})") if code else None,
        Entry(f"Located in: {describe_place(attrs)}", pages.get(attrs.get("located_in", "")))
        if describe_place(attrs)
        else None,
    ]
    networks = sorted(
        (
            Entry(str(graph.nodes[n].get("label", n)), pages.get(n), graph.edges[node, n].get("role"))
            for n in graph[node]
            if graph.nodes[n].get("kind") == "network"
        ),
        key=lambda e: (e.text.lower(), e.page or ""),
    )
    return [Section("Organisation", [e for e in facts if e]), Section("Networks", networks)]


def describe_city(
    node: str, located: dict[str, list[dict[str, Any]]], pages: dict[str, str]
) -> list[Section]:
    """The organisations located in the city, if any: label (linked), type."""
    entries = [
        Entry(str(a.get("label")), pages.get(a["iri"]), a.get("organisation_type"))
        for a in located.get(node, [])
    ]
    return [Section("Organisations located here", entries)] if entries else []


def describe_network(graph: nx.Graph, node: str, pages: dict[str, str]) -> list[Section]:
    """The network's organisation members, if any: label (linked), type, where each is located."""
    entries = []
    for n in sorted(graph[node], key=lambda n: (str(graph.nodes[n].get("label")), n)):
        attrs = graph.nodes[n]
        if attrs.get("kind") == "organisation":
            note = "; ".join(filter(None, [attrs.get("organisation_type"), describe_place(attrs)]))
            entries.append(Entry(str(attrs.get("label", n)), pages.get(n), note or None))
    return [Section("Organisation members", entries)] if entries else []


def list_organisations(graph: nx.Graph, pages: dict[str, str]) -> list[dict[str, Any]]:
    """The index's rows: each organisation of the graph with type, country, place and networks."""
    rows = [
        {
            "label": str(attrs.get("label", n)),
            "page": pages.get(n),
            "type": attrs.get("organisation_type") or "",
            "country_name": name_country(attrs.get("country") or ""),
            "place": describe_place(attrs) or "",
            "place_page": pages.get(attrs.get("located_in", "")),
            "networks": graph.degree(n),
        }
        for n, attrs in graph.nodes(data=True)
        if attrs.get("kind") == "organisation"
    ]
    return sorted(rows, key=lambda r: r["label"].lower())
