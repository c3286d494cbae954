"""Endpoint faults give one clear line; only retryable ones are retried; credentials stay secret.

Faults a real server produces on demand (connection refused, timeout, 400, 404, digest auth) are
tested against real servers. A scripted stub stands in only for what a healthy server won't do on
request: 5xx, 429 with Retry-After, an HTML page or a broken document instead of results.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from citynet.errors import EndpointError
from citynet.store.embedded import EmbeddedStore
from citynet.store.push import list_graphs, push_store
from citynet.store.remote import Credentials, RemoteStore
from citynet.store.transport import Retry, read_timeout

from .conftest import invoke, run_cli
from .servers import StubHandler, free_port, oxigraph_server, server_url, stub_server, virtuoso_server

RESULTS_JSON = {"Content-Type": "application/sparql-results+json"}
ASK_TRUE = (200, RESULTS_JSON, json.dumps({"head": {}, "boolean": True}))
QUICK = Retry(attempts=3, base_delay=0.01, max_delay=5)


@dataclass
class Stub:
    """A scripted HTTP server: answers with the next reply and records each request."""

    replies: list[tuple[int, dict[str, str], str]] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def stub() -> Iterator[Stub]:
    state = Stub()

    class Handler(StubHandler):
        def answer(self) -> None:
            state.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": self.read_body().decode(),
                }
            )
            status, headers, body = state.replies.pop(0) if state.replies else ASK_TRUE
            self.send(status, headers, body)

    with stub_server(Handler) as server:
        state.url = f"{server_url(server)}/sparql"
        yield state


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty Oxigraph server whose own limit stops runaway queries after 5 s."""
    with oxigraph_server(tmp_path_factory.mktemp("faults"), "--timeout-s", "5") as base:
        yield base


def remote(url: str, **kwargs: object) -> RemoteStore:
    return RemoteStore(
        url, retry=kwargs.pop("retry", QUICK), credentials=kwargs.pop("credentials", Credentials()), **kwargs
    )  # type: ignore[arg-type]


def test_unreachable_endpoint() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError) as caught:
        remote(url).query("ASK {}")
    assert str(caught.value) == (
        f'cannot reach the endpoint "{url}" (connection refused) - check the URL '
        "and that the server is running"
    )


def test_timeout(oxigraph: str) -> None:
    store = remote(f"{oxigraph}/query", timeout=1)
    store.update("INSERT DATA { " + " ".join(f"<urn:s{i}> <urn:p> {i} ." for i in range(300)) + " }")
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 300^4 rows
    expected = (
        r"did not answer in time - raise CITYNET_TIMEOUT \(seconds, default 60\) "
        r"or ask a smaller question$"
    )
    with pytest.raises(EndpointError, match=r'^the endpoint "http://127\.0\.0\.1:\d+/query" ' + expected):
        store.query(slow)


def test_bad_query_is_the_servers_400(oxigraph: str) -> None:
    with pytest.raises(
        EndpointError,
        match=r'^the endpoint "[^"]+" rejected the request with HTTP 400 Bad '
        r"Request: .+ - check the query$",
    ):
        remote(f"{oxigraph}/query").query("SELECT ?x WHERE {")


def test_wrong_path_is_404(oxigraph: str) -> None:
    with pytest.raises(
        EndpointError,
        match=r"answered HTTP 404 Not Found - check that the URL is the SPARQL "
        r"endpoint's$",
    ):
        remote(f"{oxigraph}/nothing-here").query("ASK {}")


def test_long_queries_go_by_post(oxigraph: str, stub: Stub) -> None:
    long_query = "ASK { VALUES ?x { " + " ".join(f"<urn:x:{i}>" for i in range(600)) + " } ?x ?p ?o }"
    assert len(long_query) > 5000
    assert bool(remote(f"{oxigraph}/query").query(long_query)) is False  # the real server answers it
    remote(stub.url).query(long_query)
    remote(stub.url).query("ASK {}")
    assert [r["method"] for r in stub.requests] == ["POST", "GET"]


def test_a_descriptive_user_agent_is_sent(stub: Stub) -> None:
    remote(stub.url).query("ASK {}")
    assert stub.requests[0]["headers"]["User-Agent"].startswith("citynet/0.1.0 (https://w3id.org/citynet")


