"""Facts of the five seeds, each found through a named query. Expected values come from the seeds."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from citynet import api
from citynet.places.gazetteer import normalise
from citynet.rdf.namespaces import PREFIXES
from citynet.store.embedded import EmbeddedStore
from citynet.store.folder import current_data_dir
from citynet.store.shacl import validate_store

from .conftest import ROOT, add_source, copy_project

SOURCE = "https://w3id.org/citynet/id/source/"


def facts(store: Path, network: str) -> set[tuple[str, str, str]]:
    rows = api.query("network-facts", {"network": network}, store_dir=store)
    return {(r["property"], r["value"], r["source"].removeprefix(SOURCE)) for r in rows}


@pytest.mark.parametrize(
    ("network", "fact"),
    [
        # 000: Silesian URBACT II page
        ("OP-ACT", ("networkType", "working group", "silesia-urbact-ii")),
        ("OP-ACT", ("programme", "URBACT II", "silesia-urbact-ii")),
        (
            "OP-ACT",
            (
                "label",
                "OP-ACT - Options of actions - strategic positioning of small and medium sized cities",
                "silesia-urbact-ii",
            ),
        ),
        (
            "OP-ACT",
            (
                "altLabel",
                "Opcje działań - strategiczne pozycjonowanie małych i średnich miast",
                "silesia-urbact-ii",
            ),
        ),
        ("City Regions Net", ("networkType", "thematic network", "silesia-urbact-ii")),
        ("Nodus", ("networkType", "working group", "silesia-urbact-ii")),
        ("EVUE", ("label", "EVUE - Electric Vehicles in Urban Europe", "silesia-urbact-ii")),
        # 001: Celje and Cities@Heart
        ("Cities@Heart", ("declaredPartnerCount", "10", "celje-cities-at-heart")),
        ("Cities@Heart", ("activeDuring period duration", "P2Y6M", "celje-cities-at-heart")),
        ("Cities@Heart", ("programme", "URBACT IV", "celje-cities-at-heart")),
        ("Cities@Heart", ("networkType", "action planning network", "celje-cities-at-heart")),
        # 002: Daugavpils and Cities of change
        ("Pārmaiņu pilsētas", ("budget budget value", "99000", "daugavpils-cities-of-change")),
        ("Pārmaiņu pilsētas", ("budget budget currency", "EUR", "daugavpils-cities-of-change")),
        ("Pārmaiņu pilsētas", ("activeDuring period start", "2013-06", "daugavpils-cities-of-change")),
        ("Pārmaiņu pilsētas", ("activeDuring period end", "2015-05-31", "daugavpils-cities-of-change")),
        ("Pārmaiņu pilsētas", ("coFinancing co-financing rate", "1", "daugavpils-cities-of-change")),
        ("Pārmaiņu pilsētas", ("declaredCountryCount", "11", "daugavpils-cities-of-change")),
        # 003: Kraków and URB-INCLUSION
        ("URB-INCLUSION", ("continues", "https://w3id.org/citynet/id/network/user", "krakow-urb-inclusion")),
        ("URB-INCLUSION", ("phase 1 duration", "P6M", "krakow-urb-inclusion")),
        ("URB-INCLUSION", ("phase 2 duration", "P2Y", "krakow-urb-inclusion")),  # 24 months
        ("URB-INCLUSION", ("theme", "urban regeneration", "krakow-urb-inclusion")),
        ("URB-INCLUSION", ("phase 2 appliedOn", "2017-04", "krakow-urb-inclusion")),
        ("URB-INCLUSION", ("phase 2 approvedOn", "2017-06-06", "krakow-urb-inclusion")),
        ("USER", ("activeDuring period start", "2013", "krakow-urb-inclusion")),
        # 004: URBACT Lithuania on transfer networks
        ("RURAL", ("declaredPartners IT country", "IT", "urbact-lt-transfer-networks")),
        ("RURAL", ("declaredPartners ES country", "ES", "urbact-lt-transfer-networks")),
        ("The Playful Paradigm", ("declaredPartners IE country", "IE", "urbact-lt-transfer-networks")),
        ("The Playful Paradigm", ("networkType", "transfer network", "urbact-lt-transfer-networks")),
    ],
)
def test_a_seed_fact_is_in_its_source_graph(
    seed_store: Path, network: str, fact: tuple[str, str, str]
) -> None:
    assert fact in facts(seed_store, network)


def test_partners_named_only_by_country_are_counts_not_cities(seed_store: Path) -> None:
    rows = api.query("partners", {"network": "Pārmaiņu pilsētas"}, store_dir=seed_store)
    assert {normalise(r["label"]) for r in rows} == {"poznan", "daugavpils"}


def test_the_transfer_networks_are_vilnius_and_klaipeda(seed_store: Path) -> None:
    assert [r["label"] for r in api.query("partners", {"network": "RURAL"}, store_dir=seed_store)] == [
        "Vilnius"
    ]
    assert [
        r["label"] for r in api.query("partners", {"network": "The Playful Paradigm"}, store_dir=seed_store)
    ] == ["Klaipėda"]


def test_no_contact_details_of_officials() -> None:
    """The Lithuanian item names a contact person with phone and e-mail: none of it is a fact."""
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "graph").glob("*.yaml"))
    for personal in ["Zaliec", "@", "+370", "Vane T. Costa"]:
        assert personal not in text.replace("Cities@Heart", "")


def test_the_seed_graph_conforms_to_the_shapes(seed_store: Path) -> None:
    """The load validates the staging store against the shapes and refuses it on any violation."""
    store = ox.Store.read_only(str(current_data_dir(seed_store)))
    validate_store(store, ROOT / "ontology" / "shapes.ttl", {})  # raises ValidationError if not
    assert len(list(store.named_graphs())) == 8


def test_two_sources_that_disagree_are_both_kept(tmp_path: Path) -> None:
    """A second source giving Cities of change another start and budget loads; conflicts shows both."""
    copy_project(tmp_path)
    add_source(
        tmp_path,
        "{id: second-opinion, title: A second page, language: en}",
        "second-opinion",
        "source: second-opinion\n"
        "networks:\n"
        "  - id: cities-of-change\n"
        "    names: [{text: Cities of change, lang: en}]\n"
        "    start: 2013-07\n"
        "    budget: {value: 98000, currency: EUR}\n"
        "    members:\n"
        "      - {city: Poznań, country: PL, role: partner}\n",
    )
    store = tmp_path / "store"
    api.load(tmp_path, store)
    rows = api.query("conflicts", store_dir=store)
    found = {(r["property"], frozenset({r["value1"], r["value2"]})) for r in rows}
    assert found == {
        ("country", frozenset({"LV", "LT"})),  # Rēzekne, as in the seeds
        ("start", frozenset({"2013-06", "2013-07"})),
        ("value", frozenset({"99000", "98000"})),
        (
            "role",
            frozenset(
                {
                    "https://w3id.org/citynet/vocab/role/lead-partner",
                    "https://w3id.org/citynet/vocab/role/partner",
                }
            ),
        ),
    }


def test_status_and_announced_meeting(seed) -> None:
    from citynet.query.queries import run_query, to_rows

    _, rows = to_rows(run_query(seed, "SELECT ?s WHERE { ?m cn:status ?s FILTER(LANG(?s) = 'pl') }"))
    assert [r["s"] for r in rows] == ["w trakcie realizacji"]
    _, rows = to_rows(run_query(seed, "SELECT ?e WHERE { ?c cn:announcedEvent ?e }"))
    assert len(rows) == 1 and "Paris" in rows[0]["e"] and "January 2019" in rows[0]["e"]


def test_numbers_are_stored_exactly_as_written(tmp_path: Path) -> None:
    """No float on the way (12345678901234567.89 as a float is 12345678901234568); an acronym
    YAML reads as a number is the text written, 10:30 is not 630 (YAML 1.1's base 60)."""
    copy_project(tmp_path)
    add_source(
        tmp_path,
        "{id: exact, title: Exact numbers, language: en}",
        "exact",
        "source: exact\n"
        "networks:\n"
        "  - id: exact-net\n"
        "    names: [{text: Exact network, lang: en}, {text: 10:30, lang: en}]\n"
        "    acronym: 112\n"
        "    budget: {value: 12345678901234567.89, currency: EUR}\n"
        "    co_financing: {rate: 0.123456789012345678}\n",
    )
    store = tmp_path / "store"
    api.load(tmp_path, store)
    query = """SELECT ?value ?rate WHERE {
      <https://w3id.org/citynet/id/network/exact-net> cn:budget/schema:value ?value ;
                                                      cn:coFinancing/cn:rate ?rate }"""
    rows = list(EmbeddedStore.open(store).query(query, prefixes=PREFIXES))
    assert len(rows) == 1
    value, rate = rows[0]["value"], rows[0]["rate"]
    assert (value.value, value.datatype.value) == (
        "12345678901234567.89",
        "http://www.w3.org/2001/XMLSchema#decimal",
    )
    assert rate.value == "0.123456789012345678"
    texts = """SELECT ?text WHERE { VALUES ?p { cn:acronym skos:altLabel }
      <https://w3id.org/citynet/id/network/exact-net> ?p ?text }"""
    found = EmbeddedStore.open(store).query(texts, prefixes=PREFIXES)
    assert sorted(r["text"].value for r in found) == ["10:30", "112"]
