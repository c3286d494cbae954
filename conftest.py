"""Doctests get ``reader``: the seed graph in a temporary store, loaded on first use."""

from __future__ import annotations

import pytest
from _pytest.doctest import DoctestItem

from citynet import api


@pytest.fixture(scope="session")
def seed_reader(tmp_path_factory: pytest.TempPathFactory) -> api.Reader:
    path = tmp_path_factory.mktemp("doctest-seed") / "store"
    api.load(api.ROOT, path)
    return api.open_reader(path)


@pytest.fixture(autouse=True)
def add_reader(request: pytest.FixtureRequest, doctest_namespace: dict) -> None:
    """Give the doctests of the network modules a reader on the seed graph."""
    if isinstance(request.node, DoctestItem) and request.node.name.startswith(
        ("citynet.graphs.network", "citynet.graphs.metrics", "citynet.graphs.export")
    ):
        doctest_namespace["reader"] = request.getfixturevalue("seed_reader")
