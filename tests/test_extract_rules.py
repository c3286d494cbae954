"""The extraction rules one at a time, on sentences written for these tests (no page is copied here).

Each sentence holds the trap a rule is for (a person's first name that is also a town, a member
named again in a later paragraph, a network named as a predecessor, English words inside another
language, a town named again as "the Italian municipality"); the expected members and roles are
written by hand.
"""

from __future__ import annotations

import pytest

from citynet.extract.gazetteer import Gazetteer
from citynet.extract.mentions import find_places
from citynet.extract.pipeline import Extractor
from citynet.extract.roles import find_lead_cues
from citynet.sources.model import Network
from tests.test_extract import propose, roles

CASALBORGONE, CUGIR = 3180245, 679995


def by_name(networks: list[Network]) -> dict[str, list[tuple[str, str]]]:
    return {n.names[0].text: roles(n) for n in networks}


def test_a_first_name_after_a_title_is_a_person_not_a_town(extractor: Extractor) -> None:
    text = (
        "The URBACT network GREEN-TWIN brings together Gdańsk, Riga and Tartu. "
        "Mayor Adrian Teban welcomed the partners."
    )
    [network] = propose(extractor, text, "en")
    assert roles(network) == [("Gdańsk", "partner"), ("Riga", "partner"), ("Tartu", "partner")]


def test_a_first_name_before_an_initial_is_a_person_not_a_town(extractor: Extractor) -> None:
    text = (
        "The URBACT network GREEN-TWIN brings together Gdańsk and Tartu. "
        "The meeting took place in the old barracks Ivan V. Drašković."
    )
    [network] = propose(extractor, text, "en")
    assert roles(network) == [("Gdańsk", "partner"), ("Tartu", "partner")]


def test_a_genitive_after_a_title_stays_a_place(extractor: Extractor) -> None:
    text = "W projekcie Gen-Y City Poznań jest liderem – powiedział zastępca prezydenta Poznania Jan Nowak."
    [network] = propose(extractor, text, "pl")
    assert roles(network) == [("Poznań", "lead-partner")]


def test_a_member_named_again_later_stays_in_its_network(extractor: Extractor) -> None:
    text = (
        "Altena is lead partner of the URBACT network Re-grow City, with Isernia and Igoumenitsa.\n\n"
        "Before that, Altena was a partner of the network OP-ACT.\n\n"
        "Isernia and Igoumenitsa are small towns too."
    )
    networks = by_name(propose(extractor, text, "en"))
    assert sorted(networks["Re-grow City"]) == [
        ("Altena", "lead-partner"),
        ("Igoumenítsa", "partner"),
        ("Isernia", "partner"),
    ]
    assert networks["OP-ACT"] == [("Altena", "partner")]


def test_a_predecessor_named_in_passing_takes_no_members(extractor: Extractor) -> None:
    text = (
        "URB-INCLUSION\n\n"
        "The project URB-INCLUSION follows the project USER of 2013-2015.\n\n"
        "It is carried out with Barcelona, Lyon and Naples."
    )
    networks = by_name(propose(extractor, text, "en"))
    assert networks["URB-INCLUSION"] == [("Barcelona", "partner"), ("Lyon", "partner"), ("Naples", "partner")]
    assert networks.get("USER", []) == []


def test_the_italian_municipality_in_partnership_with_is_the_lead(extractor: Extractor) -> None:
    text = (
        "Primarii se întâlnesc la Casalborgone, în Italia. Comuna italiană, în parteneriat cu oraşul "
        "Cugir, conduce proiectul „Terra Nova”."
    )
    [network] = propose(extractor, text, "ro")
    members = {m.geonames: m for m in network.members}
    assert members[CASALBORGONE].role == "lead-partner"
    assert members[CUGIR].role == "partner"
    assert "Comuna italiană" in [e.quote for e in members[CASALBORGONE].evidence]


def test_in_partnership_with_names_no_lead_when_nothing_stands_before_it(extractor: Extractor) -> None:
    text = "The URBACT network GREEN-TWIN is run in partnership with Gdańsk and Tartu."
    [network] = propose(extractor, text, "en")
    assert {role for _, role in roles(network)} == {"partner"}


