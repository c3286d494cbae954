"""Write an enrichment graph (:mod:`citynet.sources.wikidata`) into the store; save it beside the facts."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from citynet.errors import StoreError
from citynet.rdf.namespaces import Ids
from citynet.sources.wikidata import Enrichment
from citynet.store.embedded import replace_graph


def write_enrichment(store_dir: Path, path: Path, enrichment: Enrichment, ids: Ids | None = None) -> None:
    """Replace the enrichment graph in the store and save it as N-Quads at ``path``.

    The store gets a new version through :func:`citynet.store.embedded.replace_graph` (its lock, a
    copy, an atomic swap, the merged default graph kept true). The file lives under
    ``graph/enrichment/``, so the next ``citynet load`` keeps the graph; it is written to a temporary
    file and renamed.
    """
    graph = str(ids.graph("wikidata") if ids else Ids().graph("wikidata"))
    replace_graph(store_dir, graph, [q.triple for q in enrichment.quads])
    lines = sorted(set(ox.serialize(enrichment.quads, format=ox.RdfFormat.N_QUADS).decode().splitlines()))
    staging = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        staging.replace(path)
    except OSError as exc:
        staging.unlink(missing_ok=True)
        raise StoreError(f'cannot save the enrichment to "{path}": {exc.strerror}') from None
