"""The shapes compiled to SPARQL (citynet.store.shacl) report what pyshacl (citynet.store.validate) reports.

Each case copies the seed graph into an in-memory store, adds and removes a few quads so that exactly one
constraint of ``ontology/shapes.ttl`` is broken, and compares the error of ``validate_store`` with that of
pyshacl on the same quads. The seed IRIs below were read from the seed graph (``citynet dump``).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from citynet.errors import ValidationError
from citynet.store.embedded import EmbeddedStore, merge_into_default
from citynet.store.shacl import compile_shapes, find_violations, validate_store
from citynet.store.validate import validate_dataset

from .conftest import ROOT

PREFIXES = {
    "cn:": "https://w3id.org/citynet/ontology#",
    "id:": "https://w3id.org/citynet/id/",
    "role:": "https://w3id.org/citynet/vocab/role/",
    "rdf:": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs:": "http://www.w3.org/2000/01/rdf-schema#",
    "owl:": "http://www.w3.org/2002/07/owl#",
    "wgs:": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "schema:": "https://schema.org/",
    "dcterms:": "http://purl.org/dc/terms/",
    "xsd:": "http://www.w3.org/2001/XMLSchema#",
}
KRAKOW = "id:city/3094802"
MEMBERSHIP = "id:membership/urb-inclusion/city/3094802"
PERIOD = MEMBERSHIP + "/period"
BUDGET = MEMBERSHIP + "/budget"
LATVIA = "id:country/LV"
PHASE = "id:call/urbact-iii-transfer-networks-2018/phase/2"
NETWORK = "id:network/lc-facil"
SOURCE = "id:source/krakow-urb-inclusion"
GAZETTEER = "id:graph/gazetteer"
TEST_GRAPH = "id:source/test"


def expand(name: str) -> str:
    """A full IRI from a prefixed name such as ``cn:City`` (a full ``http`` IRI is kept)."""
    if name.startswith("http"):
        return name
    prefix, _, rest = name.partition(":")
    return PREFIXES[prefix + ":"] + rest


def to_term(text: str) -> ox.NamedNode | ox.Literal:
    """``cn:x`` is an IRI; ``'x'``, ``'x'@en`` and ``'x'^^xsd:y`` are literals."""
    if not text.startswith("'"):
        return ox.NamedNode(expand(text))
    value, _, rest = text[1:].rpartition("'")
    if rest.startswith("@"):
        return ox.Literal(value, language=rest[1:])
    return ox.Literal(value, datatype=ox.NamedNode(expand(rest[2:])) if rest else None)


def to_quad(s: str, p: str, o: str, g: str = TEST_GRAPH) -> ox.Quad:
    return ox.Quad(ox.NamedNode(expand(s)), ox.NamedNode(expand(p)), to_term(o), ox.NamedNode(expand(g)))


class Case(NamedTuple):
    id: str
    says: str  # the start of the expected message (the shape's sh:message)
    add: tuple[tuple[str, ...], ...] = ()  # (s, p, o) or (s, p, o, g)
    remove: tuple[tuple[str, str], ...] = ()  # (s, p): every quad of the subject and property


CASES = [
    Case("minCount-member", "Membership: exactly one cn:member", remove=((MEMBERSHIP, "cn:member"),)),
    Case("minCount-phase-duration", "Phase: exactly one cn:duration", remove=((PHASE, "cn:duration"),)),
    Case("maxCount-two-lat", "City: exactly one wgs:lat", add=((KRAKOW, "wgs:lat", "'50.5'^^xsd:decimal"),)),
    Case(
        "maxInclusive-lat-95",
        "City: exactly one wgs:lat",
        add=((KRAKOW, "wgs:lat", "'95.5'^^xsd:decimal", GAZETTEER),),
        remove=((KRAKOW, "wgs:lat"),),
    ),
    Case(
        "minInclusive-negative-value",
        "MonetaryAmount: schema:value must not be negative",
        add=((BUDGET, "schema:value", "'-5'^^xsd:decimal", SOURCE),),
        remove=((BUDGET, "schema:value"),),
    ),
    Case(
        "datatype-string-lat",
        "City: exactly one wgs:lat",
        add=((KRAKOW, "wgs:lat", "'50.1'", GAZETTEER),),
        remove=((KRAKOW, "wgs:lat"),),
    ),
    Case(
        "datatype-ill-typed-date",
        "City: each cn:populationDate",
        add=((KRAKOW, "cn:populationDate", "'2020-02-30'^^xsd:date"),),
    ),
    Case(
        "datatype-ill-typed-integer",
        "City: exactly one cn:geonamesId",
        add=((KRAKOW, "cn:geonamesId", "'abc'^^xsd:integer", GAZETTEER),),
        remove=((KRAKOW, "cn:geonamesId"),),
    ),
    Case(
        "datatype-langString", "Network: each cn:objective", add=((NETWORK, "cn:objective", "'no language'"),)
    ),
    Case(
        "languageIn-qualified",
        "Country: at least one rdfs:label in English",
        add=((LATVIA, "rdfs:label", "'Latvia'@eo", GAZETTEER),),
        remove=((LATVIA, "rdfs:label"),),
    ),
    Case(
        "or-datatype-duration-start",
        "Period: at most one cn:start",
        add=((PERIOD, "cn:start", "'P1Y'^^xsd:duration"),),
    ),
    Case(
        "or-class-member-country",
        "Membership: exactly one cn:member",
        add=((MEMBERSHIP, "cn:member", LATVIA, SOURCE),),
        remove=((MEMBERSHIP, "cn:member"),),
    ),
    Case(
        "or-node-period-empty", "Period: at least one of", remove=((PERIOD, "cn:start"), (PERIOD, "cn:end"))
    ),
    Case(
        "qualifiedMinCount-wikidata-only",
        "City: at least one owl:sameAs, a GeoNames IRI",
        add=((KRAKOW, "owl:sameAs", "http://www.wikidata.org/entity/Q31487"),),
        remove=((KRAKOW, "owl:sameAs"),),
    ),
    Case(
        "in-role",
        "Membership: a cn:role",
        add=((MEMBERSHIP, "cn:role", "role:observer", SOURCE),),
        remove=((MEMBERSHIP, "cn:role"),),
    ),
    Case(
        "nodeKind-literal-website",
        "City: each cn:website",
        add=((KRAKOW, "cn:website", "'https://www.krakow.pl/'"),),
    ),
    Case(
        "pattern-currency",
        "MonetaryAmount: exactly one schema:currency",
        add=((BUDGET, "schema:currency", "'zloty'", SOURCE),),
        remove=((BUDGET, "schema:currency"),),
    ),
    Case(
        "pattern-iri-sameAs", "City: owl:sameAs a GeoNames place", add=((KRAKOW, "owl:sameAs", "id:city/x"),)
    ),
    Case(
        "class-programme-is-a-city",
        "Network: at most one cn:programme",
        add=((NETWORK, "cn:programme", KRAKOW),),
    ),
]


@pytest.fixture(scope="module")
def shapes_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's shapes with counts typed as xsd:integer, the datatype Oxigraph stores them with.

    (xsd:nonNegativeInteger and xsd:positiveInteger literals come back from Oxigraph as xsd:integer;
    once ontology/shapes.ttl says so itself, the replacements change nothing.)
    """
    text = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    for datatype, least in (("nonNegativeInteger", 0), ("positiveInteger", 1)):
        text = text.replace(
            f"sh:datatype xsd:{datatype} ;", f"sh:datatype xsd:integer ; sh:minInclusive {least} ;"
        )
    path = tmp_path_factory.mktemp("shapes") / "shapes.ttl"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seed_quads(seed: EmbeddedStore) -> list[ox.Quad]:
    return list(seed.store)


