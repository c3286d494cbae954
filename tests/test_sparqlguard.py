"""The query guard: what it lets through and what it refuses, with the line it gives.

Cases are written by hand from SPARQL's grammar and from how Oxigraph reads a text (keywords
without a word boundary, ``<`` as a comparison inside parentheses). A property test feeds it
arbitrary text: it returns or raises QueryError, never anything else, and quickly.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from citynet.errors import QueryError
from citynet.query.queries import read_queries
from citynet.rdf.sparqlguard import UpdateError, check_query, read_form

from .conftest import ROOT
from .servers import Listener

ALLOWED = [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("select*{?s ?p ?o}", "SELECT"),
    ("PREFIX ex: <http://x/> BASE <http://y/> CONSTRUCT WHERE { ?s ex:p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://x/a>", "DESCRIBE"),
    ("ASK {}", "ASK"),
    ("# SERVICE <http://evil/> {\nSELECT ?service WHERE { ?service ?p ?o }", "SELECT"),
    ('SELECT * WHERE { ?s ?p "SERVICE <http://evil/> { DROP ALL" }', "SELECT"),
    ("SELECT * WHERE { ?s ?p '''\n{{{{ SERVICE ?x\n''' }", "SELECT"),
    ("SELECT * WHERE { ?s <http://x/service> ex:service }", "SELECT"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o<3&&?o>1) }", "SELECT"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }", "SELECT"),
    ("SELECT * WHERE { ?s ?p (<http://a/> <http://b/>) }", "SELECT"),
    ("SELECT (GROUP_CONCAT(?o; SEPARATOR=',') AS ?all) WHERE { ?s ?p ?o }", "SELECT"),
    ("SELECT * WHERE { ?s ?p ?o . ?o ?q ?r ; ?t ?u }", "SELECT"),
    ("SELECT * WHERE " + "{" * 64 + "}" * 64, "SELECT"),
]

REFUSED = [
    ("", "the text holds no query - expected SELECT, CONSTRUCT, DESCRIBE or ASK"),
    ("PREFIX ex: <http://x/>", "the text holds no query - expected SELECT, CONSTRUCT, DESCRIBE or ASK"),
    ("hello", '"hello" is not a SPARQL query - expected SELECT, CONSTRUCT, DESCRIBE or ASK'),
    (
        "DEFINE sql:log-enable 3 SELECT * {}",
        '"DEFINE" is not a SPARQL query - expected SELECT, CONSTRUCT, DESCRIBE or ASK',
    ),
    (
        "SELECT * WHERE " + "{" * 65 + "}" * 65,
        "the query nests { ( [ deeper than 64 levels (line 1) - flatten it",
    ),
    ("SELECT * WHERE {\n" + "(" * 100, "the query nests { ( [ deeper than 64 levels (line 2) - flatten it"),
    (
        "SELECT (" + "!" * 5000 + "true AS ?x) {}",
        "the query has more than 4,000 tokens (line 1) - shorten it",
    ),
    ("SELECT * WHERE { ?s ?p 'open }", "unterminated string (line 1) - close the quote"),
    (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:8080/sparql> { ?s ?p ?o } }",
        'SERVICE <http://127.0.0.1:8080/sparql> is refused (line 1): host "127.0.0.1" is not allowed - give '
        "--allow-service 127.0.0.1 to allow it",
    ),
    (
        "SELECT * WHERE {\n SERVICE SILENT <https://[::1]/> {} }",
        'SERVICE <https://[::1]/> is refused (line 2): host "::1" is not allowed - give --allow-service ::1 '
        "to allow it",
    ),
    (
        "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }",
        "SERVICE ?x is refused (line 1) - a federated query may call only an http(s) IRI of a host "
        "the operator allows with --allow-service HOST",
    ),
    (
        "SELECT * WHERE { SERVICE ex:x { ?s ?p ?o } }",
        "SERVICE ex:x is refused (line 1) - a federated query may call only an http(s) IRI of a host the "
        "operator allows with --allow-service HOST",
    ),
    (
        "SELECT * WHERE { SERVICE <sparql> {} }",
        "SERVICE <sparql> is refused (line 1) - a federated query may call only an http(s) IRI of a host the "
        "operator allows with --allow-service HOST",
    ),
    (
        "SELECT * WHERE { SERVICE <ftp://x/> {} }",
        "SERVICE <ftp://x/> is refused (line 1) - a federated query may call only an http(s) IRI of a "
        "host the operator allows with --allow-service HOST",
    ),
    (
        "SELECT * WHERE { SERVICE <http://user@10.0.0.1/> {} }",
        "SERVICE <http://user@10.0.0.1/> is refused (line 1) - a federated query may call only an "
        "http(s) IRI of a host the operator allows with --allow-service HOST",
    ),
    (
        "SELECT * WHERE { SERVICEex:x { } }",
        '"SERVICEex:x" (line 1) reads as the SERVICE keyword to the query engine - rename it',
    ),
    (
        "SELECT * WHERE { ?s ?p 1SERVICE<http://x/>{} }",
        '"1SERVICE" (line 1) reads as the SERVICE keyword to the query engine - rename it',
    ),
    (
        "SELECT * WHERE { ?s ?p ex:.service }",
        '"ex:.service" (line 1) reads as the SERVICE keyword to the query engine - rename it',
    ),
    (
        "SELECT * WHERE { FILTER(1<?b)SERVICE?x#>\n{} }",
        '"<?b)SERVICE?x#>" (line 1) reads both as an IRI and as a comparison - put spaces around "<" and ">"',
    ),
    (
        "SELECT * WHERE { FILTER(?a<((((1))))>0) }",
        '"<((((1))))>" (line 1) reads both as an IRI and as a comparison - put spaces around "<" and ">"',
    ),
]

UPDATES = [
    ("DROP ALL", '"DROP" - SPARQL Update is refused: this is a read-only query command/endpoint'),
    (
        "insert data { <a> <b> <c> }",
        '"insert" - SPARQL Update is refused: this is a read-only query command/endpoint',
    ),
    (
        "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
        '"DELETE" - SPARQL Update is refused: this is a read-only query command/endpoint',
    ),
    ("LOAD <http://x/>", '"LOAD" - SPARQL Update is refused: this is a read-only query command/endpoint'),
    ("CLEAR DEFAULT", '"CLEAR" - SPARQL Update is refused: this is a read-only query command/endpoint'),
    ("CREATE GRAPH <g>", '"CREATE" - SPARQL Update is refused: this is a read-only query command/endpoint'),
    ("ADD <a> TO <b>", '"ADD" - SPARQL Update is refused: this is a read-only query command/endpoint'),
    ("MOVE <a> TO <b>", '"MOVE" - SPARQL Update is refused: this is a read-only query command/endpoint'),
    ("COPY <a> TO <b>", '"COPY" - SPARQL Update is refused: this is a read-only query command/endpoint'),
    (
        "WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        '"WITH" - SPARQL Update is refused: this is a read-only query command/endpoint',
    ),
    (
        "SELECT * {} ;\nDROP ALL",
        '";" outside the query\'s braces (line 1) - SPARQL Update is refused: this '
        "is a read-only query command/endpoint",
    ),
]


@pytest.mark.parametrize(("text", "form"), ALLOWED)
def test_allowed(text: str, form: str) -> None:
    assert read_form(text) == form


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_refused(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        check_query(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(("text", "message"), UPDATES)
def test_updates_refused(text: str, message: str) -> None:
    with pytest.raises(UpdateError) as caught:
        check_query(text)
    assert str(caught.value) == message


def test_an_allowed_host_may_be_called() -> None:
    query = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    check_query(query, allow_service=["query.wikidata.org"])
    with pytest.raises(QueryError, match=re.escape('host "query.wikidata.org" is not allowed')):
        check_query(query, allow_service=["wikidata.org"])


def test_length_limit() -> None:
    check_query("ASK {}" + " " * 94, max_length=100)
    with pytest.raises(QueryError, match=r"^the query is 101 characters long, more than the limit of 100 "):
        check_query("ASK {}" + " " * 95, max_length=100)


def test_every_named_query_passes() -> None:
    queries = read_queries(ROOT / "queries")
    assert queries
    for query in queries.values():
        check_query(query.text)


@given(st.text(alphabet=st.sampled_from(list("{}()[]<>'\"#?$:;. \nSERVICEselectASKdropx1\\")), max_size=400))
def test_any_text_is_checked_or_refused_quickly(text: str) -> None:
    started = time.monotonic()
    with contextlib.suppress(QueryError):
        check_query("SELECT * WHERE { " + text)
    assert time.monotonic() - started < 1


LISTENER = Listener()
URL = f"http://127.0.0.1:{LISTENER.port}/sparql"


def run_if_accepted(text: str) -> None:
    """Evaluate the text on an empty store if the guard accepts it."""
    try:
        check_query(text)
    except QueryError:
        return
    with contextlib.suppress(SyntaxError, OSError, RuntimeError, ValueError):
        result = ox.Store().query(text)
        if not isinstance(result, ox.QueryBoolean):
            list(result)


def test_the_listener_hears_a_service_call() -> None:
    """The control for the two tests below: without the guard, Oxigraph calls the listener."""
    before = LISTENER.count
    list(ox.Store().query(f"SELECT * WHERE {{ SERVICE SILENT <{URL}> {{ }} }}"))
    assert LISTENER.count == before + 1


@given(
    st.sampled_from(
        [
            "",
            "?s ?p ?o .",
            "?s ?p 1",
            "?s ?p true",
            "FILTER(1<?b)",
            f"BIND(<{URL}> AS ?u)",
            "} UNION {",
            "OPTIONAL {} ",
            "?s ?p ex:a\\#b .",
            "?s ?p ex:.",
        ]
    ),
    st.sampled_from(["SERVICE", "service", "SeRvIcE", "SERVIC\\u0045"]),
    st.sampled_from([" ", "", "\n", "\t", "#c\n", " SILENT ", "SILENT"]),
    st.sampled_from(
        [
            f"<{URL}>",
            "ex:x",
            "?u",
            "$u",
            f"<http://127.0.0.1:{LISTENER.port}\\u002Fsparql>",
            "<sparql>",
            f"<//127.0.0.1:{LISTENER.port}/>",
        ]
    ),
    st.sampled_from([" ", "", "\n", "#>\n"]),
)
def test_no_accepted_query_calls_a_service(
    before: str, keyword: str, gap: str, target: str, after: str
) -> None:
    count = LISTENER.count
    run_if_accepted(
        f"PREFIX ex: <{URL}#> BASE <http://127.0.0.1:{LISTENER.port}/> "
        f"SELECT * WHERE {{ {before}{keyword}{gap}{target}{after}{{ }} }}"
    )
    assert LISTENER.count == count


@given(
    st.lists(
        st.sampled_from(
            [
                "SERVICE",
                f"<{URL}>",
                "ex:x",
                "?u",
                "{",
                "}",
                "(",
                ")",
                "<",
                ">",
                "#",
                "\n",
                " ",
                "1",
                "FILTER",
                "BIND",
                "AS",
                "'",
                '"',
                ".",
                "SILENT",
                "\\",
                "?b",
                "&&",
            ]
        ),
        max_size=30,
    )
)
def test_no_accepted_text_calls_a_service(fragments: list[str]) -> None:
    count = LISTENER.count
    run_if_accepted(f"PREFIX ex: <{URL}#> SELECT * WHERE {{ {''.join(fragments)} }}")
    assert LISTENER.count == count


def test_a_service_call_follows_no_redirect() -> None:
    """Why allowing a host is enough: Oxigraph does not follow a redirect from it elsewhere."""
    elsewhere = Listener()
    redirect = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        connection, _ = redirect.accept()
        connection.recv(65536)
        connection.sendall(
            f"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{elsewhere.port}/\r\n"
            "Content-Length: 0\r\n\r\n".encode()
        )
        connection.close()

    threading.Thread(target=answer, daemon=True).start()
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{redirect.getsockname()[1]}/> {{ ?s ?p ?o }} }}"
    with pytest.raises(OSError, match="too many redirects"):
        list(ox.Store().query(query))
    redirect.close()
    elsewhere.sock.close()
    assert elsewhere.count == 0
