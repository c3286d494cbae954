"""The dataset's description as one structure (:class:`Facts`), and that structure in DCAT-AP 3.

:func:`citynet.publish.describe.read_facts` fills a :class:`Facts` from the store; VoID
(:func:`citynet.publish.describe.build_void`), schema.org and DCAT-AP 3 (:func:`build_dcat`: the
catalogue, the dataset, one distribution per file of the release) are all made from it, so the
three never disagree. Every value a DCAT-AP 3 range asks a class of gets that class here (a
licence is a ``dcterms:LicenseDocument``, a media type a ``dcterms:MediaType``), so the
description passes the official SEMIC shapes with their ranges. Codes come from the EU
Publications Office's authority lists (file types, data themes, countries) and IANA's media types.

>>> media_type_iri("application/n-quads")
'http://www.iana.org/assignments/media-types/application/n-quads'
>>> file_type_iri("application/trig")
'http://publications.europa.eu/resource/authority/file-type/RDF_TRIG'
>>> country_iri("GB")
'http://publications.europa.eu/resource/authority/country/GBR'
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from urllib.parse import quote

import pycountry
import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCAT as RDFLIB_DCAT
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD, DefinedNamespace, Namespace

from citynet.publish.context import Distribution
from citynet.rdf.namespaces import CN, SPDX
from citynet.rdf.namespaces import PREFIXES as GRAPH_PREFIXES
from citynet.store.resources import LICENSE, PREFIXES

IANA = "http://www.iana.org/assignments/media-types/"
AUTHORITY = "http://publications.europa.eu/resource/authority/"
FILE_TYPES = {  # media type -> EU file-type authority code
    "application/n-quads": "RDF_N_QUADS",
    "application/n-triples": "RDF_N_TRIPLES",
    "application/trig": "RDF_TRIG",
    "text/turtle": "RDF_TURTLE",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
    "application/gzip": "GZIP",
    "application/json": "JSON",
    "text/csv": "CSV",
    "text/html": "HTML",
    "text/plain": "TXT",
    "text/markdown": "TXT",  # the list has no Markdown: it is plain text
    "application/sparql-query": "SPARQLQ",
}
THEMES = {  # EU data themes of the dataset, with their English labels in that list
    "REGI": "Regions and cities",
    "GOVE": "Government and public sector",
}
KEYWORDS = ("cities", "city networks", "URBACT", "territorial cooperation", "linked data")


class DCAT(RDFLIB_DCAT):
    """DCAT, closed, with the DCAT 3 terms rdflib's list lacks."""

    _fail = True
    version: URIRef


class VCARD(DefinedNamespace):
    """The vCard terms of a DCAT contact point."""

    _NS = Namespace("http://www.w3.org/2006/vcard/ns#")
    _fail = True
    Kind: URIRef
    Organization: URIRef
    fn: URIRef
    hasURL: URIRef  # noqa: N815 - the vocabulary's own name


NAMES = {  # namespace -> prefix, for partition names; an unknown namespace gets a hash
    **{str(ns): prefix for prefix, ns in {**GRAPH_PREFIXES, **PREFIXES}.items()},
    "http://purl.org/vocab/vann/": "vann",
    "http://rdfs.org/ns/void#": "void",
    "http://www.w3.org/ns/dcat#": "dcat",
}


@dataclass(frozen=True)
class Country:
    iri: str
    code: str
    name: str


@dataclass(frozen=True)
class Subset:
    """A named graph: a source's statements (or the gazetteer's, the ontology's), with provenance."""

    iri: str
    triples: int
    about: list[tuple[str, ox.Literal]]  # dcterms:title, publisher, language, date, rights
    origin: str | None  # the document or site the statements were read from
    license: str | None


@dataclass(frozen=True)
class Linkset:
    name: str
    triples: int


