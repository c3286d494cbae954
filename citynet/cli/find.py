"""The command that finds entities by name: find."""

from __future__ import annotations

import csv
import io
import json

import click

from citynet import api
from citynet.api import FIND_KINDS, escape_controls, format_table
from citynet.cli.common import main, reader_options, reports_errors

COLUMNS = ["id", "kind", "name", "country", "programme", "match", "label"]  # csv and json add the iri


def to_json(rows: list[dict[str, str]]) -> str:
    """Rows as JSON, every control character (a bidi override too) written as a ``\\u`` escape.

    >>> print(to_json([{"name": "Krak\\u00f3w\\u202e"}]))
    [{"name": "Kraków\\u202e"}]
    """
    text = json.dumps(rows, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if escape_controls(c) != c else c for c in text)


def to_csv(rows: list[dict[str, str]]) -> str:
    """Rows as CSV with a header, control characters shown as escapes.

    >>> print(to_csv([{"id": "city/1", "name": "a\\x1bb"}]), end="")
    id,name
    city/1,a\\x1bb
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else [*COLUMNS, "iri"], lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: escape_controls(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


@main.command()
@reader_options
@click.argument("text")
@click.option("--kind", type=click.Choice(list(FIND_KINDS)), help="Only entities of this kind.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="List at most this many."
)
@reports_errors
def find(store: str | None, endpoint: str | None, text: str, kind: str | None, fmt: str, limit: int) -> None:
    """Find networks, cities, organisations, countries and programmes by name.

    TEXT matches any label in any language, an acronym or a country code, or their start, or a
    word's start, or a part of them; case and accents aside (Kraków = krakow = KRAKOW). The best
    matches come first: a whole name, then a name's start, then a word's start, then a part. The
    id column is what `citynet query --param` takes.

    \b
    Example:
      citynet find "cities of change"
      citynet find krakow --kind city --format json
    """
    found = api.find(text, kind, store, endpoint, limit + 1)  # one more: whether the list was cut
    rows = [item.to_dict() for item in found[:limit]]
    if fmt == "json":
        click.echo(to_json(rows))
    elif fmt == "csv":
        click.echo(to_csv(rows), nl=False)
    else:
        shown = [{**row, "label": "" if row["label"] == row["name"] else row["label"]} for row in rows]
        click.echo(format_table(COLUMNS, shown))  # the label that matched, when it is not the name
    if len(found) > limit:
        click.echo(f"(more than {limit} matches: narrow with --kind or raise --limit)", err=True)
