"""The T-box: ontology/citynet.ttl, the SKOS vocabularies, the SHACL shapes, and the lints."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pyoxigraph
import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

import citynet.rdf.lint
from citynet.rdf.lint import (
    declared_terms,
    find_undeclared_terms,
    find_unknown_vocabulary_terms,
    terms_in_python,
    terms_in_text,
)

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY = ONTOLOGY_DIR / "citynet.ttl"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
VOCAB_DIR = ONTOLOGY_DIR / "vocab"
MODEL = ROOT / "docs" / "model.md"

ONTOLOGY_IRI = URIRef("https://w3id.org/citynet/ontology")
CN = Namespace("https://w3id.org/citynet/ontology#")
VOCAB = "https://w3id.org/citynet/vocab/"
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

TURTLE_FILES = sorted(ONTOLOGY_DIR.rglob("*.ttl"))
VOCAB_FILES = sorted(VOCAB_DIR.glob("*.ttl"))
TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse(ONTOLOGY)


@pytest.fixture(scope="module")
def vocabularies() -> Graph:
    return parse(*VOCAB_FILES)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return parse(SHAPES)


def cn_subjects(graph: Graph) -> set[URIRef]:
    return {s for s in graph.subjects() if isinstance(s, URIRef) and s.startswith(str(CN))}


# --- parsing and the ontology header ---------------------------------------------------------


def test_there_are_turtle_files() -> None:
    names = {rel(p) for p in TURTLE_FILES}
    assert {"ontology/citynet.ttl", "ontology/shapes.ttl"} <= names
    assert {p.name for p in VOCAB_FILES} == {
        "roles.ttl",
        "network-types.ttl",
        "programmes.ttl",
        "funds.ttl",
        "organisation-types.ttl",
        "themes.ttl",
        "strands.ttl",
    }


@pytest.mark.parametrize("path", TURTLE_FILES, ids=rel)
def test_turtle_file_parses(path: Path) -> None:
    assert len(parse(path)) > 0
    # the store is pyoxigraph: it must read the files too
    assert list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.2.0")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/citynet/ontology/0.2.0")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    for predicate in (DCTERMS.title, RDFS.label, RDFS.comment, DCTERMS.created):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, predicate


# --- the cn: terms ---------------------------------------------------------------------------


def test_every_term_is_typed_labelled_and_defined_by_the_ontology(ontology: Graph) -> None:
    terms = cn_subjects(ontology)
    assert len(terms) > 40
    problems = []
    for term in sorted(terms):
        types = set(ontology.objects(term, RDF.type)) & TERM_TYPES
        if len(types) != 1:
            problems.append(f"{term}: typed {types or 'none'} of owl:Class/Object/DatatypeProperty")
        if not any(
            isinstance(label, Literal) and label.language == "en"
            for label in ontology.objects(term, RDFS.label)
        ):
            problems.append(f"{term}: no rdfs:label@en")
        if ontology.value(term, RDFS.comment) is None:
            problems.append(f"{term}: no rdfs:comment")
        if (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology:
            problems.append(f"{term}: no rdfs:isDefinedBy <{ONTOLOGY_IRI}>")
    assert not problems, "\n".join(problems)


def find_incomplete_terms(graph: Graph) -> list[str]:
    """What each cn: term lacks of what its documentation shows: an rdfs:label, a definition
    (rdfs:comment, which pyLODE shows as the description), and for a property an rdfs:domain and an
    rdfs:range; a domain or range that is a union must list only classes the ontology declares."""
    declared = set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, RDFS.Datatype))
    problems = []
    for term in sorted(cn_subjects(graph)):
        wanted = [RDFS.label, RDFS.comment]
        if set(graph.objects(term, RDF.type)) & {OWL.ObjectProperty, OWL.DatatypeProperty}:
            wanted += [RDFS.domain, RDFS.range]
        for predicate in wanted:
            value = graph.value(term, predicate)
            if value is None:
                problems.append(f"{term}: no {graph.qname(predicate)}")
            elif (value, OWL.unionOf, None) in graph:
                members = list(graph.items(graph.value(value, OWL.unionOf)))
                if len(members) < 2 or any(m.startswith(str(CN)) and m not in declared for m in members):
                    problems.append(f"{term}: {graph.qname(predicate)} is a union of {members}")
    return problems


def test_every_term_has_a_label_a_definition_and_a_property_its_domain_and_range(ontology: Graph) -> None:
    assert not find_incomplete_terms(ontology), "\n".join(find_incomplete_terms(ontology))


def test_incomplete_terms_are_named() -> None:
    graph = Graph().parse(
        data="""
        @prefix cn:   <https://w3id.org/citynet/ontology#> .
        @prefix owl:  <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        cn:Network a owl:Class ; rdfs:label "network"@en ; rdfs:comment "A network."@en .
        cn:City a owl:Class ; rdfs:label "city"@en .
        cn:budget a owl:ObjectProperty ; rdfs:label "budget"@en ; rdfs:comment "A budget."@en ;
            rdfs:range cn:Network .
        cn:call a owl:ObjectProperty ; rdfs:label "call"@en ; rdfs:comment "A call."@en ;
            rdfs:domain [ a owl:Class ; owl:unionOf ( cn:Network cn:Cal ) ] ; rdfs:range cn:Network .
        """,
        format="turtle",
    )
    assert find_incomplete_terms(graph) == [
        f"{CN.City}: no rdfs:comment",
        f"{CN.budget}: no rdfs:domain",
        f"{CN.call}: rdfs:domain is a union of [{CN.Network!r}, {CN.Cal!r}]",
    ]


def test_union_domains_are_those_the_comments_name(ontology: Graph) -> None:
    """The 0.2.0 domains, written from each property's "Domain: …" sentence."""
    expected = {
        CN.programme: {CN.Network, CN.Call},
        CN.activeDuring: {CN.Network, CN.Call, CN.Programme},
        CN.country: {CN.City, CN.Organisation, CN.DeclaredPartners},
        CN.sourceRecord: {CN.Membership, CN.Network, CN.Call, CN.Programme},
        CN.approvedOn: {CN.Call, CN.Phase},
    }
    for prop, classes in expected.items():
        union = ontology.value(ontology.value(prop, RDFS.domain), OWL.unionOf)
        assert set(ontology.items(union)) == classes, prop


