"""The published folder's front door: ``index.html`` and one list page per kind of thing.

``index.html`` says what the dataset is, links the dumps of every release (``latest`` first), the
dataset descriptions (VoID, DCAT-AP), the ontology, the named queries and the lists, and carries
the dataset as a schema.org ``Dataset`` in JSON-LD (the description part makes it). The list
pages (``lists/<kind>.html``) link every thing of a kind by its label; memberships, periods and
geometries are reached from their networks, cities and organisations instead.

>>> import datetime as dt, pyoxigraph as ox, tempfile
>>> from citynet.rdf.namespaces import CN, RDF, RDFS
>>> store, city = ox.Store(), ox.NamedNode("https://w3id.org/citynet/id/city/1")
>>> store.add(ox.Quad(city, ox.NamedNode(RDF.type), ox.NamedNode(CN.City), ox.DefaultGraph()))
>>> store.add(ox.Quad(city, ox.NamedNode(RDFS.label), ox.Literal("Gent <b>"), ox.DefaultGraph()))
>>> folder = Path(tempfile.mkdtemp())
>>> context = Context(store, "https://w3id.org/citynet/", dt.date(2026, 12, 4), folder)
>>> write_landing(context, {"@type": "Dataset", "name": "citynet </script>"}, [])
['.nojekyll', 'index.html', 'lists/cities.html']
>>> "Gent &lt;b&gt;" in (folder / "lists" / "cities.html").read_text()
True
>>> page = (folder / "index.html").read_text()
>>> "citynet </script>" in page, "citynet \\\\u003c/script>" in page
(False, True)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jinja2

from citynet.publish.context import Context, Distribution
from citynet.publish.paths import document_path, href
from citynet.rdf.namespaces import PREFIXES

KINDS = [  # (class, list page, heading)
    ("Network", "networks", "Networks"),
    ("City", "cities", "Cities"),
    ("Organisation", "organisations", "Organisations"),
    ("Call", "calls", "Calls"),
    ("Source", "sources", "Sources"),
    ("Country", "countries", "Countries"),
    ("Programme", "programmes", "Programmes"),
]
LABELS = """
SELECT ?thing ?class (SAMPLE(?name) AS ?label) WHERE {
  VALUES ?class { cn:Network cn:City cn:Organisation cn:Call cn:Source cn:Country cn:Programme }
  ?thing a ?class .
  OPTIONAL { ?thing skos:prefLabel|rdfs:label|dcterms:title ?name
             FILTER(LANG(?name) = "" || LANGMATCHES(LANG(?name), "en")) }
} GROUP BY ?thing ?class ORDER BY LCASE(STR(?label)) ?thing
"""


@dataclass(frozen=True)
class Listed:
    """One list page: its kind, file, heading and the things on it (label, link)."""

    kind: str
    page: str
    heading: str
    things: list[tuple[str, str]]


def open_templates() -> jinja2.Environment:
    """The publication's templates, HTML-escaping everything."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("citynet.publish", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def encode_script(data: object) -> str:
    """JSON for a ``<script>`` block: ``<`` written ``\\u003c`` so no string ends the block."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def list_things(context: Context) -> dict[str, list[tuple[str, str]]]:
    """The things of each kind of KINDS under the base: their label and their page's path."""
    things: dict[str, list[tuple[str, str]]] = {kind: [] for kind, _, _ in KINDS}
    for row in context.store.query(LABELS, prefixes=PREFIXES):
        iri = row["thing"].value
        if not iri.startswith(context.base):
            continue  # not documented here
        label = row["label"].value if row["label"] is not None else iri.rsplit("/", 1)[-1]
        things[row["class"].value.rsplit("#", 1)[-1]].append((label, document_path(iri, context.base)))
    return things


def write_landing(context: Context, dataset: dict, distributions: list[Distribution]) -> list[str]:
    """Write ``index.html`` and the list pages; return their paths (relative, sorted)."""
    templates = open_templates()
    lists, found = [], list_things(context)
    for kind, name, heading in KINDS:
        page = f"lists/{name}.html"
        things = [(label, href(page, path, "html")) for label, path in found[kind]]
        if things:
            lists.append(Listed(kind, page, heading, things))
    written = ["index.html", ".nojekyll"]
    (context.folder / ".nojekyll").write_bytes(b"")  # GitHub Pages: serve .well-known/ as it is
    for listed in lists:
        target = context.folder / listed.page
        target.parent.mkdir(parents=True, exist_ok=True)
        text = templates.get_template("list.html").render(listed=listed, dataset=dataset)
        target.write_text(text, encoding="utf-8")
        written.append(listed.page)
    releases = list_release_names(context.folder)
    text = templates.get_template("index.html").render(
        dataset=dataset,
        dataset_json=encode_script(dataset),
        lists=lists,
        releases=releases,
        current=context.release.isoformat(),
        distributions=distributions,
        endpoint=context.sparql_endpoint,
        base=context.base,
    )
    (context.folder / "index.html").write_text(text, encoding="utf-8")
    return sorted(written)


def list_release_names(folder: Path) -> list[str]:
    """The dated release folders under ``dumps/``, newest first."""
    dumps = folder / "dumps"
    if not dumps.is_dir():
        return []
    return sorted((p.name for p in dumps.iterdir() if p.is_dir() and p.name[:1].isdigit()), reverse=True)
