"""The map page: Natural Earth's countries (vendored world-atlas) under the cities, lead partners as
stars, and the country-to-country flows; first the vendored file and the projected shapes, then the
seed graph's ``map.html`` in headless Chromium (skipped without it, failing so with ``CI=true``).
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from citynet.graphs.memberships import Filters
from citynet.site.basemap import ATLAS, EXTENT, draw_countries, project
from citynet.site.geomap import plan_flows
from citynet.site.pages import build_graphs
from citynet.store.embedded import EmbeddedStore

from .browser import open_ready
from .conftest import ROOT

ARTIFACTS = ROOT / ".pytest-artifacts"
VENDOR = Path(str(resources.files("citynet.site").joinpath(*ATLAS[:-1])))
ID = "https://w3id.org/citynet/id/city/"
# GeoNames ids from graph/places.yaml.
KRAKOW, LEOBEN, CELJE, POZNAN = (f"{ID}{n}" for n in (3094802, 2772649, 3202781, 3088171))


def test_the_vendored_atlas_is_the_file_its_readme_names() -> None:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    named = re.search(r"`countries-50m\.json` `([0-9a-f]{64})`", readme)
    assert named, "the README names no sha256 for countries-50m.json"
    digest = hashlib.sha256((VENDOR / "countries-50m.json").read_bytes()).hexdigest()
    assert digest == named.group(1)
    assert "world-atlas` 2.0.2" in readme and "ISC" in readme and "public domain" in readme
    assert (VENDOR / "LICENSE").read_text(encoding="utf-8").startswith("Copyright 2013-2019 Michael Bostock")


def test_the_projection_is_centred_on_europe_and_keeps_north_up() -> None:
    # EPSG:3035's centre, 52°N 10°E, is the origin; 120 units a degree of arc. Warsaw (52.23°N 21.01°E)
    # lies 11° of longitude east, 11 x cos 52° = 6.8° of arc, about 810 units, and north by 0.23° plus
    # the bend of its parallel (0.192² x sin 52° x cos 52° / 2 rad = 0.51°): about 89 units up.
    # Rome (41.9°N 12.5°E) about 10.1° south (about 1210 units) and 2.5 x cos 42° = 1.9° east.
    assert project(52.0, 10.0) == (0.0, 0.0)
    warsaw, rome = project(52.23, 21.01), project(41.9, 12.5)
    assert 780 < warsaw[0] < 840 and -100 < warsaw[1] < -75
    assert 1170 < rome[1] < 1250 and 190 < rome[0] < 250


def read_points(path: str) -> list[tuple[int, int]]:
    """The absolute points of path data written by ``basemap.write_path`` (M x y l dx dy … z)."""
    points = []
    for ring in re.findall(r"M(-?\d+) (-?\d+)l([^z]*)z", path):
        x, y = int(ring[0]), int(ring[1])
        points.append((x, y))
        steps = [int(n) for n in re.findall(r"-?\d+", ring[2])]
        for dx, dy in zip(steps[::2], steps[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
    return points


def test_countries_are_clipped_to_europe_and_keyed_by_iso_code() -> None:
    countries = {c.code: c for c in draw_countries() if c.code}
    # Iceland, Portugal, Cyprus, the Caucasus and Kosovo (no numeric id in world-atlas) are on it.
    assert {"IS", "PT", "CY", "GE", "AM", "XK", "PL", "AT", "MT", "LU"} <= set(countries)
    assert {"US", "CN", "BR", "AU"}.isdisjoint(countries)
    left, top, right, bottom = EXTENT
    for code in ("RU", "NO", "PL"):
        points = read_points(countries[code].path)
        assert len(points) > 50, code
        assert all(left <= x <= right and top <= y <= bottom for x, y in points), code
    assert countries["PL"].name == "Poland"


def test_flows_join_the_countries_whose_members_share_networks(seed: EmbeddedStore) -> None:
    bipartite, _ = build_graphs(seed, Filters())
    flows = plan_flows(bipartite, draw_countries())
    # Latvia's members in the seed graph: Daugavpils, which shares "Cities of change" with Poznań (PL)
    # (graph/daugavpils-cities-of-change.yaml), and Rēzekne (LV by the gazetteer, graph/places.yaml),
    # a partner of OP-ACT with Leoben (AT), Eberswalde and Altena (DE), Heerlen (NL), Nagykálló (HU),
    # Legazpi (ES), Notodden (NO), Ancona (IT), Mediaș (RO) and Dąbrowa Górnicza (PL)
    # (graph/silesia-urbact-ii.yaml). So Latvia and Poland share two networks, the others one.
    latvian = [(f["from"], f["to"], f["weight"]) for f in flows if "LV" in (f["from"], f["to"])]
    assert latvian == [
        *[(code, "LV", 1) for code in ("AT", "DE", "ES", "HU", "IT")],
        *[("LV", code, 1) for code in ("NL", "NO", "RO")],
        ("LV", "PL", 2),
    ]
    title = next(f["title"] for f in flows if (f["from"], f["to"]) == ("LV", "PL"))
    assert title.startswith("Latvia \N{EN DASH} Poland: 2 shared networks (")
    assert "Cities of change" in title and "OP-ACT" in title
    assert flows == sorted(flows, key=lambda f: f["weight"])


def test_only_the_map_page_carries_the_countries(site: Path) -> None:
    page = (site / "map.html").read_text(encoding="utf-8")
    assert page.count("<path data-country=") > 30
    assert '<path data-country="PL" d="M' in page
    assert '<line data-from="LV" data-to="PL"' in page
    assert "data-country" not in (site / "city-city.html").read_text(encoding="utf-8")


# --- in the browser ------------------------------------------------------------------------------


@pytest.fixture
def map_page(browser: tuple[Any, Any], site: Path) -> Any:
    """The seed site's map, ready, having done nothing it should not."""
    page, watch = browser
    watch.clear()
    open_ready(page, (site / "map.html").as_uri())
    assert watch.errors == watch.outside == watch.dialogs == []
    return page


