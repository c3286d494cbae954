"""`citynet publish` end to end on the seed graph: what it writes, read back by other parsers.

Every RDF file is parsed by raptor's ``rapper`` (Debian raptor2-utils), the JSON-LD expanded by
PyLD and compared with the Turtle as triples, every internal link of the site followed in headless
Chromium, and the bad inputs of the issue each refused with one line and nothing written.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pyoxigraph as ox
import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import to_isomorphic

from citynet import api
from citynet.errors import PublishError
from citynet.project import Project
from citynet.publish.build import publish_release
from citynet.publish.pages import Lookup
from citynet.rdf.namespaces import RDFS, SKOS

from .browser import offline_page
from .conftest import run_cli
from .servers import need_program

BASE = "https://w3id.org/citynet/"
ROOT = Path(__file__).resolve().parents[1]
RELEASE = dt.date(2026, 12, 4)
KRAKOW = "id/city/3094802"


@pytest.fixture(scope="module")
def published(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("publish") / "pub"
    api.publish(folder, RELEASE, store_dir=seed_store)
    return folder


def rapper() -> str:
    return need_program("rapper", shutil.which("rapper"))


def count_with_rapper(path: Path, syntax: str) -> int:
    """The triples rapper reads from ``path``; fails the test on any error or warning."""
    command = [rapper(), "-i", syntax, "-c", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    complaints = [line for line in done.stderr.splitlines() if "Error" in line or "Warning" in line]
    assert done.returncode == 0 and not complaints, f"rapper {syntax} {path}: {done.stderr}"
    return int(done.stderr.split("returned ")[1].split(" ")[0])


def as_triples(text: str, rdf_format: ox.RdfFormat) -> set[str]:
    return {str(ox.Triple(q.subject, q.predicate, q.object)) for q in ox.parse(text, format=rdf_format)}


def expand_jsonld(path: Path) -> set[str]:
    """The triples PyLD reads from a JSON-LD file (its own expansion and toRdf, not Oxigraph's)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    return as_triples(nquads, ox.RdfFormat.N_QUADS)


def same_graph(left: set[str], right: set[str]) -> bool:
    """Equal sets of triples, blank nodes compared by structure (rdflib's isomorphism)."""
    if left == right:
        return True
    graphs = [Graph().parse(data="".join(f"{t} .\n" for t in side), format="nt") for side in (left, right)]
    return to_isomorphic(graphs[0]) == to_isomorphic(graphs[1])


def test_publish_writes_the_layout(published: Path) -> None:
    for name in [
        "index.html",
        ".well-known/void",
        "void.ttl",
        "dcat.ttl",
        "ontology.html",
        "ontology.ttl",
        "queries/index.html",
        ".htaccess",
        "apache/citynet.conf",
        f"dumps/{RELEASE.isoformat()}/SHA256SUMS",
        f"dumps/{RELEASE.isoformat()}/CHANGES.md",
        f"dumps/{RELEASE.isoformat()}/citynet-20261204.nq.gz",
        "dumps/latest/SHA256SUMS",
    ]:
        assert (published / name).is_file(), name
    for ext in ("html", "ttl", "nt", "jsonld", "trig"):
        for path in (KRAKOW, "id/network/op-act", "vocab/role/lead-partner"):
            assert (published / f"{path}.{ext}").is_file(), f"{path}.{ext}"


def test_the_thing_and_its_document_are_distinct(published: Path) -> None:
    """Kraków's Turtle says which document it is and what it is about (foaf:primaryTopic)."""
    triples = as_triples((published / f"{KRAKOW}.ttl").read_text(encoding="utf-8"), ox.RdfFormat.TURTLE)
    thing, document = f"<{BASE}{KRAKOW}>", f"<{BASE}{KRAKOW}.ttl>"
    assert f"{document} <http://xmlns.com/foaf/0.1/primaryTopic> {thing}" in triples
    assert f"{thing} <http://xmlns.com/foaf/0.1/isPrimaryTopicOf> {document}" in triples
    # from the seeds: Kraków is in Poland, GeoNames 3094802
    assert f"{thing} <https://w3id.org/citynet/ontology#country> <{BASE}id/country/PL>" in triples


@pytest.mark.slow
def test_every_rdf_file_parses_with_rapper(published: Path) -> None:
    syntaxes = {".ttl": "turtle", ".nt": "ntriples", ".trig": "trig", ".owl": "rdfxml"}
    checked = 0
    for path in sorted(published.rglob("*")):
        syntax = syntaxes.get(path.suffix)
        if syntax and path.is_file():
            assert count_with_rapper(path, syntax) > 0, path
            checked += 1
    assert checked > 400  # five seed pages: ~15 networks, 43 memberships, their cities, sources, concepts


def test_the_json_ld_is_the_turtle(published: Path) -> None:
    """PyLD's reading of each JSON-LD document equals Oxigraph's reading of the Turtle beside it."""
    compared = 0
    for path in sorted(published.rglob("*.jsonld")):
        turtle = path.with_suffix(".ttl")
        if not turtle.is_file():
            continue
        expected = as_triples(turtle.read_text(encoding="utf-8"), ox.RdfFormat.TURTLE)
        stem = f"{BASE}{path.relative_to(published).with_suffix('').as_posix()}"
        found = {triple.replace(f"<{stem}.jsonld>", f"<{stem}.ttl>") for triple in expand_jsonld(path)}
        assert same_graph(found, expected), path  # the same triples, each file naming itself as the document
        compared += 1
    assert compared > 100


def test_the_landing_page_is_a_schema_org_dataset(published: Path) -> None:
    with offline_page() as (page, watch):
        page.goto((published / "index.html").as_uri())
        text = page.eval_on_selector('script[type="application/ld+json"]', "s => s.textContent")
        assert not watch.outside and not watch.errors
    dataset = json.loads(text)
    assert dataset["@type"] == "Dataset"
    for key in ("name", "description", "license", "creator", "distribution", "temporalCoverage"):
        assert dataset.get(key), key


def crawl(page: object, start: Path, root: Path) -> tuple[set[str], list[str]]:
    """Every page reachable from ``start`` by internal links: the pages seen and the broken links."""
    seen, broken, queue = set(), [], [start.as_uri()]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        if not url.endswith(".html"):
            continue
        page.goto(url)  # type: ignore[attr-defined]
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")  # type: ignore[attr-defined]
        for link in links:
            target = urljoin(url, link).split("#", 1)[0]
            if not target.startswith("file:"):
                continue
            path = Path(unquote(urlsplit(target).path))
            if not path.is_file() or not path.is_relative_to(root):
                broken.append(f"{url} -> {link}")
            elif target not in seen:
                queue.append(target)
    return seen, broken


@pytest.mark.slow
def test_every_internal_link_resolves_offline(published: Path) -> None:
    with offline_page() as (page, watch):
        seen, broken = crawl(page, published / "index.html", published)
        assert not watch.outside, watch.outside[:5]
    assert not broken, broken[:10]
    assert any(url.endswith(f"{KRAKOW}.html") for url in seen)
    assert len(seen) > 300


def test_a_release_is_never_overwritten(published: Path, tmp_path: Path, seed_store: Path) -> None:
    folder = tmp_path / "pub"
    shutil.copytree(published, folder, symlinks=True)
    before = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    store = str(seed_store)
    done = run_cli("publish", "-o", str(folder), "--release", "2026-12-04", "--store", store)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f'Error: release 2026-12-04 exists in "{folder / "dumps"}" - releases are never overwritten; '
        "give --release another date"
    ]
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == before


