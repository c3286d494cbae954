"""The embedded store: an on-disk Oxigraph store, replaced atomically by each load."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from citynet.errors import CitynetError, StoreError

DEFAULT_STORE = Path(".citynet") / "store"
FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}


def find_store_dir(option: str | None = None) -> Path:
    """The store folder: ``--store``, else ``$CITYNET_STORE``, else ``.citynet/store``.

    >>> find_store_dir("/tmp/s")
    PosixPath('/tmp/s')
    """
    return Path(option or os.environ.get("CITYNET_STORE") or DEFAULT_STORE)


def load_file(store: ox.Store, nquads: Path) -> None:
    """Bulk-load an N-Quads file (a raises SyntaxError on a malformed line)."""
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)


def write_store(nquads: Path, store_dir: Path, check: Callable[[ox.Store], None] | None = None) -> int:
    """Replace the store with the N-Quads file's quads once ``check`` accepts them; returns quads.

    The new store is bulk-loaded beside the old one, checked (``check`` raises to refuse it) and
    swapped in by renaming. On any failure the old store stays as it was.
    """
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = store_dir.with_name(f"{store_dir.name}.new-{os.getpid()}")
    retired = store_dir.with_name(f"{store_dir.name}.old-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        store = ox.Store(str(staging))
        load_file(store, nquads)
        store.flush()
        if check is not None:
            check(store)
        count = len(store)
        del store
        if store_dir.exists():
            store_dir.rename(retired)
        staging.rename(store_dir)
    except (OSError, SyntaxError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not store_dir.exists():
            retired.rename(store_dir)
        raise StoreError(f'cannot write the store "{store_dir}": {exc}') from None
    except CitynetError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return count


@dataclass
class EmbeddedStore:
    """A read-only handle on the embedded store.

    Queries see the union of the named graphs as their default graph.
    """

    path: Path
    store: ox.Store

    @classmethod
    def open(cls, store_dir: Path) -> EmbeddedStore:
        if not (store_dir / "CURRENT").exists():
            raise StoreError(f'no store at "{store_dir}" - run `citynet load` first')
        try:
            return cls(store_dir, ox.Store.read_only(str(store_dir)))
        except OSError as exc:
            raise StoreError(f'cannot open the store "{store_dir}": {exc}') from None

    def query(self, text: str, prefixes: dict[str, str] | None = None,
              substitutions: dict[ox.Variable, ox.Term] | None = None):
        """Run a SPARQL query over the union graph (raises SyntaxError on bad SPARQL)."""
        return self.store.query(text, use_default_graph_as_union=True, prefixes=prefixes,
                                substitutions=substitutions or {})

    def count_quads(self) -> int:
        return len(self.store)

    def dump(self, output: BinaryIO, fmt: str) -> None:
        """Write the store: quad formats keep the named graphs, triple formats the union."""
        rdf_format = FORMATS[fmt]
        if rdf_format.supports_datasets:
            self.store.dump(output, format=rdf_format)
            return
        triples = self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                   use_default_graph_as_union=True)
        ox.serialize(triples, output, format=rdf_format)
