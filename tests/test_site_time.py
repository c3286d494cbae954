"""Time on the site: the years each node and edge is active in (``--year``'s meaning), the index's
chart of networks per year per programme, and the period filter of the pages in headless Chromium
(skipped without it, failing so with ``CI=true``).

The seed graph's recorded periods (graph/*.yaml, the bundled imports left out), by hand:
USER 2013-2015 and "Cities of change" 2013-06 to 2015-05-31 (their own periods,
graph/krakow-urb-inclusion.yaml and graph/daugavpils-cities-of-change.yaml); URB-INCLUSION has no
period of its own, so Kraków's membership, 2016-09-10 to 2017-03-31, gives it 2016-2017. The other
12 of the 15 networks (URBACT II's Silesian ones, RURAL, The Playful Paradigm, Cities@Heart) have
none: undated.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from citynet.graphs.memberships import Filters, read_facts
from citynet.site.chart import NO_PROGRAMME, count_networks
from citynet.site.pages import build_graphs, open_templates
from citynet.site.timeline import draw_timeline, overlaps, stamp_periods
from citynet.store.embedded import EmbeddedStore

from .browser import open_ready
from .conftest import ROOT, invoke

ARTIFACTS = ROOT / ".pytest-artifacts"
NETWORK, CITY = "https://w3id.org/citynet/id/network/", "https://w3id.org/citynet/id/city/"
# GeoNames ids from graph/places.yaml.
KRAKOW, POZNAN, DAUGAVPILS = (f"{CITY}{n}" for n in (3094802, 3088171, 460413))


@pytest.fixture(scope="module")
def stamped(seed: EmbeddedStore) -> tuple[nx.Graph, nx.Graph]:
    """The seed graph's member-network and city-city graphs, with their years stamped."""
    facts = read_facts(seed)
    bipartite, cities = build_graphs(seed, Filters(), facts)
    stamp_periods(bipartite, cities, facts)
    return bipartite, cities


def test_networks_per_year_per_programme_count_the_recorded_periods(
    stamped: tuple[nx.Graph, nx.Graph],
) -> None:
    # By hand (the module's docstring): 2013, 2014 and 2015 have USER (no programme recorded) and
    # "Cities of change" (Europe for Citizens 2007-2013); 2016 and 2017 only URB-INCLUSION
    # (URBACT III). 2012 and 2018 have none, so the years run 2013-2017; 12 networks are undated.
    counts = count_networks(stamped[0])
    assert counts.years == [2013, 2014, 2015, 2016, 2017]
    assert counts.rows == {
        "Europe for Citizens 2007-2013": [1, 1, 1, 0, 0],
        NO_PROGRAMME: [1, 1, 1, 0, 0],
        "URBACT III": [0, 0, 0, 1, 1],
    }
    assert counts.totals() == [2, 2, 2, 1, 1]
    assert counts.undated == 12


def export_year(seed_store: Path, tmp_path: Path, graph: str, year: str) -> nx.Graph:
    """What ``citynet export GRAPH --year YEAR`` writes, read back (node-link JSON)."""
    target = tmp_path / f"{graph}-{year}.json"
    result = invoke("export", graph, "--year", year, "--format", "json", "-o", str(target), store=seed_store)
    assert result.returncode == 0, result.stderr
    return nx.node_link_graph(json.loads(target.read_text(encoding="utf-8")), edges="edges")


