"""A resource's HTML page: its labels, its facts grouped by the source that states them, conflicts.

Used by ``citynet publish`` (:mod:`citynet.publish.documents`) and by ``citynet serve``; both hand
over a :class:`~citynet.store.resources.Description` and a :class:`Lookup` (the store and the base,
for the labels of linked resources and the sources' titles). Every value goes through Jinja2's
autoescape; only http(s) IRIs become links; the JSON-LD in ``<head>`` is written with Jinja2's
``tojson``, which escapes ``<``, ``>``, ``&`` and ``'`` as ``\\u003c`` and the like.

>>> import pyoxigraph as ox
>>> from citynet.store.resources import describe
>>> store = ox.Store()
>>> city = ox.NamedNode(BASE + "id/city/1")
>>> store.add(ox.Quad(city, ox.NamedNode(SKOS.prefLabel), ox.Literal("<b>Gent</b>", language="nl")))
>>> html = render_page(describe(store, city.value), Lookup(store, BASE))
>>> "&lt;b&gt;Gent&lt;/b&gt;" in html, "<b>Gent" in html, 'href="./1.ttl"' in html
(True, False, True)
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import chain
from typing import Any
from urllib.parse import urlsplit

import jinja2
import pyoxigraph as ox

from citynet.publish.paths import document_path, href
from citynet.rdf.namespaces import CN, DCTERMS, PROV, RDF, RDFS, SCHEMA, SKOS, WGS
from citynet.store.resources import BASE, FORMATS, LICENSE, PREFIXES, RDF_EXTENSIONS, Description

RDF_TYPE = str(RDF.type)
# the predicates that name a resource, in the order a page's title prefers them
LABELS = tuple(str(term) for term in (SKOS.prefLabel, RDFS.label, DCTERMS.title, SCHEMA.name, SKOS.altLabel))
# What queries/conflicts.rq counts as a conflict: one subject, one of these predicates, different
# values in two named graphs (tests/test_publish_documents.py checks the list against the query).
CONFLICTING = frozenset(
    str(term)
    for term in (
        *(CN.country, CN.programme, CN.networkType, CN.role, CN.start, CN.end, CN.duration),
        *(CN.acronym, CN.rate, CN.fund, CN.declaredPartnerCount, CN.declaredCountryCount),
        *(CN.partnerCount, CN.approvedOn, CN.declaredNetworkCount),
        *(CN.declaredOrganisationCount, CN.newcomerShare, SCHEMA.value, SCHEMA.currency),
    )
)
SOURCE_FIELDS = {  # the predicates of a source in the graph id/graph/sources, as a page names them
    str(DCTERMS.title): "title",
    str(DCTERMS.publisher): "publisher",
    str(CN.url): "url",
    str(DCTERMS.language): "language",
    str(DCTERMS.date): "date",
    str(DCTERMS.rights): "rights",
    str(PROV.generatedAtTime): "retrieved",  # an enrichment graph says so of itself
    str(PROV.wasDerivedFrom): "url",
}
SHOWN_PREFIXES = {**PREFIXES, "wgs84": str(WGS)}
MEDIA = {ext: media[0] for ext, (media, _) in FORMATS.items()}
SITE_FOLDERS = {str(CN.Network): "networks", str(CN.City): "cities", str(CN.Organisation): "organisations"}


@dataclass
class Lookup:
    """What a page needs beyond its description: labels of linked resources and the sources' details.

    ``site_url`` is where ``citynet visualize``'s pages are (``https://…/site/``), or None.
    Answers are cached, so one Lookup serves all the pages of a publish run.
    """

    store: ox.Store
    base: str = BASE
    site_url: str | None = None
    label: Any = field(init=False, repr=False)  # the cached read_label, find_owner, read_source
    owner: Any = field(init=False, repr=False)
    source: Any = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.label = functools.lru_cache(maxsize=65536)(self.read_label)
        self.owner = functools.lru_cache(maxsize=65536)(self.find_owner)
        self.source = functools.lru_cache(maxsize=4096)(self.read_source)

    def read_label(self, iri: str) -> str:
        """The best label of ``iri`` in the default graph: of the first predicate of LABELS that
        gives one (a name before an alternative label), the English, else untagged, else any."""
        thing = ox.NamedNode(iri)
        for predicate in LABELS:
            quads = self.store.quads_for_pattern(thing, ox.NamedNode(predicate), None, ox.DefaultGraph())
            found = pick_label([quad.object for quad in quads])
            if found:
                return found
        return self.name_membership(iri) or short_name(iri, self.base)

    def name_membership(self, iri: str) -> str | None:
        """A membership's name, which the graph does not give: "Kraków in USER"."""
        ends = [
            next(self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(term)), None), None)
            for term in (CN.member, CN.network)
        ]
        if all(quad is not None and isinstance(quad.object, ox.NamedNode) for quad in ends):
            member, network = (self.label(quad.object.value) for quad in ends)
            return f"{member} in {network}"
        return None

    def find_owner(self, iri: str) -> str:
        """The IRI whose document holds ``iri``: ``iri`` itself, or for a sub-resource
        (``…/city/1/geometry``, pointed at by ``…/city/1``) the owner of the nearest IRI above it
        that points at it, as :func:`citynet.store.resources.describe` folds them."""
        node, above = ox.NamedNode(iri), iri
        while "/" in above[len(self.base) :]:
            above = above.rsplit("/", 1)[0]
            if next(self.store.quads_for_pattern(ox.NamedNode(above), None, node, ox.DefaultGraph()), None):
                return self.owner(above)
        return iri

    def read_source(self, graph: str) -> dict[str, str]:
        """A source's title, publisher, url, language, date and rights as the register of sources
        has them, or when and from where a derived graph was retrieved, as it says itself (PROV-O)."""
        found: dict[str, str] = {}
        node, sources = ox.NamedNode(graph), ox.NamedNode(self.base + "id/graph/sources")
        for quad in chain(
            self.store.quads_for_pattern(node, None, None, sources),
            self.store.quads_for_pattern(node, None, None, node),
        ):
            name = SOURCE_FIELDS.get(quad.predicate.value)
            if name and name not in found:
                found[name] = quad.object.value
        return found


