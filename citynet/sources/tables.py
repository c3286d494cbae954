"""Read a table to import (CSV, TSV, xlsx, ods) into rows that know their file, sheet and row number.

A CSV's separator (``,`` ``;`` or tab) is found from its header line, its encoding from its bytes
(UTF-8 with or without a BOM, UTF-16 with a BOM, else Windows-1252); leading ``#`` comment lines are
skipped. A workbook (xlsx, xls, ods) is told by its content, not its name: a text file named
``.xlsx`` gets one line saying so. Row numbers are those a spreadsheet shows: the first line is row 1.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_text("# a note\\nName;Budget\\nGent;1,5\\n", encoding="utf-8-sig")
>>> table = read_table(path)
>>> table.columns, table.rows[0].number, table.rows[0].text("Name")
(['Name', 'Budget'], 3, 'Gent')
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from citynet.errors import TableError

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"  # xlsx/ods are zip archives, xls an OLE file
SEPARATORS = (";", "\t", ",")


@dataclass
class Table:
    """One sheet (or a CSV file): its column names and its rows."""

    path: str
    sheet: str | None
    columns: list[str]
    rows: list[Row] = field(default_factory=list)

    def fail(self, message: str, row: int | None = None, column: str = "") -> TableError:
        """An error naming this table's file and sheet (and a row and column if given)."""
        return TableError(message, self.path, self.sheet, row, column)

    def require(self, columns: Iterable[str]) -> None:
        """Fail on the first of ``columns`` the table lacks, naming the nearest it has.

        >>> Table("t.csv", None, ["Town", "Country"]).require(["Twon"])
        Traceback (most recent call last):
        citynet.errors.TableError: t.csv: column "Twon": missing - no such column (nearest: Town)
        """
        for column in columns:
            if column not in self.columns:
                near = difflib.get_close_matches(column, self.columns, 1, 0.6)
                hint = f" (nearest: {near[0]})" if near else f" (it has: {', '.join(self.columns[:12])})"
                raise self.fail(f"missing - no such column{hint}", column=column)


@dataclass
class Row:
    """One row of a table: its cells by column name, and where it is."""

    table: Table
    number: int  # the row number a spreadsheet shows (header = 1 in a file without comment lines)
    cells: dict[str, Any]

    def text(self, column: str) -> str:
        """The cell as text, stripped; a whole number read as a float (``103.0``) is ``"103"``."""
        return cell_text(self.cells.get(column, ""))

    def fail(self, column: str, message: str) -> TableError:
        """An error naming file, sheet, this row and ``column``."""
        return self.table.fail(message, self.number, column)

    @property
    def record(self) -> str:
        """Where the row is, as fact files say it: ``Partners row 17``."""
        return f"{self.table.sheet or Path(self.table.path).name} row {self.number}"


def cell_text(value: Any) -> str:
    """A cell's value as text: whole floats without ``.0``, dates in ISO 8601, the rest stripped.

    >>> cell_text(103.0), cell_text(99099.0), cell_text(" a "), cell_text(dt.date(2015, 9, 15)), cell_text("")
    ('103', '99099', 'a', '2015-09-15', '')
    """
    if value is None or value is False:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def to_rows(path: Path, sheet: str | None, records: list[list[Any]], first: int = 1) -> Table:
    """A table from its records, the first being the header (``first`` is its row number)."""
    if not records:
        raise TableError("empty - expected a header row and rows", str(path), sheet)
    columns = [cell_text(name) for name in records[0]]
    table = Table(str(path), sheet, columns)
    for number, record in enumerate(records[1:], first + 1):
        if any(cell_text(value) for value in record):
            table.rows.append(Row(table, number, dict(zip(columns, record, strict=False))))
    return table


def decode(data: bytes, path: Path) -> str:
    """The text of a CSV file: UTF-16 or UTF-8 by its BOM, UTF-8, else Windows-1252.

    >>> decode("\\ufeffa;b".encode("utf-8"), Path("x")), decode("é".encode("cp1252"), Path("x"))
    ('a;b', 'é')
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff_separator(header: str) -> str:
    """The separator the header line uses most: ``;``, tab or ``,``.

    >>> sniff_separator("a;b;c"), sniff_separator("a,b"), sniff_separator("a\\tb,c\\td")
    (';', ',', '\\t')
    """
    return max(SEPARATORS, key=header.count)


def read_csv(path: Path, data: bytes) -> Table:
    """A CSV or TSV file as one table (``sheet`` None), leading ``#`` comment lines skipped."""
    text = decode(data, path)
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and lines[skipped].startswith("#"):
        skipped += 1
    body = "".join(lines[skipped:])
    if not body.strip():
        raise TableError("empty - expected a header row and rows", str(path))
    separator = sniff_separator(body.splitlines()[0])
    try:
        records = list(csv.reader(io.StringIO(body, newline=""), delimiter=separator))
    except csv.Error as exc:
        raise TableError(f"not a readable CSV file ({exc})", str(path)) from exc
    return to_rows(path, None, records, skipped + 1)


def read_workbook(path: Path) -> dict[str, Table]:
    """Every sheet of an xlsx, xls or ods workbook, by name."""
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = {
            name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names
        }
    except python_calamine.CalamineError as exc:
        raise TableError(f"not a readable workbook ({exc})", str(path)) from exc
    return {
        name: to_rows(path, name, records) if records else Table(str(path), name, [])
        for name, records in sheets.items()
    }


def read_tables(path: Path) -> dict[str | None, Table]:
    """The tables of a file: a workbook's sheets by name, or a CSV file's one table under None."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableError(f"cannot read the file ({exc.strerror or exc})", str(path)) from exc
    if data.startswith((ZIP, OLE)):
        return dict(read_workbook(path))
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        kind = "empty" if not data else "text" if b"\0" not in data[:4096] else "something else"
        raise TableError(
            f"not a {path.suffix.lower()[1:]} workbook (the file is {kind}) - give the file as downloaded, "
            "or a CSV file named .csv",
            str(path),
        )
    return {None: read_csv(path, data)}


def read_table(path: Path, sheet: str | None = None) -> Table:
    """One table of a file: the named sheet of a workbook (else its first), or the CSV file."""
    tables = read_tables(path)
    if sheet is None or None in tables:
        return next(iter(tables.values()))
    if sheet not in tables:
        names = ", ".join(f'"{name}"' for name in tables)
        raise TableError(f"no such sheet - the workbook has: {names}", str(path), sheet)
    return tables[sheet]
