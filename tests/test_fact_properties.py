"""Property test: generated fact files, valid and mutated, never end in a traceback or a hang.

Fact files are generated from the schema :mod:`citynet.sources.facts` reads (the shapes of the seed files
in ``graph/``), then mutated: wrong types, missing and extra keys, hostile strings (control
characters, ``javascript:`` URLs, IRI-breaking characters), extreme numbers and dates, deep
nesting, anchors and aliases, raw YAML snippets. Each is loaded into a tiny project (one source,
one fact file) whose store already holds a good version, and ``citynet load`` must either exit 0
with a store that passes the shapes, or exit 1 with one ``Error:`` line and the old store intact.

The number of examples follows the hypothesis profile (tests/conftest.py: 25, 300 with CI=true);
``test_generated_fact_files_load_or_fail_in_one_line`` prints how many ran and how they ended.
"""

from __future__ import annotations

import copy
import shutil
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citynet.build.assemble import read_ontology, read_vocabulary
from citynet.cli import main
from citynet.store.folder import current_data_dir, store_version
from citynet.store.shacl import validate_store

from .conftest import ROOT

SOURCE = "prop-source"
REGISTER = f"sources:\n  - {{id: {SOURCE}, title: Generated facts, language: en}}\n"
VOCAB = read_vocabulary(read_ontology(ROOT / "ontology"))
CITIES = [("Bytom", "PL"), ("Celje", "SI"), ("Cesena", "IT"), ("Glasgow", "GB"), ("Granada", "ES")]
TIME_LIMIT = 60  # seconds per example: a hang fails the test instead of blocking it
OUTCOMES: Counter[str] = Counter()

# -- valid fact files, from the schema ------------------------------------------------------------

slugs = st.from_regex(r"\A[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}\Z")
texts = st.text(st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=30).filter(str.strip)
langs = st.sampled_from(["en", "pl", "sl", "lv", "lt", "de", "fr"])
years = st.integers(1990, 2030)


