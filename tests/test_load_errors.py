"""`citynet load` on bad input: one ``Error: file:line: field: message`` line, exit 1, store untouched.

Every case copies the project (``ontology/`` and ``graph/``) into a temporary folder, changes one fact
file (plus the register or the pins where the case needs it), and runs the real command in a
subprocess against a store that already holds the seed graph. The expected lines and fields below are
counted by hand from the YAML written here; the seed's own line numbers were read from the seed file.

Loading the seed graph takes a few seconds, so it is loaded once (from a good copy of the project)
into a template store, and each case starts from a copy of that store folder.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
import pytest
import yaml

import citynet.api
import citynet.build.assemble
import citynet.sources.facts
import citynet.store.embedded
from citynet import api
from citynet.errors import FactError, PlaceError, StoreError
from citynet.store.embedded import EmbeddedStore

from .conftest import ROOT, SEEDS, copy_project, invoke

NEW_FILE = "a-test.yaml"  # sorts before the seed's fact files, so its errors are met first
NEW_SOURCE = "  - {id: test-source, title: T, language: en}\n"
ID = "https://w3id.org/citynet/id/"
ERROR_LINE = re.compile(r"Error: (?P<path>.+?):(?P<line>\d+): (?P<rest>.*)")


def fact(*lines: str) -> str:
    """A fact file from its lines: ``lines[0]`` is line 1, which makes counting lines easy."""
    return "\n".join(lines) + "\n"


# Lines 1-4 of most new fact files below.
HEAD = ("source: test-source", "networks:", "  - id: test-net", "    names: [{text: Test network}]")


@dataclass(frozen=True)
class Case:
    id: str
    file: str  # the file the error must name
    line: int  # the line it must name
    field: str | None  # the field it must name (None: a YAML syntax error, which has none)
    contains: tuple[str, ...]  # texts the message must contain
    text: str | None = None  # the new fact file graph/a-test.yaml, if any
    edits: tuple[tuple[str, str, str], ...] = ()  # (file under graph/, old text, new text)
    pattern: str | None = None  # a regular expression the message must match
    seed_line: str | None = None  # for an error in a seed file: the text on the line it must name


NETWORK_FIELDS = (
    "acronym",
    "budget",
    "call",
    "co_financing",
    "continues",
    "declared",
    "duration",
    "end",
    "expected_result",
    "id",
    "members",
    "names",
    "objective",
    "phases",
    "programme",
    "start",
    "themes",
    "type",
    "website",
)
PROGRAMMES = ("europe-for-citizens-2007-2013", "urbact-i,", "urbact-ii,", "urbact-iii,", "urbact-iv")
LEGAZPI_PIN = "  - {city: Legazpi, country: ES, geonames: 3118587}\n"
REZEKNE_PIN = "  - {city: Rezekne, country: LT, geonames: 456202}\n"

CASES = [
    Case(
        "yaml-tab-indentation",
        NEW_FILE,
        3,
        None,
        ("malformed YAML",),
        fact("source: test-source", "networks:", "\t- id: test-net"),
    ),
    # The `[` opened on line 4 is never closed; the file has 4 lines.
    Case(
        "yaml-unclosed-bracket",
        NEW_FILE,
        4,
        None,
        ("malformed YAML",),
        fact(*HEAD[:3], "    names: [{text: Test network}"),
    ),
    Case(
        "duplicate-key",
        NEW_FILE,
        6,
        None,
        ("malformed YAML", "duplicate key 'acronym'"),
        fact(*HEAD, "    acronym: TN", "    acronym: TN2"),
    ),
    Case(
        "unknown-field",
        NEW_FILE,
        5,
        "networks[0].budjet",
        ("unknown field 'budjet'", "expected one of: ", *NETWORK_FIELDS),
        fact(*HEAD, "    budjet: {value: 5, currency: EUR}"),
    ),
    Case(
        "impossible-date",
        NEW_FILE,
        6,
        "networks[0].end",
        ("impossible date", "2015-02-30"),
        fact(*HEAD, "    start: 2015-01", "    end: 2015-02-30"),
    ),
    Case(
        "end-before-start",
        NEW_FILE,
        6,
        "networks[0].end",
        ("2014-12-31", "before start", "2015-06"),
        fact(*HEAD, "    start: 2015-06", "    end: 2014-12-31"),
    ),
    Case(
        "negative-budget",
        NEW_FILE,
        5,
        "networks[0].budget.value",
        ("negative", "-5"),
        fact(*HEAD, "    budget: {value: -5, currency: EUR}"),
    ),
    Case(
        "bad-currency",
        NEW_FILE,
        5,
        "networks[0].budget.currency",
        ("'EURO'", "ISO 4217"),
        fact(*HEAD, "    budget: {value: 5, currency: EURO}"),
    ),
    Case(
        "rate-above-one",
        NEW_FILE,
        5,
        "networks[0].co_financing.rate",
        ("between 0 and 1", "80"),
        fact(*HEAD, "    co_financing: {rate: 80}"),
    ),
    Case(
        "unknown-city",
        NEW_FILE,
        6,
        "city",
        ('"Atlantis"', "FR", "not found", "nearest: "),
        fact(*HEAD, "    members:", "      - {city: Atlantis, country: FR, role: partner}"),
        pattern=r"nearest: [^,]+ \([A-Z]{2}, GeoNames \d+",
    ),
    Case(
        "ambiguous-city",
        NEW_FILE,
        6,
        "city",
        ('"Legazpi"', "ambiguous", "3118587", "11549951"),
        fact(*HEAD, "    members:", "      - {city: Legazpi, country: ES, role: partner}"),
        edits=(("places.yaml", LEGAZPI_PIN, ""),),
    ),
    # graph/silesia-urbact-ii.yaml line 85: `      - {city: Rezekne, country: LT, role: partner}`
    Case(
        "rezekne-unpinned",
        "silesia-urbact-ii.yaml",
        85,
        "city",
        ('"Rezekne"', "not found", "nearest: Rēzekne (LV"),
        edits=(("places.yaml", REZEKNE_PIN, ""),),
        seed_line="{city: Rezekne, country: LT, role: partner}",
    ),
    Case(
        "duplicate-network-id",
        NEW_FILE,
        5,
        "networks",
        ("duplicate network id 'test-net'",),
        fact(*HEAD, "  - id: test-net", "    names: [{text: Another network}]"),
    ),
    Case(
        "duplicate-member",
        NEW_FILE,
        7,
        "networks[0].members",
        ("duplicate member", "Paris"),
        fact(
            *HEAD,
            "    members:",
            "      - {city: Paris, country: FR, role: partner}",
            "      - {city: Paris, country: FR, role: lead-partner}",
        ),
    ),
    Case(
        "missing-source",
        NEW_FILE,
        1,
        "source",
        ("'no-such-source'", "sources.yaml"),
        fact("source: no-such-source", *HEAD[1:]),
    ),
    # The same, with a comment first: `source:` is on line 2.
    Case(
        "missing-source-after-comment",
        NEW_FILE,
        2,
        "source",
        ("'no-such-source'", "sources.yaml"),
        fact("# Facts citing a source the register lacks.", "source: no-such-source", *HEAD[1:]),
    ),
    Case(
        "unknown-role",
        NEW_FILE,
        6,
        "networks[0].members[0].role",
        ("unknown role 'boss'", "expected one of: lead-partner, partner"),
        fact(*HEAD, "    members:", "      - {city: Paris, country: FR, role: boss}"),
    ),
    Case(
        "unknown-programme",
        NEW_FILE,
        5,
        "networks[0].programme",
        ("unknown programme 'urbact-v'", "expected one of: ", *PROGRAMMES),
        fact(*HEAD, "    programme: urbact-v"),
    ),
    Case(
        "member-country-not-iso",
        NEW_FILE,
        6,
        "country",
        ("'XX'", "ISO 3166-1"),
        fact(*HEAD, "    members:", "      - {city: Paris, country: XX, role: partner}"),
    ),
    # A declared country is named where it is written: line 7, field ...by_country.XX (as the reader
    # already does for a code that is not two capital letters).
    Case(
        "declared-country-not-iso",
        NEW_FILE,
        7,
        "networks[0].declared.by_country.XX",
        ("'XX'", "ISO 3166-1"),
        fact(*HEAD, "    declared:", "      partners: 2", "      by_country: {XX: 1}"),
    ),
]


class Baseline(NamedTuple):
    store: Path  # a store holding the seed graph (loaded from a good copy of the project)
    dump: list[str]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def dump(store: Path) -> list[str]:
    """The store's content as sorted N-Quads lines."""
    result = invoke("dump", "--format", "nquads", "--store", str(store))
    assert result.returncode == 0, result.stderr
    return sorted(result.stdout.splitlines())