@dataclass
class Facts:
    """Everything the three descriptions say, read once from the store."""

    base: str
    release: dt.date
    issued: dt.date
    sparql_endpoint: str | None
    distributions: list[Distribution]
    triples: int = 0
    entities: int = 0
    distinct_subjects: int = 0
    distinct_objects: int = 0
    classes: list[tuple[str, int]] = field(default_factory=list)  # class, entities
    properties: list[tuple[str, int]] = field(default_factory=list)  # property, triples
    subsets: list[Subset] = field(default_factory=list)
    linksets: list[Linkset] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    period: tuple[ox.Literal, ox.Literal] | None = None
    examples: list[str] = field(default_factory=list)
    title: str = "citynet"
    publisher_name: str = "The citynet project"
    license: str = LICENSE

    @property
    def dataset(self) -> str:
        return self.base + "id/dataset/citynet"

    @property
    def catalog(self) -> str:
        return self.base + "id/dataset/catalog"

    @property
    def publisher(self) -> str:
        return self.dataset + "/publisher"

    @property
    def class_partitions(self) -> list[tuple[str, str, int]]:
        return [(f"{self.dataset}/class/{partition_name(c, True)}", c, n) for c, n in self.classes]

    @property
    def property_partitions(self) -> list[tuple[str, str, int]]:
        return [(f"{self.dataset}/property/{partition_name(p, False)}", p, n) for p, n in self.properties]

    @property
    def description(self) -> str:
        count = dict(self.classes)
        figures = ", ".join(
            f"{count.get(str(CN[name]), 0)} {label}"
            for name, label in (("City", "cities"), ("Network", "networks"), ("Membership", "memberships"))
        )
        sources = sum(1 for s in self.subsets if "/id/source/" in s.iri)
        return (
            "A knowledge graph of European cities and the cooperation networks they join (URBACT, "
            f"Europe for Citizens): {figures}, read from {sources} source documents. Every fact "
            "is kept in the named graph of the source that states it."
        )

    @property
    def provenance(self) -> str:
        return (
            "Facts taken from public source documents (web pages and tables of cities, programmes "
            "and national offices), kept in one named graph per source with its title, publisher "
            "and language; places resolved against GeoNames."
        )

    def distribution_iri(self, distribution: Distribution) -> str:
        """``…/distribution/2026-12-04/SHA256SUMS``, ``…/2026-12-04/citynet-20261204-nq-gz`` for
        ``dumps/2026-12-04/citynet-20261204.nq.gz``: no file extension, which the redirect rules
        would take for a document's."""
        slug = distribution.path.removeprefix("dumps/").replace(".", "-")
        return f"{self.dataset}/distribution/{quote(slug, safe='/')}"


def partition_name(iri: str, is_class: bool) -> str:
    """``City`` for a class of the citynet ontology, ``prefix-local`` for any other term.

    >>> partition_name("https://w3id.org/citynet/ontology#City", True)
    'City'
    >>> partition_name("http://www.w3.org/2004/02/skos/core#prefLabel", False)
    'skos-prefLabel'
    >>> partition_name("http://example.org/x#a b", False)
    'nsbf3b5c74-a%20b'
    """
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    namespace, local = iri[:cut], quote(iri[cut:], safe="")
    prefix = NAMES.get(namespace) or "ns" + hashlib.sha1(namespace.encode()).hexdigest()[:8]
    return local if is_class and prefix == "cn" else f"{prefix}-{local}"


def node(value: object) -> ox.NamedNode:
    """An IRI (a string or an rdflib term) as a pyoxigraph IRI."""
    return value if isinstance(value, ox.NamedNode) else ox.NamedNode(str(value))


def add(triples: list[ox.Triple], subject: object, predicate: object, *objects: object) -> None:
    """Append ``subject predicate object`` for each object: a literal as it is, anything else an IRI."""
    for value in objects:
        term = value if isinstance(value, ox.Literal) else node(value)
        triples.append(ox.Triple(node(subject), node(predicate), term))


def en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def date(value: object) -> ox.Literal:
    return ox.Literal(str(value), datatype=node(XSD.date))


def media_type_iri(media_type: str) -> str:
    """IANA's IRI of a media type."""
    return IANA + media_type


def file_type_iri(media_type: str) -> str:
    """The EU file-type authority's IRI of a media type (OCTET when it has none of its own)."""
    return f"{AUTHORITY}file-type/{FILE_TYPES.get(media_type, 'OCTET')}"


def country_iri(code: str) -> str:
    """The EU country authority's IRI of an ISO 3166 alpha-2 code (it uses alpha-3)."""
    country = pycountry.countries.get(alpha_2=code)
    return f"{AUTHORITY}country/{country.alpha_3 if country else code}"


def build_dcat(facts: Facts) -> list[ox.Triple]:
    """The DCAT-AP 3 description: catalogue, dataset, distributions, and what they point at."""
    triples: list[ox.Triple] = []
    add_catalog(triples, facts)
    add_dataset(triples, facts)
    for distribution in facts.distributions:
        add_distribution(triples, facts, distribution)
    return triples


def add_catalog(triples: list[ox.Triple], facts: Facts) -> None:
    catalog, scheme = facts.catalog, AUTHORITY + "data-theme"
    add(triples, catalog, RDF.type, DCAT.Catalog)
    add(triples, catalog, DCTERMS.title, en(f"{facts.title} catalogue"))
    about = "the knowledge graph of European cities and their cooperation networks, release by release"
    add(triples, catalog, DCTERMS.description, en(f"What {facts.title} publishes: {about}."))
    add(triples, catalog, DCTERMS.publisher, facts.publisher)
    add(triples, catalog, DCTERMS.license, facts.license)
    add(triples, catalog, DCTERMS.modified, date(facts.release))
    add(triples, catalog, FOAF.homepage, facts.base)
    add(triples, catalog, DCAT.dataset, facts.dataset)
    add(triples, catalog, DCAT.themeTaxonomy, scheme)
    add(triples, scheme, RDF.type, SKOS.ConceptScheme)
    add(triples, scheme, DCTERMS.title, en("Data theme"))
    add(triples, facts.base, RDF.type, FOAF.Document)
    add(triples, facts.license, RDF.type, DCTERMS.LicenseDocument)
    add(triples, facts.publisher, RDF.type, FOAF.Agent)
    add(triples, facts.publisher, FOAF.name, en(facts.publisher_name))
    add(triples, facts.publisher, FOAF.homepage, facts.base)
    if facts.sparql_endpoint:
        service = facts.dataset + "/sparql"
        add(triples, catalog, DCAT.service, service)
        add(triples, service, RDF.type, DCAT.DataService)
        add(triples, service, DCTERMS.title, en(f"{facts.title} SPARQL endpoint"))
        add(triples, service, DCAT.endpointURL, facts.sparql_endpoint)
        add(triples, service, DCAT.servesDataset, facts.dataset)


