"""Where a project's files are: facts (``graph/``), ontology (``ontology/``), named queries (``queries/``).

A project folder is chosen in this order, the first that applies wins:

1. ``--project DIR`` (``--root DIR`` is its older name);
2. ``$CITYNET_PROJECT``;
3. the current folder, if it has a ``graph/`` folder of its own;
4. the files citynet ships: the checkout's top-level folders when citynet runs from a checkout,
   else the copy bundled in the installed package (``citynet/_data/``, put there when the wheel
   is built).

A project without ``ontology/`` or ``queries/`` folders uses the shipped ones, so a folder holding
only ``graph/`` is a whole project.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> find_project(cwd=folder, env={}) == Project.at(find_shipped())     # an empty folder
True
>>> (folder / "graph").mkdir()
>>> mine = find_project(cwd=folder, env={})
>>> mine.graph_dir == folder / "graph", mine.ontology_dir == find_shipped() / "ontology"
(True, True)
>>> find_project(folder / "nowhere", env={})  # doctest: +ELLIPSIS
Traceback (most recent call last):
citynet.errors.ProjectError: project "..." has no graph/ folder - give a folder that holds the fact files
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from citynet.errors import ProjectError

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent  # the checkout's top level, when citynet runs from one
BUNDLED = PACKAGE / "_data"  # the installed package's copy of graph/, ontology/, queries/
ENV = "CITYNET_PROJECT"


def find_shipped() -> Path:
    """The folder holding the files citynet ships: the installed copy, else the checkout.

    >>> (find_shipped() / "ontology" / "citynet.ttl").is_file()
    True
    """
    return BUNDLED if (BUNDLED / "graph").is_dir() else CHECKOUT


def pick_folder(root: Path, name: str) -> Path:
    """``root/name`` if it is a folder, else the shipped one."""
    own = root / name
    return own if own.is_dir() else find_shipped() / name


@dataclass(frozen=True)
class Project:
    """Where a citynet project's files are."""

    root: Path
    graph_dir: Path
    ontology_dir: Path
    queries_dir: Path

    @classmethod
    def at(cls, root: Path) -> Project:
        """The project rooted at ``root``: its ``graph/``; its own or the shipped ontology and queries."""
        return cls(root, root / "graph", pick_folder(root, "ontology"), pick_folder(root, "queries"))


def find_project(
    option: Path | str | None = None, env: Mapping[str, str] = os.environ, cwd: Path | None = None
) -> Project:
    """The project a command works on (see the module's docstring for the order)."""
    given = option or env.get(ENV)
    if given:
        root = Path(given)
        if not (root / "graph").is_dir():
            raise ProjectError(
                f'project "{root}" has no graph/ folder - give a folder that holds the fact files'
            )
        return Project.at(root)
    here = cwd or Path.cwd()
    return Project.at(here if (here / "graph").is_dir() else find_shipped())


def find_writable_project(
    option: Path | str | None = None, env: Mapping[str, str] = os.environ, cwd: Path | None = None
) -> Project:
    """The project a command saves files into: never the copy inside the installed package.

    In an installed citynet, an empty folder's project is the bundled one: refused
    (``tests/test_wheel.py`` checks it). From a checkout, the checkout is written to:

    >>> find_writable_project(cwd=Path("/"), env={}).root == CHECKOUT
    True
    """
    project = find_project(option, env, cwd)
    if project.root == BUNDLED:
        raise ProjectError(
            f'the project "{BUNDLED}" is inside the installed package and is not written to'
            " - run the command in a folder with its own graph/, or give --project DIR"
        )
    return project
