"""The command that turns documents into proposed facts: extract (and extract --evaluate)."""

from __future__ import annotations

from pathlib import Path

import click

from citynet import api
from citynet.cli.common import main, project_option, reports_errors, store_option

INPUT = click.Path(path_type=Path)  # a missing file is read_document's one line, exit 1


@main.command()
@click.argument("paths", nargs=-1, type=INPUT, metavar="FILE_OR_DIR...")
@click.option("--url", help="The document's address, when the file does not say it.")
@click.option("--lang", default="auto", show_default=True, metavar="auto|LANG",
              help="The document's language, one of the EU's, ca or no (else identified).",
              type=click.Choice(["auto", *api.EXTRACT_LANGUAGES]))  # fmt: skip
@click.option("--source-id", help="The proposal's id (else made from the URL or the file name).")
@click.option("--evaluate", "evaluate", metavar="DIR",
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Score proposals against DIR/expected.yaml instead of writing them.")  # fmt: skip
@project_option
@store_option
@reports_errors
def extract(
    paths: tuple[Path, ...],
    url: str | None,
    lang: str,
    source_id: str | None,
    evaluate: Path | None,
    project: Path | None,
    store: str | None,
) -> None:
    """Propose facts from HTML, PDF and text documents, with the words behind each.

    Writes graph/proposed/<id>.yaml (a fact file with evidence on every fact) and <id>.txt (the
    text the evidence offsets point into). citynet load ignores graph/proposed/; review with
    citynet review. The loaded store's networks are recognised by their names first.

    \b
    Example:
      citynet extract ../shared/seeds/002_c00e98cb05310237.txt
      citynet extract page.html --url https://example.org/page --lang pl
      citynet extract --evaluate ../shared/extraction-dev
    """
    if evaluate is not None:
        if paths:
            raise click.UsageError("give either documents or --evaluate DIR")
        click.echo(api.format_evaluation(api.extract_evaluate(evaluate, project, store)), nl=False)
        return
    if not paths:
        raise click.UsageError("give a document or a folder of documents (or --evaluate DIR)")
    for proposed in api.extract(list(paths), url, lang, source_id, project, store):
        facts = proposed.facts
        members = sum(len(n.members) for n in facts.networks)
        leads = sum(m.role == "lead-partner" for n in facts.networks for m in n.members)
        click.echo(
            f"Proposed {proposed.path}: {len(facts.networks)} networks, {members} members "
            f"({leads} lead partners), language {proposed.document.language}"
        )
