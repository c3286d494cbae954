"""``citynet publish``'s ontology part: pyLODE's documentation and the ontology and vocabularies
in every format, checked with parsers that are not ours (raptor's ``rapper``, PyLD) and in Chromium.

Expected counts come from the source files, parsed by rapper: a published file holds the source's
triples and three about its document (``foaf:primaryTopic``, ``foaf:isPrimaryTopicOf``,
``dcterms:license``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from citynet.errors import PublishError
from citynet.publish.context import Context
from citynet.publish.ontology import write_ontology
from citynet.store.embedded import EmbeddedStore

from .browser import offline_page
from .servers import need_program

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "citynet.ttl"
BASE = "https://w3id.org/citynet/"
CN = "https://w3id.org/citynet/ontology#"
FOAF_PRIMARY_TOPIC = URIRef("http://xmlns.com/foaf/0.1/primaryTopic")
RAPPER_SYNTAX = {"ttl": "turtle", "nt": "ntriples", "owl": "rdfxml", "rdf": "rdfxml"}
SCHEMES = ["fund", "network-type", "organisation-type", "programme", "role", "strand", "theme"]
SOURCES = {  # the scheme's file name in the site -> its source file in ontology/vocab/
    "fund": "funds",
    "network-type": "network-types",
    "organisation-type": "organisation-types",
    "programme": "programmes",
    "role": "roles",
    "strand": "strands",
    "theme": "themes",
}


@pytest.fixture(scope="module")
def site(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("published")
    context = Context(EmbeddedStore.open(seed_store).store, BASE, dt.date(2026, 12, 4), folder)
    return folder, write_ontology(context)


@pytest.fixture(scope="module")
def html(site: tuple[Path, list[str]]) -> str:
    return (site[0] / "ontology.html").read_text(encoding="utf-8")


def rapper(path: Path, syntax: str) -> tuple[str, int]:
    """The file parsed by raptor: its triples as N-Triples, and the count rapper reports."""
    program = need_program("rapper", shutil.which("rapper"))
    done = subprocess.run(
        [program, "-i", syntax, "-o", "ntriples", str(path), "http://example.org/base"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    count = re.search(r"Parsing returned (\d+) triple", done.stderr)
    assert count, done.stderr
    return done.stdout, int(count[1])


def test_the_part_writes_the_files_of_the_layout(site: tuple[Path, list[str]]) -> None:
    folder, written = site
    expected = ["ontology.html", "ontology.ttl", "ontology.nt", "ontology.jsonld", "ontology.owl"]
    expected += [f"vocab/{s}.{ext}" for s in SCHEMES for ext in ("ttl", "nt", "jsonld", "rdf")]
    assert written == expected
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == sorted(expected)


@pytest.mark.parametrize("ext", ["ttl", "nt", "owl"])
def test_rapper_reads_the_ontology(site: tuple[Path, list[str]], ext: str) -> None:
    _, in_source = rapper(ONTOLOGY, "turtle")
    triples, count = rapper(site[0] / f"ontology.{ext}", RAPPER_SYNTAX[ext])
    assert count == in_source + 3
    assert f"<{BASE}ontology.{ext}> <{FOAF_PRIMARY_TOPIC}> <{BASE}ontology> ." in triples
    assert f"<{BASE}ontology> <http://www.w3.org/2002/07/owl#versionIRI> <{BASE}ontology/0.2.0> ." in triples


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("ext", ["ttl", "nt", "rdf"])
def test_rapper_reads_each_vocabulary(site: tuple[Path, list[str]], scheme: str, ext: str) -> None:
    _, in_source = rapper(ROOT / "ontology" / "vocab" / f"{SOURCES[scheme]}.ttl", "turtle")
    triples, count = rapper(site[0] / f"vocab/{scheme}.{ext}", RAPPER_SYNTAX[ext])
    assert count == in_source + 3
    assert f"<{BASE}vocab/{scheme}.{ext}> <{FOAF_PRIMARY_TOPIC}> <{BASE}vocab/{scheme}/> ." in triples


def test_the_role_vocabulary_has_its_two_concepts(site: tuple[Path, list[str]]) -> None:
    triples, _ = rapper(site[0] / "vocab/role.ttl", "turtle")
    in_scheme = "<http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/citynet/vocab/role/> ."
    assert sorted(line.split()[0] for line in triples.splitlines() if line.endswith(in_scheme)) == [
        "<https://w3id.org/citynet/vocab/role/lead-partner>",
        "<https://w3id.org/citynet/vocab/role/partner>",
    ]
    assert '"partner wiod\\u0105cy"@pl' in triples  # rapper writes N-Triples in ASCII


def expand(path: Path, document: str, instead: str) -> Graph:
    """The JSON-LD file expanded to RDF by PyLD, its document IRI read as ``instead``'s."""
    nquads = jsonld.to_rdf(json.loads(path.read_text(encoding="utf-8")), {"format": "application/n-quads"})
    return Graph().parse(data=nquads.replace(f"<{document}>", f"<{instead}>"), format="nt")


