"""pyvis in notebooks: ``citynet.to_pyvis`` and the example notebook, run by nbclient with no network.

The notebook (docs/partnerships.ipynb) runs in a real Jupyter kernel (ipykernel) on the seed
project (the kernel inherits ``CITYNET_PROJECT``); the page it writes is opened in headless
Chromium with every request off ``file://`` blocked.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import networkx as nx
import pytest
from nbclient import NotebookClient

import citynet

from .browser import offline_page

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "partnerships.ipynb"
REMOTE = re.compile(r"""(src|href)=["']https?://""")


def seed_like_graph() -> nx.Graph:
    """Ghent leads REFILL with Amersfoort as partner (the bundled graph's keep.eu rows, by hand)."""
    graph = nx.Graph()
    graph.add_node("city/2797656", label="Gent", kind="city", country="BE")
    graph.add_node("city/2759821", label="Amersfoort", kind="city", country="NL")
    graph.add_node("network/refill", label="REFILL <script>alert(1)</script>", kind="network")
    graph.add_edge("city/2797656", "network/refill", role="lead partner")
    graph.add_edge("city/2759821", "network/refill", role="partner")
    return graph


def test_to_pyvis_gives_a_pyvis_network_in_citynets_style() -> None:
    net = citynet.to_pyvis(seed_like_graph())
    nodes = {node["id"]: node for node in net.nodes}
    assert nodes["city/2797656"]["label"] == "Gent ★"  # the lead, starred
    assert nodes["city/2797656"]["borderWidth"] == 4
    assert nodes["network/refill"]["shape"] == "diamond"
    assert nodes["city/2759821"]["shape"] == "dot"
    assert len(net.edges) == 2
    assert "Belgium" in net.heading and "Netherlands" in net.heading


def test_its_html_fetches_nothing(tmp_path: Path) -> None:
    page = citynet.to_pyvis(seed_like_graph(), notebook=False).generate_html()
    assert not REMOTE.findall(page)  # pyvis's own template loads Bootstrap from a CDN
    assert "<script>alert(1)</script>" not in page.split("var nodes")[0]  # the label is data, not markup


@pytest.mark.slow
def test_the_notebook_runs_offline_and_draws(tmp_path: Path) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    printed = "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )
    # the seed pages: 15 networks, 43 memberships (tests/test_cli.py counts them by hand)
    assert "15 networks, 43 memberships" in printed
    page = tmp_path / "city-city.html"
    assert page.is_file()
    assert not REMOTE.findall(page.read_text(encoding="utf-8"))
    with offline_page() as (browser, watch):
        browser.goto(page.as_uri())
        browser.wait_for_function("typeof network !== 'undefined' && network.body.data.nodes.length > 0")
        drawn = browser.evaluate("network.body.data.nodes.length")
        assert not watch.outside and not watch.errors, (watch.outside, watch.errors)
    assert drawn > 10
