"""The wheel built from the checkout works where no checkout is: in a fresh virtualenv, in an empty folder.

The wheel is built with ``pip wheel --no-deps`` (hatchling, fetched by pip's build isolation) and
installed with its dependencies, pinned by ``constraints.txt``, into a new virtualenv, from the
package index pip is configured with (or its cache). The commands then run in an empty folder
with no ``CITYNET_*`` variable, so only the data inside the wheel can answer.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import click
import pytest

from citynet.cli import main

from .conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.wheel]

Installed = tuple[Path, dict[str, str]]  # the venv's citynet command, the environment to run it in


def list_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and sub-command, as the words that call it: ``("enrich", "wikidata")``."""
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(list_commands(command, (*prefix, name)))
    return found


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, check=False, timeout=900
    )
    assert done.returncode == 0, f"{args}: {done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The ``citynet`` command of a fresh virtualenv holding the wheel, and the environment to run it."""
    base = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", ROOT, "-w", base / "dist", cwd=base)
    wheel = next((base / "dist").glob("citynet-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in (
        "citynet/_data/ontology/citynet.ttl",
        "citynet/_data/ontology/shapes.ttl",
        "citynet/_data/graph/sources.yaml",
        "citynet/_data/queries/partners.rq",
        "citynet/site/templates/page.html",
        "citynet/site/vendor/world-atlas/countries-50m.json",
        "citynet/graphs/sparql/memberships.rq",
        "citynet/sources/sparql/wikidata-lookup.rq",
        "citynet/rdf/cn.py",
    ):
        assert shipped in names
    run(sys.executable, "-m", "venv", base / "venv", cwd=base)
    python = base / "venv" / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "-c", ROOT / "constraints.txt", wheel, cwd=base)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CITYNET_", "PYTHON", "VIRTUAL_ENV"))}
    return base / "venv" / "bin" / "citynet", env


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_the_installed_package_is_not_the_checkout(installed: Installed, empty: Path) -> None:
    citynet, env = installed
    python = citynet.with_name("python")
    done = run(python, "-c", "import citynet.project as p; print(p.find_shipped())", cwd=empty, env=env)
    assert done.stdout.strip().endswith("site-packages/citynet/_data")


def test_load_query_visualize_in_an_empty_folder(installed: Installed, empty: Path) -> None:
    citynet, env = installed
    loaded = run(citynet, "load", cwd=empty, env=env)
    assert loaded.stdout.startswith("Loaded .citynet/store: "), loaded.stderr  # the bundled graph
    rows = run(
        citynet, "query", "partners", "--param", "network=REFILL", "--format", "csv", cwd=empty, env=env
    )
    # keep.eu's URBACT III partnerships: REFILL's lead partner is Ghent (Gent, GeoNames 2797656).
    lead = "https://w3id.org/citynet/id/network/refill,https://w3id.org/citynet/id/city/2797656,Gent,city,lead partner,BE"  # noqa: E501
    assert rows.stdout.splitlines()[1].startswith(lead)
    listed = run(citynet, "queries", cwd=empty, env=env)
    assert listed.stdout.startswith("active-in: Networks active in a given year")
    assert "\npartners: " in listed.stdout
    run(citynet, "visualize", cwd=empty, env=env)
    assert (empty / "site" / "index.html").is_file()
    assert (empty / "site" / "lib" / "citynet.js").is_file()


def test_a_folder_with_its_own_graph_loads_that(installed: Installed, tmp_path: Path) -> None:
    """Only the register and pins: a project with no fact files loads an empty graph of 5 sources."""
    citynet, env = installed
    own = tmp_path / "own"
    (own / "graph").mkdir(parents=True)
    for name in ("sources.yaml", "places.yaml"):
        (own / "graph" / name).write_bytes((ROOT / "graph" / name).read_bytes())
    loaded = run(citynet, "load", cwd=own, env=env)
    assert " 0 networks, 0 cities, " in loaded.stdout
    again = run(citynet, "load", "--project", SEEDS, "--store", tmp_path / "store", cwd=own, env=env)
    assert " 15 networks, 37 cities, " in again.stdout


def test_the_bundled_project_is_not_written_to(installed: Installed, empty: Path) -> None:
    citynet, env = installed
    done = subprocess.run(
        [str(citynet), "enrich", "wikidata", "--endpoint", "http://127.0.0.1:9/sparql"],
        capture_output=True,
        text=True,
        cwd=empty,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith('Error: the project "')
    assert done.stderr.endswith(
        '/site-packages/citynet/_data" is inside the installed package and is not '
        "written to - run the command in a folder with its own graph/, "
        "or give --project DIR\n"
    )


@pytest.mark.parametrize("words", list_commands(main), ids=" ".join)
def test_every_command_has_help(installed: Installed, empty: Path, words: tuple[str, ...]) -> None:
    citynet, env = installed
    done = run(citynet, *words, "--help", cwd=empty, env=env)
    assert done.stdout.startswith(f"Usage: citynet {' '.join(words)} ")