def test_the_ontology_declares_exactly_the_terms_of_the_model(ontology: Graph) -> None:
    in_model = set(re.findall(r"`cn:([A-Za-z]\w*)`", MODEL.read_text(encoding="utf-8")))
    declared = {str(t)[len(str(CN)) :] for t in cn_subjects(ontology)}
    assert declared == declared_terms(ONTOLOGY)
    assert sorted(in_model - declared) == [], "in docs/model.md, not declared"
    assert sorted(declared - in_model) == [], "declared, not in docs/model.md"


def test_properties_have_the_ranges_of_the_model(ontology: Graph) -> None:
    expected = {
        CN.network: CN.Network,
        CN.memberDuring: CN.Period,
        CN.activeDuring: CN.Period,
        CN.budget: SCHEMA.MonetaryAmount,
        CN.partnerBudget: SCHEMA.MonetaryAmount,
        CN.amount: SCHEMA.MonetaryAmount,
        CN.coFinancing: CN.CoFinancing,
        CN.country: CN.Country,
        CN.programme: CN.Programme,
        CN.phaseOrder: URIRef("http://www.w3.org/2001/XMLSchema#positiveInteger"),
    }
    for prop, range_ in expected.items():
        assert ontology.value(prop, RDFS.range) == range_, prop


# --- SKOS vocabularies -----------------------------------------------------------------------


def model_vocabularies() -> dict[str, set[str]]:
    """``{"role": {"lead-partner", "partner"}, ...}`` from the SKOS section of docs/model.md."""
    text = MODEL.read_text(encoding="utf-8").split("## SKOS vocabularies", 1)[1]
    schemes: dict[str, set[str]] = {}
    for item in re.split(r"\n- ", "\n" + text)[1:]:
        prefix = re.search(r"\(`(\w+):`", item)
        assert prefix, item
        names = {n for n in re.findall(r"`([^`]+)`", item) if ":" not in n}
        schemes[prefix.group(1)] = names
    return schemes


