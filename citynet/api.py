"""The Python API: load the facts, run named queries, get rows.

>>> from citynet.api import load, query            # doctest: +SKIP
>>> load(store_dir=Path("/tmp/cn"))                 # doctest: +SKIP
>>> query("partners", {"network": "OP-ACT"}, store_dir=Path("/tmp/cn"))[0]["role"]  # doctest: +SKIP
'lead partner'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from citynet.build.assemble import ENRICHMENT, build_quads
from citynet.graphs.memberships import Filters
from citynet.graphs.metrics import compute_metrics
from citynet.graphs.network import build_graph
from citynet.project import CHECKOUT, find_project, find_writable_project
from citynet.query.queries import bind_params, find_query, read_queries, run_query, to_rows
from citynet.rdf.sparqlguard import check_query
from citynet.site.pages import MAX_NODES, Site, write_site
from citynet.sources.wikidata import (
    WIKIDATA,
    Enrichment,
    build_enrichment,
    fetch_matches,
    read_cities,
)
from citynet.store.embedded import (
    EmbeddedStore,
    find_store_dir,
    load_file,
    open_staging,
    pause_for_test,
    publish,
)
from citynet.store.enrichment import write_enrichment
from citynet.store.remote import Credentials, RemoteStore
from citynet.store.shacl import validate_store

Reader = EmbeddedStore | RemoteStore

ROOT = CHECKOUT  # the checkout citynet runs from (the tests' project); see citynet.project

COUNTS = """
SELECT
  (COUNT(DISTINCT ?network) AS ?networks) (COUNT(DISTINCT ?city) AS ?cities)
  (COUNT(DISTINCT ?org) AS ?organisations) (COUNT(DISTINCT ?membership) AS ?memberships)
  (COUNT(DISTINCT ?source) AS ?sources)
WHERE {
  { ?network a cn:Network } UNION { ?city a cn:City } UNION { ?org a cn:Organisation }
  UNION { ?membership a cn:Membership } UNION { ?source a cn:Source }
}"""


@dataclass(frozen=True)
class Summary:
    """What a store holds."""

    quads: int
    networks: int
    cities: int
    organisations: int
    memberships: int
    sources: int


def summarise(store: EmbeddedStore) -> Summary:
    """Count what the store holds."""
    _, rows = to_rows(run_query(store, COUNTS))
    return Summary(store.count_quads(), **rows[0])


def load(root: Path | None = None, store_dir: Path | None = None, base: str | None = None) -> Summary:
    """Build the graph from the project's fact files and replace the store with it, once it validates.

    ``root`` is the project folder; without it, :func:`citynet.project.find_project` chooses one.

    The store folder must be new, empty or a citynet store (see :mod:`citynet.store.embedded`); a second
    load of the same store meanwhile fails at once. Until the swap, readers see the old store.
    """
    project = find_project(root)
    path = find_store_dir(str(store_dir) if store_dir else None)
    with open_staging(path) as staging:
        pause_for_test("locked")
        nquads = staging / "quads.nq"
        with nquads.open("w", encoding="utf-8") as out:
            origins = build_quads(project, out, base)
        pause_for_test("read")
        shapes = project.ontology_dir / "shapes.ttl"
        publish(path, staging, lambda store: load_file(store, nquads),
                lambda store: validate_store(store, shapes, origins))
    return summarise(EmbeddedStore.open(path))


def open_reader(store_dir: Path | str | None = None, endpoint: str | None = None,
                timeout: float | None = None) -> Reader:
    """What reading commands read from: the endpoint if one is given, else the embedded store.

    Both answer ``.query(text, prefixes, substitutions)`` with pyoxigraph results. ``timeout``
    bounds each request to the endpoint (default: CITYNET_TIMEOUT, else 60 s).
    """
    if endpoint:
        return RemoteStore(endpoint) if timeout is None else RemoteStore(endpoint, timeout=timeout)
    return EmbeddedStore.open(find_store_dir(str(store_dir) if store_dir else None))


def query(name: str, params: dict[str, str] | None = None, store_dir: Path | None = None,
          queries_dir: Path | None = None, endpoint: str | None = None) -> list[dict[str, Any]]:
    """Run a named query with parameters; return its rows as dicts."""
    named = find_query(read_queries(queries_dir or find_project().queries_dir), name)
    check_query(named.text)  # a bound on depth and length, before the engine parses it
    reader = open_reader(store_dir, endpoint)
    substitutions = bind_params(reader, named, params or {})
    return to_rows(run_query(reader, named.text, substitutions))[1]


def enrich_wikidata(store_dir: Path | str | None = None, endpoint: str = WIKIDATA, root: Path | None = None,
                    progress: Callable[[int], None] | None = None,
                    when: dt.datetime | None = None) -> Enrichment:
    """Link the store's cities to Wikidata; store and save the enrichment graph.

    The graph goes into the store and into the project's ``graph/enrichment/wikidata.nq``.
    """
    project = find_writable_project(root)  # before any request: where the graph is saved
    path = find_store_dir(str(store_dir) if store_dir else None)
    cities = read_cities(EmbeddedStore.open(path))
    wikidata = RemoteStore(endpoint, credentials=Credentials())  # the public endpoint needs none
    matches = fetch_matches(wikidata, cities, progress=progress)
    enrichment = build_enrichment(cities, matches, endpoint, when or dt.datetime.now(dt.UTC))
    write_enrichment(path, project.graph_dir / ENRICHMENT / "wikidata.nq", enrichment)
    return enrichment


def build_network(graph: str = "city-city", filters: Filters | None = None, store_dir: Path | None = None,
                  endpoint: str | None = None) -> nx.Graph:
    """A partnership graph (bipartite, city-city, network-network, country-country) as networkx.

    ``filters`` is a :class:`citynet.graphs.memberships.Filters`; see :mod:`citynet.graphs.network`.
    """
    return build_graph(open_reader(store_dir, endpoint), graph, filters)


def analyze(graph: str = "city-city", filters: Filters | None = None, store_dir: Path | None = None,
            endpoint: str | None = None) -> list[dict[str, Any]]:
    """The metrics rows ``citynet analyze`` prints, ranked (see :mod:`citynet.graphs.metrics`)."""
    return compute_metrics(build_network(graph, filters, store_dir, endpoint))


def visualize(folder: Path = Path("site"), filters: Filters | None = None,
              store_dir: Path | str | None = None, endpoint: str | None = None,
              max_nodes: int = MAX_NODES) -> Site:
    """Write the browsable site ``citynet visualize`` writes (see :mod:`citynet.site.pages`)."""
    return write_site(open_reader(store_dir, endpoint), folder, filters, max_nodes)
