"""The library of named queries (``queries/*.rq``) and running them with bound parameters.

A query file's name is its name; its header comments, grlc-style, give its metadata as YAML::

    #+ summary: Members of one network, with role and country
    #+ params:
    #+   - {name: network, kind: network, doc: a network's name, acronym or IRI}
    #+ order: [{column: networkName, fold: lower}, memberName]

``order:`` (optional) is the rows' order, applied by citynet wherever it runs the query, in place of
an ORDER BY (:mod:`citynet.query.order`). Parameters are bound as a one-row ``VALUES`` block
opening the ``WHERE`` group, each value an RDF term written by pyoxigraph (escaped), never the
user's text spliced into the query.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from citynet.errors import CitynetError, QueryError
from citynet.query.engine import CONTROL, run_query, show
from citynet.query.lookup import KINDS as ENTITY_KINDS
from citynet.query.lookup import find_entity
from citynet.query.order import Column, check_modifiers, parse_order, sort_rows, to_order_by
from citynet.rdf.namespaces import XSD, Ids
from citynet.rdf.sparqlguard import check_query
from citynet.rdf.terms import to_node
from citynet.sources.yamlfile import paused_gc

LISTED = re.compile(r'separator\s*=\s*"([^"]+)"\s*\)\s*AS\s+\?(\w+)')
YEAR = re.compile(r"[0-9]{4}")  # ASCII digits only: str.isdigit() also takes fullwidth and superscript digits
MAX_VALUE = 1_000  # characters in one parameter value
MAX_QUERY_BYTES = 1_000_000  # bytes read from a query file (the guard's length limit is lower)
QUERY_SUFFIXES = (".rq", ".sparql")
KINDS = {**ENTITY_KINDS, "year": None, "text": None}  # network, city, organisation, country, programme


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    doc: str
    required: bool = True
    example: str | None = None


@dataclass
class NamedQuery:
    name: str
    summary: str
    text: str
    params: list[Param] = field(default_factory=list)
    order: tuple[Column, ...] = ()

    @property
    def portable_text(self) -> str:
        """The text with its declared order as an ORDER BY, for an engine that runs it on its own
        (``citynet serve``'s query page sends the text to the server as it is).

        >>> NamedQuery("q", "", "SELECT ?n { ?s ?p ?n }", order=(Column("n"),)).portable_text
        'SELECT ?n { ?s ?p ?n }\\nORDER BY ?n\\n'
        """
        return f"{self.text.rstrip()}\n{to_order_by(self.order)}\n" if self.order else self.text

    @property
    def lists(self) -> dict[str, str]:
        """Columns joined by GROUP_CONCAT, with their separators (SPARQL leaves the items' order open).

        >>> NamedQuery("q", "", 'SELECT (GROUP_CONCAT(?n; separator=", ") AS ?names) {}').lists
        {'names': ', '}
        """
        return {var: sep for sep, var in LISTED.findall(self.text)}


@dataclass(frozen=True)
class Listed:
    """A named query, with what running it on its example parameters gave (``queries(check=True)``)."""

    query: NamedQuery
    rows: int | None = None
    error: str = ""


def parse_header(text: str, path: Path) -> dict[str, Any]:
    """The YAML in a query file's ``#+`` header lines."""
    lines = [line[3:] for line in text.splitlines() if line.startswith("#+ ") or line == "#+"]
    try:
        header = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: malformed '#+' header: {exc}") from None
    if not isinstance(header, dict) or not header.get("summary"):
        raise QueryError(f"{path}: the '#+ summary:' header line is missing")
    return header


def read_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file."""
    text = path.read_text(encoding="utf-8")
    header = parse_header(text, path)
    params = []
    for item in header.get("params") or []:
        if not isinstance(item, dict) or item.get("kind") not in KINDS or not item.get("name"):
            raise QueryError(f"{path}: each param needs a name and a kind among {', '.join(KINDS)}")
        example = None if item.get("example") is None else str(item["example"])
        params.append(
            Param(item["name"], item["kind"], item.get("doc", ""), item.get("required", True), example)
        )
    order = parse_order(header.get("order"), str(path))
    if order:
        check_modifiers(text, str(path))
    return NamedQuery(path.stem, str(header["summary"]), text, params, order)


def read_queries(directory: Path) -> dict[str, NamedQuery]:
    """All named queries, by name."""
    return {p.stem: read_query(p) for p in sorted(directory.glob("*.rq"))}


def find_query(queries: dict[str, NamedQuery], name: str) -> NamedQuery:
    if name not in queries:
        near = difflib.get_close_matches(name, list(queries), n=3, cutoff=0.5)
        hint = f"did you mean: {', '.join(near)}" if near else f"known: {', '.join(queries)}"
        raise QueryError(f'unknown query "{name}" - {hint} (see `citynet queries`)')
    return queries[name]


def check_value(name: str, value: str) -> str:
    """A parameter value, refused when it cannot be meant: not UTF-8, control characters, huge.

    >>> check_value("city", "Kraków")
    'Kraków'
    >>> check_value("city", "a\\tb")
    Traceback (most recent call last):
    citynet.errors.QueryError: parameter "city": "a\\x09b" holds a control character - give plain text
    """
    if re.search("[\ud800-\udfff]", value):
        raise QueryError(
            f'parameter "{show(name)}": "{show(value)}" is not UTF-8 text - give the value in UTF-8'
        )
    if CONTROL.search(value):
        raise QueryError(
            f'parameter "{show(name)}": "{show(value)}" holds a control character - give plain text'
        )
    if len(value) > MAX_VALUE:
        raise QueryError(
            f'parameter "{show(name)}": the value is {len(value)} characters long - at most {MAX_VALUE}'
        )
    return value


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["network=OP-ACT"]`` -> ``{"network": "OP-ACT"}``; the value may hold ``=``.

    >>> parse_params(["network=OP-ACT", "year=2014", "text=a=b"])
    {'network': 'OP-ACT', 'year': '2014', 'text': 'a=b'}
    """
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f'parameter "{show(pair)}" is not of the form key=value')
        params[check_value(key.strip(), key.strip())] = check_value(key.strip(), value)
    return params


def read_query_text(argument: str) -> str:
    """The query ``citynet sparql`` was given: the text itself, or a ``.rq``/``.sparql`` file's.

    >>> read_query_text("ASK {}")
    'ASK {}'
    >>> read_query_text("missing.rq")
    Traceback (most recent call last):
    citynet.errors.QueryError: query file "missing.rq" not found - give a file or the query's text
    """
    if not argument.endswith(QUERY_SUFFIXES) or "{" in argument:
        if argument and not re.search(r"[\s{]", argument) and Path(argument).is_file():
            raise QueryError(
                f'"{show(argument, 200)}" is a file, but a query file\'s name ends in .rq or '
                ".sparql - rename it, or give the query's text"
            )
        return check_text(argument, "the query")
    path = Path(argument)
    if not path.exists():
        raise QueryError(f'query file "{show(argument, 200)}" not found - give a file or the query\'s text')
    if not path.is_file():
        raise QueryError(f'query file "{show(argument, 200)}" is not a regular file - give a file')
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_QUERY_BYTES + 1)
    except OSError as exc:
        raise QueryError(f'cannot read the query file "{show(argument, 200)}": {exc.strerror}') from None
    return decode_query(data, show(argument, 200))


