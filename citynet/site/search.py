"""The index page's search: a compact index of every entity, written beside the pages at build time.

Every network, city, organisation, programme and country of the member-network graph becomes one
row, findable by any of its labels (every language the graph has, and a network's acronym), folded
for matching (:func:`fold`: lower case, NFD, combining marks dropped; the page's script folds the
query the same way). A row carries its facet values as numbers into the facets' lists of values:
programme, country, network type, organisation type and kind. What a row's facets hold:

- a network: its programme and type, its members' countries and organisation types;
- a city or organisation: its country (and type), the programmes and types of its networks;
- a programme or a country: itself.

The index is written as ``search-index.js`` (``window.citynetSearchIndex = {...}``: a page opened
from ``file://`` may load a script but not fetch a JSON file), its JSON escaped as in a page
(:func:`citynet.site.style.encode_json`); ``lib/search.js`` searches it and writes every label as
text.

>>> fold("Kraków"), fold("ŁÓDŹ"), fold("Timișoara") == fold("Timişoara")
('krakow', 'lodz', True)
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from citynet.graphs.memberships import Facts, select
from citynet.rdf.namespaces import PROGRAMME
from citynet.rdf.sparqlfiles import read_sparql
from citynet.site.style import name_country

INDEX_FILE = "search-index.js"
NAMES = read_sparql("citynet.site", "search-labels")
FACETS = ("kind", "programme", "country", "type", "orgtype")
KINDS = ("network", "city", "organisation", "programme", "country")
# Letters NFD does not decompose, folded as a reader would type them (the page's script has the same).
LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "\u0131": "i", "ß": "ss", "æ": "ae"}
)


def fold(text: str) -> str:
    """Text as the search matches it: lower case, accents and other combining marks dropped.

    >>> fold("Dąbrowa Górnicza"), fold("Øresund"), fold("MEDIAȘ")
    ('dabrowa gornicza', 'oresund', 'medias')
    """
    decomposed = unicodedata.normalize("NFD", text.lower())
    kept = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    return kept.translate(LETTERS)


def read_all_labels(reader: Any) -> dict[str, list[str]]:
    """Every name of every city, organisation, network, country and concept, by IRI: its labels in
    every language, its other names (``skos:altLabel``: a member's forms as sources write it) and
    its acronym."""
    labels: dict[str, list[str]] = defaultdict(list)
    for row in sorted(select(reader, NAMES), key=lambda r: (str(r["e"]), str(r["label"]))):
        labels[str(row["e"])].append(str(row["label"]))
    return labels


def join_folded(labels: list[str]) -> str:
    """The folded labels, each once, the first first, joined by ``|``.

    >>> join_folded(["Kraków", "Krakow", "Cracovia"])
    'krakow|cracovia'
    """
    return "|".join(dict.fromkeys(fold(label) for label in labels if label))


class Values:
    """The values of one facet, numbered in the order first met (renumbered sorted on output)."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def number(self, value: str | None) -> list[int]:
        """``[n]`` for a value (numbering it if new), ``[]`` for none."""
        if not value:
            return []
        return [self.numbers.setdefault(value, len(self.numbers))]


def list_neighbour_values(graph: nx.Graph, node: str, key: str, values: Values) -> list[int]:
    """The numbers of the values ``key`` takes on the node's neighbours, each once, sorted."""
    return sorted({n for other in graph[node] for n in values.number(graph.nodes[other].get(key))})


def describe_row(
    graph: nx.Graph, node: str, attrs: dict[str, Any], facets: dict[str, Values]
) -> dict[str, list[int]]:
    """The facet values of a network, city or organisation (see the module's docstring)."""
    kind = attrs["kind"]
    if kind == "network":
        return {
            "programme": facets["programme"].number(attrs.get("programme")),
            "type": facets["type"].number(attrs.get("type")),
            "country": list_neighbour_values(graph, node, "country", facets["country"]),
            "orgtype": list_neighbour_values(graph, node, "organisation_type", facets["orgtype"]),
        }
    return {
        "programme": list_neighbour_values(graph, node, "programme", facets["programme"]),
        "type": list_neighbour_values(graph, node, "type", facets["type"]),
        "country": facets["country"].number(attrs.get("country")),
        "orgtype": facets["orgtype"].number(attrs.get("organisation_type")),
    }


def find_programme_labels(facts: Facts, labels: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each programme's labels, by the label the graph's networks carry."""
    found: dict[str, list[str]] = {}
    for iri, entry in facts.concepts.items():
        if entry["scheme"] == str(PROGRAMME):
            found[entry["label"]] = [entry["label"], *labels.get(iri, [])]
    return found


def find_country_labels(facts: Facts, labels: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each country's labels (English name, the graph's labels, ISO code), by ISO code."""
    return {
        entry["code"]: [name_country(entry["code"]), *labels.get(iri, []), entry["code"]]
        for iri, entry in facts.countries.items()
    }


def plan_search_index(
    graph: nx.Graph, pages: dict[str, str], facts: Facts, labels: dict[str, list[str]]
) -> dict[str, Any]:
    """The search index of the member-network graph ``graph`` (``pages``: node -> page path).

    ``rows``: ``[label, kind, folded labels, page, programmes, countries, types, organisation
    types]``, kind and facet values as numbers into ``kinds`` and ``facets``; sorted by kind, then
    label. A programme's or country's page is ``""``: the search selects it as a facet instead.
    """
    facets = {name: Values() for name in FACETS[1:]}
    rows = []
    for node, attrs in graph.nodes(data=True):
        if attrs.get("kind") not in KINDS:
            continue
        label = str(attrs.get("label", node))
        row = describe_row(graph, node, attrs, facets)
        folded = join_folded([label, *labels.get(node, [])])
        rows.append([label, attrs["kind"], folded, pages.get(node, ""), row])
    found = {"programme": find_programme_labels(facts, labels), "country": find_country_labels(facts, labels)}
    for kind, names in found.items():
        for value in list(facets[kind].numbers):
            shown = name_country(value) if kind == "country" else value
            rows.append(
                [shown, kind, join_folded(names.get(value, [value])), "", {kind: facets[kind].number(value)}]
            )
    return finish_index(rows, facets)


def sort_row(row: list[Any]) -> tuple[int, str, str]:
    """Rows in the index's order: by kind, then label (any case), then page.

    >>> sort_row(["Kraków", "city", "krakow", "cities/3094802.html", {}])
    (1, 'kraków', 'cities/3094802.html')
    """
    return KINDS.index(row[1]), row[0].lower(), row[3]


def finish_index(rows: list[list[Any]], facets: dict[str, Values]) -> dict[str, Any]:
    """The index as written: facet values sorted by name, rows by kind and label, numbers renumbered."""
    shown = {"country": name_country}
    order = {
        name: sorted(values.numbers, key=lambda v, n=name: (shown.get(n, str)(v).lower(), v))
        for name, values in facets.items()
    }
    renumber = {
        name: {values.numbers[v]: i for i, v in enumerate(order[name])} for name, values in facets.items()
    }
    written = [
        [
            label,
            KINDS.index(kind),
            folded,
            page,
            *(sorted(renumber[name][n] for n in row.get(name, [])) for name in FACETS[1:]),
        ]
        for label, kind, folded, page, row in sorted(rows, key=sort_row)
    ]
    values = {name: [shown.get(name, str)(v) for v in order[name]] for name in FACETS[1:]}
    return {"facets": FACETS, "kinds": KINDS, "values": values, "codes": order["country"], "rows": written}


def encode_compact(data: Any) -> str:
    """JSON without spaces, escaped as :func:`citynet.site.style.encode_json` escapes a page's data.

    >>> encode_compact({"a": ["</script>", 1]})
    '{"a":["\\\\u003c/script\\\\u003e",1]}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def write_search_index(
    reader: Any, folder: Path, graph: nx.Graph, pages: dict[str, str], facts: Facts
) -> int:
    """Write ``search-index.js`` into the site's ``folder``; returns its size in bytes."""
    index = plan_search_index(graph, pages, facts, read_all_labels(reader))
    data = f"window.citynetSearchIndex = {encode_compact(index)};\n".encode()
    (folder / INDEX_FILE).write_bytes(data)
    return len(data)
