"""The seed graph pushed to real SPARQL servers on loopback answers like the embedded store."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import threading
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from citynet.query.output import write_results
from citynet.query.queries import answer_named, bind_params, read_queries, run_query, to_rows
from citynet.store.embedded import EmbeddedStore
from citynet.store.push import list_graphs, push_store
from citynet.store.remote import RemoteStore

from .conftest import CITYNET, ROOT, invoke, run_cli
from .servers import free_port, oxigraph_server, virtuoso_server, wait_until_up

QUERIES = read_queries(ROOT / "queries")
# Realistic parameters: a network with a lead partner, a city in two working groups, the city
# with most co-partners, a year of URBACT II, and both filters of the provenance query.
PARAMS: dict[str, list[dict[str, str]]] = {
    "partners": [{"network": "OP-ACT"}, {"network": "URB-INCLUSION"}],
    "city-networks": [{"city": "Bytom"}, {"city": "Krakowie"}],
    "city-organisations": [{"city": "Celje"}],  # no seed page says where its organisations are: no rows
    "co-partners": [{"city": "Kraków"}, {"city": "Leoben"}],
    "active-in": [{"year": "2010"}, {"year": "2019"}],
    "network-facts": [{"network": "URB-INCLUSION"}, {"network": "Cities@Heart"}],
    "provenance": [{}, {"network": "OP-ACT"}, {"city": "Bytom"}],
    "evidence": [{"network": "Pārmaiņu pilsētas"}],  # no seed was extracted: tests/test_evidence.py has one
}
CASES = [(name, params) for name in QUERIES for params in PARAMS.get(name, [{}])]
DURATION = re.compile(r"(?<!\w)P(?=\d)(?:(\d+)Y)?(?:(\d+)M)?(?!\w)")


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, seed: EmbeddedStore) -> Iterator[RemoteStore]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        remote = RemoteStore(f"{base}/query", graph_store=f"{base}/store")
        push_store(seed, remote)
        yield remote


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, seed: EmbeddedStore) -> Iterator[RemoteStore]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as base:
        remote = RemoteStore(
            f"{base}/sparql", update_endpoint=f"{base}/sparql", graph_store=f"{base}/sparql-graph-crud"
        )
        push_store(seed, remote)
        yield remote


def answer(reader: Any, name: str, params: dict[str, str]) -> tuple[list[str], list[dict[str, Any]]]:
    """Rows as citynet gives them, in the order the query's header declares (``#+ order:``)."""
    named = QUERIES[name]
    return answer_named(reader, named, bind_params(reader, named, params))


def in_months(text: str) -> str:
    """Durations as Virtuoso 7.2.5 keeps them, as a bare month count: "P1Y6M" reads back as "18"."""
    return DURATION.sub(lambda m: str(int(m.group(1) or 0) * 12 + int(m.group(2) or 0)), text)


def comparable(name: str, rows: list[dict[str, Any]], months: bool = False) -> list[dict[str, Any]]:
    """Rows with each GROUP_CONCAT cell as a sorted list: SPARQL leaves the order of its items open."""
    lists = QUERIES[name].lists
    out = []
    for row in rows:
        cells = {k: in_months(v) if months and isinstance(v, str) else v for k, v in row.items()}
        out.append({k: sorted(v.split(lists[k])) if k in lists and v else v for k, v in cells.items()})
    return out


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}{p or ''}" for n, p in CASES])
def test_server_gives_the_embedded_rows(
    request: pytest.FixtureRequest, seed: EmbeddedStore, server: str, name: str, params: dict[str, str]
) -> None:
    remote: RemoteStore = request.getfixturevalue(server)
    variables, rows = answer(seed, name, params)
    remote_variables, remote_rows = answer(remote, name, params)
    assert remote_variables == variables
    # Virtuoso 7.2.5 keeps xsd:duration as a month count: the one deviation allowed (README).
    assert comparable(name, remote_rows) == comparable(name, rows, months=server == "virtuoso")


