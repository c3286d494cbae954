"""``citynet review accept``: the accepted facts of a proposal into ``graph/<id>.yaml``, with evidence.

The fact file registers its source (the proposal's ``source:`` mapping, its ``text:`` pointing at
``graph/<id>.txt``, a copy of the extracted text, so the offsets stay checkable) and keeps the
evidence of every fact it holds. Both files are written atomically (a temporary file, then a
rename); a file this command did not write is never replaced, and the proposal stays in place.

>>> members = [{"city": "Oslo", "country": "NO", "rate": Decimal("0.85")}]
>>> print(to_yaml({"start": "2013-06", "members": members}), end="")
start: 2013-06
members:
- {city: Oslo, country: 'NO', rate: 0.85}
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from citynet.errors import CitynetError, ReviewError
from citynet.review.proposal import IDENTITY, Proposal
from citynet.sources.facts import read_sources

MARK = "# Accepted by `citynet review accept`"  # the first line of every file it writes
REGISTER = "sources.yaml"


@dataclass(frozen=True)
class Accepted:
    """What ``review accept`` wrote: the fact file (None when nothing was accepted) and the counts."""

    path: Path | None
    text_path: Path | None
    written: int  # facts written
    known: int  # facts already in the graph, not written again
    left: int  # facts rejected or undecided


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text if "." in text else f"{text}.0")


_Dumper.add_representer(Decimal, _represent_decimal)


class Flow(dict):
    """A mapping of plain values, written on one line: ``{field: member, quote: Rīga, …}``."""


_Dumper.add_representer(
    Flow, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)


def to_plain(value: Any, depth: int = 0) -> Any:
    """Plain dicts and lists (the reader's line-keeping mappings are dict subclasses); below the top,
    a mapping of plain values is a :class:`Flow`, one line, as in the hand-written fact files."""
    if isinstance(value, dict):
        plain = {str(k): to_plain(v, depth + 1) for k, v in value.items()}
        flat = depth > 1 and not any(isinstance(v, dict | list) for v in plain.values())
        return Flow(plain) if flat else plain
    if isinstance(value, list):
        return [to_plain(v, depth + 1) for v in value]
    return value


def to_yaml(data: dict) -> str:
    """YAML that :func:`citynet.sources.yamlfile.read_yaml` reads back as ``data``."""
    return yaml.dump(
        to_plain(data),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=110,
        default_flow_style=None,
    )


def build_network(network: dict, index: int, chosen: set[str]) -> dict | None:
    """The network as written: id and names, its accepted fields and members, their evidence."""
    key = f"networks[{index}]"
    if not any(k == key or k.startswith(key + ".") for k in chosen):
        return None
    fields = [n for n in network if n not in IDENTITY and f"{key}.{n}" in chosen]
    out = {"id": network.get("id"), "names": network.get("names")}
    out.update({name: network[name] for name in fields})
    evidence = [e for e in network.get("evidence") or [] if isinstance(e, dict)]
    head = [n for n in network if n not in IDENTITY]
    kept = [
        e
        for e in evidence
        if (str(e.get("field", "")).split(".")[0] in fields)
        or (key in chosen and str(e.get("field", "")).split(".")[0] not in head)
    ]
    if kept:
        out["evidence"] = kept
    members = [m for j, m in enumerate(network.get("members") or []) if f"{key}.members[{j}]" in chosen]
    if members:
        out["members"] = members
    return out


def build_accepted(proposal: Proposal, chosen: set[str]) -> dict:
    """The fact file's data: the source registered, the chosen networks, members, fields and calls."""
    source = {k: v for k, v in proposal.source.items() if k != "text"}
    source["text"] = f"{proposal.id}.txt"
    data: dict[str, Any] = {"source": source}
    networks = [build_network(n, i, chosen) for i, n in enumerate(proposal.data.get("networks") or [])]
    calls = [c for i, c in enumerate(proposal.data.get("calls") or []) if f"calls[{i}]" in chosen]
    if calls:
        data["calls"] = calls
    if any(networks):
        data["networks"] = [n for n in networks if n]
    return data


def is_ours(path: Path) -> bool:
    """Whether ``path`` is a file this command wrote (its first line says so)."""
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().startswith(MARK)
    except (OSError, UnicodeDecodeError):
        return False


def check_targets(graph_dir: Path, proposal: Proposal) -> tuple[Path, Path]:
    """``graph/<id>.yaml`` and ``.txt``, refused when a file there was not written by this command."""
    target, text_path = graph_dir / f"{proposal.id}.yaml", graph_dir / f"{proposal.id}.txt"
    ours = is_ours(target)
    if (target.exists() or target.is_symlink()) and not ours:
        raise ReviewError(
            f"{target} exists and was not written by citynet review accept - move it away or extract"
            " the page again with another --source-id"
        )
    if text_path.is_symlink() or (
        text_path.exists() and not ours and not same_text(text_path, proposal.text)
    ):
        raise ReviewError(f"{text_path} exists and is not the proposal's text - move it away first")
    try:
        registered = read_sources(graph_dir / REGISTER, graph_dir.parent)
    except CitynetError as exc:
        raise ReviewError(str(exc)) from None
    if proposal.id in registered:
        raise ReviewError(
            f"source '{proposal.id}' is already in {graph_dir / REGISTER} - extract the page with another"
            " --source-id"
        )
    return target, text_path


def same_text(path: Path, text: str) -> bool:
    try:
        return path.read_bytes().decode("utf-8") == text  # as written: a \r\n stays two characters
    except (OSError, UnicodeDecodeError):
        return False


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with open(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def write_accepted(
    graph_dir: Path, proposal: Proposal, chosen: set[str], today: dt.date | None = None
) -> Path:
    """Write ``graph/<id>.txt`` and ``graph/<id>.yaml``; return the fact file's path."""
    target, text_path = check_targets(graph_dir, proposal)
    day = (today or dt.date.today()).isoformat()
    header = (
        f"{MARK} from graph/{proposal.path.parent.name}/{proposal.path.name} on {day}.\n"
        f"# Every fact keeps its evidence: quotes and character offsets into {text_path.name}.\n"
    )
    write_atomically(text_path, proposal.text)
    write_atomically(target, header + to_yaml(build_accepted(proposal, chosen)))
    return target
