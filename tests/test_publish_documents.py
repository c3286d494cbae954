"""citynet publish's documents: a page and four RDF files for every IRI under the base.

Expected values come from the fact files (graph/*.yaml) and the sources' register
(graph/sources.yaml); the RDF is read back by raptor's ``rapper`` and the JSON-LD by PyLD, not by
the code that wrote it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
from pyld import jsonld

from citynet import api
from citynet.errors import PublishError
from citynet.publish.context import Context
from citynet.publish.documents import Counts, write_documents
from citynet.publish.pages import CONFLICTING, Lookup, render_page
from citynet.store.embedded import EmbeddedStore
from citynet.store.resources import describe

from .browser import offline_page

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/citynet/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
KRAKOW = "id/city/3094802"  # graph/places.yaml: Kraków, geonames 3094802
REZEKNE = "id/city/456202"  # graph/places.yaml: Rezekne, geonames 456202
RAPPER = shutil.which("rapper")
needs_rapper = pytest.mark.skipif(RAPPER is None, reason="rapper (Debian raptor2-utils) is not installed")


class Parsed(HTMLParser):
    """A page's links, its JSON-LD script and its text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self.in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("a", "link") and found.get("href"):
            self.links.append((found["href"] or "", found))
        self.in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self.in_script else self.text).append(data)


@pytest.fixture(scope="module")
def published(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Counts]:
    folder = tmp_path_factory.mktemp("pub")
    store = EmbeddedStore.open(seed_store).store
    context = Context(store, BASE, dt.date(2026, 12, 4), folder, site_url="https://example.org/site/")
    return folder, write_documents(context)


def read_page(folder: Path, path: str) -> tuple[str, Parsed]:
    html = (folder / f"{path}.html").read_text(encoding="utf-8")
    return html, Parsed(html)


def text_of(parsed: Parsed) -> str:
    return re.sub(r" ([:;,])", r"\1", " ".join(" ".join(parsed.text).split()))


def rapper(path: Path, syntax: str) -> tuple[set[ox.Quad], int]:
    """The quads of ``path`` as rapper reads them (N-Quads out), and the count it reports."""
    done = subprocess.run(
        [RAPPER, "-q", "-i", syntax, "-o", "nquads", str(path), "http://example.org/"],
        capture_output=True,
        check=True,
    )
    quads = set(ox.parse(done.stdout, format=ox.RdfFormat.N_QUADS))
    return quads, len(done.stdout.splitlines())


def test_every_kind_has_its_documents(published: tuple[Path, Counts]) -> None:
    folder, counts = published
    # `citynet load` on the seeds: 15 networks, 37 cities, 2 organisations, 43 memberships, 5 sources
    # (graph/sources.yaml registers five); the seven SKOS schemes under vocab/.
    assert counts.documents["network"] == 15
    assert counts.documents["city"] == 37
    assert counts.documents["organisation"] == 2
    assert counts.documents["membership"] == 43
    assert counts.documents["source"] == 5
    assert counts.documents["scheme"] == 7
    assert counts.files == 5 * counts.resources
    assert not (folder / "ontology.html").exists()  # the ontology's documents are another part's
    assert not (folder / KRAKOW / "geometry.html").exists()  # folded into Kraków's documents
    assert (folder / "vocab/role/index.ttl").is_file() and (folder / "vocab/role/partner.html").is_file()


def test_krakow_page_shows_its_labels_sources_and_memberships(published: tuple[Path, Counts]) -> None:
    folder, _ = published
    html, parsed = read_page(folder, KRAKOW)
    text = text_of(parsed)
    # graph/places.yaml: Kraków; written "Krakowie" by the Polish page, "Krakov" by the Slovene one
    assert "<title>Kraków - citynet</title>" in html
    assert '<td lang="pl">Krakowie</td>' in html and '<td lang="sl">Krakov</td>' in html
    # graph/sources.yaml: the two sources naming Kraków, with their publishers and languages
    assert "Source: URB-INCLUSION — informacje o projekcie" in text
    assert "publisher Urząd Miasta Krakowa" in text
    assert "Source: Mednarodne aktivnosti Mestne občine Celje" in text
    hrefs = [href for href, _ in parsed.links]
    for network in ("urb-inclusion", "user", "cities-at-heart"):  # Kraków's three networks
        assert f"../membership/{network}/city/3094802.html" in hrefs
    assert "../country/PL.html" in hrefs
    assert "https://sws.geonames.org/3094802/" in hrefs
    assert "https://example.org/site/cities/3094802.html" in hrefs  # citynet visualize's page


