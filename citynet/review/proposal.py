"""A proposal (``graph/proposed/<id>.yaml`` and its ``<id>.txt``) as the facts a reviewer decides on.

A proposal is read as plain mappings (:func:`citynet.sources.yamlfile.read_yaml`), so everything the
extractor writes is kept as it is when accepted facts are written out. Each fact has a key, the one
the decisions file uses: ``networks[0]`` (the network: its id and names), ``networks[0].budget`` (one
field of it), ``networks[0].members[1]`` (one membership), ``calls[0]`` (a call, whole).

>>> facts = list_facts({"networks": [{"id": "n", "names": [{"text": "N"}], "budget": {"value": 1},
...     "members": [{"city": "Poznań", "role": "lead-partner"}]}]})
>>> [(fact.key, fact.kind) for fact in facts]
[('networks[0]', 'network'), ('networks[0].budget', 'field'), ('networks[0].members[0]', 'member')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citynet.errors import CitynetError, ReviewError
from citynet.sources.yamlfile import read_yaml

PROPOSED = "proposed"  # graph/proposed/: what `citynet extract` writes, not loaded
SOURCE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IDENTITY = {"id", "names", "members", "evidence"}  # what the network fact itself is, or holds apart


@dataclass(frozen=True)
class Fact:
    """One fact a reviewer accepts or rejects, with the evidence behind it."""

    key: str
    kind: str  # network | field | member | call
    value: Any  # the proposal's mapping (network, member, call) or the field's value
    evidence: list[dict] = field(default_factory=list)
    parent: str | None = None  # the network a field or a member belongs to
    name: str = ""  # the field's name, for a field


@dataclass
class Proposal:
    """A proposal as read: its data, the text its evidence points into, and its facts."""

    id: str
    path: Path
    data: dict
    text: str
    facts: list[Fact]

    @property
    def source(self) -> dict:
        return self.data.get("source") if isinstance(self.data.get("source"), dict) else {}

    @property
    def sha256(self) -> str:
        return str(self.source.get("sha256") or "")


def find_evidence(evidence: Any, name: str) -> list[dict]:
    """The evidence entries of a field: its own (``budget``) and its parts' (``declared.partners``).

    >>> find_evidence([{"field": "declared.partners"}, {"field": "names"}], "declared")
    [{'field': 'declared.partners'}]
    """
    entries = [e for e in evidence if isinstance(e, dict)] if isinstance(evidence, list) else []
    return [e for e in entries if str(e.get("field", "")).split(".")[0] == name]


def list_network_facts(network: dict, index: int) -> list[Fact]:
    """The network fact, one fact per other field, one per member."""
    key, evidence = f"networks[{index}]", network.get("evidence")
    fields = [name for name in network if name not in IDENTITY]
    own = [e for e in (evidence if isinstance(evidence, list) else []) if isinstance(e, dict)]
    own = [e for e in own if str(e.get("field", "")).split(".")[0] not in fields]
    facts = [Fact(key, "network", network, own)]
    facts += [
        Fact(f"{key}.{name}", "field", network[name], find_evidence(evidence, name), key, name)
        for name in fields
    ]
    members = network.get("members") if isinstance(network.get("members"), list) else []
    for j, member in enumerate(members):
        if isinstance(member, dict):
            found = member.get("evidence") if isinstance(member.get("evidence"), list) else []
            facts.append(Fact(f"{key}.members[{j}]", "member", member, found, key))
    return facts


def list_facts(data: dict) -> list[Fact]:
    """Every fact of a proposal's data, in the order of the file."""
    facts: list[Fact] = []
    for i, network in enumerate(data.get("networks") or []):
        if isinstance(network, dict):
            facts += list_network_facts(network, i)
    for i, call in enumerate(data.get("calls") or []):
        if isinstance(call, dict):
            evidence = call.get("evidence") if isinstance(call.get("evidence"), list) else []
            facts.append(Fact(f"calls[{i}]", "call", call, evidence))
    return facts


def check_evidence(fact: Fact, text: str, path: Path) -> None:
    """Every quote is exactly the stored text at its offsets.

    >>> check_evidence(Fact("networks[0]", "network", {}, [{"quote": "Riga", "start": 0, "end": 3}]),
    ...     "Rīga", Path("p.yaml"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    citynet.errors.ReviewError: p.yaml: networks[0].evidence[0]: quote 'Riga' is not the text at 0-3 ...
    """
    for n, entry in enumerate(fact.evidence):
        start, end, quote = entry.get("start"), entry.get("end"), entry.get("quote")
        where = f"{path}: {fact.key}.evidence[{n}]"
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            raise ReviewError(f"{where}: offsets {start!r}-{end!r} are outside the text (0-{len(text)})")
        if text[start:end] != quote:
            raise ReviewError(
                f"{where}: quote {quote!r} is not the text at {start}-{end} ({text[start:end]!r})"
                " - the proposal and its .txt do not match; run citynet extract again"
            )


def find_proposal_path(graph_dir: Path, source_id: str) -> Path:
    """``graph/proposed/<id>.yaml``, which must exist."""
    if not SOURCE_ID.match(source_id):
        raise ReviewError(f'"{source_id}" is not a proposal id - expected a lower-case id like "my-page"')
    path = graph_dir / PROPOSED / f"{source_id}.yaml"
    if not path.is_file():
        raise ReviewError(f'no proposal "{source_id}": {path} does not exist - run citynet extract first')
    return path


def read_text(path: Path, source: dict) -> str:
    """The extracted text beside the proposal (the source's ``text:``, else ``<id>.txt``)."""
    name = str(source.get("text") or f"{path.stem}.txt")
    text_path = path.parent / Path(name).name
    try:
        return text_path.read_bytes().decode("utf-8")  # no newline translation: offsets count every \r
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(
            f"{path}: source.text: cannot read {text_path}: {exc} - keep it beside the proposal"
        ) from None


def read_proposal(graph_dir: Path, source_id: str) -> Proposal:
    """Read ``graph/proposed/<id>.yaml`` and its text; check its source and every quote."""
    path = find_proposal_path(graph_dir, source_id)
    try:
        data = read_yaml(path, graph_dir.parent)
    except CitynetError as exc:
        raise ReviewError(str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("source"), dict):
        raise ReviewError(f"{path}: source: expected a mapping with the source's id, title, sha256, text")
    if data["source"].get("id") != source_id:
        raise ReviewError(
            f"{path}: source.id: expected {source_id!r}, the file's name, got {data['source'].get('id')!r}"
        )
    text = read_text(path, data["source"])
    proposal = Proposal(source_id, path, data, text, list_facts(data))
    for fact in proposal.facts:
        check_evidence(fact, text, path)
    return proposal


def list_proposals(graph_dir: Path) -> list[str]:
    """The ids of the proposals in ``graph/proposed/``."""
    folder = graph_dir / PROPOSED
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
