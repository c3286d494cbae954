"""The named queries as published resources (:mod:`citynet.publish.queries`) on the seed graph.

Expected values are read off the seed fact files: the fifteen networks are the ``networks:`` ids of
graph/silesia-urbact-ii.yaml (9), urbact-lt-transfer-networks.yaml (2), krakow-urb-inclusion.yaml (2),
celje-cities-at-heart.yaml (1) and daugavpils-cities-of-change.yaml (1); OP-ACT's members are the
eleven cities of silesia-urbact-ii.yaml, Leoben (GeoNames 2772649 in graph/places.yaml) its lead partner.
The examples a page gives are run for real: curl and SPARQLWrapper against ``citynet serve``, and
the pages open in headless Chromium from ``file://`` with every other request blocked.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import html
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
from pyld import jsonld

from citynet.errors import PublishError
from citynet.publish.context import Context
from citynet.publish.queries import PREVIEW_ROWS, write_queries
from citynet.store.embedded import EmbeddedStore

from .browser import offline_page
from .conftest import ROOT
from .servers import need_program

BASE = "https://w3id.org/citynet/"
QUERIES = ROOT / "queries"
NETWORK_IDS = {
    "city-regions-net", "fin-urb-act", "reggov", "lumasec", "co-net", "nodus", "lc-facil", "evue", "op-act",
    "rural", "the-playful-paradigm", "user", "urb-inclusion", "cities-at-heart", "cities-of-change",
}  # fmt: skip
OP_ACT_MEMBERS = {  # GeoNames IDs of graph/places.yaml: Leoben, Rezekne, Eberswalde, Altena, Heerlen,
    2772649, 456202, 2933882, 2957886, 2754652,  # Nagykálló, Legazpi, Notodden, Ancona, Medias,
    717281, 3118587, 3144075, 3183089, 673634, 3100796,  # Dąbrowa Górnicza
}  # fmt: skip
HOSTILE_NAME = "it's (x)+y"  # a file name with the characters a link must encode alike
HOSTILE = """\
#+ summary: "<script>alert('summary')</script> & more"
#+ params:
#+   - {name: text, kind: text, doc: "<b>bold</b></script>", example: "<img src=x onerror=alert(1)>"}
SELECT ?text ?link ?label
WHERE { BIND(<javascript:alert(2)> AS ?link) BIND("</script><script>alert(3)</script>" AS ?label) }
"""


def make_context(store_dir: Path, folder: Path, endpoint: str | None = None) -> Context:
    store = EmbeddedStore.open(store_dir).store
    return Context(store, BASE, dt.date(2026, 12, 4), folder, sparql_endpoint=endpoint)


@pytest.fixture(scope="module")
def published(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The seed graph's queries published once: the published folder and the paths written."""
    folder = tmp_path_factory.mktemp("published") / "pub"
    return folder, write_queries(make_context(seed_store, folder), QUERIES)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_pre(page: str, element: str) -> str:
    """The text of the page's ``<pre id=element>``, unescaped."""
    found = re.search(f'<pre id="{element}"><code>(.*?)</code></pre>', page, re.S)
    assert found, element
    return html.unescape(found.group(1))


def read_jsonld(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found
    return json.loads(found.group(1))


# --- the files ------------------------------------------------------------------------------------


def test_every_query_has_its_four_files(published: tuple[Path, list[str]]) -> None:
    folder, written = published
    names = sorted(path.stem for path in QUERIES.glob("*.rq"))
    assert len(names) == 19
    expected = {"queries/index.html"} | {
        f"queries/{name}.{ext}" for name in names for ext in ("html", "rq", "csv", "json")
    }
    assert set(written) == expected
    assert {str(p.relative_to(folder)) for p in (folder / "queries").iterdir()} == expected


@pytest.mark.parametrize("name", sorted(path.stem for path in QUERIES.glob("*.rq")))
def test_the_text_is_the_file_and_the_results_agree(published: tuple[Path, list[str]], name: str) -> None:
    folder = published[0] / "queries"
    assert (folder / f"{name}.rq").read_bytes() == (QUERIES / f"{name}.rq").read_bytes()
    results = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    rows = read_csv(folder / f"{name}.csv")
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == results["head"]["vars"]
    assert len(rows) == len(results["results"]["bindings"])
    for row, binding in zip(rows, results["results"]["bindings"], strict=True):
        assert {k: v for k, v in row.items() if v} == {k: v["value"] for k, v in binding.items()}


def test_provenance_is_published_in_its_declared_order(
    published: tuple[Path, list[str]], seed_store: Path
) -> None:
    """Its '#+ order:' header, not an ORDER BY, orders it: the JSON and the CSV read back from it
    come in the order its old ORDER BY gave (tests/test_query_order.py keeps that text)."""
    from .test_query_order import old_provenance

    folder = published[0] / "queries"
    bindings = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))["results"]["bindings"]
    expected = [(r["network"], r["city"], r["source"]) for r in old_provenance(seed_store)]
    assert [(b["network"]["value"], b["city"]["value"], b["source"]["value"]) for b in bindings] == expected
    assert [(r["network"], r["city"], r["source"]) for r in read_csv(folder / "provenance.csv")] == expected
    assert "#+ order: [{column: networkName, fold: lower}, memberName, source]" in (
        folder / "provenance.rq"
    ).read_text(encoding="utf-8")


