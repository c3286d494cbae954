"""`citynet visualize`: the site's files, offline and escaped, then every page in headless Chromium.

The browser tests open every page of the seed graph's site from ``file://`` with all other requests
blocked, and compare what the page's vis-network holds with the networkx graphs; they skip without
Chromium or Playwright, and fail so in CI. Screenshots go to ``.pytest-artifacts/``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import pyvis
from pyvis.network import Network

from citynet import api
from citynet.graphs.memberships import Filters
from citynet.site.pages import build_graphs, plan_pages, write_site
from citynet.store.embedded import EmbeddedStore

from .browser import open_ready
from .conftest import ROOT, add_source, copy_project, invoke
from .test_export import oxigraph_server  # noqa: F401 (a fixture)

ARTIFACTS = ROOT / ".pytest-artifacts"
ID = "https://w3id.org/citynet/id/"
KRAKOW = f"{ID}city/3094802"
LEOBEN = f"{ID}city/2772649"
OP_ACT = f"{ID}network/op-act"
# A reference to anything on the web from HTML or CSS: src/href attributes, url(), @import.
WEB_REFERENCE = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.IGNORECASE
)
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def expected(seed: EmbeddedStore) -> dict[str, nx.Graph]:
    """Each page's graph as networkx builds it, by page path."""
    return {page.path: page.graph for page in plan_pages(*build_graphs(seed, Filters()))}


