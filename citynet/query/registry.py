"""The networks the graph already has, as the extractor's registry: ids, names, acronyms, programmes.

>>> import pyoxigraph as ox
>>> read_registry(ox.Store())
[]
"""

from __future__ import annotations

from typing import Any

from citynet.extract.networks import KnownNetwork
from citynet.rdf.namespaces import PREFIXES

NETWORKS = """
SELECT ?network ?name ?acronym ?programme WHERE {
  ?network a cn:Network .
  OPTIONAL { ?network rdfs:label|skos:prefLabel|skos:altLabel ?name }
  OPTIONAL { ?network cn:acronym ?acronym }
  OPTIONAL { ?network cn:programme ?programme }
}
"""


def local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def read_registry(store: Any) -> list[KnownNetwork]:
    """Every network of ``store`` (a pyoxigraph Store) with its names, acronym and programme concept."""
    rows: dict[str, tuple[set[str], list[str], list[str]]] = {}
    for row in store.query(NETWORKS, prefixes=PREFIXES):
        names, acronyms, programmes = rows.setdefault(local(row["network"].value), (set(), [], []))
        if row["name"] is not None:
            names.add(row["name"].value)
        if row["acronym"] is not None and row["acronym"].value not in acronyms:
            acronyms.append(row["acronym"].value)
        if row["programme"] is not None and local(row["programme"].value) not in programmes:
            programmes.append(local(row["programme"].value))
    return [
        KnownNetwork(key, tuple(sorted(names)), min(acronyms, default=None), min(programmes, default=None))
        for key, (names, acronyms, programmes) in sorted(rows.items())
    ]
