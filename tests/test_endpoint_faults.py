"""Endpoint faults give one clear line; only retryable ones are retried; credentials stay secret.

Faults a real server produces on demand (connection refused, timeout, 400, 404, digest auth) are
tested against real servers. A scripted stub stands in only for what a healthy server won't do on
request: 5xx, 429 with Retry-After, an HTML page or a broken document instead of results.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from citynet.errors import EndpointError
from citynet.push import list_graphs, push_store
from citynet.remote import Credentials, RemoteStore, Retry
from citynet.store import EmbeddedStore

from .conftest import run_cli
from .servers import free_port, oxigraph_server, virtuoso_server

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

    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            state.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                   "body": self.rfile.read(length).decode()})
            status, headers, body = state.replies.pop(0) if state.replies else ASK_TRUE
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body.encode())))
            self.end_headers()
            self.wfile.write(body.encode())

        def do_GET(self) -> None:
            self.answer()

        def do_POST(self) -> None:
            self.answer()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty Oxigraph server whose own limit stops runaway queries after 5 s."""
    with oxigraph_server(tmp_path_factory.mktemp("faults"), "--timeout-s", "5") as base:
        yield base


def remote(url: str, **kwargs: object) -> RemoteStore:
    return RemoteStore(url, retry=kwargs.pop("retry", QUICK), credentials=kwargs.pop(
        "credentials", Credentials()), **kwargs)  # type: ignore[arg-type]


def test_unreachable_endpoint() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError) as caught:
        remote(url).query("ASK {}")
    assert str(caught.value) == (f'cannot reach the endpoint "{url}" (connection refused) - check the URL '
                                 "and that the server is running")


def test_timeout(oxigraph: str) -> None:
    store = remote(f"{oxigraph}/query", timeout=1)
    store.update("INSERT DATA { " + " ".join(f"<urn:s{i}> <urn:p> {i} ." for i in range(300)) + " }")
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 300^4 rows
    expected = (r"did not answer in time - raise CITYNET_TIMEOUT \(seconds, default 60\) "
                r"or ask a smaller question$")
    with pytest.raises(EndpointError, match=r'^the endpoint "http://127\.0\.0\.1:\d+/query" ' + expected):
        store.query(slow)


def test_bad_query_is_the_servers_400(oxigraph: str) -> None:
    with pytest.raises(EndpointError, match=r'^the endpoint "[^"]+" rejected the request with HTTP 400 Bad '
                                            r"Request: .+ - check the query$"):
        remote(f"{oxigraph}/query").query("SELECT ?x WHERE {")


def test_wrong_path_is_404(oxigraph: str) -> None:
    with pytest.raises(EndpointError, match=r"answered HTTP 404 Not Found - check that the URL is the SPARQL "
                                            r"endpoint's$"):
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
    assert str(caught.value) == (f'the endpoint "{stub.url}" failed with HTTP 500 Internal Server Error: '
                                 "Internal error: disk full - see the server's log")
    assert len(stub.requests) == 1


def test_unavailable_is_retried_then_answers(stub: Stub) -> None:
    stub.replies = [(503, {}, "busy"), (502, {}, "bad gateway"), ASK_TRUE]
    assert bool(remote(stub.url).query("ASK {}")) is True
    assert len(stub.requests) == 3


def test_unavailable_gives_up_after_bounded_attempts(stub: Stub) -> None:
    stub.replies = [(503, {"Content-Type": "text/html"}, "<title>Service Unavailable</title>")] * 5
    with pytest.raises(EndpointError) as caught:
        remote(stub.url).query("ASK {}")
    assert str(caught.value) == (f'the endpoint "{stub.url}" failed with HTTP 503 Service Unavailable: '
                                 "Service Unavailable - the server is down or overloaded; try again later "
                                 "(gave up after 3 attempts)")
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
    assert str(caught.value) == (f'the endpoint "{stub.url}" sent an HTML page ("Please log in") instead of '
                                 "SPARQL results - check that the URL is the SPARQL endpoint's")


def test_malformed_results_document(stub: Stub) -> None:
    stub.replies = [(200, RESULTS_JSON, '{"head": {"vars": ["a"]}, "res')]
    expected = r"\(.+\) - the server or a proxy is broken; try another endpoint$"
    with pytest.raises(EndpointError, match=r'^the endpoint "[^"]+" sent a malformed SPARQL results document '
                       + expected):
        remote(stub.url).query("SELECT ?a WHERE { ?a ?b ?c }")


@pytest.mark.parametrize(("env", "header"), [
    ({"CITYNET_ENDPOINT_TOKEN": "t0ken-s3cret"}, "Bearer t0ken-s3cret"),
    ({"CITYNET_ENDPOINT_USER": "ana", "CITYNET_ENDPOINT_PASSWORD": "pa55-s3cret"},
     "Basic YW5hOnBhNTUtczNjcmV0"),  # base64 of "ana:pa55-s3cret"
])
def test_credentials_from_the_environment_are_sent_and_never_shown(stub: Stub, env: dict[str, str],
                                                                   header: str) -> None:
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
        assert "t0ken-s3cret" not in run_cli(command, "--help").stdout
    result = run_cli("sparql", "ASK {}", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert result.returncode == 1 and "t0ken-s3cret" not in result.stderr


@pytest.mark.parametrize("path", ["nothing-here", "query"])
def test_cli_faults_are_one_line(oxigraph: str, path: str) -> None:
    query = "SELECT ?x WHERE {" if path == "query" else "ASK {}"
    result = run_cli("sparql", query, "--endpoint", f"{oxigraph}/{path}")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: the endpoint ")


def test_digest_credentials_on_virtuoso(tmp_path: Path, seed: EmbeddedStore) -> None:
    with virtuoso_server(tmp_path) as base:
        right = Credentials.from_env({"CITYNET_ENDPOINT_USER": "dba", "CITYNET_ENDPOINT_PASSWORD": "dba",
                                      "CITYNET_ENDPOINT_AUTH": "digest"})
        assert bool(remote(f"{base}/sparql-auth", credentials=right).query("ASK { <urn:x> ?p ?o }")) is False
        assert bool(remote(f"{base}/sparql-auth", credentials=right).query("ASK {}")) is True
        wrong = Credentials("dba", "not-the-password", "digest")
        with pytest.raises(EndpointError, match=r"refused access \(HTTP 401\)") as caught:
            remote(f"{base}/sparql-auth", credentials=wrong).query("ASK {}")
        assert "not-the-password" not in str(caught.value)
        # Virtuoso's authenticated endpoints take the push too (Graph Store and Update by digest).
        store = RemoteStore(f"{base}/sparql-auth", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth",
                            credentials=right)
        report = push_store(seed, store)
        assert report.triples == sum(size for _, size in list_graphs(seed))