def decode_query(data: bytes, where: str) -> str:
    """A query file's bytes as text: UTF-8, no NUL byte, at most MAX_QUERY_BYTES."""
    if len(data) > MAX_QUERY_BYTES:
        raise QueryError(f"{where}: the file is over {MAX_QUERY_BYTES} bytes - not a query")
    if b"\0" in data:
        raise QueryError(f"{where}: a binary file (it holds NUL bytes), not a SPARQL query")
    try:
        return data.decode("utf-8-sig")  # a byte order mark, as some editors write, is dropped
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise QueryError(
            f"{where}:{line}: byte 0x{data[exc.start]:02x} is not UTF-8 - save the query "
            "as UTF-8 (SPARQL is UTF-8 text)"
        ) from None


def check_text(text: str, what: str) -> str:
    """Text with no bytes that are not UTF-8 (a shell passes such bytes as surrogates)."""
    bad = re.search("[\ud800-\udfff]", text)
    if bad:
        raise QueryError(
            f"{what} holds bytes that are not UTF-8 (at character {bad.start() + 1}) - give UTF-8 text"
        )
    return text


def to_term(store: Any, param: Param, value: str, ids: Ids) -> ox.Term:
    """The RDF term a parameter value is bound to: a year, a literal, or an entity
    (:func:`citynet.query.lookup.find_entity`: an IRI, what citynet prints, a slug, a name)."""
    if param.kind == "year":
        if not YEAR.fullmatch(value):
            raise QueryError(f'parameter "{param.name}": "{show(value)}" is not a year (YYYY)')
        return ox.Literal(value, datatype=to_node(XSD.integer))
    if param.kind == "text":
        return ox.Literal(value)
    return find_entity(store, param.kind, value, ids)


