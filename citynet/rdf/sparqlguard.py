"""Check a SPARQL query's text before any engine or endpoint sees it: read-only, local, bounded.

:func:`check_query` refuses, with one :class:`~citynet.errors.QueryError` line:

- a text longer than ``max_length`` characters, or of more than ``max_tokens`` tokens;
- brackets ``{ ( [`` nested deeper than ``max_depth``;
- SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, WITH), and a ``;``
  outside every bracket (where a query has none and an update request chains its operations);
- a ``SERVICE`` whose target is not an absolute ``http``/``https`` IRI of a host the operator
  allows (``--allow-service HOST``): a variable, a prefixed name, a relative IRI, ``file:``;
- a text that is not a query (SELECT, CONSTRUCT, DESCRIBE or ASK after the BASE/PREFIX prologue).

Why a scanner and not a parser. The checks must hold before parsing, because parsing is what
fails: Oxigraph's parser recurses on nesting and dies of a stack overflow (``fatal runtime
error: stack overflow``, no exception to catch) on about 3,000 nested ``{`` in 6 KB; its
evaluator crashes (SIGSEGV) on 10,000 chained ``+`` or ``!``, 3,000 ``OPTIONAL`` or ``BIND`` in a
row, 10,000 ``UNION`` (measured with pyoxigraph 0.5.13), hence the bounds on depth and tokens,
set well below those. rdflib's pyparsing grammar recurses too and is slow. And pyoxigraph 0.5
has no switch to turn ``SERVICE`` off: ``Store.query`` takes a base IRI, prefixes, the dataset,
substitutions and custom functions, nothing on federation (``pyoxigraph/__init__.pyi``), and
evaluates ``SERVICE <url>`` by an HTTP request from the machine that runs it. It follows no
redirect (a 302 is an error), so allowing a host lets a query reach that host only; a host name
is trusted to resolve where the operator expects.

The scanner is a loop over tokens, no recursion, linear in the text. It skips what may hide a
keyword: strings (``'…'``, ``"…"``, ``'''…'''``, ``\"\"\"…\"\"\"``), IRIs ``<…>`` and comments
(``#`` to the end of the line), and tells keywords from variables (``?service``) and prefixed
names (``ex:service``). It reads the text the way Oxigraph does where they could differ, and
refuses where it cannot tell:

- Oxigraph matches keywords without a word boundary: ``SERVICEex:x`` is ``SERVICE ex:x`` and
  ``1SERVICE<…>`` is ``1`` then a SERVICE. So a word holding ``service`` anywhere outside the
  local part of a prefixed name counts as the keyword.
- Inside parentheses, after an operand, ``<`` may be a comparison: ``FILTER(?a<?b)SERVICE …#>``
  reads as an IRI to a lexer and as ``<`` then code to Oxigraph. Such an ambiguous ``<…>`` is
  refused if the code inside could matter (a bracket, ``#``, a quote, a backslash or "service").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from citynet.errors import QueryError

MAX_LENGTH = 100_000
MAX_DEPTH = 64
MAX_TOKENS = 4_000
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
READ_ONLY = "SPARQL Update is refused: this is a read-only query command/endpoint"

ESCAPE = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<comment>\#[^\n\r]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|"""
    + ESCAPE
    + r""")*>)
      | (?P<var>[?$](?:\w|"""
    + ESCAPE
    + r""")*)
      | (?P<word>(?:[\w.:%@-]|\\[_~.\-!$&'()*+,;=/?\#@%]|"""
    + ESCAPE
    + r""")+)
      | (?P<punct>.)""",
    re.VERBOSE | re.DOTALL,
)
OPERAND_ENDS = {"var", "word", "string", "iri", "close"}
AMBIGUOUS_INSIDE = re.compile(r"[()\[\]#'\\]|service", re.IGNORECASE)
CLOSE = {"}": "{", ")": "(", "]": "["}


class UpdateError(QueryError):
    """The text is (or chains) a SPARQL Update: a read-only command or endpoint refuses it."""


@dataclass
class Token:
    """One token of the query: its kind, text and offset."""

    kind: str
    text: str
    start: int


