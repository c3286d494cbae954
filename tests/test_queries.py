"""Named queries on the seed graph. Expected rows are written by hand from the five seed texts."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from citynet import api
from citynet.cli import main
from citynet.errors import QueryError
from citynet.places.gazetteer import normalise
from citynet.query.queries import read_queries, run_query, to_rows
from citynet.rdf.namespaces import PREFIXES
from citynet.store.embedded import EmbeddedStore

from .conftest import ROOT, SEEDS, invoke

QUERIES = read_queries(ROOT / "queries")


def ask(store: Path, name: str, **params: str) -> list[dict]:
    return api.query(name, params, store_dir=store)


def names(rows: list[dict], key: str) -> set[str]:
    """Accent- and case-folded values of one column (GeoNames writes Mediaş, the seed Medias)."""
    return {normalise(str(r[key])) for r in rows}


def test_partners_of_op_act_lists_leoben_as_lead_and_ten_partners(seed_store: Path) -> None:
    rows = ask(seed_store, "partners", network="OP-ACT")
    got = {(normalise(r["label"]), r["role"], r["country"]) for r in rows}
    assert got == {
        ("leoben", "lead partner", "AT"),
        ("rezekne", "partner", "LV"),
        ("eberswalde", "partner", "DE"),
        ("altena", "partner", "DE"),
        ("heerlen", "partner", "NL"),
        ("nagykallo", "partner", "HU"),
        ("legazpi", "partner", "ES"),
        ("notodden", "partner", "NO"),
        ("ancona", "partner", "IT"),
        ("medias", "partner", "RO"),
        ("dabrowa gornicza", "partner", "PL"),
    }
    assert normalise(rows[0]["label"]) == "leoben"


def test_partners_of_cities_at_heart_include_the_two_organisations(seed_store: Path) -> None:
    rows = ask(seed_store, "partners", network="Cities@Heart")
    assert len(rows) == 10
    orgs = {(r["label"], r["country"]) for r in rows if r["kind"] == "organisation"}
    assert orgs == {("Quadrilatero", "PT"), ("Amfiktyonyes", "GR")}
    assert [r["label"] for r in rows if r["role"] == "lead partner"] == ["Paris"]


def test_city_networks_of_bytom_are_its_two_working_groups(seed_store: Path) -> None:
    rows = ask(seed_store, "city-networks", city="Bytom")
    assert {(r["name"], r["type"], r["programme"]) for r in rows} == {
        ("LUMASEC", "working group", "URBACT II"),
        ("LC-FACIL", "working group", "URBACT II"),
    }


def test_city_networks_of_krakow_with_its_urb_inclusion_period(seed_store: Path) -> None:
    rows = {r["name"]: r for r in ask(seed_store, "city-networks", city="Kraków")}
    assert set(rows) == {"Cities@Heart", "URB-INCLUSION", "USER"}
    assert (rows["URB-INCLUSION"]["start"], rows["URB-INCLUSION"]["end"]) == ("2016-09-10", "2017-03-31")
    assert (rows["USER"]["start"], rows["USER"]["end"]) == ("2013", "2015")
    assert rows["Cities@Heart"]["programme"] == "URBACT IV"


@pytest.mark.parametrize(
    "spelling", ["krakow", "Krakowie", "KRAKÓW", "Krakov", "https://w3id.org/citynet/id/city/3094802"]
)
def test_a_city_parameter_accepts_any_recorded_form(seed_store: Path, spelling: str) -> None:
    rows = ask(seed_store, "city-networks", city=spelling)
    assert {r["name"] for r in rows} == {"Cities@Heart", "URB-INCLUSION", "USER"}


@pytest.mark.parametrize(
    "spelling",
    [
        "op-act",
        "OPCJE DZIALAN - strategiczne pozycjonowanie małych i średnich miast",
        "https://w3id.org/citynet/id/network/op-act",
    ],
)
def test_a_network_parameter_accepts_names_in_any_language(seed_store: Path, spelling: str) -> None:
    assert len(ask(seed_store, "partners", network=spelling)) == 11


def test_co_partners_of_krakow(seed_store: Path) -> None:
    rows = ask(seed_store, "co-partners", city="Kraków")
    assert names(rows, "label") == {
        # Cities@Heart
        "paris",
        "celje",
        "cesena",
        "fleurus",
        "sligo",
        "granada",
        "osijek",
        # URB-INCLUSION
        "barcelona",
        "copenhagen",
        "trikala",
        "lyon",
        "naples",
        "turin",
        "timisoara",
        "glasgow",
    }
    assert {r["shared"] for r in rows} == {1}


def test_city_ranking_puts_krakow_first(seed_store: Path) -> None:
    rows = ask(seed_store, "city-ranking")
    assert (rows[0]["label"], rows[0]["networks"]) == ("Kraków", 3)
    assert {r["label"] for r in rows[1:3]} == {"Bytom", "Katowice"}
    assert {r["label"] for r in rows if r["leads"]} == {"Leoben", "Paris", "Poznań"}
    assert len(rows) == 37


def test_a_fact_several_sources_state_counts_once(seed) -> None:
    """The default graph is the merge of the sources' graphs, a set: 37 cities, each counted once,
    though the seed's documents name some of them in more than one graph."""
    _, stated = to_rows(
        seed.query(
            "SELECT ?c WHERE { GRAPH ?g { ?c a cn:City } } GROUP BY ?c HAVING (COUNT(DISTINCT ?g) > 1)",
            prefixes=PREFIXES,
        )
    )
    assert stated  # Kraków, for one: the Kraków and the Celje documents name it, and the gazetteer
    _, rows = to_rows(seed.query("SELECT (COUNT(*) AS ?n) WHERE { ?c a cn:City }", prefixes=PREFIXES))
    assert rows == [{"n": 37}]


