"""Shared fixtures: the seed graph loaded once into a temporary store.

The tests' project is ``SEEDS``, made by the checkout's ``conftest.py`` (the seed pages without the
bundled imports) and named by ``CITYNET_PROJECT``. Tests of the bundled graph name ``--project ROOT``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings

from citynet import api
from citynet.cli import main
from citynet.store.embedded import EmbeddedStore

from .browser import offline_page

ROOT = Path(__file__).resolve().parents[1]
CITYNET = [sys.executable, "-m", "citynet"]
SEEDS = Path(os.environ["CITYNET_PROJECT"])  # set by the checkout's conftest.py
# ../shared beside the checkout (the seeds, the exports, the extraction pages); CITYNET_SHARED names
# another, for a checkout elsewhere (a worktree).
SHARED = Path(os.environ.get("CITYNET_SHARED") or ROOT.parent / "shared")
LEFT_OUT = shutil.ignore_patterns("enrichment", "imported")


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the seed graph, loaded through the API."""
    path = tmp_path_factory.mktemp("seed") / "store"
    api.load(SEEDS, path)
    return path


@pytest.fixture(scope="session")
def extractor() -> Any:
    """The extractor as ``citynet extract`` starts it before a first load: the fact files' networks."""
    from citynet.extract.pipeline import start_extractor
    from citynet.extract.registry import read_registry_files

    return start_extractor(ROOT, read_registry_files(ROOT / "graph"))


@pytest.fixture(scope="module")
def site(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed graph's site, written by the real command (once per test module that asks)."""
    folder = tmp_path_factory.mktemp("site") / "site"
    result = invoke("visualize", "-o", str(folder), store=seed_store)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def browser(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any]]:
    """One offline Chromium page for a module's browser tests: (page, watch), the page as wide as
    the module's ``BROWSER_WIDTH`` (default 1400 pixels)."""
    (ROOT / ".pytest-artifacts").mkdir(exist_ok=True)
    with offline_page(getattr(request.module, "BROWSER_WIDTH", 1400)) as (page, watch):
        yield page, watch


@pytest.fixture(scope="session")
def seed(seed_store: Path) -> EmbeddedStore:
    return EmbeddedStore.open(seed_store)


def run_cli(
    *args: str, store: Path | None = None, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run the real ``citynet`` command; returns the finished process (text output)."""
    env = {**os.environ, **(env or {})}
    if store is not None:
        env["CITYNET_STORE"] = str(store)
    return subprocess.run([*CITYNET, *args], capture_output=True, text=True, env=env, cwd=cwd, check=False)


def invoke(
    *args: str, store: Path | None = None, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run ``citynet ARGS`` in this process (click's CliRunner): what :func:`run_cli` returns, without
    starting Python. For commands whose process is not under test: a stopped query ends its process
    (``os._exit``), so timeouts, Ctrl-C and kills stay with :func:`run_cli`."""
    env = {**(env or {}), **({"CITYNET_STORE": str(store)} if store is not None else {})}
    with contextlib.chdir(cwd):
        result = CliRunner().invoke(main, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a traceback escaped the command: the test fails with it
    return subprocess.CompletedProcess(["citynet", *args], result.exit_code, result.stdout, result.stderr)


def copy_project(target: Path) -> Path:
    """A copy of the project's ontology/ and graph/ folders."""
    for name in ("ontology", "graph"):
        shutil.copytree(ROOT / name, target / name, ignore=LEFT_OUT)
    return target


def add_source(root: Path, entry: str, source: str, facts: str) -> None:
    """Register a source (``entry`` is its YAML flow mapping) and write its fact file."""
    with (root / "graph" / "sources.yaml").open("a", encoding="utf-8") as register:
        register.write(f"  - {entry}\n")
    (root / "graph" / f"{source}.yaml").write_text(facts, encoding="utf-8")


TEST_FACTS = (
    "source: test-source\n"
    "networks:\n"
    "  - id: test-net\n"
    "    names: [{text: Test Net, lang: en}]\n"
    "    programme: urbact-iii\n"
    "    type: transfer-network\n"
    "    members:\n"
    "      - {city: Leoben, country: AT, role: lead-partner}\n"
    "      - {city: Celje, country: SI, role: partner}\n"
)


def add_test_source(root: Path) -> None:
    """Add one source stating one network more (Test Net: Leoben leads, Celje partners)."""
    add_source(root, "{id: test-source, title: Test source, language: en}", "a-test", TEST_FACTS)


# Hypothesis: a few examples in the default loop, a longer run in CI (CI=true).
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


# Markers by what a test needs: a real server it starts (`server`) or Chromium (`browser`). A bare
# `pytest` leaves them out with the slow ones (pyproject's addopts); scripts/test.sh and CI run all.
SERVER_FIXTURES = {
    "server",
    "oxigraph",
    "virtuoso",
    "oxigraph_server",
    "writable_server",
    "wikidata",
    "enriched",
    "apache",
}
SERVER_MODULES = {"test_serve"}  # every test there starts `citynet serve`


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        function = getattr(item, "function", None)
        module = item.module.__name__.rsplit(".", 1)[-1] if getattr(item, "module", None) else ""
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())) or module in SERVER_MODULES:
            item.add_marker(pytest.mark.server)
        uses_page = function is not None and "offline_page" in function.__code__.co_names
        if uses_page or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
