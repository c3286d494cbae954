"""The browsable site of ``citynet visualize``: offline pages drawn with vis-network (pyvis's copy).

Pages: ``index.html`` (the views with their counts, the networks, cities and organisations),
``graph.html`` (the member-network graph), ``city-city.html`` (co-partnerships), ``map.html`` (the
city-city graph at the cities' coordinates over Europe's countries, with country-to-country flows:
:mod:`citynet.site.geomap`), ``networks/<id>.html`` (a network and its members, its organisation
members listed with their type), ``cities/<id>.html`` (a city, its networks and their
members, the organisations located in it) and ``organisations/<id>.html`` (an organisation: type,
country, the city it is located in, its networks and their members); what a page says beside its
graph: :mod:`citynet.site.about`. Scripts and styles are written into ``lib/`` beside the pages
from the installed pyvis package, so nothing is fetched from a CDN (pyvis's own template loads
bootstrap and, with ``cdn_resources="local"``, vis-network from CDNs: pyvis issues #228, #229).
Text from sources reaches the pages only HTML-escaped (Jinja autoescape) or as JSON that the page's
script inserts as text.

>>> slug("https://w3id.org/citynet/id/network/op-act"), slug("https://x.org/city/<b>")
('op-act', '-b-')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from citynet.errors import SiteError
from citynet.folders import SITE_MARKER, replace_folder
from citynet.graphs.memberships import Facts, Filters, read_facts, select
from citynet.graphs.network import assemble_bipartite, project
from citynet.rdf.sparqlfiles import read_sparql
from citynet.site.about import (
    Section,
    describe_city,
    describe_network,
    describe_organisation,
    list_located,
    list_organisations,
)
from citynet.site.aggregate import AGGREGATED, write_aggregate
from citynet.site.geomap import MapLayers, mark_leads, plan_map
from citynet.site.layout import LAYOUT_NODES, layout_force, layout_geographic, place_unlocated
from citynet.site.links import add_links, read_links
from citynet.site.search import write_search_index
from citynet.site.style import encode_json, find_leads, list_legend, name_country, to_vis_data
from citynet.site.timeline import add_periods, draw_timeline, stamp_periods
from citynet.site.trim import MAX_EDGES, Trim, trim_edges
from citynet.site.views import list_views

MAX_NODES = 5000
VIS = ("vis-9.1.2/vis-network.min.js", "vis-9.1.2/vis-network.css")
OWN = ("citynet.js", "citynet.css", "keyboard.js", "citynet-time.js", "search.js")

SOURCES = read_sparql("citynet.site", "member-sources")


@dataclass
class Page:
    """One page to write: where, its title, the graph it draws and how it is laid out."""

    path: str
    title: str
    what: str
    graph: nx.Graph
    positions: dict[str, tuple[float, float]] | None = None
    layers: MapLayers | None = None  # a map's countries and flows
    focus: str | None = None
    about: list[Section] = field(default_factory=list)
    trim: Trim | None = None  # what it left out above --max-edges


@dataclass
class Site:
    """What ``write_site`` wrote: the folder, the pages (path, nodes, edges drawn), the pages left out
    and the pages drawing only their strongest edges (``trimmed``: path -> what they left out)."""

    folder: Path
    pages: list[tuple[str, int, int]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    aggregated: bool = False  # graph.html shows the graph by country (above --max-nodes)
    trimmed: dict[str, Trim] = field(default_factory=dict)

    def count(self, folder: str) -> int:
        """How many pages were written under ``folder/``."""
        return sum(1 for path, _, _ in self.pages if path.startswith(f"{folder}/"))


def slug(iri: str) -> str:
    """A file name for a node: the IRI's last segment, anything but letters, digits, ``-``, ``_`` as ``-``."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", iri.rstrip("/").rsplit("/", 1)[-1]) or "node"


def read_source_titles(reader: Any) -> dict[tuple[str, str], list[str]]:
    """The titles of the sources stating each membership, by (member, network)."""
    titles: dict[tuple[str, str], set[str]] = {}
    for row in select(reader, SOURCES):
        name = row["title"] or row["source"]
        titles.setdefault((row["member"], row["network"]), set()).add(str(name))
    return {key: sorted(values) for key, values in titles.items()}