def test_visualize_writes_every_page_and_says_where_to_open_it(seed_store: Path, tmp_path: Path) -> None:
    result = invoke("visualize", "-o", str(tmp_path / "out"), store=seed_store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Wrote 58 pages (15 networks, 37 cities, 2 organisations) to {tmp_path / 'out'}",
        f"Open {tmp_path / 'out' / 'index.html'}",
    ]
    assert result.stderr == ""
    names = {p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.html")}
    assert {
        "index.html",
        "graph.html",
        "city-city.html",
        "map.html",
        "networks/op-act.html",
        "cities/3094802.html",
        "organisations/quadrilatero.html",
        "organisations/amfiktyonyes.html",
    } <= names
    assert len([n for n in names if n.startswith("networks/")]) == 15
    assert len([n for n in names if n.startswith("cities/")]) == 37
    assert len([n for n in names if n.startswith("organisations/")]) == 2


def test_visualize_py_is_citynet_visualize(seed_store: Path, tmp_path: Path) -> None:
    result = invoke("visualize", "-o", str(tmp_path / "a"), store=seed_store)
    direct = subprocess.run(
        [sys.executable, "visualize.py", "--store", str(seed_store), "-o", str(tmp_path / "b")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert direct.returncode == result.returncode == 0, direct.stderr
    assert (tmp_path / "a" / "index.html").read_text() == (tmp_path / "b" / "index.html").read_text()


def test_no_page_refers_to_the_web(site: Path) -> None:
    files = [*site.rglob("*.html"), *site.rglob("*.css")]
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not WEB_REFERENCE.search(text), f"{path}: {WEB_REFERENCE.search(text)}"
    vis = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
    assert (site / "lib" / "vis-network.min.js").read_bytes() == vis.read_bytes()


@pytest.mark.parametrize("resources", ["in_line", "local"])
def test_pyvis_own_template_still_fetches_from_cdns(resources: str) -> None:
    """Why citynet writes its own page (pyvis issues #228, #229): if this fails, pyvis has fixed it."""
    html = Network(cdn_resources=resources).generate_html()
    assert "https://cdn.jsdelivr.net/npm/bootstrap" in html


def test_filters_apply_to_the_site(seed_store: Path, tmp_path: Path) -> None:
    result = invoke("visualize", "--programme", "URBACT III", "-o", str(tmp_path / "s"), store=seed_store)
    assert result.returncode == 0, result.stderr
    assert "(3 networks, " in result.stdout
    assert "filters: programme=URBACT III" in (tmp_path / "s" / "index.html").read_text()


def test_an_unknown_filter_is_one_error_line(seed_store: Path, tmp_path: Path) -> None:
    result = invoke("visualize", "--country", "Atlantis", "-o", str(tmp_path / "s"), store=seed_store)
    assert result.returncode == 1
    assert result.stderr.startswith('Error: unknown country "Atlantis" - known: ')
    assert len(result.stderr.splitlines()) == 1


def test_a_page_too_large_is_left_out_with_a_warning(seed_store: Path, tmp_path: Path) -> None:
    # The seed graph: 37 cities on the city-city page and the map, 54 nodes on graph.html, which is
    # aggregated by country instead (tests/test_site_search.py).
    result = invoke("visualize", "--max-nodes", "36", "-o", str(tmp_path / "s"), store=seed_store)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"Warning: page left out: {page}: 37 nodes (more than 36) - narrow it with a filter, "
        "e.g. --programme, --country or --year"
        for page in ("city-city.html", "map.html")
    ]
    assert not (tmp_path / "s" / "city-city.html").exists()
    assert "Aggregated view" in (tmp_path / "s" / "graph.html").read_text()
    assert "not written: too large" in (tmp_path / "s" / "index.html").read_text()


def test_the_same_site_from_an_oxigraph_server(
    site: Path,
    oxigraph_server: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    remote = write_site(api.open_reader(endpoint=oxigraph_server), tmp_path / "remote")
    assert len(remote.pages) == 57
    for path in site.rglob("*.html"):
        relative = path.relative_to(site)
        assert (tmp_path / "remote" / relative).read_text() == path.read_text(), relative


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site from the seed facts plus a source whose title, network and organisation names are HTML."""
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    add_source(
        root,
        '{id: test-source, title: "<img src=y onerror=alert(3)>", language: en}',
        "a-test",
        "source: test-source\n"
        "networks:\n"
        "  - id: test-net\n"
        f'    names: [{{text: "{HOSTILE}", lang: en}}]\n'
        "    programme: urbact-iii\n"
        "    type: transfer-network\n"
        "    members:\n"
        "      - {city: Leoben, country: AT, role: lead-partner}\n"
        "      - organisation: evil\n"
        '        name: "</script><script>alert(2)</script>"\n'
        "        type: association\n"
        "        country: PT\n"
        "        role: partner\n",
    )
    store = root / "store"
    api.load(root, store)
    result = invoke("visualize", "-o", str(root / "site"), store=store)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_hostile_text_is_escaped_in_the_files(hostile_site: Path) -> None:
    for path in [*hostile_site.rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        assert "<img" not in text and "alert(2)</script>" not in text, path
    index = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in index
    search = (hostile_site / "search-index.js").read_text(encoding="utf-8")  # the index's search
    assert "<" not in search and "\\u003cimg src=x onerror=alert(1)\\u003e" in search


# --- in the browser ------------------------------------------------------------------------------


def open_page(browser: tuple[Any, Any], url: str) -> Any:
    """Open a page, wait until ready, and check it did nothing it should not."""
    page, watch = browser
    watch.clear()
    open_ready(page, url)
    assert watch.errors == [], url
    assert watch.outside == [], url
    assert watch.dialogs == [], url
    return page


def count_items(page: Any) -> tuple[int, int]:
    return tuple(page.evaluate("[citynet.nodes.length, citynet.edges.length]"))


def point_at(page: Any, node: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    x, y = page.evaluate(
        """id => {
        const box = document.getElementById('network').getBoundingClientRect();
        const at = citynet.network.canvasToDOM(citynet.network.getPositions([id])[id]);
        return [box.left + at.x, box.top + at.y];
    }""",
        node,
    )
    return x, y


def test_every_page_loads_offline_with_the_graphs_nodes_and_edges(
    browser: tuple[Any, Any], site: Path, expected: dict[str, nx.Graph]
) -> None:
    assert len(expected) == 57
    for path, graph in expected.items():
        page = open_page(browser, (site / path).as_uri())
        assert count_items(page) == (graph.number_of_nodes(), graph.number_of_edges()), path
        assert page.locator("#legend .countries li").count() >= 1, path
        assert page.evaluate("citynet.network.physics.options.enabled") is False, path
    page, watch = browser
    watch.clear()
    page.goto((site / "index.html").as_uri())
    assert page.locator("#networks tbody tr").count() == 15
    assert page.locator("#cities tbody tr").count() == 37
    assert page.locator("#organisations tbody tr").count() == 2
    assert watch.outside == watch.errors == []


# Of a page's nodes: how many there are, how many lie within the canvas, and how many have a painted
# (not transparent) canvas pixel at their centre, read two frames after the page says it is ready.
COUNT_DRAWN_NODES = """async () => {
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const canvas = document.querySelector('#network canvas');
    const context = canvas.getContext('2d');
    const ratio = canvas.width / canvas.clientWidth;
    const positions = citynet.network.getPositions();
    let inside = 0, drawn = 0;
    for (const id of citynet.nodes.getIds()) {
        if (!positions[id]) continue;  // a hidden node has no position
        const at = citynet.network.canvasToDOM(positions[id]);
        const x = Math.round(at.x * ratio), y = Math.round(at.y * ratio);
        if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) continue;
        inside += 1;
        if (context.getImageData(x, y, 1, 1).data[3] > 0) drawn += 1;
    }
    return [citynet.nodes.length, inside, drawn];
}"""


# graph: 37 cities + 2 organisations + 15 networks; OP-ACT: Leoben, 10 partners and the network;
# map and city-city: the 37 cities.
@pytest.mark.parametrize(
    ("path", "nodes"),
    [("graph.html", 54), ("networks/op-act.html", 12), ("map.html", 37), ("city-city.html", 37)],
)
def test_every_node_is_drawn_on_screen(browser: tuple[Any, Any], site: Path, path: str, nodes: int) -> None:
    page = open_page(browser, (site / path).as_uri())
    page.screenshot(path=str(ARTIFACTS / path.replace("/", "-").replace(".html", ".png")))
    assert page.evaluate(COUNT_DRAWN_NODES) == [nodes, nodes, nodes]


def test_the_layout_stays_still_once_done(browser: tuple[Any, Any], site: Path) -> None:
    page = open_page(browser, (site / "graph.html").as_uri())
    before = page.evaluate("JSON.stringify(citynet.network.getPositions())")
    page.wait_for_timeout(1000)
    assert page.evaluate("JSON.stringify(citynet.network.getPositions())") == before


def test_searching_for_a_city_selects_it(browser: tuple[Any, Any], site: Path) -> None:
    page = open_page(browser, (site / "graph.html").as_uri())
    page.fill("#search", "krakow")
    page.press("#search", "Enter")
    assert page.evaluate("citynet.network.getSelectedNodes()") == [KRAKOW]
    assert "Kraków" in page.inner_text("#details")
    assert "Poland (PL)" in page.inner_text("#details")


def test_hovering_a_node_shows_its_tooltip_and_clicking_its_details(
    browser: tuple[Any, Any], site: Path
) -> None:
    page = open_page(browser, (site / "networks/op-act.html").as_uri())
    x, y = point_at(page, LEOBEN)
    page.mouse.move(x + 3, y + 3)
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible")
    tip = page.inner_text("div.vis-tooltip")
    assert "Leoben" in tip and "Austria (AT)" in tip and "lead partner of: OP-ACT" in tip
    page.mouse.click(x, y)
    details = page.inner_text("#details")
    assert "Leoben" in details and "lead partner of: OP-ACT" in details


def test_clicking_an_edge_names_the_sources_that_state_it(browser: tuple[Any, Any], site: Path) -> None:
    page = open_page(browser, (site / "networks/op-act.html").as_uri())
    (x1, y1), (x2, y2) = point_at(page, LEOBEN), point_at(page, OP_ACT)
    page.mouse.click((x1 + x2) / 2, (y1 + y2) / 2)
    details = page.inner_text("#details")
    assert "role: lead partner" in details
    assert "sources: Miasta województwa śląskiego w programie URBACT II" in details


@pytest.mark.parametrize(
    ("select", "value", "filters"),
    [
        ("#filter-programme", "URBACT III", Filters(programmes=("URBACT III",))),
        ("#filter-country", "PL", Filters(countries=("PL",))),
        ("#filter-type", "transfer network", Filters(types=("transfer network",))),
    ],
)
def test_the_filter_menu_shows_what_the_same_filter_selects(
    browser: tuple[Any, Any], site: Path, seed: EmbeddedStore, select: str, value: str, filters: Filters
) -> None:
    page = open_page(browser, (site / "graph.html").as_uri())
    page.select_option(select, value)
    shown = page.evaluate("citynet.nodes.get({filter: n => !n.hidden}).map(n => n.id).sort()")
    assert shown == sorted(build_graphs(seed, filters)[0].nodes)
    page.click("#reset")
    assert page.evaluate("citynet.nodes.get({filter: n => !n.hidden}).length") == 54


def test_hostile_labels_show_as_text_and_run_nothing(browser: tuple[Any, Any], hostile_site: Path) -> None:
    for path in ("index.html", "graph.html", "networks/test-net.html", "cities/2772649.html"):
        page, watch = browser
        watch.clear()
        page.goto((hostile_site / path).as_uri())
        if path != "index.html":
            page.wait_for_function("window.citynet && window.citynet.ready === true")
        page.wait_for_timeout(300)
        assert watch.dialogs == [] and watch.errors == [] and watch.outside == [], path
        assert page.locator("img").count() == 0, path
    page.fill("#search", HOSTILE)
    page.press("#search", "Enter")
    assert HOSTILE in page.inner_text("#details")
    assert "</script><script>alert(2)</script>" in page.inner_text("#details")  # linked to it, as text
    assert watch.dialogs == []
    index = hostile_site / "index.html"
    page.goto(index.as_uri())
    assert page.locator("#networks", has_text=HOSTILE).count() == 1


def test_artifacts_are_ignored_by_git() -> None:
    assert ".pytest-artifacts/" in (ROOT / ".gitignore").read_text()


def test_the_table_view_lists_the_same_nodes_and_edges(browser: tuple[Any, Any], site: Path) -> None:
    """OP-ACT's page: the network and its 11 members (graph/silesia-urbact-ii.yaml), 11 edges."""
    page = open_page(browser, (site / "networks/op-act.html").as_uri())
    page.click("#table-view summary")
    rows = page.eval_on_selector_all("#table-nodes tbody tr", "rows => rows.map(r => r.innerText)")
    assert len(rows) == 12 == count_items(page)[0]
    assert any(row.startswith("Leoben\tcity\tAT\t1") for row in rows)
    edges = page.eval_on_selector_all("#table-edges tbody tr", "rows => rows.map(r => r.innerText)")
    assert len(edges) == 11 == count_items(page)[1]
    assert any("Leoben" in row and "lead partner" in row for row in edges)
