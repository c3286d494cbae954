"""``citynet publish``: the graph as a static linked-data site."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from citynet import api
from citynet.cli.common import main, reports_errors, store_option


def parse_release(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """--release as a date (YYYY-MM-DD)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f'"{value}" is not a date YYYY-MM-DD') from None


@main.command()
@store_option
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to publish into: new, empty, or one citynet publish wrote (its releases are kept).",
)
@click.option("--release", callback=parse_release, metavar="YYYY-MM-DD", help="The release's date [today].")
@click.option(
    "--base",
    default=api.PUBLISH_BASE,
    show_default=True,
    help="The IRI the site covers: every IRI under it gets documents.",
)
@click.option("--sparql-endpoint", metavar="URL", help="A SPARQL endpoint serving this graph, to announce.")
@click.option("--site-url", metavar="URL", help="Where `citynet visualize`'s pages are, to link to.")
@click.option(
    "--w3id-target",
    metavar="URL",
    default=api.W3ID_TARGET,
    show_default=True,
    help="Where w3id.org/citynet/ redirects (the host serving this folder).",
)
@reports_errors
def publish(
    store: str | None,
    output: Path,
    release: dt.date | None,
    base: str,
    sparql_endpoint: str | None,
    site_url: str | None,
    w3id_target: str,
) -> None:
    """Publish the store as a static linked-data site: a document per IRI (HTML, Turtle,
    N-Triples, JSON-LD, TriG), dated dumps, VoID/DCAT-AP, the ontology, the named queries and the
    redirect rules for w3id.org and Apache.

    \b
    Example:
      citynet publish -o pub --release 2026-12-04
    """
    published = api.publish(output, release, base, store, sparql_endpoint, site_url, w3id_target)
    files = sum(published.files.values())
    parts = ", ".join(f"{count} {part}" for part, count in published.files.items())
    since = f"changes since {published.previous.isoformat()}" if published.previous else "the first release"
    day = published.release.isoformat()
    click.echo(f"Published release {day} to {output}: {files} files ({parts}), {since}")