@pytest.mark.parametrize("stem", ["ontology", "vocab/role", "vocab/theme"])
def test_the_json_ld_is_the_turtle(site: tuple[Path, list[str]], stem: str) -> None:
    turtle, _ = rapper(site[0] / f"{stem}.ttl", "turtle")
    from_turtle = Graph().parse(data=turtle, format="nt")
    from_json = expand(site[0] / f"{stem}.jsonld", f"{BASE}{stem}.jsonld", f"{BASE}{stem}.ttl")
    assert len(from_json) == len(from_turtle) > 20
    assert isomorphic(from_json, from_turtle)


def test_n_triples_are_the_same_each_time(site: tuple[Path, list[str]], tmp_path: Path) -> None:
    write_ontology(Context(ox.Store(), BASE, dt.date(2026, 12, 4), tmp_path))
    first = (site[0] / "ontology.nt").read_bytes()
    assert first == (tmp_path / "ontology.nt").read_bytes()
    assert first.splitlines() == sorted(first.splitlines())


# --- the documentation -----------------------------------------------------------------------


class Anchors(HTMLParser):
    """The ids and in-page links (``href="#…"``) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.fragments: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        href = found.get("href") or ""
        if href.startswith("#"):
            self.fragments.add(href[1:])


def terms() -> list[str]:
    graph = Graph().parse(ONTOLOGY, format="turtle")
    return sorted({str(s)[len(CN) :] for s in graph.subjects() if str(s).startswith(CN)})


def test_every_term_has_an_anchor_named_by_its_local_name(html: str) -> None:
    anchors = Anchors()
    anchors.feed(html)
    assert len(anchors.ids) == len(set(anchors.ids)), "an id is used twice"
    assert len(terms()) > 60
    assert sorted(set(terms()) - set(anchors.ids)) == []
    assert {"Network", "Membership", "locatedIn", "network", "member"} <= set(anchors.ids)
    assert sorted(anchors.fragments - set(anchors.ids)) == [], "an in-page link goes nowhere"
    graph = Graph().parse(ONTOLOGY, format="turtle")
    unlabelled = [t for t in terms() if f">{graph.value(URIRef(CN + t), RDFS.label)}<" not in html]
    assert unlabelled == [], "a term's label is not shown"


def test_the_documentation_shows_labels_definitions_and_version(html: str) -> None:
    section = html.split('id="locatedIn"', 1)[1].split("</table>", 1)[0]
    assert "located in" in section
    assert "an organisation is located in" in section  # from its rdfs:comment
    assert 'href="#Organisation"' in section and 'href="#City"' in section  # its domain and range
    member = html.split('id="member"', 1)[1].split("</table>", 1)[0]
    assert 'href="#City"' in member and 'href="#Organisation"' in member  # the union range
    assert "0.2.0" in html and "The citynet ontology" in html


def test_the_head_links_every_format_and_escapes_its_json_ld(site: tuple[Path, list[str]], html: str) -> None:
    head = html.split("</head>", 1)[0]
    for ext, media_type in [
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("jsonld", "application/ld+json"),
        ("owl", "application/rdf+xml"),
    ]:
        assert f'<link rel="alternate" type="{media_type}" href="ontology.{ext}">' in head
        assert (site[0] / f"ontology.{ext}").is_file()
    assert '<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">' in head
    script = re.search(r'<script id="schema.org" type="application/ld\+json">(.*?)</script>', head, re.S)
    assert script and "<" not in script[1]
    data = json.loads(script[1])
    nodes = data if isinstance(data, list) else data.get("@graph", [data])
    names = [n for n in nodes if n.get("@id") == f"{BASE}ontology"]
    assert names and "https://schema.org/DefinedTermSet" in str(names[0].get("@type"))


@pytest.mark.browser
def test_the_documentation_opens_offline_in_chromium(site: tuple[Path, list[str]]) -> None:
    with offline_page() as (page, watch):
        page.goto((site[0] / "ontology.html").as_uri() + "#Network")
        assert page.title() == "The citynet ontology"
        assert page.evaluate("document.getElementById('Network').textContent").strip().startswith("network")
        assert page.evaluate("location.hash") == "#Network"
        assert page.evaluate("window.scrollY") > 0  # the fragment took the page to the term
        page.click('a[href="#locatedIn"]')
        assert page.evaluate("location.hash") == "#locatedIn"
        assert watch.outside == [] and watch.errors == [] and watch.dialogs == []


# --- no side effects, no network, bad input --------------------------------------------------


def test_it_runs_without_a_network(tmp_path: Path) -> None:
    """In a network namespace of its own (no interface but a loopback that is down)."""
    unshare = need_program("unshare", shutil.which("unshare"))
    code = (
        "import datetime as dt, logging, pyoxigraph as ox, pathlib\n"
        "from citynet.publish.context import Context\n"
        "from citynet.publish.ontology import write_ontology\n"
        f"folder = pathlib.Path({str(tmp_path)!r})\n"
        "write_ontology(Context(ox.Store(), 'https://w3id.org/citynet/', dt.date(2026, 12, 4), folder))\n"
        "print(logging.getLogger().level, len(logging.getLogger().handlers))\n"
    )
    done = subprocess.run(
        [unshare, "-rn", sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    if done.returncode != 0 and "unshare" in done.stderr and "Operation not permitted" in done.stderr:
        pytest.skip(f"no user namespaces here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "30 0\n"  # pyLODE's basicConfig(DEBUG) undone: WARNING, no handler
    assert done.stderr == ""
    assert 'id="CoFinancing"' in (tmp_path / "ontology.html").read_text(encoding="utf-8")


def copy_ontology(target: Path) -> Path:
    shutil.copytree(ROOT / "ontology", target / "ontology")
    return target / "ontology"


def test_a_missing_ontology_is_named(tmp_path: Path) -> None:
    context = Context(ox.Store(), BASE, dt.date(2026, 12, 4), tmp_path / "out")
    with pytest.raises(PublishError, match=r'cannot read the ontology file ".*nowhere/citynet.ttl"'):
        write_ontology(context, tmp_path / "nowhere")


def test_a_vocabulary_with_two_schemes_is_named(tmp_path: Path) -> None:
    folder = copy_ontology(tmp_path)
    with (folder / "vocab" / "roles.ttl").open("a", encoding="utf-8") as roles:
        roles.write("<https://w3id.org/citynet/vocab/other/> a skos:ConceptScheme .\n")
    context = Context(ox.Store(), BASE, dt.date(2026, 12, 4), tmp_path / "out")
    with pytest.raises(PublishError, match=r'roles.ttl" declares the schemes .* needs exactly one'):
        write_ontology(context, folder)


def test_an_ontology_without_a_title_is_refused(tmp_path: Path) -> None:
    folder = copy_ontology(tmp_path)
    text = (folder / "citynet.ttl").read_text(encoding="utf-8")
    for title in ('dcterms:title "The citynet ontology"@en ;', 'rdfs:label "The citynet ontology"@en ;'):
        assert title in text
        text = text.replace(title, "")
    (folder / "citynet.ttl").write_text(text, encoding="utf-8")
    context = Context(ox.Store(), BASE, dt.date(2026, 12, 4), tmp_path / "out")
    with pytest.raises(PublishError, match="pyLODE cannot document the ontology"):
        write_ontology(context, folder)


HOSTILE = """
@prefix cn:      <https://w3id.org/citynet/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/citynet/ontology> a owl:Ontology ; dcterms:title "Hostile" ;
    rdfs:comment "ends </script><script>alert('head')</script> here"@en .
