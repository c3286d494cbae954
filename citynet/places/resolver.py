"""Resolve many (town, country) pairs from a table to GeoNames places, never failing (importers).

Unlike :func:`citynet.places.gazetteer.resolve_city` (a fact file's city must resolve, or the load
fails), an importer resolves thousands of rows and sends what stays unresolved or ambiguous to a
review list. Each query carries what the row gives besides the name: postal code, NUTS 3.

This first version matches a name within its country, as the gazetteer does; see issue 17 for
what it must learn (postal codes, NUTS 3, naming conventions, alternate names, speed).

>>> [r.status for r in Resolver().resolve_all([PlaceQuery("Kraków", "PL"), PlaceQuery("Xyzzy", "PL")])]
['unique', 'not-found']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from citynet.places.gazetteer import Place, index_country, normalise, read_gazetteer, to_place
from citynet.sources.facts import Pin


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


class Resolver:
    """Resolve queries, pins first (``graph/places.yaml``, keyed by (town, country))."""

    def __init__(self, pins: dict[tuple[str, str], Pin] | None = None) -> None:
        self.pins = pins or {}

    def resolve(self, query: PlaceQuery) -> Resolution:
        pin = self.pins.get((query.town, query.country))
        if pin is not None and str(pin.geonames) in read_gazetteer():
            return Resolution(to_place(read_gazetteer()[str(pin.geonames)]), "pinned", how="pin")
        matches = {c["geonameid"]: c for c in index_country(query.country).get(normalise(query.town), [])}
        if len(matches) == 1:
            return Resolution(to_place(next(iter(matches.values()))), "unique", how="name")
        candidates = tuple(
            Candidate(int(c["geonameid"]), c["name"], c["countrycode"], int(c["population"]))
            for c in matches.values()
        )
        return Resolution(None, "ambiguous" if matches else "not-found", candidates)

    def resolve_all(self, queries: Iterable[PlaceQuery]) -> list[Resolution]:
        """Resolve a table's queries together (a later version learns from the unique ones)."""
        return [self.resolve(query) for query in queries]
