"""The evidence behind extracted facts (issue 19): read, and checked against the text it quotes.

An extracted fact file (``citynet extract``) gives each network, member and call an ``evidence:``
list of ``{field, quote, start, end, rule, confidence}`` and its source a ``text:`` file beside it,
the extracted text the offsets point into; the source also says when it was ``retrieved`` and the
``sha256`` of the bytes read. Every problem is a :class:`~citynet.errors.FactError` naming file,
line and field.

>>> from citynet.sources.yamlfile import read_yaml_text
>>> data = read_yaml_text("evidence:\\n  - {field: member, quote: Riga, start: 5, end: 8, "
...                       "rule: gazetteer:name, confidence: 0.9}\\n", "f.yaml")
>>> read_evidence(Fields(data, "f.yaml", "", 1, {"evidence"}))
Traceback (most recent call last):
...
citynet.errors.FactError: f.yaml:2: evidence[0].end: the quote has 4 characters but end - start is 3 ...
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from citynet.errors import FactError
from citynet.sources.fields import Fields, check_printable, read_date
from citynet.sources.model import Evidence, SourceEntry
from citynet.sources.yamlfile import LineDict, read_bytes, show

EVIDENCE_FIELDS = {"field", "quote", "start", "end", "rule", "confidence"}
EXTRACTED = {"retrieved", "sha256", "text"}  # what a source entry adds for an extracted document
SHA256 = re.compile(r"^[0-9a-f]{64}$")
FILE_NAME = re.compile(r"^(?!\.\.?$)[^/\\]+$")  # a name beside the fact file: no folder, not . or ..
MAX_OFFSET = 1 << 40
RULE = re.compile(r"^(?![./]{1,2}$).{1,100}$", re.S)  # a rule's IRI is one path segment of its name
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]*[A-Za-z]")  # contact details are never a fact's evidence


def read_evidence(fields: Fields, key: str = "evidence") -> list[Evidence]:
    """The ``evidence:`` list of a network, member or call; each entry checked on its own.

    >>> from citynet.sources.yamlfile import read_yaml_text
    >>> data = read_yaml_text("evidence:\\n  - {field: role, quote: lider, start: 0, end: 5, "
    ...                       "rule: cue:pl:lider, confidence: 0.9}\\n", "f.yaml")
    >>> read_evidence(Fields(data, "f.yaml", "", 1, {"evidence"}))
    [Evidence(field='role', quote='lider', start=0, end=5, rule='cue:pl:lider', confidence=0.9)]
    """
    found = []
    for index, item in fields.items(key):
        sub = Fields(item, fields.path, f"{fields.name(key)}[{index}]", fields.line(key), EVIDENCE_FIELDS)
        found.append(read_one(sub))
    return found


def read_one(sub: Fields) -> Evidence:
    """One evidence entry: the quote as written (not stripped), offsets that fit it, confidence in [0, 1]."""
    quote = sub.get("quote", True)
    if not isinstance(quote, str) or not quote:
        raise sub.fail("quote", f"expected the quoted words as text, got {show(quote)} - quote them")
    check_printable(sub, "quote", quote)
    if EMAIL.search(quote):
        raise sub.fail(
            "quote",
            "holds an e-mail address - evidence never quotes contact details of officials; "
            "quote the words that state the fact",
        )
    start, end = (sub.integer(key, 0, MAX_OFFSET) for key in ("start", "end"))
    if start is None or end is None:
        raise sub.fail("start" if start is None else "end", "missing required field - expected an offset")
    if start > end:
        raise sub.fail("end", f"end {end} is before start {start} - expected start <= end")
    if end - start != len(quote):
        raise sub.fail(
            "end",
            f"the quote has {len(quote)} characters but end - start is {end - start} - "
            "expected text[start:end] == quote",
        )
    confidence = sub.decimal("confidence", Decimal(0), Decimal(1), "a confidence is between 0 and 1")
    if confidence is None:
        raise sub.fail("confidence", "missing required field - expected a number from 0 to 1")
    return Evidence(
        field=sub.text("field", True) or "",
        quote=quote,
        start=start,
        end=end,
        rule=sub.text("rule", True, RULE, "a rule name such as 'cue:pl:lider' (at most 100 characters)")
        or "",
        confidence=float(confidence),
    )


def read_extracted(sub: Fields, entry: SourceEntry) -> SourceEntry:
    """Add what an extracted document's source entry says: ``retrieved``, ``sha256``, ``text``.

    >>> from citynet.sources.yamlfile import read_yaml_text
    >>> data = read_yaml_text("retrieved: 2026-12\\n", "f.yaml")
    >>> read_extracted(Fields(data, "f.yaml", "source", 1, EXTRACTED), SourceEntry("s", "T", "pl", 1))
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: f.yaml:1: source.retrieved: '2026-12' is not a day - expected YYYY-MM-DD
    """
    retrieved = read_date(sub, "retrieved")
    if retrieved is not None and retrieved.datatype != "date":
        raise sub.fail("retrieved", f"{show(retrieved.text)} is not a day - expected YYYY-MM-DD")
    entry.retrieved = retrieved.text if retrieved else None
    entry.sha256 = sub.text("sha256", pattern=SHA256, expected="64 lower-case hexadecimal digits")
    entry.text = sub.text("text", pattern=FILE_NAME, expected="a file name beside the fact file (no folder)")
    return entry


def read_source_text(path: Path, entry: SourceEntry, line: int, root: Path | None = None) -> str | None:
    """The extracted text the source's ``text:`` names, read from beside the fact file ``path``."""
    if not entry.text:
        return None
    text_path = path.parent / entry.text
    if not text_path.exists() and not text_path.is_symlink():
        raise FactError(
            f"text file {show(entry.text)} not found beside the fact file - expected the extracted "
            "text the evidence offsets point into",
            str(path),
            line,
            "source.text",
        )
    data = read_bytes(text_path, root)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FactError(
            f"text file {show(entry.text)} is not UTF-8 (byte {exc.start}) - expected the extracted text",
            str(path),
            line,
            "source.text",
        ) from None