PREFIX_NAMESPACES = {
    "role": "role/",
    "ntype": "network-type/",
    "programme": "programme/",
    "theme": "theme/",
    "fund": "fund/",
    "orgtype": "organisation-type/",
    "strand": "strand/",
}


def test_vocabularies_have_exactly_the_concepts_of_the_model(vocabularies: Graph) -> None:
    model = model_vocabularies()
    assert set(model) == set(PREFIX_NAMESPACES)
    for prefix, names in model.items():
        scheme = URIRef(VOCAB + PREFIX_NAMESPACES[prefix])
        assert (scheme, RDF.type, SKOS.ConceptScheme) in vocabularies, scheme
        concepts = {str(c)[len(scheme) :] for c in vocabularies.subjects(SKOS.inScheme, scheme)}
        assert concepts == names, prefix


KEEP_EU = URIRef("https://keep.eu/")


def test_keep_eu_themes_are_the_exports_thematic_labels(vocabularies: Graph) -> None:
    """The 42 labels of Thematic1..3 in the keep.eu export (checked by hand against the sheet)."""
    quoted = sorted(vocabularies.subjects(DCTERMS.source, KEEP_EU))
    assert len(quoted) == 42
    theme = VOCAB + "theme/"
    labels = {str(c)[len(theme) :]: str(vocabularies.value(c, RDFS.label)) for c in quoted}
    assert labels["governance-partnership"] == "Governance, partnership"
    assert labels["sme-and-entrepreneurship"] == "SME and entrepreneurship"
    assert labels["ict-and-digital-society"] == "ICT and digital society"
    assert labels["waterways-lakes-and-rivers"] == "Waterways, lakes and rivers"
    assert labels["managing-natural-and-man-made-threats-risk-management"] == (
        "Managing natural and man-made threats, risk management"
    )


def test_concepts_are_complete(vocabularies: Graph) -> None:
    problems = []
    concepts = sorted(set(vocabularies.subjects(RDF.type, SKOS.Concept)))
    assert len(concepts) >= 30
    for concept in concepts:

        def says(message: str, c: URIRef = concept) -> None:
            problems.append(f"{c}: {message}")

        pref = {lit.language: lit for lit in vocabularies.objects(concept, SKOS.prefLabel)}
        quoted = (concept, DCTERMS.source, KEEP_EU) in vocabularies  # keep.eu's labels, English only
        if "en" not in pref or ("pl" not in pref and not quoted):
            says("skos:prefLabel needs @en and @pl")
        labels = list(vocabularies.objects(concept, RDFS.label))
        if "en" in pref and labels != [pref["en"]]:
            says(f"rdfs:label {labels} is not the English prefLabel {pref['en']!r}")
        if not any(d.language == "en" for d in vocabularies.objects(concept, SKOS.definition)):
            says("no skos:definition@en")
        schemes = list(vocabularies.objects(concept, SKOS.inScheme))
        if len(schemes) != 1 or not concept.startswith(str(schemes[0])):
            says(f"skos:inScheme {schemes}: want the one scheme whose namespace it is in")
            continue
        scheme = schemes[0]
        top = (concept, SKOS.topConceptOf, scheme) in vocabularies
        broader = list(vocabularies.objects(concept, SKOS.broader))
        if top == bool(broader):
            says("needs either skos:topConceptOf its scheme or skos:broader")
        listed = (scheme, SKOS.hasTopConcept, concept) in vocabularies
        if listed and not top:
            says("listed by the scheme's skos:hasTopConcept, but no skos:topConceptOf")
        if top and not listed and (scheme, SKOS.hasTopConcept, None) in vocabularies:
            says("skos:topConceptOf, but missing from the scheme's skos:hasTopConcept list")
        for parent in broader:
            if (parent, SKOS.inScheme, scheme) not in vocabularies:
                says(f"skos:broader {parent} is not in the same scheme")
    assert not problems, "\n".join(problems)


