"""One network, one IRI: matching an imported file's networks to the project's (citynet.places.reconcile)."""

from __future__ import annotations

from citynet.places.reconcile import reconcile
from citynet.sources.model import FactFile, Member, Name, Network

KRAKOW, BARCELONA, LYON, NAPLES = 3094802, 3128760, 2996944, 3172394


def network(id_: str, name: str, places: list[int], programme: str | None = "urbact-iii", **kw) -> Network:
    members = [Member("city", str(p), None, "partner", i, geonames=p) for i, p in enumerate(places)]
    return Network(id_, [Name(name, None)], 1, programme=programme, members=members, **kw)


def run(imported: list[Network], existing: list[Network]) -> tuple[list[str], list[str]]:
    ours, theirs = FactFile("i.yaml", "keep", imported, []), FactFile("s.yaml", "seed", existing, [])
    facts, matches = reconcile(ours, [theirs], lambda member: member.geonames)
    return [n.id for n in facts.networks], [f"{m.network}->{m.same_as} ({m.source})" for m in matches]


def test_an_acronym_spelt_two_ways_with_members_in_common_is_one_network() -> None:
    seed = network("urb-inclusion", "URB-INCLUSION", [KRAKOW, BARCELONA, LYON])
    keep = network("urbinclusion", "URBinclusion", [BARCELONA, NAPLES], acronym="URBinclusion")
    assert run([keep], [seed]) == (["urb-inclusion"], ["urbinclusion->urb-inclusion (seed)"])


def test_another_programme_is_another_network() -> None:
    seed = network("urb-inclusion", "URB-INCLUSION", [KRAKOW], programme="urbact-ii")
    keep = network("urbinclusion", "URBinclusion", [KRAKOW])
    assert run([keep], [seed]) == (["urbinclusion"], [])


def test_a_name_with_no_member_in_common_is_another_network() -> None:
    seed = network("retail", "Retail", [KRAKOW])
    keep = network("retail-x", "RETAIL", [NAPLES])
    assert run([keep], [seed]) == (["retail-x"], [])


def test_a_network_without_places_matches_by_name_and_programme() -> None:
    seed = network("the-playful-paradigm", "The Playful Paradigm", [])
    keep = network("playful-paradigm", "Playful Paradigm", [NAPLES])
    matched = "playful-paradigm->the-playful-paradigm (seed)"
    assert run([keep], [seed]) == (["the-playful-paradigm"], [matched])


def test_an_id_in_use_without_a_match_is_renamed_not_merged() -> None:
    seed = network("evue", "EVUE", [KRAKOW], programme="urbact-ii")
    keep = network("evue", "EVUE", [KRAKOW], programme="urbact-iii")
    assert run([keep], [seed]) == (["evue-keep"], [])


def test_an_existing_network_is_matched_once_by_the_closest_import() -> None:
    seed = network("urb-inclusion", "URB-INCLUSION", [KRAKOW, BARCELONA, LYON])
    first = network("urbinclusion", "URBinclusion", [KRAKOW])
    second = network("urbinclusion-2", "URBinclusion", [KRAKOW, BARCELONA])
    assert run([first, second], [seed]) == (
        ["urbinclusion", "urb-inclusion"],
        ["urbinclusion-2->urb-inclusion (seed)"],
    )