@pytest.mark.parametrize(
    ("year", "named"),
    [
        # 2014: USER (Kraków) and "Cities of change" (Poznań, Daugavpils).
        ("2014", {f"{NETWORK}user", f"{NETWORK}cities-of-change", KRAKOW, POZNAN, DAUGAVPILS}),
        # 2016: URB-INCLUSION and its nine partners, Kraków among them; USER and Poznań are over.
        ("2016", {f"{NETWORK}urb-inclusion", KRAKOW}),
    ],
)
def test_active_years_give_what_year_gives(
    stamped: tuple[nx.Graph, nx.Graph], seed_store: Path, tmp_path: Path, year: str, named: set[str]
) -> None:
    bipartite, cities = stamped
    years = (int(year), int(year))
    active = {n for n, spans in bipartite.nodes(data="spans") if overlaps(spans, years)}
    assert named <= active
    if year == "2014":
        assert active == named
    else:
        assert len(active) == 1 + 9 and POZNAN not in active and f"{NETWORK}user" not in active
    exported = export_year(seed_store, tmp_path, "bipartite", year)
    assert set(exported.nodes) == active
    assert {frozenset(e) for e in exported.edges} == {
        frozenset((u, v)) for u, v, spans in bipartite.edges(data="spans") if overlaps(spans, years)
    }
    projected = export_year(seed_store, tmp_path, "city-city", year)
    assert {frozenset(e) for e in projected.edges} == {
        frozenset((u, v)) for u, v, spans in cities.edges(data="spans") if overlaps(spans, years)
    }


