"""The embedded store: a folder of Oxigraph versions, the one in use named by a symlink.

A store folder ``DIR`` holds:

- ``.citynet-store``: the marker, a small JSON file citynet writes; ``load`` replaces nothing else;
- ``.lock``: taken (``fcntl.flock``) by the load or update writing a new version; it holds its pid;
- ``data-<stamp>-<pid>/``: versions, each an Oxigraph folder, never written once published;
- ``current``: a symlink to the version in use (``previous``: the one before), swapped atomically
  with ``os.replace``, so a reader opens either the old version or the new one, never a half;
- ``staging-<stamp>-<pid>/``: the work folder of a load under way (its quads, the version it builds).

A load refuses any other folder (a user's, a file, an older citynet's store without the marker)
before it creates or moves anything. A second load of the same store fails at once, naming the
first one's pid. A load killed at any moment leaves the version in use as it was; the next load
removes what it left. Tests stop a load at a known moment with ``CITYNET_TEST_PAUSE=<stage>``
(:func:`pause_for_test`; stages ``locked``, ``read``, ``filled``, ``checked``, ``compacted``,
``renamed``, ``swapped``).

Each source's claims stay in that source's named graph; the default graph holds their merge, a
set made at load time, which every query reads. Oxigraph 0.5's union default graph is a bag
(oxigraph/oxigraph#1919): a triple three sources state matched three times, so counts and sums
came out wrong and every join multiplied the copies: at 10k memberships, ``co-partners`` of the
busiest city took 11.4 s over the union and 0.95 s over the merge, the same 492 rows (bench/).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from citynet.errors import StoreError
from citynet.folders import atomic_write
from citynet.rdf.sparqlfiles import read_sparql
from citynet.store.folder import (
    BUILT,
    CURRENT,
    current_data_dir,
    describe_os_error,
    open_staging,
    pause_for_test,
    read_link,
    remove_stale,
    store_version,
    swap_current,
)

FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}


def load_file(store: ox.Store, nquads: Path) -> None:
    """Bulk-load an N-Quads file and merge its graphs into the default graph (raises SyntaxError
    on a malformed line). The bulk loader keeps one copy of a triple that several graphs state.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "q.nq"
    ...     _ = path.write_text('<urn:s> <urn:p> "a" <urn:g1> .\\n<urn:s> <urn:p> "a" <urn:g2> .\\n')
    ...     store = ox.Store()
    ...     load_file(store, path)
    ...     len(store), count_merged(store)
    (3, 1)
    """
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    merge_into_default(store, ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))


def merge_into_default(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """Add the quads' triples to the default graph, which keeps one copy of each."""
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)


COUNT_MERGED = read_sparql("citynet.store", "count-merged")


def count_merged(store: ox.Store) -> int:
    """The triples of the default graph, the merge of the named graphs."""
    rows = store.query(COUNT_MERGED)
    return int(next(iter(rows))["n"].value)


def iterate_named(store: ox.Store) -> Iterator[ox.Quad]:
    """The quads of the named graphs: what the sources stated, without their merge."""
    for graph in store.named_graphs():
        yield from store.quads_for_pattern(None, None, None, graph)


def publish(
    store_dir: Path,
    staging: Path,
    fill: Callable[[ox.Store], None],
    check: Callable[[ox.Store], None] | None = None,
) -> int:
    """Build a version in ``staging`` with ``fill``, check it, compact it, swap it in; returns quads.

    ``check`` raises to refuse the version. On any failure the version in use stays as it was.
    The version is compacted before the swap: the bulk load and the merge leave overlapping files,
    which RocksDB would otherwise merge only in the background while the store is open for writing
    (at 100k memberships, 22 such files; compacted, `active-in` took 2.1 s instead of 3.9 s).
    """
    built = staging / BUILT
    version = f"data-{staging.name.removeprefix('staging-')}"
    try:
        store = ox.Store(str(built))
        fill(store)
        store.flush()
        pause_for_test("filled")
        if check is not None:
            check(store)
        pause_for_test("checked")
        store.optimize()  # compacted: see the docstring
        count = len(store)
        del store
        pause_for_test("compacted")
        built.rename(store_dir / version)
        pause_for_test("renamed")
        swap_current(store_dir, version)
        pause_for_test("swapped")
    except (OSError, SyntaxError) as exc:
        if read_link(store_dir, CURRENT) != version:  # not swapped in: the version goes
            shutil.rmtree(store_dir / version, ignore_errors=True)
        raise StoreError(f'cannot write the store "{store_dir}": {exc}') from None
    remove_stale(store_dir)
    return count


