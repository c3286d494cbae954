"""`citynet serve` dereferences IRIs and has a SPARQL query page: the real command on a loopback
port, raw HTTP requests (redirects not followed), documents parsed by raptor's ``rapper`` and the
JSON-LD expanded by PyLD, the query page run in headless Chromium.

Expected facts are the seed sources': Kraków (GeoNames 3094802) is a city of Poland and a partner
of URB-INCLUSION (graph/krakow-urb-inclusion.yaml); OP-ACT's English name and acronym and its
lead partner Leoben (graph/silesia-urbact-ii.yaml); the role "lead partner" in the role scheme and
the class cn:Network (ontology/).
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyld import jsonld

from citynet import api
from citynet.store import deref
from citynet.store.deref import MAX_IN, build_query, read_quads

from .browser import offline_page
from .conftest import ROOT, SEEDS, invoke
from .servers import need_program
from .test_serve import running_server

BASE = "https://w3id.org/citynet/"
CN = BASE + "ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
FOAF = "http://xmlns.com/foaf/0.1/"
OWL = "http://www.w3.org/2002/07/owl#"
CHROMIUM = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7"
)
RAPPER_TURTLE = (  # what `rapper -i turtle URL` sends (seen on a listener)
    "text/turtle, application/x-turtle, application/turtle, text/n3;q=0.3, text/rdf+n3;q=0.3, "
    "application/rdf+n3;q=0.3, */*;q=0.1"
)
RAPPER_GUESS = "application/rdf+xml, text/rdf;q=0.6, */*;q=0.1"  # `rapper URL`: no RDF/XML here, so HTML
ACCEPTS = [
    ("text/turtle", "ttl"),
    ("application/n-triples", "nt"),
    ("application/ld+json", "jsonld"),
    ("application/trig", "trig"),
    ("text/html", "html"),
    (CHROMIUM, "html"),
    ("application/ld+json;q=0.5, text/turtle;q=0.9, text/html;q=0.1", "ttl"),
    ("*/*", "html"),
    (RAPPER_TURTLE, "ttl"),
    (RAPPER_GUESS, "html"),
    (None, "html"),
    ("image/png", None),
]
MEDIA = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "trig": "application/trig",
    "html": "text/html",
}
CITY = "id/city/3094802"
MEMBERSHIP = "id/membership/urb-inclusion/city/3094802"
# path -> (its document's name, a few of its triples as the sources state them)
RESOURCES = {
    CITY: (
        CITY,
        [
            (BASE + CITY, RDFS + "label", ox.Literal("Kraków")),
            (BASE + CITY, CN + "country", ox.NamedNode(BASE + "id/country/PL")),
        ],
    ),
    "id/network/op-act": (
        "id/network/op-act",
        [
            (
                BASE + "id/network/op-act",
                RDFS + "label",
                ox.Literal(
                    "OP-ACT - Options of actions - strategic positioning of small and medium sized cities",
                    language="en",
                ),
            ),
            (BASE + "id/network/op-act", CN + "acronym", ox.Literal("OP-ACT")),
        ],
    ),
    MEMBERSHIP: (
        MEMBERSHIP,
        [
            (BASE + MEMBERSHIP, CN + "member", ox.NamedNode(BASE + CITY)),
            (BASE + MEMBERSHIP, CN + "network", ox.NamedNode(BASE + "id/network/urb-inclusion")),
            (BASE + MEMBERSHIP, CN + "role", ox.NamedNode(BASE + "vocab/role/partner")),
        ],
    ),
    "vocab/role/lead-partner": (
        "vocab/role/lead-partner",
        [
            (BASE + "vocab/role/lead-partner", SKOS + "inScheme", ox.NamedNode(BASE + "vocab/role/")),
            (BASE + "vocab/role/lead-partner", SKOS + "prefLabel", ox.Literal("lead partner", language="en")),
        ],
    ),
    "vocab/role/": (
        "vocab/role/index",
        [(BASE + "vocab/role/lead-partner", SKOS + "inScheme", ox.NamedNode(BASE + "vocab/role/"))],
    ),
    "ontology": (
        "ontology",
        [
            (BASE + "ontology", RDF + "type", ox.NamedNode(OWL + "Ontology")),
            (CN + "Network", RDF + "type", ox.NamedNode(OWL + "Class")),
        ],
    ),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`citynet serve` on the seed graph; its base URL."""
    store = tmp_path_factory.mktemp("deref") / "store"
    api.load(SEEDS, store)
    with running_server(store, "--timeout", "20", "--workers", "2") as (base, _):
        yield base


