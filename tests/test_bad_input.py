"""The bad-input corpus, ``tests/bad_input/facts/``: every case gives one line, exit 1, the store untouched.

Each case is one file whose first lines say what it expects (see ``tests/bad_input/README.md``):
``# expect: TEXT`` (the one error line must contain it), ``# file: graph/...`` (where the case
goes; by default ``graph/bad-input.yaml``, a fact file of the registered source ``bad-input``),
``# make: fifo | folder | link /dev/zero | link-outside | link-loop`` (what is put there instead of
the file) and ``# run: subprocess`` (a case that used to hang: run as a process with a time limit).
The others run in-process with click's CliRunner, a fraction of a second each.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from citynet.cli import main
from citynet.store.folder import store_version

from .conftest import ROOT, copy_project

CORPUS = Path(__file__).parent / "bad_input" / "facts"
README = CORPUS.parent / "README.md"
DEFAULT_FILE = "graph/bad-input.yaml"
REGISTER_ENTRY = "  - {id: bad-input, title: Bad input for the tests, language: en}\n"
SECRET = "root-SECRET-NOT-TO-BE-SHOWN"  # a YAML key: read as a fact file, it would be echoed
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
TIME_LIMIT = 60  # seconds for a subprocess case; each finishes in about 4


@dataclass(frozen=True)
class Case:
    path: Path
    expect: str
    file: str
    make: str | None
    subprocess: bool


def read_case(path: Path) -> Case:
    """A corpus file's header comments: ``# key: value`` lines at its top."""
    header: dict[str, str] = {}
    for line in path.read_bytes().decode("utf-8", errors="replace").splitlines():
        found = re.match(r"# (expect|file|make|run): (.*)$", line)
        if not found:
            break
        header[found.group(1)] = found.group(2)
    return Case(
        path,
        header["expect"],
        header.get("file", DEFAULT_FILE),
        header.get("make"),
        header.get("run") == "subprocess",
    )


CASES = [read_case(p) for p in sorted(CORPUS.iterdir())]


def place(case: Case, root: Path, outside: Path) -> None:
    """Put the case into the project copy at ``root``."""
    target = root / case.file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    if case.file == DEFAULT_FILE:
        with (root / "graph" / "sources.yaml").open("a", encoding="utf-8") as register:
            register.write(REGISTER_ENTRY)
    if case.make is None:
        target.write_bytes(case.path.read_bytes())
    elif case.make == "fifo":
        os.mkfifo(target)
    elif case.make == "folder":
        target.mkdir()
    elif case.make.startswith("link "):
        target.symlink_to(case.make.removeprefix("link "))
    elif case.make == "link-outside":
        secret = outside / "shadow"
        secret.write_text(f"{SECRET}: x\n", encoding="utf-8")
        target.symlink_to(secret)
    elif case.make == "link-loop":
        target.symlink_to(target)
    else:
        raise AssertionError(f"unknown make: {case.make}")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seed graph, copied for each case."""
    root = copy_project(tmp_path_factory.mktemp("good"))
    store = root / "store"
    result = CliRunner().invoke(main, ["load", "--root", str(root), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def snapshot(store: Path) -> tuple[str, list[str]]:
    """What must not change: the version in use and the store folder's entries."""
    return store_version(store), sorted(p.name for p in store.iterdir())


def run_load(case: Case, root: Path, store: Path) -> tuple[int, str]:
    """Exit code and stderr of ``citynet load`` on the project."""
    args = ["load", "--root", str(root), "--store", str(store)]
    if case.subprocess:
        done = subprocess.run(
            [sys.executable, "-m", "citynet", *args],
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT,
            cwd=ROOT,
            check=False,
        )
        return done.returncode, done.stderr
    result = CliRunner().invoke(main, args)
    assert isinstance(result.exception, SystemExit | None), result.exception
    return result.exit_code, result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.path.name for c in CASES])
def test_bad_input_gives_one_line(case: Case, template: Path, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    outside = tmp_path / "outside"
    outside.mkdir()
    place(case, root, outside)
    store = root / "store"
    shutil.copytree(template, store, symlinks=True)
    before = snapshot(store)

    code, stderr = run_load(case, root, store)

    assert code == 1, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: ")
    assert case.expect in lines[0]
    assert not RAW_CONTROL.search(lines[0])  # an escape sequence never reaches the terminal raw
    assert SECRET not in stderr
    assert snapshot(store) == before


def test_the_readme_counts_the_cases() -> None:
    text = README.read_text(encoding="utf-8")
    assert f"{len(CASES)} cases" in text
    assert len(CASES) >= 40


# -- what reaches the terminal: control characters, Ctrl-C, a full disk, a closed pipe, a bug -------

OSC52 = "\x1b]52;c;aGFja2Vk\x07"  # "write 'hacked' to the clipboard", as a terminal reads it


def test_an_error_line_shows_control_characters_as_escapes(tmp_path: Path) -> None:
    store = tmp_path / f"store{OSC52}\r"
    result = CliRunner().invoke(main, ["dump", "--store", str(store)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert not RAW_CONTROL.search(result.stderr.rstrip("\n"))
    assert "store\\x1b]52;c;aGFja2Vk\\x07\\r" in result.stderr


def test_a_table_shows_control_characters_as_escapes() -> None:
    from citynet.query.output import format_table

    table = format_table(["name\x1b[2J"], [{"name\x1b[2J": f"Bytom{OSC52}"}, {"name\x1b[2J": "\u202eevil"}])
    assert not RAW_CONTROL.search(table.replace("\n", ""))
    assert table.splitlines() == [
        "name\\x1b[2J",
        "-" * 27,
        "Bytom\\x1b]52;c;aGFja2Vk\\x07",
        "\\u202eevil",
        "(2 rows)",
    ]


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("citynet.api.load", interrupted)
    result = CliRunner().invoke(main, ["load", "--store", str(tmp_path / "store")])
    assert (result.exit_code, result.stderr) == (130, "Error: interrupted\n")


def test_a_bug_is_one_line_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("unsupported operand\nsecond line")

    monkeypatch.setattr("citynet.api.load", broken)
    result = CliRunner().invoke(main, ["load", "--store", str(tmp_path / "store")])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: internal error (TypeError: unsupported operand\\nsecond line) - please report\n"
    )


def test_a_full_disk_on_stdout_is_one_line(template: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "citynet", "dump", "--store", str(template)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=TIME_LIMIT,
            check=False,
        )
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("Error: ")
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr


def test_a_closed_pipe_is_a_quiet_exit(template: Path) -> None:
    """`citynet dump | head -c 10`: the dump (hundreds of kB) outgrows the pipe; nothing on stderr."""
    with subprocess.Popen(
        [sys.executable, "-m", "citynet", "dump", "--store", str(template)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert len(process.stdout.read(10)) == 10
        process.stdout.close()
        stderr = process.stderr.read()
        assert process.wait(timeout=TIME_LIMIT) == 1
    assert stderr == b""