def load(root: Path, store: Path):
    return invoke("load", "--root", str(root), "--store", str(store))


def count_quads(store: Path) -> int:
    embedded = EmbeddedStore.open(store)
    try:
        return embedded.count_quads()
    finally:
        del embedded


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    base = tmp_path_factory.mktemp("baseline")
    project = copy_project(base / "project")
    store = base / "store"
    result = load(project, store)
    assert result.returncode == 0, result.stderr
    return Baseline(store, dump(store))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_bad_input_gives_one_error_line_and_keeps_the_store(
    case: Case, baseline: Baseline, tmp_path: Path
) -> None:
    project = copy_project(tmp_path / "project")
    if case.text is not None:
        (project / "graph" / NEW_FILE).write_text(case.text, encoding="utf-8")
        edit(project / "graph" / "sources.yaml", "sources:\n", "sources:\n" + NEW_SOURCE)
    for name, old, new in case.edits:
        edit(project / "graph" / name, old, new)
    if case.seed_line:  # the seed file still has the expected text on the expected line
        seed_lines = (project / "graph" / case.file).read_text(encoding="utf-8").splitlines()
        assert case.seed_line in seed_lines[case.line - 1]
    store = tmp_path / "store"
    shutil.copytree(baseline.store, store, symlinks=True)
    before = dump(store)
    assert before == baseline.dump

    result = load(project, store)

    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    match = ERROR_LINE.fullmatch(errors[0])
    assert match, errors[0]
    assert match["path"].endswith(f"graph/{case.file}"), errors[0]
    assert int(match["line"]) == case.line, errors[0]
    rest = match["rest"]
    if case.field is None:
        assert rest.startswith("malformed YAML: "), errors[0]
    else:
        field = rest.partition(": ")[0]
        assert field == case.field or field.endswith("." + case.field), errors[0]
    for text in case.contains:
        assert text in rest, f"{text!r} not in {errors[0]}"
    if case.pattern:
        assert re.search(case.pattern, rest), errors[0]
    assert dump(store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "store"]
    # Last, as it concerns every case alike: the error is the only line on stderr.
    assert result.stderr.splitlines() == errors, result.stderr


