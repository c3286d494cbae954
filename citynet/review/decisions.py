"""The reviewer's decisions (``graph/proposed/<id>.decisions.json``), read, checked and applied.

::

    {"source": "<id>", "sha256": "<the proposal's source sha256>", "decision": "accept" | "reject" | null,
     "facts": {"networks[0]": "accept", "networks[0].members[1]": "reject"}}

A fact's own decision comes first; else the per-source one (for a fact in conflict with a recorded
one, only its own ``accept`` counts); without a decisions file, every new fact is accepted. A fact
already in the graph is never written again, and a rejected new network takes its fields and
members with it.

>>> d = Decisions("s", "0" * 64, "accept", {"networks[0].members[1]": "reject"})
>>> decide(d, "networks[0].members[1]", "new"), decide(d, "networks[0].members[0]", "new")
('reject', 'accept')
>>> decide(d, "networks[0].budget", "conflict"), decide(None, "networks[0].budget", "new")
(None, 'accept')
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citynet.errors import ReviewError
from citynet.review.proposal import Proposal
from citynet.review.status import CONFLICT, KNOWN, NEW, Status

CHOICES = ("accept", "reject")
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Decisions:
    source: str
    sha256: str
    decision: str | None
    facts: dict[str, str] = field(default_factory=dict)


def parse_decisions(data: Any, path: Path, proposal: Proposal) -> Decisions:
    """Check a decisions file's content against the proposal it decides on."""
    if not isinstance(data, dict):
        raise ReviewError(f"{path}: expected a JSON object with source, sha256, decision and facts")
    unknown = sorted(set(data) - {"source", "sha256", "decision", "facts"})
    if unknown:
        raise ReviewError(f"{path}: unknown field {unknown[0]!r} - expected source, sha256, decision, facts")
    if data.get("source") != proposal.id:
        raise ReviewError(f"{path}: source: {data.get('source')!r} is not the proposal {proposal.id!r}")
    if data.get("sha256") != proposal.sha256:
        raise ReviewError(
            f"{path}: sha256: {str(data.get('sha256'))[:64]!r} is not the proposal's {proposal.sha256!r}"
            " - the proposal changed since the review; review it again"
        )
    if data.get("decision") not in (*CHOICES, None):
        raise ReviewError(f"{path}: decision: {data.get('decision')!r} - expected accept, reject or null")
    facts = data.get("facts", {})
    if not isinstance(facts, dict):
        raise ReviewError(f"{path}: facts: expected an object of fact keys and accept or reject")
    keys = {fact.key for fact in proposal.facts}
    for key, choice in facts.items():
        if key not in keys:
            raise ReviewError(
                f"{path}: facts: unknown fact {key!r} - the proposal has {', '.join(sorted(keys))}"
            )
        if choice not in CHOICES:
            raise ReviewError(f"{path}: facts: {key}: {choice!r} - expected accept or reject")
    return Decisions(proposal.id, proposal.sha256, data.get("decision"), dict(facts))


def read_decisions(path: Path, proposal: Proposal) -> Decisions:
    """Read and check a decisions file; every problem is one :class:`ReviewError` line."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ReviewError(f"{path}: bigger than {MAX_BYTES >> 20} MB - expected a decisions file")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReviewError(f"{path}:{exc.lineno}: not JSON: {exc.msg} - expected a decisions file") from None
    return parse_decisions(data, path, proposal)


def decide(decisions: Decisions | None, key: str, state: str) -> str | None:
    """``accept``, ``reject`` or None (undecided) for one fact, before the network's own decision."""
    if decisions is None:
        return "accept" if state == NEW else None
    own = decisions.facts.get(key)
    if own is not None:
        return own
    return None if state == CONFLICT else decisions.decision


def choose_facts(proposal: Proposal, statuses: dict[str, Status], decisions: Decisions | None) -> set[str]:
    """The keys of the facts to write: accepted and not already in the graph."""
    chosen: set[str] = set()
    dropped: set[str] = set()  # new networks rejected or undecided: nothing of them is written
    for fact in proposal.facts:
        state = statuses[fact.key].state
        choice = decide(decisions, fact.key, state)
        if fact.kind == "network" and state != KNOWN and choice != "accept":
            dropped.add(fact.key)
        if choice == "accept" and state != KNOWN and fact.parent not in dropped:
            chosen.add(fact.key)
    return chosen
