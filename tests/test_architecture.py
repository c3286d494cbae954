"""The package's layout: stages import only the same or earlier stages, no module imports in a circle,
no module is over 400 lines.

The stage order is the ``[tool.importlinter]`` layers contract in ``pyproject.toml``; import-linter
checks it here, so CI does too (``lint-imports`` runs the same check by hand).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import networkx as nx
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "citynet"
MAX_LINES = 400


def write_config(folder: Path, layers: list[str]) -> Path:
    """A config file holding one layers contract (TOML written by hand: tomllib only reads)."""
    listed = ", ".join(f'"{layer}"' for layer in layers)
    path = folder / "importlinter.toml"
    path.write_text(
        f'[tool.importlinter]\nroot_package = "citynet"\n\n[[tool.importlinter.contracts]]\n'
        f'name = "layers"\ntype = "layers"\nlayers = [{listed}]\n',
        encoding="utf-8",
    )
    return path


def read_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"][0]["layers"]


def test_stages_import_only_earlier_stages() -> None:
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_the_stage_check_fails_on_a_back_edge(tmp_path: Path) -> None:
    """The same check with the api below the stores: api imports the store, a back edge."""
    layers = read_layers()
    assert layers[:4] == [
        "citynet.entry",
        "citynet.cli",
        "citynet.api",
        "citynet.site | citynet.publish | citynet.review",
    ]
    swapped = [*layers[:2], *layers[3:-1], "citynet.api", layers[-1]]
    config = write_config(tmp_path, swapped)
    assert lint_imports(config_filename=str(config), no_cache=True, no_logo=True) == 1


def test_every_stage_is_in_the_contract() -> None:
    """A new folder or top-level module must take its place in the order."""
    listed = {name.strip() for layer in read_layers() for name in layer.split("|")}
    present = {
        f"citynet.{p.stem}"
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").is_file()) and not p.name.startswith("_")
    }
    assert present == listed


def find_circles(package: str) -> list[list[str]]:
    """Import circles between modules (a module importing itself is no circle)."""
    graph = grimp.build_graph(package)
    imports = nx.DiGraph(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if imported != module
    )
    return [sorted(cycle) for cycle in nx.simple_cycles(imports)]


def test_no_import_circle() -> None:
    assert find_circles("citynet") == []


def test_the_circle_check_finds_a_circle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "circled"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from circled import b\n")
    (package / "b.py").write_text("from circled import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert find_circles("circled") == [["circled.a", "circled.b"]]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_over_400_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES
