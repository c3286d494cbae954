"""RDF namespaces: the citynet ontology, the field's vocabularies, instance IRIs.

Every namespace whose terms Python code names is closed, so a misspelt term fails at import
instead of minting a wrong IRI: ``CN`` is generated from ``ontology/citynet.ttl``
(:mod:`citynet.rdf.cn`), the others are rdflib's own vocabularies. Where rdflib leaves one open
(schema.org, GeoSPARQL, XSD) it is closed here, and where rdflib's IRI differs from the one the
field uses (rdflib's WGS84 is ``https://``, the W3C's is ``http://``) rdflib's term list is kept
under the field's IRI. The SKOS schemes of ``ontology/vocab/`` stay open: their concepts come
from the fact files, which the load checks against those schemes.

>>> str(SCHEMA.MonetaryAmount), str(WGS.lat)
('https://schema.org/MonetaryAmount', 'http://www.w3.org/2003/01/geo/wgs84_pos#lat')
>>> GEO.hasGeometri
Traceback (most recent call last):
AttributeError: term 'hasGeometri' not in namespace 'http://www.opengis.net/ont/geosparql#'

pyoxigraph terms of these namespaces come from :func:`citynet.rdf.terms.to_node`
(``to_node(CN.population)``).
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib import namespace as rdflib_namespaces
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, DefinedNamespace

from citynet.rdf.cn import CN

__all__ = [
    "CN",
    "DCTERMS",
    "GEO",
    "ITSRDF",
    "OA",
    "ORG",
    "OWL",
    "PAV",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "SPDX",
    "WGS",
    "XSD",
]

ONTOLOGY_IRI = URIRef("https://w3id.org/citynet/ontology")
DEFAULT_BASE = "https://w3id.org/citynet/id/"


class SCHEMA(rdflib_namespaces.SDO):
    """schema.org, closed."""

    _fail = True


class GEO(rdflib_namespaces.GEO):
    """GeoSPARQL, closed."""

    _fail = True


class XSD(rdflib_namespaces.XSD):
    """XML Schema datatypes, closed."""

    _fail = True


class WGS(rdflib_namespaces.WGS):
    """W3C Basic Geo (WGS84), closed, under its own ``http://`` IRI (rdflib writes ``https://``)."""

    _NS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
    _fail = True


class OA(DefinedNamespace):
    """W3C Web Annotation (the terms the evidence of an extracted fact uses), closed."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True
    Annotation: URIRef
    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    hasBody: URIRef  # noqa: N815 - the vocabulary's own name
    hasTarget: URIRef  # noqa: N815
    hasSource: URIRef  # noqa: N815
    hasSelector: URIRef  # noqa: N815
    exact: URIRef
    start: URIRef
    end: URIRef
    motivatedBy: URIRef  # noqa: N815
    describing: URIRef


class ITSRDF(DefinedNamespace):
    """W3C ITS 2.0 / RDF: a text-analytics annotation's confidence, closed."""

    _NS = Namespace("http://www.w3.org/2005/11/its/rdf#")
    _fail = True
    taConfidence: URIRef  # noqa: N815 - the vocabulary's own name


class SPDX(DefinedNamespace):
    """The SPDX terms DCAT-AP uses for checksums, closed."""

    _NS = Namespace("http://spdx.org/rdf/terms#")
    _fail = True
    Checksum: URIRef
    algorithm: URIRef
    checksum: URIRef
    checksumValue: URIRef  # noqa: N815 - the vocabulary's own name
    checksumAlgorithm_sha256: URIRef  # noqa: N815 - the vocabulary's own name


class PAV(DefinedNamespace):
    """PAV (provenance, authoring and versioning): when a document was retrieved, closed."""

    _NS = Namespace("http://purl.org/pav/")
    _fail = True
    retrievedOn: URIRef  # noqa: N815 - the vocabulary's own name


VOCAB = "https://w3id.org/citynet/vocab/"
ROLE = Namespace("https://w3id.org/citynet/vocab/role/")
NETWORK_TYPE = Namespace("https://w3id.org/citynet/vocab/network-type/")
PROGRAMME = Namespace("https://w3id.org/citynet/vocab/programme/")
THEME = Namespace("https://w3id.org/citynet/vocab/theme/")
FUND = Namespace("https://w3id.org/citynet/vocab/fund/")
ORG_TYPE = Namespace("https://w3id.org/citynet/vocab/organisation-type/")
STRAND = Namespace("https://w3id.org/citynet/vocab/strand/")
NUTS = Namespace("http://data.europa.eu/nuts/code/")

GEONAMES = "https://sws.geonames.org/"

PREFIXES = {
    "cn": str(CN),
    "role": str(ROLE),
    "ntype": str(NETWORK_TYPE),
    "programme": str(PROGRAMME),
    "theme": str(THEME),
    "fund": str(FUND),
    "orgtype": str(ORG_TYPE),
    "strand": str(STRAND),
    "schema": str(SCHEMA),
    "wgs": str(WGS),
    "geo": str(GEO),
    "org": str(ORG),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "owl": str(OWL),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


class Ids:
    """Deterministic instance IRIs under a base.

    >>> Ids().city(3094802)
    rdflib.term.URIRef('https://w3id.org/citynet/id/city/3094802')
    >>> Ids().membership("op-act", "org/quadrilatero")
    rdflib.term.URIRef('https://w3id.org/citynet/id/membership/op-act/org/quadrilatero')
    """

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base if base.endswith("/") else base + "/"

    def iri(self, path: str) -> URIRef:
        """Return the IRI of ``path`` under the base."""
        return URIRef(self.base + path)

    def network(self, slug: str) -> URIRef:
        return self.iri(f"network/{slug}")

    def city(self, geonames_id: int) -> URIRef:
        return self.iri(f"city/{geonames_id}")

    def organisation(self, slug: str) -> URIRef:
        return self.iri(f"org/{slug}")

    def country(self, code: str) -> URIRef:
        return self.iri(f"country/{code}")

    def call(self, slug: str) -> URIRef:
        return self.iri(f"call/{slug}")

    def source(self, slug: str) -> URIRef:
        return self.iri(f"source/{slug}")

    def membership(self, network: str, member_key: str) -> URIRef:
        """``member_key`` is the member's IRI path after the base (``city/ID`` or ``org/slug``)."""
        return self.iri(f"membership/{network}/{member_key}")

    def graph(self, name: str) -> URIRef:
        return self.iri(f"graph/{name}")

    def evidence(self, source: str, fact: URIRef, index: int) -> URIRef:
        """The ``index``-th (from 1) piece of evidence a source gives for a fact (an IRI under the base).

        >>> Ids().evidence("s", Ids().membership("n", "city/1"), 2)
        rdflib.term.URIRef('https://w3id.org/citynet/id/evidence/s/membership/n/city/1/2')
        """
        return self.iri(f"evidence/{source}/{str(fact)[len(self.base) :]}/{index}")