def test_conflicts_show_rezekne_placed_in_lithuania(seed_store: Path) -> None:
    rows = ask(seed_store, "conflicts")
    assert [(r["label"], r["property"], {r["value1"], r["value2"]}) for r in rows] == [
        ("Rēzekne", "country", {"LV", "LT"})
    ]
    claims = {rows[0]["claimedBy1"]: rows[0]["value1"], rows[0]["claimedBy2"]: rows[0]["value2"]}
    assert claims == {"graph/gazetteer": "LV", "source/silesia-urbact-ii": "LT"}


def test_networks_lists_all_fifteen_with_leads(seed_store: Path) -> None:
    rows = {r["name"]: r for r in ask(seed_store, "networks")}
    assert len(rows) == 15
    assert (rows["OP-ACT"]["lead"], rows["OP-ACT"]["members"], rows["OP-ACT"]["type"]) == (
        "Leoben",
        11,
        "working group",
    )
    assert rows["Cities@Heart"]["lead"] == "Paris"
    change = next(r for name, r in rows.items() if name.startswith("Cities of change"))
    assert (change["lead"], change["start"], change["end"]) == ("Poznań", "2013-06", "2015-05-31")
    assert rows["URB-INCLUSION"]["lead"] is None  # the Kraków page names no lead partner
    assert rows["EVUE"]["type"] is None  # the Silesian page calls it only a "project"


def test_country_links(seed_store: Path) -> None:
    rows = {(r["country1"], r["country2"]): r for r in ask(seed_store, "country-links")}
    assert rows[("ES", "IT")]["networks"] == 3  # OP-ACT, URB-INCLUSION, Cities@Heart
    assert rows[("PT", "SI")]["which"] == "Cities@Heart"
    heart = {pair for pair, r in rows.items() if "Cities@Heart" in r["which"].split(", ")}
    assert len(heart) == 45  # ten countries, 10 * 9 / 2 pairs


def test_programme_summary(seed_store: Path) -> None:
    rows = {r["programme"]: r for r in ask(seed_store, "programme-summary")}
    assert (rows["URBACT II"]["networks"], rows["URBACT II"]["memberships"]) == (9, 19)
    assert (rows["URBACT III"]["networks"], rows["URBACT III"]["memberships"]) == (3, 11)
    assert (rows["URBACT IV"]["networks"], rows["URBACT IV"]["cities"]) == (1, 8)
    assert "23 networks, 161 organisations, 25 countries, 37% newcomers" in rows["URBACT III"]["calls"]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            "2014",
            {
                "USER",
                "Cities of change \N{EN DASH} the co-operation of cities in the field of city development",
            },
        ),
        ("2016", {"URB-INCLUSION"}),
        ("2012", set()),
    ],
)
def test_active_in(seed_store: Path, year: str, expected: set[str]) -> None:
    assert {r["name"] for r in ask(seed_store, "active-in", year=year)} == expected


