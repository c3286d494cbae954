"""The ``citynet`` command. Each sub-command parses options, calls the library, prints."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from citynet import api
from citynet.errors import CitynetError, QueryError, StoreError
from citynet.export import FORMATS as GRAPH_FORMATS
from citynet.export import write_graph
from citynet.memberships import Filters
from citynet.metrics import COLUMNS, compute_metrics, round_floats, write_metrics
from citynet.network import GRAPHS, build_graph
from citynet.output import RESULT_FORMATS, escape_controls, format_table, write_results
from citynet.push import BATCH, push_store
from citynet.queries import (
    bind_params,
    check_queries,
    find_query,
    parse_params,
    read_queries,
    read_query_text,
    run_query,
)
from citynet.remote import RemoteStore
from citynet.running import (
    INTERRUPTED,
    StoppedError,
    end_process,
    read_memory_limit,
    read_seconds,
    run_bounded,
)
from citynet.serve import Limits, check_port, find_data_dir, open_endpoint, stop_on_signals, writable_command
from citynet.site import MAX_NODES
from citynet.sparqlguard import check_query
from citynet.store import FORMATS, EmbeddedStore, find_store_dir
from citynet.wikidata import WIKIDATA

store_option = click.option(
    "--store", "store", metavar="DIR", envvar="CITYNET_STORE",
    help="Store folder [env CITYNET_STORE; default .citynet/store].",
)
endpoint_option = click.option(
    "--endpoint", "endpoint", metavar="URL", envvar="CITYNET_ENDPOINT",
    help="Read from this SPARQL 1.1 endpoint instead of the store [env CITYNET_ENDPOINT].",
)


def reader_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--store DIR`` and ``--endpoint URL``: where a reading command reads from."""
    return store_option(endpoint_option(command))


def fail(message: str, code: int = 1) -> None:
    """Exit with ``code`` after one ``Error: …`` line on stderr; control characters (an escape
    sequence in a label, a newline) are shown as escapes, never sent to the terminal raw."""
    click.echo(f"Error: {escape_controls(message)[:2000]}", err=True)
    sys.exit(code)