cn:Thing a owl:Class ; rdfs:label "thing"@en ;
    rdfs:comment "a <b>bold</b> <img src=x onerror=alert('body')> claim"@en .
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "ontology" / "vocab").mkdir(parents=True)
    (folder / "ontology" / "citynet.ttl").write_text(HOSTILE, encoding="utf-8")
    write_ontology(Context(ox.Store(), BASE, dt.date(2026, 12, 4), folder / "out"), folder / "ontology")
    return folder / "out" / "ontology.html"


def test_markup_in_the_ontology_is_text(hostile: Path) -> None:
    html = hostile.read_text(encoding="utf-8")
    assert "<img" not in html and "<b>" not in html
    assert "a &lt;b&gt;bold&lt;/b&gt; &lt;img src=x onerror=alert('body')&gt; claim" in html
    script = re.search(r'<script id="schema.org" type="application/ld\+json">(.*?)</script>', html, re.S)
    assert script and "<" not in script[1]
    assert "ends </script><script>alert('head')</script> here" in script[1].replace("\\u003c", "<")
    assert json.loads(script[1])  # \u003c is JSON's own escape: the block still parses


@pytest.mark.browser
def test_markup_in_the_ontology_runs_nothing_in_chromium(hostile: Path) -> None:
    with offline_page() as (page, watch):
        page.goto(hostile.as_uri())
        text = page.evaluate("document.getElementById('Thing').closest('div').textContent")
        assert "<img src=x onerror=alert('body')>" in text
        data = json.loads(page.evaluate("document.getElementById('schema.org').textContent"))
        assert "ends </script><script>alert('head')</script> here" in json.dumps(data)
        assert watch.dialogs == [] and watch.outside == [] and watch.errors == []