def test_roles_and_programmes_carry_their_classes(vocabularies: Graph) -> None:
    role = Namespace(VOCAB + "role/")
    programme = Namespace(VOCAB + "programme/")
    assert (role["lead-partner"], SKOS.broader, role.partner) in vocabularies
    for concept in vocabularies.subjects(SKOS.inScheme, URIRef(role)):
        assert (concept, RDF.type, ORG.Role) in vocabularies, concept
    programmes = set(vocabularies.subjects(SKOS.inScheme, URIRef(programme)))
    assert len(programmes) == 5
    periods = {
        "urbact-i": "2002-2006",
        "urbact-ii": "2007-2013",
        "urbact-iii": "2014-2020",
        "urbact-iv": "2021-2027",
        "europe-for-citizens-2007-2013": "2007-2013",
    }
    for concept in programmes:
        assert (concept, RDF.type, CN.Programme) in vocabularies, concept
        label = vocabularies.value(concept, RDFS.label)
        assert isinstance(label, Literal) and label.language == "en", concept
        definition = str(vocabularies.value(concept, SKOS.definition))
        assert periods[str(concept)[len(programme) :]] in definition, concept


def test_network_types_name_their_programme(vocabularies: Graph) -> None:
    ntype = URIRef(VOCAB + "network-type/")
    for concept in vocabularies.subjects(SKOS.inScheme, ntype):
        definition = str(vocabularies.value(concept, SKOS.definition))
        assert re.search(r"URBACT (II|III|IV)\b|Europe for Citizens", definition), concept


# --- lint: cn: terms used across the repository ----------------------------------------------


def repository_files() -> list[Path]:
    patterns = [
        "ontology/**/*.ttl",
        "queries/**/*.rq",
        "graph/**/*.yaml",
        "graph/**/*.yml",
        "citynet/**/*.py",
        "citynet/**/*.rq",
    ]
    return sorted({p for pattern in patterns for p in ROOT.glob(pattern) if p.is_file()})


def test_every_cn_term_used_in_the_repository_is_declared() -> None:
    files = repository_files()
    assert ONTOLOGY in files and SHAPES in files
    problems = find_undeclared_terms(files, declared_terms(ONTOLOGY))
    assert not problems, "undeclared cn: terms:\n" + "\n".join(
        f"{rel(path)}: cn:{term}" for path, term in problems
    )


def test_cn_lint_flags_an_undeclared_term(tmp_path: Path) -> None:
    declared = declared_terms(ONTOLOGY)
    query = tmp_path / "networks.rq"
    query.write_text(
        "PREFIX cn: <https://w3id.org/citynet/ontology#>\n"
        "SELECT ?n WHERE { ?n a cn:Netwrk ; cn:programme ?p ;\n"
        "  <https://w3id.org/citynet/ontology#memberOf> ?x }\n",
        encoding="utf-8",
    )
    facts = tmp_path / "facts.yaml"
    facts.write_text("# each entry becomes a cn:Sourse\nsource: cn:Source\n", encoding="utf-8")
    code = tmp_path / "code.py"
    code.write_text(
        'from citynet.rdf.namespaces import CN\n\n\ndef f():\n    """CN.Docstring is no use."""\n'
        "    # cn:Comment is no use either\n"
        '    return CN.Netwerk, CN["Cityy"], CN.term("Rolle"), CN.Network, "?m cn:membr ?x"\n',
        encoding="utf-8",
    )
    assert find_undeclared_terms([query, facts, code], declared) == [
        (code, "Cityy"),
        (code, "Netwerk"),
        (code, "Rolle"),
        (code, "membr"),
        (facts, "Sourse"),
        (query, "Netwrk"),
        (query, "memberOf"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "cnsh:NetworkShape a sh:NodeShape .",
        "@prefix cn: <https://w3id.org/citynet/ontology#> .",
        "urn:cn:Network and https://example.org/cn:Network",
        'ids: {"cn:": 1, "cn:1": 2}',
        "scn:Network, acn:Network",
    ],
)
def test_cn_lint_has_no_false_positives(text: str) -> None:
    assert terms_in_text(text) == set()