def silence_stdout() -> None:
    """Point stdout at /dev/null, so that the exit's flush of a broken or full stdout is quiet."""
    with contextlib.suppress(OSError, ValueError):  # not a real file: a test runner's capture
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def describe_failure(exc: OSError, writing: bool) -> str:
    """One line for an OSError no library call turned into a CitynetError.

    >>> describe_failure(OSError(28, "No space left on device"), True)
    'cannot write the output: No space left on device'
    >>> describe_failure(PermissionError(13, "Permission denied", "/x"), False)
    'cannot use "/x": Permission denied'
    """
    reason = exc.strerror or str(exc) or type(exc).__name__
    if writing or exc.filename is None:
        return f"cannot {'write the output' if writing else 'read or write'}: {reason}"
    return f'cannot use "{exc.filename}": {reason}'


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every failure into one ``Error: …`` line on stderr, never a traceback.

    A CitynetError (a user's mistake) and an OSError exit 1, Ctrl-C 130 (``Error: interrupted``),
    a closed pipe (``citynet dump | head``) 1 quietly; anything else is a bug in citynet: one
    line ``Error: internal error (…) - please report`` and exit 2.
    """

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        writing = False
        try:
            result = command(*args, **kwargs)
            writing = True
            sys.stdout.flush()  # a full disk shows here, not at exit
            return result
        except CitynetError as exc:
            if isinstance(exc.__context__, BrokenPipeError):  # the reader left: nothing to say
                silence_stdout()
                sys.exit(1)
            fail(str(exc))
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except BrokenPipeError:
            silence_stdout()
            sys.exit(1)
        except (click.exceptions.Exit, click.Abort, click.ClickException):
            raise
        except OSError as exc:
            silence_stdout()
            fail(describe_failure(exc, writing or exc.errno in (28, 32)))
        except Exception as exc:  # the last resort: a bug, still one line and no traceback
            fail(f"internal error ({type(exc).__name__}: {exc}) - please report", 2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="citynet")
def main() -> None:
    """citynet: a knowledge graph of European cities and their cooperation networks.

    \b
    Example:
      citynet load && citynet query partners --param network=OP-ACT
    """


@main.command()
@store_option
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=api.ROOT,
              show_default=True, help="Project folder with graph/ and ontology/.")
@reports_errors
def load(store: str | None, root: Path) -> None:
    """Load the fact files into the store (validated, atomic, idempotent).

    \b
    Example:
      citynet load --store /tmp/citynet
    """
    if sys.stderr.isatty():  # progress for people; scripts get only the result or one error line
        click.echo("Reading fact files, resolving places, validating…", err=True)
    summary = api.load(root, find_store_dir(store))
    click.echo(f"Loaded {find_store_dir(store)}: {summary.quads} quads, {summary.networks} networks, "
               f"{summary.cities} cities, {summary.organisations} organisations, "
               f"{summary.memberships} memberships, {summary.sources} sources")


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="trig", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to a file instead of stdout.")
@reports_errors
def dump(store: str | None, fmt: str, output: Path | None) -> None:
    """Write the whole store out (TriG/N-Quads keep the named graphs).

    \b
    Example:
      citynet dump --format turtle -o citynet.ttl
    """
    embedded = EmbeddedStore.open(find_store_dir(store))
    try:
        embedded.dump_to(output or sys.stdout.buffer, fmt)
    except CitynetError:
        if output is None:  # stdout failed (a full disk): what is left unwritten goes nowhere
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise


@main.command(name="queries")
@reader_options
@click.option("--check", is_flag=True,
              help="Run each query (with its example parameters) and report rows or the error.")
@reports_errors
def list_queries(store: str | None, endpoint: str | None, check: bool) -> None:
    """List the named queries with their summaries and parameters.

    With --check, run each one on the store or endpoint: a quick test of whether a SPARQL
    server supports the whole library. Exit code 1 if any query fails.

    \b
    Example:
      citynet queries
      citynet queries --check --endpoint http://localhost:7878/query
    """
    queries = read_queries(api.ROOT / "queries")
    if check:
        results = check_queries(api.open_reader(store, endpoint), queries)
        for name, rows, error in results:
            plural = "" if rows == 1 else "s"
            click.echo(f"{name}: {rows} row{plural}" if error == "" else f"{name}: FAILED: {error}")
        if any(error for _, _, error in results):
            sys.exit(1)
        return
    for named in queries.values():
        click.echo(f"{named.name}: {named.summary}")
        for param in named.params:
            optional = "" if param.required else " (optional)"
            click.echo(f"    --param {param.name}=<{param.kind}>{optional}  {param.doc}")


format_option = click.option("--format", "fmt", type=click.Choice(["table", *RESULT_FORMATS]),
                             default="table", show_default=True, help="Output format.")
timeout_option = click.option(
    "--timeout", metavar="SECONDS",
    help="Stop the query after this many seconds [env CITYNET_TIMEOUT; default: none on the store, "
         "60 s per request to an endpoint].")


def run_stoppable(work: Callable[[], None], timeout: str | None, reader: api.Reader) -> None:
    """Run a query's work where Ctrl-C, the time limit and the memory cap stop it at once.

    The work runs in a thread that nothing can stop (see citynet.running): once stopped, the
    process ends by ``os._exit`` right after its one error line. An endpoint's requests each
    have the time limit as their deadline, which names the endpoint; the clock here is a backstop.
    """
    name = "--timeout" if timeout is not None else "CITYNET_TIMEOUT"
    seconds = read_seconds(timeout if timeout is not None else os.environ.get("CITYNET_TIMEOUT"), name)
    if isinstance(reader, RemoteStore) and seconds is not None:
        seconds = seconds + 1 if timeout is not None else None
    try:
        run_bounded(work, seconds, read_memory_limit(os.environ), name)
    except StoppedError as exc:
        click.echo(f"Error: {exc}", err=True)
        end_process(1)
    except KeyboardInterrupt:
        click.echo("Error: interrupted", err=True)
        end_process(INTERRUPTED)


def answer(reader: api.Reader, text: str, fmt: str, substitutions: dict | None = None) -> None:
    """Evaluate and write the results; the engine's own failures (a SERVICE that cannot be
    reached or read) are OSErrors without an errno, unlike those of writing stdout."""
    try:
        write_results(run_query(reader, text, substitutions), fmt, sys.stdout.buffer)
    except OSError as exc:
        if exc.errno is not None:
            raise
        raise QueryError(f"the query failed: {str(exc).splitlines()[0] if str(exc) else exc}") from None


@main.command()
@reader_options
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter; repeat for several.")
@format_option
@timeout_option
@reports_errors
def query(store: str | None, endpoint: str | None, name: str, params: tuple[str, ...], fmt: str,
          timeout: str | None) -> None:
    """Run the named query NAME (see `citynet queries`).

    \b
    Example:
      citynet query partners --param network=OP-ACT --format csv
    """
    named = find_query(read_queries(api.ROOT / "queries"), name)
    check_query(named.text)
    given = parse_params(list(params))
    reader = api.open_reader(store, endpoint, read_seconds(timeout))

    def work() -> None:
        answer(reader, named.text, fmt, bind_params(reader, named, given))

    run_stoppable(work, timeout, reader)


@main.command()
@reader_options
@click.argument("query_or_file")
@format_option
@timeout_option
@click.option("--allow-service", "allowed", multiple=True, metavar="HOST",
              help="Let a SERVICE clause call this host (repeatable); without it, SERVICE is refused.")
@reports_errors
def sparql(store: str | None, endpoint: str | None, query_or_file: str, fmt: str, timeout: str | None,
           allowed: tuple[str, ...]) -> None:
    """Run any SPARQL query, given as text or as a .rq/.sparql file (read-only).

    Updates are refused before anything is sent. A SERVICE clause may call only a host given
    with --allow-service. Ctrl-C or --timeout stops a query, and so does its needing more
    than CITYNET_MEMORY_LIMIT megabytes (default: 4096, or half the machine's memory if less).

    \b
    Example:
      citynet sparql 'SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a cn:Membership }'
      citynet sparql federated.rq --allow-service query.wikidata.org --timeout 30
    """
    text = read_query_text(query_or_file)
    check_query(text, allow_service=allowed)
    reader = api.open_reader(store, endpoint, read_seconds(timeout))
    run_stoppable(lambda: answer(reader, text, fmt), timeout, reader)


@main.command()
@store_option
@click.option("--endpoint", required=True, metavar="URL", envvar="CITYNET_ENDPOINT",
              help="The server's SPARQL query endpoint [env CITYNET_ENDPOINT].")
@click.option("--update-endpoint", metavar="URL",
              help="Its SPARQL Update endpoint [default: the query URL with /query -> /update].")
@click.option("--graph-store", metavar="URL",
              help="Its Graph Store Protocol endpoint; without it, data goes by INSERT DATA.")
@click.option("--batch", type=click.IntRange(1), default=BATCH, show_default=True,
              help="Triples per request.")
@reports_errors
def push(store: str | None, endpoint: str, update_endpoint: str | None, graph_store: str | None,
         batch: int) -> None:
    """Upload the store's named graphs to a SPARQL server, each replaced atomically.

    Credentials come from CITYNET_ENDPOINT_USER and CITYNET_ENDPOINT_PASSWORD (with
    CITYNET_ENDPOINT_AUTH=basic or digest) or CITYNET_ENDPOINT_TOKEN.

    \b
    Example:
      citynet push --endpoint http://localhost:7878/query --graph-store http://localhost:7878/store
    """
    embedded = EmbeddedStore.open(find_store_dir(store))
    remote = RemoteStore(endpoint, update_endpoint, graph_store)
    if sys.stderr.isatty():
        total = embedded.count_quads()  # every quad is in a named graph, and each is pushed
        with click.progressbar(length=total, label="Pushing triples", file=sys.stderr) as bar:
            report = push_store(embedded, remote, batch, bar.update)
    else:
        report = push_store(embedded, remote, batch)
    click.echo(f"Pushed {report.graphs} graphs, {report.triples} triples to {remote.safe_endpoint}")


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option("--read-only/--writable", default=True, show_default=True,
              help="--writable runs Oxigraph's server, which also accepts SPARQL Update and Graph Store "
                   "writes and has none of the limits below: for trusted networks only.")
@click.option("--timeout", type=click.IntRange(1), default=30, show_default=True, metavar="SECONDS",
              help="Per-query time limit; the query is stopped past it (503).")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries run at once, each in a process of its own; a few more wait, the rest get 503.")
@click.option("--max-result-bytes", type=click.IntRange(1), default=50_000_000, show_default=True,
              metavar="BYTES", help="Largest result sent; a larger one is an error (500).")
@click.option("--memory-limit", type=click.IntRange(256), default=4096, show_default=True, metavar="MB",
              help="Address space of each query process; a query past it fails (500).")
@click.option("--allow-service", multiple=True, metavar="HOST",
              help="Let queries call SERVICE <http(s)://HOST/...> (repeatable); by default no federated "
                   "query leaves the server.")
@click.option("--client-timeout", type=click.IntRange(1), default=60, show_default=True, metavar="SECONDS",
              help="An idle connection is closed after this long; at most 50 are open.")
@reports_errors
def serve(store: str | None, host: str, port: int, read_only: bool, timeout: int, workers: int,
          max_result_bytes: int, memory_limit: int, allow_service: tuple[str, ...],
          client_timeout: int) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint at /query until Ctrl-C.

    Safe on a public host: no SERVICE call leaves it unless --allow-service names the host; every
    query has a time, result-size and memory limit; request bodies are limited to 1 MB, concurrent
    queries to --workers, connections to 50. A new `citynet load` is served without a restart.

    \b
    Example:
      citynet serve --port 7878
      curl -H 'Accept: text/csv' --data-urlencode \\
           'query=SELECT ?s WHERE { ?s a <https://w3id.org/citynet/ontology#City> } LIMIT 3' \\
           http://127.0.0.1:7878/query
      citynet serve --host 0.0.0.0 --timeout 10 --workers 4 --allow-service query.wikidata.org
      citynet serve --writable   # Oxigraph's server, SPARQL Update too: trusted networks only
    """
    store_dir = find_store_dir(store)
    if not read_only:
        serve_writable(store_dir, host, port, timeout)
        return
    limits = Limits(workers=workers, timeout=timeout, max_result_bytes=max_result_bytes,
                    memory=memory_limit << 20, client_timeout=client_timeout,
                    allow_service=tuple(allow_service))
    endpoint = open_endpoint(store_dir, host, port, limits)
    click.echo(f"Serving {store_dir} (read-only, {endpoint.quads} quads) at {endpoint.url} - Ctrl-C stops")
    sys.stdout.flush()
    try:
        stopped = endpoint.run()
    finally:
        endpoint.close()
    if not stopped:
        raise StoreError("the server stopped on its own")


def serve_writable(store_dir: Path, host: str, port: int, timeout: int) -> None:
    """Run Oxigraph's writable server on the store until Ctrl-C."""
    command = writable_command(find_data_dir(store_dir), host, port, timeout)
    check_port(host, port)
    click.echo(f"Serving {store_dir} (writable) at http://{host}:{port}/query - Ctrl-C stops")
    sys.stdout.flush()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    stop_on_signals()
    try:
        code = server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return
    if code:
        raise StoreError(f"the Oxigraph server stopped with exit code {code}")


@main.group()
def enrich() -> None:
    """Add facts from outside sources to the store, each in a named graph of its own.

    \b
    Example:
      citynet enrich wikidata
    """


@enrich.command()
@store_option
@click.option("--endpoint", metavar="URL", default=WIKIDATA, show_default=True,
              help="Wikidata's SPARQL endpoint, or a mirror.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=api.ROOT,
              show_default=True, help="Project folder: the graph is saved in graph/enrichment/.")
@reports_errors
def wikidata(store: str | None, endpoint: str, root: Path) -> None:
    """Link each city to its Wikidata item by GeoNames ID; add population and website.

    Cities with no item or several items are listed, not linked. The graph is saved in
    graph/enrichment/wikidata.nq so that `citynet load` keeps it.

    \b
    Example:
      citynet enrich wikidata --endpoint https://query.wikidata.org/sparql
    """
    result = api.enrich_wikidata(store, endpoint, root)
    for problem in result.problems:
        click.echo(f"Warning: {problem}", err=True)
    click.echo(f"Linked {result.linked} cities to Wikidata; {len(result.problems)} not linked; "
               f"{len(result.quads)} quads in graph/wikidata")
def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filters of the network graphs: programme, type, country, role, year, minimum weight."""
    options = [
        click.option("--programme", "programmes", multiple=True, metavar="NAME",
                     help="Only networks of this programme (name, IRI or local name); repeatable."),
        click.option("--type", "types", multiple=True, metavar="TYPE",
                     help='Only networks of this type, e.g. "transfer network"; repeatable.'),
        click.option("--country", "countries", multiple=True, metavar="CODE",
                     help="Only members in this country (ISO code, name or IRI); repeatable."),
        click.option("--role", "roles", multiple=True, metavar="ROLE",
                     help='Only memberships in this role, e.g. "lead partner"; repeatable.'),
        click.option("--year", "years", metavar="YYYY[-YYYY]",
                     help="Only networks active in this year or range of years."),
        click.option("--min-weight", type=click.IntRange(min=1), default=1, show_default=True,
                     help="Drop projected edges of lower weight (shared networks or members)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def to_filters(programmes: tuple[str, ...], types: tuple[str, ...], countries: tuple[str, ...],
               roles: tuple[str, ...], years: str | None, min_weight: int) -> Filters:
    return Filters(programmes, types, countries, roles, years, min_weight)


TABLE_HEADERS = {"weighted_degree": "weighted", "partner_countries": "countries",
                 "partner_programmes": "programmes"}


@main.command()
@reader_options
@click.argument("graph_name", metavar="[GRAPH]", type=click.Choice(list(GRAPHS)), default="city-city")
@filter_options
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many nodes the table shows.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every node's metrics to this CSV file.")
@reports_errors
def analyze(store: str | None, endpoint: str | None, graph_name: str, top: int, output: Path | None,
            **filters: Any) -> None:
    """Rank the nodes of a partnership graph: degree, centralities, communities, brokers.

    GRAPH is bipartite, city-city (the default), network-network or country-country.

    \b
    Example:
      citynet analyze city-city --programme "URBACT III" --top 10 -o metrics.csv
    """
    graph = build_graph(api.open_reader(store, endpoint), graph_name, to_filters(**filters))
    rows = compute_metrics(graph)
    if output:
        write_metrics(rows, output)
    shown = [{TABLE_HEADERS.get(k, k): v for k, v in round_floats(row).items()} for row in rows[:top]]
    click.echo(format_table([TABLE_HEADERS.get(c, c) for c in COLUMNS], shown))
    if len(rows) > top:
        click.echo(f"(top {top} of {len(rows)} nodes: --top N for more, -o FILE for all)")


@main.command(name="export")
@reader_options
@click.argument("graph_name", metavar="GRAPH", type=click.Choice(list(GRAPHS)))
@filter_options
@click.option("--format", "fmt", type=click.Choice(GRAPH_FORMATS), default="graphml", show_default=True,
              help="graphml and gexf open in Gephi; csv writes PATH's .nodes.csv and .edges.csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write.")
@reports_errors
def export_graph(store: str | None, endpoint: str | None, graph_name: str, fmt: str, output: Path,
                 **filters: Any) -> None:
    """Write a partnership graph as GraphML, GEXF, CSV or node-link JSON.

    GRAPH is bipartite, city-city, network-network or country-country.

    \b
    Example:
      citynet export city-city --format gexf -o city-city.gexf
    """
    graph = build_graph(api.open_reader(store, endpoint), graph_name, to_filters(**filters))
    paths = write_graph(graph, fmt, output)
    click.echo(f"Wrote the {graph_name} graph ({graph.number_of_nodes()} nodes, "
               f"{graph.number_of_edges()} edges) to {', '.join(str(p) for p in paths)}")


@main.command()
@reader_options
@filter_options
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Folder to write the site into.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=MAX_NODES, show_default=True,
              help="Leave out (with a warning) any page with more nodes than this.")
@reports_errors
def visualize(store: str | None, endpoint: str | None, output: Path, max_nodes: int, **filters: Any) -> None:
    """Write the partnership graphs as a small site of interactive pages that work offline.

    index.html lists the views: the member-network graph, the city-city graph, a map, and one
    page per network and per city, with legend, search, filters and tooltips.

    \b
    Example:
      citynet visualize -o site && xdg-open site/index.html
      citynet visualize --programme "URBACT III" -o site-urbact-iii
    """
    site = api.visualize(output, to_filters(**filters), store, endpoint, max_nodes)
    for line in site.skipped:
        click.echo(f"Warning: page left out: {line}", err=True)
    click.echo(f"Wrote {len(site.pages) + 1} pages ({site.count('networks')} networks, "
               f"{site.count('cities')} cities) to {output}")
    click.echo(f"Open {output / 'index.html'}")