# Whether a city's dot, where the canvas draws it on screen, lies within a country's shape, where the
# SVG draws it: the screen point goes back through the path's own transform.
CITY_IN_COUNTRY = """([id, code]) => {
    const path = document.querySelector(`#basemap path[data-country="${code}"]`);
    const box = document.getElementById('network').getBoundingClientRect();
    const at = citynet.network.canvasToDOM(citynet.network.getPositions([id])[id]);
    const screen = new DOMPoint(box.left + at.x, box.top + at.y);
    return path.isPointInFill(screen.matrixTransform(path.getScreenCTM().inverse()));
}"""


def test_the_map_draws_the_countries_under_the_cities(map_page: Any) -> None:
    assert map_page.locator("#basemap path[data-country]").count() > 30
    assert map_page.locator('#basemap path[data-country="PL"]').count() == 1
    for city, code in ((KRAKOW, "PL"), (LEOBEN, "AT"), (CELJE, "SI"), (POZNAN, "PL")):
        assert map_page.evaluate(CITY_IN_COUNTRY, [city, code]), (city, code)
    assert not map_page.evaluate(CITY_IN_COUNTRY, [KRAKOW, "AT"])
    map_page.screenshot(path=str(ARTIFACTS / "map-countries.png"))


def test_borders_follow_the_cities_and_stay_thin_when_zoomed(map_page: Any) -> None:
    map_page.evaluate(
        """id => citynet.network.moveTo({position: citynet.network.getPositions([id])[id],
                                        scale: citynet.network.getScale() * 6, animation: false})""",
        KRAKOW,
    )
    map_page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert map_page.evaluate(CITY_IN_COUNTRY, [KRAKOW, "PL"])
    assert not map_page.evaluate(CITY_IN_COUNTRY, [KRAKOW, "SK"])
    style = map_page.evaluate(
        """() => { const s = getComputedStyle(document.querySelector('#basemap path[data-country="PL"]'));
                   return [s.vectorEffect, s.strokeWidth]; }"""
    )
    assert style == ["non-scaling-stroke", "0.7px"]
    map_page.screenshot(path=str(ARTIFACTS / "map-zoomed.png"))


def test_a_lead_partner_is_a_star_on_the_map(map_page: Any) -> None:
    # graph/daugavpils-cities-of-change.yaml: Poznań leads "Cities of change"; Kraków leads nothing.
    shapes = map_page.evaluate(f"[citynet.nodes.get('{POZNAN}'), citynet.nodes.get('{KRAKOW}')]")
    assert [shapes[0]["shape"], shapes[0]["borderWidth"]] == ["star", 2]
    assert shapes[0]["label"].endswith("★")
    assert [shapes[1]["shape"], shapes[1]["borderWidth"]] == ["dot", 1]


def test_the_flows_toggle_shows_lines_between_countries(map_page: Any) -> None:
    line = map_page.locator('#flows line[data-from="LV"][data-to="PL"]')
    assert not line.is_visible()
    assert map_page.evaluate("citynet.edges.get().every(e => !e.hidden)")
    map_page.check("#flows-toggle")
    assert line.is_visible()
    assert line.locator("title").text_content().startswith("Latvia \N{EN DASH} Poland: 2 shared networks")
    box = line.bounding_box()
    assert box is not None and box["width"] > 20  # Latvia to Poland runs a long way east-west
    assert map_page.evaluate("citynet.edges.get().every(e => e.hidden)")  # the city-city edges give way
    map_page.screenshot(path=str(ARTIFACTS / "map-flows.png"))
    map_page.uncheck("#flows-toggle")
    assert not line.is_visible()
    assert map_page.evaluate("citynet.edges.get().every(e => !e.hidden)")