def add_dataset(triples: list[ox.Triple], facts: Facts) -> None:
    dataset, contact = facts.dataset, facts.dataset + "/contact"
    add(triples, dataset, RDF.type, DCAT.Dataset)
    add(triples, dataset, DCTERMS.title, en(facts.title))
    add(triples, dataset, DCTERMS.description, en(facts.description))
    add(triples, dataset, DCTERMS.identifier, ox.Literal(dataset))
    add(triples, dataset, DCTERMS.publisher, facts.publisher)
    add(triples, dataset, DCTERMS.creator, facts.publisher)
    add(triples, dataset, DCAT.contactPoint, contact)
    add(triples, contact, RDF.type, VCARD.Kind, VCARD.Organization)
    add(triples, contact, VCARD.fn, ox.Literal(facts.publisher_name))
    add(triples, contact, VCARD.hasURL, facts.base)
    add(triples, dataset, DCAT.landingPage, facts.base)
    add(triples, dataset, DCAT.version, ox.Literal(facts.release.isoformat()))
    add(triples, dataset, DCTERMS.issued, date(facts.issued))
    add(triples, dataset, DCTERMS.modified, date(facts.release))
    add(triples, dataset, DCAT.keyword, *(en(word) for word in KEYWORDS))
    for code, label in THEMES.items():
        theme = f"{AUTHORITY}data-theme/{code}"
        add(triples, dataset, DCAT.theme, theme)
        add(triples, theme, RDF.type, SKOS.Concept)
        add(triples, theme, SKOS.prefLabel, en(label))
        add(triples, theme, SKOS.inScheme, AUTHORITY + "data-theme")
    for country in facts.countries:
        add(triples, dataset, DCTERMS.spatial, country_iri(country.code))
        add(triples, country_iri(country.code), RDF.type, DCTERMS.Location)
    add_period(triples, facts)
    provenance = dataset + "/provenance"
    add(triples, dataset, DCTERMS.provenance, provenance)
    add(triples, provenance, RDF.type, DCTERMS.ProvenanceStatement)
    add(triples, provenance, RDFS.label, en(facts.provenance))


def add_period(triples: list[ox.Triple], facts: Facts) -> None:
    if facts.period is None:
        return
    period = facts.dataset + "/period"
    add(triples, facts.dataset, DCTERMS.temporal, period)
    add(triples, period, RDF.type, DCTERMS.PeriodOfTime)
    add(triples, period, DCAT.startDate, facts.period[0])
    add(triples, period, DCAT.endDate, facts.period[1])


def add_distribution(triples: list[ox.Triple], facts: Facts, distribution: object) -> None:
    iri, url = facts.distribution_iri(distribution), facts.base + distribution.path
    checksum = iri + "/checksum"
    add(triples, facts.dataset, DCAT.distribution, iri)
    add(triples, iri, RDF.type, DCAT.Distribution)
    add(triples, iri, DCTERMS.title, en(distribution.title))
    add(triples, iri, DCAT.accessURL, url)
    add(triples, iri, DCAT.downloadURL, url)
    add(triples, iri, DCAT.mediaType, media_type_iri(distribution.media_type))
    add(triples, iri, DCTERMS.format, file_type_iri(distribution.media_type))
    add(triples, file_type_iri(distribution.media_type), RDF.type, DCTERMS.MediaTypeOrExtent)
    add(triples, media_type_iri(distribution.media_type), RDF.type, DCTERMS.MediaType)
    if distribution.compression:
        add(triples, iri, DCAT.compressFormat, media_type_iri(distribution.compression))
        add(triples, media_type_iri(distribution.compression), RDF.type, DCTERMS.MediaType)
    size = ox.Literal(str(distribution.size), datatype=node(XSD.nonNegativeInteger))
    add(triples, iri, DCAT.byteSize, size)
    add(triples, iri, DCTERMS.license, facts.license)
    add(triples, iri, DCTERMS.issued, date(facts.release))
    add(triples, iri, SPDX.checksum, checksum)
    add(triples, checksum, RDF.type, SPDX.Checksum)
    add(triples, checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
    add(triples, checksum, SPDX.checksumValue, ox.Literal(distribution.sha256, datatype=node(XSD.hexBinary)))