def test_cn_lint_reads_python_code_not_documentation() -> None:
    source = (
        '"""Module: CN.Netwrk raises AttributeError; cn:Foo is prose."""\n'
        "from rdflib import URIRef\n"
        "X = CN.title  # a str method of rdflib's Namespace, not a term\n"
        'Y = URIRef("https://w3id.org/citynet/ontology#Call")\n'
    )
    assert terms_in_python(source) == {"Call"}


# --- lint: rdfs:, owl:, skos:, sh: terms -----------------------------------------------------


@pytest.mark.parametrize("path", TURTLE_FILES, ids=rel)
def test_vocabulary_terms_are_real(path: Path) -> None:
    problems = find_unknown_vocabulary_terms(parse(path))
    assert not problems, f"{rel(path)}: " + ", ".join(f"{pos} {term}" for pos, term in problems)


def test_vocabulary_lint_flags_a_misspelt_term() -> None:
    graph = Graph().parse(
        data="""
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix owl:  <http://www.w3.org/2002/07/owl#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix sh:   <http://www.w3.org/ns/shacl#> .
        <urn:x:A> a owl:Class ; rdfs:subClasOf <urn:x:B> ; rdfs:label "A" .
        <urn:x:c> a skos:Concpet ; skos:prefLabel "c" .
        <urn:x:S> a sh:NodeShape ; sh:property [ sh:path rdfs:label ; sh:minCont 1 ] .
        """,
        format="turtle",
    )
    assert find_unknown_vocabulary_terms(graph) == [
        ("class", URIRef("http://www.w3.org/2004/02/skos/core#Concpet")),
        ("predicate", URIRef("http://www.w3.org/2000/01/rdf-schema#subClasOf")),
        ("predicate", URIRef("http://www.w3.org/ns/shacl#minCont")),
    ]


def test_rdflib_namespaces_are_closed() -> None:
    """What the vocabulary lint relies on (rdflib 7): DefinedNamespace membership."""
    assert RDFS.subClassOf in RDFS
    assert URIRef(str(RDFS) + "subClasOf") not in RDFS
    with pytest.raises(AttributeError):
        _ = RDFS.subClasOf


def test_lint_docstring_examples() -> None:
    result = doctest.testmod(citynet.rdf.lint)
    assert result.attempted > 0 and result.failed == 0


# --- SHACL shapes ----------------------------------------------------------------------------


def test_every_class_has_a_shape(ontology: Graph, shapes: Graph) -> None:
    classes = set(ontology.subjects(RDF.type, OWL.Class)) & cn_subjects(ontology)
    targets = set(shapes.objects(None, SH.targetClass))
    assert classes | {SCHEMA.MonetaryAmount} == targets


def test_every_property_shape_has_a_message(shapes: Graph) -> None:
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        for prop in shapes.objects(shape, SH.property):
            message = shapes.value(prop, SH.message)
            assert message is not None and str(message).split(":")[0] in str(shape), prop


