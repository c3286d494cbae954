"""The site's palette (citynet/site/palette.py) against WCAG contrast and colour-vision deficiencies.

Node fills need 3:1 against what they are drawn on (WCAG 2.1 SC 1.4.11, non-text contrast), text
4.5:1 (SC 1.4.3); the backgrounds and text colours are read from the stylesheet, so a change there
is checked too. Then every pair of node colours must stay apart, as typical vision sees them and
under simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009), by at least
:data:`MIN_DIFFERENCE` in CIEDE2000.
"""

from __future__ import annotations

import itertools
import re
from importlib import resources

import pycountry
import pytest

from citynet.site.palette import (
    CVD_MATRICES,
    NETWORK_COLOUR,
    NO_COUNTRY,
    REGION_COLOURS,
    REGION_OF,
    compare_seen,
    find_region,
    measure_contrast,
    measure_difference,
)
from citynet.site.style import EDGE_COLOUR, LEAD_BORDER, pick_colour, to_vis_node

CSS = (resources.files("citynet.site") / "templates" / "citynet.css").read_text(encoding="utf-8")
NODE_COLOURS = {**REGION_COLOURS, "network": NETWORK_COLOUR, "no country": NO_COUNTRY}
DEFICIENCIES = [None, *CVD_MATRICES]
# ΔE00 of about 1 is just noticeable between two large patches side by side; graph nodes are small
# marks seen apart, among others, which needs several times more (Szafir 2018, "Modeling Color
# Difference for Visualization Design": the difference needed grows as marks shrink). 10 is the
# floor asked of every pair here; the palette's closest pair is indigo and wine seen with
# protanopia, at about 11.8.
MIN_DIFFERENCE = 10.0


def read_colour(selector: str, prop: str) -> str:
    """The last ``prop: #hex`` a rule for exactly ``selector`` sets in citynet.css."""
    values = []
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)):
        if selector in (s.strip() for s in selectors.split(",")):
            values += re.findall(rf"(?:^|[;\s]){re.escape(prop)}\s*:[^;]*?(#[0-9a-fA-F]{{3,6}})\b", body)
    assert values, f"no {prop} for {selector} in citynet.css"
    return values[-1]


def test_contrast_matches_values_worked_by_hand() -> None:
    # #0072B2: G 0x72 = 114/255 = 0.4471 -> ((0.4471 + 0.055) / 1.055)^2.4 = 0.1683; B 0xB2 = 178/255
    # = 0.6980 -> 0.4451; L = 0.7152 x 0.1683 + 0.0722 x 0.4451 = 0.1525; on white 1.05 / 0.2025 = 5.19.
    # #D55E00: R 213 -> 0.6654, G 94 -> 0.1119; L = 0.2126 x 0.6654 + 0.7152 x 0.1119 = 0.2215;
    # on white 1.05 / 0.2715 = 3.87. #767676 on white: 4.54, WebAIM's lightest grey passing 4.5:1.
    assert measure_contrast("#0072B2", "#ffffff") == 5.19
    assert measure_contrast("#D55E00", "#ffffff") == 3.87
    assert measure_contrast("#ffffff", "#767676") == 4.54
    assert measure_contrast("#000", "#fff") == 21.0
    assert measure_contrast("#777777", "#ffffff") < 4.5  # one step lighter fails


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [
        # Sharma, Wu & Dalal (2005), Table 1, pairs 1, 7 and 17.
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ],
)
def test_ciede2000_matches_sharmas_test_data(lab1: tuple, lab2: tuple, expected: float) -> None:
    assert round(measure_difference(lab1, lab2), 4) == expected


def test_the_simulations_keep_white_and_black() -> None:
    # Machado et al.'s matrices map white to white (each row sums to 1) and black to black.
    for deficiency, rows in CVD_MATRICES.items():
        assert [round(sum(row), 5) for row in rows] == [1.0, 1.0, 1.0], deficiency
        assert compare_seen("#ffffff", "#ffffff", deficiency) == 0.0
        assert compare_seen("#000000", "#ffffff", deficiency) == pytest.approx(100.0, abs=0.01)


def test_the_check_catches_red_and_green() -> None:
    # matplotlib's tab10 red and green: far apart for typical vision, close with deuteranopia.
    assert compare_seen("#d62728", "#2ca02c") > 50
    assert compare_seen("#d62728", "#2ca02c", "deuteranopia") < MIN_DIFFERENCE


