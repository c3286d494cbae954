"""Organisations in the named queries and graphs: the seed graph plus tests/fixtures/organisations.yaml.

The fixture (test facts, not real ones) adds two URBACT III transfer networks:

- Org Net: Celje (lead, SI), Test Institute (research institute, SI), Test Association (association,
  PL) and Test Unplaced (association, IT);
- Org Net Two: Leoben (lead, AT) and Test Institute.

The test then states, as an importer's fact file would: Test Institute is located in Celje (NUTS 3
SI034, public), Test Association in Kraków (private); Test Unplaced's town is "Borgo <i>Test</i>"
(unresolved). In the seed, Celje's only network is Cities@Heart, with Kraków among its 8 cities, and
Leoben's is OP-ACT. Every expected value below follows from these lines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from citynet import api
from citynet.errors import QueryError
from citynet.graphs.memberships import Filters
from citynet.graphs.network import build_bipartite, build_city_graph, build_country_graph, build_network_graph
from citynet.rdf.namespaces import PREFIXES, Ids
from citynet.store.embedded import EmbeddedStore, update_store

from .conftest import ROOT, add_source, copy_project, invoke

ID = "https://w3id.org/citynet/id/"
CELJE, KRAKOW, LEOBEN = ID + "city/3202781", ID + "city/3094802", ID + "city/2772649"
ORG = str(Ids().organisation(""))  # the organisations' IRIs: ORG + slug
INSTITUTE, ASSOCIATION, UNPLACED = ORG + "test-institute", ORG + "test-association", ORG + "test-unplaced"
ORG_NET, ORG_NET_TWO, HEART = (
    ID + "network/org-net",
    ID + "network/org-net-two",
    ID + "network/cities-at-heart",
)
INSTITUTE_NAME = "Test Institute <b>&amp;</b>"
SOURCE = ID + "source/org-views-test"
CN = PREFIXES["cn"]
PLACES = f"""
<{INSTITUTE}> <{CN}locatedIn> <{CELJE}> .
<{INSTITUTE}> <{CN}nutsRegion> <http://data.europa.eu/nuts/code/SI034> .
<{INSTITUTE}> <{CN}legalStatus> "public" .
<{ASSOCIATION}> <{CN}locatedIn> <{KRAKOW}> .
<{ASSOCIATION}> <{CN}legalStatus> "private" .
<{UNPLACED}> <{CN}town> "Borgo <i>Test</i>" .
"""


@pytest.fixture(scope="module")
def org_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed graph, the fixture's two networks, and where their organisations are located."""
    root = copy_project(tmp_path_factory.mktemp("orgs"))
    facts = (ROOT / "tests" / "fixtures" / "organisations.yaml").read_text(encoding="utf-8")
    add_source(
        root, "{id: org-views-test, title: Organisation views test, language: en}", "org-views-test", facts
    )
    api.load(root, root / "store")
    update = f"INSERT DATA {{ GRAPH <{SOURCE}> {{ {PLACES} }} }} ;\nINSERT DATA {{ {PLACES} }}"
    update_store(root / "store", lambda store: store.update(update))
    return root / "store"


@pytest.fixture(scope="module")
def orgs(org_store: Path) -> EmbeddedStore:
    return EmbeddedStore.open(org_store)


def ask(store: Path, name: str, **params: str) -> list[dict]:
    return api.query(name, params, store_dir=store)


# --- named queries


def test_partners_give_kind_type_country_and_where_an_organisation_is(org_store: Path) -> None:
    rows = ask(org_store, "partners", network="Org Net")
    got = [
        (r["label"], r["kind"], r["role"], r["country"], r["type"], r["locatedIn"], r["town"]) for r in rows
    ]
    assert got == [
        ("Celje", "city", "lead partner", "SI", None, None, None),
        ("Test Association", "organisation", "partner", "PL", "association", "Kraków", None),
        (INSTITUTE_NAME, "organisation", "partner", "SI", "research institute", "Celje", None),
        ("Test Unplaced", "organisation", "partner", "IT", "association", None, "Borgo <i>Test</i>"),
    ]


