"""One resource of the graph as a linked-data document: what is said about it, and in which formats.

A *thing* (``https://w3id.org/citynet/id/city/3094802``, Kraków) is not its *document*
(``…/id/city/3094802.ttl``): the document says ``foaf:primaryTopic`` the thing, the thing
``foaf:isPrimaryTopicOf`` the document, as GeoNames and legislation.gov.uk do. A document holds:

- the triples whose subject is the thing, as the merged default graph has them;
- the same for the thing's own sub-resources, IRIs below it that have no document of their own
  (``…/city/3094802/geometry``);
- the triples that point at the thing (a membership's ``cn:member``), so a client can follow links
  both ways;
- in TriG only, every one of those triples in the named graph of each source that states it.

Both ``citynet publish`` (files) and ``citynet serve`` (straight from the store) make documents
with :func:`describe` and :func:`serialize`, and choose the format with :func:`choose_format`.

>>> import pyoxigraph as ox
>>> from citynet.rdf.namespaces import SKOS
>>> store = ox.Store()
>>> city = ox.NamedNode("https://w3id.org/citynet/id/city/1")
>>> label = ox.Literal("Gent", language="nl")
>>> store.add(ox.Quad(city, ox.NamedNode(SKOS.prefLabel), label, ox.DefaultGraph()))
>>> store.add(ox.Quad(city, ox.NamedNode(SKOS.prefLabel), label, ox.NamedNode("https://w3id.org/citynet/id/source/s")))
>>> found = describe(store, city.value)
>>> len(found.triples), [str(g) for g in found.graphs]
(1, ['<https://w3id.org/citynet/id/source/s>'])
>>> serialize(found, "nt", "https://w3id.org/citynet/id/city/1.nt").decode().count("rimaryTopic")
2
>>> choose_format("text/html,application/xhtml+xml,*/*;q=0.8")
'html'
>>> choose_format("text/turtle;q=0.9, application/ld+json")
'jsonld'
>>> choose_format("image/png") is None
True
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import FOAF

from citynet.rdf.namespaces import DCTERMS, DEFAULT_BASE, RDF
from citynet.rdf.namespaces import PREFIXES as NAMESPACES
from citynet.rdf.terms import to_node
from citynet.store.accept import negotiate

BASE = DEFAULT_BASE.removesuffix("id/")  # the IRI the documents cover: https://w3id.org/citynet/

# extension -> (media types, the first the one served; Oxigraph's format or None for HTML)
FORMATS: dict[str, tuple[tuple[str, ...], ox.RdfFormat | None]] = {
    "html": (("text/html", "application/xhtml+xml"), None),
    "ttl": (("text/turtle", "application/x-turtle"), ox.RdfFormat.TURTLE),
    "nt": (("application/n-triples", "text/plain"), ox.RdfFormat.N_TRIPLES),
    "jsonld": (("application/ld+json", "application/json"), ox.RdfFormat.JSON_LD),
    "trig": (("application/trig",), ox.RdfFormat.TRIG),
}
RDF_EXTENSIONS = ("ttl", "nt", "jsonld", "trig")
PREFIXES = {**NAMESPACES, "rdf": str(RDF), "foaf": str(FOAF)}
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass
class Description:
    """What the graph says about one resource: merged triples, incoming ones, and per source graph."""

    iri: str
    triples: list[ox.Triple] = field(default_factory=list)  # subject: the thing or a sub-resource
    incoming: list[ox.Triple] = field(default_factory=list)  # object: the thing
    graphs: dict[ox.NamedNode, list[ox.Triple]] = field(default_factory=dict)  # per source graph

    @property
    def exists(self) -> bool:
        """True when the graph says anything at all about the resource."""
        return bool(self.triples or self.incoming)


def describe(store: ox.Store, iri: str, documented: frozenset[str] = frozenset()) -> Description:
    """The description of ``iri``: see the module's docstring. ``documented`` names IRIs below
    ``iri`` that have documents of their own, which are left out of this one.

    A sub-resource is an IRI that starts with ``iri + "/"`` or ``iri + "#"`` and is the object of
    one of the thing's triples (``gsp:hasGeometry``); its own triples join the document.
    """
    thing = ox.NamedNode(iri)
    found = Description(iri)
    by_graph: dict[ox.NamedNode, list[ox.Triple]] = defaultdict(list)
    subjects, seen = [thing], {iri}
    while subjects:
        subject = subjects.pop()
        for quad in store.quads_for_pattern(subject, None, None, None):
            triple = quad.triple
            if isinstance(quad.graph_name, ox.DefaultGraph):
                found.triples.append(triple)
                below = quad.object
                if (
                    isinstance(below, ox.NamedNode)
                    and below.value not in seen
                    and below.value.startswith((iri + "/", iri + "#"))
                    and below.value not in documented
                ):
                    seen.add(below.value)
                    subjects.append(below)
            else:
                by_graph[quad.graph_name].append(triple)
    for quad in store.quads_for_pattern(None, None, thing, ox.DefaultGraph()):
        found.incoming.append(quad.triple)
    for quad in store.quads_for_pattern(None, None, thing, None):
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            by_graph[quad.graph_name].append(quad.triple)
    ordered = sorted(by_graph.items(), key=str)
    found.graphs = {name: sorted(set(triples), key=str) for name, triples in ordered}
    found.triples.sort(key=str)
    found.incoming.sort(key=str)
    return found


def about_document(iri: str, document: str) -> list[ox.Triple]:
    """The triples that tell the thing from its document (foaf:primaryTopic both ways, licence)."""
    thing, doc = ox.NamedNode(iri), ox.NamedNode(document)
    return [
        ox.Triple(doc, to_node(FOAF.primaryTopic), thing),
        ox.Triple(thing, to_node(FOAF.isPrimaryTopicOf), doc),
        ox.Triple(doc, to_node(DCTERMS.license), ox.NamedNode(LICENSE)),
    ]


def serialize(found: Description, ext: str, document: str) -> bytes:
    """The document ``document`` (its IRI) of a description in the format of extension ``ext``.

    Turtle, N-Triples and JSON-LD hold the merged triples; TriG keeps each source's triples in
    its named graph and the merged ones (with the document's own) in the default graph.
    """
    rdf_format = FORMATS[ext][1]
    if rdf_format is None:
        raise ValueError(f"{ext} is not an RDF format")
    merged = [*found.triples, *found.incoming, *about_document(found.iri, document)]
    if ext != "trig":
        prefixes = PREFIXES if rdf_format is not ox.RdfFormat.N_TRIPLES else None
        return ox.serialize(merged, format=rdf_format, prefixes=prefixes)
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in merged]
    for graph, triples in found.graphs.items():
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return ox.serialize(quads, format=rdf_format, prefixes=PREFIXES)


def choose_format(accept: str | None) -> str | None:
    """The document extension an ``Accept`` header asks for; HTML when the header is missing or
    ``*/*`` only; None when no format is acceptable (406). On a tie the earlier of FORMATS wins,
    so a browser's ``text/html,…,*/*;q=0.8`` gets HTML."""
    offers = [media for media, _ in FORMATS.values()]
    chosen = negotiate(accept or "*/*", offers)
    if chosen is None:
        return None
    return next(ext for ext, (media, _) in FORMATS.items() if media[0] == chosen)