def test_server_error_is_not_retried(stub: Stub) -> None:
    stub.replies = [(500, {"Content-Type": "text/plain"}, "Internal error: disk full")]
    with pytest.raises(EndpointError) as caught:
        remote(stub.url).query("ASK {}")
    assert str(caught.value) == (
        f'the endpoint "{stub.url}" failed with HTTP 500 Internal Server Error: '
        "Internal error: disk full - see the server's log"
    )
    assert len(stub.requests) == 1


def test_unavailable_is_retried_then_answers(stub: Stub) -> None:
    stub.replies = [(503, {}, "busy"), (502, {}, "bad gateway"), ASK_TRUE]
    assert bool(remote(stub.url).query("ASK {}")) is True
    assert len(stub.requests) == 3


def test_unavailable_gives_up_after_bounded_attempts(stub: Stub) -> None:
    stub.replies = [(503, {"Content-Type": "text/html"}, "<title>Service Unavailable</title>")] * 5
    with pytest.raises(EndpointError) as caught:
        remote(stub.url).query("ASK {}")
    assert str(caught.value) == (
        f'the endpoint "{stub.url}" failed with HTTP 503 Service Unavailable: '
        "Service Unavailable - the server is down or overloaded; try again later "
        "(gave up after 3 attempts)"
    )
    assert len(stub.requests) == 3


def test_rate_limit_waits_as_told(stub: Stub) -> None:
    stub.replies = [(429, {"Retry-After": "1"}, "slow down"), ASK_TRUE]
    started = time.monotonic()
    assert bool(remote(stub.url).query("ASK {}")) is True
    assert time.monotonic() - started >= 1.0  # Retry-After honoured, not the 0.01 s backoff
    assert len(stub.requests) == 2


def test_rate_limit_that_persists(stub: Stub) -> None:
    stub.replies = [(429, {"Retry-After": "0"}, "slow down")] * 3
    expected = r"\(HTTP 429, retry after 0 s\) - wait and try again later \(gave up after 3 attempts\)$"
    with pytest.raises(EndpointError, match=r'^the endpoint "[^"]+" is rate-limiting us ' + expected):
        remote(stub.url).query("ASK {}")


def test_html_page_instead_of_results(stub: Stub) -> None:
    stub.replies = [(200, {"Content-Type": "text/html"}, "<html><title>Please log in</title><form/></html>")]
    with pytest.raises(EndpointError) as caught:
        remote(stub.url).query("ASK {}")
    assert str(caught.value) == (
        f'the endpoint "{stub.url}" sent an HTML page ("Please log in") instead of '
        "SPARQL results - check that the URL is the SPARQL endpoint's"
    )


def test_malformed_results_document(stub: Stub) -> None:
    stub.replies = [(200, RESULTS_JSON, '{"head": {"vars": ["a"]}, "res')]
    expected = r"\(.+\) - the server or a proxy is broken; try another endpoint$"
    with pytest.raises(
        EndpointError, match=r'^the endpoint "[^"]+" sent a malformed SPARQL results document ' + expected
    ):
        remote(stub.url).query("SELECT ?a WHERE { ?a ?b ?c }")


@pytest.mark.parametrize(
    ("env", "header"),
    [
        ({"CITYNET_ENDPOINT_TOKEN": "t0ken-s3cret"}, "Bearer t0ken-s3cret"),
        (
            {"CITYNET_ENDPOINT_USER": "ana", "CITYNET_ENDPOINT_PASSWORD": "pa55-s3cret"},
            "Basic YW5hOnBhNTUtczNjcmV0",
        ),  # base64 of "ana:pa55-s3cret"
    ],
)
def test_credentials_from_the_environment_are_sent_and_never_shown(
    stub: Stub, env: dict[str, str], header: str
) -> None:
    secret = next(v for k, v in env.items() if k.endswith(("TOKEN", "PASSWORD")))
    stub.replies = [ASK_TRUE, (401, {"Content-Type": "text/plain"}, f"bad credentials {secret}")]
    store = remote(stub.url, credentials=Credentials.from_env(env))
    store.query("ASK {}")
    assert stub.requests[0]["headers"]["Authorization"] == header
    with pytest.raises(EndpointError) as caught:
        store.query("ASK {}")
    assert secret not in str(caught.value) and secret not in repr(store)
    assert "refused access (HTTP 401)" in str(caught.value)


