"""One network, one IRI across sources: match an imported file's networks to the project's.

keep.eu writes "URBinclusion" where Kraków's page writes "URB-INCLUSION": one network. An imported
network takes the id of a network another fact file describes when

- an acronym or a name of each is the same, folded (case, accents, spaces and punctuation, a
  leading "the"),
- their programmes agree (or one of them gives none), and
- they share a member place (a GeoNames id), or one of them lists no member with a place.

Then both sources' claims are on one IRI, and ``conflicts`` shows where they disagree (a role, a
date). Each match is reported with its reason. An imported id that some other network already has,
without a match, is renamed (``<id>-<source>``), so two networks are never merged by chance.

>>> from citynet.sources.model import FactFile, Member, Name, Network
>>> seed = Network("urb-inclusion", [Name("URB-INCLUSION", None)], 1, programme="urbact-iii",
...                members=[Member("city", "Kraków", "PL", "partner", 2, geonames=3094802)])
>>> keep = Network("urbinclusion", [Name("URBinclusion", None)], 1, acronym="URBinclusion",
...                programme="urbact-iii", members=[Member("city", "Kraków", "PL", "partner", 5,
...                geonames=3094802)])
>>> facts, matches = reconcile(FactFile("k.yaml", "keep", [keep], []), [FactFile("s.yaml", "s", [seed], [])],
...                            lambda member: member.geonames)
>>> facts.networks[0].id, matches[0].reason
('urb-inclusion', 'acronym URBinclusion = URB-INCLUSION, programme urbact-iii, 1 member place in common')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from citynet.places.gazetteer import normalise
from citynet.sources.model import FactFile, Member, Name, Network
from citynet.sources.yamlfile import read_yaml

ARTICLE = re.compile(r"^the\s+")
NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Match:
    """An imported network that took the id of a network another source describes."""

    network: str  # the imported network's own id
    same_as: str  # the id it takes
    source: str  # the other network's source
    reason: str


def fold(text: str) -> str:
    """A name or acronym folded for matching.

    >>> fold("URB-INCLUSION") == fold("URBinclusion"), fold("The Playful Paradigm")
    (True, 'playfulparadigm')
    """
    return NOT_ALNUM.sub("", ARTICLE.sub("", normalise(text)))


def keys_of(network: Network) -> dict[str, str]:
    """The network's folded acronym and names, each with the text it came from."""
    texts = [network.acronym] if network.acronym else []
    texts += [name.text for name in network.names]
    return {fold(text): text for text in reversed(texts) if fold(text)}


def places_in(network: Network, place_of: Callable[[Member], int | None]) -> set[int]:
    """The GeoNames ids of the network's members (cities, and places organisations are in)."""
    return {place for member in network.members if (place := place_of(member)) is not None}


def explain(ours: Network, theirs: Network, key: str, shared: int) -> str:
    """The reason a match is made, in a line."""
    kind = "acronym" if ours.acronym and fold(ours.acronym) == key else "name"
    text = f"{kind} {keys_of(ours)[key]} = {keys_of(theirs)[key]}"
    if ours.programme or theirs.programme:
        text += f", programme {ours.programme or theirs.programme}"
    noun = "member place" if shared == 1 else "member places"
    return text + (f", {shared} {noun} in common" if shared else ", no member places to compare")


def score(network: Network, other: Network, ours: set[int], theirs: set[int]) -> int | None:
    """How many member places two networks share if they may be one network, else None."""
    common = set(keys_of(network)) & set(keys_of(other))
    if not common or (network.programme and other.programme and network.programme != other.programme):
        return None
    shared = len(ours & theirs)
    return None if ours and theirs and not shared else shared


def reconcile(
    imported: FactFile, existing: list[FactFile], place_of: Callable[[Member], int | None]
) -> tuple[FactFile, list[Match]]:
    """The imported file with its networks' ids matched to the existing files' networks, and the matches.

    Each network on either side is matched once at most: pairs sharing more member places first.
    Only networks with a key in common are compared, and each network's places are found once.
    """
    others = [(facts.source, network) for facts in existing for network in facts.networks]
    by_key: dict[str, list[int]] = {}
    for j, (_, other) in enumerate(others):
        for key in keys_of(other):
            by_key.setdefault(key, []).append(j)
    places: dict[tuple[str, int], set[int]] = {}

    def places_of(side: str, index: int, network: Network) -> set[int]:
        if (side, index) not in places:
            places[(side, index)] = places_in(network, place_of)
        return places[(side, index)]

    scores: dict[tuple[int, int], int] = {}
    for i, network in enumerate(imported.networks):
        for j in sorted({j for key in keys_of(network) for j in by_key.get(key, [])}):
            other = others[j][1]
            shared = score(network, other, places_of("ours", i, network), places_of("theirs", j, other))
            if shared is not None:
                scores[(i, j)] = shared
    chosen: dict[int, int] = {}
    for i, j in sorted(scores, key=lambda pair: (-scores[pair], pair)):
        if i not in chosen and j not in chosen.values():
            chosen[i] = j
    taken = {network.id for _, network in others}
    matches, networks = [], []
    for i, network in enumerate(imported.networks):
        if i in chosen:
            source, other = others[chosen[i]]
            key = sorted(set(keys_of(network)) & set(keys_of(other)))[0]
            matches.append(
                Match(network.id, other.id, source, explain(network, other, key, scores[(i, chosen[i])]))
            )
            networks.append(replace(network, id=other.id))
        elif network.id in taken:
            networks.append(replace(network, id=f"{network.id}-{imported.source}"))
        else:
            networks.append(network)
    return replace(imported, networks=networks), matches


def read_networks(path: Path, root: Path | None = None) -> FactFile:
    """The networks a fact file describes, as much as matching needs: ids, names, acronym,
    programme, members (city or organisation, country, GeoNames id where given).

    The file is not checked here: ``citynet load`` does that. A file that is not a mapping of
    networks gives no networks.
    """
    data = read_yaml(path, root)
    source = data.get("source") if isinstance(data, dict) else None
    source = source.get("id") if isinstance(source, dict) else source
    networks = []
    for item in data.get("networks") or [] if isinstance(data, dict) else []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        names = [
            Name(str(n["text"]), None) for n in item.get("names") or [] if isinstance(n, dict) and "text" in n
        ]
        members = [to_member(m) for m in item.get("members") or [] if isinstance(m, dict)]
        acronym = item.get("acronym")
        programme = item.get("programme")
        networks.append(
            Network(
                item["id"],
                names,
                0,
                acronym=str(acronym) if acronym is not None else None,
                programme=str(programme) if programme else None,
                members=members,
            )
        )
    return FactFile(str(path), str(source or path.stem), networks, [])


def to_member(item: dict) -> Member:
    """A member as matching needs it."""
    kind = "city" if "city" in item else "organisation"
    geonames = item.get("geonames")
    return Member(
        kind,
        str(item.get("city") or item.get("name") or ""),
        str(item.get("country") or "") or None,
        str(item.get("role") or ""),
        0,
        geonames=geonames if isinstance(geonames, int) else None,
    )
