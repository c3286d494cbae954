"""Check a store against the SHACL shapes inside Oxigraph: each constraint compiled to one SPARQL SELECT.

Only the SHACL core constraints that ``ontology/shapes.ttl`` uses are supported; any other ``sh:`` term in
the shapes graph is refused when compiling, so nothing is skipped silently.

>>> shapes = Graph().parse(data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
...     ex:S sh:targetClass ex:City ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "a name" ] .
... ''', format="turtle")
>>> store = ox.Store()
>>> store.load(b'<http://example.org/c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
...            b'<http://example.org/City> .', format=ox.RdfFormat.N_QUADS)  # the default graph
>>> [(check.component, check.message) for check in compile_shapes(shapes)]
[('minCount', 'a name')]
>>> find_violations(store, compile_shapes(shapes), {"http://example.org/c": "x.yaml:3"})
['x.yaml:3: a name - offending fact: <http://example.org/c> <http://example.org/name>']
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from citynet.errors import ValidationError
from citynet.rdf.namespaces import XSD
from citynet.store.shapes import Check, compile_shapes


def to_n3(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A term written as rdflib's ``.n3()`` writes it.

    >>> to_n3(ox.Literal("95.0", datatype=ox.NamedNode(str(XSD.decimal))))
    '"95.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> to_n3(ox.Literal("Wien", language="de")), to_n3(ox.Literal("x"))
    ('"Wien"@de', '"x"')
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value).n3()
    if isinstance(term, ox.BlankNode):
        return BNode(term.value).n3()
    datatype = term.datatype.value
    plain = term.language or datatype == str(XSD.string)
    return Literal(term.value, lang=term.language, datatype=None if plain else URIRef(datatype)).n3()


def run_check(store: ox.Store, check: Check, origins: dict[str, str]) -> list[str]:
    """The violations one check finds, each as one line: origin, message and the offending fact."""
    lines = []
    solutions = row = None
    try:
        solutions = store.query(check.query)  # the default graph: the named graphs merged
        with_value = ox.Variable("value") in solutions.variables
        for row in solutions:
            focus, value = row["focus"], row["value"] if with_value else None
            where = origins.get(focus.value) if isinstance(focus, ox.NamedNode) else None
            fact = f"<{focus.value}>" + (f" <{check.path}>" if check.path else "")
            fact += f" {to_n3(value)}" if value is not None else ""
            lines.append(f"{where + ': ' if where else ''}{check.message} - offending fact: {fact}")
    finally:
        # pyoxigraph's results belong to the thread that made them: drop them here, not in the
        # thread an error is raised in (its traceback would keep this frame alive)
        del solutions, row
    return lines


def find_violations(store: ox.Store, checks: list[Check], origins: dict[str, str]) -> list[str]:
    """Every violation as one line, sorted.

    The checks run in threads, one a core: pyoxigraph lets go of the GIL while it evaluates a
    query (two threads ran two queries in 0.65 of the time one took for both, here, on 2 cores).
    """
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        parts = pool.map(lambda check: run_check(store, check, origins), checks)
        return sorted(line for part in parts for line in part)


def validate_store(store: ox.Store, shapes_path: Path, origins: dict[str, str]) -> None:
    """Raise ValidationError naming the first violation (and how many there are), as pyshacl's check does.

    ``origins`` maps focus IRIs to ``file:line``. The checks read the default graph, the merge of
    the named graphs (see :func:`citynet.store.embedded.load_file`).
    """
    lines = find_violations(store, compile_shapes(Graph().parse(shapes_path, format="turtle")), origins)
    if lines:
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        raise ValidationError(f"SHACL: {lines[0]}{more}")