def pick_label(literals: list[Any]) -> str | None:
    """The first English label, else the first without a language, else the first.

    >>> pick_label([ox.Literal("Krakowie", language="pl"), ox.Literal("Kraków")])
    'Kraków'
    """
    texts = [node for node in literals if isinstance(node, ox.Literal)]
    for wanted in ("en", None):
        for node in texts:
            if node.language == wanted:
                return node.value
    return texts[0].value if texts else None


def short_name(iri: str, base: str) -> str:
    """An IRI without the base, or a prefixed name (``cn:City``), or the IRI itself.

    >>> short_name(BASE + "id/city/1", BASE), short_name(str(SKOS.prefLabel), BASE)
    ('id/city/1', 'skos:prefLabel')
    """
    if base and iri.startswith(base) and not iri.startswith(base + "ontology"):
        return iri[len(base) :]
    for prefix, namespace in SHOWN_PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def render_page(found: Description, lookup: Lookup) -> str:
    """The HTML page of the resource ``found`` describes, at its document path under the base."""
    page = document_path(found.iri, lookup.base)
    links = Linker(page, found.iri, lookup)
    own = href(page, page, "html")  # the page's own files differ in their extension only
    graphs = [render_group(graph.value, triples, found, links) for graph, triples in found.graphs.items()]
    graphs.sort(key=lambda group: not group["is_source"])  # the sources first, then derived graphs
    stated = {triple for triples in found.graphs.values() for triple in triples}
    unstated = [t for t in [*found.triples, *found.incoming] if t not in stated]
    if unstated:
        graphs.append(render_group(None, unstated, found, links))
    return (
        open_templates()
        .get_template("resource.html")
        .render(
            iri=found.iri,
            title=lookup.label(found.iri),
            labels=collect_labels(found),
            types=[links.node(t.object) for t in found.triples if is_own(t, found, RDF_TYPE)],
            conflicts=find_conflicts(found, links),
            groups=graphs,
            related=collect_related(found, links),
            formats=[(ext, MEDIA[ext], own[: -len("html")] + ext) for ext in RDF_EXTENSIONS],
            html_href=own,
            void=link_between(links.folder, "void", "ttl"),
            license=LICENSE,
            site_page=site_page(found, lookup),
            jsonld=to_jsonld(found),
        )
    )


