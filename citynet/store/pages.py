"""The HTML pages of ``citynet serve``: the SPARQL query page, and the minimal page of a resource.

The query page (``/`` and ``/sparql``) is YASGUI (``@zazuko/yasgui``, vendored in
``citynet/store/yasgui/`` with its licence and version) on this server's ``/query``, with the
project's named queries in a menu, each opening in a tab of its own. It loads nothing from
elsewhere, which its ``Content-Security-Policy`` enforces in the browser: no autocompletion that
asks prefix.cc or Linked Open Vocabularies (``class``, ``property``), only the bundled prefixes
and the query's variables; no tab persisted across visits (each visit starts from the named
queries as the server has them).

A resource's page is the publish module's when ``citynet.api.serve`` passes its renderer; until
then, and for a self-hosted base, :func:`render_table` writes the triples in plain tables.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable
from functools import cache
from importlib import resources

import jinja2
import pyoxigraph as ox

from citynet.rdf.namespaces import XSD
from citynet.store.resources import PREFIXES, Description
from citynet.store.serve import Reply

STATIC = {  # path -> (package folder, file, media type)
    "/yasgui/yasgui.min.js": ("yasgui", "yasgui.min.js", "text/javascript; charset=utf-8"),
    "/yasgui/yasgui.min.css": ("yasgui", "yasgui.min.css", "text/css; charset=utf-8"),
    "/yasgui/LICENSE": ("yasgui", "LICENSE", "text/plain; charset=utf-8"),
    "/query-page.js": ("templates", "query-page.js", "text/javascript; charset=utf-8"),
}
POLICY = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; font-src 'self' data:; base-uri 'none'; form-action 'self'"
)


class QueryPage:
    """The handler of the query page and its files for :class:`citynet.store.serve.QueryApp`."""

    def __init__(self, queries: Iterable[tuple[str, str, str]]) -> None:
        self.page = render_query_page(queries).encode()
        folder = resources.files("citynet.store")
        self.files = {
            path: (media, folder.joinpath(part, name).read_bytes())
            for path, (part, name, media) in STATIC.items()
        }

    def answer(self, environ: dict) -> Reply | None:
        """The page or one of its files; None for any other path."""
        path = environ.get("PATH_INFO", "")
        if path in ("/", "/sparql"):
            reply = Reply(
                200,
                "text/html; charset=utf-8",
                self.page,
                (("Content-Security-Policy", POLICY), ("Cache-Control", "no-cache")),
            )
        elif path in self.files:
            media, body = self.files[path]
            reply = Reply(200, media, body, (("Cache-Control", "public, max-age=3600"),))
        else:
            return None
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return Reply.error(405, f"{path} is a page - GET it", ("Allow", "GET, HEAD, OPTIONS"))
        return reply


def render_query_page(queries: Iterable[tuple[str, str, str]]) -> str:
    """The query page with the named queries (name, summary, text) in its menu and, as JSON, in
    a ``<script>`` block (Jinja's ``tojson`` escapes ``<``, ``>``, ``&`` and ``'``).

    >>> page = render_query_page([("x", "A <b>", "SELECT * { ?s ?p '</script>' }")])
    >>> "A &lt;b&gt;" in page, "\\\\u003c/script\\\\u003e" in page, "</script>'" in page
    (True, True, False)
    """
    named = [{"name": name, "summary": summary, "text": text} for name, summary, text in queries]
    return open_templates().get_template("query.html").render(queries=named)


def render_table(found: Description, base: str, alternates: list[tuple[str, str, str]]) -> str:
    """A minimal HTML page of a description: its triples in tables, every value escaped, only
    http(s) IRIs as links (those under the base to this server's paths); ``alternates`` are the
    other documents as (extension, media type, link).

    >>> city = ox.NamedNode("https://w3id.org/citynet/id/city/1")
    >>> label = ox.Triple(city, ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal("<b>", language="en"))
    >>> page = render_table(Description(city.value, [label]), "https://w3id.org/citynet/", [])
    >>> '<a href="/id/city/1">' in page, "&lt;b&gt;@en" in page, "<b>" in page
    (True, True, False)
    """
    sections = [("What the graph says", found.triples), ("What points here", found.incoming)]
    sections += [(f"Stated by {graph.value}", triples) for graph, triples in found.graphs.items()]
    return (
        open_templates()
        .get_template("resource.html")
        .render(
            iri=found.iri,
            alternates=[{"ext": ext, "type": media, "href": href} for ext, media, href in alternates],
            sections=[
                {"title": title, "rows": [[to_cell(term, base) for term in triple] for triple in triples]}
                for title, triples in sections
                if triples
            ],
        )
    )


def to_cell(term: ox.Term, base: str) -> dict[str, str | None]:
    """A table cell: the term's text (IRIs with a known prefix shortened) and a link or None.

    >>> to_cell(ox.Literal("3", datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")), "")
    {'text': '3^^xsd:integer', 'href': None}
    >>> to_cell(ox.NamedNode("javascript:alert(1)"), "https://w3id.org/citynet/")
    {'text': 'javascript:alert(1)', 'href': None}
    """
    if isinstance(term, ox.Literal):
        if term.language:
            return {"text": f"{term.value}@{term.language}", "href": None}
        typed = term.datatype.value != str(XSD.string)
        return {
            "text": f"{term.value}^^{shorten(term.datatype.value)}" if typed else term.value,
            "href": None,
        }
    if not isinstance(term, ox.NamedNode):
        return {"text": str(term), "href": None}
    value = term.value
    if value.startswith(base):
        return {"text": value, "href": "/" + urllib.parse.quote(value[len(base) :], safe="/:@!$&'()*+,;=~%#")}
    return {"text": shorten(value), "href": value if value.startswith(("http://", "https://")) else None}


def shorten(iri: str) -> str:
    """An IRI as ``prefix:name`` when it is in a known namespace.

    >>> shorten("http://www.w3.org/2000/01/rdf-schema#label")
    'rdfs:label'
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return prefix + ":" + iri[len(namespace) :]
    return iri


@cache
def open_templates() -> jinja2.Environment:
    """The templates of the server's pages, HTML-escaping every value put into them."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("citynet.store", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
