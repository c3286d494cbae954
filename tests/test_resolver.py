"""Place resolution on keep.eu partner rows: hand-picked rows per failure kind, and the hand-checked sample.

Expected GeoNames ids were checked by hand against the row's town, postal code and NUTS 3 region and
the place's name, admin code and coordinates (see tests/data/resolution_sample.csv for the sample).
"""

from __future__ import annotations

import csv
import sys
from functools import cache
from pathlib import Path

import pytest

from citynet.places.gazetteer import Place
from citynet.places.resolver import PlaceQuery, Resolution, Resolver
from citynet.sources.facts import Pin

ROOT = Path(__file__).resolve().parent.parent
SHEET = ROOT.parent / "shared" / "data" / "keep-eu" / "keep_closed_1420.xlsx"
SAMPLE = ROOT / "tests" / "data" / "resolution_sample.csv"


@pytest.mark.parametrize(
    ("query", "geonames_id"),
    [
        (PlaceQuery("Lyon CEDEX 02", "FR", "69269"), 2996944),  # CEDEX and its number
        (PlaceQuery("75013 Paris", "FR"), 2988507),  # postal code inside the Town
        (PlaceQuery("Wien 10", "AT"), 2761369),  # district number
        (PlaceQuery("Frankfurt am Main", "DE"), 2925533),  # compound
        (PlaceQuery("Gorzów Wlkp.", "PL", "66-400"), 3098722),  # abbreviation
        (PlaceQuery("STRASBOURG Cedex", "FR", "67073"), 2973783),  # upper case
        (PlaceQuery("9052", "BE", "Zwijnaarde"), 2783084),  # town and postal code swapped
    ],
)
def test_a_town_field_alone_resolves(query: PlaceQuery, geonames_id: int) -> None:
    [resolution] = Resolver().resolve_all([query])
    assert resolution.place is not None and resolution.place.geonames_id == geonames_id


def test_a_pin_applies_first() -> None:
    pins = {("Paris", "FR"): Pin("Paris", "FR", 2988507, 3)}
    [resolution] = Resolver(pins).resolve_all([PlaceQuery("Paris", "FR")])
    assert (resolution.status, resolution.how) == ("pinned", "pin")


def test_not_found_carries_candidates_to_review() -> None:
    [resolution] = Resolver().resolve_all([PlaceQuery("Krakkóww", "PL")])
    assert resolution.status == "not-found"
    assert 3094802 in [c.geonames_id for c in resolution.candidates]


def test_a_homonym_without_region_stays_ambiguous() -> None:
    [resolution] = Resolver().resolve_all([PlaceQuery("Hranice", "CZ")])
    assert resolution.status == "ambiguous"
    assert {3074889, 3074893} <= {c.geonames_id for c in resolution.candidates}


@cache
def resolve_sheet() -> dict[int, tuple[PlaceQuery, Resolution]]:
    sys.path.insert(0, str(ROOT / "scripts"))
    from measure_resolution import read_queries

    queries = read_queries(SHEET)
    resolutions = Resolver().resolve_all(q for _, q in queries)
    return {row: (query, res) for (row, query), res in zip(queries, resolutions, strict=True)}


# Real rows of the Partners sheet (spreadsheet row numbers), one or two per failure kind.
HAND_PICKED = [
    (5789, "METZ CEDEX 1", 2994160),  # CEDEX, upper case
    (8242, "BG-1784 Sofia", 727011),  # postal code in the Town
    (2208, "Garching b. München", 2922582),  # abbreviation, homonyms elsewhere
    (6898, "S.Margherita Ligure", 3167595),  # abbreviation
    (324, "Gmina Miasto Świdnica", 3084093),  # kind words, homonym far away
    (7257, "Thermi - Thessaloniki", 734080),  # town with its district (Greek transliteration)
    (3192, "Kiel", 2891122),  # an alternate name of another town (Kehl)
    (2623, "Amberg", 2956656),  # homonyms, chosen by NUTS 3 and postal code
    (4089, "Olsztyn", 763166),  # homonyms
    (6782, "Freiburg", 2925177),  # compound written short
    (7033, "Zagbreb", 3186886),  # misspelt, close spelling near its region
    (3114, "Venstpils", 454310),  # misspelt
    (5386, "TOULOUSE", 2972315),  # upper case
    (4667, "Ruse District", 727523),  # region word
]


@pytest.mark.slow
@pytest.mark.parametrize(("row", "town", "geonames_id"), HAND_PICKED)
def test_hand_picked_rows_resolve(row: int, town: str, geonames_id: int) -> None:
    query, resolution = resolve_sheet()[row]
    assert query.town == town
    assert resolution.place is not None and resolution.place.geonames_id == geonames_id


@pytest.mark.slow
@pytest.mark.parametrize(("row", "town"), [(5658, "Aargau"), (8284, "Mures"), (7547, "Co Leitrim")])
def test_a_region_in_the_town_field_is_not_taken_for_a_town(row: int, town: str) -> None:
    query, resolution = resolve_sheet()[row]
    assert query.town == town
    assert resolution.place is None


@pytest.mark.slow
def test_a_town_of_another_country_is_not_taken() -> None:
    rows = [
        r for r, (q, _) in resolve_sheet().items() if q.town == "Drobeta Turnu Severin" and q.country == "RS"
    ]
    assert rows and all(resolve_sheet()[r][1].place is None for r in rows)


def read_sample() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.slow
def test_hand_checked_sample_still_resolves_so() -> None:
    checked = [r for r in read_sample() if r["verdict"] == "right"]
    assert len(checked) >= 100
    got = {int(r["row"]): resolve_sheet()[int(r["row"])][1].place for r in checked}
    wrong = [
        r["row"]
        for r in checked
        if (got[int(r["row"])] or Place(0, "", 0, 0, "")).geonames_id != int(r["geonames_id"])
    ]
    assert wrong == []


@pytest.mark.slow
def test_answers_found_wrong_by_hand_are_not_given_again() -> None:
    wrong = [r for r in read_sample() if r["verdict"] == "wrong"]
    assert wrong
    given = [
        r["row"]
        for r in wrong
        if (resolve_sheet()[int(r["row"])][1].place or Place(0, "", 0, 0, "")).geonames_id
        == int(r["geonames_id"])
    ]
    assert given == []