@functools.cache
def open_templates() -> jinja2.Environment:
    """The publication's HTML templates (pages, queries), HTML-escaping every value put into them."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("citynet.publish", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def is_own(triple: ox.Triple, found: Description, predicate: str) -> bool:
    """True when ``triple`` is the thing's own and has ``predicate``."""
    return triple.subject.value == found.iri and triple.predicate.value == predicate


path_of = functools.lru_cache(maxsize=65536)(document_path)


@functools.lru_cache(maxsize=65536)
def link_between(folder: str, target: str, ext: str) -> str:
    """:func:`~citynet.publish.paths.href` from any page in ``folder`` (it depends on the folder
    only), remembered: pages in one folder link to the same few resources.

    >>> link_between("id/city", "id/country/PL", "html"), link_between("", "id/city/1", "ttl")
    ('../country/PL.html', './id/city/1.ttl')
    """
    return href(f"{folder}/_" if folder else "_", target, ext)


class Linker:
    """How one page shows a node: a link (documents under the base, http(s) IRIs) or text."""

    def __init__(self, page: str, iri: str, lookup: Lookup) -> None:
        self.page, self.iri, self.lookup = page, iri, lookup
        self.folder = posixpath.dirname(page)

    def node(self, node: Any) -> dict[str, str | None]:
        """A value as the template shows it: text, link (or None), language, datatype, IRI."""
        if isinstance(node, ox.Literal):
            datatype = node.datatype.value
            shown = None if node.language or datatype.endswith("#string") else short_name(datatype, "")
            return {"text": node.value, "link": None, "lang": node.language, "datatype": shown, "iri": None}
        if isinstance(node, ox.BlankNode):
            return {"text": f"_:{node.value}", "link": None, "lang": None, "datatype": None, "iri": None}
        iri = node.value
        return {"text": self.name(iri), "link": self.link(iri), "lang": None, "datatype": None, "iri": iri}

    def name(self, iri: str) -> str:
        """The label of an IRI under the base, the prefixed name of others."""
        if self.below(iri):
            return iri[len(self.iri) :]
        if iri.startswith(self.lookup.base):
            return self.lookup.label(iri)
        return short_name(iri, self.lookup.base)

    def below(self, iri: str) -> bool:
        """True for the thing's own sub-resources, shown on its page."""
        return iri.startswith((self.iri + "/", self.iri + "#"))

    def link(self, iri: str) -> str | None:
        """The href of an IRI: its document's HTML under the base, itself if http(s), else None."""
        base = self.lookup.base
        if self.below(iri) or iri == self.iri:
            return None
        if iri.startswith(base + "ontology"):
            term = iri.split("#", 1)
            return link_between(self.folder, "ontology", "html") + (f"#{term[1]}" if len(term) == 2 else "")
        if iri.startswith(base):
            owner = self.lookup.owner(iri)
            return None if owner == self.iri else link_between(self.folder, path_of(owner, base), "html")
        return web_link(iri)


def render_group(graph: str | None, triples: list[ox.Triple], found: Description, links: Linker) -> dict:
    """One source's (or derived graph's) facts about the resource: its details and its rows."""
    marked = conflicting_pairs(found)
    details = links.lookup.source(graph) if graph else {}
    source_iri = links.lookup.base + "id/source/"
    is_source = graph is not None and ("title" in details or graph.startswith(source_iri))
    return {
        "graph": graph,
        "name": short_name(graph, links.lookup.base) if graph else "not attributed to a source",
        "is_source": is_source,
        "link": links.link(graph) if is_source and graph else None,
        "details": {
            **dict.fromkeys(SOURCE_FIELDS.values()),
            **details,
            "url_link": web_link(details["url"]) if "url" in details else None,
        },
        "rows": sorted(  # the thing's own facts, then its sub-resources', then those pointing at it
            (render_row(t, found, links, (t.subject.value, t.predicate.value) in marked) for t in triples),
            key=lambda row: (row["incoming"], row["about"] or ""),
        ),
    }


def render_row(triple: ox.Triple, found: Description, links: Linker, conflict: bool) -> dict:
    """A fact as a table row: the sub-resource it is about (or none), predicate, value, direction."""
    incoming = triple.object == ox.NamedNode(found.iri) and triple.subject.value != found.iri
    subject = triple.subject.value
    return {
        "incoming": incoming,
        "about": None if incoming or subject == found.iri else subject[len(found.iri) :],
        "predicate": links.node(triple.predicate),
        "value": links.node(triple.subject if incoming else triple.object),
        "conflict": conflict,
    }