def fetch(
    url: str, accept: str | None = None, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request, redirects not followed: status, headers, body."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        sent = {**({"Accept": accept} if accept is not None else {}), **(headers or {})}
        connection.request(method, parts.path, headers=sent)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def run_rapper(body: bytes, syntax: str) -> set[ox.Quad]:
    """The quads raptor's rapper reads from a document (its N-Quads output, read back as quads)."""
    rapper = need_program("rapper", shutil.which("rapper"))
    done = subprocess.run(
        [rapper, "-q", "-i", syntax, "-o", "nquads", "-", "http://example.org/"],
        input=body,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    return set(ox.parse(done.stdout, format=ox.RdfFormat.N_QUADS))


def triples_of(quads: set[ox.Quad]) -> set[ox.Triple]:
    return {quad.triple for quad in quads}


def rename(triples: set[ox.Triple], old: str, new: str) -> set[ox.Triple]:
    """The triples with the IRI ``old`` (a document's own) replaced by ``new``."""

    def swap(term: ox.Term) -> ox.Term:
        return ox.NamedNode(new) if isinstance(term, ox.NamedNode) and term.value == old else term

    return {ox.Triple(swap(t.subject), t.predicate, swap(t.object)) for t in triples}


def to_triple(subject: str, predicate: str, value: ox.Term) -> ox.Triple:
    return ox.Triple(ox.NamedNode(subject), ox.NamedNode(predicate), value)


# --- 303 by Accept, 406, and the document it points to ---------------------------------------------


@pytest.mark.parametrize(("accept", "ext"), ACCEPTS)
@pytest.mark.parametrize("path", list(RESOURCES))
def test_accept_matrix(server: str, path: str, accept: str | None, ext: str | None) -> None:
    status, headers, body = fetch(f"{server}/{path}", accept)
    assert headers["Vary"] == "Accept"
    assert headers["Access-Control-Allow-Origin"] == "*"
    if ext is None:
        assert status == 406
        assert body.decode().count("\n") == 1
        assert "text/turtle" in body.decode() and "application/ld+json" in body.decode()
        return
    name = RESOURCES[path][0]
    assert (status, headers["Location"]) == (303, f"/{name}.{ext}")
    assert headers["Link"] == f'</{name}.{ext}>; rel="describedby"; type="{MEDIA[ext]}"'
    status, headers, body = fetch(server + headers["Location"])
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == MEDIA[ext]
    assert f'<{BASE}{path}>; rel="describes"' in headers["Link"]
    assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in headers["Link"]
    others = [other for other in MEDIA if other != ext]
    for other in others:
        assert f'</{name}.{other}>; rel="alternate"; type="{MEDIA[other]}"' in headers["Link"]


@pytest.mark.parametrize("path", list(RESOURCES))
def test_documents_parse_with_rapper_and_say_what_the_sources_say(server: str, path: str) -> None:
    name, facts = RESOURCES[path]
    expected = {to_triple(*fact) for fact in facts}
    document = f"{BASE}{name}.ttl"
    about = {
        to_triple(document, FOAF + "primaryTopic", ox.NamedNode(BASE + path)),
        to_triple(BASE + path, FOAF + "isPrimaryTopicOf", ox.NamedNode(document)),
    }
    turtle = triples_of(run_rapper(fetch(f"{server}/{name}.ttl")[2], "turtle"))
    assert expected | about <= turtle
    ntriples = triples_of(run_rapper(fetch(f"{server}/{name}.nt")[2], "ntriples"))
    assert rename(ntriples, f"{BASE}{name}.nt", document) == turtle
    trig = run_rapper(fetch(f"{server}/{name}.trig")[2], "trig")
    assert expected <= triples_of({quad for quad in trig if isinstance(quad.graph_name, ox.DefaultGraph)})


@pytest.mark.parametrize("path", list(RESOURCES))
def test_jsonld_expanded_by_pyld_is_the_turtle(server: str, path: str) -> None:
    name = RESOURCES[path][0]
    document = json.loads(fetch(f"{server}/{name}.jsonld")[2])
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    from_jsonld = triples_of(set(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)))
    turtle = triples_of(run_rapper(fetch(f"{server}/{name}.ttl")[2], "turtle"))
    renamed = rename(from_jsonld, f"{BASE}{name}.jsonld", f"{BASE}{name}.ttl")  # only their own IRI differs
    assert renamed == turtle


def test_trig_keeps_each_fact_in_the_graph_of_its_source(server: str) -> None:
    quads = run_rapper(fetch(f"{server}/{MEMBERSHIP}.trig")[2], "trig")
    stated = ox.Quad(
        ox.NamedNode(BASE + MEMBERSHIP),
        ox.NamedNode(CN + "member"),
        ox.NamedNode(BASE + CITY),
        ox.NamedNode(BASE + "id/source/krakow-urb-inclusion"),
    )
    assert stated in quads


# --- what else a client meets: 404, HEAD, CORS, encoded paths, bounds ------------------------------


def test_an_iri_the_graph_says_nothing_about_is_404(server: str) -> None:
    for path in (
        "id/city/1",
        "id/city/1.ttl",
        "vocab/role/nobody.html",
        "id/city/3094802.ttl%3E%20%7D",  # "> }": no way out of the query's <…>
        "id/city/%FF.ttl",  # not UTF-8
    ):
        status, _, body = fetch(f"{server}/{path}", "text/turtle")
        assert status == 404, path
        assert body.decode().count("\n") == 1


def test_head_is_get_without_the_body(server: str) -> None:
    _, got_headers, body = fetch(f"{server}/{CITY}.trig")
    status, headers, empty = fetch(f"{server}/{CITY}.trig", method="HEAD")
    assert (status, empty, headers["Content-Length"]) == (200, b"", str(len(body)))
    assert headers["Link"] == got_headers["Link"]
    status, headers, _ = fetch(f"{server}/{CITY}", "text/turtle", method="HEAD")
    assert (status, headers["Location"]) == (303, f"/{CITY}.ttl")


def test_cors_on_read_and_a_preflight(server: str) -> None:
    origin = {"Origin": "http://example.org"}
    status, headers, _ = fetch(f"{server}/{CITY}.jsonld", headers=origin)
    assert (status, headers["Access-Control-Allow-Origin"]) == (200, "*")
    assert "Link" in headers["Access-Control-Expose-Headers"]
    preflight = {**origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "accept"}
    status, headers, _ = fetch(f"{server}/{CITY}", method="OPTIONS", headers=preflight)
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in headers["Access-Control-Allow-Methods"]
    assert "Accept" in headers["Access-Control-Allow-Headers"]
    status, _, _ = fetch(f"{server}/{CITY}", method="POST")
    assert status == 405


def test_a_percent_encoded_path_names_the_same_iri(server: str) -> None:
    status, headers, _ = fetch(f"{server}/id/city/%33094802.ttl")  # %33 is "3"
    assert status == 200
    assert f'<{BASE}{CITY}>; rel="describes"' in headers["Link"]


def test_incoming_triples_are_read_up_to_a_bound() -> None:
    """A thing pointed at 2,500 times (as vocab/role/partner is by the memberships of a big graph)
    yields MAX_IN of those triples per graph kind, and says it was cut."""
    store = ox.Store()
    thing = ox.NamedNode(BASE + "vocab/role/partner")
    for number in range(2_500):
        member = ox.NamedNode(f"{BASE}id/membership/n/city/{number}")
        store.add(ox.Quad(member, ox.NamedNode(CN + "role"), thing, ox.DefaultGraph()))
        store.add(ox.Quad(member, ox.NamedNode(CN + "role"), thing, ox.NamedNode(BASE + "id/source/s")))
    results = store.query(build_query([thing.value], [thing.value]))
    body = results.serialize(format=ox.QueryResultsFormat.JSON)
    quads, cut = read_quads(body)
    assert cut is True
    assert len([q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]) == MAX_IN
    assert len([q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]) == MAX_IN
    assert deref.MAX_IN == 1_000


@pytest.mark.server
def test_a_self_hosted_base(tmp_path: Path) -> None:
    """The graph built with another base for its instances, served with --base: /id/… stands for
    that base's IRIs."""
    base = "https://data.example.org/cities/"
    store = tmp_path / "store"
    api.load(SEEDS, store, base=base + "id/")  # the instances' base: the ontology keeps its IRIs
    with running_server(store, "--base", base, "--workers", "1") as (url, _):
        status, headers, _ = fetch(f"{url}/{CITY}", "application/n-triples")
        assert (status, headers["Location"]) == (303, f"/{CITY}.nt")
        status, headers, body = fetch(f"{url}/{CITY}.nt")
        assert f'<{base}{CITY}>; rel="describes"' in headers["Link"]
        assert f'<{base}{CITY}> <{RDFS}label> "Kraków" .'.encode() in body
        status, _, _ = fetch(f"{url}/{CITY}.nt", "text/turtle")
        assert status == 200


@pytest.mark.server
@pytest.mark.slow
def test_a_resource_with_many_incoming_triples_is_served_cut(tmp_path: Path) -> None:
    """A synthetic graph of 2,500 memberships, most of them partners: the concept "partner" is
    pointed at far more than MAX_IN times. Its document holds MAX_IN of those triples, says it was
    cut, parses, and the server answers on."""
    project, store = tmp_path / "project", tmp_path / "store"
    generate = [
        sys.executable,
        str(ROOT / "bench" / "generate.py"),
        "--memberships",
        "2500",
        "-o",
        str(project),
    ]
    subprocess.run(generate, check=True, capture_output=True, timeout=300)
    api.load(project, store)
    with running_server(store, "--workers", "1") as (url, _):
        started = time.monotonic()
        status, headers, body = fetch(f"{url}/vocab/role/partner.ttl")
        assert time.monotonic() - started < 10
        assert status == 200
        cut = headers["X-Citynet-Truncated"]
        assert cut.startswith("triples past 1,000 pointing here or 10,000 of its own are left out")
        partner = ox.NamedNode(BASE + "vocab/role/partner")
        triples = triples_of(run_rapper(body, "turtle"))
        incoming = [t for t in triples if t.object == partner and t.predicate.value != FOAF + "primaryTopic"]
        assert len(incoming) == MAX_IN  # cn:role of memberships, skos:broader of "lead partner"
        assert fetch(f"{url}/{CITY}", "text/turtle")[0] in (303, 404)  # still answering


# --- the SPARQL query page -------------------------------------------------------------------------


def test_query_page_runs_a_named_query_offline(server: str) -> None:
    """YASGUI, served by the server itself, runs the named query `networks` on /query and shows
    OP-ACT with its lead partner Leoben; no request leaves the server."""
    with offline_page() as (page, watch):
        page.context.set_offline(False)
        page.route(f"{server}/**", lambda route: route.continue_())
        page.goto(f"{server}/")
        page.wait_for_function("window.citynetQuery && window.citynetQuery.ready === true")
        page.select_option("#named-query", "networks")
        page.locator(".tabPanel.active .yasqe_queryButton").click()
        row = page.locator(".tabPanel.active .yasr table tbody tr", has_text="OP-ACT")
        row.first.wait_for(timeout=30_000)
        assert "Leoben" in row.first.inner_text()
        assert [url for url in watch.outside if not url.startswith(server + "/")] == []
        assert watch.errors == []
        assert watch.dialogs == []


def test_query_page_gives_a_declared_order_as_order_by(server: str) -> None:
    """The page's queries run on the server as they are: provenance's '#+ order:' header reaches it
    as an ORDER BY (network name ignoring case, member name, source: queries/provenance.rq)."""
    status, _, body = fetch(f"{server}/")
    found = re.search(
        r'<script id="named-queries" type="application/json">(.*?)</script>', body.decode(), re.S
    )
    assert status == 200 and found
    texts = {query["name"]: query["text"] for query in json.loads(found.group(1))}
    assert texts["provenance"].endswith("}\nORDER BY LCASE(STR(?networkName)) ?memberName ?source\n")
    assert texts["partners"] == (ROOT / "queries" / "partners.rq").read_text(encoding="utf-8")


@pytest.mark.parametrize("base", ["citynet/", "https://w3id.org/citynet", "ftp://example.org/"])
def test_a_base_that_is_not_an_absolute_iri_is_one_line(seed_store: Path, base: str) -> None:
    result = invoke("serve", "--base", base, "--port", "1", store=seed_store)
    assert result.returncode == 1
    assert result.stderr == (
        f'Error: the base "{base}" is not an absolute http(s) IRI ending in "/" - '
        "give one like https://w3id.org/citynet/\n"
    )
