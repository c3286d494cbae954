"""The index's search (search-index.js, lib/search.js) and graph.html aggregated by country above
``--max-nodes``: first the index and the aggregation in Python over the seed graph, then both
pages in headless Chromium (skipped without it, failing so with ``CI=true``).

Expected values are counted by hand from graph/*.yaml (the seed graph): 15 networks with members,
37 cities, 2 organisations; URBACT II's nine networks are in graph/silesia-urbact-ii.yaml.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from citynet.graphs.memberships import Filters, read_facts
from citynet.site.aggregate import build_country_graph, plan_matrix
from citynet.site.pages import build_graphs, link_pages
from citynet.site.search import INDEX_FILE, fold, plan_search_index, read_all_labels
from citynet.store.embedded import EmbeddedStore

from .browser import open_ready
from .conftest import ROOT, invoke

ARTIFACTS = ROOT / ".pytest-artifacts"
BROWSER_WIDTH = 1280  # the browser fixture's page (tests/conftest.py)
KRAKOW = "cities/3094802.html"  # GeoNames id from graph/places.yaml
# graph/silesia-urbact-ii.yaml: URBACT II's networks and their cities (Bytom and Katowice in two).
URBACT_II_NETWORKS = (
    9  # city-regions-net, fin-urb-act, reggov, lumasec, co-net, nodus, lc-facil, evue, op-act
)
URBACT_II_CITIES = 17  # Częstochowa, Gliwice, Ruda Śląska, Bytom, Zabrze, Katowice + OP-ACT's 11
# Of those, in Poland: the nine networks (each has a Polish member) and seven cities (OP-ACT's
# Dąbrowa Górnicza and the six Silesian ones); the programme row has no country, so it drops out.
URBACT_II_POLAND = 9 + 7
# Every entity: 15 networks, 37 cities, 2 organisations, 4 programmes (URBACT II, III, IV, Europe for
# Citizens 2007-2013; USER has none) and the 20 countries of the members (Rēzekne is LV by the gazetteer).
EVERYTHING = 15 + 37 + 2 + 4 + 20


@pytest.fixture(scope="module")
def index(seed: EmbeddedStore) -> dict[str, Any]:
    """The seed graph's search index, as written into search-index.js."""
    bipartite, _ = build_graphs(seed, Filters())
    return plan_search_index(bipartite, link_pages(bipartite), read_facts(seed), read_all_labels(seed))


def find_rows(index: dict[str, Any], query: str) -> list[list[Any]]:
    """The rows whose folded labels hold every word of the query, as the page's script finds them."""
    words = fold(query).split()
    return [row for row in index["rows"] if all(word in row[2] for word in words)]


def count_with(index: dict[str, Any], facet: str, value: str) -> int:
    """How many rows carry ``value`` in ``facet``."""
    number = index["values"][facet].index(value)
    column = index["facets"].index(facet) + 3  # kind is column 1, the facets 4 to 7
    return sum(1 for row in index["rows"] if number in row[column])


def test_folding_drops_case_and_accents() -> None:
    assert fold("Kraków") == fold("KRAKOW") == "krakow"
    assert fold("Dąbrowa Górnicza") == "dabrowa gornicza"
    assert fold("Łódź") == "lodz"  # Ł does not decompose under NFD
    assert fold("Klaipėda") == "klaipeda"


def test_an_accented_label_is_found_without_its_accents(index: dict[str, Any]) -> None:
    found = [(row[0], index["kinds"][row[1]], row[3]) for row in find_rows(index, "krakow")]
    assert ("Kraków", "city", KRAKOW) in found
    assert [label for label, _, _ in find_rows_labels(index, "dabrowa gornicza")] == ["Dąbrowa Górnicza"]


def find_rows_labels(index: dict[str, Any], query: str) -> list[tuple[str, str, str]]:
    return [(row[0], index["kinds"][row[1]], row[3]) for row in find_rows(index, query)]


def test_a_network_is_found_by_its_label_in_another_language(index: dict[str, Any]) -> None:
    # graph/silesia-urbact-ii.yaml: OP-ACT's Polish name "Opcje działań - strategiczne pozycjonowanie ...".
    assert find_rows_labels(index, "opcje dzialan") == [("OP-ACT", "network", "networks/op-act.html")]


def test_every_entity_has_a_row_and_programmes_and_countries_have_no_page(index: dict[str, Any]) -> None:
    kinds = [index["kinds"][row[1]] for row in index["rows"]]
    assert [kinds.count(k) for k in ("network", "city", "organisation", "programme", "country")] == [
        15,
        37,
        2,
        4,
        20,
    ]
    assert find_rows_labels(index, "poland") == [("Poland", "country", "")]
    assert ("URBACT II", "programme", "") in find_rows_labels(index, "urbact ii")