def test_networks_lists_the_fifteen_seed_networks(published: tuple[Path, list[str]]) -> None:
    rows = read_csv(published[0] / "queries" / "networks.csv")
    assert len(rows) == 15
    assert {row["network"] for row in rows} == {f"{BASE}id/network/{n}" for n in NETWORK_IDS}
    op_act = next(row for row in rows if row["network"] == f"{BASE}id/network/op-act")
    assert (op_act["name"], op_act["lead"], op_act["members"]) == ("OP-ACT", "Leoben", "11")


def test_partners_runs_with_the_documented_example(published: tuple[Path, list[str]]) -> None:
    folder = published[0] / "queries"
    rows = read_csv(folder / "partners.csv")
    assert {row["member"] for row in rows} == {f"{BASE}id/city/{n}" for n in OP_ACT_MEMBERS}
    assert {row["network"] for row in rows} == {f"{BASE}id/network/op-act"}
    lead = [row for row in rows if row["role"] == "lead partner"]
    assert [(r["label"], r["member"], r["country"]) for r in lead] == [
        ("Leoben", f"{BASE}id/city/2772649", "AT")
    ]
    page = (folder / "partners.html").read_text(encoding="utf-8")
    assert "11 rows, network = OP-ACT." in page
    assert "VALUES (?network) { (<https://w3id.org/citynet/id/network/op-act>) }" in read_pre(page, "bound")
    assert read_pre(page, "query") == (QUERIES / "partners.rq").read_text(encoding="utf-8")
    assert read_pre(page, "example-citynet") == "citynet query partners --param network=OP-ACT --format csv"
    assert read_pre(page, "example-curl") == (
        "curl -H 'Accept: text/csv' --data-urlencode query@partners.rq http://localhost:7878/query"
    )
    assert '<a href="../id/city/2772649.html">https://w3id.org/citynet/id/city/2772649</a>' in page


def test_a_long_result_shows_its_first_rows(published: tuple[Path, list[str]]) -> None:
    folder = published[0] / "queries"
    total = len(read_csv(folder / "cities.csv"))
    assert total > PREVIEW_ROWS  # the seed graph's 40-odd cities (graph/places.yaml)
    page = (folder / "cities.html").read_text(encoding="utf-8")
    assert f"{total} rows; the first {PREVIEW_ROWS} shown." in page
    assert page.split('<table id="result">')[1].split("</table>")[0].count("<tr>") == PREVIEW_ROWS + 1


def test_the_index_lists_every_query_with_its_parameters(published: tuple[Path, list[str]]) -> None:
    page = (published[0] / "queries" / "index.html").read_text(encoding="utf-8")
    for path in QUERIES.glob("*.rq"):
        assert f'<a href="./{path.stem}.html">{path.stem}</a>' in page
    assert "<code>city</code> (city), e.g. Kraków" in page
    assert "<code>year</code> (year), e.g. 2014" in page
    assert "<td>15</td>" in page  # networks
    assert "<td>11 (network = OP-ACT)</td>" in page  # partners


def test_each_page_describes_its_query_in_json_ld(published: tuple[Path, list[str]]) -> None:
    page = (published[0] / "queries" / "partners.html").read_text(encoding="utf-8")
    expanded = jsonld.expand(read_jsonld(page))  # the context is inline: nothing is fetched
    assert len(expanded) == 1
    node = expanded[0]
    assert node["@id"] == f"{BASE}queries/partners"
    assert node["@type"] == ["https://schema.org/SoftwareSourceCode"]
    assert node["https://schema.org/text"] == [{"@value": (QUERIES / "partners.rq").read_text()}]
    result = node["https://schema.org/workExample"][0]
    assert result["@type"] == ["https://schema.org/Dataset"]
    urls = {
        d["https://schema.org/contentUrl"][0]["@value"] for d in result["https://schema.org/distribution"]
    }
    assert urls == {f"{BASE}queries/partners.csv", f"{BASE}queries/partners.json"}


