"""`citynet push` believes no 200: it counts what the server holds after the push.

A real Oxigraph server shows the push succeeding; scripted servers stand in for what no real
server does on request: a login page or garbage answering 200 to everything, a server that
acknowledges every write and stores nothing, a write redirected to a login form.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from citynet.errors import EndpointError
from citynet.store.embedded import EmbeddedStore
from citynet.store.push import push_store
from citynet.store.remote import Credentials, RemoteStore
from citynet.store.transport import Retry

from .conftest import invoke
from .servers import StubHandler, oxigraph_server, server_url, stub_server

HTML = "<html><head><title>Welcome to the portal</title></head><body>Hello</body></html>"
LOGIN = (
    '<html><title>Please sign in</title><form action="/login"><input name="user">'
    '<input type="password" name="pw"></form></html>'
)
QUICK = Retry(attempts=2, base_delay=0.01, max_delay=1)


@dataclass
class Fake:
    """A scripted server: ``mode`` says how it answers; every request is recorded."""

    mode: str
    base: str = ""
    requests: list[tuple[str, str]] = field(default_factory=list)


def count_reply(value: int) -> str:
    cell = {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": str(value)}
    return json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": cell}]}})


@pytest.fixture
def fake(request: pytest.FixtureRequest) -> Iterator[Fake]:
    state = Fake(request.param)

    class Handler(StubHandler):
        def answer(self) -> None:
            self.read_body()
            state.requests.append((self.command, self.path))
            write = not self.path.startswith(("/query", "/login"))
            if state.mode == "redirect" and write:
                self.reply(302, "text/html", "", {"Location": "/login"})
            elif state.mode == "stores-nothing":
                self.reply(204, "text/plain", "") if write else self.reply(
                    200, "application/sparql-results+json", count_reply(0)
                )
            elif state.mode == "garbage":
                self.reply(200, "application/sparql-results+json", "\x00\x01 not json {")
            else:  # html, login, and the redirect's login page
                self.reply(200, "text/html", LOGIN if state.mode in ("login", "redirect") else HTML)

    with stub_server(Handler) as server:
        state.base = server_url(server)
        yield state


def remote(fake: Fake, graph_store: bool = True) -> RemoteStore:
    return RemoteStore(
        f"{fake.base}/query",
        graph_store=f"{fake.base}/store" if graph_store else None,
        retry=QUICK,
        credentials=Credentials(),
    )


def graph_sizes(seed: EmbeddedStore) -> dict[str, int]:
    """Triples per named graph, counted by SPARQL (not by the push's own code)."""
    rows = seed.store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


@pytest.mark.parametrize("fake", ["html"], indirect=True)
@pytest.mark.parametrize("graph_store", [True, False])
def test_a_server_answering_html_to_everything(fake: Fake, seed: EmbeddedStore, graph_store: bool) -> None:
    with pytest.raises(EndpointError) as caught:
        push_store(seed, remote(fake, graph_store))
    assert str(caught.value) == (
        f'the push cannot be checked: the endpoint "{fake.base}/query" sent an HTML '
        'page ("Welcome to the portal") instead of SPARQL results - check that the '
        "URL is the SPARQL endpoint's"
    )
    assert fake.requests[-1][1].startswith("/query")  # it wrote, moved, then asked, and stopped there


@pytest.mark.parametrize("fake", ["garbage"], indirect=True)
def test_a_server_answering_garbage(fake: Fake, seed: EmbeddedStore) -> None:
    expected = (
        r'^the push cannot be checked: the endpoint "[^"]+" sent a malformed SPARQL results document '
        r"\(.+\) - the server or a proxy is broken"
    )
    with pytest.raises(EndpointError, match=expected):
        push_store(seed, remote(fake))


@pytest.mark.parametrize("fake", ["stores-nothing"], indirect=True)
def test_a_server_that_acknowledges_and_stores_nothing(fake: Fake, seed: EmbeddedStore) -> None:
    sizes = graph_sizes(seed)
    largest = max(sizes, key=lambda g: (sizes[g], g))
    with pytest.raises(EndpointError) as caught:
        push_store(seed, remote(fake))
    assert str(caught.value) == (
        f'the push failed: the endpoint "{fake.base}/query" holds 0 triples in '
        f"<{largest}> after the push, {sizes[largest]} were sent - the server (or "
        "a proxy answering for it) did not store them; check the URLs and the "
        "credentials"
    )


@pytest.mark.parametrize("fake", ["login"], indirect=True)
def test_a_write_answered_by_a_login_form(fake: Fake, seed: EmbeddedStore) -> None:
    with pytest.raises(EndpointError) as caught:
        push_store(seed, remote(fake))
    assert str(caught.value) == (
        f'the endpoint "{fake.base}/query" answered the write with a login page '
        '("Please sign in") - nothing was stored; set CITYNET_ENDPOINT_USER and '
        "CITYNET_ENDPOINT_PASSWORD or CITYNET_ENDPOINT_TOKEN"
    )


@pytest.mark.parametrize("fake", ["redirect"], indirect=True)
@pytest.mark.parametrize(
    ("graph_store", "said"),
    [
        (True, 'redirected the request to "/login" (HTTP 302) - nothing was done'),  # PUT: not followed
        (False, 'redirected the write to "{base}/login" - nothing was stored'),  # POST: followed to a GET
    ],
)
def test_a_write_redirected_to_a_login_page(
    fake: Fake, seed: EmbeddedStore, graph_store: bool, said: str
) -> None:
    with pytest.raises(EndpointError) as caught:
        push_store(seed, remote(fake, graph_store))
    assert str(caught.value) == (
        f'the endpoint "{fake.base}/query" {said.format(base=fake.base)}; check the URL and the credentials'
    )


@pytest.mark.parametrize("fake", ["html", "stores-nothing"], indirect=True)
def test_the_cli_says_so_in_one_line(fake: Fake, seed_store: Path) -> None:
    result = invoke(
        "push", "--endpoint", f"{fake.base}/query", "--graph-store", f"{fake.base}/store", store=seed_store
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(("Error: the push cannot be checked: ", "Error: the push failed: "))


def test_a_real_server_holds_what_was_pushed(tmp_path: Path, seed: EmbeddedStore, seed_store: Path) -> None:
    with oxigraph_server(tmp_path) as base:
        result = invoke(
            "push", "--endpoint", f"{base}/query", "--graph-store", f"{base}/store", store=seed_store
        )
        assert result.returncode == 0, result.stderr
        sizes = graph_sizes(seed)
        # 2343: the quads `citynet load` reports for the seed: 2339 before ontology 0.2.0 added
        # owl:versionIRI and the ranges of cn:website, cn:url and cn:nutsRegion
        assert result.stdout == f"Pushed {len(sizes)} graphs, 2343 triples to {base}/query\n"
        server = RemoteStore(f"{base}/query", credentials=Credentials())
        for graph, size in sizes.items():
            held = server.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
            assert int(next(iter(held))["n"].value) == size