def test_croatian_glavni_partner_is_a_lead_cue(extractor: Extractor) -> None:
    text = (
        "Grad Varaždin je uz glavnog partnera grad Piacenzu te gradove Szombathely i Cartagenu bio u "
        "projektu MAPS."
    )
    assert [c.quote for c in find_lead_cues(text, "hr")] == ["glavnog partnera"]
    [network] = propose(extractor, text, "hr")
    assert dict(roles(network))["Piacenza"] == "lead-partner"


@pytest.fixture(scope="module")
def gazetteer(extractor: Extractor) -> Gazetteer:
    return extractor.gazetteer


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Das Thema heißt ‚Working with civil society‘.", "de"),  # Woking is one edit away
        ("Novice: From urbact.", "sl"),  # Frome's other name
        ("Projektas iš Europos Sąjungos lėšų.", "lt"),  # "of Europe", a Greek village's other name
    ],
)
def test_english_words_and_europe_are_no_places(gazetteer: Gazetteer, text: str, lang: str) -> None:
    assert [p.span.quote for p in find_places(text, lang, gazetteer)] == []


def test_a_successor_s_name_is_another_network(extractor: Extractor) -> None:
    text = (
        "Oslo is a partner of the URBACT network EVUE II with Katowice.\n\n"
        "Before, Oslo and Madrid were partners of the URBACT network EVUE."
    )
    networks = by_name(propose(extractor, text, "en"))
    assert networks["EVUE II"] == [("Oslo", "partner"), ("Katowice", "partner")]
    assert networks["EVUE"] == [("Oslo", "partner"), ("Madrid", "partner")]


@pytest.mark.parametrize(
    ("text", "lang", "lead", "seat"),
    [
        (
            "The URBACT network GREEN-TWIN is led by Westminster in London, with Tartu.",
            "en",
            "City of Westminster",
            "London",
        ),
        (
            "Das URBACT-Netzwerk GREEN-TWIN hat Pankow bei Berlin als Lead Partner, mit Tartu.",
            "de",
            "Pankow",
            "Berlin",
        ),
    ],
)
def test_a_place_saying_where_a_member_lies_is_no_member(
    extractor: Extractor, text: str, lang: str, lead: str, seat: str
) -> None:
    [network] = propose(extractor, text, lang)
    found = dict(roles(network))
    assert seat not in found
    assert found["Tartu"] == "partner"
    assert found[lead] == "lead-partner"


def test_and_in_slovenian_is_no_seat(extractor: Extractor) -> None:
    text = "V omrežju GREEN-TWIN sodelujejo občine Bovec, Radenci in Ormož."
    [network] = propose(extractor, text, "sl")
    assert [name for name, _ in roles(network)] == ["Bovec", "Radenci", "Ormož"]


def test_a_start_said_of_the_networks_is_every_network_s_start(extractor: Extractor) -> None:
    text = (
        "URBACT approved two new networks. These networks start their work on 1 November 2025.\n\n"
        "The URBACT network GREEN-TWIN brings together Gdańsk and Tartu.\n"
        "The URBACT network BLUE-TWIN brings together Riga and Turku."
    )
    networks = propose(extractor, text, "en")
    assert {n.names[0].text: n.start.text for n in networks if n.start} == {
        "GREEN-TWIN": "2025-11-01",
        "BLUE-TWIN": "2025-11-01",
    }


def test_a_date_said_of_one_network_is_not_the_others_start(extractor: Extractor) -> None:
    text = (
        "The URBACT network GREEN-TWIN (Gdańsk, Tartu) started on 1 November 2025.\n\n"
        "The URBACT network BLUE-TWIN brings together Riga and Turku."
    )
    networks = propose(extractor, text, "en")
    assert [n.names[0].text for n in networks] == ["GREEN-TWIN", "BLUE-TWIN"]
    assert networks[1].start is None


def test_the_municipality_of_the_area_around_a_town_is_no_town(extractor: Extractor) -> None:
    text = "Jelgavas novada pašvaldība piedalīsies URBACT tīklā GREEN-TWIN kopā ar Tartu un Rīgu."
    [network] = propose(extractor, text, "lv")
    kinds = {(m.kind, m.name) for m in network.members}
    assert ("organisation", "Jelgavas novada pašvaldība") in kinds
    assert ("city", "Jelgava") not in kinds
    assert ("city", "Tartu") in kinds
