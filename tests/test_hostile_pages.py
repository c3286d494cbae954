"""A ``javascript:`` or ``data:`` URL in a website or source URL never becomes a link in the site.

Fact files refuse such URLs (a website must be http(s)); a store filled another way (a SPARQL
endpoint given to ``visualize --endpoint``, an enrichment) may still hold them. The hostile store
here is the seed graph plus a graph of such URLs; the site built from it is read as files and
then clicked through in Chromium with a dialog listener that must never fire.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from citynet.store.embedded import EmbeddedStore, write_store

from .browser import offline_page, open_ready
from .conftest import add_source, copy_project, invoke

ID = "https://w3id.org/citynet/id/"
CN = "https://w3id.org/citynet/ontology#"
OP_ACT, RURAL = f"{ID}network/op-act", f"{ID}network/rural"
KRAKOW, LEOBEN = f"{ID}city/3094802", f"{ID}city/2772649"
HOSTILE = {
    (OP_ACT, "website"): "javascript:alert(1)",
    (RURAL, "website"): "data:text/html;base64,PHNjcmlwdD5hbGVydCgyKTwvc2NyaXB0Pg==",
    (KRAKOW, "website"): "JaVaScRiPt:alert(3)",
    (f"{ID}source/silesia-urbact-ii", "url"): "javascript:alert(4)",
}
FINE = {
    (LEOBEN, "website"): "https://www.leoben.at/",
    (f"{ID}source/krakow-urb-inclusion", "url"): "https://urbact.eu/urb-inclusion",
}


@pytest.fixture(scope="module")
def hostile_site(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the seed graph plus websites and source URLs of every kind."""
    folder = tmp_path_factory.mktemp("hostile-urls")
    nquads = folder / "all.nq"
    with nquads.open("wb") as out:
        EmbeddedStore.open(seed_store).dump(out, "nquads")
    with nquads.open("a", encoding="utf-8") as out:
        for (subject, prop), url in {**HOSTILE, **FINE}.items():
            out.write(f"<{subject}> <{CN}{prop}> <{url}> <{ID}graph/hostile> .\n")
    write_store(nquads, folder / "store")
    result = invoke("visualize", "-o", str(folder / "site"), store=folder / "store")
    assert result.returncode == 0, result.stderr
    return folder / "site"


def page_data(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="citynet-data">(.*?)</script>', text, re.S)
    assert found, path
    return json.loads(found.group(1))


def test_a_fact_file_with_a_javascript_website_is_one_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    add_source(
        root,
        "{id: test-source, title: Test, language: en}",
        "a-test",
        "source: test-source\n"
        "networks:\n"
        "  - id: test-net\n"
        "    names: [{text: Test Net, lang: en}]\n"
        "    programme: urbact-iii\n"
        "    type: transfer-network\n"
        "    website: javascript:alert(1)\n"
        "    members:\n"
        "      - {city: Leoben, country: AT, role: lead-partner}\n",
    )
    result = invoke("load", "--store", str(tmp_path / "store"), "--root", str(root))
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("Error: ") and "website" in result.stderr and "http(s)" in result.stderr


def test_only_http_links_reach_the_pages_data(hostile_site: Path) -> None:
    leoben = page_data(hostile_site / "cities" / "2772649.html")
    node = next(n for n in leoben["nodes"] if n["id"] == LEOBEN)
    assert node["links"] == [["website", "https://www.leoben.at/"]]
    urb = page_data(hostile_site / "networks" / "urb-inclusion.html")
    links = {tuple(link) for e in urb["edges"] for link in e["links"]}
    assert links == {("source", "https://urbact.eu/urb-inclusion")}
    for path in hostile_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8").lower()
        assert "javascript:" not in text and "data:text" not in text, path


def test_every_href_in_the_files_is_a_page_of_the_site(hostile_site: Path) -> None:
    for path in hostile_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]*)"', text):
            assert not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", href), (path, href)
            if href.startswith("#"):  # the skip link: an element of the same page
                assert f'id="{href[1:]}"' in text, (path, href)
            else:
                assert (path.parent / href).resolve().is_file(), (path, href)


