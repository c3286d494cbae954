"""Dereferencing for ``citynet serve``: ``/id/…``, ``/vocab/…`` and ``/ontology`` answer as the
published site does (:mod:`citynet.publish`), straight from the store.

The server's path ``/id/city/3094802`` stands for the IRI ``{base}id/city/3094802`` (the base is
``https://w3id.org/citynet/`` unless ``citynet serve --base`` names another):

- ``GET /id/city/3094802`` (the *thing*): ``303 See Other`` to its document in the format that
  ``Accept`` prefers (:func:`citynet.store.resources.choose_format`: HTML for a browser or no
  ``Accept``), ``Location: /id/city/3094802.ttl``, ``Vary: Accept``, ``Link: <…>; rel="describedby"``;
  ``406`` (one line naming what it serves) for a type it cannot serve; ``404`` for an IRI the graph
  says nothing about.
- ``GET /id/city/3094802.ttl`` (``.nt``, ``.jsonld``, ``.trig``, ``.html``; a scheme
  ``/vocab/role/`` has ``/vocab/role/index.ttl``): ``200``, the document, its media type, and
  ``Link`` headers: the thing it ``describes``, each other format as ``alternate`` with its type,
  the ``license``. HEAD answers the same without the body; CORS lets any origin read.

What the graph says is read by the query workers (:mod:`citynet.store.querypool`), with their
time and size limits, in at most ``1 + ROUNDS`` SPARQL queries bounded by ``LIMIT``: a resource
with 100,000 incoming triples (the concept ``vocab/role/partner``) gets a document with the first
``MAX_IN`` of them, and the header ``X-Citynet-Truncated`` says so. The quads found are put in a
small in-memory store and described with :func:`citynet.store.resources.describe`, so a document
says what the published one says. The ontology's terms (``…/ontology#Network``, which point at
the ontology with ``rdfs:isDefinedBy``) join the ontology's document.

>>> candidate_iris("https://w3id.org/citynet/", "id/org/frankfurt-(oder)")
['https://w3id.org/citynet/id/org/frankfurt-(oder)', 'https://w3id.org/citynet/id/org/frankfurt-%28oder%29']
>>> split_document("vocab/role/index.ttl"), split_document("id/city/1"), split_document("ontology.nt")
(('vocab/role/', 'ttl'), ('id/city/1', None), ('ontology', 'nt'))
>>> split_document("vocab/role/.ttl"), split_document("id/city/1.png")
(('vocab/role/.ttl', None), ('id/city/1.png', None))
"""

from __future__ import annotations

import re
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from citynet.errors import CitynetError, StoreError
from citynet.store.pages import QueryPage, render_table
from citynet.store.querypool import Job, Pool, PoolError
from citynet.store.resources import (
    BASE,
    FORMATS,
    LICENSE,
    Description,
    choose_format,
    describe,
    serialize,
)
from citynet.store.serve import Handler, Limits, Reply

PATHS = ("id/", "vocab/", "ontology")  # the server paths that stand for IRIs under the base
MAX_OUT = 10_000  # quads of the thing and its sub-resources read (default graph, named graphs: each)
MAX_IN = 1_000  # quads pointing at the thing read (default graph, named graphs: each)
MAX_BELOW = 1_000  # sub-resources (…/geometry, …#Network) read
ROUNDS = 3  # levels of sub-resources below the thing
NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # never inside an IRI in a query's <…>
SAFE = "/:@!$&'()*+,;=~"  # sub-delimiters an IRI may hold as they are
JSON = "application/sparql-results+json"
CUT = f"triples past {MAX_IN:,} pointing here or {MAX_OUT:,} of its own are left out - query /query for all"
SERVED = ", ".join(media[0] for media, _ in FORMATS.values())


def split_document(rest: str) -> tuple[str, str | None]:
    """The IRI part of a path below the base and the document's extension (None for the thing)."""
    stem, dot, ext = rest.rpartition(".")
    if not dot or ext not in FORMATS or not stem or stem.endswith("/"):
        return rest, None  # "vocab/role/.ttl" is no document: the scheme's is vocab/role/index.ttl
    if stem.endswith("/index"):
        stem = stem[: -len("index")]
    return stem, ext


