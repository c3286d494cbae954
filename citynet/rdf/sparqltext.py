"""Small, safe edits of SPARQL text for endpoints that lack Oxigraph's substitutions.

Parameters reach a remote endpoint as a ``VALUES`` block opening the query's ``WHERE`` group,
each value written by pyoxigraph as an N-Triples term (escaped), never as the user's text.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

TOKENS = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<comment>\#[^\n]*)
      | (?P<var>[?$][\w]+)
      | (?P<word>[A-Za-z_][\w.-]*(?::[\w.-]*)?)
      | (?P<open>\{)""",
    re.VERBOSE,
)
PREFIX_DECLARED = re.compile(r"^\s*PREFIX\s+([\w.-]*):", re.IGNORECASE | re.MULTILINE)


def find_where_brace(text: str) -> int:
    """The offset of the ``{`` that opens the query's WHERE group.

    >>> find_where_brace('SELECT ?x WHERE { ?x ?p "{" }')
    16
    >>> find_where_brace('PREFIX a: <http://a/#> SELECT * { ?s ?p ?o } # WHERE {')
    32
    """
    seen_construct = False
    for match in TOKENS.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "word" and value.upper() in ("WHERE", "CONSTRUCT", "DESCRIBE"):
            if value.upper() == "WHERE":
                return _next_brace(text, match.end())
            seen_construct = True
        elif kind == "open" and not seen_construct:
            return match.start()
    raise ValueError("no WHERE group found in the query")


def _next_brace(text: str, start: int) -> int:
    for match in TOKENS.finditer(text, start):
        if match.lastgroup == "open":
            return match.start()
    raise ValueError("no WHERE group found in the query")


def inject_values(text: str, substitutions: dict[ox.Variable, ox.Term] | None) -> str:
    """Bind variables by a one-row ``VALUES`` block opening the WHERE group.

    >>> inject_values("SELECT ?n WHERE { ?n a ?c }", {ox.Variable("c"): ox.NamedNode("http://x/C")})
    'SELECT ?n WHERE { VALUES (?c) { (<http://x/C>) }\\n ?n a ?c }'
    >>> inject_values('SELECT ?t { ?s ?p ?t }', {ox.Variable("t"): ox.Literal('a"} DROP ALL #')})
    'SELECT ?t { VALUES (?t) { ("a\\\\"} DROP ALL #") }\\n ?s ?p ?t }'
    """
    if not substitutions:
        return text
    brace = find_where_brace(text)
    names = " ".join(str(v) for v in substitutions)
    values = " ".join(str(t) for t in substitutions.values())
    return f"{text[: brace + 1]} VALUES ({names}) {{ ({values}) }}\n{text[brace + 1 :]}"


def add_prefixes(text: str, prefixes: dict[str, str] | None) -> str:
    """Declare the prefixes the text uses but does not declare itself.

    >>> add_prefixes("SELECT * { ?s a cn:City }", {"cn": "https://w3id.org/citynet/ontology#", "x": "y"})
    'PREFIX cn: <https://w3id.org/citynet/ontology#>\\nSELECT * { ?s a cn:City }'
    """
    declared = set(PREFIX_DECLARED.findall(text))
    used = {
        m.group().split(":", 1)[0]
        for m in TOKENS.finditer(text)
        if m.lastgroup == "word" and ":" in m.group()
    }
    lines = [
        f"PREFIX {name}: <{iri}>"
        for name, iri in (prefixes or {}).items()
        if name in used and name not in declared
    ]
    return "\n".join([*lines, text])
