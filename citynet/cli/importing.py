"""The commands that turn tables into fact files: import keep-eu, import table."""

from __future__ import annotations

from pathlib import Path

import click

from citynet import api
from citynet.api import ImportReport
from citynet.cli.common import main, project_option, reports_errors

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def show(report: ImportReport) -> None:
    """One line per fact file written: what it holds, and how long its review list is."""
    types = ", ".join(f"{count} {kind}" for kind, count in report.org_types.items())
    click.echo(
        f"Wrote {report.fact_file}: {report.programmes} programmes, {report.networks} networks, "
        f"{report.calls} calls, {report.cities} cities, {report.organisations} organisations ({types}); "
        f"{report.resolved} members placed; {report.review} rows to review in {report.review_file}"
    )


@main.group(name="import")
def import_() -> None:
    """Turn tables into fact files under graph/imported/ (regenerated, never hand-edited).

    \b
    Example:
      citynet import keep-eu keep_closed_1420.xlsx
    """


@import_.command(name="keep-eu")
@click.argument("files", nargs=-1, required=True, type=FILE)
@project_option
@reports_errors
def keep_eu(files: tuple[Path, ...], project: Path | None) -> None:
    """Import keep.eu exports: the xlsx as downloaded, or its per-sheet CSV files together.

    Writes graph/imported/<id>.yaml per export and <id>.unresolved.csv, the places to review.

    \b
    Example:
      citynet import keep-eu keep_closed_1420.xlsx
    """
    for report in api.import_keep_eu(list(files), project):
        show(report)


@import_.command(name="table")
@click.argument("file", type=FILE)
@click.option("--mapping", "mapping", required=True, type=FILE, metavar="MAPPING.yaml",
              help="Which columns hold what (see docs/importing.md).")  # fmt: skip
@project_option
@reports_errors
def table(file: Path, mapping: Path, project: Path | None) -> None:
    """Import any partner table (CSV, TSV, xlsx, ods) as its mapping says.

    \b
    Example:
      citynet import table networks.csv --mapping networks.mapping.yaml
    """
    for report in api.import_table(file, mapping, project):
        show(report)
