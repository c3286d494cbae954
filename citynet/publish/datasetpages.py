"""HTML pages for the things the dataset description names under ``id/dataset/``.

The description part (:mod:`citynet.publish.describe`) mints IRIs that are not in the store —
the dataset, its catalogue, class and property partitions, distributions, linksets — and writes
their RDF documents. A browser following such an IRI is sent to its ``.html`` (HTML is the
default of the redirect rules), so each gets the same page as any other thing, made from a store of
the description's own triples.

>>> import datetime as dt, pyoxigraph as ox, tempfile
>>> from citynet.rdf.namespaces import RDFS
>>> folder = Path(tempfile.mkdtemp())
>>> (folder / "id" / "dataset").mkdir(parents=True)
>>> iri = "https://w3id.org/citynet/id/dataset/citynet"
>>> _ = (folder / "id/dataset/citynet.nt").write_text(f'<{iri}> <{RDFS.label}> "citynet <data>" .\\n')
>>> write_dataset_pages(Context(ox.Store(), "https://w3id.org/citynet/", dt.date(2026, 12, 4), folder))
['id/dataset/citynet.html']
>>> "citynet &lt;data&gt;" in (folder / "id/dataset/citynet.html").read_text()
True
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from citynet.publish.context import Context
from citynet.publish.pages import Lookup, render_page
from citynet.store.resources import describe


def read_description(folder: Path) -> ox.Store:
    """The triples of every N-Triples document under ``folder``, in one in-memory store."""
    store = ox.Store()
    for path in sorted(folder.rglob("*.nt")):
        store.extend(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
    return store


def write_dataset_pages(context: Context) -> list[str]:
    """Write ``<path>.html`` beside every ``id/dataset/**/<path>.nt``; return the pages written."""
    folder = context.folder / "id" / "dataset"
    if not folder.is_dir():
        return []
    store = read_description(folder)
    lookup = Lookup(store, context.base, context.site_url)
    written = []
    for path in sorted(folder.rglob("*.nt")):
        page = path.with_suffix(".html")
        relative = page.relative_to(context.folder).with_suffix("").as_posix()
        found = describe(store, context.base + relative)
        if found.exists and not page.exists():
            page.write_text(render_page(found, lookup), encoding="utf-8")
            written.append(page.relative_to(context.folder).as_posix())
    return written