def bind_params(
    store: Any, query: NamedQuery, given: dict[str, str], ids: Ids | None = None
) -> dict[ox.Variable, ox.Term]:
    """Check the given parameters against the query's and turn them into substitutions."""
    known = {p.name: p for p in query.params}
    for name in given:
        if name not in known:
            names = ", ".join(known) or "none"
            raise QueryError(f'query "{query.name}" has no parameter "{name}" - parameters: {names}')
    missing = [p.name for p in query.params if p.required and p.name not in given]
    if missing:
        raise QueryError(f'query "{query.name}" needs --param {missing[0]}=... ({known[missing[0]].doc})')
    return {
        ox.Variable(name): to_term(store, known[name], value, ids or Ids()) for name, value in given.items()
    }


def check_queries(reader: Any, queries: dict[str, NamedQuery]) -> list[tuple[str, int | None, str]]:
    """Run every named query with its example parameters: (name, rows or None, error or "")."""
    results = []
    for named in queries.values():
        examples = {p.name: p.example for p in named.params if p.example is not None}
        try:
            check_query(named.text)
            rows = answer_named(reader, named, bind_params(reader, named, examples))[1]
        except CitynetError as exc:
            results.append((named.name, None, str(exc)))
            continue
        results.append((named.name, len(rows), ""))
    return results


def answer_named(
    reader: Any, named: NamedQuery, substitutions: dict[ox.Variable, ox.Term] | None = None
) -> tuple[list[str], list[dict[str, Any]]]:
    """A named query's variables and rows, in the order its header declares.

    >>> named = NamedQuery("q", "", "SELECT ?n { VALUES ?n { 2 1 } }", order=(Column("n"),))
    >>> answer_named(ox.Store(), named)
    (['n'], [{'n': 1}, {'n': 2}])
    """
    variables, rows = to_rows(run_query(reader, named.text, substitutions))
    return variables, sort_rows(named.order, variables, rows, f'query "{named.name}"')


def to_python(term: ox.Term | None) -> Any:
    """A result term as a plain Python value: IRIs and strings as str, numbers as numbers.

    An ill-typed number (an endpoint may answer ``"abc"^^xsd:integer``) stays its text.

    >>> to_python(ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    12
    >>> to_python(ox.Literal("abc", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    'abc'
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        try:
            if kind in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long"):
                return int(term.value)
            if kind in ("decimal", "double", "float"):
                return float(term.value)
        except ValueError:  # ill-typed, or over Python's 4,300 digits for int()
            return term.value
        if kind == "boolean":
            return term.value in ("true", "1")  # both are xsd:boolean's lexical forms of true
    return term.value


def to_rows(solutions: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """Variables and rows (dicts of Python values) of a SELECT result.

    A solution is read by iterating it (its values in the variables' order), not cell by cell
    by name, and each distinct term is converted once: results repeat their IRIs and labels row
    after row (``provenance`` at 100k memberships: 110,203 rows of 9 cells converted in 0.97 s
    against 4.6 s looked up by name and converted cell by cell; a term seen before is found by the
    dict's own lookup in C, not a Python function: 0.25 s against 0.30 s for those rows read again).
    The cycle collector is paused meanwhile: the rows are a great many new dicts and no cycles,
    which its passes would walk (0.1 s of the 0.3 s ``provenance``'s rows took at 100k).

    >>> store = ox.Store()
    >>> to_rows(store.query('SELECT ?a ?b WHERE { VALUES (?a ?b) { (1 "x") (1 UNDEF) } }'))
    (['a', 'b'], [{'a': 1, 'b': 'x'}, {'a': 1, 'b': None}])
    """
    variables = [v.value for v in solutions.variables]
    convert = Converted().__getitem__  # a C call for a term seen before: most of a result's cells
    with paused_gc():
        return variables, [dict(zip(variables, map(convert, s), strict=True)) for s in solutions]


class Converted(dict):
    """Result terms and their Python values (:func:`to_python`), each converted when first looked up.

    >>> Converted()[ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#int"))]
    7
    """

    def __missing__(self, term: ox.Term | None) -> Any:
        value = self[term] = to_python(term)
        return value