def test_head_links_alternates_licence_void_and_the_iri(published: tuple[Path, Counts]) -> None:
    folder, _ = published
    _, parsed = read_page(folder, KRAKOW)
    head = {(attrs.get("rel"), attrs.get("type")): href for href, attrs in parsed.links if attrs.get("rel")}
    assert head[("alternate", "text/turtle")] == "./3094802.ttl"
    assert head[("alternate", "application/n-triples")] == "./3094802.nt"
    assert head[("alternate", "application/ld+json")] == "./3094802.jsonld"
    assert head[("alternate", "application/trig")] == "./3094802.trig"
    assert head[("cite-as", None)] == BASE + KRAKOW
    assert head[("license", None)] == "https://creativecommons.org/licenses/by/4.0/"
    assert head[("describedby", "text/turtle")] == "../../void.ttl"
    data = json.loads(parsed.scripts[0])
    assert data[0]["@id"] == BASE + KRAKOW
    triples = jsonld.to_rdf(data, {"format": "application/n-quads"})
    assert f'<{BASE}{KRAKOW}> <{RDFS_LABEL}> "Kraków" .' in triples.splitlines()


def test_membership_page_shows_role_period_and_source(published: tuple[Path, Counts]) -> None:
    folder, _ = published
    html, parsed = read_page(folder, "id/membership/urb-inclusion/city/3094802")
    text = text_of(parsed)
    assert "<h1>Kraków in URB-INCLUSION</h1>" in html  # named by its member and network
    # graph/krakow-urb-inclusion.yaml: Kraków, partner, 2016-09-10 to 2017-03-31, 33500 PLN
    assert "role partner" in text
    assert "2016-09-10" in text and "2017-03-31" in text and "33500" in text
    assert "Source: URB-INCLUSION — informacje o projekcie" in text
    hrefs = [href for href, _ in parsed.links]
    assert "../../../../vocab/role/partner.html" in hrefs
    assert "../../../network/urb-inclusion.html" in hrefs and "../../../city/3094802.html" in hrefs


def test_conflict_between_sources_is_marked(published: tuple[Path, Counts]) -> None:
    folder, _ = published
    html, parsed = read_page(folder, REZEKNE)
    # graph/silesia-urbact-ii.yaml puts Rezekne in LT; the gazetteer (GeoNames 456202) in LV
    assert "Conflict: country: Latvia according to id/graph/gazetteer; Lithuania according to " in text_of(
        parsed
    )
    assert html.count('<tr class="conflict">') == 2
    assert html.index("Source: ") < html.index("Derived: id/graph/gazetteer")  # sources come first
    _, krakow = read_page(folder, KRAKOW)  # both sources and the gazetteer agree on PL
    assert "Conflict" not in text_of(krakow)


def test_conflicting_predicates_are_those_of_the_conflicts_query() -> None:
    query = (ROOT / "queries" / "conflicts.rq").read_text(encoding="utf-8")
    values = re.search(r"VALUES \?p \{(.*?)\}", query, re.S).group(1).split()
    prefixes = {"cn": "https://w3id.org/citynet/ontology#", "schema": "https://schema.org/"}
    assert {prefixes[name.split(":")[0]] + name.split(":")[1] for name in values} == CONFLICTING


def test_every_link_of_every_page_resolves(published: tuple[Path, Counts]) -> None:
    folder, counts = published
    pages = sorted(folder.rglob("*.html"))
    assert len(pages) == counts.resources
    checked = 0
    for page in pages:
        for link, _ in Parsed(page.read_text(encoding="utf-8")).links:
            parts = urlsplit(link)
            if parts.scheme or link.endswith(("void.ttl",)) or "ontology.html" in link:
                continue  # external, or another part's files (VoID, ontology)
            assert (page.parent / unquote(parts.path)).resolve().is_file(), f"{page}: {link}"
            checked += 1
    assert checked > 5 * counts.resources


