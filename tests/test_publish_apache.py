"""The published site's redirect rules under a real Apache httpd, asked by the real ``curl``.

Two servers: the self-hosted configuration (``apache/citynet.conf``) serving the published folder at
``/citynet/``, where a redirect is followed to the document; and w3id.org's ``.htaccess`` in a
``citynet/`` folder with ``AllowOverride All``, as w3id.org runs it, whose redirects point at the
host the published folder is served from.

The resources and what each ``Accept`` header must get are written by hand: Kraków (GeoNames
3094802) and its membership of URB-INCLUSION are in graph/krakow-urb-inclusion.yaml; the role
``partner`` and its scheme are in ontology/vocab; the ontology's terms (``#Network``) are documented
by the ontology's document, and ``curl`` does not send the fragment. The organisations of NAMES are
not in the seed graph: their names try the escaping of ``( ) ' : +``, a space, non-ASCII.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import subprocess
import tempfile
import urllib.error
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from rdflib import Graph

from citynet import api
from citynet.errors import PublishError
from citynet.publish.context import Context
from citynet.publish.paths import document_path
from citynet.publish.rules import negotiation_rules, write_rules
from citynet.store.embedded import EmbeddedStore
from citynet.store.resources import RDF_EXTENSIONS, choose_format, describe, serialize

from .browser import FLAGS, find_chromium
from .servers import StubHandler, apache_server, need_program, server_url, stub_server

BASE = "https://w3id.org/citynet/"
TARGET = "https://citynet-eu.github.io/citynet/"
# (the IRI's path as a client sends it, the document's path without extension, that path as
# a Location or Link gives it: Apache escapes what is not allowed in a URL path)
THINGS = [
    ("id/city/3094802", "id/city/3094802", "id/city/3094802"),
    ("id/network/urb-inclusion", "id/network/urb-inclusion", "id/network/urb-inclusion"),
    (
        "id/membership/urb-inclusion/city/3094802",
        "id/membership/urb-inclusion/city/3094802",
        "id/membership/urb-inclusion/city/3094802",
    ),
    ("vocab/role/partner", "vocab/role/partner", "vocab/role/partner"),
    ("vocab/role/", "vocab/role/index", "vocab/role/index"),
    ("ontology#Network", "ontology", "ontology"),
]
NAMES = [
    ("id/org/frankfurt-%28oder%29", "id/org/frankfurt-(oder)", "id/org/frankfurt-(oder)"),
    ("id/org/'s-hertogenbosch:a+b", "id/org/'s-hertogenbosch:a+b", "id/org/'s-hertogenbosch:a+b"),
    ("id/org/a%20b", "id/org/a b", "id/org/a%20b"),
    ("id/org/krak%C3%B3w", "id/org/krak\u00f3w", "id/org/krak%C3%B3w"),
]
RESOURCES = THINGS + NAMES
DUMP = "dumps/2026-12-04/citynet-20261204.nq.gz"
CHROMIUM = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7"
)
# (Accept header, None for none at all, or "rapper" for what rapper sends; the extension of the
# document for a thing, and for the ontology, which has RDF/XML (.owl) and no TriG; None: 406)
ACCEPTS = [
    ("text/turtle", "ttl", "ttl"),
    ("application/n-triples", "nt", "nt"),
    ("application/ld+json", "jsonld", "jsonld"),
    ("application/trig", "trig", None),
    ("application/rdf+xml", None, "owl"),
    ("text/html", "html", "html"),
    (CHROMIUM, "html", "html"),
    ("text/turtle;q=0.5, application/ld+json", "jsonld", "jsonld"),
    ("application/n-triples;q=0.8, text/turtle;q=0.3, */*;q=0.1", "nt", "nt"),
    ("application/trig;q=0.9, application/rdf+xml;q=0.8, text/turtle;q=0.4", "trig", "owl"),
    ("rapper", "ttl", "ttl"),  # rapper -g: N-Triples, Turtle, RDF/XML at full weight; Turtle comes first
    ("*/*", "html", "html"),
    (None, "html", "html"),
    ("image/png", None, None),
]
MEDIA = {
    "html": "text/html",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "trig": "application/trig",
    "owl": "application/rdf+xml",
}


@pytest.fixture(scope="module")
def published(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed graph as `citynet publish` writes it (base BASE, release 2026-12-04); then the
    documents of NAMES, IRIs with characters to escape that the seed graph does not have."""
    folder = tmp_path_factory.mktemp("published") / "pub"
    api.publish(folder, dt.date(2026, 12, 4), BASE, seed_store)
    context = Context(EmbeddedStore.open(seed_store).store, BASE, dt.date(2026, 12, 4), folder)
    for path, document, _ in NAMES:
        write_documents(context, path, document)
    return folder


