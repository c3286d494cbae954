"""The commands that build partnership graphs from the store: analyze, export, visualize."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from citynet import api
from citynet.api import (
    COLUMNS,
    GRAPH_FORMATS,
    GRAPHS,
    MAX_EDGES,
    MAX_NODES,
    Filters,
    Sampling,
    format_table,
    round_floats,
)
from citynet.cli.common import (
    main,
    reader_options,
    reports_errors,
)


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filters of the network graphs: programme, type, country, role, year, minimum weight, member
    kind, organisations counted as their cities."""
    options = [
        click.option(
            "--programme",
            "programmes",
            multiple=True,
            metavar="NAME",
            help="Only networks of this programme (name, IRI or local name); repeatable.",
        ),
        click.option(
            "--type",
            "types",
            multiple=True,
            metavar="TYPE",
            help='Only networks of this type, e.g. "transfer network"; repeatable.',
        ),
        click.option(
            "--country",
            "countries",
            multiple=True,
            metavar="CODE",
            help="Only members in this country (ISO code, name or IRI); repeatable.",
        ),
        click.option(
            "--role",
            "roles",
            multiple=True,
            metavar="ROLE",
            help='Only memberships in this role, e.g. "lead partner"; repeatable.',
        ),
        click.option(
            "--year",
            "years",
            metavar="YYYY[-YYYY]",
            help="Only networks active in this year or range of years.",
        ),
        click.option(
            "--min-weight",
            type=click.IntRange(min=1),
            default=1,
            show_default=True,
            help="Drop projected edges of lower weight (shared networks or members).",
        ),
        click.option(
            "--kind",
            type=click.Choice(["city", "organisation"]),
            help="Only members of this kind; city-city then links organisations sharing a network "
            "(default: every member, and city-city links cities).",
        ),
        click.option(
            "--located",
            "include_located",
            is_flag=True,
            help="Count an organisation located in a city as that city (the edge names it in 'via'); "
            "an organisation whose place is unresolved stays one. Not with --kind organisation.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def to_filters(
    programmes: tuple[str, ...],
    types: tuple[str, ...],
    countries: tuple[str, ...],
    roles: tuple[str, ...],
    years: str | None,
    min_weight: int,
    kind: str | None = None,
    include_located: bool = False,
) -> Filters:
    return Filters(programmes, types, countries, roles, years, min_weight, kind, include_located)


def sampling_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """When ``analyze`` estimates betweenness: above how many nodes, from how many, which seed; or never."""
    defaults = Sampling()
    options = [
        click.option(
            "--sample-above",
            type=click.IntRange(min=0),
            default=defaults.above,
            show_default=True,
            metavar="NODES",
            help="Estimate betweenness on graphs of more nodes than this (exact takes nodes x edges).",
        ),
        click.option(
            "--sample",
            "k",
            type=click.IntRange(min=2),
            default=defaults.k,
            show_default=True,
            metavar="K",
            help="How many source nodes the estimate searches.",
        ),
        click.option(
            "--sample-seed",
            "seed",
            type=int,
            default=defaults.seed,
            show_default=True,
            help="Seed drawing the sample: the same seed gives the same numbers.",
        ),
        click.option("--exact", is_flag=True, help="Exact betweenness at any size (slow on large graphs)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


TABLE_HEADERS = {
    "weighted_degree": "weighted",
    "partner_countries": "countries",
    "partner_programmes": "programmes",
}


@main.command()
@reader_options
@click.argument("graph_name", metavar="[GRAPH]", type=click.Choice(list(GRAPHS)), default="city-city")
@filter_options
@click.option(
    "--top", type=click.IntRange(min=1), default=20, show_default=True, help="How many nodes the table shows."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every node's metrics to this CSV file.",
)
@sampling_options
@reports_errors
def analyze(
    store: str | None,
    endpoint: str | None,
    graph_name: str,
    top: int,
    output: Path | None,
    sample_above: int,
    k: int,
    seed: int,
    exact: bool,
    **filters: Any,
) -> None:
    """Rank the nodes of a partnership graph: degree, centralities, communities, brokers.

    GRAPH is bipartite, city-city (the default), network-network or country-country. Above
    --sample-above nodes betweenness is estimated from a sample of them, and a line on stderr
    says so.

    \b
    Example:
      citynet analyze city-city --programme "URBACT III" --top 10 -o metrics.csv
      citynet analyze bipartite --sample-above 5000 --sample 1000
    """
    sampling = Sampling(sample_above, k, seed, exact)
    rows = api.analyze(graph_name, to_filters(**filters), store, endpoint, output, sampling)
    for line in rows.list_estimated():
        click.echo(f"{line} (an estimate; --exact for exact values)", err=True)
    shown = [{TABLE_HEADERS.get(k, k): v for k, v in round_floats(row).items()} for row in rows[:top]]
    click.echo(format_table([TABLE_HEADERS.get(c, c) for c in COLUMNS], shown))
    if len(rows) > top:
        click.echo(f"(top {top} of {len(rows)} nodes: --top N for more, -o FILE for all)")


@main.command(name="export")
@reader_options
@click.argument("graph_name", metavar="GRAPH", type=click.Choice(list(GRAPHS)))
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(GRAPH_FORMATS),
    default="graphml",
    show_default=True,
    help="graphml and gexf open in Gephi; csv writes PATH's .nodes.csv and .edges.csv.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Where to write."
)
@reports_errors
def export(
    store: str | None, endpoint: str | None, graph_name: str, fmt: str, output: Path, **filters: Any
) -> None:
    """Write a partnership graph as GraphML, GEXF, CSV or node-link JSON.

    GRAPH is bipartite, city-city, network-network or country-country.

    \b
    Example:
      citynet export city-city --format gexf -o city-city.gexf
    """
    written = api.export(graph_name, output, fmt, to_filters(**filters), store, endpoint)
    click.echo(
        f"Wrote the {graph_name} graph ({written.nodes} nodes, "
        f"{written.edges} edges) to {', '.join(str(p) for p in written.paths)}"
    )


@main.command()
@reader_options
@filter_options
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder to write the site into.",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=MAX_NODES,
    show_default=True,
    help="Leave out (with a warning) any page with more nodes than this; graph.html is then "
    "aggregated by country instead.",
)
@click.option(
    "--max-edges",
    type=click.IntRange(min=1),
    default=MAX_EDGES,
    show_default=True,
    help="A page with more edges than this draws all its nodes but only this many of its strongest "
    "edges (most shared networks), and says so; citynet export writes the whole graph.",
)
@reports_errors
def visualize(
    store: str | None, endpoint: str | None, output: Path, max_nodes: int, max_edges: int, **filters: Any
) -> None:
    """Write the partnership graphs as a small site of interactive pages that work offline.

    index.html lists the views: the member-network graph, the city-city graph, a map, and one
    page per network and per city, with legend, search, filters and tooltips.

    \b
    Example:
      citynet visualize -o site && xdg-open site/index.html
      citynet visualize --programme "URBACT III" -o site-urbact-iii
    """
    site = api.visualize(output, to_filters(**filters), store, endpoint, max_nodes, max_edges)
    for line in site.skipped:
        click.echo(f"Warning: page left out: {line}", err=True)
    organisations = f", {site.count('organisations')} organisations" if site.count("organisations") else ""
    click.echo(
        f"Wrote {len(site.pages) + 1} pages ({site.count('networks')} networks, "
        f"{site.count('cities')} cities{organisations}) to {output}"
    )
    for path, trim in site.trimmed.items():
        click.echo(f"{path} draws the {trim.drawn:,} strongest of its {trim.total:,} edges (--max-edges)")
    click.echo(f"Open {output / 'index.html'}")
