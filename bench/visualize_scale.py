"""How long a 5,000-node page of ``citynet visualize`` takes to become interactive in headless Chromium.

A synthetic member-network graph (4,000 cities in 30 countries, 1,000 networks of 5-12 members, one
lead each) is written as a page the way the site writes ``graph.html`` (above 1,000 nodes the layout
is precomputed with igraph and physics is off), then opened offline; "interactive" is the moment the
page reports its layout done and physics stopped (``citynet.readyAt``, ms since navigation).

    .venv/bin/python bench/visualize_scale.py [NODES]
"""

from __future__ import annotations

import platform
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from citynet.graphs.memberships import Filters
from citynet.graphs.network import set_degrees
from citynet.site.pages import Page, copy_assets, open_templates, render_page
from citynet.site.style import COUNTRIES, find_leads
from tests.browser import offline_page


def generate_graph(nodes: int, seed: int = 42) -> nx.Graph:
    """A member-network graph of ``nodes`` nodes, a fifth of them networks."""
    rng = random.Random(seed)
    graph = nx.Graph()
    networks, cities = nodes // 5, nodes - nodes // 5
    for i in range(cities):
        graph.add_node(
            f"city/{i}",
            iri=f"city/{i}",
            label=f"City {i}",
            kind="city",
            country=COUNTRIES[i % 30],
            bipartite=0,
        )
    for j in range(networks):
        network = f"network/{j}"
        graph.add_node(
            network,
            iri=network,
            label=f"Network {j}",
            kind="network",
            bipartite=1,
            programme=f"URBACT {['II', 'III', 'IV'][j % 3]}",
            type="transfer network",
        )
        members = rng.sample(range(cities), rng.randint(5, 12))
        for k, member in enumerate(members):
            graph.add_edge(
                f"city/{member}",
                network,
                role="lead partner" if k == 0 else "partner",
                source_titles=["A synthetic source"],
            )
    return set_degrees(graph)


def measure(nodes: int) -> None:
    graph = generate_graph(nodes)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        html = render_page(
            open_templates(),
            Page("graph.html", "Synthetic", "benchmark", graph),
            find_leads(graph),
            {},
            Filters(),
        )
        written = time.perf_counter() - started
        copy_assets(Path(folder))
        (Path(folder) / "graph.html").write_text(html, encoding="utf-8")
        with offline_page() as (page, watch):
            opened = time.perf_counter()
            page.goto((Path(folder) / "graph.html").as_uri())
            page.wait_for_function("window.citynet && window.citynet.ready === true", timeout=300_000)
            wall = time.perf_counter() - opened
            ready_at = page.evaluate("citynet.readyAt")
            counts = page.evaluate("[citynet.nodes.length, citynet.edges.length]")
            assert watch.errors == [] and watch.outside == [], (watch.errors, watch.outside)
            browser = page.context.browser.version if page.context.browser else "chromium"
    print(
        f"{counts[0]} nodes, {counts[1]} edges; layout + page written in {written:.1f} s (Python); "
        f"interactive after {ready_at / 1000:.1f} s (page's clock), {wall:.1f} s wall; "
        f"{platform.processor() or platform.machine()}, {platform.system()}, Chromium {browser}"
    )


if __name__ == "__main__":
    measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
