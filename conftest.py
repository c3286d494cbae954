"""The project every test and doctest works on, and the doctests' ``reader``.

``SEEDS`` is a copy of the checkout's project without ``graph/imported/`` (the keep.eu and URBACT
pages imports of the bundled graph): the five seed pages, whose figures tests and examples show.
It is made once per test process and named by ``CITYNET_PROJECT``, so a command run without
``--project`` works on it too; ``tests/conftest.py`` reads it from there. Doctests get ``reader``:
the seed graph in a temporary store, loaded on first use.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from _pytest.doctest import DoctestItem

from citynet import api

CHECKOUT = Path(__file__).resolve().parent
LEFT_OUT = shutil.ignore_patterns("enrichment", "imported")  # made by commands; the bundled imports


def make_seeds_project() -> Path:
    """A copy of the checkout's project holding the seed pages only, removed when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="citynet-seeds-"))
    atexit.register(shutil.rmtree, folder, True)
    for name in ("graph", "ontology", "queries"):
        shutil.copytree(CHECKOUT / name, folder / name, ignore=LEFT_OUT)
    return folder


SEEDS = make_seeds_project()
os.environ["CITYNET_PROJECT"] = str(SEEDS)


@pytest.fixture(scope="session")
def seed_reader(tmp_path_factory: pytest.TempPathFactory) -> api.Reader:
    path = tmp_path_factory.mktemp("doctest-seed") / "store"
    api.load(SEEDS, path)
    return api.open_reader(path)


@pytest.fixture(autouse=True)
def add_reader(request: pytest.FixtureRequest, doctest_namespace: dict) -> None:
    """Give the doctests of the network modules a reader on the seed graph."""
    if isinstance(request.node, DoctestItem) and request.node.name.startswith(
        ("citynet.graphs.network", "citynet.graphs.metrics", "citynet.graphs.export")
    ):
        doctest_namespace["reader"] = request.getfixturevalue("seed_reader")
