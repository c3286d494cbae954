"""RDF namespaces: the citynet ontology (misspelt terms fail at import), vocabularies, instance IRIs."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONTOLOGY_IRI = URIRef("https://w3id.org/citynet/ontology")
DEFAULT_BASE = "https://w3id.org/citynet/id/"


class CN(DefinedNamespace):
    """The citynet ontology; ``CN.Netwrk`` raises AttributeError.

    >>> str(CN.Membership)
    'https://w3id.org/citynet/ontology#Membership'
    """

    _NS = Namespace("https://w3id.org/citynet/ontology#")
    _fail = True

    # classes
    Network: URIRef
    Programme: URIRef
    Call: URIRef
    Phase: URIRef
    City: URIRef
    Organisation: URIRef
    Country: URIRef
    Membership: URIRef
    Period: URIRef
    CoFinancing: URIRef
    DeclaredPartners: URIRef
    Source: URIRef
    # object properties
    programme: URIRef
    networkType: URIRef
    theme: URIRef
    continues: URIRef
    call: URIRef
    activeDuring: URIRef
    memberDuring: URIRef
    phase: URIRef
    budget: URIRef
    partnerBudget: URIRef
    coFinancing: URIRef
    fund: URIRef
    amount: URIRef
    member: URIRef
    network: URIRef
    role: URIRef
    country: URIRef
    declaredPartners: URIRef
    organisationType: URIRef
    website: URIRef
    url: URIRef
    # datatype properties
    acronym: URIRef
    start: URIRef
    end: URIRef
    duration: URIRef
    phaseOrder: URIRef
    rate: URIRef
    rateIsMaximum: URIRef
    declaredPartnerCount: URIRef
    declaredCountryCount: URIRef
    declaredNetworkCount: URIRef
    declaredOrganisationCount: URIRef
    newcomerShare: URIRef
    population: URIRef
    populationDate: URIRef
    partnerCount: URIRef
    approvedOn: URIRef
    appliedOn: URIRef
    status: URIRef
    announcedEvent: URIRef
    objective: URIRef
    expectedResult: URIRef
    projectCategory: URIRef
    countryCode: URIRef
    geonamesId: URIRef
    seedFile: URIRef


VOCAB = "https://w3id.org/citynet/vocab/"
ROLE = Namespace(VOCAB + "role/")
NETWORK_TYPE = Namespace(VOCAB + "network-type/")
PROGRAMME = Namespace(VOCAB + "programme/")
THEME = Namespace(VOCAB + "theme/")
FUND = Namespace(VOCAB + "fund/")
ORG_TYPE = Namespace(VOCAB + "organisation-type/")

SCHEMA = Namespace("https://schema.org/")
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
GEONAMES = "https://sws.geonames.org/"

PREFIXES = {
    "cn": str(CN),
    "role": str(ROLE),
    "ntype": str(NETWORK_TYPE),
    "programme": str(PROGRAMME),
    "theme": str(THEME),
    "fund": str(FUND),
    "orgtype": str(ORG_TYPE),
    "schema": str(SCHEMA),
    "wgs": str(WGS),
    "geo": str(GEO),
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
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
