"""Lints for the citynet ontology and for the files that use its terms.

Two checks, both used by ``tests/test_ontology.py``:

* :func:`find_undeclared_terms` scans Turtle, SPARQL, YAML and Python files for terms of the
  ``cn:`` namespace and reports those that ``ontology/citynet.ttl`` does not declare;
* :func:`find_unknown_vocabulary_terms` reports IRIs of the RDF, RDFS, OWL, SKOS and SHACL
  namespaces that are not terms of those vocabularies (``rdfs:subClasOf``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, DefinedNamespaceMeta

from citynet.project import find_shipped
from citynet.rdf.cn import CN

CN_IRI = str(CN)
ONTOLOGY_PATH = find_shipped() / "ontology" / "citynet.ttl"

# A local name: a letter, then letters, digits, "_" or "-" (never a trailing "." of a sentence).
_LOCAL = r"([A-Za-z][\w-]*)"
# ``cn:Name`` not preceded by a word character or by another IRI or CURIE part, so that
# ``cnsh:Name``, ``urn:cn:x`` or ``http://x/cn:y`` do not match.
_PREFIXED = re.compile(r"(?<![\w:/.#-])cn:" + _LOCAL)
_FULL = re.compile(re.escape(CN_IRI) + _LOCAL)
# Python: ``CN.Name``, ``CN["Name"]`` and ``CN.term("Name")`` on the namespace class ``CN``.
_PY_ATTRIBUTE_NAMES = frozenset(dir(Namespace)) | {"_NS"}

DEFAULT_NAMESPACES: tuple[DefinedNamespaceMeta, ...] = (RDF, RDFS, OWL, SKOS, SH)


def terms_in_text(text: str) -> set[str]:
    """Return the local names of the ``cn:`` terms written in ``text``, prefixed or in full.

    >>> sorted(terms_in_text("?m cn:network ?n . <https://w3id.org/citynet/ontology#Network>"))
    ['Network', 'network']
    >>> sorted(terms_in_text("cnsh:NetworkShape sh:path rdfs:label ; urn:cn:x"))
    []
    """
    return {m.group(1) for m in _PREFIXED.finditer(text)} | {m.group(1) for m in _FULL.finditer(text)}


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """Return the ids of the string constants that are docstrings in ``tree``."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def terms_in_python(source: str) -> set[str]:
    """Return the ``cn:`` terms a Python module uses: ``CN.Name``, ``CN["Name"]``,
    ``CN.term("Name")``, and ``cn:Name`` or full IRIs inside string literals.

    Comments and docstrings are documentation, not uses, and are not scanned (a docstring
    may well show that ``CN.Netwrk`` fails). A module that does not parse is scanned as text.

    >>> sorted(terms_in_python('q = "?m cn:member ?c"\\nx = CN.Network\\ny = CN["role"]'))
    ['Network', 'member', 'role']
    >>> sorted(terms_in_python('def f():\\n    "Not CN.Netwrk."\\n    return CN.term("City")'))
    ['City']
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        attributes = {m.group(1) for m in re.finditer(r"(?<![\w.])CN\." + _LOCAL, source)}
        return terms_in_text(source) | (attributes - _PY_ATTRIBUTE_NAMES)
    docstrings = _docstring_nodes(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                found |= terms_in_text(node.value)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "CN"
            and node.attr not in _PY_ATTRIBUTE_NAMES
        ):
            found.add(node.attr)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "CN"
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            found.add(node.slice.value)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "term"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "CN"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def declared_terms(ontology: Path | str = ONTOLOGY_PATH) -> set[str]:
    """Return the local names of the ``cn:`` terms the ontology declares (its ``cn:`` subjects).

    >>> {"Network", "member", "geonamesId"} <= declared_terms()
    True
    """
    graph = Graph().parse(ontology, format="turtle")
    return {
        str(s)[len(CN_IRI) :] for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(CN_IRI)
    }


def find_undeclared_terms(
    paths: Iterable[Path | str], declared: set[str] | None = None
) -> list[tuple[Path, str]]:
    """Return ``(path, term)`` for each ``cn:`` term used in ``paths`` but not declared.

    ``.py`` files are read as Python (:func:`terms_in_python`), anything else (Turtle, SPARQL,
    YAML) as text (:func:`terms_in_text`). ``declared`` defaults to :func:`declared_terms`.

    >>> import tempfile
    >>> query = Path(tempfile.mkdtemp()) / "q.rq"
    >>> _ = query.write_text("SELECT ?n { ?n a cn:Network ; cn:" + "Netwrk ?x }")
    >>> [term for _, term in find_undeclared_terms([query])]
    ['Netwrk']
    """
    known = declared_terms() if declared is None else declared
    problems: list[tuple[Path, str]] = []
    for path in sorted(Path(p) for p in paths):
        text = path.read_text(encoding="utf-8")
        used = terms_in_python(text) if path.suffix == ".py" else terms_in_text(text)
        problems.extend((path, term) for term in sorted(used - known))
    return problems


def _is_known(term: URIRef, namespaces: Iterable[DefinedNamespaceMeta]) -> bool:
    """Whether ``term`` is outside ``namespaces`` or a term of the one it is in."""
    for namespace in namespaces:
        if str(term).startswith(str(namespace)):
            # the namespace IRI alone is no term (and would trip rdflib's ``in``)
            return str(term) != str(namespace) and term in namespace
    return True


def find_unknown_vocabulary_terms(
    graph: Graph, namespaces: Iterable[DefinedNamespaceMeta] = DEFAULT_NAMESPACES
) -> list[tuple[str, URIRef]]:
    """Return ``(position, iri)`` for each IRI in one of ``namespaces`` (by default RDF, RDFS,
    OWL, SKOS and SHACL) that is not a term of that vocabulary.

    ``position`` is ``"predicate"``, ``"class"`` (object of ``rdf:type``), ``"subject"`` or
    ``"object"``. Membership is rdflib's ``term in RDFS``, which checks the terms its
    ``DefinedNamespace`` classes enumerate.

    >>> g = Graph().parse(data=(
    ...     "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . "
    ...     "<urn:a> rdfs:subClasOf <urn:b> ; rdfs:label 'a' ."), format="turtle")
    >>> find_unknown_vocabulary_terms(g)  # doctest: +NORMALIZE_WHITESPACE
    [('predicate',
      rdflib.term.URIRef('http://www.w3.org/2000/01/rdf-schema#subClasOf'))]
    """
    namespaces = tuple(namespaces)
    found: set[tuple[str, URIRef]] = set()
    for s, p, o in graph:
        positions = (
            ("subject", s),
            ("predicate", p),
            ("class" if p == RDF.type else "object", o),
        )
        for position, term in positions:
            if not isinstance(term, URIRef):
                continue
            if not _is_known(term, namespaces):
                found.add((position, term))
    return sorted(found)