def test_unquoted_no_is_norway(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "graph" / NEW_FILE).write_text(
        fact(*HEAD, "    members:", "      - {city: Notodden, country: NO, role: partner}"), encoding="utf-8"
    )
    edit(project / "graph" / "sources.yaml", "sources:\n", "sources:\n" + NEW_SOURCE)
    store = tmp_path / "store"

    result = load(project, store)

    assert result.returncode == 0, result.stderr
    # Notodden is pinned to GeoNames 3144075 in graph/places.yaml.
    quad = (
        f"<{ID}city/3144075> <https://w3id.org/citynet/ontology#country> <{ID}country/NO> "
        f"<{ID}source/test-source> ."
    )
    lines = dump(store)
    assert quad in lines
    assert (
        f"<{ID}membership/test-net/city/3144075> <https://w3id.org/citynet/ontology#member> "
        f"<{ID}city/3144075> <{ID}source/test-source> ." in lines
    )
    assert not [line for line in lines if "country/False" in line or "country/false" in line]


class LoadedTwice(NamedTuple):
    outputs: list[str]  # stdout of each load
    dumps: list[list[str]]  # sorted N-Quads after each load
    quads: int  # quads in the store after the second load


@pytest.fixture(scope="module")
def loaded_twice(tmp_path_factory: pytest.TempPathFactory) -> LoadedTwice:
    """The seed project loaded twice into one store."""
    store = tmp_path_factory.mktemp("twice") / "store"
    outputs, dumps = [], []
    for _ in range(2):
        result = load(SEEDS, store)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
        dumps.append(dump(store))
    return LoadedTwice(outputs, dumps, count_quads(store))


def test_loading_twice_gives_identical_dumps(loaded_twice: LoadedTwice) -> None:
    first, second = loaded_twice.dumps
    assert len(first) > 1000
    assert second == first


def test_loading_twice_gives_the_same_quad_count(loaded_twice: LoadedTwice) -> None:
    counts = [re.search(r": (\d+) quads,", out) for out in loaded_twice.outputs]
    assert all(counts), loaded_twice.outputs
    first, second = (int(c[1]) for c in counts if c)
    assert first == second == loaded_twice.quads
    assert len(loaded_twice.dumps[0]) == len(loaded_twice.dumps[1]) == loaded_twice.quads


def test_dump_has_no_blank_nodes(loaded_twice: LoadedTwice) -> None:
    lines = loaded_twice.dumps[1]
    quads = list(ox.parse("\n".join(lines) + "\n", format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(lines)
    blank = [
        str(q) for q in quads if any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object, q.graph_name))
    ]
    assert blank == []


def _fail_on_swap(store_dir: Path, version: str) -> None:
    raise OSError("simulated failure while swapping the new version in")


