"""The site by keyboard alone, in headless Chromium (skipped without it, failing so with ``CI=true``):
the skip link, the search box as an ARIA 1.2 combobox, and the details panel it opens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .browser import open_ready
from .conftest import ROOT

ARTIFACTS = ROOT / ".pytest-artifacts"
# GeoNames ids from graph/places.yaml.
POZNAN = "https://w3id.org/citynet/id/city/3088171"
FOCUSED = "document.activeElement.id || document.activeElement.className"


def open_graph(browser: tuple[Any, Any], site: Path) -> Any:
    page, watch = browser
    watch.clear()
    open_ready(page, (site / "graph.html").as_uri())
    return page


def tab_to(page: Any, target: str, most: int = 10) -> list[str]:
    """Press Tab until ``target`` (an id) has the focus; the ids or classes focused on the way."""
    seen = []
    for _ in range(most):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
        if seen[-1] == target:
            return seen
    raise AssertionError(f"Tab never reached #{target}: {seen}")


def test_tab_reaches_the_skip_link_first_and_it_skips_to_the_graph(
    browser: tuple[Any, Any], site: Path
) -> None:
    page = open_graph(browser, site)
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "skip"
    assert page.locator("a.skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "content"


def test_a_city_is_found_chosen_and_closed_by_keyboard(browser: tuple[Any, Any], site: Path) -> None:
    page = open_graph(browser, site)
    box = page.locator("#search")
    assert tab_to(page, "search")[0] == "skip"
    assert (box.get_attribute("role"), box.get_attribute("aria-expanded")) == ("combobox", "false")
    page.keyboard.type("Poznan")  # no accent: the search folds them
    assert box.get_attribute("aria-expanded") == "true"
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox"
    first = listbox.locator("[role=option]").first
    assert first.inner_text().startswith("Poznań")  # graph/places.yaml: 3088171, Poznań
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    assert page.evaluate("citynet.network.getSelectedNodes()") == [POZNAN]
    assert page.evaluate(FOCUSED) == "details"
    assert page.inner_text("#details h3") == "Poznań"
    assert "Poland (PL)" in page.inner_text("#details")
    assert box.get_attribute("aria-expanded") == "false"
    page.screenshot(path=str(ARTIFACTS / "keyboard-details.png"))
    page.keyboard.press("Tab")  # into the panel: its Close button first
    assert page.evaluate(FOCUSED) == "cn-close"
    page.keyboard.press("Escape")
    assert page.evaluate(FOCUSED) == "search"
    assert "Poznań" not in page.inner_text("#details")
    assert page.evaluate("citynet.network.getSelectedNodes()") == []


def test_up_wraps_escape_closes_the_list_and_close_returns_focus(
    browser: tuple[Any, Any], site: Path
) -> None:
    page = open_graph(browser, site)
    box = page.locator("#search")
    box.focus()
    page.keyboard.type("krak")
    options = page.locator("#search-results [role=option]")
    count = options.count()
    assert count >= 1 and options.first.inner_text().startswith("Kraków")
    page.keyboard.press("ArrowUp")  # from none to the last
    assert box.get_attribute("aria-activedescendant") == options.nth(count - 1).get_attribute("id")
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator("#search-results").is_hidden()
    assert box.input_value() == "krak"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "details"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the Close button
    assert page.evaluate(FOCUSED) == "search"
    assert page.locator("#details .cn-close").count() == 0


def test_the_focus_ring_shows(browser: tuple[Any, Any], site: Path) -> None:
    page = open_graph(browser, site)
    tab_to(page, "search")
    style = page.evaluate("(s => [s.outlineStyle, s.outlineWidth])(getComputedStyle(document.activeElement))")
    assert style == ["solid", "3px"]
