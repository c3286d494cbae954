"""Making RDF terms: rdflib or Python values as pyoxigraph terms, literals in their exact lexical form."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef

from citynet.rdf.namespaces import XSD


@functools.lru_cache(maxsize=4096)
def to_node(iri: str) -> ox.NamedNode:
    """A pyoxigraph IRI, cached: vocabulary terms repeat millions of times in a big load. The
    way from a namespace term to pyoxigraph:

    >>> from citynet.rdf.namespaces import CN
    >>> to_node(CN.population)
    <NamedNode value=https://w3id.org/citynet/ontology#population>
    """
    return ox.NamedNode(str(iri))


def to_term(term: Any) -> ox.NamedNode | ox.Literal:
    """An rdflib or pyoxigraph term as a pyoxigraph term.

    >>> str(to_term(Literal("Kraków", lang="pl"))), str(to_term(Literal(5, datatype=XSD.integer)))
    ('"Kraków"@pl', '"5"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term
    if isinstance(term, URIRef):
        return to_node(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=to_node(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"no blank nodes or other terms in citynet's graph: {term!r}")


def to_decimal_text(value: Decimal) -> str:
    """A decimal's exact xsd:decimal form: no exponent, no float on the way, no trailing zeros.

    >>> to_decimal_text(Decimal("12345678901234567.89")), to_decimal_text(Decimal("1E+3"))
    ('12345678901234567.89', '1000')
    >>> to_decimal_text(Decimal("0.80")), to_decimal_text(Decimal("72075.00"))
    ('0.8', '72075')
    """
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def lit(value: Any, lang: str | None = None, datatype: URIRef | None = None) -> ox.Literal:
    """A pyoxigraph literal: a string is taken as it is (the common case, and the fast one), a
    Decimal in its exact decimal form, any other value in rdflib's lexical form.

    >>> str(lit("Celje", lang="sl")), str(lit(True))
    ('"Celje"@sl', '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>')
    >>> str(lit("2014", datatype=XSD.gYear))
    '"2014"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    >>> str(lit(Decimal("12345678901234567.89"), datatype=XSD.decimal))
    '"12345678901234567.89"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    if isinstance(value, Decimal):
        return ox.Literal(to_decimal_text(value), datatype=to_node(str(datatype or XSD.decimal)))
    if not isinstance(value, str):
        return to_term(Literal(value, lang=lang, datatype=datatype))
    if lang:
        return ox.Literal(value, language=lang)
    if datatype is not None:
        return ox.Literal(value, datatype=to_node(str(datatype)))
    return ox.Literal(value)