def test_a_second_release_keeps_the_first(published: Path, tmp_path: Path, seed_store: Path) -> None:
    folder = tmp_path / "pub"
    shutil.copytree(published, folder, symlinks=True)
    first = (folder / "dumps/2026-12-04/citynet-20261204.nq.gz").read_bytes()
    result = api.publish(folder, dt.date(2026, 12, 11), store_dir=seed_store)
    assert result.previous == RELEASE
    assert (folder / "dumps/2026-12-04/citynet-20261204.nq.gz").read_bytes() == first
    assert (folder / "dumps/2026-12-11/citynet-20261211.nq.gz").read_bytes() == first  # the same graph


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base", "w3id.org/citynet/"], 'Error: --base "w3id.org/citynet/" is not an absolute http(s) IRI'),
        (["--base", "https://w3id.org/cn"], 'Error: --base "https://w3id.org/cn" must end with "/"'),
        (["--release", "2026-13-01"], "Error: Invalid value for '--release'"),
    ],
)
def test_bad_options_are_one_line(args: list[str], message: str, tmp_path: Path, seed_store: Path) -> None:
    done = run_cli("publish", "-o", str(tmp_path / "pub"), "--store", str(seed_store), *args)
    assert done.returncode in (1, 2)
    assert done.stderr.strip().splitlines()[-1].startswith(message), done.stderr
    assert not (tmp_path / "pub").exists()


def test_a_folder_of_other_files_is_refused(tmp_path: Path, seed_store: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(PublishError, match="holds files citynet did not write"):
        api.publish(folder, RELEASE, store_dir=seed_store)
    assert [p.name for p in folder.iterdir()] == ["thesis.txt"]


def test_a_target_below_a_file_is_refused(tmp_path: Path, seed_store: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(PublishError, match="is a file, not a folder"):
        api.publish(tmp_path / "notes.txt" / "pub", RELEASE, store_dir=seed_store)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_an_unwritable_target_is_refused(seed_store: Path) -> None:
    """/proc takes no new folder, not even from root (CI runs as root)."""
    with pytest.raises(PublishError, match="cannot write"):
        api.publish(Path("/proc/citynet-publication"), RELEASE, store_dir=seed_store)


def test_an_iri_that_cannot_be_a_file_name_is_refused(tmp_path: Path) -> None:
    """An IRI whose path segment holds an encoded "/" has no file: one line, nothing written."""
    store, odd = ox.Store(), ox.NamedNode(f"{BASE}id/org/a%2Fb")
    store.add(ox.Quad(odd, ox.NamedNode(str(RDFS.label)), ox.Literal("A/B"), ox.DefaultGraph()))
    with pytest.raises(PublishError, match=r'id/org/a%2Fb cannot be a file name: segment "a/b" holds "/"'):
        publish_release(store, tmp_path / "pub", RELEASE, BASE, Project.at(ROOT))
    assert list(tmp_path.iterdir()) == []


def test_a_name_comes_before_an_english_alternative_label() -> None:
    """The bundled graph gives Kraków rdfs:label "Kraków" (the gazetteer) and English altLabels
    from keep.eu rows ("KRAKOW", "Municipality of Krakow"): the page is titled by the name."""
    store, city = ox.Store(), ox.NamedNode(f"{BASE}{KRAKOW}")
    for predicate, label in [
        (SKOS.altLabel, ox.Literal("KRAKOW", language="en")),
        (RDFS.label, ox.Literal("Kraków")),
    ]:
        store.add(ox.Quad(city, ox.NamedNode(str(predicate)), label, ox.DefaultGraph()))
    assert Lookup(store, BASE).label(city.value) == "Kraków"
