"""The commands that ask the store: queries, query, sparql."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from citynet import api
from citynet.api import INTERRUPTED, RESULT_FORMATS, StoppedError, parse_params
from citynet.cli.common import (
    main,
    project_option,
    reader_options,
    reports_errors,
)


@main.command(name="queries")
@reader_options
@click.option(
    "--check", is_flag=True, help="Run each query (with its example parameters) and report rows or the error."
)
@project_option
@reports_errors
def queries(store: str | None, endpoint: str | None, check: bool, project: Path | None) -> None:
    """List the named queries with their summaries and parameters.

    With --check, run each one on the store or endpoint: a quick test of whether a SPARQL
    server supports the whole library. Exit code 1 if any query fails.

    \b
    Example:
      citynet queries
      citynet queries --check --endpoint http://localhost:7878/query
    """
    listed = api.queries(project, check, store, endpoint)
    if check:
        for item in listed:
            plural = "" if item.rows == 1 else "s"
            click.echo(
                f"{item.query.name}: {item.rows} row{plural}"
                if item.error == ""
                else f"{item.query.name}: FAILED: {item.error}"
            )
        if any(item.error for item in listed):
            sys.exit(1)
        return
    for item in listed:
        click.echo(f"{item.query.name}: {item.query.summary}")
        for param in item.query.params:
            optional = "" if param.required else " (optional)"
            click.echo(f"    --param {param.name}=<{param.kind}>{optional}  {param.doc}")


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", *RESULT_FORMATS]),
    default="table",
    show_default=True,
    help="Output format.",
)
timeout_option = click.option(
    "--timeout",
    metavar="SECONDS",
    help="Stop the query after this many seconds [env CITYNET_TIMEOUT; default: none on the store, "
    "60 s per request to an endpoint].",
)


def end_process(code: int) -> None:
    """End the process now, after a stopped query (see :func:`citynet.api.end_process`)."""
    api.end_process(code)


def run_stoppable(work: Callable[[], object]) -> None:
    """Run a query's work; when the time limit, the memory cap or Ctrl-C stopped it, print one error
    line and end the process at once, since the evaluation still runs in its thread."""
    try:
        work()
    except StoppedError as exc:
        click.echo(f"Error: {exc}", err=True)
        end_process(1)
    except KeyboardInterrupt:
        click.echo("Error: interrupted", err=True)
        end_process(INTERRUPTED)


@main.command()
@reader_options
@click.argument("name")
@click.option(
    "--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A parameter; repeat for several."
)
@format_option
@timeout_option
@project_option
@reports_errors
def query(
    store: str | None,
    endpoint: str | None,
    name: str,
    params: tuple[str, ...],
    fmt: str,
    timeout: str | None,
    project: Path | None,
) -> None:
    """Run the named query NAME (see `citynet queries`).

    \b
    Example:
      citynet query partners --param network=OP-ACT --format csv
    """
    given = parse_params(list(params))
    run_stoppable(
        lambda: api.query(
            name,
            given,
            store,
            endpoint=endpoint,
            root=project,
            output=sys.stdout.buffer,
            fmt=fmt,
            timeout=timeout,
        )
    )


@main.command()
@reader_options
@click.argument("query_or_file")
@format_option
@timeout_option
@click.option(
    "--allow-service",
    "allowed",
    multiple=True,
    metavar="HOST",
    help="Let a SERVICE clause call this host (repeatable); without it, SERVICE is refused.",
)
@reports_errors
def sparql(
    store: str | None,
    endpoint: str | None,
    query_or_file: str,
    fmt: str,
    timeout: str | None,
    allowed: tuple[str, ...],
) -> None:
    """Run any SPARQL query, given as text or as a .rq/.sparql file (read-only).

    Updates are refused before anything is sent. A SERVICE clause may call only a host given
    with --allow-service. Ctrl-C or --timeout stops a query, and so does its needing more
    than CITYNET_MEMORY_LIMIT megabytes (default: 4096, or half the machine's memory if less).

    \b
    Example:
      citynet sparql 'SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a cn:Membership }'
      citynet sparql federated.rq --allow-service query.wikidata.org --timeout 30
    """
    run_stoppable(
        lambda: api.sparql(
            query_or_file,
            store,
            endpoint,
            output=sys.stdout.buffer,
            fmt=fmt,
            timeout=timeout,
            allow_service=allowed,
        )
    )
