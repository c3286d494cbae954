"""The citynet command, driven as a user would: help, load, dump, errors; one api function per command.

The commands run in this process (:func:`tests.conftest.invoke`); ``load.py`` and ``python -m citynet``
are processes under test and run as such.
"""

from __future__ import annotations

import ast
import itertools
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from rdflib import Dataset, Graph

from citynet import api
from citynet.cli import main
from citynet.errors import CitynetError

from .conftest import ROOT, invoke

COMMANDS = sorted(main.commands)
PACKAGE = ROOT / "citynet"


def list_commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command as the words that call it: ("query",), ("enrich", "wikidata"), …; a group that runs
    itself (``citynet review``) as well as its sub-commands (``citynet review accept``)."""
    found = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += [(*prefix, name)] if command.invoke_without_command else []
            found += list_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


# What each command needs besides its options' defaults, to reach its api function.
ARGUMENTS = {
    "query": ["partners"],
    "sparql": ["ASK {}"],
    "find": ["Kraków"],
    "push": ["--endpoint", "http://127.0.0.1:9/query"],
    "export": ["city-city", "-o", "unused.graphml"],
    "visualize": ["-o", "unused-site"],
    "publish": ["-o", "unused-publication"],
    "import_keep_eu": [str(Path(__file__))],  # any existing file: the api function is replaced
    "import_table": [str(Path(__file__)), "--mapping", str(Path(__file__))],
    "review_accept": ["some-proposal"],
    "extract": [str(Path(__file__))],  # any existing file: the api function is replaced
}


def test_every_command_is_one_api_verb() -> None:
    assert ["_".join(words).replace("-", "_") for words in list_commands()] == sorted(api.VERBS)


@pytest.mark.parametrize("words", list_commands(), ids=" ".join)
def test_every_command_calls_its_api_function(
    words: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    verb = "_".join(words).replace("-", "_")  # `citynet import keep-eu` is import_keep_eu

    def called(*args: object, **kwargs: object) -> None:
        raise CitynetError(f"{verb} was called")

    monkeypatch.setattr(api, verb, called)
    result = invoke(*words, *ARGUMENTS.get(verb, []), store=tmp_path / "store", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", f"Error: {verb} was called\n")


def imported_modules(path: Path) -> set[str]:
    """The citynet modules a file imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("citynet")}


@pytest.mark.parametrize("path", sorted((PACKAGE / "cli").glob("*.py")), ids=lambda p: p.name)
def test_the_command_line_reaches_only_the_api(path: Path) -> None:
    allowed = {"citynet", "citynet.api", "citynet.errors", "citynet.cli", "citynet.cli.common"}
    assert imported_modules(path) <= allowed


def test_the_reach_check_sees_a_deeper_import(tmp_path: Path) -> None:
    path = tmp_path / "bad.py"
    path.write_text("from citynet.store.embedded import EmbeddedStore\nfrom citynet import api\n")
    assert imported_modules(path) == {"citynet.store.embedded", "citynet"}


WRITES = re.compile(r"ox\.Store\((?!\))|\.bulk_\w+\(|store\.update\(|\.backup\(")


def test_only_the_embedded_store_writes() -> None:
    """One writer: the store is opened for writing, bulk-loaded, updated only in store/embedded.py."""
    writers = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if WRITES.search(path.read_text(encoding="utf-8"))
    }
    assert writers == {"store/embedded.py"}


def test_the_commands_are_there() -> None:
    assert set(COMMANDS) >= {"load", "dump", "queries", "query", "sparql"}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = invoke(command, "--help")
    assert result.returncode == 0
    assert "Example:" in result.stdout
    assert f"citynet {command}" in result.stdout


def list_leaf_commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    """Every command that runs something, by its path: ``load``, ``enrich wikidata``…"""
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found.update({f"{prefix}{name}": command} if command.invoke_without_command else {})
            found.update(list_leaf_commands(command, f"{prefix}{name} "))
        else:
            found[f"{prefix}{name}"] = command
    return found