def test_facet_counts_are_those_counted_from_the_sources(index: dict[str, Any]) -> None:
    assert count_with(index, "programme", "URBACT II") == URBACT_II_NETWORKS + URBACT_II_CITIES + 1
    # graph/silesia-urbact-ii.yaml: the working groups LUMASEC, Nodus, LC-FACIL and OP-ACT; their
    # cities Bytom (two of them), Katowice and OP-ACT's eleven.
    assert count_with(index, "type", "working group") == 4 + 2 + 11
    # graph/celje-cities-at-heart.yaml: Quadrilatero (PT) is an association; Cities@Heart has it.
    assert count_with(index, "orgtype", "association") == 2
    assert "Portugal" in index["values"]["country"]


def test_the_written_index_is_a_script_that_cannot_close_a_script_element(
    seed_store: Path, tmp_path: Path
) -> None:
    result = invoke("visualize", "-o", str(tmp_path / "s"), store=seed_store)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "s" / INDEX_FILE).read_text(encoding="utf-8")
    prefix = "window.citynetSearchIndex = "
    assert text.startswith(prefix) and text.endswith(";\n")
    assert "<" not in text and len(json.loads(text[len(prefix) : -2])["rows"]) == EVERYTHING
    assert '<script src="search-index.js"></script>' in (tmp_path / "s" / "index.html").read_text()


# --- the aggregated view ---------------------------------------------------------------------------


def test_countries_are_linked_by_the_networks_their_members_share(seed: EmbeddedStore) -> None:
    countries = build_country_graph(build_graphs(seed, Filters())[0])
    # Italy and Spain: Cities@Heart (Cesena, Granada), URB-INCLUSION (Naples and Turin, Barcelona) and
    # OP-ACT (Ancona, Legazpi); RURAL only declares them (graph/urbact-lt-transfer-networks.yaml).
    assert countries.edges["ES", "IT"]["weight"] == 3
    # Greece and Poland: URB-INCLUSION (Trikala, Kraków) and Cities@Heart, through the organisation
    # Amfiktyonyes (graph/celje-cities-at-heart.yaml) - organisations count for their country too.
    assert countries.edges["GR", "PL"]["weight"] == 2
    # Poland's members: Kraków, Poznań, Dąbrowa Górnicza and the six Silesian cities.
    assert countries.nodes["PL"]["members"] == 9
    assert countries.number_of_nodes() == 20


def test_the_programme_country_table_counts_networks(seed: EmbeddedStore) -> None:
    matrix = plan_matrix(build_graphs(seed, Filters())[0])
    assert matrix.cells["URBACT II"]["PL"] == URBACT_II_NETWORKS
    assert matrix.cells["URBACT III"]["IT"] == 1  # URB-INCLUSION; RURAL's Italian partner is only declared
    assert matrix.programmes[0] == ("URBACT II", URBACT_II_NETWORKS)
    assert matrix.countries[0] == ("PL", "Poland")  # the most members