def check_quotes(data: Any, text: str, path: str, text_name: str) -> None:
    """Check every evidence quote of a fact file's raw YAML (already read) against the text.

    >>> from citynet.sources.yamlfile import read_yaml_text
    >>> data = read_yaml_text("networks:\\n  - id: n\\n    evidence:\\n      - {field: names, "
    ...                       "quote: Riga, start: 0, end: 4, rule: r, confidence: 1}\\n", "f.yaml")
    >>> check_quotes(data, "Rīga is the capital", "f.yaml", "f.txt")
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: f.yaml:4: networks[0].evidence[0].quote: 'Riga' is not the text ...
    """
    for where, item in find_evidence(data):
        start, end, quote = item["start"], item["end"], item["quote"]
        if text[start:end] != quote:
            raise FactError(
                f"{show(quote)} is not the text at {start}:{end} of {text_name}, which reads "
                f"{show(text[start:end])} - expected text[start:end] == quote",
                path,
                item.key_lines.get("quote", item.line),
                f"{where}.quote",
            )


def find_evidence(data: Any) -> list[tuple[str, LineDict]]:
    """Every evidence entry of a fact file's raw YAML, with where it is (``networks[0].evidence[1]``)."""
    owners: list[tuple[str, Any]] = []
    for kind in ("networks", "calls"):
        for index, item in enumerate(data.get(kind) or [] if isinstance(data, dict) else []):
            owners.append((f"{kind}[{index}]", item))
            members = item.get("members") or [] if isinstance(item, dict) else []
            owners += [(f"{kind}[{index}].members[{i}]", m) for i, m in enumerate(members)]
    return [
        (f"{where}.evidence[{i}]", entry)
        for where, owner in owners
        if isinstance(owner, dict)
        for i, entry in enumerate(owner.get("evidence") or [])
    ]