def read_readme_commands() -> dict[str, str]:
    """The README's table of commands: each row's command path and its first cell, e.g.
    ``"enrich wikidata": "citynet enrich wikidata [--endpoint URL]"``."""
    rows = {}
    for cell in re.findall(
        r"^\| `(citynet [^`]*)`", (ROOT / "README.md").read_text(encoding="utf-8"), re.MULTILINE
    ):
        words = cell.split()[1:]
        rows[" ".join(itertools.takewhile(lambda w: re.fullmatch(r"[a-z][a-z-]*", w), words))] = cell
    return rows


LEAF_COMMANDS = list_leaf_commands(main)


def test_the_readme_table_lists_exactly_the_commands() -> None:
    assert sorted(read_readme_commands()) == sorted(LEAF_COMMANDS)


@pytest.mark.parametrize("path", sorted(LEAF_COMMANDS))
def test_the_readme_shows_only_real_options(path: str) -> None:
    options = {opt for param in LEAF_COMMANDS[path].params for opt in [*param.opts, *param.secondary_opts]}
    shown = set(re.findall(r"--[a-z][a-z-]*", read_readme_commands()[path]))
    assert shown <= options, shown - options


def test_load_prints_what_it_loaded(tmp_path: Path) -> None:
    result = invoke("load", "--store", str(tmp_path / "s"))
    assert result.returncode == 0, result.stderr
    # 15 networks: 9 (Silesian page) + Cities@Heart + Cities of change + USER, URB-INCLUSION
    # + RURAL, The Playful Paradigm; 43 memberships: 19 + 10 + 2 + 10 + 2.
    assert "15 networks, 37 cities, 2 organisations, 43 memberships, 5 sources" in result.stdout
    assert result.stderr == ""  # progress only on a terminal


def test_load_py_is_citynet_load(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "load.py", "--store", str(tmp_path / "s")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "43 memberships" in result.stdout


def test_store_from_environment(tmp_path: Path) -> None:
    store = tmp_path / "env-store"
    assert invoke("load", store=store).returncode == 0
    assert (store / ".citynet-store").is_file() and (store / "current").is_symlink()


@pytest.mark.parametrize(
    ("fmt", "parse_as", "dataset"),
    [
        ("trig", "trig", True),
        ("nquads", "nquads", True),
        ("turtle", "turtle", False),
        ("ntriples", "nt", False),
    ],
)
def test_dump_formats_parse(seed_store: Path, tmp_path: Path, fmt: str, parse_as: str, dataset: bool) -> None:
    out = tmp_path / f"dump.{fmt}"
    result = invoke("dump", "--format", fmt, "-o", str(out), store=seed_store)
    assert result.returncode == 0, result.stderr
    parsed = Dataset() if dataset else Graph()
    parsed.parse(out, format=parse_as)
    if dataset:
        graphs = {str(g.identifier) for g in parsed.graphs() if len(g)}
        assert "https://w3id.org/citynet/id/source/krakow-urb-inclusion" in graphs
        assert "https://w3id.org/citynet/id/graph/gazetteer" in graphs
    assert len(parsed) > 1000


def test_a_missing_store_is_one_clear_line(tmp_path: Path) -> None:
    result = invoke("query", "networks", store=tmp_path / "nowhere")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f'Error: no store at "{tmp_path / "nowhere"}" - run `citynet load` first'
    ]


def test_an_unknown_query_suggests_names(seed_store: Path) -> None:
    result = invoke("query", "partner", store=seed_store)
    assert result.returncode == 1
    assert result.stderr.startswith('Error: unknown query "partner" - did you mean: partners')


def test_a_missing_parameter_is_named(seed_store: Path) -> None:
    result = invoke("query", "partners", store=seed_store)
    assert result.returncode == 1
    assert result.stderr.startswith('Error: query "partners" needs --param network=')


def test_queries_lists_summaries_and_parameters() -> None:
    result = invoke("queries")
    assert result.returncode == 0
    assert "partners: The members of one network" in result.stdout
    assert "--param network=<network>" in result.stdout


def test_python_m_citynet_runs_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "citynet", "queries"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "partners: The members of one network" in result.stdout