def check_query(
    text: str,
    allow_service: Collection[str] = (),
    max_length: int = MAX_LENGTH,
    max_depth: int = MAX_DEPTH,
    max_tokens: int = MAX_TOKENS,
) -> None:
    """Refuse a query that is too big or deep, writes, calls an unlisted service, or is no query.

    >>> check_query("PREFIX cn: <https://citynet.eu/ontology#> SELECT ?c { ?c a cn:City } LIMIT 3")
    >>> check_query('SELECT * { ?s ?p "SERVICE <http://x/> {" } # SERVICE <file:///etc/passwd>')
    >>> check_query("SELECT ?service { ?service ex:service ?o }")
    >>> check_query("x" * 11, max_length=10)
    Traceback (most recent call last):
    citynet.errors.QueryError: the query is 11 characters long, more than the limit of 10 - shorten it
    >>> check_query("SELECT * " + "{" * 3000 + "}" * 3000)
    Traceback (most recent call last):
    citynet.errors.QueryError: the query nests { ( [ deeper than 64 levels (line 1) - flatten it
    >>> check_query("DROP ALL")
    Traceback (most recent call last):
    citynet.rdf.sparqlguard.UpdateError: "DROP" - SPARQL Update is refused: this is a read-only query \
command/endpoint
    >>> check_query("SELECT * { SERVICE <file:///etc/passwd> { ?s ?p ?o } }")
    Traceback (most recent call last):
    citynet.errors.QueryError: SERVICE <file:///etc/passwd> is refused (line 1) - a federated query may call \
only an http(s) IRI of a host the operator allows with --allow-service HOST
    >>> check_query("SELECT * { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    citynet.errors.QueryError: SERVICE <http://10.0.0.1/sparql> is refused (line 1): host "10.0.0.1" is not \
allowed - give --allow-service 10.0.0.1 to allow it
    >>> check_query("SELECT * { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }", allow_service=["10.0.0.1"])
    >>> check_query("hello")
    Traceback (most recent call last):
    citynet.errors.QueryError: "hello" is not a SPARQL query - expected SELECT, CONSTRUCT, DESCRIBE or ASK
    """
    read_form(text, allow_service, max_length, max_depth, max_tokens)


def read_form(
    text: str,
    allow_service: Collection[str] = (),
    max_length: int = MAX_LENGTH,
    max_depth: int = MAX_DEPTH,
    max_tokens: int = MAX_TOKENS,
) -> str:
    """Check the query as :func:`check_query` does; return its form (SELECT, CONSTRUCT, …).

    >>> read_form("prefix x: <http://x/> ask { ?s x:p ?o }")
    'ASK'
    """
    if len(text) > max_length:
        raise QueryError(
            f"the query is {len(text):,} characters long, more than the limit of {max_length:,} - shorten it"
        )
    tokens = list(scan(text, max_depth, max_tokens))
    form = find_form(text, tokens)
    check_services(text, tokens, {host.lower().strip("[]") for host in allow_service})
    return form


def scan(text: str, max_depth: int = MAX_DEPTH, max_tokens: int = MAX_TOKENS) -> Iterator[Token]:
    """The query's tokens without spaces and comments, each ``;`` and bracket checked on the way.

    >>> [t.text for t in scan("SELECT ?s { ?s <p> 'a}' } # }")]
    ['SELECT', '?s', '{', '?s', '<p>', "'a}'", '}']
    >>> [t.kind for t in scan("FILTER(?a<3&&?b>2)")]
    ['word', 'punct', 'var', 'iri', 'word', 'close']
    """
    stack: list[str] = []
    previous, count, position = "", 0, 0
    while position < len(text):
        match = TOKEN.match(text, position)
        assert match is not None  # the last alternative matches any character
        kind, value, start = match.lastgroup or "punct", match.group(), position
        position = match.end()
        if kind in ("space", "comment"):
            continue
        if kind == "punct" and value in "'\"":
            raise QueryError(f"unterminated string (line {line_of(text, start)}) - close the quote")
        if kind == "iri" and stack[-1:] == ["("] and previous in OPERAND_ENDS:
            check_unambiguous(text, value, start)
        count += 1
        if count > max_tokens:
            raise QueryError(
                f"the query has more than {max_tokens:,} tokens (line {line_of(text, start)}) - shorten it"
            )
        if kind == "punct" and value in "{([":
            stack.append(value)
            if len(stack) > max_depth:
                raise QueryError(
                    f"the query nests {{ ( [ deeper than {max_depth} levels "
                    f"(line {line_of(text, start)}) - flatten it"
                )
        elif kind == "punct" and value in CLOSE:
            kind = "close"
            if stack:
                stack.pop()
        elif value == ";" and not stack:
            where = line_of(text, start)
            raise UpdateError(f'";" outside the query\'s braces (line {where}) - {READ_ONLY}')
        previous = kind
        yield Token(kind, value, start)


