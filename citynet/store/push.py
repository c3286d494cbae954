"""Push the embedded store's named graphs to a SPARQL server, each replaced atomically.

Each graph is uploaded in bounded batches into a fresh staging graph (Graph Store Protocol PUT
then POST when a Graph Store URL is given, else SPARQL ``INSERT DATA``), then moved over the
target with one SPARQL Update ``MOVE`` request. A reader sees the old graph or the new one,
never a half-loaded one, as far as the server runs one update request as one transaction.

A 200 proves nothing: the protocols leave the body of a write's reply open, and a proxy's login
page or a broken server answers 200 to everything. So after each graph the push counts the
triples the server holds in it and fails unless they are the triples sent.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from citynet.errors import EndpointError
from citynet.rdf.namespaces import Ids
from citynet.store.embedded import EmbeddedStore
from citynet.store.remote import RemoteStore

BATCH = 20_000  # triples per request


@dataclass(frozen=True)
class PushReport:
    """What a push sent."""

    graphs: int
    triples: int
    requests: int


@dataclass(frozen=True)
class Pushed:
    """What :func:`push` sent, and where (the endpoint without its credentials)."""

    graphs: int
    triples: int
    endpoint: str


def iri(value: str) -> str:
    """An IRI written as SPARQL, escaped by pyoxigraph.

    >>> iri("https://w3id.org/citynet/id/graph/gazetteer")
    '<https://w3id.org/citynet/id/graph/gazetteer>'
    """
    return str(ox.NamedNode(value))


def list_graphs(store: EmbeddedStore) -> list[tuple[str, int]]:
    """The store's named graphs with their sizes, largest first then by IRI."""
    sizes = [
        (g.value, sum(1 for _ in store.store.quads_for_pattern(None, None, None, g)))
        for g in store.store.named_graphs()
        if isinstance(g, ox.NamedNode)
    ]
    return sorted(sizes, key=lambda pair: (-pair[1], pair[0]))


def read_batches(store: EmbeddedStore, graph: str, size: int) -> Iterator[tuple[bytes, int]]:
    """One graph's triples as N-Triples documents of at most ``size`` triples."""
    quads = store.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    while batch := [q.triple for q in islice(quads, size)]:
        yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES), len(batch)


def push_graph(
    store: EmbeddedStore,
    remote: RemoteStore,
    graph: str,
    size: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Replace ``graph`` on the remote with the store's; returns the number of requests sent."""
    staging = f"{Ids().base}graph/staging/{uuid.uuid4().hex}"
    requests = 0
    try:
        for data, count in read_batches(store, graph, size):
            send_batch(remote, staging, data, first=requests == 0)
            requests += 1
            if progress:
                progress(count)
        remote.update(f"MOVE GRAPH {iri(staging)} TO GRAPH {iri(graph)}")
    except EndpointError:
        drop_quietly(remote, staging)
        raise
    return requests + 1


def count_graph(remote: RemoteStore, graph: str) -> int:
    """The triples the server holds in one graph."""
    try:
        solutions = remote.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}")
        return int(next(iter(solutions))["n"].value)
    except EndpointError as exc:
        raise EndpointError(f"the push cannot be checked: {exc}") from None
    except (StopIteration, KeyError, TypeError, ValueError, AttributeError):
        raise EndpointError(
            f'the push cannot be checked: the endpoint "{remote.safe_endpoint}" answered '
            "a COUNT query without a number - the server or a proxy is broken"
        ) from None


def check_stored(remote: RemoteStore, graph: str, sent: int) -> None:
    """Fail unless the server holds in ``graph`` as many triples as were sent."""
    held = count_graph(remote, graph)
    if held != sent:
        raise EndpointError(
            f'the push failed: the endpoint "{remote.safe_endpoint}" holds {held} triples in '
            f"<{graph}> after the push, {sent} were sent - the server (or a proxy answering "
            "for it) did not store them; check the URLs and the credentials"
        )


def send_batch(remote: RemoteStore, staging: str, data: bytes, first: bool) -> None:
    if remote.graph_store:
        remote.send_graph(staging, data, replace=first)
        return
    drop = f"DROP SILENT GRAPH {iri(staging)} ;\n" if first else ""
    remote.update(f"{drop}INSERT DATA {{ GRAPH {iri(staging)} {{\n{data.decode('utf-8')}}} }}")


def drop_quietly(remote: RemoteStore, staging: str) -> None:
    """Remove a staging graph left by a failed push, if the server still answers."""
    with contextlib.suppress(EndpointError):  # the first error is the one to report
        remote.update(f"DROP SILENT GRAPH {iri(staging)}")


def push_store(
    store: EmbeddedStore,
    remote: RemoteStore,
    size: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> PushReport:
    """Push every named graph of the store; pushing the same store twice changes nothing."""
    graphs = list_graphs(store)
    requests = 0
    for graph, sent in graphs:
        requests += push_graph(store, remote, graph, size, progress)
        check_stored(remote, graph, sent)
    return PushReport(len(graphs), sum(n for _, n in graphs), requests)
