"""The version is written once, in pyproject.toml, and every place that shows it agrees."""

from __future__ import annotations

import tomllib

from click.testing import CliRunner

import citynet
from citynet.cli import main

from .conftest import ROOT


def read_project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def test_the_package_has_the_projects_version() -> None:
    assert citynet.__version__ == read_project_version()


def test_citynet_version_prints_it() -> None:
    result = CliRunner().invoke(main, ["--version"], prog_name="citynet")
    assert result.exit_code == 0
    assert result.stdout == f"citynet, version {read_project_version()}\n"