def test_budgets(seed_store: Path) -> None:
    rows = {(r["name"], r["partner"]): r for r in ask(seed_store, "budgets")}
    celje = rows[("Cities@Heart", "Celje")]
    assert (celje["budget"], celje["currency"], celje["rate"], celje["upTo"]) == (72075, "EUR", 0.8, True)
    assert celje["fund"] == "European Regional Development Fund"
    krakow = rows[("URB-INCLUSION", "Kraków")]
    assert (krakow["budget"], krakow["currency"], krakow["coFinancing"]) == (33500, "PLN", 28475)
    change = next(r for (name, _), r in rows.items() if name.startswith("Cities of change"))
    assert (change["budget"], change["currency"], change["rate"]) == (99000, "EUR", 1.0)


def test_provenance_of_krakow(seed_store: Path) -> None:
    rows = ask(seed_store, "provenance", city="Krakowie")
    assert {(r["networkName"], r["seed"]) for r in rows} == {
        ("Cities@Heart", "001_7cf82d520a4072bb.txt"),
        ("URB-INCLUSION", "003_d81be03f77a7acb7.txt"),
        ("USER", "003_d81be03f77a7acb7.txt"),
    }


def test_provenance_is_ordered_by_network_then_member_then_source(seed_store: Path) -> None:
    # The seed's 43 memberships, by network name ignoring case, then member name, then source.
    rows = ask(seed_store, "provenance")
    keys = [(r["networkName"].lower(), r["memberName"], r["source"]) for r in rows]
    assert len(rows) == 43 and keys == sorted(keys)
    networks = list(dict.fromkeys(r["networkName"] for r in rows))
    assert networks.index("RegGov") + 1 == networks.index("RURAL")  # by code point RURAL came first
    op_act = [r["memberName"] for r in rows if r["networkName"] == "OP-ACT"]  # silesia-urbact-ii.yaml
    assert (len(op_act), op_act[0], op_act[-1]) == (11, "Altena", "Rēzekne")


def test_completeness_compares_declared_and_recorded(seed_store: Path) -> None:
    rows = {r["name"]: r for r in ask(seed_store, "completeness")}
    change = next(r for name, r in rows.items() if name.startswith("Cities of change"))
    assert (change["declaredPartners"], change["recordedPartners"]) == (14, 2)
    assert (change["declaredCountries"], change["recordedCountries"]) == (11, 2)
    assert (rows["Cities@Heart"]["declaredPartners"], rows["Cities@Heart"]["recordedPartners"]) == (10, 10)
    call = rows["URBACT III Transfer Networks approved in December 2018"]
    assert (call["declaredNetworks"], call["recordedNetworks"]) == (23, 2)
    assert (call["declaredPartners"], call["declaredCountries"]) == (161, 25)


def test_calls(seed_store: Path) -> None:
    rows = {r["name"]: r for r in ask(seed_store, "calls")}
    call = rows["URBACT III Transfer Networks approved in December 2018"]
    assert (call["approved"], call["networks"], call["newcomerShare"]) == ("2018-12-04", 23, 0.37)
    assert "transfer learning P1Y6M" in call["phases"]  # 18 months
    assert "dissemination of the transfer experience P6M" in call["phases"]


def test_network_facts_of_cities_of_change(seed_store: Path) -> None:
    rows = ask(seed_store, "network-facts", network="Pārmaiņu pilsētas")
    facts = {(r["property"], r["value"]) for r in rows}
    assert ("website", "http://www.ccnet.poznan.pl/") in facts
    assert ("declaredPartnerCount", "14") in facts
    assert ("declaredPartners IT partnerCount", "3") in facts
    assert ("declaredPartners NL partnerCount", "2") in facts
    assert ("networkType", "network of twinned towns") in facts
    assert {r["source"] for r in rows} == {"https://w3id.org/citynet/id/source/daugavpils-cities-of-change"}