def write_documents(context: Context, path: str, document: str) -> None:
    """The documents of the IRI ``BASE + path``: a trivial HTML page and the RDF formats (the
    ontology's: RDF/XML, no TriG)."""
    iri = BASE + path.split("#")[0]
    assert document_path(iri, BASE) == document
    found, stem, ontology = describe(context.store, iri), context.folder / document, document == "ontology"
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_name(f"{stem.name}.html").write_text(f"<!doctype html><title>{iri}</title>\n")
    for ext in RDF_EXTENSIONS:
        if not (ontology and ext == "trig"):
            stem.with_name(f"{stem.name}.{ext}").write_bytes(serialize(found, ext, f"{iri}.{ext}"))
    if ontology:
        turtle = stem.with_name(f"{stem.name}.ttl").read_text()
        stem.with_name(f"{stem.name}.owl").write_text(Graph().parse(data=turtle).serialize(format="xml"))


@pytest.fixture(scope="module")
def apache(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Apache serving the published folder with its apache/citynet.conf; yields the base URL."""
    conf = f'Define CITYNET_FOLDER "{published}"\nInclude "{published}/apache/citynet.conf"\n'
    with apache_server(tmp_path_factory.mktemp("docroot"), conf) as url:
        yield f"{url}/citynet/"


@pytest.fixture(scope="module")
def w3id(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Apache serving a w3id.org checkout holding only citynet/.htaccess; yields its citynet/ URL."""
    root = tmp_path_factory.mktemp("w3id")
    (root / "citynet").mkdir()
    shutil.copy(published / ".htaccess", root / "citynet" / ".htaccess")
    with apache_server(root, f'<Directory "{root}">\n    AllowOverride All\n</Directory>\n') as url:
        yield f"{url}/citynet/"


class AcceptRecorder(StubHandler):
    accepts: ClassVar[list[str | None]] = []

    def answer(self) -> None:
        self.accepts.append(self.headers.get("Accept"))
        self.reply(404, "text/plain", "")


def record_accept(fetch: Callable[[str], object]) -> str | None:
    """The Accept header ``fetch(url)`` sends, as a loopback server receives it."""
    with stub_server(AcceptRecorder) as server:
        fetch(server_url(server) + "/x")
    return AcceptRecorder.accepts[-1]


def run_rapper(*options: str) -> Callable[[str], object]:
    rapper = need_program("rapper (raptor2-utils)", shutil.which("rapper"))
    return lambda url: subprocess.run([rapper, "-q", *options, "-c", url], capture_output=True, timeout=60)


def run_chromium(url: str) -> str:
    """Chromium headless opens ``url`` as a page (following redirects); the page's DOM."""
    with tempfile.TemporaryDirectory() as profile:
        command = [find_chromium(), *FLAGS, f"--user-data-dir={profile}", "--dump-dom", url]
        return subprocess.run(command, capture_output=True, text=True, timeout=120).stdout


def parse_with_rdflib(format: str | None) -> Callable[[str], object]:
    def fetch(url: str) -> None:
        with contextlib.suppress(urllib.error.HTTPError):
            Graph().parse(url, format=format)

    return fetch


@pytest.fixture(scope="module")
def rapper_accept() -> str:
    """The Accept header rapper (raptor2-utils) sends when it guesses the format (``-g``)."""
    return record_accept(run_rapper("-g"))


def curl_head(url: str, accept: str | None) -> dict[str, str]:
    """``curl -sI`` with that Accept header (none at all for None): the status and the headers."""
    header = ["-H", f"Accept: {accept}"] if accept is not None else ["-H", "Accept:"]
    out = subprocess.run(
        ["curl", "-sI", *header, url], capture_output=True, text=True, timeout=30, check=True
    )
    status, *lines = out.stdout.strip().splitlines()
    found = {"status": status.split()[1]}
    for name, value in (line.split(": ", 1) for line in lines if ": " in line):
        key = name.lower()
        found[key] = f"{found[key]}, {value}" if key in found else value
    return found


def curl_get(url: str) -> tuple[str, bytes]:
    """``curl -s``: the status and Content-Type line, and the body."""
    out = subprocess.run(
        ["curl", "-s", "-w", "\n%{http_code} %{content_type}", url],
        capture_output=True,
        timeout=30,
        check=True,
    )
    body, _, status = out.stdout.rpartition(b"\n")
    return status.decode(), body


def normal(url: str) -> str:
    """``url`` with its percent-escapes in upper case (RFC 3986, 6.2.2.1); Apache writes lower case."""
    return re.sub(r"%[0-9a-f]{2}", lambda escape: escape.group().upper(), url)


def accept_header(accept: str | None, rapper_accept: str) -> str | None:
    return rapper_accept if accept == "rapper" else accept


@pytest.mark.parametrize(("path", "document", "href"), RESOURCES)
@pytest.mark.parametrize(("accept", "thing", "ontology"), ACCEPTS)
def test_self_hosted_apache_answers_303_to_the_document_the_accept_header_asks_for(
    apache: str,
    published: Path,
    rapper_accept: str,
    path: str,
    document: str,
    href: str,
    accept,
    thing,
    ontology,
) -> None:
    ext = ontology if document == "ontology" else thing
    found = curl_head(apache + path, accept_header(accept, rapper_accept))
    assert found["vary"] == "Accept"
    assert found["access-control-allow-origin"] == "*"
    assert f'<{urlsplit(apache).path}{href}.ttl>; rel="alternate"; type="text/turtle"' in normal(
        found["link"]
    )
    if ext is None:
        assert (found["status"], found.get("location")) == ("406", None)
        return
    assert (found["status"], normal(found["location"])) == ("303", f"{apache}{href}.{ext}")
    status, body = curl_get(found["location"])
    assert status.split(";")[0] == f"200 {MEDIA[ext]}"
    assert body == (published / f"{document}.{ext}").read_bytes()


@pytest.mark.server  # w3id.org's Apache; the `apache` fixture marks the others
@pytest.mark.parametrize(("path", "document", "href"), RESOURCES)
@pytest.mark.parametrize(("accept", "thing", "ontology"), ACCEPTS)
def test_w3id_htaccess_answers_303_to_the_document_on_the_target_host(
    w3id: str, rapper_accept: str, path: str, document: str, href: str, accept, thing, ontology
) -> None:
    ext = ontology if document == "ontology" else thing
    found = curl_head(w3id + path, accept_header(accept, rapper_accept))
    assert found["vary"] == "Accept"
    assert f'<{TARGET}{href}.jsonld>; rel="alternate"; type="application/ld+json"' in normal(found["link"])
    if ext is None:
        assert (found["status"], found.get("location")) == ("406", None)
    else:
        assert (found["status"], normal(found["location"])) == ("303", f"{TARGET}{href}.{ext}")


@pytest.mark.server
@pytest.mark.parametrize(
    "path",
    ["id/city/3094802.ttl", "ontology.html", "dumps/latest/", "void.ttl", ".well-known/void", ""],
)
def test_w3id_htaccess_redirects_documents_and_other_files_to_the_same_path(w3id: str, path: str) -> None:
    found = curl_head(w3id + path, "text/turtle")
    assert (found["status"], found["location"]) == ("302", TARGET + path)
    assert "vary" not in found


def test_self_hosted_apache_serves_a_document_as_it_is(apache: str, published: Path) -> None:
    found = curl_head(apache + "id/city/3094802.ttl", "image/png")
    assert (found["status"], found["content-type"], found["access-control-allow-origin"]) == (
        "200",
        "text/turtle",
        "*",
    )
    assert "vary" not in found


def test_self_hosted_apache_has_no_document_for_an_unknown_thing(apache: str) -> None:
    assert curl_head(apache + "id/city/1", "text/turtle")["status"] == "404"


# A real client's Accept header, recorded; the document Apache must choose for a thing and for the ontology
CLIENTS = {
    "rapper -g (guess)": (lambda: record_accept(run_rapper("-g")), "ttl", "ttl"),
    "rapper -i turtle": (lambda: record_accept(run_rapper("-i", "turtle")), "ttl", "ttl"),
    "rapper (RDF/XML, its default)": (lambda: record_accept(run_rapper()), "html", "owl"),
    "rdflib, no format": (lambda: record_accept(parse_with_rdflib(None)), "ttl", "ttl"),
    "rdflib, JSON-LD": (lambda: record_accept(parse_with_rdflib("json-ld")), "jsonld", "jsonld"),
    "Chromium": (lambda: record_accept(run_chromium), "html", "html"),
}


@pytest.mark.browser
@pytest.mark.parametrize("client", CLIENTS)
def test_real_clients_get_the_document_they_ask_for_as_citynet_serve_would_choose(
    apache: str, w3id: str, client: str
) -> None:
    record, thing, ontology = CLIENTS[client]
    accept = record()
    for base, target in ((apache, apache), (w3id, TARGET)):
        assert curl_head(base + "id/city/3094802", accept)["location"] == f"{target}id/city/3094802.{thing}"
        assert curl_head(base + "ontology", accept)["location"] == f"{target}ontology.{ontology}"
    assert choose_format(accept) == thing  # what `citynet serve` answers for a thing


@pytest.mark.browser
def test_chromium_opening_a_thing_shows_its_page(apache: str) -> None:
    dom = run_chromium(apache + "id/city/3094802")
    assert '<link rel="cite-as" href="https://w3id.org/citynet/id/city/3094802">' in dom  # Kraków's page
    dom = run_chromium(apache + "ontology#Network")
    assert "<title>The citynet ontology</title>" in dom  # pyLODE's page, its title the ontology's


def test_rapper_asks_for_turtle_and_n_triples_at_full_weight(rapper_accept: str) -> None:
    items = [item.strip() for item in rapper_accept.split(",")]
    assert "text/turtle" in items
    assert "application/n-triples" in items


@pytest.mark.parametrize(
    ("path", "media"),
    [(".well-known/void", "text/turtle"), (DUMP, "application/gzip"), ("README.md", "text/markdown")],
)
def test_self_hosted_apache_serves_the_other_files_with_their_types(
    apache: str, published: Path, path: str, media: str
) -> None:
    found = curl_head(apache + path, None)
    assert (found["status"], found["content-type"].split(";")[0]) == ("200", media)
    assert "content-encoding" not in found  # a dump is a download: its checksum is the gzip file's
    assert curl_get(apache + path)[1] == (published / path).read_bytes()


def test_the_apache_configuration_does_not_serve_the_htaccess(apache: str) -> None:
    assert curl_head(apache + ".htaccess", None)["status"] == "403"


def test_the_w3id_readme_names_example_iris_and_asks_for_the_maintainers_github_names(
    published: Path, seed_store: Path
) -> None:
    readme = (published / "README.md").read_text()
    examples = re.findall(r"^- <(https://w3id\.org/citynet/[^>]*)>$", readme, re.MULTILINE)
    kinds = [iri.removeprefix(BASE).split("/")[:2] for iri in examples]
    assert [kind[0] for kind in kinds] == ["id", "id", "id", "vocab", "ontology"]
    assert [kind[1] for kind in kinds[:3]] == ["city", "network", "membership"]
    store = EmbeddedStore.open(seed_store).store
    for iri in examples[:4]:
        assert store.query(f"ASK {{ <{iri}> ?p ?o }}"), iri
    assert "GITHUB-HANDLE" in readme
    assert "the citynet maintainers" in readme


@pytest.mark.parametrize(
    "target", ["ftp://example.org/", "https://example.org/citynet", "/citynet/", "https://x/a b/"]
)
def test_a_w3id_target_that_is_not_an_http_folder_url_is_refused(
    published: Path, seed_store: Path, tmp_path: Path, target: str
) -> None:
    context = Context(EmbeddedStore.open(seed_store).store, BASE, dt.date(2026, 12, 4), tmp_path)
    with pytest.raises(PublishError, match=f'w3id target "{re.escape(target)}"'):
        write_rules(context, target)
    assert not any(tmp_path.iterdir())


RANGES = [
    "text/html",
    "application/xhtml+xml",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/json",
    "application/trig",
    "application/rdf+xml",
    "application/xml",
    "image/png",
    "*/*",
    "text/*",
    "application/*",
]
WEIGHT = st.sampled_from(
    ["", ";q=1", ";q=1.0", ";q=0", ";q=0.0", *(f";q=0.{digit}" for digit in range(1, 10))]
)


COVERS = {  # a wildcard that admits HTML -> the more specific ranges that may weigh HTML otherwise
    "*/*": {"text/html", "application/xhtml+xml", "text/*", "application/*"},
    "text/*": {"text/html"},
    "application/*": {"application/xhtml+xml"},
}


@given(st.lists(st.tuples(st.sampled_from(RANGES), WEIGHT), min_size=1, max_size=6))
def test_the_rules_choose_as_citynet_serve_does(ranges: list[tuple[str, str]]) -> None:
    """The rules' regular expressions (as Python reads them) against ``choose_format``, for weights
    of one decimal and outside the case the module's docstring gives (a wildcard admitting HTML
    next to a more specific range that may weigh it lower)."""
    names = {name for name, _ in ranges}
    assume(not any(wildcard in names and names & specific for wildcard, specific in COVERS.items()))
    accept = ", ".join(name + weight for name, weight in ranges)
    chosen = next(
        (ext for tier in negotiation_rules() for ext, rule in tier if re.search(rule, accept, re.IGNORECASE)),
        None,
    )
    assert chosen == choose_format(accept), accept
