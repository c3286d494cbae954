"""Compile SHACL shapes into SPARQL checks, one SELECT per constraint, for :mod:`citynet.store.shacl`.

Only the SHACL core constraints that ``ontology/shapes.ttl`` uses are supported; any other ``sh:``
term in the shapes graph is refused, so nothing is skipped silently.

>>> shapes = Graph().parse(data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
...     ex:S sh:targetClass ex:City ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
... ''', format="turtle")
>>> [check.component for check in compile_shapes(shapes)]
['minCount']
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from citynet.errors import ValidationError
from citynet.rdf.namespaces import XSD

_names = (f"?v{n}" for n in itertools.count())  # fresh SPARQL variables


PROLOGUE = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


# Value-type constraints: each value node is tested on its own.
VALUE_COMPONENTS = (
    "datatype",
    "class",
    "nodeKind",
    "pattern",
    "minInclusive",
    "maxInclusive",
    "in",
    "languageIn",
    "or",
)


SUPPORTED = {
    *VALUE_COMPONENTS,
    "targetClass",
    "property",
    "path",
    "message",
    "flags",
    "minCount",
    "maxCount",
    "qualifiedValueShape",
    "qualifiedMinCount",
    "name",
    "description",
}


NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "!isLiteral({v})",
    SH.BlankNodeOrLiteral: "!isIRI({v})",
    SH.IRIOrLiteral: "!isBlank({v})",
}


# Datatypes with an XSD cast function in Oxigraph: a literal of one is well formed if the cast succeeds.
CASTS = {
    XSD[name]
    for name in (
        "integer",
        "decimal",
        "boolean",
        "float",
        "double",
        "date",
        "dateTime",
        "time",
        "duration",
        "dayTimeDuration",
        "yearMonthDuration",
        "gYear",
        "gYearMonth",
        "gMonth",
        "gDay",
        "gMonthDay",
    )
}


# Oxigraph stores literals of these datatypes as xsd:integer, so no stored value could ever have them.
STORED_AS_INTEGER = {
    XSD[name]
    for name in (
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}


@dataclass(frozen=True)
class Check:
    """One constraint of one property (or node) shape as a SPARQL SELECT of ``?focus`` (and ``?value``)."""

    query: str
    path: str | None
    message: str
    component: str


def to_term(node: Node) -> str:
    """An rdflib term as an escaped SPARQL term (via pyoxigraph).

    >>> to_term(Literal('say "hi"')), to_term(XSD.date)
    ('"say \\\\"hi\\\\""', '<http://www.w3.org/2001/XMLSchema#date>')
    """
    if isinstance(node, URIRef):
        return str(ox.NamedNode(str(node)))
    if isinstance(node, Literal):
        if node.language:
            return str(ox.Literal(str(node), language=node.language))
        datatype = ox.NamedNode(str(node.datatype)) if node.datatype else None
        return str(ox.Literal(str(node), datatype=datatype))
    raise ValidationError(f"unsupported SHACL parameter {node.n3()}: not an IRI or a literal")


def name_of(predicate: URIRef) -> str:
    """The local name of an ``sh:`` term, e.g. ``minCount``."""
    return str(predicate)[len(str(SH)) :]


def check_supported(shapes: Graph) -> None:
    """Raise ValidationError for any ``sh:`` predicate this compiler does not know."""
    named_first = sorted(set(shapes.subject_predicates()), key=lambda sp: (isinstance(sp[0], BNode), sp))
    for shape, predicate in named_first:
        if str(predicate).startswith(str(SH)) and name_of(predicate) not in SUPPORTED:
            raise ValidationError(f"unsupported SHACL constraint sh:{name_of(predicate)} in {shape.n3()}")
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        if {RDFS.Class, OWL.Class} & set(shapes.objects(shape, RDF.type)):
            raise ValidationError(f"unsupported SHACL constraint implicit class target in {shape.n3()}")
    for shape, datatype in shapes.subject_objects(SH.datatype):
        if datatype in STORED_AS_INTEGER:
            raise ValidationError(
                f"unsupported SHACL constraint sh:datatype {datatype.n3()} in {shape.n3()}"
                " - Oxigraph stores it as xsd:integer: use xsd:integer and sh:minInclusive"
            )


def read_one(shapes: Graph, shape: Node, predicate: URIRef) -> Node | None:
    """The single value of ``predicate`` on ``shape`` (None if absent); more than one is refused."""
    values = list(shapes.objects(shape, predicate))
    if len(values) > 1:
        raise ValidationError(f"unsupported SHACL constraint sh:{name_of(predicate)} given twice in {shape}")
    return values[0] if values else None


def read_path(shapes: Graph, shape: Node) -> URIRef:
    """The property shape's ``sh:path``, which must be a plain IRI."""
    path = read_one(shapes, shape, SH.path)
    if not isinstance(path, URIRef):
        raise ValidationError(f"unsupported SHACL constraint sh:path {path!r} in {shape} (only IRI paths)")
    return path


