"""Write an enrichment graph (:mod:`citynet.sources.wikidata`) into the store; save it beside the facts."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from citynet.errors import StoreError
from citynet.rdf.namespaces import Ids
from citynet.sources.wikidata import Enrichment
from citynet.store.embedded import update_store


def write_enrichment(store_dir: Path, path: Path, enrichment: Enrichment, ids: Ids | None = None) -> None:
    """Replace the enrichment graph in the store and save it as N-Quads at ``path``.

    The store gets a new version through :func:`citynet.store.embedded.update_store` (the one writer: its
    lock, a copy, an atomic swap): the old graph's triples leave the merged default graph unless
    another graph states them, the new ones join it. The file lives under ``graph/enrichment/``,
    so the next ``citynet load`` keeps the graph; it is written to a temporary file and renamed.
    """
    graph = ox.NamedNode(str(ids.graph("wikidata") if ids else Ids().graph("wikidata")))
    triples = ox.serialize([q.triple for q in enrichment.quads], format=ox.RdfFormat.N_TRIPLES).decode()
    update = (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} "
              f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {graph}) }} }} ;\n"
              f"DROP SILENT GRAPH {graph} ;\n"
              f"INSERT DATA {{ GRAPH {graph} {{\n{triples}}} }} ;\n"
              f"INSERT DATA {{\n{triples}}}")
    update_store(store_dir, lambda store: store.update(update))
    lines = sorted(set(ox.serialize(enrichment.quads, format=ox.RdfFormat.N_QUADS).decode().splitlines()))
    staging = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        staging.replace(path)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        raise StoreError(f'cannot save the enrichment to "{path}": {exc.strerror}') from None