def test_cities_are_real_places(seed_store: Path) -> None:
    rows = {r["label"]: r for r in ask(seed_store, "cities")}
    assert len(rows) == 37
    rezekne = rows["Rēzekne"]
    assert (rezekne["geonames"], rezekne["country"]) == ("https://sws.geonames.org/456202/", "LV")
    assert 56 < rezekne["lat"] < 57 and 27 < rezekne["long"] < 28
    assert rows["Legazpi"]["geonames"] == "https://sws.geonames.org/3118587/"  # Gipuzkoa, not Madrid
    assert {"Krakowie@pl", "Krakov@sl"} <= set(rows["Kraków"]["forms"].split(", "))
    assert 50 < rows["Kraków"]["lat"] < 50.1 and 19.9 < rows["Kraków"]["long"] < 20


def test_cities_have_a_wkt_point(seed: EmbeddedStore) -> None:
    # Not projected by the named query (Virtuoso rounds WKT to 32-bit floats), but in the graph.
    text = "SELECT ?wkt WHERE { <https://w3id.org/citynet/id/city/3094802> geo:hasGeometry/geo:asWKT ?wkt }"
    (wkt,) = [row["wkt"] for row in to_rows(run_query(seed, text))[1]]
    assert wkt.startswith("POINT(19.9")


def test_sources_register(seed_store: Path) -> None:
    rows = ask(seed_store, "sources")
    assert {r["language"] for r in rows} == {"pl", "sl", "lv", "lt"}
    assert len(rows) == 5
    assert sum(r["memberships"] for r in rows) == 43


def test_country_labels_in_nine_languages(seed) -> None:
    from citynet.query.queries import run_query, to_rows

    _, rows = to_rows(
        run_query(seed, "SELECT ?l WHERE { <https://w3id.org/citynet/id/country/LV> rdfs:label ?l }")
    )
    assert {r["l"] for r in rows} >= {
        "Latvia",
        "Łotwa",
        "Latvija",
        "Lettland",
        "Lettonie",
        "Lettonia",
        "Letonia",
    }


# Each named query run with the example parameters of its own header (``queries --check`` runs the
# same): how many rows the seed graph gives, and one value a column must hold. Written from the five
# seed texts: 15 networks, 37 cities, 43 memberships, 5 sources; OP-ACT is Leoben and 10 partners;
# Kraków is in Cities@Heart, URB-INCLUSION and USER with 15 co-partners; in 2014 only USER and
# Cities of change ran; Rēzekne is the one conflict; 15 networks + 2 calls are checked for completeness.
EXAMPLE_ANSWERS = {
    "active-in": (2, "name", "USER"),
    "budgets": (3, "partner", "Kraków"),
    "calls": (2, "organisations", "161"),
    "cities": (37, "geonames", "https://sws.geonames.org/3094802/"),
    "city-networks": (3, "name", "URB-INCLUSION"),
    "city-organisations": (0, None, None),  # the seed places no organisation: tests/test_organisations.py
    "city-ranking": (37, "label", "Kraków"),
    "co-partners": (15, "label", "Barcelona"),
    "completeness": (17, "name", "OP-ACT"),
    "conflicts": (1, "value2", "LT"),
    "evidence": (0, None, None),  # no seed page was extracted: tests/test_evidence.py asks an extracted one
    "country-links": (102, "which", "OP-ACT"),
    "network-facts": (7, "value", "OP-ACT"),
    "networks": (15, "name", "Cities@Heart"),
    "organisations": (2, "type", "research institute"),
    "partners": (11, "role", "lead partner"),
    "programme-summary": (4, "networks", "9"),
    "provenance": (43, "memberName", "Rēzekne"),
    "sources": (5, "memberships", "19"),
}