def test_credentials_stay_out_of_help_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYNET_ENDPOINT_TOKEN", "t0ken-s3cret")
    for command in ("query", "sparql", "push"):
        assert "t0ken-s3cret" not in invoke(command, "--help").stdout
    result = invoke("sparql", "ASK {}", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert result.returncode == 1 and "t0ken-s3cret" not in result.stderr


@pytest.mark.parametrize("path", ["nothing-here", "query"])
def test_cli_faults_are_one_line(oxigraph: str, path: str) -> None:
    query = "SELECT ?x WHERE {" if path == "query" else "ASK {}"
    result = invoke("sparql", query, "--endpoint", f"{oxigraph}/{path}")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: the endpoint ")


def test_digest_credentials_on_virtuoso(tmp_path: Path, seed: EmbeddedStore) -> None:
    with virtuoso_server(tmp_path) as base:
        right = Credentials.from_env(
            {
                "CITYNET_ENDPOINT_USER": "dba",
                "CITYNET_ENDPOINT_PASSWORD": "dba",
                "CITYNET_ENDPOINT_AUTH": "digest",
            }
        )
        assert bool(remote(f"{base}/sparql-auth", credentials=right).query("ASK { <urn:x> ?p ?o }")) is False
        assert bool(remote(f"{base}/sparql-auth", credentials=right).query("ASK {}")) is True
        wrong = Credentials("dba", "not-the-password", "digest")
        with pytest.raises(EndpointError, match=r"refused access \(HTTP 401\)") as caught:
            remote(f"{base}/sparql-auth", credentials=wrong).query("ASK {}")
        assert "not-the-password" not in str(caught.value)
        # Virtuoso's authenticated endpoints take the push too (Graph Store and Update by digest).
        store = RemoteStore(
            f"{base}/sparql-auth", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth", credentials=right
        )
        report = push_store(seed, store)
        assert report.triples == sum(size for _, size in list_graphs(seed))


# --- a total deadline per request ------------------------------------------------------------------


@dataclass
class Drip:
    """A loopback server that sends its reply one byte at a time, ``pause`` seconds apart."""

    url: str
    stop: threading.Event


LATE = "did not answer in time - raise CITYNET_TIMEOUT (seconds, default 60) or ask a smaller question"
SECONDS = "expected a number of seconds above 0, at most 86400"
OTHER_VARIABLES = "answered other variables than the query asked for"
ANA = {"CITYNET_ENDPOINT_USER": "ana", "CITYNET_ENDPOINT_PASSWORD": "pa55-s3cret"}
REPLY = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 29\r\n\r\n"
    b'{"head": {}, "boolean": true}'
)


TLS_RECORD = b"\x16\x03\x03\x40\x00" + b"\x02" * 64  # a handshake record of 16 KB announced, then dripped