def test_organisations_lists_each_with_type_region_status_and_place(org_store: Path) -> None:
    rows = {r["label"]: r for r in ask(org_store, "organisations")}
    assert set(rows) == {"Amfiktyonyes", "Quadrilatero", INSTITUTE_NAME, "Test Association", "Test Unplaced"}
    institute = rows[INSTITUTE_NAME]
    assert (institute["type"], institute["country"], institute["nuts3"], institute["legalStatus"]) == (
        "research institute",
        "SI",
        "SI034",
        "public",
    )
    assert (institute["city"], institute["locatedIn"], institute["town"], institute["networks"]) == (
        CELJE,
        "Celje",
        None,
        2,  # Org Net and Org Net Two
    )
    assert (rows["Test Association"]["locatedIn"], rows["Test Association"]["legalStatus"]) == (
        "Kraków",
        "private",
    )
    assert (rows["Test Unplaced"]["city"], rows["Test Unplaced"]["town"]) == (None, "Borgo <i>Test</i>")
    assert (
        rows["Quadrilatero"]["type"],
        rows["Quadrilatero"]["country"],
        rows["Quadrilatero"]["networks"],
    ) == (
        "association",
        "PT",
        1,
    )


def test_city_networks_stay_the_city_s_own(org_store: Path) -> None:
    rows = ask(org_store, "city-networks", city="Celje")
    # Celje leads Org Net itself; Org Net Two is its institute's, not its own.
    assert {(r["name"], r["role"]) for r in rows} == {
        ("Cities@Heart", "partner"),
        ("Org Net", "lead partner"),
    }


def test_city_organisations_are_the_networks_of_the_organisations_located_there(org_store: Path) -> None:
    rows = ask(org_store, "city-organisations", city="Celje")
    assert [(r["label"], r["type"], r["name"], r["role"], r["programme"]) for r in rows] == [
        (INSTITUTE_NAME, "research institute", "Org Net", "partner", "URBACT III"),
        (INSTITUTE_NAME, "research institute", "Org Net Two", "partner", "URBACT III"),
    ]
    assert [r["label"] for r in ask(org_store, "city-organisations", city="Kraków")] == ["Test Association"]
    assert ask(org_store, "city-organisations", city="Leoben") == []


def test_cities_count_the_organisations_located_in_them(org_store: Path) -> None:
    counts = {r["label"]: r["organisations"] for r in ask(org_store, "cities")}
    assert (counts["Celje"], counts["Kraków"], counts["Leoben"], counts["Paris"]) == (1, 1, 0, 0)


def test_city_ranking_counts_networks_only_the_city_s_organisations_join(org_store: Path) -> None:
    rows = {r["label"]: r for r in ask(org_store, "city-ranking")}
    # Celje: Cities@Heart and Org Net itself, Org Net Two through its institute only.
    assert (rows["Celje"]["networks"], rows["Celje"]["leads"], rows["Celje"]["viaOrganisations"]) == (2, 1, 1)
    # Kraków's association joins Org Net, which Kraków is not a member of.
    assert (rows["Kraków"]["networks"], rows["Kraków"]["viaOrganisations"]) == (3, 1)
    assert rows["Leoben"]["viaOrganisations"] == 0


# --- graphs


def test_default_city_graph_ignores_organisations(orgs: EmbeddedStore) -> None:
    graph = build_city_graph(orgs)
    # Org Net has one city (Celje), Org Net Two one (Leoben): no new edge; Celje-Kraków: Cities@Heart.
    assert not graph.has_edge(CELJE, LEOBEN)
    assert graph.edges[CELJE, KRAKOW]["networks"] == ("Cities@Heart",)
    assert graph.graph["name"] == "city-city"


def test_located_organisations_count_as_their_cities(orgs: EmbeddedStore) -> None:
    graph = build_city_graph(orgs, Filters(include_located=True))
    # Org Net: Celje, and Kraków through its association;
    # Org Net Two: Leoben, and Celje through its institute.
    assert graph.edges[CELJE, KRAKOW]["networks"] == ("Cities@Heart", "Org Net")
    assert graph.edges[CELJE, KRAKOW]["weight"] == 2
    assert graph.edges[CELJE, LEOBEN] == {
        "weight": 1,
        "networks": ("Org Net Two",),
        "programmes": ("URBACT III",),
    }
    assert UNPLACED not in graph and INSTITUTE not in graph
    assert graph.graph["filters"] == "located=yes"


def test_located_memberships_name_the_organisation_on_the_edge(orgs: EmbeddedStore) -> None:
    graph = build_bipartite(orgs, Filters(include_located=True))
    # Celje leads Org Net itself and takes part through its institute: the role stays its own.
    assert graph.edges[CELJE, ORG_NET] == {"role": "lead partner", "sources": 1, "via": [INSTITUTE_NAME]}
    # Org Net Two only through the institute: no role of Celje's.
    assert graph.edges[CELJE, ORG_NET_TWO] == {"sources": 1, "via": [INSTITUTE_NAME]}
    assert "via" not in graph.edges[CELJE, HEART]
    # the unplaced organisation stays one; the placed ones are gone
    assert graph.nodes[UNPLACED]["kind"] == "organisation" and INSTITUTE not in graph
    assert graph.degree(ORG_NET) == 3  # Celje, Kraków, Test Unplaced


