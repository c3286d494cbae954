"""Resolve many (town, country) pairs from a table to GeoNames places, never failing (importers).

Unlike :func:`citynet.places.gazetteer.resolve_city` (a fact file's city must resolve, or the load
fails), an importer resolves thousands of rows and sends what stays unresolved or ambiguous to a
review list. Each query carries what the row gives besides the name: postal code, NUTS 3.

Pins come first. Then the Town field's spellings (:mod:`citynet.places.cleaning`) are looked up in
the country's names and alternate names (:mod:`citynet.places.nameindex`). The table's rows that
match one place teach where each NUTS 3 region and postal code lies (:mod:`citynet.places.regions`):
a name matching several places picks the one inside the row's region, a name matching none may
take a close spelling of a place inside it, a region in the Town field the place of its postal code.
What stays unsure is "ambiguous" or "not-found", with the candidates a reviewer needs.

>>> [r.status for r in Resolver().resolve_all([PlaceQuery("Kraków", "PL"), PlaceQuery("Xyzzy", "PL")])]
['unique', 'not-found']
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from citynet.places.cleaning import CLEANED, HYPHENATED, list_variants
from citynet.places.gazetteer import Place, read_gazetteer, to_place
from citynet.places.nameindex import index_names, measure_km, to_compact
from citynet.places.regions import Region, clean_postal_code, collect_points, learn_regions, list_region_keys
from citynet.places.vicinity import check_region_named, find_close_near, find_region_town, list_close_places
from citynet.sources.facts import Pin
from citynet.sources.imported import COUNTRY_ALIASES  # EL (Greece), UK: Eurostat's codes

TRUSTED = {"pin", "name", "name without postal code", "abbreviation written out"}  # learn from these
DOMINANT = 20  # a place this many times as populous as the others in the region is the one meant


@dataclass(frozen=True)
class PlaceQuery:
    """A row's place: the town as written, its country (ISO alpha-2) and what else the row gives."""

    town: str
    country: str
    postal_code: str | None = None
    nuts3: str | None = None  # NUTS 3 code, e.g. "ITF33"
    nuts3_name: str | None = None  # e.g. "Napoli"


@dataclass(frozen=True)
class Candidate:
    geonames_id: int
    name: str
    country: str
    population: int


@dataclass(frozen=True)
class Resolution:
    """What a query resolved to. ``place`` is set for "pinned", "unique" and "chosen"."""

    place: Place | None
    status: str  # pinned, unique, chosen (one of several, by what the row gives), ambiguous, not-found
    candidates: tuple[Candidate, ...] = ()
    how: str = ""  # a few words on how, e.g. "name", "alternate name", "postal code", "NUTS 3"


def to_candidate(city: dict[str, Any]) -> Candidate:
    return Candidate(int(city["geonameid"]), city["name"], city["countrycode"], int(city["population"]))


def prepare(query: PlaceQuery) -> PlaceQuery:
    """The query with its country code in ISO form, its postal code cleaned, a swapped town restored.

    >>> prepare(PlaceQuery("9052", "BE", "Zwijnaarde"))
    PlaceQuery(town='Zwijnaarde', country='BE', postal_code='9052', nuts3='', nuts3_name=None)
    """
    country = COUNTRY_ALIASES.get(query.country, query.country)
    town, postal = str(query.town or ""), str(query.postal_code or "")
    if not any(c.isalpha() for c in town) and any(c.isalpha() for c in postal):
        town, postal = postal, town
    postal = clean_postal_code(float(postal) if postal.replace(".", "", 1).isdigit() else postal, country)
    return replace(query, town=town, country=country, postal_code=postal, nuts3=(query.nuts3 or "").strip())


def check_foreign_postal_code(query: PlaceQuery) -> bool:
    """Whether the row's postal code names another country ("LV-4701" in an Estonian row).

    >>> check_foreign_postal_code(PlaceQuery("Valkas", "EE", "LV-4701"))
    True
    >>> check_foreign_postal_code(PlaceQuery("Riga", "LV", "LV-1019"))
    False
    """
    prefix = re.match(r"\s*([A-Z]{2})\s*-?\s*\d", query.postal_code or "")
    country = COUNTRY_ALIASES.get(query.country, query.country)
    return prefix is not None and COUNTRY_ALIASES.get(prefix.group(1), prefix.group(1)) != country


def choose(
    found: list[dict[str, Any]], spelling: str, region: Region | None, by_size: bool = True
) -> tuple[dict | None, str]:
    """One of several places: one of GeoNames' duplicates, the one clearly nearest the row's region,
    the only one in it, or the one far larger than the others in it; else None (ambiguous).
    """
    people = sorted(found, key=lambda c: (-int(c["population"]), int(c["geonameid"])))
    same = {c["name"] for c in people}
    if len(same) == 1 and all(measure_km(*to_point(people[0]), *to_point(c)) <= 5 for c in people):
        return people[0], "one of GeoNames' duplicates"
    if region is None:
        return choose_by_size(found, spelling) if by_size else (None, "")
    ranked = sorted(found, key=region.distance_km)
    first, second = region.distance_km(ranked[0]), region.distance_km(ranked[1])
    if second >= max(3 * first, first + 50):
        return ranked[0], "the one nearest the row's region"
    inside = [c for c in found if region.distance_km(c) <= region.reach_km]
    if len(inside) == 1 and all(region.distance_km(c) > region.far_km for c in found if c is not inside[0]):
        return inside[0], "the one in the row's region"
    near = sorted(
        (c for c in found if region.distance_km(c) <= region.far_km),
        key=lambda c: (-int(c["population"]), int(c["geonameid"])),
    )
    if not by_size or len(near) < 2 or region.distance_km(near[0]) > region.reach_km:
        return None, ""
    if int(near[0]["population"]) >= DOMINANT * max(1, int(near[1]["population"])):
        return near[0], "the largest near the row's region"
    return None, ""


