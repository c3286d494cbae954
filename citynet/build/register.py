"""The graphs every load adds beside the fact files': the register of sources, the gazetteer.

Both in their own named graphs (``id:graph/sources``, ``id:graph/gazetteer``).
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import URIRef

from citynet.build.evidence import add_retrieval
from citynet.build.quads import Builder, to_literal
from citynet.places.gazetteer import COUNTRY_LABEL_LANGUAGES, Place, translate_country
from citynet.rdf.namespaces import CN, DCTERMS, GEO, GEONAMES, OWL, RDF, RDFS, WGS, XSD
from citynet.rdf.terms import lit
from citynet.sources.facts import SourceEntry
from citynet.sources.fields import parse_date


def add_sources(b: Builder, sources: dict[str, SourceEntry]) -> None:
    """The register of sources, in its own graph."""
    g = b.graph(b.ids.graph("sources"))
    for entry in sources.values():
        s = b.ids.source(entry.id)
        g.add((s, RDF.type, CN.Source))
        g.add((s, DCTERMS.title, lit(entry.title, lang=entry.language)))
        g.add((s, DCTERMS.language, lit(entry.language)))
        if entry.publisher:
            g.add((s, DCTERMS.publisher, lit(entry.publisher)))
        if entry.url:
            g.add((s, CN.url, URIRef(entry.url)))
        if entry.seed:
            g.add((s, CN.seedFile, lit(entry.seed)))
        if entry.date:
            g.add((s, DCTERMS.date, to_literal(parse_date(entry.date, "", entry.line, "date"))))
        if entry.licence:
            g.add((s, DCTERMS.rights, lit(entry.licence)))
        add_retrieval(g, s, entry)


def add_gazetteer(b: Builder, places: list[Place]) -> None:
    """Place facts from GeoNames and country names from pycountry, in the gazetteer graph."""
    g = b.graph(b.ids.graph("gazetteer"))
    for place in places:
        c = b.ids.city(place.geonames_id)
        g.add((c, RDF.type, CN.City))
        g.add((c, RDFS.label, lit(place.name)))
        g.add((c, CN.geonamesId, lit(place.geonames_id, datatype=XSD.integer)))
        g.add((c, OWL.sameAs, URIRef(f"{GEONAMES}{place.geonames_id}/")))
        g.add((c, WGS.lat, lit(Decimal(str(place.latitude)), datatype=XSD.decimal)))
        g.add((c, WGS.long, lit(Decimal(str(place.longitude)), datatype=XSD.decimal)))
        geometry = URIRef(f"{c}/geometry")
        g.add((c, GEO.hasGeometry, geometry))
        g.add((geometry, RDF.type, GEO.Geometry))
        g.add((geometry, GEO.asWKT, lit(place.wkt, datatype=GEO.wktLiteral)))
        b.add_country(g, c, place.country)
    for code in sorted(b.countries):
        country = b.ids.country(code)
        g.add((country, RDF.type, CN.Country))
        g.add((country, CN.countryCode, lit(code)))
        for lang in COUNTRY_LABEL_LANGUAGES:
            g.add((country, RDFS.label, lit(translate_country(code, lang), lang=lang)))