VALID = """
@prefix cn:        <https://w3id.org/citynet/ontology#> .
@prefix fund:      <https://w3id.org/citynet/vocab/fund/> .
@prefix geo:       <http://www.opengis.net/ont/geosparql#> .
@base             <https://w3id.org/citynet/id/> .
@prefix ntype:     <https://w3id.org/citynet/vocab/network-type/> .
@prefix owl:       <http://www.w3.org/2002/07/owl#> .
@prefix programme: <https://w3id.org/citynet/vocab/programme/> .
@prefix rdfs:      <http://www.w3.org/2000/01/rdf-schema#> .
@prefix role:      <https://w3id.org/citynet/vocab/role/> .
@prefix schema:    <https://schema.org/> .
@prefix wgs:       <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix xsd:       <http://www.w3.org/2001/XMLSchema#> .

<network/test> a cn:Network ;
    rdfs:label "Test network"@en ;
    cn:programme programme:urbact-iv ;
    cn:networkType ntype:action-planning-network ;
    cn:activeDuring <network/test/period> ;
    cn:budget <network/test/budget> .

<network/test/period> a cn:Period ;
    cn:start "2023"^^xsd:gYear ; cn:end "2025-12"^^xsd:gYearMonth .

<network/test/budget> a schema:MonetaryAmount ;
    schema:value 750000.00 ; schema:currency "EUR" .

<membership/test/3094802> a cn:Membership ;
    cn:member <city/3094802> ;
    cn:network <network/test> ;
    cn:role role:lead-partner ;
    cn:partnerBudget <membership/test/3094802/budget> ;
    cn:coFinancing <membership/test/3094802/co-financing> .

<membership/test/3094802/budget> a schema:MonetaryAmount ;
    schema:value 72075.0 ; schema:currency "EUR" .

<membership/test/3094802/co-financing> a cn:CoFinancing ;
    cn:rate 0.80 ; cn:rateIsMaximum true ; cn:fund fund:erdf .

<city/3094802> a cn:City ;
    rdfs:label "Kraków"@pl ;
    cn:country <country/PL> ;
    owl:sameAs <https://sws.geonames.org/3094802/> ;
    wgs:lat 50.06143 ; wgs:long 19.93658 ;
    geo:hasGeometry <city/3094802/geometry> ;
    cn:geonamesId 3094802 .

<country/PL> a cn:Country ;
    cn:countryCode "PL" ;
    rdfs:label "Poland"@en, "Polska"@pl, "Poljska"@sl, "Polija"@lv, "Lenkija"@lt, "Polen"@de,
        "Pologne"@fr, "Polonia"@it, "Polonia"@es .
"""

