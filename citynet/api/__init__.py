"""The Python API: every ``citynet`` command is one function here, of the same name.

``citynet load`` is :func:`load`, ``citynet query`` is :func:`query`, ``citynet enrich wikidata`` is
:func:`enrich_wikidata`, and so on: the command parses its options, calls the function and prints
what it returns. The functions return values and raise :class:`citynet.errors.CitynetError`; they
print nothing.

>>> import tempfile
>>> from citynet import api
>>> folder = tempfile.TemporaryDirectory()
>>> store = Path(folder.name) / "store"
>>> api.load(store_dir=store).memberships
43
>>> [row["role"] for row in api.query("partners", {"network": "OP-ACT"}, store_dir=store)][:1]
['lead partner']
>>> [(found.id, found.match) for found in api.find("KRAKOW", store_dir=store)]
[('city/3094802', 'exact')]
>>> api.sparql("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a cn:Membership }", store_dir=store)
[{'n': 43}]
>>> api.analyze("country-country", store_dir=store)[0]["node"]
'https://w3id.org/citynet/id/country/PL'

The verbs that need a server are shown here rather than run::

    api.serve(store, port=7878)                 # blocks until Ctrl-C; read-only /query
    api.push(store, "http://localhost:7878/query", graph_store="http://localhost:7878/store")
    api.enrich_wikidata(store)                  # asks query.wikidata.org, writes graph/wikidata

>>> folder.cleanup()
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from citynet.api.extract import EXTRACT_LANGUAGES, Proposed, extract, extract_evaluate, format_evaluation
from citynet.api.importing import ImportReport, import_keep_eu, import_table
from citynet.api.review import review, review_accept  # the review verbs, in a module of their own
from citynet.build.assemble import ENRICHMENT, build_quads
from citynet.graphs.export import FORMATS as GRAPH_FORMATS
from citynet.graphs.export import Exported, write_graph
from citynet.graphs.memberships import Filters
from citynet.graphs.metrics import COLUMNS, Metrics, Sampling, compute_metrics, round_floats, write_metrics
from citynet.graphs.network import GRAPHS, build_graph
from citynet.project import CHECKOUT, find_project, find_writable_project
from citynet.publish.build import W3ID_TARGET, Published, publish_release, render_served
from citynet.publish.paths import BASE as PUBLISH_BASE
from citynet.query.lookup import KINDS as FIND_KINDS
from citynet.query.lookup import Found, find_entities
from citynet.query.output import RESULT_FORMATS, escape_controls, format_table
from citynet.query.queries import (
    Listed,
    bind_params,
    check_queries,
    find_query,
    parse_params,
    read_queries,
    read_query_text,
)
from citynet.query.running import INTERRUPTED, StoppedError, answer_bounded, end_process, read_seconds
from citynet.query.summary import Summary, summarise
from citynet.rdf.sparqlguard import check_query
from citynet.site.pages import MAX_NODES, Site, write_site
from citynet.site.trim import MAX_EDGES
from citynet.sources.wikidata import WIKIDATA, Enrichment, build_enrichment, fetch_matches, read_cities
from citynet.store.deref import BASE, Pages
from citynet.store.embedded import FORMATS, EmbeddedStore, load_file
from citynet.store.embedded import publish as publish_store
from citynet.store.enrichment import write_enrichment
from citynet.store.folder import find_store_dir, open_staging, pause_for_test
from citynet.store.push import BATCH, Pushed, push_store
from citynet.store.remote import Credentials, RemoteStore
from citynet.store.serve import Limits, serve_read_only
from citynet.store.shacl import validate_store

VERBS = ("load", "dump", "queries", "query", "sparql", "find", "push", "serve", "enrich_wikidata", "analyze",
         "export", "visualize", "publish", "import_keep_eu", "import_table", "extract", "review",
         "review_accept")  # fmt: skip
# one per command: `citynet enrich wikidata` is enrich_wikidata, `citynet import keep-eu` import_keep_eu

# The verbs, and what the command line needs for its options and its output.
__all__ = [  # noqa: RUF022 - the verbs in VERBS order, then what the CLI needs
    "load", "dump", "queries", "query", "sparql", "find", "push", "serve", "enrich_wikidata", "analyze",
    "export", "visualize", "publish", "import_keep_eu", "import_table", "extract", "review", "review_accept",
    "extract_evaluate", "Proposed", "EXTRACT_LANGUAGES", "format_evaluation", "BATCH",
    "COLUMNS", "FIND_KINDS", "FORMATS", "GRAPHS", "GRAPH_FORMATS", "INTERRUPTED", "MAX_EDGES", "MAX_NODES",
    "PUBLISH_BASE", "RESULT_FORMATS", "W3ID_TARGET", "WIKIDATA", "Filters", "ImportReport", "Limits",
    "Sampling", "StoppedError", "build_network", "end_process", "escape_controls", "format_table",
    "open_reader", "parse_params", "round_floats",
]  # fmt: skip

Reader = EmbeddedStore | RemoteStore
StorePath = Path | str | None

ROOT = CHECKOUT  # the checkout citynet runs from (the tests' project); see citynet.project


def to_store_dir(store_dir: StorePath) -> Path:
    """The store folder: the one given, else CITYNET_STORE, else ``.citynet/store``."""
    return find_store_dir(str(store_dir) if store_dir else None)


def load(root: Path | None = None, store_dir: StorePath = None, base: str | None = None) -> Summary:
    """Build the graph from the project's fact files and replace the store with it, once it validates.

    ``root`` is the project folder; without it, :func:`citynet.project.find_project` chooses one.
    The store folder must be new, empty or a citynet store (see :mod:`citynet.store.embedded`); a second
    load of the same store meanwhile fails at once. Until the swap, readers see the old store.
    The module's example loads a store.
    """
    project = find_project(root)
    path = to_store_dir(store_dir)
    with open_staging(path) as staging:
        pause_for_test("locked")
        nquads = staging / "quads.nq"
        with nquads.open("w", encoding="utf-8") as out:
            origins = build_quads(project, out, base)
        pause_for_test("read")
        shapes = project.ontology_dir / "shapes.ttl"
        publish_store(
            path,
            staging,
            lambda store: load_file(store, nquads),
            lambda store: validate_store(store, shapes, origins),
        )
    return summarise(EmbeddedStore.open(path))


def dump(store_dir: StorePath = None, fmt: str = "trig", output: BinaryIO | Path | None = None) -> None:
    """Write the whole store to a file or a binary stream (default: stdout) in ``fmt`` (see FORMATS).

    TriG and N-Quads keep the named graphs, triple formats write their merge.

    >>> import io, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = load(store_dir=Path(folder))
    ...     out = io.BytesIO()
    ...     dump(folder, "nquads", out)
    >>> b"<https://w3id.org/citynet/id/graph/gazetteer>" in out.getvalue()
    True
    """
    EmbeddedStore.open(to_store_dir(store_dir)).dump_to(output or sys.stdout.buffer, fmt)


def queries(
    root: Path | None = None, check: bool = False, store_dir: StorePath = None, endpoint: str | None = None
) -> list[Listed]:
    """The project's named queries; with ``check``, each run on its example parameters.

    >>> [listed.query.name for listed in queries()][:3]
    ['active-in', 'budgets', 'calls']
    """
    named = read_queries(find_project(root).queries_dir)
    if not check:
        return [Listed(query) for query in named.values()]
    results = check_queries(open_reader(store_dir, endpoint), named)
    return [Listed(named[name], rows, error) for name, rows, error in results]


def open_reader(
    store_dir: StorePath = None, endpoint: str | None = None, timeout: float | None = None
) -> Reader:
    """What reading commands read from: the endpoint if one is given, else the embedded store.

    Both answer ``.query(text, prefixes, substitutions)`` with pyoxigraph results. ``timeout``
    bounds each request to the endpoint (default: CITYNET_TIMEOUT, else 60 s).
    """
    if endpoint:
        return RemoteStore(endpoint) if timeout is None else RemoteStore(endpoint, timeout=timeout)
    return EmbeddedStore.open(to_store_dir(store_dir))


def query(
    name: str,
    params: dict[str, str] | None = None,
    store_dir: StorePath = None,
    queries_dir: Path | None = None,
    endpoint: str | None = None,
    *,
    root: Path | None = None,
    output: BinaryIO | None = None,
    fmt: str = "table",
    timeout: float | str | None = None,
) -> list[dict[str, Any]] | None:
    """Run a named query with parameters; return its rows as dicts, or write them to ``output``.

    ``output`` is a binary stream (``sys.stdout.buffer`` for the command): the results are written
    there in ``fmt`` as they are read, the engine's own serialisers at work, instead of being
    gathered in memory (but for a query whose header declares its rows' order, ``#+ order:``,
    which citynet sorts: :mod:`citynet.query.order`); then None is returned. ``timeout`` (seconds;
    default CITYNET_TIMEOUT) and CITYNET_MEMORY_LIMIT stop the query with :class:`StoppedError` (see
    :func:`citynet.query.running.answer_bounded`). The module's example runs ``partners``.
    """
    named = find_query(read_queries(queries_dir or find_project(root).queries_dir), name)
    check_query(named.text)  # a bound on depth and length, before the engine parses it
    reader = open_reader(store_dir, endpoint, read_seconds(str(timeout)) if timeout is not None else None)
    substitutions = bind_params(reader, named, params or {})
    where = f'query "{named.name}"'
    return answer_bounded(reader, named.text, substitutions, output, fmt, timeout, named.order, where)


def sparql(
    query_or_file: str,
    store_dir: StorePath = None,
    endpoint: str | None = None,
    *,
    output: BinaryIO | None = None,
    fmt: str = "table",
    timeout: float | str | None = None,
    allow_service: tuple[str, ...] = (),
) -> list[dict[str, Any]] | None:
    """Run any read-only SPARQL query, given as text or as a .rq/.sparql file; like :func:`query`.

    Updates are refused; a SERVICE clause may call only the hosts in ``allow_service``.
    The module's example counts the memberships.
    """
    text = read_query_text(query_or_file)
    check_query(text, allow_service=allow_service)
    reader = open_reader(store_dir, endpoint, read_seconds(str(timeout)) if timeout is not None else None)
    return answer_bounded(reader, text, None, output, fmt, timeout)


def find(
    text: str,
    kind: str | None = None,
    store_dir: StorePath = None,
    endpoint: str | None = None,
    limit: int = 50,
) -> list[Found]:
    """The entities whose names match ``text`` (any label, language or acronym, or their start; case and
    accents aside), best first: see :mod:`citynet.query.lookup`. The module's example finds Kraków."""
    return find_entities(open_reader(store_dir, endpoint), text, [kind] if kind else None, limit)