@needs_rapper
def test_rapper_parses_every_rdf_file(published: tuple[Path, Counts]) -> None:
    folder, counts = published
    syntaxes = {".ttl": "turtle", ".nt": "ntriples", ".trig": "trig", ".jsonld": None}
    files = [path for path in folder.rglob("*") if path.suffix in syntaxes]
    assert len(files) == 4 * counts.resources
    for path in files:
        if syntaxes[path.suffix]:
            quads, count = rapper(path, syntaxes[path.suffix])
            assert count > 0 and len(quads) == count, path


@needs_rapper
def test_krakow_turtle_has_its_triples_and_the_document_triples(published: tuple[Path, Counts]) -> None:
    folder, _ = published
    quads, _ = rapper(folder / f"{KRAKOW}.ttl", "turtle")
    thing, document = ox.NamedNode(BASE + KRAKOW), ox.NamedNode(f"{BASE}{KRAKOW}.ttl")
    triples = {quad.triple for quad in quads}
    assert ox.Triple(document, ox.NamedNode(FOAF + "primaryTopic"), thing) in triples
    assert ox.Triple(thing, ox.NamedNode(FOAF + "isPrimaryTopicOf"), document) in triples
    assert ox.Triple(thing, ox.NamedNode(RDFS_LABEL), ox.Literal("Kraków")) in triples
    member = ox.NamedNode("https://w3id.org/citynet/ontology#member")
    membership = ox.NamedNode(BASE + "id/membership/user/city/3094802")
    assert ox.Triple(membership, member, thing) in triples  # incoming: followable both ways
    geometry = ox.NamedNode(BASE + KRAKOW + "/geometry")
    assert any(t.subject == geometry for t in triples)  # the folded sub-resource


@needs_rapper
def test_trig_keeps_each_source_graph(published: tuple[Path, Counts]) -> None:
    folder, _ = published
    quads, _ = rapper(folder / f"{KRAKOW}.trig", "trig")
    graphs = {quad.graph_name.value for quad in quads if isinstance(quad.graph_name, ox.NamedNode)}
    assert {
        BASE + "id/source/krakow-urb-inclusion",
        BASE + "id/source/celje-cities-at-heart",
        BASE + "id/graph/gazetteer",
    } <= graphs
    slovene = ox.Literal("Krakov", language="sl")
    celje = ox.NamedNode(BASE + "id/source/celje-cities-at-heart")
    assert any(quad.object == slovene and quad.graph_name == celje for quad in quads)