def build_graphs(reader: Any, filters: Filters, facts: Facts | None = None) -> tuple[nx.Graph, nx.Graph]:
    """The member-network graph (edges with ``source_titles``) and the city-city graph (with ``types``;
    organisations sharing a network with ``Filters.kind`` organisation)."""
    bipartite = assemble_bipartite(facts or read_facts(reader), filters)
    titles = read_source_titles(reader)
    for u, v, attrs in bipartite.edges(data=True):
        member, network = (u, v) if bipartite.nodes[v].get("kind") == "network" else (v, u)
        attrs["source_titles"] = titles.get((member, network), [])
    cities = project(bipartite, filters.kind or "city", "networks", filters.min_weight)
    cities.graph["kind"] = filters.kind or "city"
    for u, v, attrs in cities.edges(data=True):
        shared = set(bipartite[u]) & set(bipartite[v])
        attrs["types"] = sorted(
            {bipartite.nodes[n]["type"] for n in shared if bipartite.nodes[n].get("type")}
        )
    return bipartite, cities


def plan_pages(
    bipartite: nx.Graph, cities: nx.Graph, located: dict[str, list[dict[str, Any]]] | None = None
) -> list[Page]:
    """Every page of the site, the index excepted; ``located``: the organisations in each city."""
    coordinates = {n: (a["lat"], a["lon"]) for n, a in cities.nodes(data=True) if "lat" in a and "lon" in a}
    links = link_pages(bipartite)
    pages = [
        Page("graph.html", "Cities, organisations and their networks", "member-network graph", bipartite),
        Page("city-city.html", title_projection(cities), "city-city graph", cities),
        Page(
            "map.html",
            "Co-partnerships on the map",
            "city-city graph at the cities' coordinates",
            cities,
            place_unlocated(cities, layout_geographic(cities, coordinates)),
            layers=plan_map(bipartite),
        ),
    ]
    kinds = {  # a member's or network's page: its folder, title, subtitle, depth and what it says
        "network": (
            "networks",
            "Network {}",
            "the network and its members",
            1,
            lambda node: describe_network(bipartite, node, links),
        ),
        "city": (
            "cities",
            "{}",
            "the city, its networks and their members (its co-partners)",
            2,
            lambda node: describe_city(node, located or {}, links),
        ),
        "organisation": (
            "organisations",
            "{}",
            "the organisation, its networks and their members",
            2,
            lambda node: describe_organisation(bipartite, node, links),
        ),
    }
    for node, attrs in sorted(bipartite.nodes(data=True), key=lambda item: str(item[1].get("label"))):
        if attrs.get("kind") in kinds:
            folder, title, subtitle, depth, describe = kinds[attrs["kind"]]
            label = attrs.get("label", node)
            about = describe(node)
            pages.append(
                Page(
                    f"{folder}/{slug(node)}.html",
                    title.format(label),
                    subtitle,
                    nx.ego_graph(bipartite, node, depth),
                    focus=node,
                    about=about,
                )
            )
    return pages


def title_projection(graph: nx.Graph) -> str:
    """The co-partnership page's title: organisations' when the graph projects onto them."""
    if graph.graph.get("kind") == "organisation":
        return "Organisations that share a network"
    return "Cities that share a network"


def link_pages(bipartite: nx.Graph) -> dict[str, str]:
    """The page of each network, city and organisation, relative to the site's folder."""
    folders = {"network": "networks", "city": "cities", "organisation": "organisations"}
    return {
        node: f"{folders[kind]}/{slug(node)}.html"
        for node, kind in bipartite.nodes(data="kind")
        if kind in folders
    }


def open_templates() -> jinja2.Environment:
    """The page templates, HTML-escaping every value put into them."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("citynet.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def copy_assets(folder: Path) -> None:
    """Write vis-network (from the installed pyvis) and citynet's script and style into ``folder/lib``."""
    lib = folder / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    pyvis_lib = resources.files("pyvis") / "lib"
    for name in VIS:
        (lib / Path(name).name).write_bytes((pyvis_lib / name).read_bytes())
    for name in OWN:
        (lib / name).write_bytes((resources.files("citynet.site") / "templates" / name).read_bytes())


def render_page(
    templates: jinja2.Environment,
    page: Page,
    leads: dict[str, list[str]],
    pages: dict[str, str],
    filters: Filters,
    links: tuple[dict, dict] = ({}, {}),
) -> str:
    """The HTML of one page."""
    root = "../" * page.path.count("/")
    positions = page.positions
    if positions is None and page.graph.number_of_nodes() > LAYOUT_NODES:
        positions = layout_force(page.graph)
    data = to_vis_data(page.graph, leads, {n: root + p for n, p in pages.items()}, positions)
    add_links(data, links)
    data.update(physics=positions is None, focus=page.focus, geo=page.layers is not None)
    add_periods(data, page.graph)
    if page.layers:
        mark_leads(data, leads)
    kinds = sorted({k for _, k in page.graph.nodes(data="kind") if k})
    return templates.get_template("page.html").render(
        page=page,
        root=root,
        data=encode_json(data),
        legend=list_legend(page.graph),
        kinds=kinds,
        nodes=page.graph.number_of_nodes(),
        edges=page.graph.number_of_edges(),
        filters=filters.describe(),
        has_leads=any(n in leads for n in page.graph),
        about=page.about,
        layers=page.layers,
    )