@pytest.mark.parametrize("failure", ["bulk-load", "swap"])
def test_failed_store_write_keeps_the_old_store(
    failure: str, baseline: Baseline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    shutil.copytree(baseline.store, store, symlinks=True)
    before = count_quads(store)
    assert before == len(baseline.dump)
    if failure == "bulk-load":
        for module in (citynet.store.embedded, citynet.api):  # the API may call it by its own name
            monkeypatch.setattr(
                module,
                "load_file",
                lambda store, path: store.bulk_load(b"<not a quad>", format=ox.RdfFormat.N_QUADS),
                raising=False,
            )
    else:
        for module in (citynet.store.embedded, citynet.api):
            monkeypatch.setattr(module, "swap_current", _fail_on_swap, raising=False)

    with pytest.raises(StoreError):
        api.load(SEEDS, store)

    monkeypatch.undo()
    assert count_quads(store) == before
    assert dump(store) == baseline.dump
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


SHAPE = """
cnsh:TestShape a sh:NodeShape ;
    sh:targetClass cn:Network ;
    sh:property [ sh:path cn:acronym ; sh:minCount 1 ; sh:message "Network: test requires an acronym" ] .
"""


def networks_without_acronym() -> set[str]:
    ids = set()
    for path in (ROOT / "graph").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        ids |= {n["id"] for n in data.get("networks") or [] if "acronym" not in n}
    return ids


def test_shacl_violation_is_one_error_line_and_keeps_the_store(baseline: Baseline, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    with (project / "ontology" / "shapes.ttl").open("a", encoding="utf-8") as shapes:
        shapes.write(SHAPE)
    store = tmp_path / "store"
    shutil.copytree(baseline.store, store, symlinks=True)
    before = dump(store)

    result = load(project, store)

    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    assert "Network: test requires an acronym" in errors[0]
    offending = re.search(rf"<{re.escape(ID)}network/([a-z0-9-]+)>", errors[0])
    assert offending, errors[0]
    lacking = networks_without_acronym()
    assert offending[1] in lacking, (offending[1], lacking)
    assert dump(store) == before
    assert result.stderr.splitlines() == errors, result.stderr


def test_worker_processes_build_the_same_graph(
    loaded_twice: LoadedTwice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Big projects are read and built one fact file per worker process; the seed is small, so
    # the threshold is lowered to send its five fact files to two workers.
    monkeypatch.setattr(citynet.build.assemble, "PARALLEL_FROM", 0)
    monkeypatch.setattr(citynet.build.assemble.os, "cpu_count", lambda: 2)
    calls = []
    real = citynet.build.assemble.ProcessPoolExecutor
    monkeypatch.setattr(
        citynet.build.assemble, "ProcessPoolExecutor", lambda *a, **k: calls.append(a) or real(*a, **k)
    )
    api.load(SEEDS, tmp_path / "store")
    assert calls == [(2,)]
    assert dump(tmp_path / "store") == loaded_twice.dumps[0]


def test_an_error_in_a_worker_process_keeps_file_line_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(citynet.build.assemble, "PARALLEL_FROM", 0)
    monkeypatch.setattr(citynet.build.assemble.os, "cpu_count", lambda: 2)
    root = copy_project(tmp_path / "project")
    with (root / "graph" / "sources.yaml").open("a", encoding="utf-8") as register:
        register.write(NEW_SOURCE)
    (root / "graph" / NEW_FILE).write_text(
        fact(*HEAD, "    members:", "      - {city: Atlantis, country: FR, role: partner}"), encoding="utf-8"
    )
    with pytest.raises(PlaceError) as error:
        api.load(root, tmp_path / "store")
    where = (error.value.path, error.value.line, error.value.field)
    assert where == (str(root / "graph" / NEW_FILE), 6, "city")
    assert '"Atlantis"' in str(error.value)
    assert not (tmp_path / "store" / "current").exists()  # no version was made


def test_a_term_pyoxigraph_refuses_still_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last guard: should a check let a bad IRI through, pyoxigraph's ValueError becomes a
    FactError at the line of the network being written (line 3 of the file below)."""
    monkeypatch.setattr(citynet.sources.facts, "check_iri", lambda fields, key, text: text)  # the check, off
    root = copy_project(tmp_path / "project")
    with (root / "graph" / "sources.yaml").open("a", encoding="utf-8") as register:
        register.write(NEW_SOURCE)
    (root / "graph" / NEW_FILE).write_text(
        fact(*HEAD, "    website: https://bad.example/<x>"), encoding="utf-8"
    )
    with pytest.raises(FactError) as error:
        api.load(root, tmp_path / "store")
    assert (error.value.path, error.value.line) == (str(root / "graph" / NEW_FILE), 3)
    assert error.value.message.startswith("cannot be written as RDF: ")