def graph_sizes(remote: RemoteStore) -> dict[str, int]:
    rows = to_rows(remote.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"))[1]
    return {row["g"]: row["n"] for row in rows}


def test_pushing_twice_changes_nothing(tmp_path: Path, seed: EmbeddedStore) -> None:
    expected = dict(list_graphs(seed))
    # 8 graphs: 5 sources, the gazetteer, the sources register and the ontology with its vocabularies.
    assert len(expected) == 8
    with oxigraph_server(tmp_path) as base:
        remote = RemoteStore(f"{base}/query", graph_store=f"{base}/store")
        first = push_store(seed, remote, size=100)
        assert graph_sizes(remote) == expected
        push_store(seed, remote, size=100)
        assert graph_sizes(remote) == expected  # no staging graph left, nothing doubled
    assert first.graphs == 8 and first.triples == sum(expected.values())
    # Batches of 100 triples: one request per started hundred in each graph, plus one MOVE each.
    assert first.requests == sum(-(-n // 100) + 1 for n in expected.values())


def test_push_by_sparql_update_alone(tmp_path: Path, seed: EmbeddedStore) -> None:
    with oxigraph_server(tmp_path) as base:
        remote = RemoteStore(f"{base}/query")  # no Graph Store URL: INSERT DATA into the staging graph
        push_store(seed, remote, size=500)
        assert graph_sizes(remote) == dict(list_graphs(seed))


@pytest.mark.parametrize("server", ["oxigraph", "virtuoso"])
def test_readers_never_see_a_half_pushed_graph(
    request: pytest.FixtureRequest, seed: EmbeddedStore, server: str
) -> None:
    remote: RemoteStore = request.getfixturevalue(server)
    graph, size = list_graphs(seed)[0]  # the largest graph
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    seen: set[int] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.add(to_rows(remote.query(count))[1][0]["n"])

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(5):
            push_store(seed, remote, size=50)  # many small batches: a wide window for a torn read
    finally:
        done.set()
        reader.join()
    assert seen == {size}


def test_push_command(tmp_path: Path, seed_store: Path) -> None:
    with oxigraph_server(tmp_path) as base:
        result = invoke(
            "push", "--endpoint", f"{base}/query", "--graph-store", f"{base}/store", store=seed_store
        )
        assert result.returncode == 0, result.stderr
        assert re.fullmatch(r"Pushed 8 graphs, \d+ triples to http://127\.0\.0\.1:\d+/query\n", result.stdout)
        embedded = invoke("query", "partners", "-p", "network=OP-ACT", store=seed_store)
        remote = invoke("query", "partners", "-p", "network=OP-ACT", "--endpoint", f"{base}/query")
        assert remote.returncode == 0, remote.stderr
        assert remote.stdout == embedded.stdout
        assert "(11 rows)" in remote.stdout
        env = invoke("query", "partners", "-p", "network=OP-ACT", env={"CITYNET_ENDPOINT": f"{base}/query"})
        assert env.stdout == embedded.stdout
        check = invoke("queries", "--check", "--endpoint", f"{base}/query")
        assert check.returncode == 0, check.stdout
        assert len(check.stdout.splitlines()) == len(QUERIES) == 19
        assert "partners: 11 rows\n" in check.stdout  # the example parameter is OP-ACT


def test_queries_check_reports_failures() -> None:
    check = invoke("queries", "--check", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert check.returncode == 1
    assert check.stdout.splitlines()[0].startswith(
        'active-in: FAILED: cannot reach the endpoint "http://127.0.0.1'
    )


def test_serve_answers_sparql_clients(seed_store: Path) -> None:
    port = free_port()
    env = {**os.environ, "CITYNET_STORE": str(seed_store)}
    server = subprocess.Popen(
        [*CITYNET, "serve", "--port", str(port)], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    try:
        line = server.stdout.readline() if server.stdout else ""
        url = f"http://127.0.0.1:{port}/query"
        assert line == f"Serving {seed_store} (read-only, 2343 quads) at {url} - Ctrl-C stops\n"
        wait_until_up(f"{url}?query=ASK%7B%7D", server, seed_store / "LOG")
        client = SPARQLWrapper(url, agent="citynet-tests")
        client.setQuery(
            "PREFIX cn: <https://w3id.org/citynet/ontology#> "
            "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a cn:Membership }"
        )
        client.setReturnFormat(JSON)
        answer = client.queryAndConvert()
        assert answer["results"]["bindings"][0]["n"]["value"] == "43"  # 19 + 10 + 2 + 10 + 2 memberships
        client.setQuery(
            "PREFIX cn: <https://w3id.org/citynet/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?c a cn:City }"
        )
        cities = client.queryAndConvert()["results"]["bindings"][0]["n"]["value"]
        assert cities == "37"  # the merged default graph: each city once, though some are in 3 graphs
        graph = Graph(store=SPARQLStore(url))
        assert len(set(graph.subjects(RDF.type, URIRef("https://w3id.org/citynet/ontology#Network")))) == 15
        update = SPARQLWrapper(url.replace("/query", "/update"), agent="citynet-tests")
        update.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        update.setMethod(POST)
        with pytest.raises(urllib.error.HTTPError) as refused:  # read-only by default
            update.query()
        assert refused.value.code == 403
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)


def test_serve_on_a_taken_port(seed_store: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), store=seed_store)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port} (")
    assert result.stderr.endswith(") - choose another --port\n")


def test_construct_on_an_endpoint(oxigraph: RemoteStore) -> None:
    text = "CONSTRUCT { ?n a cn:Network } WHERE { ?n a cn:Network }"
    triples = run_query(oxigraph, text)
    assert len(triples) == 15
    out = io.BytesIO()
    write_results(triples, "table", out)
    assert out.getvalue().count(b"<https://w3id.org/citynet/ontology#Network>") == 15