def choose_by_size(found: list[dict[str, Any]], spelling: str) -> tuple[dict | None, str]:
    """The place so named (not by an alternate name) when it is far larger than the others, else None.

    >>> big = {"name": "London", "population": 8961989, "geonameid": "2643743"}
    >>> small = {"name": "City of London", "population": 8072, "geonameid": "2643741"}
    >>> choose_by_size([small, big], "LONDON")[0]["geonameid"], choose_by_size([big, small], "City")[0]
    ('2643743', None)
    """
    people = sorted(found, key=lambda c: (-int(c["population"]), int(c["geonameid"])))
    largest, second = int(people[0]["population"]), int(people[1]["population"])
    if to_compact(people[0]["name"]) == to_compact(spelling) and largest >= DOMINANT * max(1, second):
        return people[0], "the one so named, far larger than the others"
    return None, ""


def to_point(city: dict[str, Any]) -> tuple[float, float]:
    return float(city["latitude"]), float(city["longitude"])


class Resolver:
    """Resolve queries, pins first (``graph/places.yaml``, keyed by (town, country))."""

    def __init__(self, pins: dict[tuple[str, str], Pin] | None = None) -> None:
        self.pins = pins or {}
        self.regions: dict[tuple[str, ...], Region] = {}
        self.postal_places: dict[tuple[str, str], set[str]] = defaultdict(set)

    def find_region(self, query: PlaceQuery) -> Region | None:
        """The smallest learnt region the row lies in."""
        for key in list_region_keys(query.country, query.postal_code or "", query.nuts3 or ""):
            if key in self.regions:
                return self.regions[key]
        return None

    def match_name(self, query: PlaceQuery, region: Region | None) -> Resolution | None:
        """Resolve by the Town field's spellings, or None when no spelling names a place."""
        index = index_names(query.country)
        for spelling, trust, how in list_variants(query.town):
            found = index.find(spelling)
            if trust == HYPHENATED:  # "Kozani-Ptolemaida": either, chosen by region; the first must be one
                names = spelling.split("-") if index.find(spelling.split("-")[0]) else []
                found = list({c["geonameid"]: c for n in names for c in index.find(n)}.values())
            if not found:
                continue
            near = (
                found
                if region is None
                else [c for c in found if region.distance_km(c) <= region.limit_km(trust)]
            )
            if not near and trust == CLEANED:
                return Resolution(None, "ambiguous", tuple(map(to_candidate, found)), "far from its region")
            if len(near) == 1:
                if len(found) == 1:
                    return Resolution(to_place(near[0]), "unique", how=how)
                return Resolution(
                    to_place(near[0]), "chosen", how=f"{how}, the only one near the row's region"
                )
            if near:
                city, why = choose(near, spelling, region, by_size=trust != HYPHENATED)
                if city is not None:
                    return Resolution(to_place(city), "chosen", how=f"{how}, {why}")
                return Resolution(None, "ambiguous", tuple(to_candidate(c) for c in near), how)
        return None

    def resolve(self, query: PlaceQuery) -> Resolution:
        """Resolve one query with what the resolver has learnt so far."""
        original, query = query, prepare(query)
        pin = self.pins.get((query.town, query.country))
        if pin is not None and str(pin.geonames) in read_gazetteer():
            return Resolution(to_place(read_gazetteer()[str(pin.geonames)]), "pinned", how="pin")
        region = self.find_region(query)
        named = self.match_name(query, region)
        named_region = check_region_named(query.town, query.nuts3_name or "")
        if named is not None:
            return named
        if region is not None and not check_foreign_postal_code(original) and not named_region:
            city, how = find_close_near(query.country, query.town, region)
            if city is not None:
                return Resolution(to_place(city), "chosen", how=how)
        places = self.postal_places.get((query.country, query.postal_code or ""), set())
        seat = find_region_town(query.town, query.nuts3_name or "", places)
        if seat is not None:
            return Resolution(to_place(seat), "chosen", how="a region as Town, its postal code's town")
        close = list_close_places(query.country, query.town, region)
        return Resolution(None, "not-found", tuple(to_candidate(c) for c in close))

    def learn(self, queries: list[PlaceQuery]) -> None:
        """Learn regions and postal codes from the queries whose Town field names one place."""
        rows = []
        for query in queries:
            resolution = self.resolve(query)
            if resolution.how in TRUSTED and resolution.place is not None:
                query = prepare(query)
                city = read_gazetteer()[str(resolution.place.geonames_id)]
                keys = list_region_keys(query.country, query.postal_code or "", query.nuts3 or "")
                rows.append((keys, city))
                if query.postal_code:
                    self.postal_places[query.country, query.postal_code].add(city["geonameid"])
        self.regions = learn_regions(collect_points(rows))

    def resolve_all(self, queries: Iterable[PlaceQuery]) -> list[Resolution]:
        """Resolve a table's queries together: learn from the unique ones, then resolve each."""
        queries = list(queries)
        distinct = list(dict.fromkeys(queries))
        self.learn(distinct)
        resolved = {query: self.resolve(query) for query in distinct}
        return [resolved[query] for query in queries]