def write_store(nquads: Path, store_dir: Path, check: Callable[[ox.Store], None] | None = None) -> int:
    """Replace the store with the N-Quads file's quads once ``check`` accepts them; returns quads.

    See :func:`open_staging` (which folders it replaces, the lock) and :func:`publish`.
    """
    with open_staging(store_dir) as staging:
        return publish(store_dir, staging, lambda store: load_file(store, nquads), check)


def update_store(store_dir: Path, change: Callable[[ox.Store], None]) -> int:
    """Apply ``change`` to a copy of the version in use and swap the copy in; returns quads.

    The copy is an Oxigraph backup (hard links to the immutable files), so readers of the version
    in use never see a write, and a failed change leaves it as it was.
    """
    with open_staging(store_dir) as staging:
        source = current_data_dir(store_dir)
        try:
            ox.Store.read_only(str(source)).backup(str(staging / BUILT))
        except OSError as exc:
            raise StoreError(f'cannot copy the store "{store_dir}": {exc}') from None
        return publish(store_dir, staging, change)


def replace_graph(store_dir: Path, graph: str, triples: Iterable[ox.Triple]) -> int:
    """Replace one named graph (a new version, as :func:`update_store`) and keep the merge true:
    its old triples leave the default graph unless another graph states them, the new ones join."""
    g, text = ox.NamedNode(graph), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    update = (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} FILTER NOT EXISTS "
        f"{{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }} ;\nDROP SILENT GRAPH {g} ;\n"
        f"INSERT DATA {{ GRAPH {g} {{\n{text}}} }} ;\nINSERT DATA {{\n{text}}}"
    )
    return update_store(store_dir, lambda store: store.update(update))


@dataclass
class EmbeddedStore:
    """A read-only handle on the version of the embedded store in use when it was opened.

    Queries see the merge of the named graphs as their default graph (``GRAPH ?g`` reads each).
    """

    path: Path
    store: ox.Store

    @classmethod
    def open(cls, store_dir: Path) -> EmbeddedStore:
        """Open the version in use, read-only; once more if a load swapped it away meanwhile."""
        for attempt in (1, 2):
            data = current_data_dir(store_dir)
            try:
                return cls(store_dir, ox.Store.read_only(str(data)))
            except (OSError, RuntimeError) as exc:
                if attempt == 2 or (store_version(store_dir) == data.name and data.is_dir()):
                    raise StoreError(f'cannot open the store "{store_dir}": {exc}') from None
        raise AssertionError("unreachable")

    def query(
        self,
        text: str,
        prefixes: dict[str, str] | None = None,
        substitutions: dict[ox.Variable, ox.Term] | None = None,
    ):
        """Run a SPARQL query over the merged graph (raises SyntaxError on bad SPARQL)."""
        return self.store.query(text, prefixes=prefixes, substitutions=substitutions or {})

    def count_quads(self) -> int:
        """The quads of the named graphs (their merge in the default graph is not counted)."""
        return len(self.store) - count_merged(self.store)

    def dump_to(self, output: BinaryIO | Path, fmt: str) -> None:
        """Write the store to a file (through a temporary file renamed over it, so a full disk
        leaves the previous file as it was) or to a binary stream; StoreError if that fails."""
        where = "stdout" if not isinstance(output, Path) else f'"{output}"'
        try:
            if isinstance(output, Path):
                with atomic_write(output) as handle:
                    self.dump(handle, fmt)
            else:
                self.dump(output, fmt)
                output.flush()
        except OSError as exc:
            raise StoreError(f"cannot write the dump to {where}: {describe_os_error(exc)}") from None

    def dump(self, output: BinaryIO, fmt: str) -> None:
        """Write the store: quad formats the named graphs (a load merges them again), triple
        formats their merge."""
        rdf_format = FORMATS[fmt]
        if rdf_format.supports_datasets:
            ox.serialize(iterate_named(self.store), output, format=rdf_format)
            return
        self.store.dump(output, format=rdf_format, from_graph=ox.DefaultGraph())
