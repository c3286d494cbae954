"""The ontology and its SKOS vocabularies as published files, and the ontology's documentation.

``write_ontology`` writes, under the published folder:

- ``ontology.html``: the documentation made by pyLODE (its ``OntPub`` profile), with one anchor
  per term named by the term's local name, so ``…/ontology#Network`` is ``ontology.html#Network``;
- ``ontology.ttl``, ``ontology.nt``, ``ontology.jsonld``, ``ontology.owl`` (RDF/XML);
- ``vocab/<scheme>.ttl`` ``.nt`` ``.jsonld`` ``.rdf``: each SKOS scheme whole (``vocab/role.ttl``
  for ``https://w3id.org/citynet/vocab/role/``); the documents of single concepts are made from
  the store by :mod:`citynet.publish.documents`.

The ontology is read from the project's ``ontology/`` folder, the files the store was loaded from,
not from the store's graph ``id/graph/ontology``: the load leaves out blank nodes, so that graph
lacks the ``owl:unionOf`` domains and ranges (``cn:member`` ranges over cities *or* organisations),
and the files keep the prefixes the Turtle and the documentation show.

Every RDF file also tells the thing from its document (``foaf:primaryTopic``, as
:func:`citynet.store.resources.about_document` says). The N-Triples are sorted, with blank nodes
named canonically, so the same ontology gives the same file.

>>> import datetime as dt, pyoxigraph as ox, tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> context = Context(ox.Store(), "https://w3id.org/citynet/", dt.date(2026, 12, 4), folder)
>>> written = write_ontology(context)
>>> written[:5]
['ontology.html', 'ontology.ttl', 'ontology.nt', 'ontology.jsonld', 'ontology.owl']
>>> 'vocab/role.ttl' in written, 'id="Network"' in (folder / "ontology.html").read_text()
(True, True)
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF, SKOS

from citynet.errors import PublishError
from citynet.project import find_project
from citynet.publish.context import Context
from citynet.rdf.namespaces import ONTOLOGY_IRI, VOCAB
from citynet.store.resources import LICENSE, about_document

ONTOLOGY_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "owl": "xml"}
VOCAB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}
MEDIA_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "owl": "application/rdf+xml",
    "rdf": "application/rdf+xml",
}
TERMS = str(ONTOLOGY_IRI) + "#"
EMPTY_SCRIPT = re.compile(r'<script id="schema\.org" type="application/ld\+json">\s*\[\]\s*</script>')


def write_ontology(context: Context, ontology_dir: Path | None = None) -> list[str]:
    """Write the ontology's documentation and files, and each vocabulary's files; return their
    paths relative to ``context.folder``. ``ontology_dir`` defaults to the project's.

    Raises PublishError when the folder holds no ontology or pyLODE cannot document it.
    """
    folder = ontology_dir or find_project().ontology_dir
    ontology = read_turtle(folder / "citynet.ttl")
    written = [write_documentation(ontology, context.folder)]
    written += write_formats(ontology, context, str(ONTOLOGY_IRI), "ontology", ONTOLOGY_FORMATS)
    for path in sorted((folder / "vocab").glob("*.ttl")):
        vocabulary = read_turtle(path)
        scheme, name = find_scheme(vocabulary, path)
        written += write_formats(vocabulary, context, scheme, f"vocab/{name}", VOCAB_FORMATS)
    return written


def read_turtle(path: Path) -> Graph:
    """The Turtle file at ``path`` as a graph, or PublishError naming it."""
    try:
        return Graph(bind_namespaces="none").parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as error:
        raise PublishError(f'cannot read the ontology file "{path}": {error} - fix or restore it') from error


def find_scheme(vocabulary: Graph, path: Path) -> tuple[str, str]:
    """The one SKOS scheme of ``vocabulary`` and its file name: ``(…/vocab/role/, "role")``."""
    schemes = [str(s) for s in vocabulary.subjects(RDF.type, SKOS.ConceptScheme)]
    name = schemes[0].removeprefix(VOCAB).removesuffix("/") if len(schemes) == 1 else ""
    if not name or name == schemes[0] or "/" in name or not schemes[0].endswith("/"):
        raise PublishError(
            f'"{path}" declares the schemes {schemes} - a vocabulary file needs exactly one, '
            "whose IRI is https://w3id.org/citynet/vocab/<name>/"
        )
    return schemes[0], name


def write_formats(
    graph: Graph, context: Context, thing: str, stem: str, formats: dict[str, str]
) -> list[str]:
    """Write ``graph`` as ``<stem>.<ext>`` for each format, each saying it is a document of ``thing``."""
    written = []
    for ext, rdflib_format in formats.items():
        document = copy_graph(graph)
        for triple in about_document(thing, f"{context.base}{stem}.{ext}"):
            document.add(tuple(URIRef(term.value) for term in triple))  # type: ignore[arg-type]
        path = context.folder / f"{stem}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(serialize(document, rdflib_format))
        written.append(f"{stem}.{ext}")
    return written


def copy_graph(graph: Graph) -> Graph:
    """A copy of ``graph`` with its prefixes and no others (rdflib binds some thirty by default)."""
    copy = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace)
    copy += graph
    return copy


def serialize(graph: Graph, rdflib_format: str) -> bytes:
    """``graph`` in the format; N-Triples sorted, with canonical blank node names."""
    if rdflib_format == "nt":
        lines = to_canonical_graph(graph).serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if line.strip()))
    if rdflib_format == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
        return graph.serialize(format="json-ld", context=context, encoding="utf-8")
    return graph.serialize(format=rdflib_format, encoding="utf-8")


def write_documentation(ontology: Graph, folder: Path) -> str:
    """Write ``ontology.html``, pyLODE's documentation of ``ontology``; return its path."""
    html = document_ontology(ontology)
    links = [
        f'<link rel="alternate" type="{MEDIA_TYPES[ext]}" href="ontology.{ext}">' for ext in ONTOLOGY_FORMATS
    ]
    head = "\n".join([*links, f'<link rel="license" href="{LICENSE}">', ""])
    html = html.replace("</head>", head + "</head>", 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ontology.html").write_text(html, encoding="utf-8")
    return "ontology.html"


def document_ontology(ontology: Graph) -> str:
    """pyLODE's HTML for ``ontology``: each term's anchor its local name (``#Network``), no markup
    from the ontology's text, and its schema.org JSON-LD with ``<`` written ``\\u003c``.

    pyLODE renders every literal as Markdown and lets HTML through, and writes its JSON-LD into
    ``<script>`` as it is: it is given the ontology with ``<`` and ``>`` as character references
    (Markdown keeps them), and its JSON-LD is made again from the text as it was.
    """
    with keep_root_logger():
        pylode = import_pylode()
    with keep_root_logger():
        try:
            doc = make_ontpub(pylode, escape_markup(ontology))
        except pylode.PylodeError as error:
            problem = f"pyLODE cannot document the ontology: {error}"
            raise PublishError(f"{problem} - give the owl:Ontology a dcterms:title") from error
        terms = {str(s) for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(TERMS)}
        doc.fids.update({term: term[len(TERMS) :] for term in sorted(terms)})  # pyLODE's own id table
        html = str(doc.make_html())
    script = to_json_script(unescape_markup(doc.schema_org))
    html, found = EMPTY_SCRIPT.subn(lambda _: script, html, count=1)
    if not found:
        raise PublishError("pyLODE's page has no schema.org script - is pylode still 3.4?")
    return html


def make_ontpub(pylode: Any, graph: Graph) -> Any:
    """pyLODE's ``OntPub`` for ``graph``, keeping its schema.org graph out of the page (in
    ``schema_org``) for :func:`document_ontology` to write escaped."""

    class OntPub(pylode.OntPub):  # type: ignore[misc, name-defined]
        schema_org = Graph()

        def _make_schema_org(self) -> Graph:
            self.schema_org = super()._make_schema_org()
            return Graph()  # its script holds "[]", replaced

    return OntPub(graph)


def escape_markup(graph: Graph) -> Graph:
    """A copy of ``graph`` whose literals have ``<`` and ``>`` as ``&lt;`` and ``&gt;``."""
    return map_literals(graph, lambda text: text.replace("<", "&lt;").replace(">", "&gt;"))


def unescape_markup(graph: Graph) -> Graph:
    """What :func:`escape_markup` did, undone."""
    return map_literals(graph, lambda text: text.replace("&lt;", "<").replace("&gt;", ">"))


def map_literals(graph: Graph, change: Callable[[str], str]) -> Graph:
    """A copy of ``graph`` (with its prefixes) whose literals' text is changed by ``change``."""
    copy = Graph(bind_namespaces="none")
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace)
    for s, p, o in graph:
        if isinstance(o, Literal) and ("<" in o or ">" in o or "&" in o):
            o = Literal(change(str(o)), lang=o.language, datatype=o.datatype)
        copy.add((s, p, o))
    return copy


def to_json_script(graph: Graph) -> str:
    """``graph`` as a JSON-LD ``<script>`` block, ``<`` written ``\\u003c`` so no text can end it."""
    data = graph.serialize(format="json-ld").replace("<", "\\u003c")
    return f'<script id="schema.org" type="application/ld+json">\n{data}\n</script>'


@contextmanager
def keep_root_logger() -> Iterator[None]:
    """Put the root logger's handlers and level back as they were: pyLODE sets them.

    Importing it calls ``logging.basicConfig(level=DEBUG)`` (its Supermodel profile), and its
    ``logging.info(…)`` calls add a handler to a root logger that has none.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def import_pylode() -> Any:
    """pyLODE 3.4.1, whose ``pylode.version`` opens a ``pyproject.toml`` the wheel does not ship
    (RDFLib/pyLODE#256, #260, fixed after 3.4.1): the version is given from the installed metadata."""
    if "pylode" not in sys.modules:
        version = types.ModuleType("pylode.version")
        version.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
        sys.modules.setdefault("pylode.version", version)
    import pylode

    return pylode