def collect_labels(found: Description) -> list[tuple[str, str, str]]:
    """Every label of the thing: (language or "", the label, the predicate's prefixed name)."""
    rows = {
        (t.object.language or "", t.object.value, short_name(t.predicate.value, ""))
        for t in found.triples
        if t.subject.value == found.iri and t.predicate.value in LABELS and isinstance(t.object, ox.Literal)
    }
    return sorted(rows)


def conflicting_pairs(found: Description) -> dict[tuple[str, str], dict[str, list[str]]]:
    """The (subject, predicate) pairs whose values differ between two named graphs, as
    queries/conflicts.rq counts them, with each graph's values."""
    values: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for graph, triples in found.graphs.items():
        for t in triples:
            if t.predicate.value in CONFLICTING and t.object != ox.NamedNode(found.iri):
                values[(t.subject.value, t.predicate.value)][graph.value].add(str(t.object))
    conflicts = {}
    for pair, by_graph in values.items():
        union = set().union(*by_graph.values())
        if len(by_graph) > 1 and len(union) > 1:
            conflicts[pair] = {graph: sorted(objects) for graph, objects in sorted(by_graph.items())}
    return conflicts


def find_conflicts(found: Description, links: Linker) -> list[dict]:
    """The conflicts about the resource, each with what every graph states."""
    rows = []
    for (subject, predicate), by_graph in sorted(conflicting_pairs(found).items()):
        claims = []
        for graph in by_graph:
            for t in found.graphs[ox.NamedNode(graph)]:
                if t.subject.value == subject and t.predicate.value == predicate:
                    claims.append((short_name(graph, links.lookup.base), links.node(t.object)))
        about = subject[len(found.iri) :] if subject != found.iri else None
        rows.append({"about": about, "predicate": links.node(ox.NamedNode(predicate)), "claims": claims})
    return rows


def collect_related(found: Description, links: Linker) -> list[dict]:
    """Every other resource the thing's triples link to or are linked from, by label."""
    nodes = {t.object for t in found.triples if isinstance(t.object, ox.NamedNode)}
    nodes |= {t.subject for t in found.incoming if isinstance(t.subject, ox.NamedNode)}
    shown = [links.node(node) for node in nodes if node.value != found.iri and not links.below(node.value)]
    return sorted((node for node in shown if node["link"]), key=lambda node: (node["text"], node["iri"]))


def site_page(found: Description, lookup: Lookup) -> str | None:
    """The thing's interactive page of ``citynet visualize`` (networks, cities, organisations)."""
    if not lookup.site_url:
        return None
    for t in found.triples:
        folder = SITE_FOLDERS.get(t.object.value) if is_own(t, found, RDF_TYPE) else None
        if folder:
            return f"{lookup.site_url.rstrip('/')}/{folder}/{site_slug(found.iri)}.html"
    return None


def to_jsonld(found: Description) -> list[Any]:
    """The thing's own triples (and its sub-resources') as expanded JSON-LD, the thing first."""
    nodes = json.loads(ox.serialize(found.triples, format=ox.RdfFormat.JSON_LD)) if found.triples else []
    return sorted(nodes, key=lambda node: node.get("@id") != found.iri)


def web_link(iri: str) -> str | None:
    """``iri`` if it may be a link: an http(s) URL with a host and no spaces or control characters.

    >>> web_link("https://sws.geonames.org/3094802/"), web_link("javascript:alert(1)")
    ('https://sws.geonames.org/3094802/', None)
    """
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in iri):
        return None
    try:
        parts = urlsplit(iri)
    except ValueError:  # a malformed IPv6 host
        return None
    return iri if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def site_slug(iri: str) -> str:
    """The file name ``citynet visualize`` gives a node's page (``citynet.site.pages.slug``, which
    this stage may not import): the IRI's last segment, other than letters, digits, - and _ as -.

    >>> site_slug(BASE + "id/network/op-act"), site_slug(BASE + "id/org/a+b")
    ('op-act', 'a-b')
    """
    return re.sub(r"[^A-Za-z0-9_-]", "-", iri.rstrip("/").rsplit("/", 1)[-1]) or "node"
