"""What a store holds: the counts ``citynet load`` prints.

>>> import tempfile
>>> from citynet import api
>>> with tempfile.TemporaryDirectory() as folder:
...     summary = api.load(store_dir=Path(folder) / "store")
>>> summary.networks, summary.cities, summary.memberships
(15, 37, 43)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from citynet.query.queries import run_query, to_rows
from citynet.rdf.sparqlfiles import read_sparql
from citynet.store.embedded import EmbeddedStore

COUNTS = read_sparql("citynet.query", "store-summary")


@dataclass(frozen=True)
class Summary:
    """What a store holds, and where it is."""

    quads: int
    networks: int
    cities: int
    organisations: int
    memberships: int
    sources: int
    store: Path | None = None


def summarise(store: EmbeddedStore) -> Summary:
    """Count what the store holds."""
    _, rows = to_rows(run_query(store, COUNTS))
    return Summary(store.count_quads(), **rows[0], store=store.path)