def candidate_iris(base: str, rest: str) -> list[str]:
    """The IRIs a path below the base may name: as sent, and percent-encoded the two ways an IRI
    may be minted (sub-delimiters such as ``( ) ' + :`` as they are, or encoded). Empty when the
    path cannot be an IRI."""
    decoded = urllib.parse.unquote(rest, errors="strict")
    found: list[str] = []
    for form in (rest, urllib.parse.quote(decoded, safe=SAFE), urllib.parse.quote(decoded, safe="/")):
        iri = base + form
        if iri not in found and is_iri(iri):
            found.append(iri)
    return found


def is_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI that can stand in a query's ``<…>``.

    >>> is_iri("https://w3id.org/citynet/id/x"), is_iri("https://w3id.org/citynet/id/x> }")
    (True, False)
    """
    if NOT_IRI.search(text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def document_name(iri: str, base: str) -> str:
    """The path below the base of an IRI's documents, without extension.

    >>> document_name("https://w3id.org/citynet/vocab/role/", "https://w3id.org/citynet/")
    'vocab/role/index'
    """
    rest = iri[len(base) :]
    return rest + "index" if rest.endswith("/") else rest


def build_query(subjects: list[str], objects: list[str]) -> str:
    """One SELECT of the quads whose subject is one of ``subjects`` or whose object is one of
    ``objects``, each part bounded by a LIMIT one past its maximum (to tell a cut)."""
    parts = []
    for values, where, limit in (
        (subjects, "?s ?p ?o", MAX_OUT),
        (objects, "?s ?p ?o", MAX_IN),
    ):
        if not values:
            continue
        var = "?s" if values is subjects else "?o"
        listed = " ".join(f"<{iri}>" for iri in values)
        kind = "out" if values is subjects else "in"
        parts.append(
            f'{{ SELECT ?s ?p ?o ("{kind}" AS ?part) WHERE {{ VALUES {var} {{ {listed} }} {where} }} '
            f"LIMIT {limit + 1} }}"
        )
        parts.append(
            f'{{ SELECT ?s ?p ?o ?g ("{kind}-g" AS ?part) WHERE {{ VALUES {var} {{ {listed} }} '
            f"GRAPH ?g {{ {where} }} }} LIMIT {limit + 1} }}"
        )
    return "SELECT ?s ?p ?o ?g ?part WHERE { " + " UNION ".join(parts) + " }"


def read_quads(body: bytes) -> tuple[list[ox.Quad], bool]:
    """The quads of :func:`build_query`'s results, and whether a part passed its maximum."""
    counts: dict[str, int] = defaultdict(int)
    quads, cut = [], False
    for row in ox.parse_query_results(body, ox.QueryResultsFormat.JSON):
        part = row["part"].value
        counts[part] += 1
        if counts[part] > (MAX_OUT if part.startswith("out") else MAX_IN):
            cut = True
            continue
        graph = row["g"] if row["g"] is not None else ox.DefaultGraph()
        quads.append(ox.Quad(row["s"], row["p"], row["o"], graph))
    return quads, cut


def find_below(iri: str, quads: list[ox.Quad], seen: set[str]) -> list[str]:
    """Sub-resources not yet read: IRIs below ``iri`` that its triples point at, and hash IRIs
    below it that point at it (an ontology's terms)."""
    found = []
    for quad in quads:
        target, source = quad.object, quad.subject
        values = [
            term.value
            for term, prefixes in ((target, (iri + "/", iri + "#")), (source, (iri + "#",)))
            if isinstance(term, ox.NamedNode) and term.value.startswith(prefixes)
        ]
        for value in values:
            if value not in seen and len(seen) <= MAX_BELOW:
                seen.add(value)
                found.append(value)
    return found