def test_every_named_query_has_an_expected_answer() -> None:
    assert set(EXAMPLE_ANSWERS) == set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_has_a_summary_and_answers_its_example(seed_store: Path, name: str) -> None:
    query = QUERIES[name]
    assert query.summary.strip() and not query.summary.startswith("#")
    examples = {p.name: p.example for p in query.params if p.example is not None}
    assert {p.name for p in query.params if p.required} <= set(examples), "no example for a parameter"
    count, column, value = EXAMPLE_ANSWERS[name]
    rows = ask(seed_store, name, **examples)
    assert len(rows) == count
    assert count == 0 or value in {str(row[column]) for row in rows}


def test_unknown_city_lists_nearest_names(seed_store: Path) -> None:
    with pytest.raises(QueryError, match=r'unknown city "Krakw" - nearest known: .*Krak'):
        ask(seed_store, "city-networks", city="Krakw")


DASH = "\u2013"  # the en dash in the network's names
NEAREST_TO_NOTHING = (
    f"Cities of change {DASH} cooperation of cities in the field of city development, "
    f"Cities of change {DASH} the co-operation of cities in the field of city development, "
    "Cities@Heart, City Regions Net, Co-Net, EVUE, EVUE - Electric Vehicles in Urban Europe, "
    "Fin-Urb-Act, LC-FACIL, LUMASEC"
)


@pytest.mark.parametrize(
    ("value", "nearest"), [('x" } ; DROP ALL ; #', NEAREST_TO_NOTHING), ('OP-ACT" } #', "OP-ACT")]
)
def test_injection_is_bound_not_spliced(tmp_path: Path, value: str, nearest: str) -> None:
    """A parameter is a name to look up, never SPARQL. Spliced into a lookup such as
    ``{ ?n cn:acronym "VALUE" }``, the first would be a syntax error (an update, on a writable route)
    and the second a valid query finding OP-ACT; bound, each is only an unknown name, and the store
    (a copy of its own) keeps its 2343 quads."""
    store = tmp_path / "store"
    api.load(SEEDS, store)
    result = CliRunner().invoke(
        main, ["query", "partners", "--param", f"network={value}"], env={"CITYNET_STORE": str(store)}
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f'Error: unknown network "{value}" - nearest known: {nearest}\n'
    assert EmbeddedStore.open(store).count_quads() == 2343


def test_a_text_parameter_is_a_literal(seed) -> None:
    """Bound values are RDF terms: SPARQL syntax inside one is just characters."""
    import pyoxigraph as ox

    from citynet.query.queries import run_query

    rows = list(
        run_query(
            seed, "SELECT ?x WHERE { ?s rdfs:label ?x }", {ox.Variable("x"): ox.Literal('" } ; DROP ALL ; #')}
        )
    )
    assert rows == []


def test_query_cli_formats(seed_store: Path) -> None:
    result = invoke("query", "partners", "--param", "network=OP-ACT", "--format", "csv", store=seed_store)
    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(table[0]) == [
        *("network", "member", "label", "kind", "role", "country"),
        *("type", "locatedIn", "town"),
    ]
    assert len(table) == 11
    result = invoke("query", "city-networks", "-p", "city=Bytom", "--format", "json", store=seed_store)
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert {b["name"]["value"] for b in bindings} == {"LUMASEC", "LC-FACIL"}


def test_sparql_command_runs_any_query(seed_store: Path) -> None:
    query = "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a cn:Membership }"
    result = invoke("sparql", query, store=seed_store)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[2].strip() == "43"


def test_sparql_command_rejects_an_update(seed_store: Path) -> None:
    result = invoke("sparql", "DROP ALL", store=seed_store)
    assert result.returncode == 1
    assert result.stderr == (
        'Error: "DROP" - SPARQL Update is refused: this is a read-only query command/endpoint\n'
    )


def test_a_parameter_given_as_an_iri(seed_store: Path) -> None:
    rows = ask(seed_store, "partners", network="https://w3id.org/citynet/id/network/op-act")
    assert len(rows) == 11  # Leoben and its 10 partners
    with pytest.raises(QueryError, match=r'^unknown network "https://w3id.org/citynet/id/city/3094802"'):
        ask(seed_store, "partners", network="https://w3id.org/citynet/id/city/3094802")  # a city