@st.composite
def dates(draw: st.DrawFn) -> str:
    year, month, day = draw(years), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    return draw(st.sampled_from([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"]))


def concepts(scheme: str) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(VOCAB[scheme]))


money = st.fixed_dictionaries(
    {
        "value": st.integers(0, 10**7) | st.decimals(0, 10**6, places=2).map(float),
        "currency": st.sampled_from(["EUR", "PLN"]),
    }
)
co_financing = st.fixed_dictionaries(
    {},
    optional={
        "rate": st.sampled_from([0.5, 0.8, 0.85, 1]),
        "up_to": st.booleans(),
        "fund": concepts("fund"),
        "amount": money,
    },
).filter(lambda d: "rate" in d or "amount" in d)
names = st.lists(st.fixed_dictionaries({"text": texts}, optional={"lang": langs}), min_size=1, max_size=3)
# what an importer adds to a member (issue 17): each key present or not
imported = st.fixed_dictionaries(
    {},
    optional={
        "nuts3": st.sampled_from(["PL22B", "ITH43", "SI043"]),
        "legal_status": st.sampled_from(["public", "private"]),
        "record": st.builds("Partners row {}".format, st.integers(2, 9000)),
        "website": st.sampled_from(["https://keep.eu/", "http://x.example/a"]),
    },
)
city_members = st.builds(
    lambda city, role, more: {"city": city[0], "country": city[1], "role": role, **more},
    st.sampled_from(CITIES),
    concepts("role"),
    imported,
)
org_members = st.builds(
    lambda slug, name, kind, role, town, more: {
        "organisation": slug,
        "name": name,
        "type": kind,
        "country": "PT",
        "role": role,
        **town,
        **more,
    },
    slugs,
    texts,
    concepts("organisation-type"),
    concepts("role"),
    st.sampled_from([{}, {"town": "Porto"}, {"town": "Braga", "geonames": 2742032}]),
    imported,
)


def unique_members(members: list[dict]) -> list[dict]:
    seen, kept = set(), []
    for member in members:
        key = member.get("organisation") or (member["city"], member["country"])
        if key not in seen:
            seen.add(key)
            kept.append(member)
    return kept


network = st.fixed_dictionaries(
    {"id": slugs, "names": names},
    optional={
        "acronym": texts,
        "programme": concepts("programme"),
        "type": concepts("network-type"),
        "duration": st.sampled_from(["P2Y6M", "P24M", "P6M"]),
        "budget": money,
        "co_financing": co_financing,
        "website": st.sampled_from(["https://urbact.eu/", "http://x.example/a"]),
        "themes": st.lists(concepts("theme"), max_size=3, unique=True),
        "declared": st.fixed_dictionaries(
            {}, optional={"partners": st.integers(0, 50), "countries": st.integers(0, 30)}
        ),
        "objective": st.dictionaries(langs, texts, max_size=2),
        "members": st.lists(city_members | org_members, max_size=4).map(unique_members),
        "start": dates(),
        "eu_funding": money,
        "funds": st.dictionaries(concepts("fund"), money, max_size=2),
        "record": st.builds("Projects (lead partners) row {}".format, st.integers(2, 2000)),
    },
)
fact_files = st.builds(
    lambda networks: {"source": SOURCE, "networks": networks},
    st.lists(network, min_size=1, max_size=2, unique_by=lambda n: n["id"]),
)

# -- mutations ------------------------------------------------------------------------------------

hostile = st.sampled_from(
    [
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "https://x.example/<script>",
        "https://a b/",
        'https://x.example/"{}|^`\\',
        "\x1b]52;c;aGFja2Vk\x07",
        "Bytom\x1b[2J",
        "line\rover",
        "\u202eevil",
        "",
        " ",
        "A" * 5000,
        "\uff12\uff10\uff11\uff15",
        "P\uff12Y",
        "en-abcdefghijk",
        "0000-00-00",
        "2015-02-30",
        "99999",
        "-5",
        "1e400",
        "NaN",
    ]
)
extreme = st.sampled_from(
    [
        -1,
        -5,
        0,
        10**30,
        2**63,
        1e308,
        float("inf"),
        float("-inf"),
        float("nan"),
        12345678901234567.89,
        True,
        False,
        None,
    ]
)
wrong_types = st.sampled_from([[], {}, ["a", "b"], {"a": 1}, [[["deep"]]], 3.5, 7])
leaves = hostile | extreme | wrong_types | texts


def deep(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


def paths(data: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every place in the nested data: dict keys and list indexes."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, (*prefix, index))


def replace_at(data: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    data = copy.copy(data)
    data[path[0]] = replace_at(data[path[0]], path[1:], value)
    return data


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A fact file, as YAML text, with zero to three mutations."""
    data: Any = draw(fact_files)
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):  # a third of the files stay valid
        places = list(paths(data))
        path = draw(st.sampled_from(places))
        kind = draw(st.sampled_from(["replace", "delete", "extra", "nest", "alias"]))
        target = data
        for step in path[:-1]:
            target = target[step]
        if kind == "replace":
            data = replace_at(data, path, draw(leaves))
        elif kind == "nest":
            data = replace_at(data, path, deep(draw(leaves), draw(st.sampled_from([3, 49, 60, 500]))))
        elif kind == "delete" and path and isinstance(target, dict):
            data = replace_at(data, path[:-1], {k: v for k, v in target.items() if k != path[-1]})
        elif kind == "extra" and isinstance(target, dict):
            data = replace_at(data, path[:-1], {**target, draw(texts | hostile): draw(leaves)})
        elif kind == "alias" and path:  # the same object twice: PyYAML writes an anchor and an alias
            shared = [draw(leaves)] * 3
            data = replace_at(data, path, [shared, shared])
    text = dump(data)
    snippet = draw(
        st.sampled_from(
            [
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "\t- x\n",
                "x: [" * 100 + "\n",
                "a: &a [1]\nb: *a\n",
                "networks: !!python/object/apply:os.system [id]\n",
                "source: [\n",
            ]
        )
    )
    return text + snippet


def dump(data: Any) -> str:
    """YAML text; what safe_dump cannot write (NaN keys, huge nesting) still ends as some text."""
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    except (yaml.YAMLError, RecursionError, ValueError):
        return "source: " + SOURCE + "\nnetworks: " + repr(data)[:10000] + "\n"


# -- the project and the check --------------------------------------------------------------------


class TimedOut(BaseException):  # not an Exception: nothing in citynet may catch it
    pass


def time_out(signum: int, frame: object) -> None:
    raise TimedOut(f"no answer within {TIME_LIMIT} s")


def make_project(root: Path) -> Path:
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "graph").mkdir()
    (root / "graph" / "sources.yaml").write_text(REGISTER, encoding="utf-8")
    shutil.copy(ROOT / "graph" / "places.yaml", root / "graph" / "places.yaml")
    return root


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A one-source project and a store holding its good version."""
    root = make_project(tmp_path_factory.mktemp("tiny"))
    member = {"city": "Celje", "country": "SI", "role": "partner"}
    good = {
        "source": SOURCE,
        "networks": [{"id": "good-net", "names": [{"text": "Good"}], "members": [member]}],
    }
    (root / "graph" / f"{SOURCE}.yaml").write_text(yaml.safe_dump(good), encoding="utf-8")
    store = root / "template-store"
    result = CliRunner().invoke(main, ["load", "--root", str(root), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return root, store


def load_once(root: Path, template: Path, text: str) -> str:
    """Load the text as the fact file; check the outcome; return it ('loaded' or 'refused')."""
    (root / "graph" / f"{SOURCE}.yaml").write_text(text, encoding="utf-8")
    store = root / "store"
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(template, store, symlinks=True)
    before = (store_version(store), sorted(p.name for p in store.iterdir()))
    previous = signal.signal(signal.SIGALRM, time_out)
    signal.alarm(TIME_LIMIT)
    try:
        result = CliRunner().invoke(main, ["load", "--root", str(root), "--store", str(store)])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert isinstance(result.exception, SystemExit | None), repr(result.exception)
    assert "Traceback" not in result.stderr
    if result.exit_code == 0:
        validate_store(ox.Store.read_only(str(current_data_dir(store))), root / "ontology" / "shapes.ttl", {})
        return "loaded"
    lines = result.stderr.splitlines()
    assert result.exit_code == 1, result.stderr
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert (store_version(store), sorted(p.name for p in store.iterdir())) == before
    return "refused"


def run_examples(root: Path, template: Path, **more: Any) -> None:
    """Run the generated examples (as many as the profile says, or ``more``'s max_examples)."""
    OUTCOMES.clear()

    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], **more)
    @given(mutated())
    def check(text: str) -> None:
        OUTCOMES[load_once(root, template, text)] += 1

    check()


def test_generated_fact_files_load_or_fail_in_one_line(tiny: tuple[Path, Path], capsys) -> None:
    run_examples(*tiny)
    with capsys.disabled():
        print(
            f"\n{sum(OUTCOMES.values())} generated fact files: {OUTCOMES['loaded']} loaded, "
            f"{OUTCOMES['refused']} refused in one line, 0 tracebacks, 0 hangs"
        )
    assert sum(OUTCOMES.values()) > 0


@pytest.mark.slow
def test_many_generated_fact_files(tiny: tuple[Path, Path], capsys) -> None:
    """A longer run: 2000 examples, about five minutes."""
    run_examples(*tiny, max_examples=2000)
    with capsys.disabled():
        print(
            f"\n{sum(OUTCOMES.values())} generated fact files: {OUTCOMES['loaded']} loaded, "
            f"{OUTCOMES['refused']} refused in one line, 0 tracebacks, 0 hangs"
        )
    assert sum(OUTCOMES.values()) > 1000


def test_a_valid_file_loads(tiny: tuple[Path, Path]) -> None:
    """The generator's unmutated files are valid: the check would catch a file that wrongly fails."""
    root, template = tiny
    text = yaml.safe_dump(
        {
            "source": SOURCE,
            "networks": [
                {
                    "id": "n",
                    "names": [{"text": "Kraków 2020", "lang": "pl"}],
                    "website": "https://urbact.eu/",
                    "budget": {"value": 72075, "currency": "EUR"},
                    "members": [{"city": "Bytom", "country": "PL", "role": "lead-partner"}],
                }
            ],
        }
    )
    assert load_once(root, template, text) == "loaded"