def read_list(shapes: Graph, shape: Node, predicate: URIRef) -> list[Node]:
    """The members of the RDF list that ``predicate`` points to."""
    return list(Collection(shapes, read_one(shapes, shape, predicate)))


def build_datatype_condition(datatype: URIRef, v: str) -> str:
    """True iff ``v`` is a well-formed literal of ``datatype`` (as pyshacl's sh:datatype)."""
    if datatype == RDF.langString:
        return f'(isLiteral({v}) && LANG({v}) != "")'
    typed = f"(isLiteral({v}) && DATATYPE({v}) = {to_term(datatype)}"
    if datatype in CASTS:
        return typed + f" && COALESCE(DATATYPE({to_term(datatype)}(STR({v}))) = {to_term(datatype)}, false))"
    return typed + ")"


def build_class_condition(cls: Node, v: str, joins: list[str] | None) -> str:
    """True iff ``v`` is an instance of ``cls`` or of a subclass; with ``joins``, as an OPTIONAL join there.

    A left join is evaluated once for all value nodes, where FILTER EXISTS is evaluated once per value node
    (about ten times slower on 100k memberships); it needs ``v`` bound by the enclosing pattern.
    """
    if joins is None:
        return f"EXISTS {{ {v} rdf:type/rdfs:subClassOf* {to_term(cls)} }}"
    name = next(_names)
    joins.append(
        f"OPTIONAL {{ {v} rdf:type {name}t . {name}t rdfs:subClassOf* {to_term(cls)} BIND(true AS {name}) }}"
    )
    return f"BOUND({name})"


def build_value_condition(
    shapes: Graph, shape: Node, component: str, v: str, joins: list[str] | None = None
) -> str:
    """A SPARQL expression, true iff the value node ``v`` satisfies one value-type constraint.

    ``joins`` collects the OPTIONAL patterns the expression needs (see :func:`build_class_condition`).
    """
    param = read_one(shapes, shape, SH[component])
    if component == "datatype":
        return build_datatype_condition(param, v)
    if component == "class":
        return build_class_condition(param, v, joins)
    if component == "nodeKind":
        if param not in NODE_KINDS:
            raise ValidationError(f"unsupported SHACL constraint sh:nodeKind {param} in {shape}")
        return NODE_KINDS[param].format(v=v)
    if component == "pattern":
        flags = read_one(shapes, shape, SH.flags)
        extra = f", {to_term(Literal(str(flags)))}" if flags is not None else ""
        return f"(!isBlank({v}) && REGEX(STR({v}), {to_term(Literal(str(param)))}{extra}))"
    if component in ("minInclusive", "maxInclusive"):
        operator = ">=" if component == "minInclusive" else "<="
        return f"COALESCE({v} {operator} {to_term(param)}, false)"
    if component == "in":
        members = " || ".join(f"sameTerm({v}, {to_term(m)})" for m in read_list(shapes, shape, SH["in"]))
        return f"({members or 'false'})"
    if component == "languageIn":
        tags = " || ".join(
            f"LANGMATCHES(LANG({v}), {to_term(Literal(str(t)))})"
            for t in read_list(shapes, shape, SH.languageIn)
        )
        return f"(isLiteral({v}) && ({tags or 'false'}))"
    members = " || ".join(build_conformance(shapes, m, v, joins) for m in read_list(shapes, shape, SH["or"]))
    return f"({members or 'false'})"


def build_conformance(shapes: Graph, shape: Node, v: str, joins: list[str] | None = None) -> str:
    """A SPARQL expression, true iff node ``v`` conforms to ``shape`` (in sh:or, sh:qualifiedValueShape)."""
    components = [c for c in VALUE_COMPONENTS if (shape, SH[c], None) in shapes]
    if read_one(shapes, shape, SH.path) is None:
        for name in ("minCount", "maxCount", "property", "qualifiedValueShape"):
            if (shape, SH[name], None) in shapes:
                raise ValidationError(f"unsupported SHACL constraint sh:{name} in {shape} (nested, no path)")
        parts = [build_value_condition(shapes, shape, c, v, joins) for c in components]
        return "(" + " && ".join(parts) + ")" if parts else "true"
    path, x = to_term(read_path(shapes, shape)), next(_names)
    for name in ("maxCount", "property", "qualifiedValueShape"):
        if (shape, SH[name], None) in shapes:
            raise ValidationError(f"unsupported SHACL constraint sh:{name} in {shape} (nested)")
    parts = []
    min_count = int(read_one(shapes, shape, SH.minCount) or 0)
    if min_count > 1:
        raise ValidationError(f"unsupported SHACL constraint sh:minCount {min_count} in {shape} (nested)")
    if min_count == 1:
        parts.append(f"EXISTS {{ {v} {path} {x} }}")
    parts += [
        f"NOT EXISTS {{ {v} {path} {x} FILTER(!{build_value_condition(shapes, shape, c, x)}) }}"
        for c in components
    ]
    return "(" + " && ".join(parts) + ")" if parts else "true"