def render_index(
    templates: jinja2.Environment,
    site: Site,
    bipartite: nx.Graph,
    cities: nx.Graph,
    pages: dict[str, str],
    filters: Filters,
) -> str:
    """The HTML of ``index.html``: the views, the networks and the cities, with counts."""
    blank = dict.fromkeys(("programme", "type", "start", "end", "country"))
    networks = [
        {**blank, **attrs, "page": pages.get(n), "members": bipartite.degree(n)}
        for n, attrs in bipartite.nodes(data=True)
        if attrs.get("kind") == "network"
    ]
    places = [
        {
            **blank,
            **attrs,
            "page": pages.get(n),
            "networks": bipartite.degree(n),
            "partners": cities.degree(n),
            "country_name": name_country(attrs.get("country") or ""),
        }
        for n, attrs in bipartite.nodes(data=True)
        if attrs.get("kind") == "city"
    ]
    return templates.get_template("index.html").render(
        views=list_views({path: (nodes, edges) for path, nodes, edges in site.pages}, site.aggregated),
        trimmed=site.trimmed,
        skipped=site.skipped,
        filters=filters.describe(),
        networks=sorted(networks, key=lambda a: str(a.get("label")).lower()),
        cities=sorted(places, key=lambda a: str(a.get("label")).lower()),
        organisations=list_organisations(bipartite, pages),
        timeline=draw_timeline(bipartite),
    )


def write_pages(
    reader: Any, folder: Path, filters: Filters, max_nodes: int, max_edges: int = MAX_EDGES
) -> Site:
    """Write every page and the assets into ``folder`` (a fresh staging folder)."""
    facts = read_facts(reader)
    bipartite, cities = build_graphs(reader, filters, facts)
    stamp_periods(bipartite, cities, facts, filters.min_weight)
    templates, pages, leads = open_templates(), link_pages(bipartite), find_leads(bipartite)
    links = read_links(reader)
    site = Site(folder)
    copy_assets(folder)
    for page in plan_pages(bipartite, cities, list_located(facts.members)):
        if page.graph.number_of_nodes() > max_nodes and page.path == AGGREGATED:  # shown by country
            page = Page(page.path, **write_aggregate(templates, folder, bipartite, max_nodes, filters))
            site.aggregated = True
        if page.graph.number_of_nodes() > max_nodes:
            site.skipped.append(
                f"{page.path}: {page.graph.number_of_nodes():,} nodes (more than "
                f"{max_nodes:,}) - narrow it with a filter, e.g. --programme, --country "
                f"or --year"
            )
            continue
        page.graph, page.trim = trim_edges(page.graph, max_edges, filters)
        site.trimmed.update({page.path: page.trim} if page.trim else {})
        target = folder / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_page(templates, page, leads, pages, filters, links), encoding="utf-8")
        site.pages.append((page.path, page.graph.number_of_nodes(), page.graph.number_of_edges()))
    (folder / "index.html").write_text(
        render_index(templates, site, bipartite, cities, pages, filters), encoding="utf-8"
    )
    write_search_index(reader, folder, bipartite, pages, facts)
    return site


def write_site(
    reader: Any,
    folder: Path,
    filters: Filters | None = None,
    max_nodes: int = MAX_NODES,
    max_edges: int = MAX_EDGES,
) -> Site:
    """Write the site for the graphs the filters select into ``folder``; returns what was written.

    ``folder`` must be new, empty or a site citynet wrote holding nothing else (its marker
    ``.citynet-site`` lists the files); otherwise SiteError, and nothing is touched. The site is
    built beside ``folder`` and swapped in whole (:func:`citynet.folders.replace_folder`): a failure
    leaves the previous site as it was. A page of more than ``max_nodes`` nodes is not written (it would
    not be usable) but listed in ``Site.skipped``; graph.html is aggregated (:mod:`~.aggregate`) instead.
    A page of more than ``max_edges`` edges draws all its nodes and its strongest edges (:mod:`~.trim`).
    """
    try:
        with replace_folder(folder, SITE_MARKER) as staging:
            site = write_pages(reader, staging, filters or Filters(), max_nodes, max_edges)
    except OSError as exc:
        raise SiteError(
            f'cannot write the site into "{folder}": {exc.strerror or exc} - choose another folder with -o'
        ) from None
    site.folder = folder
    return site