@pytest.mark.parametrize(
    ("where", "selector", "prop"),
    [
        ("a graph page", "body", None),
        ("the map's land", "#basemap path", "fill"),
        ("the map's sea", "#map-frame", "background"),
    ],
)
def test_every_node_colour_stands_out_from_its_background(
    where: str, selector: str, prop: str | None
) -> None:
    background = read_colour(selector, prop) if prop else "#ffffff"
    for name, colour in NODE_COLOURS.items():
        assert measure_contrast(colour, background) >= 3.0, f"{name} {colour} on {where} {background}"


@pytest.mark.parametrize(
    ("where", "selector", "prop"),
    [
        ("a graph page", "body", None),
        ("the map's land", "#basemap path", "fill"),
        ("the map's sea", "#map-frame", "background"),
    ],
)
def test_edges_and_the_lead_ring_stand_out_from_their_background(
    where: str, selector: str, prop: str | None
) -> None:
    background = read_colour(selector, prop) if prop else "#ffffff"
    for name, colour in (("edge", EDGE_COLOUR), ("lead ring", LEAD_BORDER)):
        assert measure_contrast(colour, background) >= 3.0, f"{name} {colour} on {where} {background}"
    assert read_colour(".shape.lead", "border") == LEAD_BORDER  # the legend's ring is the graph's


@pytest.mark.parametrize(
    ("text", "background"),
    [
        (("body", "color"), "#ffffff"),
        ((".hint", "color"), "#ffffff"),
        ((".about .note", "color"), "#ffffff"),
        (("aside li.note", "color"), "#ffffff"),
        (("#basemap text", "fill"), ("#basemap path", "fill")),
        (("header .what", "color"), ("header", "background")),
        (("header .home", "color"), ("header", "background")),
        (("#status", "color"), ("#controls", "background")),
        (("#search-results [role=option] .note", "color"), ("#search-results", "background")),
        (
            ("#search-results [role=option][aria-selected=true]", "color"),
            ("#search-results [role=option][aria-selected=true]", "background"),
        ),
    ],
)
def test_text_colours_have_4_5_to_1(text: tuple[str, str], background: str | tuple[str, str]) -> None:
    fore = read_colour(*text)
    back = read_colour(*background) if isinstance(background, tuple) else background
    assert measure_contrast(fore, back) >= 4.5, (text, fore, back)


def test_the_focus_ring_has_3_to_1_wherever_it_is_drawn() -> None:
    ring, page, controls = (
        read_colour(":focus-visible", "outline"),
        "#ffffff",
        read_colour("#controls", "background"),
    )
    assert measure_contrast(ring, page) >= 3.0 and measure_contrast(ring, controls) >= 3.0
    header_ring = read_colour("header :focus-visible", "outline-color")
    header = read_colour("header", "background")
    assert measure_contrast(header_ring, header) >= 3.0


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
def test_node_colours_stay_apart_with_each_deficiency(deficiency: str | None) -> None:
    for (first, one), (second, other) in itertools.combinations(NODE_COLOURS.items(), 2):
        difference = compare_seen(one, other, deficiency)
        assert difference >= MIN_DIFFERENCE, f"{first} and {second} with {deficiency or 'typical vision'}"


def test_regions_are_m49s_and_every_code_is_a_country() -> None:
    assert (find_region("SE"), find_region("DE"), find_region("ES"), find_region("PL")) == (
        "Northern Europe",
        "Western Europe",
        "Southern Europe",
        "Eastern Europe",
    )
    assert find_region("CY") is find_region("TR") is find_region(None) is None  # M49: Western Asia
    assert find_region("XK") == "Southern Europe"  # not in M49; beside Serbia and North Macedonia
    assert {code for code in REGION_OF if not pycountry.countries.get(alpha_2=code)} == {"XK"}


def test_a_node_is_drawn_in_its_regions_colour_with_its_kinds_shape() -> None:
    warsaw = to_vis_node("c", {"kind": "city", "country": "PL", "label": "Warszawa"}, [], None)
    network = to_vis_node("n", {"kind": "network", "label": "OP-ACT"}, [], None)
    assert warsaw["color"]["background"] == "#332288" == pick_colour("CZ")
    assert (warsaw["shape"], network["shape"]) == ("dot", "diamond")
    assert network["color"]["background"] == "#000000"
