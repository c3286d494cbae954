"""The commands that fill, write out, share and serve the store: load, dump, push, serve, enrich."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from citynet import api
from citynet.api import BATCH, FORMATS, WIKIDATA, Limits
from citynet.cli.common import (
    main,
    project_option,
    reports_errors,
    silence_stdout,
    store_option,
)
from citynet.errors import CitynetError


@main.command()
@store_option
@project_option
@reports_errors
def load(store: str | None, project: Path | None) -> None:
    """Load the fact files into the store (validated, atomic, idempotent).

    \b
    Example:
      citynet load --store /tmp/citynet
    """
    if sys.stderr.isatty():  # progress for people; scripts get only the result or one error line
        click.echo("Reading fact files, resolving places, validating…", err=True)
    summary = api.load(project, store)
    click.echo(
        f"Loaded {summary.store}: {summary.quads} quads, {summary.networks} networks, "
        f"{summary.cities} cities, {summary.organisations} organisations, "
        f"{summary.memberships} memberships, {summary.sources} sources"
    )


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="trig", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to a file instead of stdout.",
)
@reports_errors
def dump(store: str | None, fmt: str, output: Path | None) -> None:
    """Write the whole store out (TriG/N-Quads keep the named graphs).

    \b
    Example:
      citynet dump --format turtle -o citynet.ttl
    """
    try:
        api.dump(store, fmt, output or sys.stdout.buffer)
    except CitynetError:
        if output is None:  # stdout failed (a full disk): what is left unwritten goes nowhere
            silence_stdout()
        raise


@main.command()
@store_option
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    envvar="CITYNET_ENDPOINT",
    help="The server's SPARQL query endpoint [env CITYNET_ENDPOINT].",
)
@click.option(
    "--update-endpoint",
    metavar="URL",
    help="Its SPARQL Update endpoint [default: the query URL with /query -> /update].",
)
@click.option(
    "--graph-store",
    metavar="URL",
    help="Its Graph Store Protocol endpoint; without it, data goes by INSERT DATA.",
)
@click.option(
    "--batch", type=click.IntRange(1), default=BATCH, show_default=True, help="Triples per request."
)
@reports_errors
def push(
    store: str | None, endpoint: str, update_endpoint: str | None, graph_store: str | None, batch: int
) -> None:
    """Upload the store's named graphs to a SPARQL server, each replaced atomically.

    Credentials come from CITYNET_ENDPOINT_USER and CITYNET_ENDPOINT_PASSWORD (with
    CITYNET_ENDPOINT_AUTH=basic or digest) or CITYNET_ENDPOINT_TOKEN.

    \b
    Example:
      citynet push --endpoint http://localhost:7878/query --graph-store http://localhost:7878/store
    """
    if not sys.stderr.isatty():
        pushed = api.push(store, endpoint, update_endpoint, graph_store, batch)
    else:
        with ProgressBar("Pushing triples") as bar:
            pushed = api.push(store, endpoint, update_endpoint, graph_store, batch, bar.update)
    click.echo(f"Pushed {pushed.graphs} graphs, {pushed.triples} triples to {pushed.endpoint}")


class ProgressBar:
    """A progress bar on stderr that learns its length from the first report."""

    def __init__(self, label: str) -> None:
        self.label, self.bar = label, None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.render_finish()

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
        self.bar.update(done)


@main.command()
@store_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface)."
)
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option(
    "--timeout",
    type=click.IntRange(1),
    default=30,
    show_default=True,
    metavar="SECONDS",
    help="Per-query time limit; the query is stopped past it (503).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Queries run at once, each in a process of its own; a few more wait, the rest get 503.",
)
@click.option(
    "--max-result-bytes",
    type=click.IntRange(1),
    default=50_000_000,
    show_default=True,
    metavar="BYTES",
    help="Largest result sent; a larger one is an error (500).",
)
@click.option(
    "--memory-limit",
    type=click.IntRange(256),
    default=4096,
    show_default=True,
    metavar="MB",
    help="Address space of each query process; a query past it fails (500).",
)
@click.option(
    "--allow-service",
    multiple=True,
    metavar="HOST",
    help="Let queries call SERVICE <http(s)://HOST/...> (repeatable); by default no federated "
    "query leaves the server.",
)
@click.option(
    "--client-timeout",
    type=click.IntRange(1),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="An idle connection is closed after this long; at most 50 are open.",
)
@click.option(
    "--base",
    metavar="IRI",
    help="The base IRI the paths /id/..., /vocab/... and /ontology stand for "
    "[default: https://w3id.org/citynet/].",
)
@project_option
@reports_errors
def serve(
    store: str | None,
    host: str,
    port: int,
    timeout: int,
    workers: int,
    max_result_bytes: int,
    memory_limit: int,
    allow_service: tuple[str, ...],
    client_timeout: int,
    base: str | None,
    project: Path | None,
) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint at /query until Ctrl-C.

    Safe on a public host: no SERVICE call leaves it unless --allow-service names the host; every
    query has a time, result-size and memory limit; request bodies are limited to 1 MB, concurrent
    queries to --workers, connections to 50. A new `citynet load` is served without a restart.

    Its IRIs dereference: /id/city/3094802 redirects (303) by Accept to /id/city/3094802.ttl,
    .nt, .jsonld, .trig or .html; / is a SPARQL query page with the named queries.

    \b
    Example:
      citynet serve --port 7878
      curl -sI -H 'Accept: text/turtle' http://127.0.0.1:7878/id/city/3094802
      curl -H 'Accept: text/csv' --data-urlencode \\
           'query=SELECT ?s WHERE { ?s a <https://w3id.org/citynet/ontology#City> } LIMIT 3' \\
           http://127.0.0.1:7878/query
      citynet serve --host 0.0.0.0 --timeout 10 --workers 4 --allow-service query.wikidata.org
    """
    limits = Limits(
        workers=workers,
        timeout=timeout,
        max_result_bytes=max_result_bytes,
        memory=memory_limit << 20,
        client_timeout=client_timeout,
        allow_service=tuple(allow_service),
    )

    def ready(path: Path, url: str, quads: int) -> None:
        click.echo(f"Serving {path} (read-only, {quads} quads) at {url} - Ctrl-C stops")
        sys.stdout.flush()

    api.serve(store, host, port, limits, ready, base=base, root=project)


@main.group()
def enrich() -> None:
    """Add facts from outside sources to the store, each in a named graph of its own.

    \b
    Example:
      citynet enrich wikidata
    """


@enrich.command()
@store_option
@click.option(
    "--endpoint",
    metavar="URL",
    default=WIKIDATA,
    show_default=True,
    help="Wikidata's SPARQL endpoint, or a mirror.",
)
@project_option
@reports_errors
def wikidata(store: str | None, endpoint: str, project: Path | None) -> None:
    """Link each city to its Wikidata item by GeoNames ID; add population and website.

    Cities with no item or several items are listed, not linked. The graph is saved in
    graph/enrichment/wikidata.nq so that `citynet load` keeps it.

    \b
    Example:
      citynet enrich wikidata --endpoint https://query.wikidata.org/sparql
    """
    result = api.enrich_wikidata(store, endpoint, project)
    for problem in result.problems:
        click.echo(f"Warning: {problem}", err=True)
    click.echo(
        f"Linked {result.linked} cities to Wikidata; {len(result.problems)} not linked; "
        f"{len(result.quads)} quads in graph/wikidata"
    )