def build_target(classes: list[Node]) -> str:
    """A sub-select of the distinct instances ``?focus`` of the target classes (incl. subclasses)."""
    values = " ".join(to_term(c) for c in classes)
    return (
        f"{{ SELECT DISTINCT ?focus WHERE {{ VALUES ?target {{ {values} }} "
        f"?class rdfs:subClassOf* ?target . ?focus rdf:type ?class }} }}"
    )


def build_count_query(target: str, path: str, condition: str, operator: str, count: int) -> str:
    """Foci whose count of distinct values meeting ``condition`` is ``operator`` (< or >) ``count``."""
    if operator == "<" and count == 1:  # MINUS, a hash anti-join: 3.5 x faster than FILTER NOT EXISTS
        return f"SELECT ?focus WHERE {{ {target} MINUS {{ ?focus {path} ?value FILTER({condition}) }} }}"
    values = f"?focus {path} ?value FILTER({condition})"
    join = f"OPTIONAL {{ {values} }}" if operator == "<" else values
    return (
        f"SELECT ?focus WHERE {{ {target} {join} }} GROUP BY ?focus "
        f"HAVING (COUNT(DISTINCT ?value) {operator} {count})"
    )


def compile_property(shapes: Graph, shape: Node, target: str, default: str) -> Iterator[Check]:
    """The checks of one property shape on the foci that ``target`` selects."""
    path = read_path(shapes, shape)
    message = str(read_one(shapes, shape, SH.message) or default)
    term = to_term(path)
    for name, operator in (("minCount", "<"), ("maxCount", ">")):
        count = read_one(shapes, shape, SH[name])
        if count is not None and (name == "maxCount" or int(count) > 0):
            query = build_count_query(target, term, "true", operator, int(count))
            yield Check(query, str(path), message, name)
    qualified = read_one(shapes, shape, SH.qualifiedValueShape)
    qualified_min = read_one(shapes, shape, SH.qualifiedMinCount)
    if (qualified is None) != (qualified_min is None):
        raise ValidationError(
            f"unsupported SHACL constraint sh:qualifiedValueShape in {shape}: "
            "needs both sh:qualifiedValueShape and sh:qualifiedMinCount"
        )
    if qualified is not None and int(qualified_min) > 0:
        condition = build_conformance(shapes, qualified, "?value")
        query = build_count_query(target, term, condition, "<", int(qualified_min))
        yield Check(query, str(path), message, "qualifiedMinCount")
    for component in VALUE_COMPONENTS:
        if (shape, SH[component], None) in shapes:
            joins: list[str] = []
            condition = build_value_condition(shapes, shape, component, "?value", joins)
            query = (
                f"SELECT DISTINCT ?focus ?value WHERE {{ {target} ?focus {term} ?value "
                f"{' '.join(joins)} FILTER(!{condition}) }}"
            )
            yield Check(query, str(path), message, component)


def compile_shapes(shapes: Graph) -> list[Check]:
    """One check per node shape, property shape and constraint component; unsupported terms are refused.

    >>> checks = compile_shapes(Graph().parse(data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
    ...     ex:S sh:targetClass ex:City ;
    ...         sh:property [ sh:path ex:lat ; sh:maxCount 1 ; sh:maxInclusive 90 ] .
    ... ''', format="turtle"))
    >>> [(check.component, check.path) for check in checks]
    [('maxCount', 'http://example.org/lat'), ('maxInclusive', 'http://example.org/lat')]
    >>> print(checks[1].query.splitlines()[-1])  # doctest: +NORMALIZE_WHITESPACE
    SELECT DISTINCT ?focus ?value WHERE { { SELECT DISTINCT ?focus WHERE {
    VALUES ?target { <http://example.org/City> } ?class rdfs:subClassOf* ?target . ?focus rdf:type ?class } }
    ?focus <http://example.org/lat> ?value
     FILTER(!COALESCE(?value <= "90"^^<http://www.w3.org/2001/XMLSchema#integer>, false)) }
    """
    check_supported(shapes)
    checks = []
    for node_shape in sorted(set(shapes.subjects(SH.targetClass))):
        target = build_target(sorted(shapes.objects(node_shape, SH.targetClass)))
        if read_one(shapes, node_shape, SH.path) is not None:
            raise ValidationError(f"unsupported SHACL constraint sh:path on the target shape {node_shape}")
        message = str(read_one(shapes, node_shape, SH.message) or f"violates {node_shape}")
        if (node_shape, SH["or"], None) in shapes:
            condition = build_value_condition(shapes, node_shape, "or", "?focus")
            query = f"SELECT ?focus (?focus AS ?value) WHERE {{ {target} FILTER(!{condition}) }}"
            checks.append(Check(query, None, message, "or"))
        for component in VALUE_COMPONENTS:
            if component != "or" and (node_shape, SH[component], None) in shapes:
                raise ValidationError(
                    f"unsupported SHACL constraint sh:{component} in {node_shape} (on a node shape)"
                )
        for prop in shapes.objects(node_shape, SH.property):
            checks += compile_property(shapes, prop, target, f"violates a property shape of {node_shape}")
    return [Check(PROLOGUE + c.query, c.path, c.message, c.component) for c in checks]