def add_hash_terms(found: Description, store: ox.Store) -> Description:
    """The description with the hash IRIs below the thing that point at it (``…/ontology#City``
    ``rdfs:isDefinedBy`` the ontology) described in it too: they have no document of their own."""
    covered = {str(triple.subject) for triple in found.triples}
    terms = {
        triple.subject
        for triple in found.incoming
        if triple.subject.value.startswith(found.iri + "#") and str(triple.subject) not in covered
    }
    if not terms:
        return found
    triples = set(found.triples)
    graphs = defaultdict(set, {name: set(listed) for name, listed in found.graphs.items()})
    for term in terms:
        for quad in store.quads_for_pattern(term, None, None, None):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                triples.add(quad.triple)
            else:
                graphs[quad.graph_name].add(quad.triple)
    return Description(
        found.iri,
        sorted(triples, key=str),
        [triple for triple in found.incoming if triple.subject not in terms],
        {name: sorted(graphs[name], key=str) for name in sorted(graphs, key=str)},
    )


@dataclass(frozen=True)
class Pages:
    """What ``citynet serve`` shows besides ``/query``: the base IRI its ``/id/…`` paths stand for,
    the HTML renderer of a resource's description (a minimal table when None), the named queries
    of the query page as (name, summary, text)."""

    base: str = BASE
    render_html: Callable | None = None
    queries: tuple[tuple[str, str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        """Refuse a base that is not an absolute http(s) IRI ending in ``/``.

        >>> Pages("citynet/")
        Traceback (most recent call last):
        citynet.errors.StoreError: the base "citynet/" is not an absolute http(s) IRI ending in "/" - ...
        """
        parts = urllib.parse.urlsplit(self.base)
        if parts.scheme not in ("http", "https") or not parts.netloc or not self.base.endswith("/"):
            raise StoreError(
                f'the base "{self.base}" is not an absolute http(s) IRI ending in "/" - '
                "give one like https://w3id.org/citynet/"
            )

    def handlers(self, pool: Pool, limits: Limits) -> tuple[Handler, ...]:
        """The query page's and the dereferencing's handlers, for :class:`citynet.store.serve.QueryApp`."""
        return (
            QueryPage(self.queries).answer,
            Dereferencer(pool, limits, self.base, self.render_html).answer,
        )


class Dereferencer:
    """The handler of ``/id/…``, ``/vocab/…`` and ``/ontology`` for :class:`citynet.store.serve.QueryApp`."""

    def __init__(
        self, pool: Pool, limits: Limits, base: str, render_html: Callable[[Description], str] | None = None
    ) -> None:
        self.pool, self.limits, self.base, self.render_html = pool, limits, base, render_html

    def answer(self, environ: dict) -> Reply | None:
        """The reply to a request for a thing or a document; None for any other path."""
        path = read_path(environ)
        rest = path.removeprefix(environ.get("SCRIPT_NAME", "")).removeprefix("/")
        if not rest.startswith(PATHS):
            return None
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return Reply.error(405, "only GET and HEAD read a resource", ("Allow", "GET, HEAD, OPTIONS"))
        name, ext = split_document(rest)
        try:
            candidates = candidate_iris(self.base, name)
            if ext is None:
                return self.redirect(environ, candidates)
            return self.document(environ, candidates, ext)
        except UnicodeDecodeError:
            return Reply.error(404, f'"{rest[:80]}" is not UTF-8 - no resource has that name')
        except PoolError as exc:
            return Reply.error(exc.status, str(exc))

    def redirect(self, environ: dict, candidates: list[str]) -> Reply:
        """303 to the thing's document in the format ``Accept`` prefers, or 406, or 404."""
        vary = ("Vary", "Accept")
        ext = choose_format(environ.get("HTTP_ACCEPT"))
        if ext is None:
            accept = " ".join(environ.get("HTTP_ACCEPT", "").split())[:200]
            return Reply.error(406, f'cannot serve "{accept}" - accept one of {SERVED}', vary)
        iri = self.resolve(candidates)
        if iri is None:
            return self.not_found(candidates, vary)
        where = self.link(environ, iri, ext)
        return Reply(
            303,
            "text/plain; charset=utf-8",
            f"See {where}\n".encode(),
            (vary, ("Location", where), ("Link", f'<{where}>; rel="describedby"; type="{media(ext)}"')),
        )

    def document(self, environ: dict, candidates: list[str], ext: str) -> Reply:
        """200 with the document of the thing in the format of ``ext``, or 404."""
        iri = candidates[0] if len(candidates) == 1 else self.resolve(candidates)
        found, cut = self.describe(iri) if iri else (None, False)
        if found is None or not found.exists:
            return self.not_found(candidates)
        if ext == "html":
            try:
                body = self.render_page(found).encode()
            except CitynetError as exc:  # the renderer refuses the resource (publish's PublishError)
                return Reply.error(500, f"cannot show {found.iri} as HTML: {exc}")
        else:
            body = serialize(found, ext, self.base + document_name(found.iri, self.base) + "." + ext)
        links = [f'<{found.iri}>; rel="describes"', f'<{LICENSE}>; rel="license"']
        links += [
            f'<{self.link(environ, found.iri, other)}>; rel="alternate"; type="{media(other)}"'
            for other in FORMATS
            if other != ext
        ]
        headers = [("Link", ", ".join(links))]
        if cut:
            headers.append(("X-Citynet-Truncated", CUT))
        charset = "; charset=utf-8" if ext in ("html", "ttl") else ""
        return Reply(200, media(ext) + charset, body, tuple(headers))

    def render_page(self, found: Description) -> str:
        """The HTML page of a description: the given renderer's, or a plain table of triples."""
        if self.render_html is not None:
            return self.render_html(found)
        name = document_name(found.iri, self.base).rsplit("/", 1)[-1]
        alternates = [
            (ext, media(ext), "./" + urllib.parse.quote(f"{name}.{ext}", safe=SAFE + "%")) for ext in FORMATS
        ]
        return render_table(found, self.base, alternates)

    def not_found(self, candidates: list[str], *headers: tuple[str, str]) -> Reply:
        named = candidates[0] if candidates else "that path"
        return Reply.error(404, f"the graph says nothing about {named[:200]} - check the IRI", *headers)

    def link(self, environ: dict, iri: str, ext: str) -> str:
        """The server's path of an IRI's document in the format of ``ext``."""
        name = urllib.parse.quote(document_name(iri, self.base), safe=SAFE + "%")
        return f"{environ.get('SCRIPT_NAME', '')}/{name}.{ext}"

    def resolve(self, candidates: list[str]) -> str | None:
        """The first candidate IRI that the graph says anything about."""
        if not candidates:
            return None
        listed = " ".join(f"<{iri}>" for iri in candidates)
        text = (
            f"SELECT ?s WHERE {{ VALUES ?s {{ {listed} }} "
            "FILTER EXISTS { { ?s ?p ?o } UNION { ?x ?y ?s } } }"
        )
        found = {row["s"].value for row in ox.parse_query_results(self.run(text), ox.QueryResultsFormat.JSON)}
        return next((iri for iri in candidates if iri in found), None)

    def describe(self, iri: str) -> tuple[Description, bool]:
        """What the graph says about ``iri`` (see the module's text), and whether it was cut."""
        store = ox.Store()
        quads, cut = read_quads(self.run(build_query([iri], [iri])))
        store.extend(quads)
        seen = {iri}
        below = find_below(iri, quads, seen)
        for _ in range(ROUNDS):
            if not below:
                break
            quads, more = read_quads(self.run(build_query(below, [])))
            store.extend(quads)
            cut = cut or more
            below = find_below(iri, quads, seen)
        return add_hash_terms(describe(store, iri), store), cut

    def run(self, text: str) -> bytes:
        """The JSON results of a query run by a worker (PoolError when it fails)."""
        answer = self.pool.run(Job(text, JSON, self.limits.max_result_bytes))
        if answer.status != 200:
            raise PoolError(answer.status, answer.body.decode("utf-8", "replace").strip())
        return answer.body


def media(ext: str) -> str:
    """The media type a document of extension ``ext`` is served as.

    >>> media("ttl"), media("jsonld")
    ('text/turtle', 'application/ld+json')
    """
    return FORMATS[ext][0][0]


def read_path(environ: dict) -> str:
    """The request's path as the client sent it, percent-encoding and all (waitress keeps it in
    ``REQUEST_URI``; ``PATH_INFO`` is decoded)."""
    raw = environ.get("REQUEST_URI", "").split("?", 1)[0].split("#", 1)[0]
    if raw.startswith("/"):
        return raw
    path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
    return environ.get("SCRIPT_NAME", "") + urllib.parse.quote(path, safe=SAFE)
