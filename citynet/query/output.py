"""Write query results: an aligned text table, or the W3C SPARQL results formats."""

from __future__ import annotations

import io
import re
from typing import Any, BinaryIO

import pyoxigraph as ox

from citynet.query.order import Column, check_columns, order_positions, sort_rows
from citynet.query.queries import to_python, to_rows
from citynet.rdf.namespaces import Ids
from citynet.sources.yamlfile import paused_gc

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
        ordered = sort_solutions(solutions, order, where)
        ox.parse_query_results(ordered, format=ox.QueryResultsFormat.TSV).serialize(
            output, format=RESULT_FORMATS[fmt]
        )
    else:
        solutions.serialize(output, format=RESULT_FORMATS[fmt])


def sort_solutions(solutions: Any, order: tuple[Column, ...], where: str = "the query") -> bytes:
    """A SELECT's results in the declared order, as SPARQL TSV results: pyoxigraph cannot make
    results from Python rows, but reads them back from TSV and writes them in any format.

    The engine writes TSV (a row a line, a term a cell, tabs and newlines escaped) and its lines
    are sorted as they are, on the values of the distinct cells of the sorted columns: at 100k,
    ``provenance`` in CSV took 2.8 s of CPU with every solution read into Python terms first
    (4.3 s through JSON), against 1.6 s for the old ORDER BY text (see CHANGELOG for this way).

    >>> results = ox.Store().query('SELECT ?n ?m WHERE { VALUES (?n ?m) { ("b" 1) (UNDEF 2) ("a\\tc" 3) } }')
    >>> print(sort_solutions(results, (Column("n"),)).decode().replace("\\t", " | "))
    ?n | ?m
     | 2
    "a\\tc" | 3
    "b" | 1
    <BLANKLINE>
    """
    written = io.BytesIO()
    solutions.serialize(written, format=ox.QueryResultsFormat.TSV)
    header, *lines = written.getvalue().decode("utf-8").removesuffix("\n").split("\n")
    variables = [variable[1:] for variable in header.split("\t")]
    check_columns(order, variables, where)
    at = {c.name: variables.index(c.name) for c in order}
    with paused_gc():  # many new lists, no cycles
        cells = [line.split("\t") for line in lines]  # one column unbound: an empty line, still a row
        texts = {name: [row[i] for row in cells] for name, i in at.items()}
        values = {name: to_values(set(column)) for name, column in texts.items()}
        columns = {name: [values[name][text] for text in column] for name, column in texts.items()}
        ordered = [lines[position] for position in order_positions(order, columns)]
    return "\n".join([header, *ordered, ""]).encode("utf-8")


def to_values(cells: set[str]) -> dict[str, Any]:
    """TSV cells (terms as Oxigraph writes them; empty: unbound) as Python values, read by Oxigraph.

    >>> to_values({"<urn:x>", "12", '"a"@pl', ""}) == {"<urn:x>": "urn:x", "12": 12, '"a"@pl': "a", "": None}
    True
    """
    texts = sorted(cells - {""})
    results = ox.parse_query_results(
        "\n".join(["?v", *texts, ""]).encode("utf-8"), format=ox.QueryResultsFormat.TSV
    )
    return {"": None, **dict(zip(texts, (to_python(solution[0]) for solution in results), strict=True))}