def click_everything(page: Any) -> list[str]:
    """Click every node and every edge (as vis-network reports a click); the links the details showed."""
    return page.evaluate("""() => {
        const hrefs = [];
        const show = params => {
            const click = Object.assign({nodes: [], edges: [], event: {}, pointer: {}}, params);
            citynet.network.emit("click", click);
            for (const a of document.querySelectorAll('#details a')) hrefs.push(a.href);
        };
        citynet.nodes.getIds().forEach(id => show({nodes: [id]}));
        citynet.edges.getIds().forEach(id => show({edges: [id]}));
        return hrefs;
    }""")


@pytest.mark.parametrize(
    ("path", "web"),
    [
        ("networks/op-act.html", {"https://www.leoben.at/"}),
        ("networks/rural.html", set()),
        ("networks/urb-inclusion.html", {"https://urbact.eu/urb-inclusion"}),
        ("cities/3094802.html", {"https://urbact.eu/urb-inclusion"}),
        # graph.html: Cities of change's website is in the seed facts (http://www.ccnet.poznan.pl/).
        (
            "graph.html",
            {"https://www.leoben.at/", "https://urbact.eu/urb-inclusion", "http://www.ccnet.poznan.pl/"},
        ),
    ],
)
def test_clicking_through_a_hostile_site_opens_no_dialog(
    hostile_site: Path, path: str, web: set[str]
) -> None:
    with offline_page() as (page, watch):
        page.goto((hostile_site / "index.html").as_uri())
        page.evaluate("alert('the listener works')")
        assert watch.dialogs == ["the listener works"]
        watch.clear()
        open_ready(page, (hostile_site / path).as_uri())
        hrefs = click_everything(page)
        assert {h for h in hrefs if not h.startswith("file:")} == web
        for href in sorted({h for h in hrefs if h.startswith("file:")})[:3]:  # "Open its page"
            open_ready(page, href)
            click_everything(page)
        assert watch.dialogs == []
        assert watch.errors == []
        assert watch.outside == []


def test_the_page_script_itself_makes_no_hostile_link(hostile_site: Path, tmp_path: Path) -> None:
    """Data that slipped past the site's check (edited by hand): the page's script shows it as text."""
    source = hostile_site / "networks" / "op-act.html"
    data = page_data(source)
    for node in data["nodes"]:
        node["links"] = [
            ["website", "javascript:alert(7)"],
            ["website", "data:text/html,<b>x</b>"],
            ["website", "https://ok.example/"],
        ]
        node["page"] = " javascript:alert(8)" if node["id"] == LEOBEN else "\tjava\nscript:alert(9)"
    text = source.read_text(encoding="utf-8")
    start = text.index('id="citynet-data">') + len('id="citynet-data">')
    end = text.index("</script>", start)
    edited = hostile_site / "networks" / "edited-by-hand.html"
    edited.write_text(text[:start] + json.dumps(data).replace("<", "\\u003c") + text[end:], encoding="utf-8")
    try:
        with offline_page() as (page, watch):
            open_ready(page, edited.as_uri())
            hrefs = click_everything(page)
            assert set(hrefs) == {"https://ok.example/"}
            page.evaluate("id => citynet.network.emit('click', {nodes: [id], edges: []})", LEOBEN)
            assert "javascript:alert(7)" in page.inner_text("#details")  # as text
            assert page.eval_on_selector_all("#details a", "links => links.map(a => a.href)") == [
                "https://ok.example/"
            ]
            page.evaluate(
                "() => document.querySelectorAll('#details a').forEach(a => "
                "a.addEventListener('click', e => e.preventDefault()))"
            )
            for link in page.locator("#details a").all():
                link.click()
            assert watch.dialogs == []
            assert watch.errors == []
    finally:
        edited.unlink()
