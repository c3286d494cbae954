"""The reference SHACL check with pyshacl: the tests compare citynet.store.shacl (which loads use) with it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SH

from citynet.errors import ValidationError


def to_union(dataset: Dataset | ox.Store) -> Graph:
    """All quads of the dataset (or a pyoxigraph store) as one rdflib graph (what queries see)."""
    union = Graph()
    if isinstance(dataset, ox.Store):
        data = ox.serialize((q.triple for q in dataset), format=ox.RdfFormat.N_TRIPLES)
        return union.parse(data=data, format="nt")
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def describe_result(results: Graph, result: URIRef, origins: dict[str, str]) -> str:
    """One line: origin, focus node, path, value and the shape's message."""
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    message = results.value(result, SH.resultMessage) or "violates a shape"
    where = origins.get(focus) if isinstance(focus, URIRef) else None
    fact = f"<{focus}>" + (f" {path.n3()}" if path is not None else "")
    fact += f" {value.n3()}" if value is not None else ""
    return f"{where + ': ' if where else ''}{message} - offending fact: {fact}"


def validate_dataset(dataset: Dataset | ox.Store, shapes_path: Path, origins: dict[str, str]) -> None:
    """Raise ValidationError naming the first violation (and how many there are)."""
    shapes = Graph().parse(shapes_path, format="turtle")
    conforms, results, _ = validate(
        to_union(dataset), shacl_graph=shapes, inference="none", allow_warnings=True
    )
    if conforms:
        return
    violations = sorted(results.subjects(SH.resultSeverity, SH.Violation))
    lines = sorted(describe_result(results, r, origins) for r in violations)
    more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
    raise ValidationError(f"SHACL: {lines[0]}{more}")
