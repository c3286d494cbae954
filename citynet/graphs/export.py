"""Write a graph for other tools (Gephi, R/igraph, pandas), and read it back with networkx.

Formats: ``graphml``, ``gexf``, ``json`` (networkx node-link, edges under ``"edges"``) and
``csv``: two files beside ``PATH``, ``<stem>.nodes.csv`` (``id`` and the node attributes) and
``<stem>.edges.csv`` (``source``, ``target`` and the edge attributes); ``-o city.csv`` writes
``city.nodes.csv`` and ``city.edges.csv``.

Attribute values are converted on the way out, since the GraphML and GEXF writers take only
strings, numbers and booleans:

- None: the attribute is left out (an empty cell in CSV);
- lists, tuples and sets: one string, the items joined by ``"; "`` (sets sorted first);
  JSON keeps them as lists;
- dicts: a JSON string (JSON keeps them as objects);
- dates and times: ISO 8601 strings;
- anything else but str, int, float, bool: ``str(value)``;
- GEXF reserves ``start``/``end`` for dynamic graphs: they are written as ``period_start`` and
  ``period_end``.

>>> to_value(["URBACT II", "URBACT III"]), to_value(date(2017, 6, 6)), to_value(None)
('URBACT II; URBACT III', '2017-06-06', None)
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from citynet.errors import QueryError
from citynet.folders import atomic_write

FORMATS = ("graphml", "gexf", "csv", "json")
SEPARATOR = "; "
GEXF_RENAMED = {"start": "period_start", "end": "period_end"}


@dataclass(frozen=True)
class Exported:
    """What :func:`export` wrote."""

    paths: list[Path]
    nodes: int
    edges: int


def to_value(value: Any, keep_structure: bool = False) -> Any:
    """An attribute value the writers take (see the module's conversion rules); None stays None."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, dict):
        return (
            {str(k): to_value(v, True) for k, v in value.items()}
            if keep_structure
            else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        )
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        if keep_structure:
            return [to_value(item, True) for item in items]
        return SEPARATOR.join(str(to_value(item)) for item in items)
    return str(value)


def to_attributes(attrs: dict[str, Any], fmt: str) -> dict[str, Any]:
    """Attributes converted for ``fmt``; None values left out.

    >>> to_attributes({"start": "2013", "lat": None, "networks": ["USER"]}, "gexf")
    {'period_start': '2013', 'networks': 'USER'}
    """
    renamed = GEXF_RENAMED if fmt == "gexf" else {}
    converted = {renamed.get(k, k): to_value(v, fmt == "json") for k, v in attrs.items()}
    return {k: v for k, v in converted.items() if v is not None}


def to_exportable(graph: nx.Graph, fmt: str) -> nx.Graph:
    """A new graph like ``graph`` whose attribute values ``fmt``'s writer takes."""
    out = graph.__class__()
    out.graph.update(to_attributes(graph.graph, fmt))
    out.add_nodes_from((str(n), to_attributes(a, fmt)) for n, a in graph.nodes(data=True))
    out.add_edges_from((str(u), str(v), to_attributes(a, fmt)) for u, v, a in graph.edges(data=True))
    return out


def list_paths(fmt: str, path: Path) -> list[Path]:
    """The files an export to ``path`` writes.

    >>> [p.name for p in list_paths("csv", Path("out/city.csv"))]
    ['city.nodes.csv', 'city.edges.csv']
    """
    if fmt == "csv":
        stem = path.name.removesuffix(".csv")
        return [path.with_name(f"{stem}.nodes.csv"), path.with_name(f"{stem}.edges.csv")]
    return [path]


def format_rows(first: list[str], rows: list[tuple[list[str], dict[str, Any]]]) -> bytes:
    """A CSV file's bytes: the ``first`` columns, then every attribute any row has, sorted.

    >>> format_rows(["id"], [(["a"], {"x": 1}), (["b"], {})]).splitlines()
    [b'id,x', b'a,1', b'b,']
    """
    keys = sorted({key for _, attrs in rows for key in attrs})
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow([*first, *keys])
    writer.writerows([*ids, *("" if attrs.get(k) is None else attrs[k] for k in keys)] for ids, attrs in rows)
    return text.getvalue().encode("utf-8")


def format_csv(graph: nx.Graph) -> list[bytes]:
    """The nodes and edges CSV files of an exportable graph."""
    return [
        format_rows(["id"], [([n], a) for n, a in graph.nodes(data=True)]),
        format_rows(["source", "target"], [([u, v], a) for u, v, a in graph.edges(data=True)]),
    ]


def format_json(graph: nx.Graph) -> bytes:
    """networkx node-link JSON, edges under ``"edges"``."""
    data = nx.node_link_data(graph, edges="edges")
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def format_with(write: Callable[[nx.Graph, BinaryIO], None]) -> Callable[[nx.Graph], list[bytes]]:
    """A formatter from a networkx writer that takes a binary file."""

    def formatted(graph: nx.Graph) -> list[bytes]:
        buffer = io.BytesIO()
        write(graph, buffer)
        return [buffer.getvalue()]

    return formatted


FORMATTERS: dict[str, Callable[[nx.Graph], list[bytes]]] = {
    "graphml": format_with(lambda g, f: nx.write_graphml(g, f, infer_numeric_types=True)),
    "gexf": format_with(nx.write_gexf),
    "csv": format_csv,
    "json": lambda g: [format_json(g)],
}


def write_files(contents: list[bytes], paths: list[Path]) -> None:
    """Write each file through a temporary file renamed over it (:func:`citynet.folders.atomic_write`):
    a full disk leaves every previous file as it was."""
    with ExitStack() as stack:
        for content, path in zip(contents, paths, strict=True):
            stack.enter_context(atomic_write(path)).write(content)


def write_graph(graph: nx.Graph, fmt: str, path: Path) -> list[Path]:
    """Write the graph in ``fmt`` to ``path``; returns the files written. An empty graph is an error.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_graph(nx.Graph([("a", "b")]), "csv", folder / "g.csv")]
    ['g.nodes.csv', 'g.edges.csv']
    """
    if fmt not in FORMATTERS:
        raise QueryError(f'unknown export format "{fmt}" - known: {", ".join(FORMATS)}')
    if graph.number_of_nodes() == 0:
        raise QueryError("the graph is empty - nothing written; loosen the filters")
    paths = list_paths(fmt, path)
    contents = FORMATTERS[fmt](to_exportable(graph, fmt))
    try:
        paths[0].parent.mkdir(parents=True, exist_ok=True)
        write_files(contents, paths)
    except OSError as exc:
        raise QueryError(f'cannot write "{path}": {exc.strerror or exc}') from None
    return paths


def read_rows(path: Path, first: int) -> list[tuple[list[str], dict[str, str]]]:
    """The rows of a CSV file written by :func:`write_rows`: ids and non-empty attributes."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return [
            (row[:first], {k: v for k, v in zip(header[first:], row[first:], strict=True) if v != ""})
            for row in reader
        ]


def read_csv(path: Path) -> nx.Graph:
    """A graph from the nodes and edges CSV files; every attribute value is a string."""
    nodes, edges = list_paths("csv", path)
    graph = nx.Graph()
    graph.add_nodes_from((ids[0], attrs) for ids, attrs in read_rows(nodes, 1))
    graph.add_edges_from((ids[0], ids[1], attrs) for ids, attrs in read_rows(edges, 2))
    return graph


def read_graph(fmt: str, path: Path) -> nx.Graph:
    """Read an export back with networkx (node ids as strings).

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "g.graphml"
    >>> _ = write_graph(nx.Graph([("a", "b", {"networks": ["USER", "RURAL"]})]), "graphml", path)
    >>> read_graph("graphml", path).edges["a", "b"]["networks"]
    'USER; RURAL'
    """
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "json":
        return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    return read_csv(path)
