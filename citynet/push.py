"""Push the embedded store's named graphs to a SPARQL server, each replaced atomically.

Each graph is uploaded in bounded batches into a fresh staging graph (Graph Store Protocol PUT
then POST when a Graph Store URL is given, else SPARQL ``INSERT DATA``), then moved over the
target with one SPARQL Update ``MOVE`` request. A reader sees the old graph or the new one,
never a half-loaded one, as far as the server runs one update request as one transaction.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from citynet.errors import EndpointError
from citynet.namespaces import Ids
from citynet.remote import RemoteStore
from citynet.store import EmbeddedStore

BATCH = 20_000  # triples per request


@dataclass(frozen=True)
class PushReport:
    """What a push sent."""

    graphs: int
    triples: int
    requests: int


def iri(value: str) -> str:
    """An IRI written as SPARQL, escaped by pyoxigraph.

    >>> iri("https://w3id.org/citynet/id/graph/gazetteer")
    '<https://w3id.org/citynet/id/graph/gazetteer>'
    """
    return str(ox.NamedNode(value))


def list_graphs(store: EmbeddedStore) -> list[tuple[str, int]]:
    """The store's named graphs with their sizes, largest first then by IRI."""
    sizes = [(g.value, sum(1 for _ in store.store.quads_for_pattern(None, None, None, g)))
             for g in store.store.named_graphs() if isinstance(g, ox.NamedNode)]
    return sorted(sizes, key=lambda pair: (-pair[1], pair[0]))


def read_batches(store: EmbeddedStore, graph: str, size: int) -> Iterator[tuple[bytes, int]]:
    """One graph's triples as N-Triples documents of at most ``size`` triples."""
    quads = store.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    while batch := [q.triple for q in islice(quads, size)]:
        yield ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES), len(batch)


def push_graph(store: EmbeddedStore, remote: RemoteStore, graph: str, size: int = BATCH,
               progress: Callable[[int], None] | None = None) -> int:
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


def push_store(store: EmbeddedStore, remote: RemoteStore, size: int = BATCH,
               progress: Callable[[int], None] | None = None) -> PushReport:
    """Push every named graph of the store; pushing the same store twice changes nothing."""
    graphs = list_graphs(store)
    requests = sum(push_graph(store, remote, graph, size, progress) for graph, _ in graphs)
    return PushReport(len(graphs), sum(n for _, n in graphs), requests)
