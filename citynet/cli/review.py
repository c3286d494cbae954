"""``citynet review [ID ...]`` (review pages) and ``citynet review accept ID`` (decisions applied)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from citynet import api
from citynet.cli.common import main, project_option, reports_errors, store_option


class IdsArgument(click.Argument):
    """The IDs of ``citynet review``, left out of the path its sub-command's usage line shows."""

    def get_usage_pieces(self, ctx: click.Context) -> list[str]:
        return []


class PagesOrAccept(click.Group):
    """A group that runs itself with its IDs unless the first word is one of its sub-commands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in self.commands:  # `review accept …`: the group's own IDs stay empty
            own, self.params = self.params, [p for p in self.params if not isinstance(p, click.Argument)]
            try:
                return super().parse_args(ctx, args)
            finally:
                self.params = own
        ctx.allow_interspersed_args = (
            True  # `review ID --store DIR`: options after the IDs, as commands take them
        )
        return click.Command.parse_args(self, ctx, args)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [self.options_metavar or "", "[ID]...", "|", "accept", "[OPTIONS]", "ID"]


@main.group(cls=PagesOrAccept, invoke_without_command=True, no_args_is_help=False)
@click.argument("ids", nargs=-1, metavar="[ID]...", cls=IdsArgument)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the pages [default: graph/proposed/].",
)
@store_option
@project_option
@click.pass_context
@reports_errors
def review(
    ctx: click.Context,
    ids: tuple[str, ...] = (),
    output: Path | None = None,
    store: str | None = None,
    project: Path | None = None,
) -> None:
    """Write a static review page per proposal of graph/proposed/ (or the IDs given).

    The page shows the source text with each fact's words highlighted beside the facts, each
    marked new, already in the graph (hidden until shown) or conflicting with a recorded fact;
    accept or reject facts or the whole source, then "Save decisions" downloads
    <ID>.decisions.json for `citynet review accept`. Needs a loaded store.

    \b
    Example:
      citynet review daugavpils-lv -o review/
      citynet review accept daugavpils-lv --decisions ~/Downloads/daugavpils-lv.decisions.json
    """
    if ctx.invoked_subcommand is not None:
        return
    for page in api.review(list(ids), output, store, project):
        click.echo(
            f"Wrote {page.path}: {page.new} new, {page.known} already in the graph, "
            f"{page.conflicting} conflicting"
        )


@review.command()
@click.argument("source_id", metavar="ID")
@click.option(
    "--decisions",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The decisions file [default: graph/proposed/ID.decisions.json if there, else every new fact "
    "accepted].",
)
@store_option
@project_option
@reports_errors
def accept(source_id: str, decisions: Path | None, store: str | None, project: Path | None) -> None:
    """Move a proposal's accepted facts, with their evidence, into graph/ID.yaml.

    Facts already in the graph are not written again; the proposal stays in place; a
    graph/ID.yaml not written by this command is never replaced. Run `citynet load` after.

    \b
    Example:
      citynet review accept daugavpils-lv --decisions daugavpils-lv.decisions.json
    """
    done: Any = api.review_accept(source_id, decisions, store, project)
    if done.path is None:
        click.echo(f"Nothing accepted from {source_id}: no file written ({done.known} already in the graph)")
        return
    click.echo(
        f"Wrote {done.path} and {done.text_path.name}: {done.written} facts accepted, "
        f"{done.known} already in the graph, {done.left} rejected or undecided"
    )