def test_kind_city_keeps_city_memberships_only(orgs: EmbeddedStore) -> None:
    graph = build_bipartite(orgs, Filters(kind="city"))
    assert {k for _, k in graph.nodes(data="kind")} == {"city", "network"}
    assert graph.degree(ORG_NET) == 1 and graph.degree(HEART) == 8
    # with --located the located organisations come back as their cities; the unplaced one does not
    located = build_bipartite(orgs, Filters(kind="city", include_located=True))
    assert graph.degree(ORG_NET) == 1 and located.degree(ORG_NET) == 2
    assert UNPLACED not in located


def test_organisation_projection_links_organisations_sharing_a_network(orgs: EmbeddedStore) -> None:
    graph = build_city_graph(orgs, Filters(kind="organisation"))
    assert graph.graph["name"] == "organisation-organisation"
    assert set(graph) == {ORG + "quadrilatero", ORG + "amfiktyonyes", INSTITUTE, ASSOCIATION, UNPLACED}
    assert sorted(tuple(sorted((u[len(ORG) :], v[len(ORG) :]))) for u, v in graph.edges) == [
        ("amfiktyonyes", "quadrilatero"),  # Cities@Heart
        ("test-association", "test-institute"),  # Org Net, three pairs
        ("test-association", "test-unplaced"),
        ("test-institute", "test-unplaced"),
    ]
    institute = graph.nodes[INSTITUTE]
    assert (institute["organisation_type"], institute["located_in"], institute["located_in_label"]) == (
        "research institute",
        CELJE,
        "Celje",
    )
    assert graph.nodes[UNPLACED]["town"] == "Borgo <i>Test</i>" and "located_in" not in graph.nodes[UNPLACED]


def test_network_graph_by_kind_of_shared_member(orgs: EmbeddedStore) -> None:
    # Org Net and Org Net Two share only the institute; Org Net and Cities@Heart only Celje.
    everyone = build_network_graph(orgs)
    assert everyone.edges[ORG_NET, ORG_NET_TWO]["members"] == (INSTITUTE_NAME,)
    assert everyone.edges[ORG_NET, HEART]["members"] == ("Celje",)
    cities = build_network_graph(orgs, Filters(kind="city"))
    assert not cities.has_edge(ORG_NET, ORG_NET_TWO) and cities.has_edge(ORG_NET, HEART)
    organisations = build_network_graph(orgs, Filters(kind="organisation"))
    assert {frozenset(e) for e in organisations.edges} == {frozenset((ORG_NET, ORG_NET_TWO))}


def test_country_graph_of_organisations(orgs: EmbeddedStore) -> None:
    graph = build_country_graph(orgs, Filters(kind="organisation"))
    # Cities@Heart: PT, GR; Org Net: SI, PL, IT; Org Net Two: SI alone.
    assert sorted(tuple(sorted((u[-2:], v[-2:]))) for u, v in graph.edges) == [
        ("GR", "PT"),
        ("IT", "PL"),
        ("IT", "SI"),
        ("PL", "SI"),
    ]


def test_kind_organisation_and_located_do_not_go_together(orgs: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="does not go with kind=organisation"):
        build_city_graph(orgs, Filters(kind="organisation", include_located=True))
    with pytest.raises(QueryError, match='unknown kind "town" - known: city, organisation'):
        build_city_graph(orgs, Filters(kind="town"))


