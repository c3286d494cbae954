"""The commands that ask the store: queries, query, sparql."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from citynet import api
from citynet.cli.common import (
    main,
    project_option,
    reader_options,
    reports_errors,
)
from citynet.errors import QueryError
from citynet.project import find_project
from citynet.query.output import RESULT_FORMATS, write_results
from citynet.query.queries import (
    bind_params,
    check_queries,
    find_query,
    parse_params,
    read_queries,
    read_query_text,
    run_query,
)
from citynet.query.running import (
    INTERRUPTED,
    StoppedError,
    end_process,
    read_memory_limit,
    read_seconds,
    run_bounded,
)
from citynet.rdf.sparqlguard import check_query
from citynet.store.remote import RemoteStore


@main.command(name="queries")
@reader_options
@click.option("--check", is_flag=True,
              help="Run each query (with its example parameters) and report rows or the error.")
@project_option
@reports_errors
def list_queries(store: str | None, endpoint: str | None, check: bool, project: Path | None) -> None:
    """List the named queries with their summaries and parameters.

    With --check, run each one on the store or endpoint: a quick test of whether a SPARQL
    server supports the whole library. Exit code 1 if any query fails.

    \b
    Example:
      citynet queries
      citynet queries --check --endpoint http://localhost:7878/query
    """
    queries = read_queries(find_project(project).queries_dir)
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

    The work runs in a thread that nothing can stop (see citynet.query.running): once stopped, the
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
@project_option
@reports_errors
def query(store: str | None, endpoint: str | None, name: str, params: tuple[str, ...], fmt: str,
          timeout: str | None, project: Path | None) -> None:
    """Run the named query NAME (see `citynet queries`).

    \b
    Example:
      citynet query partners --param network=OP-ACT --format csv
    """
    named = find_query(read_queries(find_project(project).queries_dir), name)
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
