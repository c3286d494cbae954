"""The published site's redirect rules under a real Apache httpd, asked by the real ``curl``.

Two servers: the self-hosted configuration (``apache/citynet.conf``) serving the published folder at
``/citynet/``, where a redirect is followed to the document; and w3id.org's ``.htaccess`` in a
``citynet/`` folder with ``AllowOverride All``, as w3id.org runs it, whose redirects point at the
host the published folder is served from.

The resources and what each ``Accept`` header must get are written by hand: Kraków (GeoNames
3094802) and its membership of URB-INCLUSION are in graph/krakow-urb-inclusion.yaml; the role
``partner`` and its scheme are in ontology/vocab; the ontology's terms (``#Network``) are documented
by the ontology's document, and ``curl`` does not send the fragment.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from citynet.publish.context import Context
from citynet.publish.paths import document_path
from citynet.publish.rules import write_rules
from citynet.store.embedded import EmbeddedStore
from citynet.store.resources import RDF_EXTENSIONS, describe, serialize

from .servers import StubHandler, apache_server, need_program, server_url, stub_server

BASE = "https://w3id.org/citynet/"
TARGET = "https://citynet-eu.github.io/citynet/"
# (the IRI's path as a client sends it, the document's path without extension)
RESOURCES = [
    ("id/city/3094802", "id/city/3094802"),
    ("id/network/urb-inclusion", "id/network/urb-inclusion"),
    ("id/membership/urb-inclusion/city/3094802", "id/membership/urb-inclusion/city/3094802"),
    ("vocab/role/partner", "vocab/role/partner"),
    ("vocab/role/", "vocab/role/index"),
    ("ontology#Network", "ontology"),
    ("id/org/frankfurt-%28oder%29", "id/org/frankfurt-(oder)"),
    ("id/org/'s-hertogenbosch+x", "id/org/'s-hertogenbosch+x"),
]
CHROMIUM = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7"
)
# (Accept header, None for none at all, or "rapper" for what rapper sends; the document's extension)
ACCEPTS = [
    ("text/turtle", "ttl"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/trig", "trig"),
    ("text/html", "html"),
    (CHROMIUM, "html"),
    ("text/turtle;q=0.5, application/ld+json", "jsonld"),
    ("application/n-triples;q=0.8, text/turtle;q=0.3, */*;q=0.1", "nt"),
    ("rapper", "ttl"),  # rapper -g: RDF/XML, N-Triples and Turtle at full weight; Turtle comes first
    ("*/*", "html"),
    (None, "html"),
    ("image/png", None),
]
MEDIA = {
    "html": "text/html",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "trig": "application/trig",
}
pytestmark = pytest.mark.server  # every test here starts Apache httpd: the `apache` fixture's, or w3id's


@pytest.fixture(scope="module")
def published(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published folder for the resources of RESOURCES: their documents in every format, and the
    rules. (Until ``citynet publish`` is merged; then ``api.publish(...)`` makes it.)"""
    folder = tmp_path_factory.mktemp("published") / "pub"
    context = Context(EmbeddedStore.open(seed_store).store, BASE, dt.date(2026, 12, 4), folder)
    for path, _ in RESOURCES:
        iri = BASE + path.split("#")[0]
        document = folder / document_path(iri, BASE)
        document.parent.mkdir(parents=True, exist_ok=True)
        found = describe(context.store, iri)
        for ext in RDF_EXTENSIONS:
            document.with_name(f"{document.name}.{ext}").write_bytes(serialize(found, ext, f"{iri}.{ext}"))
        document.with_name(f"{document.name}.html").write_text(f"<!doctype html><title>{iri}</title>\n")
    write_rules(context)
    return folder


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


@pytest.fixture(scope="module")
def rapper_accept() -> str:
    """The Accept header rapper (raptor2-utils) sends when it guesses the format (``-g``)."""
    rapper = need_program("rapper (raptor2-utils)", shutil.which("rapper"))
    with stub_server(AcceptRecorder) as server:
        subprocess.run([rapper, "-q", "-g", "-c", server_url(server) + "/x"], capture_output=True, timeout=30)
    return AcceptRecorder.accepts[-1]


def curl_head(url: str, accept: str | None) -> dict[str, str]:
    """``curl -sI`` with that Accept header (none at all for None): the status and the headers."""
    header = ["-H", f"Accept: {accept}"] if accept is not None else ["-H", "Accept:"]
    out = subprocess.run(
        ["curl", "-sI", *header, url], capture_output=True, text=True, timeout=30, check=True
    )
    status, *lines = out.stdout.strip().splitlines()
    headers = dict(line.split(": ", 1) for line in lines if ": " in line)
    return {"status": status.split()[1], **{key.lower(): value for key, value in headers.items()}}


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


def accept_header(accept: str | None, rapper_accept: str) -> str | None:
    return rapper_accept if accept == "rapper" else accept


@pytest.mark.parametrize(("path", "document"), RESOURCES)
@pytest.mark.parametrize(("accept", "ext"), ACCEPTS)
def test_self_hosted_apache_answers_303_to_the_document_the_accept_header_asks_for(
    apache: str, published: Path, rapper_accept: str, path: str, document: str, accept: str, ext: str
) -> None:
    found = curl_head(apache + path, accept_header(accept, rapper_accept))
    assert found["vary"] == "Accept"
    assert found["access-control-allow-origin"] == "*"
    if ext is None:
        assert (found["status"], found.get("location")) == ("406", None)
        return
    assert found["status"] == "303"
    location = found["location"]
    assert location == f"{apache}{document}.{ext}"
    status, body = curl_get(location)
    assert status.split(";")[0] == f"200 {MEDIA[ext]}"
    assert body == (published / f"{document}.{ext}").read_bytes()


@pytest.mark.parametrize(("path", "document"), RESOURCES)
@pytest.mark.parametrize(("accept", "ext"), ACCEPTS)
def test_w3id_htaccess_answers_303_to_the_document_on_the_target_host(
    w3id: str, rapper_accept: str, path: str, document: str, accept: str, ext: str
) -> None:
    found = curl_head(w3id + path, accept_header(accept, rapper_accept))
    assert found["vary"] == "Accept"
    if ext is None:
        assert (found["status"], found.get("location")) == ("406", None)
    else:
        assert (found["status"], found["location"]) == ("303", f"{TARGET}{document}.{ext}")


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


def test_rapper_asks_for_turtle_and_n_triples_at_full_weight(rapper_accept: str) -> None:
    items = [item.strip() for item in rapper_accept.split(",")]
    assert "text/turtle" in items
    assert "application/n-triples" in items
