"""docs/cli.md is the ``--help`` of every command as it is now (``scripts/cli_reference.py --check``)."""

from __future__ import annotations

import doctest
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT


def import_script() -> ModuleType:
    """scripts/cli_reference.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return import_script()


def test_docs_cli_md_is_up_to_date(script: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    code = script.main(["--check"])
    assert code == 0, capsys.readouterr().err


def test_every_command_has_a_section(script: ModuleType) -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert sections == [
        "citynet",
        "citynet analyze",
        "citynet dump",
        "citynet enrich",
        "citynet enrich wikidata",
        "citynet export",
        "citynet extract",
        "citynet find",
        "citynet import",
        "citynet import keep-eu",
        "citynet import table",
        "citynet load",
        "citynet publish",
        "citynet push",
        "citynet queries",
        "citynet query",
        "citynet review",
        "citynet review accept",
        "citynet serve",
        "citynet sparql",
        "citynet visualize",
    ]


def test_a_stale_reference_fails_the_check(
    script: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text(script.render_reference().replace("--top INTEGER RANGE", "--top N"), encoding="utf-8")
    assert script.main(["--check", "-o", str(stale)]) == 1
    assert capsys.readouterr().err == (
        f"{stale} is out of date - run: .venv/bin/python scripts/cli_reference.py\n"
    )
    assert script.main(["--check", "-o", str(tmp_path / "missing.md")]) == 1


def test_writing_it_makes_the_check_pass(script: ModuleType, tmp_path: Path) -> None:
    assert script.main(["-o", str(tmp_path / "cli.md")]) == 0
    assert script.main(["--check", "-o", str(tmp_path / "cli.md")]) == 0
    assert (tmp_path / "cli.md").read_bytes() == (ROOT / "docs" / "cli.md").read_bytes()


def test_the_scripts_doctests_pass(script: ModuleType) -> None:
    result = doctest.testmod(script)
    assert (result.failed, result.attempted) == (0, 2)