@pytest.fixture(params=["headers", "body", "tls"])
def drip(request: pytest.FixtureRequest) -> Iterator[Drip]:
    """Drips the whole reply ("headers"), sends the headers at once and drips the body ("body"), or
    drips a TLS handshake to an https:// URL ("tls")."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    stop = threading.Event()
    reply = TLS_RECORD if request.param == "tls" else REPLY
    at_once = {"headers": 0, "body": REPLY.index(b"\r\n\r\n") + 4, "tls": 5}[request.param]

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                return
            with connection:
                if request.param != "tls":
                    connection.recv(65536)
                connection.sendall(reply[:at_once])
                for byte in reply[at_once:]:
                    if stop.wait(1.0):
                        return
                    try:
                        connection.sendall(bytes([byte]))
                    except OSError:
                        break

    threading.Thread(target=serve, daemon=True).start()
    scheme = "https" if request.param == "tls" else "http"
    yield Drip(f"{scheme}://127.0.0.1:{server.getsockname()[1]}/query", stop)
    stop.set()
    server.close()


def test_a_dripping_server_is_stopped_at_the_deadline(drip: Drip) -> None:
    started = time.monotonic()
    with pytest.raises(EndpointError) as caught:
        remote(drip.url, timeout=2).query("ASK {}")
    assert str(caught.value) == (f'the endpoint "{drip.url}" {LATE}')
    assert 2 <= time.monotonic() - started < 4  # each byte came within the socket's 2 s: the total stops it


def test_a_dripping_server_through_the_cli(drip: Drip) -> None:
    started = time.monotonic()
    result = run_cli("sparql", "ASK {}", "--endpoint", drip.url, env={"CITYNET_TIMEOUT": "2"})
    assert result.returncode == 1
    assert result.stderr == f'Error: the endpoint "{drip.url}" {LATE}\n'
    assert time.monotonic() - started < 6


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "0", "soon", "1e400", "", "86401"])
def test_citynet_timeout_must_be_a_finite_positive_number(value: str) -> None:
    with pytest.raises(EndpointError) as caught:
        read_timeout({"CITYNET_TIMEOUT": value})
    assert str(caught.value) == f'CITYNET_TIMEOUT is "{value}" - {SECONDS}'


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_citynet_timeout_through_the_cli(value: str) -> None:
    result = run_cli(
        "sparql",
        "ASK {}",
        "--endpoint",
        f"http://127.0.0.1:{free_port()}/query",
        env={"CITYNET_TIMEOUT": value},
    )
    assert result.returncode == 1
    assert result.stderr == f'Error: CITYNET_TIMEOUT is "{value}" - {SECONDS}\n'


# --- malformed URLs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown", "problem"),
    [
        ("http://[::1/query", "http://[::1/query", "Invalid IPv6 URL"),
        ("http://ana:pw-s3cret@[::1/query", "http://[::1/query", "Invalid IPv6 URL"),
        (
            "http://[not-an-address]/query",
            "http://[not-an-address]/query",
            "'not-an-address' does not appear to be an IPv4 or IPv6 address",
        ),
        ("http://localhost:99999/query", "http://localhost:99999/query", "Port out of range 0-65535"),
        (
            "http://localhost:port/query",
            "http://localhost:port/query",
            "Port could not be cast to integer value as 'port'",
        ),
        (
            "ftp://example.org/query",
            "ftp://example.org/query",
            "an http or https URL with a host is expected",
        ),
        ("http:///query", "http:///query", "an http or https URL with a host is expected"),
        ("localhost:7878/query", "localhost:7878/query", "an http or https URL with a host is expected"),
        ("http://exa mple.org/query", "http://exa mple.org/query", "it holds spaces or control characters"),
    ],
)
def test_a_malformed_url_is_one_line(url: str, shown: str, problem: str) -> None:
    with pytest.raises(EndpointError) as caught:
        RemoteStore(url)
    assert str(caught.value) == (
        f'endpoint "{shown}" is not a valid URL ({problem}) - give e.g. http://localhost:7878/query'
    )


def test_a_malformed_graph_store_url_is_one_line() -> None:
    with pytest.raises(EndpointError, match=r'^Graph Store "http://\[::1/store" is not a valid URL'):
        RemoteStore("http://localhost:7878/query", graph_store="http://[::1/store")


# --- answers that do not fit the question ------------------------------------------------------------


def results(variables: list[str], rows: list[dict[str, str]]) -> tuple[int, dict[str, str], str]:
    bindings = [{k: {"type": "literal", "value": v} for k, v in row.items()} for row in rows]
    return 200, RESULTS_JSON, json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}})


def test_an_endpoint_answering_other_variables(stub: Stub) -> None:
    stub.replies = [results(["zz"], [{"zz": "x"}])]
    with pytest.raises(EndpointError) as caught:
        remote(stub.url).query("SELECT ?city ?n WHERE { ?city ?p ?n }")
    assert str(caught.value) == (
        f'the endpoint "{stub.url}" {OTHER_VARIABLES} (not asked: ?zz; missing: '
        "?city ?n) - the server or a proxy is broken"
    )


def test_an_endpoint_answering_a_variable_its_header_does_not_declare(stub: Stub) -> None:
    stub.replies = [results(["a"], [{"b": "x"}])]
    with pytest.raises(EndpointError) as caught:
        remote(stub.url).query("SELECT ?a WHERE { ?a ?p ?o }")
    assert str(caught.value) == (
        f'the endpoint "{stub.url}" sent a malformed SPARQL results document (The '
        "variable b has not been defined in the header) - the server or a proxy is "
        "broken; try another endpoint"
    )


def test_the_right_variables_in_another_order_are_fine(stub: Stub) -> None:
    stub.replies = [results(["n", "city"], [{"n": "2", "city": "Bytom"}])]
    rows = list(remote(stub.url).query("SELECT ?city (COUNT(?x) AS ?n) WHERE { ?city ?p ?x } GROUP BY ?city"))
    assert [(r["city"].value, r["n"].value) for r in rows] == [("Bytom", "2")]


def test_select_star_takes_any_variables(stub: Stub) -> None:
    stub.replies = [results(["whatever"], [{"whatever": "x"}])]
    assert [r["whatever"].value for r in remote(stub.url).query("SELECT * WHERE { ?s ?p ?o }")] == ["x"]


@pytest.mark.parametrize(
    "command", [["query", "cities"], ["sparql", "SELECT ?city WHERE { ?city a cn:City }"]]
)
def test_other_variables_through_the_cli(stub: Stub, command: list[str]) -> None:
    stub.replies = [results(["zz"], [{"zz": "x"}])]
    result = invoke(*command, "--endpoint", stub.url)
    assert result.returncode == 1
    assert result.stderr.startswith(
        f'Error: the endpoint "{stub.url}" {OTHER_VARIABLES} (not asked: ?zz; missing: '
    )
    assert result.stderr.count("\n") == 1


# --- secrets in every form -----------------------------------------------------------------------


def test_a_401_echoing_the_basic_header_does_not_show_it(stub: Stub) -> None:
    pair = "YW5hOnBhNTUtczNjcmV0"  # base64 of "ana:pa55-s3cret", written out by hand
    stub.replies = [
        (401, {"Content-Type": "text/plain"}, f"Unauthorized. You sent: Authorization: Basic {pair}")
    ]
    credentials = Credentials.from_env(ANA)
    with pytest.raises(EndpointError) as caught:
        remote(stub.url, credentials=credentials).query("ASK {}")
    assert stub.requests[0]["headers"]["Authorization"] == f"Basic {pair}"
    assert pair not in str(caught.value) and "pa55-s3cret" not in str(caught.value)
    assert "refused access (HTTP 401): Unauthorized. You sent: Authorization: Basic ***" in str(caught.value)


@pytest.mark.parametrize(
    "echo",
    [
        "user ana:pa55-s3cret unknown",  # the pair itself
        "authorization: basic YW5hOnBhNTUtczNjcmV0",  # the header in lower case
        "token YW5hOnBhNTUtczNjcmV0 refused",  # base64 without the header's name
        "Authorization: Bearer 0ther-t0ken-value",  # a header value that is not even ours
    ],
)
def test_every_form_of_a_secret_is_masked(stub: Stub, echo: str) -> None:
    stub.replies = [(401, {"Content-Type": "text/plain"}, echo)]
    credentials = Credentials.from_env(ANA)
    with pytest.raises(EndpointError) as caught:
        remote(stub.url, credentials=credentials).query("ASK {}")
    for secret in ("pa55-s3cret", "YW5hOnBhNTUtczNjcmV0", "0ther-t0ken-value"):
        assert secret not in str(caught.value)
    assert "***" in str(caught.value)


def test_userinfo_in_the_url_is_sent_as_credentials_and_masked(stub: Stub) -> None:
    url = stub.url.replace("http://", "http://ana:url-s3cret@")
    stub.replies = [(500, {"Content-Type": "text/plain"}, "failed for ana:url-s3cret")]
    with pytest.raises(EndpointError) as caught:
        remote(url).query("ASK {}")
    assert stub.requests[0]["headers"]["Authorization"] == "Basic YW5hOnVybC1zM2NyZXQ="  # ana:url-s3cret
    assert str(caught.value) == (
        f'the endpoint "{stub.url}" failed with HTTP 500 Internal Server Error: '
        "failed for *** - see the server's log"
    )


def test_a_time_limit_given_to_the_cli_is_the_requests_deadline(drip: Drip) -> None:
    started = time.monotonic()
    result = run_cli("sparql", "ASK {}", "--endpoint", drip.url, "--timeout", "2")
    assert result.returncode == 1
    assert result.stderr == f'Error: the endpoint "{drip.url}" {LATE}\n'
    assert time.monotonic() - started < 6