# --- hostile text and bad queries -----------------------------------------------------------------


def publish_one(seed_store: Path, tmp_path: Path, name: str, text: str) -> Path:
    library = tmp_path / "library"
    library.mkdir()
    (library / f"{name}.rq").write_text(text, encoding="utf-8")
    write_queries(make_context(seed_store, tmp_path / "pub"), library)
    return tmp_path / "pub" / "queries"


def test_hostile_text_is_escaped(seed_store: Path, tmp_path: Path) -> None:
    folder = publish_one(seed_store, tmp_path, HOSTILE_NAME, HOSTILE)
    page = (folder / f"{HOSTILE_NAME}.html").read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src=x", "<b>bold", 'href="javascript:'):
        assert raw not in page
    assert page.count("<script") == 1  # the JSON-LD block, whose text cannot close it:
    assert "\\u003c/script\\u003e" in page.split("<script", 1)[1].split("</script>", 1)[0]
    assert read_jsonld(page)["description"] == "<script>alert('summary')</script> & more"
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the example value, shown as text
    assert "<td>javascript:alert(2)</td>" in page  # an IRI that is not http(s) is not a link
    assert read_pre(page, "example-citynet") == (
        "citynet query 'it'\"'\"'s (x)+y' --param 'text=<img src=x onerror=alert(1)>' --format csv"
    )
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert '<a href="./it&#39;s%20(x)+y.html">it&#39;s (x)+y</a>' in index
    assert "&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt; &amp; more" in index


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "#+ summary: s\n#+ params:\n#+   - {name: city, kind: city, doc: a city}\nSELECT ?city {}",
            'query "q": parameter "city" has no example - add one',
        ),
        ("#+ summary: s\nASK {}", 'query "q" is not a SELECT query'),
        ("#+ summary: s\nSELECT ?x WHERE { ?x", 'query "q" cannot be run for the release: SPARQL syntax'),
        (
            "#+ summary: s\n#+ params:\n#+   - {name: year, kind: year, doc: y, example: MMXIV}\n"
            "SELECT ?year {}",
            'query "q" cannot be run for the release: parameter "year": "MMXIV" is not a year',
        ),
        ("SELECT ?x {}", "the named queries in .* cannot be read: .*summary"),
    ],
)
def test_a_query_that_cannot_be_published_is_named(
    seed_store: Path, tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(PublishError, match=message):
        publish_one(seed_store, tmp_path, "q", text)


def test_a_documented_example_the_release_lacks_has_a_stand_in(tmp_path: Path) -> None:
    """A graph without OP-ACT (a synthetic one): the network most triples point at stands in."""
    cn, rdf = "https://w3id.org/citynet/ontology#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    store = ox.Store()
    for network, members in (("a", 1), ("b", 3), ("c", 3)):
        iri = ox.NamedNode(f"{BASE}id/network/{network}")
        store.add(ox.Quad(iri, ox.NamedNode(f"{rdf}type"), ox.NamedNode(f"{cn}Network")))
        for number in range(members):
            membership = ox.NamedNode(f"{BASE}id/membership/{network}-{number}")
            store.add(ox.Quad(membership, ox.NamedNode(f"{cn}network"), iri))
    library = tmp_path / "library"
    library.mkdir()
    (library / "partners.rq").write_bytes((QUERIES / "partners.rq").read_bytes())
    folder = tmp_path / "pub"
    write_queries(Context(store, BASE, dt.date(2026, 12, 4), folder), library)
    page = (folder / "queries" / "partners.html").read_text(encoding="utf-8")
    assert f"<td>{BASE}id/network/b (the example names no single network in this release" in page
    assert f"VALUES (?network) {{ (<{BASE}id/network/b>) }}" in read_pre(page, "bound")
    assert read_pre(page, "example-citynet") == (
        f"citynet query partners --param network={BASE}id/network/b --format csv"
    )


@pytest.mark.filterwarnings(
    "error::pytest.PytestUnraisableExceptionWarning"
)  # results left to another thread
def test_a_kind_the_release_lacks_is_named(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "partners.rq").write_bytes((QUERIES / "partners.rq").read_bytes())
    with pytest.raises(PublishError, match='query "partners": this release has no network to run it with'):
        write_queries(Context(ox.Store(), BASE, dt.date(2026, 12, 4), tmp_path / "pub"), library)


# --- the examples, run against citynet serve -------------------------------------------------------


@pytest.fixture(scope="module")
def served(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """``citynet serve`` on a copy of the seed store, and the queries published naming it."""
    from .test_serve import running_server

    store = shutil.copytree(seed_store, tmp_path_factory.mktemp("served") / "store", symlinks=True)
    with running_server(store) as (base, _):
        folder = tmp_path_factory.mktemp("published-served") / "pub"
        write_queries(make_context(seed_store, folder, f"{base}/query"), QUERIES)
        yield folder / "queries", f"{base}/query"


def sort_rows(text: str) -> list[list[str]]:
    rows = list(csv.reader(text.splitlines()))
    return [rows[0], *sorted(rows[1:])]


@pytest.mark.server
def test_the_curl_example_gives_the_published_result(served: tuple[Path, str]) -> None:
    folder, endpoint = served
    curl = need_program("curl", shutil.which("curl"))
    page = (folder / "networks.html").read_text(encoding="utf-8")
    command = read_pre(page, "example-curl")
    assert command == f"curl -H 'Accept: text/csv' --data-urlencode query@networks.rq {endpoint}"
    out = subprocess.run(
        ["bash", "-c", command.replace("curl ", f"{curl} -sf ", 1)],
        cwd=folder, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert sort_rows(out.stdout) == sort_rows((folder / "networks.csv").read_text(encoding="utf-8"))
    assert len(out.stdout.splitlines()) == 16


@pytest.mark.server
def test_the_query_as_run_gives_the_published_result(served: tuple[Path, str], tmp_path: Path) -> None:
    folder, endpoint = served
    page = (folder / "partners.html").read_text(encoding="utf-8")
    (tmp_path / "partners.rq").write_text(read_pre(page, "bound"), encoding="utf-8")
    curl = need_program("curl", shutil.which("curl"))
    out = subprocess.run(
        [curl, "-sf", "-H", "Accept: text/csv", "--data-urlencode", "query@partners.rq", endpoint],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert sort_rows(out.stdout) == sort_rows((folder / "partners.csv").read_text(encoding="utf-8"))


@pytest.mark.server
def test_the_python_example_runs(served: tuple[Path, str]) -> None:
    folder, endpoint = served
    script = read_pre((folder / "networks.html").read_text(encoding="utf-8"), "example-python")
    assert f"SPARQLWrapper({endpoint!r})" in script
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, check=True
    )
    printed = [ast.literal_eval(line) for line in out.stdout.splitlines()]  # it prints dicts
    assert {row["network"] for row in printed} == {f"{BASE}id/network/{n}" for n in NETWORK_IDS}


# --- in the browser -------------------------------------------------------------------------------


def open_offline(page: Any, watch: Any, path: Path) -> None:
    watch.clear()
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert (watch.outside, watch.errors, watch.dialogs) == ([], [], []), path


@pytest.mark.browser
def test_the_pages_render_offline(published: tuple[Path, list[str]]) -> None:
    folder = published[0] / "queries"
    with offline_page() as (page, watch):
        open_offline(page, watch, folder / "index.html")
        assert page.locator("tbody tr").count() == 19
        with page.expect_navigation():
            page.click('a[href="./partners.html"]')
        assert page.url == (folder / "partners.html").as_uri()
        assert page.locator("#result tbody tr").count() == 11
        assert page.locator("#result tbody tr").first.locator("td").nth(2).inner_text() == "Leoben"
        described = page.evaluate(
            "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
        )
        assert described["@id"] == f"{BASE}queries/partners"
        for path in sorted(folder.glob("*.html")):
            open_offline(page, watch, path)
            for link in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
                target = Path(unquote(link.removeprefix("file://"))) if link.startswith("file:") else None
                assert target is None or target.parent != folder or target.exists(), (path, link)


@pytest.mark.browser
def test_hostile_text_stays_text_in_the_browser(seed_store: Path, tmp_path: Path) -> None:
    folder = publish_one(seed_store, tmp_path, HOSTILE_NAME, HOSTILE)
    with offline_page() as (page, watch):
        open_offline(page, watch, folder / "index.html")
        with page.expect_navigation():
            page.get_by_role("link", name=HOSTILE_NAME).click()
        assert (watch.outside, watch.errors, watch.dialogs) == ([], [], [])
        assert Path(unquote(page.url.removeprefix("file://"))) == folder / f"{HOSTILE_NAME}.html"
        cells = page.locator("#result tbody td").all_inner_texts()
        assert cells == [
            "<img src=x onerror=alert(1)>",
            "javascript:alert(2)",
            "</script><script>alert(3)</script>",
        ]
        assert page.locator("#result a").count() == 0
        open_offline(page, watch, folder / "index.html")
        assert "<script>alert('summary')</script> & more" in page.locator("tbody").inner_text()