def test_the_index_draws_the_charts_and_their_table(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    every, urbact = (
        page[page.index(f'<svg class="timeline-chart" id="timeline-chart-{n}"') :].split("</svg>")[0]
        for n in (1, 2)
    )
    # One bar for each programme in each year it has networks (by hand, above): 2 + 2 + 2 + 1 + 1;
    # URBACT's chart: URBACT III's two years.
    assert every.count("<rect data-year=") == 8
    assert every.count('<rect data-year="2016"') == 1
    assert "<title>2016: 1 network of URBACT III</title>" in every
    assert "networks active" in every and ">2013</text>" in every
    assert urbact.count("<rect data-year=") == 2
    assert "Networks active per year, URBACT programmes:" in page
    assert "12 without a recorded period are not counted" in page
    table = page[page.index('<details id="timeline-table">') :]
    assert '<th scope="row">URBACT III</th><td>0</td><td>0</td><td>0</td><td>1</td><td>1</td></tr>' in table
    assert (
        '<tfoot><tr><th scope="row">all programmes</th><td>2</td><td>2</td><td>2</td><td>1</td><td>1</td>'
        in table
    )


def test_a_hostile_programme_name_stays_text_in_the_chart() -> None:
    graph = nx.Graph()
    graph.add_node("n", kind="network", programme="<img src=x onerror=alert(1)>", spans=[[2016, 2016]])
    graph.add_node("u", kind="network", programme="URBACT III", spans=[[2015, 2016]])
    html = open_templates().get_template("timeline.html").render(timeline=draw_timeline(graph))
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") == 3  # the legend, a bar's title, the table
    # 2015: URBACT III alone; 2016: both.
    assert '<tfoot><tr><th scope="row">all programmes</th><td>1</td><td>2</td></tr></tfoot>' in html


# --- in the browser ------------------------------------------------------------------------------


def open_page(browser: tuple[Any, Any], path: Path) -> Any:
    """A seed site's page, ready, having done nothing it should not."""
    page, watch = browser
    watch.clear()
    open_ready(page, path.as_uri())
    assert watch.errors == watch.outside == watch.dialogs == []
    return page


def set_period(page: Any, first: int, last: int) -> None:
    """Move the sliders as a person would, with the keyboard: each thumb to its end (Home, End),
    then one year a key press."""
    for thumb, year in (("#period-to", last), ("#period-from", first)):
        slider = page.locator(thumb)
        slider.focus()
        start = int(slider.get_attribute("min"))
        page.keyboard.press("Home")
        for _ in range(year - start):
            page.keyboard.press("ArrowRight")
        assert slider.input_value() == str(year)


def shown(page: Any, *ids: str) -> list[bool]:
    """Whether each node is shown (not hidden) on the page."""
    return page.evaluate("ids => ids.map(id => !citynet.nodes.get(id).hidden)", list(ids))


def test_the_period_slider_hides_what_is_not_active_then(browser: tuple[Any, Any], site: Path) -> None:
    page = open_page(browser, site / "graph.html")
    assert page.locator("#period-from").get_attribute("min") == "2013"
    assert page.locator("#period-to").get_attribute("max") == "2017"
    user, urb, hearts = f"{NETWORK}user", f"{NETWORK}urb-inclusion", f"{NETWORK}cities-at-heart"
    assert shown(page, user, urb, POZNAN, hearts) == [True, True, True, True]
    set_period(page, 2016, 2017)
    # USER and Poznań (its one network, Cities of change) are active 2013-2015 only; URB-INCLUSION
    # and Kraków are active in 2016; Cities@Heart has no period: shown while "undated" is ticked.
    assert shown(page, user, POZNAN, urb, KRAKOW, hearts) == [False, False, True, True, True]
    assert page.locator("#period-shown").text_content().startswith("2016\N{EN DASH}2017")
    page.uncheck("#period-undated")
    assert shown(page, hearts, urb, KRAKOW) == [False, True, True]
    page.screenshot(path=str(ARTIFACTS / "period-2016-2017.png"))
    page.click("#reset")
    assert shown(page, user, POZNAN, hearts) == [True, True, True]


def test_the_play_button_steps_through_the_years(browser: tuple[Any, Any], site: Path) -> None:
    page = open_page(browser, site / "city-city.html")
    page.click("#period-play")
    assert page.locator("#period-play").get_attribute("aria-pressed") == "true"
    assert page.locator("#period-from").input_value() == "2013"
    page.wait_for_function("document.getElementById('period-from').value === '2014'", timeout=10_000)
    assert page.locator("#period-to").input_value() == "2014"
    assert shown(page, POZNAN, DAUGAVPILS) == [True, True]  # Cities of change, 2013-2015
    page.wait_for_function("document.getElementById('period-from').value === '2016'", timeout=10_000)
    assert shown(page, POZNAN) == [False]
    page.click("#period-play")  # pause
    assert page.locator("#period-play").get_attribute("aria-pressed") == "false"


def weigh_flow(line: Any) -> tuple[str, str, str]:
    """A flow's networks in the period, its width and its opacity, as the page set them."""
    names = ("data-period-weight", "stroke-width", "stroke-opacity")
    return tuple(line.get_attribute(name) for name in names)


def test_the_map_flows_follow_the_period(browser: tuple[Any, Any], site: Path) -> None:
    page = open_page(browser, site / "map.html")
    page.check("#flows-toggle")
    # Latvia-Poland: Cities of change (2013-2015) and OP-ACT (undated); Spain-Poland: URB-INCLUSION
    # (Barcelona, Kraków; 2016-2017) and Cities@Heart (Granada, Kraków; undated).
    latvia, spain = (
        page.locator(f'#flows line[data-from="{a}"][data-to="{b}"]') for a, b in (("LV", "PL"), ("ES", "PL"))
    )
    page.uncheck("#period-undated")
    set_period(page, 2016, 2016)
    assert [latvia.is_visible(), spain.is_visible()] == [False, True]
    # In 2016 the only dated network two countries share is URB-INCLUSION, so every flow of the
    # period counts one network and is drawn as wide as the heaviest: 0.6 + 9.4 x 1/1.
    assert weigh_flow(spain) == ("1", "10.0", "0.90")
    set_period(page, 2014, 2014)
    assert [latvia.is_visible(), spain.is_visible()] == [True, False]
    # 2014: Cities of change (Daugavpils, Poznań) is the one dated network shared across a border
    # (USER has Kraków alone).
    assert weigh_flow(latvia) == ("1", "10.0", "0.90")
    page.check("#period-undated")
    assert [latvia.is_visible(), spain.is_visible()] == [True, True]
    assert weigh_flow(latvia)[0] == "2"  # and OP-ACT, undated
