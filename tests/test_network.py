"""Partnership graphs, their metrics and filters on the seed graph.

Every expected value is worked out by hand from graph/*.yaml; the reasoning is in the comments.
The seed's networks and their members (cities unless marked):

- OP-ACT (URBACT II working group): Leoben (lead, AT), Rēzekne (LV by the gazetteer, LT by the
  source), Eberswalde, Altena (DE), Heerlen (NL), Nagykálló (HU), Legazpi (ES), Notodden (NO),
  Ancona (IT), Mediaş (RO), Dąbrowa Górnicza (PL): 11 cities.
- eight more URBACT II networks with one Silesian city each: City Regions Net (Częstochowa),
  Fin-Urb-Act (Gliwice), RegGov (Ruda Śląska), LUMASEC and LC-FACIL (both Bytom), Co-Net
  (Zabrze), Nodus and EVUE (both Katowice).
- Cities@Heart (URBACT IV): Paris (lead, FR), Celje (SI), Cesena (IT), Fleurus (BE), Sligo (IE),
  Granada (ES), Kraków (PL), Osijek (HR): 8 cities, and 2 organisations, Quadrilatero (PT) and
  Amfiktyonyes (GR).
- URB-INCLUSION (URBACT III): Kraków, Barcelona (ES), Copenhagen (DK), Trikala (GR), Lyon (FR),
  Naples, Turin (IT), Timișoara (RO), Glasgow (GB): 9 cities; Kraków's membership 2016-09-10 to
  2017-03-31, the only period the network has.
- USER (no programme, 2013-2015): Kraków alone.
- Cities of change (Europe for Citizens, 2013-06 to 2015-05-31): Poznań (lead, PL), Daugavpils (LV).
- RURAL, The Playful Paradigm (URBACT III transfer networks): Vilnius, Klaipėda (LT), one each.
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest

from citynet import api
from citynet.errors import QueryError
from citynet.graphs.memberships import Filters
from citynet.graphs.metrics import compute_metrics
from citynet.graphs.network import build_bipartite, build_city_graph, build_country_graph, build_network_graph
from citynet.places.gazetteer import normalise
from citynet.store.embedded import EmbeddedStore

ID = "https://w3id.org/citynet/id/"
KRAKOW = ID + "city/3094802"
OP_ACT = {
    "leoben",
    "rezekne",
    "eberswalde",
    "altena",
    "heerlen",
    "nagykallo",
    "legazpi",
    "notodden",
    "ancona",
    "medias",
    "dabrowa gornicza",
}
HEART_CITIES = {"paris", "celje", "cesena", "fleurus", "sligo", "granada", "krakow", "osijek"}
# Cities of change's label: the first of its two English names alphabetically ("co-" < "coo").
CHANGE = "cities of change \u2013 the co-operation of cities in the field of city development"
INCLUSION = {
    "krakow",
    "barcelona",
    "copenhagen",
    "trikala",
    "lyon",
    "naples",
    "turin",
    "timisoara",
    "glasgow",
}


def labels(graph: nx.Graph, nodes=None) -> set[str]:
    """Accent- and case-folded labels (GeoNames writes Mediaş and Tríkala)."""
    return {normalise(graph.nodes[n]["label"]) for n in (graph if nodes is None else nodes)}


def test_bipartite_graph_counts(seed: EmbeddedStore) -> None:
    graph = build_bipartite(seed)
    # 15 networks + 37 cities + 2 organisations = 54 nodes; one edge per membership: 43
    # (19 Silesian + 10 Cities@Heart + 2 Cities of change + 10 Kraków page + 2 Lithuanian).
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (54, 43)
    kinds = [graph.nodes[n]["kind"] for n in graph]
    assert (kinds.count("network"), kinds.count("city"), kinds.count("organisation")) == (15, 37, 2)
    assert {n for n, b in graph.nodes(data="bipartite") if b == 1} == {
        n for n, k in graph.nodes(data="kind") if k == "network"
    }
    assert nx.is_bipartite(graph)


def test_bipartite_nodes_and_edges_carry_what_a_viewer_needs(seed: EmbeddedStore) -> None:
    graph = build_bipartite(seed)
    krakow = graph.nodes[KRAKOW]
    assert (krakow["label"], krakow["kind"], krakow["country"]) == ("Kraków", "city", "PL")
    assert krakow["degree"] == 3  # Cities@Heart, URB-INCLUSION, USER
    assert krakow["iri"] == KRAKOW and 50 < krakow["lat"] < 50.1 and 19.9 < krakow["lon"] < 20
    heart = graph.nodes[ID + "network/cities-at-heart"]
    assert (heart["label"], heart["programme"], heart["type"], heart["degree"]) == (
        "Cities@Heart",
        "URBACT IV",
        "action planning network",
        10,
    )
    # Cities of change has its own period; URB-INCLUSION takes Kraków's.
    change = graph.nodes[ID + "network/cities-of-change"]
    assert (change["start"], change["end"]) == ("2013-06", "2015-05-31")
    inclusion = graph.nodes[ID + "network/urb-inclusion"]
    assert (inclusion["start"], inclusion["end"]) == ("2016-09-10", "2017-03-31")
    assert graph.edges[KRAKOW, ID + "network/urb-inclusion"] == {
        "role": "partner",
        "start": "2016-09-10",
        "end": "2017-03-31",
        "sources": 1,
    }
    assert graph.edges[ID + "city/2988507", ID + "network/cities-at-heart"]["role"] == "lead partner"
    # Rēzekne: the source says LT, the gazetteer LV; the gazetteer wins.
    assert graph.nodes[ID + "city/456202"]["country"] == "LV"
    assert graph.nodes[ID + "org/quadrilatero"]["country"] == "PT"


def test_krakow_co_partners_and_weighted_degree(seed: EmbeddedStore) -> None:
    graph = build_city_graph(seed)
    # Kraków shares Cities@Heart with 7 cities (the organisations are not cities) and
    # URB-INCLUSION with 8; USER has no other member. No city is in both: 15 co-partners, each
    # sharing exactly one network, so the weighted degree is 15 too.
    assert labels(graph, graph[KRAKOW]) == (HEART_CITIES | INCLUSION) - {"krakow"}
    assert graph.degree(KRAKOW) == 15
    assert graph.degree(KRAKOW, weight="weight") == 15
    assert graph.edges[KRAKOW, ID + "city/2988507"] == {  # Paris
        "weight": 1,
        "networks": ("Cities@Heart",),
        "programmes": ("URBACT IV",),
    }
    assert graph.edges[KRAKOW, ID + "city/2648579"]["networks"] == ("URB-INCLUSION",)  # Glasgow


def test_city_graph_counts(seed: EmbeddedStore) -> None:
    graph = build_city_graph(seed)
    # All 37 cities are nodes; edges: OP-ACT C(11,2)=55, Cities@Heart C(8,2)=28,
    # URB-INCLUSION C(9,2)=36, Cities of change 1, and no pair twice: 120.
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (37, 120)
    assert {w for _, _, w in graph.edges(data="weight")} == {1}
    assert "bipartite" not in graph.nodes[KRAKOW]


def test_country_graph_of_cities_at_heart(seed: EmbeddedStore) -> None:
    # URBACT IV holds only Cities@Heart: members from FR, SI, IT, BE, IE, ES, PL, HR and, through
    # the organisations, PT and GR: 10 countries, every pair linked once, C(10,2) = 45 edges.
    graph = build_country_graph(seed, Filters(programmes=("URBACT IV",)))
    codes = {graph.nodes[n]["country"] for n in graph}
    assert codes == {"FR", "SI", "IT", "BE", "IE", "ES", "PL", "HR", "PT", "GR"}
    pairs = {frozenset((graph.nodes[u]["country"], graph.nodes[v]["country"])) for u, v in graph.edges}
    assert pairs == {frozenset((a, b)) for a in codes for b in codes if a < b}
    assert {tuple(d["networks"]) for _, _, d in graph.edges(data=True)} == {("Cities@Heart",)}
    assert graph.nodes[ID + "country/PL"]["label"] == "Poland"


def test_network_graph_links_networks_through_shared_members(seed: EmbeddedStore) -> None:
    graph = build_network_graph(seed)
    # Kraków links Cities@Heart, URB-INCLUSION and USER pairwise; Bytom LUMASEC and LC-FACIL;
    # Katowice Nodus and EVUE. No other member is in two networks.
    got = {(frozenset(labels(graph, (u, v))), tuple(d["members"])) for u, v, d in graph.edges(data=True)}
    assert got == {
        (frozenset({"cities@heart", "urb-inclusion"}), ("Kraków",)),
        (frozenset({"cities@heart", "user"}), ("Kraków",)),
        (frozenset({"urb-inclusion", "user"}), ("Kraków",)),
        (frozenset({"lumasec", "lc-facil"}), ("Bytom",)),
        (frozenset({"nodus", "evue"}), ("Katowice",)),
    }
    assert graph.number_of_nodes() == 15


@pytest.mark.parametrize(
    ("filters", "networks"),
    [
        # only three memberships are recorded as lead partner: Paris, Poznań, Leoben
        (Filters(roles=("Lead Partner",)), {"cities@heart", CHANGE, "op-act"}),
        # URB-INCLUSION's only period is Kraków's 2016-09-10..2017-03-31
        (Filters(years="2016"), {"urb-inclusion"}),
        # USER 2013-2015 and Cities of change 2013-06..2015-05-31; Cities@Heart has no dates
        (Filters(years="2014-2015"), {"user", CHANGE}),
        (Filters(types=("transfer network",)), {"rural", "the playful paradigm"}),
        # by local name and by IRI
        (Filters(programmes=("urbact-iii",)), {"urb-inclusion", "rural", "the playful paradigm"}),
        (Filters(programmes=("https://w3id.org/citynet/vocab/programme/urbact-iv",)), {"cities@heart"}),
        # LV: Daugavpils (Cities of change) and Rēzekne (OP-ACT, LV by the gazetteer)
        (Filters(countries=("lv",)), {CHANGE, "op-act"}),
        (Filters(countries=("Lithuania",)), {"rural", "the playful paradigm"}),
        (Filters(programmes=("URBACT II", "URBACT IV"), roles=("lead partner",)), {"op-act", "cities@heart"}),
    ],
)
def test_filters_select_memberships(seed: EmbeddedStore, filters: Filters, networks: set[str]) -> None:
    graph = build_bipartite(seed, filters)
    assert labels(graph, [n for n, k in graph.nodes(data="kind") if k == "network"]) == networks


def test_role_filter_keeps_only_lead_partners(seed: EmbeddedStore) -> None:
    graph = build_bipartite(seed, Filters(roles=("lead partner",)))
    members = [n for n, k in graph.nodes(data="kind") if k != "network"]
    assert labels(graph, members) == {"paris", "poznan", "leoben"}
    assert {r for _, _, r in graph.edges(data="role")} == {"lead partner"}


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            Filters(programmes=("URBACT V",)),
            'unknown programme "URBACT V" - known: Europe for Citizens '
            "2007-2013, URBACT I, URBACT II, URBACT III, URBACT IV",
        ),
        (
            Filters(countries=("US",)),
            'unknown country "US" - known: AT, BE, DE, DK, ES, FR, GB, GR, HR, HU, IE, '
            "IT, LT, LV, NL, NO, PL, PT, RO, SI",
        ),
        (Filters(roles=("chair",)), 'unknown role "chair" - known: lead partner, partner'),
        (Filters(types=("twin",)), 'unknown type "twin" - known: action planning network, '),
        (Filters(years="20x4"), 'year "20x4" is not a year'),
        (
            Filters(programmes=("URBACT I",), years="2030"),
            "no memberships match the filters (programme=URBACT I, year=2030) - loosen them",
        ),
    ],
)
def test_bad_filters_are_errors(seed: EmbeddedStore, filters: Filters, message: str) -> None:
    with pytest.raises(QueryError) as info:
        build_bipartite(seed, filters)
    assert str(info.value).startswith(message)


def test_no_edges_left_is_an_error(seed: EmbeddedStore) -> None:
    # every co-partnership is one shared network, so a minimum weight of 2 leaves none; the
    # Polish cities never share a network with each other.
    with pytest.raises(QueryError, match=r"no co-partnerships .* \(min-weight=2\) - loosen them"):
        build_city_graph(seed, Filters(min_weight=2))
    with pytest.raises(QueryError, match=r"\(country=PL\)"):
        build_city_graph(seed, Filters(countries=("PL",)))


def by_label(rows: list[dict]) -> dict[str, dict]:
    return {normalise(r["label"]): r for r in rows}


def test_city_metrics_by_hand(seed: EmbeddedStore) -> None:
    rows = compute_metrics(build_city_graph(seed))
    krakow = by_label(rows)["krakow"]
    # Kraków is the only path between its 7 Cities@Heart and 8 URB-INCLUSION co-partners:
    # 7 * 8 = 56 of the C(36, 2) = 630 pairs of other nodes (normalised over the 37 cities).
    assert krakow["betweenness"] == pytest.approx(56 / 630)
    # Among its 15 neighbours, C(7,2) + C(8,2) = 21 + 28 = 49 of C(15,2) = 105 pairs are linked.
    assert krakow["clustering"] == pytest.approx(49 / 105)
    # Partner countries: FR SI IT BE IE ES HR + DK GR RO GB (ES, FR, IT already counted) = 11;
    # programmes URBACT IV and URBACT III.
    assert (krakow["partner_countries"], krakow["partner_programmes"]) == (11, 2)
    assert (krakow["degree"], krakow["weighted_degree"]) == (15, 15)
    # Components by size: Kraków's 16 (7 + 8 + 1), OP-ACT's 11, Poznań-Daugavpils 2, then 8 isolated.
    assert krakow["component"] == 0
    assert by_label(rows)["leoben"]["component"] == 1
    assert by_label(rows)["poznan"]["component"] == 2
    # The OP-ACT clique K11: eigenvector 1/sqrt(11) for each within its component; a pair: 1/sqrt(2).
    assert by_label(rows)["notodden"]["eigenvector"] == pytest.approx(1 / math.sqrt(11), abs=1e-4)
    assert by_label(rows)["daugavpils"]["eigenvector"] == pytest.approx(1 / math.sqrt(2), abs=1e-4)
    assert by_label(rows)["vilnius"]["eigenvector"] == 0.0


def test_ranking_top_entries(seed: EmbeddedStore) -> None:
    rows = compute_metrics(build_city_graph(seed))
    # Kraków (15), then the 11 OP-ACT cities (10 each, by label), then URB-INCLUSION's 8 (8 each).
    assert normalise(rows[0]["label"]) == "krakow"
    assert {normalise(r["label"]) for r in rows[1:12]} == OP_ACT
    assert [normalise(r["label"]) for r in rows[1:4]] == ["altena", "ancona", "dabrowa gornicza"]
    assert {normalise(r["label"]) for r in rows[12:20]} == INCLUSION - {"krakow"}


def test_communities_are_stable_and_follow_the_cliques(seed: EmbeddedStore) -> None:
    first = {r["node"]: r["community"] for r in compute_metrics(build_city_graph(seed))}
    again = {r["node"]: r["community"] for r in api.analyze(store_dir=seed.path)}
    assert first == again
    rows = by_label(compute_metrics(build_city_graph(seed)))
    # OP-ACT's 11 cities form their own component, a clique: one community, the largest (number 0).
    assert {rows[c]["community"] for c in OP_ACT} == {0}
    # Cities@Heart and URB-INCLUSION are two cliques joined only at Kraków: two communities.
    assert rows["paris"]["community"] != rows["glasgow"]["community"]
    assert len({rows[c]["community"] for c in HEART_CITIES - {"krakow"}}) == 1


def test_api_gives_the_numbers_the_command_prints(seed_store: Path) -> None:
    rows = api.analyze("city-city", Filters(programmes=("URBACT III",)), store_dir=seed_store)
    # URBACT III: URB-INCLUSION's 9 cities (a K9: 8 each) and Vilnius, Klaipėda alone.
    assert [(normalise(r["label"]), r["weighted_degree"]) for r in rows[:2]] == [
        ("barcelona", 8),
        ("copenhagen", 8),
    ]
    assert by_label(rows)["krakow"]["degree"] == 8


def test_projection_weights_equal_networkx() -> None:
    # A random two-mode graph: 60 cities and 10 organisations on one side, 40 networks on the
    # other. project() pairs neighbours network by network; networkx's weighted_projected_graph
    # (on the graph without the organisations) must give the same pairs and weights.
    import random

    from citynet.graphs.network import project

    rng = random.Random(7)
    bipartite = nx.Graph()
    bipartite.add_nodes_from((f"c{i}" for i in range(60)), bipartite=0, kind="city")
    bipartite.add_nodes_from((f"o{i}" for i in range(10)), bipartite=0, kind="organisation")
    bipartite.add_nodes_from((f"n{i}" for i in range(40)), bipartite=1, kind="network", label="x")
    members = [n for n, part in bipartite.nodes(data="bipartite") if part == 0]
    for i in range(40):
        bipartite.add_edges_from((m, f"n{i}") for m in rng.sample(members, rng.randint(2, 12)))
    ours = project(bipartite, "city", "networks")
    cities = [n for n in bipartite if n.startswith("c")]
    networks = [f"n{i}" for i in range(40)]
    theirs = nx.bipartite.weighted_projected_graph(bipartite.subgraph([*cities, *networks]), cities)
    assert {frozenset((u, v)): w for u, v, w in ours.edges(data="weight")} == {
        frozenset((u, v)): w for u, v, w in theirs.edges(data="weight")
    }
    assert any(w > 1 for _, _, w in ours.edges(data="weight"))  # the comparison covers shared pairs
    assert set(ours) == set(cities)
    assert all(len(d["networks"]) == d["weight"] for _, _, d in ours.edges(data=True))
    heavy = project(bipartite, "city", "networks", min_weight=2)  # the nodes stay, light edges go
    assert set(heavy) == set(cities)
    assert sorted(heavy.edges(data=True)) == sorted(
        (u, v, d) for u, v, d in ours.edges(data=True) if d["weight"] > 1
    )


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(programmes=("URBACT III",)),
        Filters(kind="organisation"),
        Filters(include_located=True),
    ],
    ids=lambda f: f.describe(),
)
def test_city_graph_is_the_projection_of_the_member_network_graph(
    seed: EmbeddedStore, filters: Filters
) -> None:
    # The city-city graph is projected from the memberships directly (project_memberships); it must
    # be the graph project() makes of the member-network graph: the same nodes, edges, attributes,
    # and in the same order (exports and sums over neighbours follow it).
    from citynet.graphs.memberships import read_facts, select_memberships
    from citynet.graphs.network import project, project_memberships, to_bipartite

    facts = read_facts(seed)
    kept = select_memberships(facts, filters)
    kind = filters.kind or "city"
    ours = project_memberships(facts, kept, kind, filters.min_weight)
    theirs = project(to_bipartite(facts, kept), kind, "networks", filters.min_weight)
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(ours.edges(data=True)) == list(theirs.edges(data=True))
    assert all(list(ours[n]) == list(theirs[n]) for n in ours)
    assert ours.number_of_edges() > 0  # the comparison covers edges


def test_pairs_come_sorted_with_the_groups_they_share() -> None:
    # Three groups over four members, worked by hand: g1 = {a, b, c}, g2 = {b, c}, g3 = {d, a}.
    # Pairs: a-b (g1), a-c (g1), a-d (g3), b-c (g1, g2); d pairs with a only.
    from citynet.graphs.pairs import list_pairs

    shared = list_pairs(
        [
            ("g1", "c"),
            ("g1", "a"),
            ("g1", "b"),
            ("g2", "b"),
            ("g2", "c"),
            ("g3", "d"),
            ("g3", "a"),
            ("g2", "c"),
        ]
    )
    assert shared == {
        ("a", "b"): ["g1"],
        ("a", "c"): ["g1"],
        ("a", "d"): ["g3"],
        ("b", "c"): ["g1", "g2"],
    }
    assert list(shared) == sorted(shared)


def test_projection_is_the_graph_add_edges_from_makes() -> None:
    # project() writes the edges into the graph's adjacency itself (pairs.link_pairs); by hand:
    # n1 = {a, b, c} (programme P), n2 = {b, c} (no programme), so a-b and a-c share n1, b-c both.
    from citynet.graphs.network import project

    bipartite = nx.Graph()
    bipartite.add_nodes_from(["c", "a", "b"], bipartite=0, kind="city")
    bipartite.add_node("n1", bipartite=1, kind="network", label="N1", programme="P")
    bipartite.add_node("n2", bipartite=1, kind="network", label="N2")
    bipartite.add_edges_from([("c", "n1"), ("a", "n1"), ("b", "n1"), ("b", "n2"), ("c", "n2")])
    graph = project(bipartite, "city", "networks")
    expected = nx.Graph()
    expected.add_nodes_from((n, {"kind": "city"}) for n in ["c", "a", "b"])
    expected.add_edges_from(
        [
            ("a", "b", {"weight": 1, "networks": ("N1",), "programmes": ("P",)}),
            ("a", "c", {"weight": 1, "networks": ("N1",), "programmes": ("P",)}),
            ("b", "c", {"weight": 2, "networks": ("N1", "N2"), "programmes": ("P",)}),
        ]
    )
    nx.set_node_attributes(expected, 2, "degree")
    assert list(graph.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(graph.edges(data=True)) == list(expected.edges(data=True))
    assert all(list(graph[n]) == list(expected[n]) for n in expected)
    graph.edges["c", "b"]["seen"] = True  # one dict per edge, seen from both ends, as networkx keeps it
    assert graph["b"]["c"]["seen"] is True
    graph.add_edge("a", "d")  # and the graph grows and shrinks as any other
    graph.remove_node("b")
    assert sorted(sorted(edge) for edge in graph.edges()) == [["a", "c"], ["a", "d"]]
    assert graph.degree("a") == 2
