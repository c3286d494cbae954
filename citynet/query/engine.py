"""Running SPARQL text on a reader (the embedded store or an endpoint) with bound values, and quoting
a user's value in a message.

The lowest module of the query stage: :mod:`citynet.query.lookup` (finding entities by name) and
:mod:`citynet.query.queries` (the named queries) both run their SPARQL through :func:`run_query`.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from citynet.errors import QueryError
from citynet.rdf.namespaces import PREFIXES
from citynet.rdf.sparqltext import inject_values

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # tab and newline too: an error is one line


def show(value: str, limit: int = 60) -> str:
    """A user's value as an error message may quote it: control characters and bytes that are not
    UTF-8 escaped (no terminal escape sequence reaches the terminal), long values cut.

    >>> show("Bytom"), show("a\\x1b[31m"), show("\\udcff"), show("x" * 100, 5)
    ('Bytom', 'a\\\\x1b[31m', '\\\\xff', 'xxxx… (100 characters)')
    """
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    text = (
        text.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
        if re.search("[\udc80-\udcff]", text)
        else text
    )
    text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(value)} characters)"


def run_query(store: Any, text: str, substitutions: dict[ox.Variable, ox.Term] | None = None):
    """Run SPARQL text on the store; a syntax error becomes a QueryError.

    >>> [row["n"].value for row in run_query(ox.Store(), "SELECT ?n {}", {ox.Variable("n"): ox.Literal("a")})]
    ['a']
    """
    if substitutions:  # a VALUES block opening the WHERE group: Oxigraph plans with the bound value
        try:
            text = inject_values(text, substitutions)
        except ValueError as exc:
            raise QueryError(f"cannot bind parameters: {exc}") from None
    try:
        return store.query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {str(exc).splitlines()[0]}") from None
    except OSError as exc:
        raise QueryError(f"the store could not answer: {exc}") from None
    except ValueError as exc:  # text that is not UTF-8 (surrogates)
        raise QueryError(f"the query cannot be run: {str(exc).splitlines()[0]}") from None
