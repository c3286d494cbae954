"""Close spellings among the places near a row's region, and the candidates a reviewer is shown.

A close spelling ("Pireaus", "Clermond Ferrand") is accepted only among the places inside the row's
learnt region and only when one place is clearly the closest; elsewhere it is a candidate to review.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from citynet.places.cleaning import KIND, strip_postal
from citynet.places.gazetteer import read_gazetteer
from citynet.places.nameindex import index_names, to_compact
from citynet.places.regions import Region, list_places_near

COUNTY = re.compile(r"(?i)^\s*(co\.?|county)\s")
CLOSE = 85.0  # rapidfuzz ratio of compact names a close spelling needs
REGION_WORDS = re.compile(r"(?i)\b(county|district|region|province|jude[tț]ul|maakond|apskritis|novads)\b")


@lru_cache(maxsize=4096)
def index_near(country: str, region: Region) -> tuple[list[str], list[dict[str, Any]]]:
    """Compact names (and alternate names) of the places near a region, with their places."""
    names, owners = [], []
    for city in list_places_near(country, region):
        for key in {to_compact(n) for n in [city["name"], *city["alternatenames"]] if n}:
            names.append(key)
            owners.append(city)
    return names, owners


def list_spellings(town: str) -> list[str]:
    """The Town field's compact spellings worth comparing (postal codes and kind words dropped); none
    for an Irish county ("Co. Leitrim"), a region named like a town.

    >>> list_spellings("Zagbreb 10000"), list_spellings("Co. Londonderry")
    (['zagbreb'], [])
    """
    if COUNTY.match(town):
        return []
    bare = strip_postal(town)
    return list(dict.fromkeys(k for k in (to_compact(bare), to_compact(KIND.sub(" ", bare))) if len(k) >= 4))


def find_close_near(country: str, town: str, region: Region) -> tuple[dict[str, Any] | None, str]:
    """The one place near the region spelt close to the town, or None.

    >>> find_close_near("GR", "Pireaus", Region(37.95, 23.65, 15.0, 9))[0]["name"]
    'Piraeus'
    """
    names, owners = index_near(country, region)
    for key in list_spellings(town):
        found = process.extract(key, names, scorer=fuzz.ratio, limit=10, score_cutoff=CLOSE)
        if not found:
            continue
        best = found[0][1]
        places = {owners[i]["geonameid"]: owners[i] for _, score, i in found if score >= best - 3}
        if len(places) == 1:
            return next(iter(places.values())), "a close spelling of a place in the row's region"
    return None, ""


def check_region_named(town: str, nuts3_name: str) -> bool:
    """Whether the Town field names the row's region ("Mures" in Mureş) or says it is one.

    >>> check_region_named("Mures", "Mureş"), check_region_named("Giurgiu County", "")
    (True, True)
    >>> check_region_named("Arad", "")
    False
    """
    region_names = {to_compact(n) for n in re.split(r"[,/()]", nuts3_name) if n.strip()}
    return to_compact(town) in region_names or REGION_WORDS.search(town) is not None


def find_region_town(town: str, nuts3_name: str, places: set[str]) -> dict[str, Any] | None:
    """The town of the row's postal code (``places``: its rows' places) when the Town field names
    the row's region, else None.

    >>> find_region_town("Aargau", "Aargau", {"2661881"})["name"]
    'Aarau'
    >>> find_region_town("Baden", "Aargau", {"2661881"}) is None
    True
    """
    if len(places) != 1 or not check_region_named(town, nuts3_name):
        return None
    return read_gazetteer().get(next(iter(places)))


def list_close_places(country: str, town: str, region: Region | None, limit: int = 5) -> list[dict[str, Any]]:
    """Places spelt like the town, near its region first, then anywhere in the country."""
    index = index_names(country)
    cities: dict[str, dict[str, Any]] = {}
    for key in list_spellings(town):
        if region is not None:
            names, owners = index_near(country, region)
            for _, _, i in process.extract(key, names, scorer=fuzz.ratio, limit=limit, score_cutoff=70):
                cities.setdefault(owners[i]["geonameid"], owners[i])
        for name, _ in index.find_close(key, limit=limit, cutoff=70):
            for city in index.compact[name]:
                cities.setdefault(city["geonameid"], city)
    return list(cities.values())[:limit]