def build_store(quads: list[ox.Quad], case: Case) -> ox.Store:
    """The seed store with the case's changes, made to a named graph and to the merged default
    graph alike, as a load would have made them (the checks read the default graph)."""
    store = ox.Store()
    store.extend(quads)
    for s, p in case.remove:  # from every graph, the default graph too
        for quad in list(store.quads_for_pattern(ox.NamedNode(expand(s)), ox.NamedNode(expand(p)), None)):
            store.remove(quad)
    added = [to_quad(*fact) for fact in case.add]
    store.extend(added)
    merge_into_default(store, added)
    return store


def to_dataset(store: ox.Store) -> Dataset:
    """The same quads as an rdflib Dataset, for pyshacl."""
    dataset = Dataset()
    dataset.parse(data=store.dump(format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    return dataset


def outcome(check, *args) -> str:
    """The ValidationError's message, or "conforms"."""
    try:
        check(*args)
    except ValidationError as error:
        return str(error)
    return "conforms"


def error_of(check, *args) -> str:
    with pytest.raises(ValidationError) as info:
        check(*args)
    return str(info.value)


def test_seed_graph_conforms(seed: EmbeddedStore, shapes_path: Path) -> None:
    validate_store(seed.store, shapes_path, {})


def test_seed_graph_conforms_for_pyshacl_too(seed_quads: list[ox.Quad], shapes_path: Path) -> None:
    validate_dataset(to_dataset(build_store(seed_quads, Case("none", ""))), shapes_path, {})


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_same_error_as_pyshacl(case: Case, seed_quads: list[ox.Quad], shapes_path: Path) -> None:
    store = build_store(seed_quads, case)
    origins = {expand(KRAKOW): "graph/places.yaml:7", expand(MEMBERSHIP): "graph/krakow.yaml:12"}

    ours = error_of(validate_store, store, shapes_path, origins)

    theirs = {URIRef(key): value for key, value in origins.items()}  # validate_dataset's keys are URIRefs
    assert ours == error_of(validate_dataset, to_dataset(store), shapes_path, theirs)
    assert (
        ours.partition(": ")[2]
        .removeprefix("graph/places.yaml:7: ")
        .removeprefix("graph/krakow.yaml:12: ")
        .startswith(case.says)
    ), ours


CN, ID = PREFIXES["cn:"], PREFIXES["id:"]


def test_message_of_a_latitude_out_of_range(seed_quads: list[ox.Quad], shapes_path: Path) -> None:
    store = build_store(seed_quads, CASES[3])

    assert error_of(validate_store, store, shapes_path, {expand(KRAKOW): "graph/places.yaml:7"}) == (
        "SHACL: graph/places.yaml:7: City: exactly one wgs:lat, an xsd:decimal between -90 and 90"
        f" - offending fact: <{ID}city/3094802> <http://www.w3.org/2003/01/geo/wgs84_pos#lat>"
        ' "95.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    )


def test_message_of_an_empty_period(seed_quads: list[ox.Quad], shapes_path: Path) -> None:
    store = build_store(seed_quads, Case("x", "", remove=((PERIOD, "cn:start"), (PERIOD, "cn:end"))))
    period = f"{ID}membership/urb-inclusion/city/3094802/period"

    assert error_of(validate_store, store, shapes_path, {}) == (
        "SHACL: Period: at least one of cn:start, cn:end or cn:duration"
        f" - offending fact: <{period}> <{period}>"
    )


def test_message_of_two_memberships_without_member(seed_quads: list[ox.Quad], shapes_path: Path) -> None:
    other = "id:membership/urb-inclusion/city/3165524"
    store = build_store(seed_quads, Case("x", "", remove=((MEMBERSHIP, "cn:member"), (other, "cn:member"))))

    assert error_of(validate_store, store, shapes_path, {}) == (
        "SHACL: Membership: exactly one cn:member, a cn:City or a cn:Organisation - offending fact: "
        f"<{ID}membership/urb-inclusion/city/3094802> <{CN}member> (and 1 more)"
    )


@pytest.mark.parametrize(
    "constraint",
    [
        "sh:closed true",
        'sh:sparql [ sh:select "SELECT ?this {}" ]',
        "sh:targetNode cn:x",
        "sh:node cn:OtherShape",
    ],
)
def test_unsupported_constraint_is_refused(constraint: str) -> None:
    shapes = Graph().parse(
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix cn: <{CN}> .
        cn:TestShape a sh:NodeShape ; sh:targetClass cn:City ; {constraint} .
    """,
        format="turtle",
    )
    name = constraint.split()[0]

    with pytest.raises(ValidationError, match=f"unsupported SHACL constraint {name} in .*TestShape"):
        compile_shapes(shapes)


@pytest.mark.parametrize("path", ["[ sh:inversePath cn:member ]", "( cn:member cn:country )"])
def test_non_iri_path_is_refused(path: str) -> None:
    shapes = Graph().parse(
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix cn: <{CN}> .
        cn:TestShape sh:targetClass cn:City ; sh:property [ sh:path {path} ; sh:minCount 1 ] .
    """,
        format="turtle",
    )

    with pytest.raises(ValidationError, match="unsupported SHACL constraint sh:"):
        compile_shapes(shapes)


def test_datatype_oxigraph_cannot_store_is_refused() -> None:
    shapes = Graph().parse(
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix cn: <{CN}> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        cn:TestShape sh:targetClass cn:Call ;
            sh:property [ sh:path cn:declaredNetworkCount ; sh:datatype xsd:nonNegativeInteger ] .
    """,
        format="turtle",
    )
    with pytest.raises(ValidationError, match=r"sh:datatype .*nonNegativeInteger.*xsd:integer"):
        compile_shapes(shapes)


TOY_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:S sh:targetClass ex:Place ;
    sh:property [ sh:path ex:name ; sh:minCount 2 ; sh:message "two names" ] ,
        [ sh:path ex:code ; sh:pattern "^ab$" ; sh:flags "i" ; sh:nodeKind sh:Literal ; sh:message "code" ] ,
        [ sh:path ex:tag ; sh:qualifiedValueShape [ sh:in ( ex:a ex:b ) ] ; sh:qualifiedMinCount 2 ;
          sh:message "two tags a or b" ] .
"""
# ex:Town is a subclass of ex:Place, so the towns are targets too.
TOY_DATA = """
@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:g1 { ex:Town rdfs:subClassOf ex:Place .
        ex:ok a ex:Town ; ex:name "x", "y" ; ex:code "AB" ; ex:tag ex:a, ex:b .
        ex:one a ex:Place ; ex:name "x" ; ex:tag ex:a, ex:b .
        ex:bad a ex:Town ; ex:name "x", "y" ; ex:code ex:ab, "abc" ; ex:tag ex:a, ex:c . }
ex:g2 { ex:one ex:name "x" . ex:bad ex:tag ex:a . }
"""


@pytest.mark.parametrize("remove", [(), ("one",), ("bad",), ("one", "bad")])
def test_toy_shapes_give_the_same_error_as_pyshacl(remove: tuple[str, ...], tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(TOY_SHAPES, encoding="utf-8")
    store = ox.Store()
    store.load(TOY_DATA.encode(), format=ox.RdfFormat.TRIG)
    merge_into_default(store, list(store))  # as a load does
    for name in remove:
        for quad in list(store.quads_for_pattern(ox.NamedNode(f"http://example.org/{name}"), None, None)):
            store.remove(quad)

    bad = "http://example.org/bad"
    ours = outcome(validate_store, store, shapes, {bad: "b.yaml:1"})

    theirs = outcome(validate_dataset, to_dataset(store), shapes, {URIRef(bad): "b.yaml:1"})
    assert ours == theirs
    assert ("SHACL: " in ours) == (remove != ("one", "bad"))


def test_toy_shapes_messages(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(TOY_SHAPES, encoding="utf-8")
    store = ox.Store()
    store.load(TOY_DATA.encode(), format=ox.RdfFormat.TRIG)
    merge_into_default(store, list(store))  # as a load does
    checks = compile_shapes(Graph().parse(shapes))

    # ex:one has one distinct name (stated in two graphs). ex:bad's code ex:ab is not a literal (nodeKind)
    # and its string "http://example.org/ab" does not match (pattern), nor does "abc" (pattern); ex:bad has
    # one tag in (a, b), stated in two graphs.
    ex = "http://example.org/"
    assert find_violations(store, checks, {}) == sorted(
        [
            f"code - offending fact: <{ex}bad> <{ex}code> <{ex}ab>",
            f"code - offending fact: <{ex}bad> <{ex}code> <{ex}ab>",
            f'code - offending fact: <{ex}bad> <{ex}code> "abc"',
            f"two names - offending fact: <{ex}one> <{ex}name>",
            f"two tags a or b - offending fact: <{ex}bad> <{ex}tag>",
        ]
    )
