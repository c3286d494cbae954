"""The index's ready signal, which ``bench/site_speed.py`` reads as its time to interactive: once
search-index.js is parsed and the first results are on the page, ``citynetSearch.readyAt`` holds the
milliseconds since navigation started. In headless Chromium (skipped without it, failing so with
``CI=true``). No time is asserted: only that the signal exists and comes after the first results.
"""

from __future__ import annotations

from pathlib import Path

from .browser import offline_page

# The seed graph's entities (tests/test_site_search.py counts them from graph/*.yaml): 15 networks,
# 37 cities, 2 organisations, 4 programmes, 20 countries; the first page of results shows 50.
FIRST_PAGE = 50


def test_the_index_says_when_its_first_results_are_on_the_page(site: Path) -> None:
    with offline_page() as (page, watch):
        page.goto((site / "index.html").as_uri())
        page.wait_for_function("window.citynetSearch && window.citynetSearch.ready === true")
        ready_at = page.evaluate("citynetSearch.readyAt")
        assert isinstance(ready_at, int | float)
        assert 0 < ready_at <= page.evaluate("performance.now()")
        assert page.locator("#finder-results li").count() == FIRST_PAGE
        assert watch.errors == watch.outside == []
