"""Write query results: an aligned text table, or the W3C SPARQL results formats."""

from __future__ import annotations

from typing import Any, BinaryIO

import pyoxigraph as ox

from citynet.namespaces import Ids
from citynet.queries import to_rows

RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}


def shorten(value: Any, base: str = Ids().base) -> str:
    """A cell: IRIs under the instance base lose the base, numbers print plainly.

    >>> shorten("https://w3id.org/citynet/id/city/3094802"), shorten(None), shorten(0.8)
    ('city/3094802', '', '0.8')
    """
    if value is None:
        return ""
    text = str(value)
    return text[len(base):] if text.startswith(base) else text


def format_table(variables: list[str], rows: list[dict[str, Any]]) -> str:
    """Rows as an aligned text table with a header and a row count.

    >>> print(format_table(["city", "n"], [{"city": "Bytom", "n": 2}]))
    city   n
    -----  -
    Bytom  2
    (1 row)
    """
    cells = [[shorten(row[v]) for v in variables] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines)


def write_results(solutions: Any, fmt: str, output: BinaryIO) -> None:
    """Write a query's results in ``fmt`` (table, csv, tsv, json, xml) or, for CONSTRUCT, Turtle."""
    if isinstance(solutions, ox.QueryBoolean):
        output.write(b"true\n" if bool(solutions) else b"false\n")
    elif isinstance(solutions, ox.QueryTriples | list):  # a list: a remote CONSTRUCT's triples
        ox.serialize(solutions, output, format=ox.RdfFormat.TURTLE)
    elif fmt == "table":
        output.write((format_table(*to_rows(solutions)) + "\n").encode("utf-8"))
    else:
        solutions.serialize(output, format=RESULT_FORMATS[fmt])