UPDATE_PREFIXES = """
PREFIX cn:     <https://w3id.org/citynet/ontology#>
BASE <https://w3id.org/citynet/id/>
PREFIX rdfs:   <http://www.w3.org/2000/01/rdf-schema#>
PREFIX role:   <https://w3id.org/citynet/vocab/role/>
PREFIX schema: <https://schema.org/>
PREFIX xsd:    <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="module")
def tbox(ontology: Graph, vocabularies: Graph) -> Graph:
    return ontology + vocabularies


def run_shacl(data: Graph, shapes: Graph, tbox: Graph) -> tuple[bool, str]:
    """Validate both ways the project may run pyshacl: with the ontology and vocabularies as
    ``ont_graph``, and with them in the data (the union of all named graphs, ontology included).
    The two must agree."""
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=tbox, inference="none")
    in_union, _, union_text = validate(data + tbox, shacl_graph=shapes, inference="none")
    assert conforms == in_union, f"ont_graph:\n{text}\nunion:\n{union_text}"
    return bool(conforms), str(text)


def test_valid_data_conforms(shapes: Graph, tbox: Graph) -> None:
    conforms, text = run_shacl(Graph().parse(data=VALID, format="turtle"), shapes, tbox)
    assert conforms, text


def test_invalid_data_does_not_conform(shapes: Graph, tbox: Graph) -> None:
    data = Graph().parse(data=VALID, format="turtle")
    data.update(
        UPDATE_PREFIXES
        + """
        DELETE { ?b schema:value ?v . ?m cn:network ?n }
        INSERT { ?b schema:value "-5.0"^^xsd:decimal }
        WHERE { BIND(<network/test/budget> AS ?b)
                ?b schema:value ?v . ?m a cn:Membership ; cn:network ?n }
    """
    )
    conforms, text = run_shacl(data, shapes, tbox)
    assert not conforms
    assert "budget must not be negative" in text
    assert "Membership: exactly one cn:network, a cn:Network" in text


MUTATIONS = {
    "role outside the scheme": (
        "DELETE { ?m cn:role ?r } INSERT { ?m cn:role role:observer } WHERE { ?m cn:role ?r }",
        "Membership: a cn:role",
    ),
    "member neither city nor organisation": (
        "DELETE { ?m cn:member ?c } INSERT { ?m cn:member <network/test> } WHERE { ?m cn:member ?c }",
        "Membership: exactly one cn:member, a cn:City or a cn:Organisation",
    ),
    "currency in lower case": (
        'DELETE { ?b schema:currency ?c } INSERT { ?b schema:currency "eur" } '
        "WHERE { ?b schema:currency ?c }",
        "MonetaryAmount: exactly one schema:currency",
    ),
    "co-financing rate over 1": (
        "DELETE { ?f cn:rate ?r } INSERT { ?f cn:rate 1.5 } WHERE { ?f cn:rate ?r }",
        "CoFinancing: at most one cn:rate, an xsd:decimal between 0 and 1",
    ),
    "co-financing with neither rate nor amount": (
        "DELETE { ?f cn:rate ?r } WHERE { ?f cn:rate ?r }",
        "CoFinancing: at least one of cn:rate or cn:amount",
    ),
    "empty period": (
        "DELETE { ?p cn:start ?s . ?p cn:end ?e } WHERE { ?p cn:start ?s ; cn:end ?e }",
        "Period: at least one of cn:start, cn:end or cn:duration",
    ),
    "start as a plain string": (
        'DELETE { ?p cn:start ?s } INSERT { ?p cn:start "2023" } WHERE { ?p cn:start ?s }',
        "Period: at most one cn:start",
    ),
    "country without a Latvian label": (
        'DELETE { <country/PL> rdfs:label "Polija"@lv } WHERE {}',
        "Country: at least one rdfs:label in Latvian (@lv)",
    ),
    "city without geonames sameAs": (
        "DELETE { ?c <http://www.w3.org/2002/07/owl#sameAs> ?g } "
        "WHERE { ?c <http://www.w3.org/2002/07/owl#sameAs> ?g }",
        "City: at least one owl:sameAs",
    ),
    "latitude out of range": (
        "DELETE { ?c <http://www.w3.org/2003/01/geo/wgs84_pos#lat> ?l } "
        "INSERT { ?c <http://www.w3.org/2003/01/geo/wgs84_pos#lat> 95.0 } "
        "WHERE { ?c <http://www.w3.org/2003/01/geo/wgs84_pos#lat> ?l }",
        "City: exactly one wgs:lat",
    ),
    "programme that is not a cn:Programme": (
        "DELETE { ?n cn:programme ?p } INSERT { ?n cn:programme role:partner } WHERE { ?n cn:programme ?p }",
        "Network: at most one cn:programme, a cn:Programme",
    ),
    "network without a label": (
        "DELETE { ?n rdfs:label ?l } WHERE { ?n a cn:Network ; rdfs:label ?l }",
        "Network: at least one rdfs:label",
    ),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_shapes_catch(name: str, shapes: Graph, tbox: Graph) -> None:
    update, message = MUTATIONS[name]
    data = Graph().parse(data=VALID, format="turtle")
    before = set(data)  # VALID has no blank nodes: its triples compare as they are
    data.update(UPDATE_PREFIXES + update)
    assert set(data) != before, "the mutation changed nothing"
    conforms, text = run_shacl(data, shapes, tbox)
    assert not conforms
    assert message in text, text


def test_sources_may_disagree_on_a_city_country(shapes: Graph, tbox: Graph) -> None:
    data = Graph().parse(data=VALID, format="turtle")
    data.update(
        UPDATE_PREFIXES
        + """
        INSERT { <city/3094802> cn:country <country/DE> .
                 <country/DE> a cn:Country ; cn:countryCode "DE" ; rdfs:label
                   "Germany"@en, "Niemcy"@pl, "Nemčija"@sl, "Vācija"@lv, "Vokietija"@lt,
                   "Deutschland"@de, "Allemagne"@fr, "Germania"@it, "Alemania"@es }
        WHERE {}
    """
    )
    conforms, text = run_shacl(data, shapes, tbox)
    assert conforms, text