def check_unambiguous(text: str, iri: str, start: int) -> None:
    """Refuse a ``<…>`` after an operand in parentheses whose inside could be code to Oxigraph.

    >>> check_unambiguous("", "<3&&?b>", 0)
    >>> check_unambiguous("", "<?b)SERVICE?x#>", 0)
    Traceback (most recent call last):
    citynet.errors.QueryError: "<?b)SERVICE?x#>" (line 1) reads both as an IRI and as a comparison - put \
spaces around "<" and ">"
    """
    if AMBIGUOUS_INSIDE.search(iri[1:-1]):
        raise QueryError(
            f'"{iri}" (line {line_of(text, start)}) reads both as an IRI and as a comparison '
            '- put spaces around "<" and ">"'
        )


def find_form(text: str, tokens: list[Token]) -> str:
    """The query form after the prologue; an update form or anything else is refused.

    >>> find_form("", list(scan("BASE <http://x/> PREFIX : <http://y/> CONSTRUCT WHERE { ?s ?p ?o }")))
    'CONSTRUCT'
    >>> find_form("with <g> delete { ?s ?p ?o } where { ?s ?p ?o }", [Token("word", "with", 0)])
    Traceback (most recent call last):
    citynet.rdf.sparqlguard.UpdateError: "with" - SPARQL Update is refused: this is a read-only query \
command/endpoint
    """
    index = 0
    while index < len(tokens) and tokens[index].text.upper() in ("BASE", "PREFIX"):
        index += 2 if tokens[index].text.upper() == "BASE" else 3
    if index >= len(tokens):
        raise QueryError("the text holds no query - expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    word = tokens[index].text
    if any(word.upper().startswith(form) for form in UPDATE_FORMS):
        raise UpdateError(f'"{word}" - {READ_ONLY}')
    for form in QUERY_FORMS:
        if word.upper().startswith(form):
            return form
    raise QueryError(f'"{word[:40]}" is not a SPARQL query - expected SELECT, CONSTRUCT, DESCRIBE or ASK')


def check_services(text: str, tokens: list[Token], allowed: set[str]) -> None:
    """Refuse every SERVICE but one whose target is an http(s) IRI of an allowed host.

    >>> check_services("", list(scan("SELECT * { SERVICE SILENT <https://q.example/s> {} }")), {"q.example"})
    >>> check_services("", list(scan("PREFIX service: <http://x/> SELECT * { ?s ?p service:a }")), set())
    Traceback (most recent call last):
    citynet.errors.QueryError: "service:" (line 1) reads as the SERVICE keyword to the query engine - \
rename it
    """
    for index, token in enumerate(tokens):
        if token.kind != "word" or not names_service(token.text):
            continue
        if token.text.upper() != "SERVICE":
            raise QueryError(
                f'"{token.text[:40]}" (line {line_of(text, token.start)}) reads as the SERVICE '
                "keyword to the query engine - rename it"
            )
        following = tokens[index + 1 : index + 3]
        if following and following[0].text.upper() == "SILENT":
            following = following[1:]
        check_target(text, following[0] if following else token, allowed)


def names_service(word: str) -> bool:
    """Whether Oxigraph may read a SERVICE keyword in this word (it matches keywords without a
    word boundary); the local part of a prefixed name is one token to it.

    >>> names_service("ex:service"), names_service("SERVICEex:x"), names_service("1service")
    (False, True, True)
    >>> names_service("ex:.service")
    True
    """
    prefix, colon, local = word.partition(":")
    checked = prefix if colon and local[:1] not in (".", "-", "") else word
    return "SERVICE" in checked.upper()


def check_target(text: str, token: Token, allowed: set[str]) -> None:
    """Refuse a SERVICE target that is not ``<http(s)://HOST/…>`` with HOST allowed."""
    where = f"line {line_of(text, token.start)}"
    shown = token.text[:80]
    if token.kind != "iri" or "\\" in token.text or "@" in token.text:
        raise QueryError(
            f"SERVICE {shown} is refused ({where}) - a federated query may call only an http(s) "
            "IRI of a host the operator allows with --allow-service HOST"
        )
    try:
        parts = urlsplit(token.text[1:-1])
        host = (parts.hostname or "").lower() if parts.scheme.lower() in ("http", "https") else ""
    except ValueError:  # a malformed IPv6 address
        host = ""
    if not host:
        raise QueryError(
            f"SERVICE {shown} is refused ({where}) - a federated query may call only an http(s) "
            "IRI of a host the operator allows with --allow-service HOST"
        )
    if host not in allowed:
        raise QueryError(
            f'SERVICE {shown} is refused ({where}): host "{host}" is not allowed - give '
            f"--allow-service {host} to allow it"
        )


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of an offset.

    >>> line_of("a\\nb", 2)
    2
    """
    return text.count("\n", 0, offset) + 1
