"""Write query results: an aligned text table, or the W3C SPARQL results formats."""

from __future__ import annotations

import io
import json
import re
from typing import Any, BinaryIO

import pyoxigraph as ox

from citynet.query.order import Column, sort_rows
from citynet.query.queries import to_rows
from citynet.rdf.namespaces import Ids

# C0 and C1 controls (ESC starts terminal sequences: OSC 52 writes the clipboard), DEL, and the
# Unicode controls that reorder or hide text (bidi overrides and isolates, zero-width marks)
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}


def escape_controls(text: str) -> str:
    """The text with every control character shown as an escape, safe to print on a terminal.

    >>> escape_controls("Bytom\\x1b]52;c;aGk=\\x07\\r\\n"), escape_controls("Kraków \\u202e")
    ('Bytom\\\\x1b]52;c;aGk=\\\\x07\\\\r\\\\n', 'Kraków \\\\u202e')
    """
    return CONTROLS.sub(lambda found: to_escape(found.group()), text)


def to_escape(char: str) -> str:
    """A character's Python escape: ``\\t``, ``\\n``, ``\\r``, ``\\x1b`` below U+0100, else ``\\u202e``.

    >>> print(to_escape("\\x07"), to_escape("\\u2066"))
    \\x07 \\u2066
    """
    code = ord(char)
    named = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
    return named.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def shorten(value: Any, base: str = Ids().base) -> str:
    """A cell: IRIs under the instance base lose the base, numbers print plainly, control
    characters show as escapes (:func:`escape_controls`).

    >>> shorten("https://w3id.org/citynet/id/city/3094802"), shorten(None), shorten(0.8)
    ('city/3094802', '', '0.8')
    """
    if value is None:
        return ""
    text = escape_controls(str(value))
    return text[len(base) :] if text.startswith(base) else text


def format_table(variables: list[str], rows: list[dict[str, Any]]) -> str:
    """Rows as an aligned text table with a header and a row count; no cell holds a control
    character (a label's escape sequence would otherwise reach the terminal).

    >>> print(format_table(["city", "n"], [{"city": "Bytom", "n": 2}]))
    city   n
    -----  -
    Bytom  2
    (1 row)
    """
    cells = [[shorten(row[v]) for v in variables] for row in rows]
    header = [escape_controls(v) for v in variables]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(header)]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines)


def write_results(
    solutions: Any, fmt: str, output: BinaryIO, order: tuple[Column, ...] = (), where: str = "the query"
) -> None:
    """Write a query's results in ``fmt`` (table, csv, tsv, json, xml) or, for CONSTRUCT, Turtle;
    a SELECT's rows in ``order`` when one is declared (:mod:`citynet.query.order`)."""
    if isinstance(solutions, ox.QueryBoolean):
        output.write(b"true\n" if bool(solutions) else b"false\n")
    elif isinstance(solutions, ox.QueryTriples | list):  # a list: a remote CONSTRUCT's triples
        ox.serialize(solutions, output, format=ox.RdfFormat.TURTLE)
    elif fmt == "table":
        variables, rows = to_rows(solutions)
        output.write(
            (format_table(variables, sort_rows(order, variables, rows, where)) + "\n").encode("utf-8")
        )
    elif order:
        buffer = io.BytesIO()
        solutions.serialize(buffer, format=ox.QueryResultsFormat.JSON)
        ordered = sort_json(order, buffer.getvalue(), where)
        ox.parse_query_results(ordered, format=ox.QueryResultsFormat.JSON).serialize(
            output, format=RESULT_FORMATS[fmt]
        )
    else:
        solutions.serialize(output, format=RESULT_FORMATS[fmt])


def sort_json(order: tuple[Column, ...], data: bytes, where: str = "the query") -> bytes:
    """SPARQL JSON results with their solutions in the declared order: pyoxigraph cannot make
    results from Python rows, but reads them back from JSON, and writes them in any format.

    >>> data = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"b"}},{}]}}'
    >>> json.loads(sort_json((Column("n"),), data))["results"]["bindings"]
    [{}, {'n': {'type': 'literal', 'value': 'b'}}]
    """
    results = json.loads(data)
    variables, rows = to_rows(ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON))
    bindings, places = results["results"]["bindings"], {id(row): place for place, row in enumerate(rows)}
    results["results"]["bindings"] = [
        bindings[places[id(row)]] for row in sort_rows(order, variables, rows, where)
    ]
    return json.dumps(results, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