@pytest.fixture(scope="module")
def sites(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed graph's site, and the same with --max-nodes 40 (graph.html, 54 nodes, aggregated)."""
    folder = tmp_path_factory.mktemp("search-site")
    result = invoke("visualize", "-o", str(folder / "full"), store=seed_store)
    assert result.returncode == 0, result.stderr
    result = invoke("visualize", "--max-nodes", "40", "-o", str(folder / "small"), store=seed_store)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing is left out: the other pages have at most 40 nodes
    return folder / "full", folder / "small"


def test_the_aggregated_page_says_it_is_aggregated_and_why(sites: tuple[Path, Path]) -> None:
    full, small = sites
    page = (small / "graph.html").read_text(encoding="utf-8")
    assert "The member-network graph has 54 nodes, more than --max-nodes (40)" in page
    assert 'href="programme-country.html"' in page and (small / "programme-country.html").exists()
    assert "Aggregated view" not in (full / "graph.html").read_text(encoding="utf-8")
    assert not (full / "programme-country.html").exists()
    assert "member-network graph aggregated by country" in (small / "index.html").read_text(encoding="utf-8")
    assert "member-network graph aggregated by country" not in (full / "index.html").read_text(
        encoding="utf-8"
    )


# --- in the browser ------------------------------------------------------------------------------


def open_index(browser: tuple[Any, Any], site: Path) -> tuple[Any, Any]:
    """The browser's page on the site's index, its search ready, and a cleared watch of its errors."""
    page, watch = browser
    watch.clear()
    page.goto((site / "index.html").as_uri())
    page.wait_for_function("window.citynetSearch && window.citynetSearch.ready === true")
    return page, watch


def read_total(page: Any) -> int:
    return int(page.get_attribute("#finder-count", "data-total"))


def test_the_search_finds_narrows_by_facets_and_pages(
    browser: tuple[Any, Any], sites: tuple[Path, Path]
) -> None:
    page, watch = open_index(browser, sites[0])
    assert read_total(page) == EVERYTHING
    assert page.locator("#finder-results li").count() == 50
    page.click("#finder-next")
    assert page.locator("#finder-results li").count() == EVERYTHING - 50
    assert page.inner_text("#finder-count").startswith(
        f"51\N{EN DASH}{EVERYTHING} of {EVERYTHING} results (page 2 of 2)"
    )
    assert page.is_disabled("#finder-next")
    page.click("#finder-previous")

    page.fill("#finder-query", "krakow")
    page.press("#finder-query", "Enter")
    first = page.locator("#finder-results li a").first
    assert first.inner_text() == "Kraków" and first.get_attribute("href") == KRAKOW
    page.fill("#finder-query", "")
    page.press("#finder-query", "Enter")

    page.check('#finder-facets input[data-facet="programme"][data-label="URBACT II"]')
    assert read_total(page) == URBACT_II_NETWORKS + URBACT_II_CITIES + 1
    page.check('#finder-facets input[data-facet="country"][data-label="Poland"]')
    assert read_total(page) == URBACT_II_POLAND
    counted = page.inner_text('#finder-facets fieldset[data-facet="kind"]')
    assert "network 9" in counted and "city 7" in counted
    page.fill("#finder-query", "dabrowa")
    page.press("#finder-query", "Enter")
    assert read_total(page) == 1
    assert page.locator("#finder-results li a").first.inner_text() == "Dąbrowa Górnicza"
    page.screenshot(path=str(ARTIFACTS / "index-search.png"))
    page.click("#finder-clear")
    assert read_total(page) == EVERYTHING
    assert watch.errors == watch.outside == watch.dialogs == []


def test_a_programme_result_selects_its_facet(browser: tuple[Any, Any], sites: tuple[Path, Path]) -> None:
    page, watch = open_index(browser, sites[0])
    page.fill("#finder-query", "urbact ii")
    page.press("#finder-query", "Enter")
    page.click("#finder-results li a >> text='URBACT II'")
    page.wait_for_function("document.getElementById('finder-query').value === ''")
    assert page.is_checked('#finder-facets input[data-facet="programme"][data-label="URBACT II"]')
    assert read_total(page) == URBACT_II_NETWORKS + URBACT_II_CITIES + 1
    assert watch.errors == watch.outside == watch.dialogs == []


def test_the_ticked_facets_and_the_query_stay_in_the_address(
    browser: tuple[Any, Any], sites: tuple[Path, Path]
) -> None:
    page, watch = open_index(browser, sites[0])
    entries = page.evaluate("history.length")
    page.check('#finder-facets input[data-facet="programme"][data-label="URBACT II"]')
    page.check('#finder-facets input[data-facet="country"][data-label="Poland"]')
    page.fill("#finder-query", "dabrowa")
    page.press("#finder-query", "Enter")
    assert page.evaluate("location.hash") == "#q=dabrowa&programme=URBACT+II&country=Poland"
    assert page.evaluate("history.length") == entries  # no history entry per tick
    page.reload()
    page.wait_for_function("window.citynetSearch && window.citynetSearch.ready === true")
    assert page.is_checked('#finder-facets input[data-facet="programme"][data-label="URBACT II"]')
    assert page.is_checked('#finder-facets input[data-facet="country"][data-label="Poland"]')
    assert page.input_value("#finder-query") == "dabrowa"
    assert read_total(page) == 1  # Dąbrowa Górnicza
    page.uncheck('#finder-facets input[data-facet="country"][data-label="Poland"]')
    assert page.evaluate("location.hash") == "#q=dabrowa&programme=URBACT+II"
    page.click("#finder-clear")
    assert page.evaluate("location.hash") == ""
    assert watch.errors == watch.outside == watch.dialogs == []


def test_the_aggregated_page_draws_the_countries(browser: tuple[Any, Any], sites: tuple[Path, Path]) -> None:
    page, watch = browser
    watch.clear()
    open_ready(page, (sites[1] / "graph.html").as_uri())
    assert page.evaluate("citynet.nodes.length") == 20
    poland = page.evaluate("citynet.nodes.get('PL').info")
    assert ["members", "9"] in poland and ["", "Poland"] in poland
    weight = page.evaluate("citynet.edges.get().find(e => e.from === 'GR' && e.to === 'PL').info")
    assert any(key == "shared" and value.startswith("2: ") for key, value in weight)
    page.screenshot(path=str(ARTIFACTS / "graph-aggregated.png"))
    assert watch.errors == watch.outside == watch.dialogs == []
