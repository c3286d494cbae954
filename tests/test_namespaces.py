"""Namespaces: the generated ``cn:`` module matches the ontology, every namespace Python names is
closed, and no ontology or vocabulary term is spelt out or pieced together in the package's code."""

from __future__ import annotations

import ast
import importlib.util
import re
import warnings
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import URIRef

from citynet.rdf import namespaces
from citynet.rdf.cn import CN
from citynet.rdf.lint import _docstring_nodes, declared_terms

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "citynet.ttl"
GENERATED = ROOT / "citynet" / "rdf" / "cn.py"
# namespaces whose terms the package's code names; each must fail on a term it does not hold
CLOSED = ["CN", "RDF", "RDFS", "OWL", "SKOS", "XSD", "PROV", "DCTERMS", "SCHEMA", "WGS", "GEO", "ORG"]
CLOSED += ["OA", "ITSRDF", "SPDX", "PAV"]  # the evidence of extracted facts (issue 19)
# namespaces the graph uses beside those of PREFIXES: their terms may not be spelt out either
EVIDENCE = [namespaces.OA, namespaces.ITSRDF, namespaces.SPDX, namespaces.PAV]
# the places where namespace IRIs may be written out: the namespaces themselves, and the lint's regexes
ALLOWED = {ROOT / "citynet" / "rdf" / "cn.py", ROOT / "citynet" / "rdf" / "namespaces.py"}


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_namespace", ROOT / "scripts" / "generate_namespace.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_module_is_what_the_ontology_gives() -> None:
    assert GENERATED.read_text(encoding="utf-8") == load_generator().render(ONTOLOGY), (
        "citynet/rdf/cn.py is out of date - run python scripts/generate_namespace.py"
    )


def test_the_generator_sees_a_new_term(tmp_path: Path) -> None:
    edited = tmp_path / "citynet.ttl"
    edited.write_text(
        ONTOLOGY.read_text(encoding="utf-8")
        + ('\ncn:twinnedWith a owl:ObjectProperty ; rdfs:label "twinned with"@en .\n'),
        encoding="utf-8",
    )
    text = load_generator().render(edited)
    assert text != GENERATED.read_text(encoding="utf-8")
    assert "    twinnedWith: URIRef  # twinned with\n" in text


def test_cn_holds_exactly_the_declared_terms() -> None:
    names = set(re.findall(r"^    (\w+): URIRef", GENERATED.read_text(encoding="utf-8"), re.M))
    assert names == declared_terms(ONTOLOGY)
    assert len(names) == 65  # 12 classes, 25 object and 28 datatype properties
    assert CN.memberDuring == URIRef("https://w3id.org/citynet/ontology#memberDuring")


@pytest.mark.parametrize("name", CLOSED)
def test_a_misspelt_term_fails(name: str) -> None:
    namespace = getattr(namespaces, name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AttributeError, match="not in namespace"):
            namespace.Netwrk  # noqa: B018


@pytest.mark.parametrize(
    ("name", "term", "iri"),
    [
        ("WGS", "lat", "http://www.w3.org/2003/01/geo/wgs84_pos#lat"),  # W3C's http, not rdflib's https
        ("SCHEMA", "MonetaryAmount", "https://schema.org/MonetaryAmount"),
        ("GEO", "asWKT", "http://www.opengis.net/ont/geosparql#asWKT"),
        ("XSD", "gYearMonth", "http://www.w3.org/2001/XMLSchema#gYearMonth"),
        ("PROV", "wasDerivedFrom", "http://www.w3.org/ns/prov#wasDerivedFrom"),
        ("OA", "TextQuoteSelector", "http://www.w3.org/ns/oa#TextQuoteSelector"),
        ("ITSRDF", "taConfidence", "http://www.w3.org/2005/11/its/rdf#taConfidence"),
        ("SPDX", "checksumAlgorithm_sha256", "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"),
        ("PAV", "retrievedOn", "http://purl.org/pav/retrievedOn"),
    ],
)
def test_the_field_vocabularies_have_the_iris_the_graph_uses(name: str, term: str, iri: str) -> None:
    assert getattr(getattr(namespaces, name), term) == URIRef(iri)


def term_iris() -> re.Pattern:
    """A full IRI of a term (a namespace IRI and a local name) of any namespace citynet uses."""
    iris = sorted(
        set(namespaces.PREFIXES.values())
        | {str(namespaces.RDF), "http://www.w3.org/ns/shacl#"}
        | {str(namespace) for namespace in EVIDENCE},
        key=len,
        reverse=True,
    )
    return re.compile("(?:" + "|".join(re.escape(iri) for iri in iris) + r")[A-Za-z]")


NAMESPACE_NAMES = {
    "CN",
    "VOCAB",
    "PREFIXES",
    "RDF",
    "RDFS",
    "OWL",
    "SKOS",
    "XSD",
    "PROV",
    "DCTERMS",
    "SCHEMA",
    "WGS",
    "GEO",
    "ORG",
    "ROLE",
    "NETWORK_TYPE",
    "PROGRAMME",
    "THEME",
    "FUND",
    "ORG_TYPE",
    "OA",
    "ITSRDF",
    "SPDX",
    "PAV",
}


def names_a_namespace(node: ast.expr) -> bool:
    """``CN``, ``PREFIXES["xsd"]`` or ``str(CN)``: a namespace itself, not one of its terms."""
    if isinstance(node, ast.Subscript):
        node = node.value
    elif (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str" and node.args
    ):
        node = node.args[0]
    return isinstance(node, ast.Name) and node.id in NAMESPACE_NAMES


def joins_a_namespace(node: ast.AST) -> bool:
    """A ``+`` or an f-string that puts a namespace into a string."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return names_a_namespace(node.left) or names_a_namespace(node.right)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) and names_a_namespace(v.value) for v in node.values)
    return False


def find_spelt_terms(path: Path) -> list[str]:
    """The code (not the docstrings) of a module that writes a term's IRI, or joins a namespace
    with a name (``PREFIXES["xsd"] + "integer"``, ``f"{CN}Network"``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings, pattern, found = _docstring_nodes(tree), term_iris(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if pattern.search(node.value):
                found.append(f"{node.lineno}: {node.value[:60]!r}")
        elif joins_a_namespace(node):
            found.append(f"{node.lineno}: {ast.unparse(node)[:60]}")
    return found


def test_no_term_is_spelt_out_or_pieced_together() -> None:
    modules = sorted(set((ROOT / "citynet").rglob("*.py")) - ALLOWED)
    problems = {str(p.relative_to(ROOT)): found for p in modules if (found := find_spelt_terms(p))}
    assert problems == {}


def test_the_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        '"""Docstrings may show <http://www.w3.org/2000/01/rdf-schema#label>."""\n'
        'TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"\n'
        'INTEGER = PREFIXES["xsd"] + "integer"\n'
        'CITY = f"{CN}City"\n'
        'PREFIX = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"\n',
        encoding="utf-8",
    )
    assert find_spelt_terms(module) == [
        "2: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'",
        "3: PREFIXES['xsd'] + 'integer'",
        "4: f'{CN}City'",
    ]