def test_export_honours_kind_and_located(org_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "orgs.json"
    result = invoke(
        "export", "city-city", "--kind", "organisation", "--format", "json", "-o", str(out), store=org_store
    )
    assert result.returncode == 0, result.stderr
    assert "(5 nodes, 4 edges)" in result.stdout
    graph = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    assert graph.graph["name"] == "organisation-organisation"
    result = invoke("export", "city-city", "--located", "--format", "json", "-o", str(out), store=org_store)
    graph = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    assert graph.has_edge(CELJE, LEOBEN)
    result = invoke(
        "export", "city-city", "--kind", "organisation", "--located", "-o", str(out), store=org_store
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: located (organisations counted as their cities) does not go with")
    assert len(result.stderr.strip().splitlines()) == 1


# --- site


def visualize(store: Path, folder: Path, *options: str) -> Path:
    result = invoke("visualize", *options, "-o", str(folder), store=store)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def org_site(org_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return visualize(org_store, tmp_path_factory.mktemp("org-site") / "site")


def read_html(path: Path) -> str:
    """A page without its JSON data (which the page's script inserts as text)."""
    text = path.read_text(encoding="utf-8")
    start = text.find('<script type="application/json"')
    return text if start < 0 else text[:start] + text[text.index("</script>", start) :]


def test_an_organisation_page_gives_type_country_place_and_networks(org_site: Path) -> None:
    html = read_html(org_site / "organisations" / "test-institute.html")
    assert "<h1>Test Institute &lt;b&gt;&amp;amp;&lt;/b&gt;</h1>" in html
    assert "<li>Type: research institute</li>" in html
    assert "<li>Country: Slovenia (SI)</li>" in html
    assert '<li><a href="../cities/3202781.html">Located in: Celje</a></li>' in html
    assert '<a href="../networks/org-net.html">Org Net</a> <span class="note">(partner)</span>' in html
    assert (
        '<a href="../networks/org-net-two.html">Org Net Two</a> <span class="note">(partner)</span>' in html
    )


def test_an_unplaced_organisation_shows_its_town_as_written_escaped(org_site: Path) -> None:
    html = read_html(org_site / "organisations" / "test-unplaced.html")
    assert "<li>Located in: Borgo &lt;i&gt;Test&lt;/i&gt; (as written; not placed)</li>" in html
    assert "<i>Test</i>" not in html


def test_a_city_page_lists_the_organisations_located_there(org_site: Path) -> None:
    html = read_html(org_site / "cities" / "3202781.html")  # Celje
    assert "<h2>Organisations located here</h2>" in html
    assert (
        '<li><a href="../organisations/test-institute.html">Test Institute &lt;b&gt;&amp;amp;&lt;/b&gt;</a>'
        ' <span class="note">(research institute)</span></li>'
    ) in html
    assert "Organisations located here" not in read_html(org_site / "cities" / "2772649.html")  # Leoben


def test_a_network_page_lists_its_organisation_members_with_type(org_site: Path) -> None:
    html = read_html(org_site / "networks" / "org-net.html")
    items = re.findall(
        r"<li><a href=\"../organisations/([^\"]+)\.html\">[^<]*</a> <span class=\"note\">([^<]*)</span>", html
    )
    assert items == [
        ("test-association", "(association; Kraków)"),
        ("test-institute", "(research institute; Celje)"),
        ("test-unplaced", "(association; Borgo &lt;i&gt;Test&lt;/i&gt; (as written; not placed))"),
    ]


def test_the_index_lists_the_organisations(org_site: Path) -> None:
    html = read_html(org_site / "index.html")
    table = html[html.index('<table id="organisations">') :]
    rows = re.findall(
        r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(\d+)</td></tr>", table
    )
    assert rows[1:3] == [
        ('<a href="organisations/quadrilatero.html">Quadrilatero</a>', "association", "Portugal", "", "1"),
        (
            '<a href="organisations/test-association.html">Test Association</a>',
            "association",
            "Poland",
            '<a href="cities/3094802.html">Kraków</a>',
            "1",
        ),
    ]
    assert len(rows) == 5 and rows[3][4] == "2"  # the institute joins two networks
    assert "5 organisations" in html


def test_every_link_of_the_organisation_site_is_a_page_of_it(org_site: Path) -> None:
    paths = list(org_site.rglob("*.html"))
    assert len([p for p in paths if p.parent.name == "organisations"]) == 5
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]*)"', text):
            if href.startswith("#"):  # the skip link: an element of the same page
                assert f'id="{href[1:]}"' in text, (path, href)
            else:
                assert (path.parent / href).resolve().is_file(), (path, href)
        assert "<b>&amp;</b>" not in path.read_text(encoding="utf-8"), path


def test_the_site_honours_kind_and_located(org_store: Path, tmp_path: Path) -> None:
    site = visualize(org_store, tmp_path / "orgs", "--kind", "organisation")
    html = read_html(site / "city-city.html")
    assert "<h1>Organisations that share a network</h1>" in html
    assert '<span id="count-nodes">5</span> nodes,\n    <span id="count-edges">4</span> edges' in html
    assert not (site / "cities").exists()
    site = visualize(org_store, tmp_path / "located", "--located")
    assert not (site / "organisations" / "test-institute.html").exists()  # counted as Celje
    assert (site / "organisations" / "test-unplaced.html").exists()
    html = read_html(site / "cities" / "3202781.html")
    # still located there; no page of its own to link to
    assert "<li>Test Institute &lt;b&gt;&amp;amp;&lt;/b&gt; <span" in html
