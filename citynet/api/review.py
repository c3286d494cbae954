"""The review verbs: ``citynet review`` is :func:`review`, ``citynet review accept`` :func:`review_accept`.

A proposal of ``citynet extract`` (``graph/proposed/<id>.yaml`` and its text) gets a static review
page; the decisions saved from it (or none: every new fact accepted) move the accepted facts into
``graph/<id>.yaml``. Both ask the loaded store which facts the graph already records.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     review(store_dir=Path(folder) / "store")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
citynet.errors.ReviewError: no proposals in .../graph/proposed - run citynet extract first
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from citynet.errors import ReviewError
from citynet.project import find_project, find_writable_project
from citynet.review.accept import Accepted, write_accepted, write_atomically
from citynet.review.decisions import choose_facts, read_decisions
from citynet.review.page import render_page
from citynet.review.proposal import PROPOSED, list_proposals, read_proposal
from citynet.review.status import KNOWN, judge_proposal
from citynet.store.embedded import EmbeddedStore
from citynet.store.folder import find_store_dir

__all__ = ["Accepted", "Reviewed", "review", "review_accept"]


@dataclass(frozen=True)
class Reviewed:
    """One review page written: where, and how many facts are new, known, in conflict."""

    id: str
    path: Path
    new: int
    known: int
    conflicting: int


def open_store(store_dir: Path | str | None) -> EmbeddedStore:
    """The loaded store, which says what the graph records already."""
    return EmbeddedStore.open(find_store_dir(str(store_dir) if store_dir else None))


def review(
    ids: list[str] | tuple[str, ...] = (),
    output: Path | None = None,
    store_dir: Path | str | None = None,
    root: Path | None = None,
    today: dt.date | None = None,
) -> list[Reviewed]:
    """Write a review page ``<id>.html`` per proposal (all of ``graph/proposed/`` without ``ids``)
    into ``output`` (default: ``graph/proposed/``); the example in the module's text shows the error
    of a project with none."""
    graph_dir = (find_project(root) if output else find_writable_project(root)).graph_dir
    names = list(ids) or list_proposals(graph_dir)
    if not names:
        raise ReviewError(f"no proposals in {graph_dir / PROPOSED} - run citynet extract first")
    proposals = [read_proposal(graph_dir, name) for name in names]  # all checked before any is written
    store = open_store(store_dir)
    folder = Path(output) if output else graph_dir / PROPOSED
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for proposal in proposals:
        statuses = judge_proposal(store, proposal)
        path = folder / f"{proposal.id}.html"
        write_atomically(path, render_page(proposal, statuses, today))
        states = [s.state for s in statuses.values()]
        written.append(
            Reviewed(proposal.id, path, states.count("new"), states.count(KNOWN), states.count("conflict"))
        )
    return written


def review_accept(
    source_id: str,
    decisions: Path | None = None,
    store_dir: Path | str | None = None,
    root: Path | None = None,
    today: dt.date | None = None,
) -> Accepted:
    """Apply the decisions on a proposal: write ``graph/<id>.yaml`` (and ``graph/<id>.txt``).

    ``decisions`` defaults to ``graph/proposed/<id>.decisions.json`` if it exists; without one,
    every new fact is accepted. Facts the graph records already are not written again.
    """
    graph_dir = find_writable_project(root).graph_dir
    proposal = read_proposal(graph_dir, source_id)
    default = graph_dir / PROPOSED / f"{source_id}.decisions.json"
    path = Path(decisions) if decisions else default if default.exists() else None
    if decisions and not path.is_file():
        raise ReviewError(f"{path}: no such decisions file - save it from the review page")
    chosen_by = read_decisions(path, proposal) if path else None
    statuses = judge_proposal(open_store(store_dir), proposal)
    chosen = choose_facts(proposal, statuses, chosen_by)
    known = sum(1 for s in statuses.values() if s.state == KNOWN)
    left = len(proposal.facts) - len(chosen) - known
    if not chosen:
        return Accepted(None, None, 0, known, left)
    target = write_accepted(graph_dir, proposal, chosen, today)
    return Accepted(target, target.with_suffix(".txt"), len(chosen), known, left)
