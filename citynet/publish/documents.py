"""A document for every IRI under the base: ``<path>.html``, ``.ttl``, ``.nt``, ``.jsonld``, ``.trig``.

The IRIs are the subjects and objects under the base in the store's default graph, except the
ontology's (documented by :mod:`citynet.publish.ontology`) and the sub-resources a parent's document
holds (``…/city/3094802/geometry``, see :func:`citynet.store.resources.describe`). They are taken
in sorted order, so a parent comes before its sub-resources, and each is described, written and
forgotten: only the IRIs themselves are held, never the site.

>>> import datetime as dt, pyoxigraph as ox, tempfile
>>> from citynet.store.resources import BASE
>>> store = ox.Store()
>>> city, geometry = ox.NamedNode(BASE + "id/city/1"), ox.NamedNode(BASE + "id/city/1/geometry")
>>> store.add(ox.Quad(city, ox.NamedNode(GEO + "hasGeometry"), geometry))
>>> store.add(ox.Quad(geometry, ox.NamedNode(GEO + "asWKT"), ox.Literal("POINT(3.7 51.05)")))
>>> folder = Path(tempfile.mkdtemp())
>>> counts = write_documents(Context(store, BASE, dt.date(2026, 12, 4), folder))
>>> counts.documents, counts.files
({'city': 1}, 5)
>>> sorted(path.name for path in (folder / "id" / "city").iterdir())
['1.html', '1.jsonld', '1.nt', '1.trig', '1.ttl']
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from citynet.errors import PublishError
from citynet.publish.context import Context
from citynet.publish.pages import Lookup, render_page
from citynet.publish.paths import document_path
from citynet.store.resources import RDF_EXTENSIONS, Description, describe, serialize

GEO = "http://www.opengis.net/ont/geosparql#"
KINDS = {  # the first path segments of a document -> its kind in the counts
    "id/city": "city",
    "id/org": "organisation",
    "id/network": "network",
    "id/membership": "membership",
    "id/call": "call",
    "id/source": "source",
    "id/country": "country",
    "id/programme": "programme",
    "id/graph": "graph",
}


@dataclass
class Counts:
    """What :func:`write_documents` wrote: documents per kind, and files in all."""

    documents: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def resources(self) -> int:
        """How many resources have documents."""
        return sum(self.documents.values())


def write_documents(context: Context) -> Counts:
    """Write the HTML, Turtle, N-Triples, JSON-LD and TriG document of every IRI under the base.

    Raises PublishError for an IRI that cannot be a file name, or a file that cannot be written.
    """
    lookup = Lookup(context.store, context.base, context.site_url)
    kinds: Counter[str] = Counter()
    folded: set[str] = set()  # sub-resources already written into their parent's documents
    with Writer() as writer:
        for iri in find_iris(context.store, context.base):
            if iri in folded:
                continue
            found = describe(context.store, iri)
            folded.update(t.subject.value for t in found.triples if t.subject.value != iri)
            path = document_path(iri, context.base)
            writer.submit(context.folder / path, make_documents(context, found, path, lookup))
            kinds[kind_of(path)] += 1
    return Counts(dict(sorted(kinds.items())), writer.files)


def find_iris(store: ox.Store, base: str) -> Iterator[str]:
    """The IRIs under ``base`` in the default graph, subjects and objects, sorted, without the
    ontology's and without hash IRIs (their document is the one of the IRI before the ``#``)."""
    ontology = base + "ontology"
    found: set[str] = set()
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        for node in (quad.subject, quad.object):
            if isinstance(node, ox.NamedNode) and node.value.startswith(base):
                found.add(node.value)
    for iri in sorted(found):
        if "#" not in iri and not (iri == ontology or iri.startswith((ontology + "/", ontology + "."))):
            yield iri


def make_documents(context: Context, found: Description, path: str, lookup: Lookup) -> dict[str, bytes]:
    """One resource's five documents by extension: the page, then each RDF format."""
    documents = {"html": render_page(found, lookup).encode()}
    for ext in RDF_EXTENSIONS:
        documents[ext] = serialize(found, ext, f"{context.base}{path}.{ext}")
    return documents


class Writer:
    """Writes resources' files in a thread of its own while the next pages are made (creating a
    file costs about as much as rendering it); at most PENDING resources wait, so memory stays
    bounded. Leaving the ``with`` block waits for every file and raises the first failure.

    One thread: on the bundled graph (19,458 resources, ext4, a busy 2-core machine) alternate runs
    took 33 and 29 s against 71 and 48 s writing in the main thread (which waits on the disk); two
    or four threads took 48 and 60 s, their extra time spent in the kernel.
    """

    PENDING = 64
    WORKERS = 1

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=self.WORKERS, thread_name_prefix="publish-writer")
        self.pending: deque[Future[int]] = deque()
        self.made: set[Path] = set()  # folders made
        self.files = 0

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *failure: object) -> None:
        try:
            while self.pending and failure[0] is None:
                self.files += self.pending.popleft().result()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, target: Path, documents: dict[str, bytes]) -> None:
        """Write ``target.<ext>`` for each document, soon."""
        self.pending.append(self.pool.submit(self.write, target, documents))
        while len(self.pending) > self.PENDING or (self.pending and self.pending[0].done()):
            self.files += self.pending.popleft().result()

    def write(self, target: Path, documents: dict[str, bytes]) -> int:
        """Write one resource's files now; returns how many."""
        if target.parent not in self.made:
            make_folder(target.parent)
            self.made.add(target.parent)
        for ext, data in documents.items():
            write_file(target.with_name(f"{target.name}.{ext}"), data)
        return len(documents)


def make_folder(folder: Path) -> None:
    """Make ``folder`` and its parents; PublishError when a file is in the way or it is unwritable."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(f'cannot make the folder "{folder}": {exc.strerror} - check the target') from None


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``; PublishError when it cannot be written."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise PublishError(f'cannot write "{path}": {exc.strerror} - check the target') from None


def kind_of(path: str) -> str:
    """The kind of resource a document path is of.

    >>> kind_of("id/city/3094802"), kind_of("vocab/role/partner"), kind_of("vocab/role/index")
    ('city', 'concept', 'scheme')
    """
    if path.startswith("vocab/"):
        return "scheme" if path.count("/") == 2 and path.endswith("/index") else "concept"
    return KINDS.get("/".join(path.split("/")[:2]), "other")