def push(
    store_dir: StorePath,
    endpoint: str,
    update_endpoint: str | None = None,
    graph_store: str | None = None,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> Pushed:
    """Upload the store's named graphs to a SPARQL server, each replaced atomically.

    ``progress(triples, total)`` is called after each batch with the triples it sent. Credentials
    come from the environment (see :class:`citynet.store.remote.Credentials`). The module's text
    shows a call.
    """
    embedded = EmbeddedStore.open(to_store_dir(store_dir))
    remote = RemoteStore(endpoint, update_endpoint, graph_store)
    total = embedded.count_quads()  # every quad is in a named graph, and each is pushed
    report = push_store(embedded, remote, batch, (lambda sent: progress(sent, total)) if progress else None)
    return Pushed(report.graphs, report.triples, remote.safe_endpoint)


def serve(
    store_dir: StorePath = None,
    host: str = "127.0.0.1",
    port: int = 7878,
    limits: Limits | None = None,
    ready: Callable[[Path, str, int], None] | None = None,
    base: str | None = None,
    render_html: Callable | None = None,
    root: Path | None = None,
) -> None:
    """Serve the store as a read-only SPARQL endpoint at /query; blocks until Ctrl-C or SIGTERM.

    ``ready(store folder, url, quads)`` is called once it listens. There is no writable mode: the
    store has one writer (``load``, ``enrich``), which keeps the merged default graph true; to
    query and update elsewhere, ``push`` the store to a SPARQL server. The module's text shows a call.

    Beside it, ``/id/…``, ``/vocab/…`` and ``/ontology`` dereference the IRIs under ``base``
    (default ``https://w3id.org/citynet/``; :mod:`citynet.store.deref`), their HTML written by
    ``render_html(description)`` (default: the page ``publish`` writes); ``/`` is a query page with
    the named queries of the project at ``root``.
    """
    path, limits = to_store_dir(store_dir), limits or Limits()
    named = read_queries(find_project(root).queries_dir)
    base, queries = base or BASE, tuple((q.name, q.summary, q.portable_text) for q in named.values())
    pages = Pages(base, render_html or functools.partial(render_served, base=base), queries)

    def started(url: str, quads: int) -> None:
        if ready is not None:
            ready(path, url, quads)

    serve_read_only(path, host, port, limits, started, pages.handlers)


def enrich_wikidata(
    store_dir: StorePath = None,
    endpoint: str = WIKIDATA,
    root: Path | None = None,
    progress: Callable[[int], None] | None = None,
    when: dt.datetime | None = None,
) -> Enrichment:
    """Link the store's cities to Wikidata; store and save the enrichment graph.

    The graph goes into the store (its triples into the merged default graph at once) and into the
    project's ``graph/enrichment/wikidata.nq``. The module's text shows a call.
    """
    project = find_writable_project(root)  # before any request: where the graph is saved
    path = to_store_dir(store_dir)
    cities = read_cities(EmbeddedStore.open(path))
    wikidata = RemoteStore(endpoint, credentials=Credentials())  # the public endpoint needs none
    matches = fetch_matches(wikidata, cities, progress=progress)
    enrichment = build_enrichment(cities, matches, endpoint, when or dt.datetime.now(dt.UTC))
    write_enrichment(path, project.graph_dir / ENRICHMENT / "wikidata.nq", enrichment)
    return enrichment


def build_network(
    graph: str = "city-city",
    filters: Filters | None = None,
    store_dir: StorePath = None,
    endpoint: str | None = None,
) -> nx.Graph:
    """A partnership graph (bipartite, city-city, network-network, country-country) as networkx.

    ``filters`` is a :class:`citynet.graphs.memberships.Filters`; see :mod:`citynet.graphs.network`.
    """
    return build_graph(open_reader(store_dir, endpoint), graph, filters)


def analyze(
    graph: str = "city-city",
    filters: Filters | None = None,
    store_dir: StorePath = None,
    endpoint: str | None = None,
    output: Path | None = None,
    sampling: Sampling | None = None,
) -> Metrics:
    """The metrics rows ``citynet analyze`` prints, ranked, and their ``.methods`` (exact or sampled
    betweenness); with ``output``, also written there as CSV. The module's example ranks the countries."""
    rows = compute_metrics(build_network(graph, filters, store_dir, endpoint), sampling)
    if output:
        write_metrics(rows, output)
    return rows


def export(
    graph: str,
    output: Path,
    fmt: str = "graphml",
    filters: Filters | None = None,
    store_dir: StorePath = None,
    endpoint: str | None = None,
) -> Exported:
    """Write a partnership graph as GraphML, GEXF, CSV (two files) or node-link JSON.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = load(store_dir=Path(folder) / "s")
    ...     written = export("country-country", Path(folder) / "c.json", "json", store_dir=Path(folder) / "s")
    ...     [path.name for path in written.paths], written.nodes > 0
    (['c.json'], True)
    """
    network = build_network(graph, filters, store_dir, endpoint)
    paths = write_graph(network, fmt, output)
    return Exported(paths, network.number_of_nodes(), network.number_of_edges())


def visualize(
    folder: Path = Path("site"),
    filters: Filters | None = None,
    store_dir: StorePath = None,
    endpoint: str | None = None,
    max_nodes: int = MAX_NODES,
    max_edges: int = MAX_EDGES,
) -> Site:
    """Write the browsable site ``citynet visualize`` writes (see :mod:`citynet.site.pages`); a page of
    more than ``max_edges`` edges draws its strongest (:mod:`citynet.site.trim`).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = load(store_dir=Path(folder) / "s")
    ...     site = visualize(Path(folder) / "site", Filters(programmes=("URBACT III",)), Path(folder) / "s")
    ...     len(site.pages) + 1, (Path(folder) / "site" / "index.html").is_file()
    (18, True)
    """
    return write_site(open_reader(store_dir, endpoint), folder, filters, max_nodes, max_edges)


def publish(
    folder: Path, release: dt.date | None = None, base: str = PUBLISH_BASE, store_dir: StorePath = None,
    endpoint: str | None = None, site_url: str | None = None, w3id_target: str = W3ID_TARGET,
) -> Published:  # fmt: skip
    """Write the linked-data site ``citynet publish`` writes (see :mod:`citynet.publish`); ``endpoint``
    is announced, never read. ``release`` defaults to today."""
    store, day = EmbeddedStore.open(to_store_dir(store_dir)).store, release or dt.date.today()
    return publish_release(store, folder, day, base, find_project(None), endpoint, site_url, w3id_target)