@needs_rapper
@pytest.mark.parametrize("path", [KRAKOW, "id/membership/urb-inclusion/city/3094802", "vocab/role/index"])
def test_jsonld_expanded_by_pyld_equals_the_turtle(published: tuple[Path, Counts], path: str) -> None:
    folder, _ = published
    data = json.loads((folder / f"{path}.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(jsonld.expand(data), {"format": "application/n-quads"})
    from_jsonld = {quad.triple for quad in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)}
    from_turtle = {quad.triple for quad in rapper(folder / f"{path}.ttl", "turtle")[0]}
    # the same triples but those naming the document itself (each file names its own IRI)
    assert len(from_jsonld) == len(from_turtle) > 10
    jsonld_doc, turtle_doc = ox.NamedNode(f"{BASE}{path}.jsonld"), ox.NamedNode(f"{BASE}{path}.ttl")
    assert {t for t in from_jsonld if jsonld_doc not in (t.subject, t.object)} == {
        t for t in from_turtle if turtle_doc not in (t.subject, t.object)
    }


def hand_made(tmp_path: Path, *quads: ox.Quad) -> Context:
    store = ox.Store()
    store.extend(list(quads))
    return Context(store, BASE, dt.date(2026, 12, 4), tmp_path / "pub")


def test_hostile_label_is_escaped_and_the_script_has_no_raw_lt(tmp_path: Path) -> None:
    city = ox.NamedNode(BASE + "id/city/1")
    hostile = "</script><script>alert(1)</script><b>x</b>"
    context = hand_made(tmp_path, ox.Quad(city, ox.NamedNode(RDFS_LABEL), ox.Literal(hostile)))
    write_documents(context)
    html, parsed = read_page(context.folder, "id/city/1")
    assert "<script>alert" not in html and "<b>x" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and "\\u003c/script\\u003e" in script
    assert json.loads(parsed.scripts[0])[0][RDFS_LABEL][0]["@value"] == hostile


def test_only_http_links_become_links(tmp_path: Path) -> None:
    city = ox.NamedNode(BASE + "id/city/1")
    same = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
    context = hand_made(
        tmp_path,
        ox.Quad(city, same, ox.NamedNode("javascript:alert(1)")),
        ox.Quad(city, same, ox.NamedNode("https://www.wikidata.org/entity/Q31487")),
    )
    write_documents(context)
    _, parsed = read_page(context.folder, "id/city/1")
    hrefs = [href for href, _ in parsed.links]
    assert "https://www.wikidata.org/entity/Q31487" in hrefs
    assert not any(href.startswith("javascript") for href in hrefs)
    assert "javascript:alert(1)" in text_of(parsed)  # shown as text


def test_iris_with_brackets_quote_plus_and_colon_agree_with_files_and_links(tmp_path: Path) -> None:
    network = ox.NamedNode(BASE + "id/network/n")
    frankfurt = ox.NamedNode(BASE + "id/org/frankfurt-%28oder%29")  # Frankfurt (Oder), encoded
    bosch = ox.NamedNode(BASE + "id/org/'s-hertogenbosch+a:b")  # left as they are
    member = ox.NamedNode("https://w3id.org/citynet/ontology#member")
    context = hand_made(tmp_path, ox.Quad(network, member, frankfurt), ox.Quad(network, member, bosch))
    write_documents(context)
    org = context.folder / "id" / "org"
    assert sorted(path.name for path in org.glob("*.html")) == [
        "'s-hertogenbosch+a:b.html",
        "frankfurt-(oder).html",
    ]
    _, parsed = read_page(context.folder, "id/network/n")
    hrefs = [href for href, _ in parsed.links]
    assert "../org/'s-hertogenbosch+a:b.html" in hrefs and "../org/frankfurt-(oder).html" in hrefs
    _, page = read_page(context.folder, "id/org/frankfurt-(oder)")
    cite = next(href for href, attrs in page.links if attrs.get("rel") == "cite-as")
    assert cite == BASE + "id/org/frankfurt-%28oder%29"  # the IRI as the graph has it
    assert ("./frankfurt-(oder).ttl", "text/turtle") in [(h, a.get("type")) for h, a in page.links]
    if RAPPER:  # the RDF names the IRIs as the graph has them, and rapper reads them
        quads, _ = rapper(org / "'s-hertogenbosch+a:b.ttl", "turtle")
        assert ox.Triple(network, member, bosch) in {quad.triple for quad in quads}
        quads, _ = rapper(org / "frankfurt-(oder).nt", "ntriples")
        assert ox.Triple(network, member, frankfurt) in {quad.triple for quad in quads}


def test_a_derived_graph_shows_when_and_where_it_was_retrieved(tmp_path: Path) -> None:
    city, graph = ox.NamedNode(BASE + "id/city/1"), ox.NamedNode(BASE + "id/graph/wikidata")
    prov = "http://www.w3.org/ns/prov#"
    when = ox.Literal(
        "2026-12-01T10:00:00Z", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
    )
    endpoint = ox.NamedNode("https://query.wikidata.org/sparql")
    population = ox.NamedNode("https://w3id.org/citynet/ontology#population")
    context = hand_made(
        tmp_path,
        ox.Quad(city, population, ox.Literal("1000"), ox.DefaultGraph()),
        ox.Quad(city, population, ox.Literal("1000"), graph),
        ox.Quad(graph, ox.NamedNode(prov + "generatedAtTime"), when, graph),
        ox.Quad(graph, ox.NamedNode(prov + "wasDerivedFrom"), endpoint, graph),
    )
    write_documents(context)
    _, parsed = read_page(context.folder, "id/city/1")
    text = text_of(parsed)
    assert "Derived: id/graph/wikidata" in text and "retrieved 2026-12-01T10:00:00Z" in text
    assert "https://query.wikidata.org/sparql" in [href for href, _ in parsed.links]


def test_an_iri_that_cannot_be_a_file_name_is_refused(tmp_path: Path) -> None:
    context = hand_made(
        tmp_path, ox.Quad(ox.NamedNode(BASE + "id/a%2Fb"), ox.NamedNode(RDFS_LABEL), ox.Literal("x"))
    )
    with pytest.raises(PublishError, match=r'id/a%2Fb cannot be a file name: segment "a/b"'):
        write_documents(context)


def test_a_file_in_the_way_is_reported(tmp_path: Path) -> None:
    context = hand_made(
        tmp_path, ox.Quad(ox.NamedNode(BASE + "id/city/1"), ox.NamedNode(RDFS_LABEL), ox.Literal("x"))
    )
    context.folder.mkdir()
    (context.folder / "id").write_text("a file where the folder id/ goes")
    with pytest.raises(PublishError, match=r'cannot make the folder ".*/pub/id/city": .* - check the target'):
        write_documents(context)


def test_a_page_shows_a_thousand_rows_and_counts_the_rest(tmp_path: Path) -> None:
    partner = ox.NamedNode(BASE + "vocab/role/partner")
    role, source = ox.NamedNode("https://w3id.org/citynet/ontology#role"), ox.NamedNode(BASE + "id/source/s")
    quads = [ox.Quad(partner, ox.NamedNode(RDFS_LABEL), ox.Literal("partner"))]
    for number in range(1200):  # 1,200 memberships with the role, each stated by one source
        membership = ox.NamedNode(f"{BASE}id/membership/n/city/{number}")
        quads += [ox.Quad(membership, role, partner), ox.Quad(membership, role, partner, source)]
    context = hand_made(tmp_path, *quads)
    write_documents(context)
    html, parsed = read_page(context.folder, "vocab/role/partner")
    assert html.count('<a href="../../id/membership/n/city/') == 1000 + 1000  # source table, related
    text = text_of(parsed)
    assert "… and 200 more facts from this graph, all in the TriG document." in text
    assert "… and 200 more, all in the Turtle document." in text
    if RAPPER:
        assert rapper(context.folder / "vocab/role/partner.nt", "ntriples")[1] == 1 + 1200 + 3


def test_render_page_serves_serve_too(seed: EmbeddedStore) -> None:
    found = describe(seed.store, BASE + "id/network/urb-inclusion")
    html = render_page(found, Lookup(seed.store, BASE))
    # graph/krakow-urb-inclusion.yaml: URB-INCLUSION, with Glasgow among its partners
    assert "<h1>URB-INCLUSION</h1>" in html
    assert 'href="../membership/urb-inclusion/city/2648579.html"' in html  # Glasgow, GeoNames 2648579


@pytest.mark.slow
def test_bundled_krakow_page_has_polish_and_english_labels_and_source_urls(tmp_path: Path) -> None:
    api.load(ROOT, tmp_path / "store")  # the bundled graph: the seeds and graph/imported/
    store = EmbeddedStore.open(tmp_path / "store").store
    html = render_page(describe(store, BASE + KRAKOW), Lookup(store, BASE))
    # graph/krakow-urb-inclusion.yaml writes "Krakowie" (pl); the English URBACT page
    # (graph/imported/urbact-pages-urbact-eu-networks-urbinclusion.yaml, language en) "Kraków"
    assert '<td lang="pl">Krakowie</td>' in html and '<td lang="en">Kraków</td>' in html
    url = "https://urbact.eu/networks/urbinclusion"
    assert f'<dt>URL</dt><dd class="iri"><a href="{url}">{url}</a></dd>' in html
    assert "<dt>publisher</dt><dd>urbact.eu, city halls and national URBACT points</dd>" in html
    assert "<dt>date</dt><dd>2019-11-23</dd>" in html  # graph/imported/keep-closed-1420.yaml: the export's


def test_pages_in_chromium_run_nothing_and_follow_their_links(
    published: tuple[Path, Counts], tmp_path: Path
) -> None:
    folder, _ = published
    city = ox.NamedNode(BASE + "id/city/1")
    hostile = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
    context = hand_made(tmp_path, ox.Quad(city, ox.NamedNode(RDFS_LABEL), ox.Literal(hostile)))
    write_documents(context)
    with offline_page() as (page, watch):
        page.goto((context.folder / "id/city/1.html").as_uri())
        assert page.inner_text("h1") == hostile  # shown as text, run never
        page.goto((folder / f"{KRAKOW}.html").as_uri())
        assert page.inner_text("h1") == "Kraków"
        page.click('a[href="../membership/user/city/3094802.html"] >> nth=0')
        page.wait_for_load_state()
        assert page.inner_text("h1") == "Kraków in USER"  # graph/krakow-urb-inclusion.yaml: USER
        assert watch.dialogs == [] and watch.errors == [] and watch.outside == []
