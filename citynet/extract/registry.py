"""The graph's networks from its own fact files, for a project not loaded yet.

With a loaded store, :func:`citynet.query.registry.read_registry` asks the store (every network,
imported ones too); before the first ``citynet load`` the hand-written fact files of ``graph/`` are
read here (``graph/imported/`` is left out: its files are large and it is loaded with the rest).

>>> [n.id for n in read_registry_files(Path("graph"))][:2]
['cities-at-heart', 'cities-of-change']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from citynet.errors import CitynetError
from citynet.extract.networks import KnownNetwork
from citynet.sources.yamlfile import read_yaml

NOT_FACTS = {"sources.yaml", "places.yaml"}


def to_known(item: Any) -> KnownNetwork | None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return None
    names = tuple(
        str(n["text"])
        for n in item.get("names") or []
        if isinstance(n, dict) and isinstance(n.get("text"), str)
    )
    acronym = item.get("acronym") if isinstance(item.get("acronym"), str) else None
    programme = item.get("programme") if isinstance(item.get("programme"), str) else None
    return KnownNetwork(item["id"], names, acronym, programme)


def read_registry_files(graph_dir: Path) -> list[KnownNetwork]:
    """The networks of ``graph_dir/*.yaml``; a file that does not read is skipped (load reports it)."""
    known: dict[str, KnownNetwork] = {}
    for path in sorted(graph_dir.glob("*.yaml")):
        if path.name in NOT_FACTS:
            continue
        try:
            data = read_yaml(path)
        except CitynetError:  # a broken fact file is load's to report, not extraction's
            continue
        for item in (data.get("networks") or []) if isinstance(data, dict) else []:
            network = to_known(item)
            if network is not None and network.id not in known:
                known[network.id] = network
    return sorted(known.values(), key=lambda n: n.id)
