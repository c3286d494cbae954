"""Which proposed network is which expected one, which proposed member is which expected member.

Names are compared folded (:func:`fold`: case, accents, dashes, spaces and punctuation, a leading
"the"; Greek and Cyrillic letters spelt in Latin, so "SPAR" with a Greek capital kappa (U+039A) is "SPARK"). A
proposed network matches an expected one, in this order of preference, by

1. ``id`` — the same graph id (the seeds, whose networks the registry knows);
2. ``name`` / ``acronym`` — a name or the acronym of one is a name or the acronym of the other;
3. ``name part`` — the part of a name before a spaced dash, bar or colon ("CALL - Accessible City
   for ALL" → "CALL");
4. ``fuzzy NN`` — folded names of at least :data:`FUZZY_MIN` letters whose rapidfuzz ratio is at
   least :data:`FUZZY_RATIO` ("ActiveCittizen" ~ "Active Citizens").

Each proposed network matches at most one expected network, and the other way round: the best
pairs are taken first. Members pair the same way inside a matched network: a city by its GeoNames
id (by name and country when the expectation's place did not resolve), an organisation by its
name (as the expectation names it or as the text writes it, or within the fuzzy bound) and, when
both give one, the same town.

>>> fold("URBAN-REGENERATION-MIX") == fold("Urban\\u2013Regeneration-Mix"), fold("ALT/BAU") == fold("AltBau")
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from citynet.extract.evalread import ExpectedMember, ExpectedNetwork, fold
from citynet.sources.model import Member, Network

FUZZY_RATIO = 90.0  # rapidfuzz ratio (0-100) of two folded names, at least
FUZZY_MIN = 6  # letters of the shorter folded name, at least, for a fuzzy match
# Where a name's first part ends: "CALL - Accessible ...", "SALEG: The ...", "ERIGES (local agency)".
PART = re.compile(r"\s+[-\u2013\u2014|:/]\s+|:\s+|\s+\(")
ORDER = {"id": 0, "name": 1, "acronym": 1, "name part": 2}


def list_keys(texts: Iterable[str | None], how: str) -> dict[str, str]:
    """Folded keys of names: the whole name (``how``) and its parts (``name part``).

    >>> list_keys(["CALL - Accessible City for ALL"], "name")
    {'callaccessiblecityforall': 'name', 'call': 'name part'}
    """
    keys: dict[str, str] = {}
    for text in texts:
        if not text:
            continue
        keys.setdefault(fold(text), how)
        for part in PART.split(text)[:1] if PART.search(text) else []:
            if len(fold(part)) >= 3:
                keys.setdefault(fold(part), "name part")
    keys.pop("", None)
    return keys


def expected_keys(network: ExpectedNetwork) -> dict[str, str]:
    return {**list_keys(network.names, "name"), **list_keys([network.acronym], "acronym")}


def proposed_keys(network: Network) -> dict[str, str]:
    return {**list_keys((n.text for n in network.names), "name"), **list_keys([network.acronym], "acronym")}


def compare_keys(ours: dict[str, str], theirs: dict[str, str]) -> tuple[int, float, str] | None:
    """The best way two sets of keys meet: (rank, score, how), or None."""
    shared = [(max(ORDER[ours[k]], ORDER[theirs[k]]), k) for k in ours.keys() & theirs.keys()]
    if shared:
        rank, key = min(shared)
        return (
            rank,
            100.0,
            "name part" if rank == 2 else ("acronym" if "acronym" in (ours[key], theirs[key]) else "name"),
        )
    whole = [(a, b) for a in ours for b in theirs if ours[a] != "name part" and theirs[b] != "name part"]
    best = max(((fuzz.ratio(a, b), a, b) for a, b in whole if min(len(a), len(b)) >= FUZZY_MIN), default=None)
    if best and best[0] >= FUZZY_RATIO:
        return 3, best[0], f"fuzzy {best[0]:.0f} ({best[1]} ~ {best[2]})"
    return None


def pair_greedily(candidates: list[tuple[tuple, int, int, str]]) -> list[tuple[int, int, str]]:
    """One-to-one pairs, best (lowest sort key) first."""
    taken_left: set[int] = set()
    taken_right: set[int] = set()
    pairs = []
    for _, left, right, how in sorted(candidates, key=lambda c: c[0]):
        if left not in taken_left and right not in taken_right:
            taken_left.add(left)
            taken_right.add(right)
            pairs.append((left, right, how))
    return pairs


def match_networks(expected: list[ExpectedNetwork], proposed: list[Network]) -> list[tuple[int, int, str]]:
    """Pairs (expected index, proposed index, how they matched), one-to-one.

    >>> from citynet.sources.model import Name
    >>> roma = "Roma\\u2013NeT"
    >>> e = [ExpectedNetwork(roma, (roma,), ()), ExpectedNetwork("REFILL", ("REFILL",), ())]
    >>> p = [Network("refill", [Name("Refill", None)], 1), Network("x", [Name("Roma-NeT", None)], 1)]
    >>> match_networks(e, p)
    [(0, 1, 'name'), (1, 0, 'name')]
    """
    candidates = []
    for i, ours in enumerate(expected):
        keys = expected_keys(ours)
        for j, theirs in enumerate(proposed):
            if ours.id and ours.id == theirs.id:
                candidates.append(((0, 0.0, i, j), i, j, "id"))
                continue
            met = compare_keys(keys, proposed_keys(theirs))
            if met:
                candidates.append(((met[0], -met[1], i, j), i, j, met[2]))
    return sorted(pair_greedily(candidates))


def member_names(texts: Iterable[str | None]) -> set[str]:
    """Folded names of a member: each name, and each name without what follows a dash, colon or bracket."""
    found = set()
    for text in texts:
        if text:
            found |= {fold(text), *(fold(p) for p in PART.split(text)[:1])}
            found |= {fold(inner) for inner in re.findall(r"\(([^)]*[A-Z][^)]*)\)", text)}
    return {k for k in found if len(k) >= 3}


def compare_members(ours: ExpectedMember, theirs: Member) -> tuple[int, float] | None:
    """How well a proposed member is an expected one: (rank, -score), or None."""
    if ours.kind != theirs.kind:
        return None
    if ours.kind == "city" and ours.geonames is not None:
        return (0, 0.0) if ours.geonames == theirs.geonames else None
    if ours.geonames and theirs.geonames and ours.geonames != theirs.geonames:
        return None  # an organisation in another town
    if ours.kind == "city" and ours.country != (theirs.country or ours.country):
        return None
    names, given = member_names([ours.name, ours.written]), member_names([theirs.name, theirs.written])
    if names & given:
        return (1, 0.0)
    best = max(
        (fuzz.ratio(a, b) for a in names for b in given if min(len(a), len(b)) >= FUZZY_MIN), default=0
    )
    return (2, -best) if best >= FUZZY_RATIO else None


def match_members(expected: tuple[ExpectedMember, ...], proposed: list[Member]) -> list[tuple[int, int, str]]:
    """Pairs (expected index, proposed index, "") of the same member, whatever their roles; one-to-one.

    A pair with the same role is preferred to one with different roles.
    """
    candidates = []
    for i, ours in enumerate(expected):
        for j, theirs in enumerate(proposed):
            met = compare_members(ours, theirs)
            if met is not None:
                candidates.append(((met[0], ours.role != theirs.role, met[1], i, j), i, j, ""))
    return sorted(pair_greedily(candidates))


def same_place_by_name(ours: ExpectedMember, theirs: Member) -> bool:
    """A proposed city named as the expected one (as written or by name) in the same country."""
    if ours.kind != "city" or theirs.kind != "city" or ours.country != theirs.country:
        return False
    return bool(member_names([ours.name, ours.written]) & member_names([theirs.name, theirs.written]))


def pick_evidence(evidence: list, fields: set[str]) -> str | None:
    """The first quote of the evidence entries for these fields."""
    return next((e.quote for e in evidence if e.field in fields), None)


def describe_member(member: ExpectedMember | Member) -> str:
    where = f", {member.town}" if member.town else ""
    place = f", GeoNames {member.geonames}" if member.geonames else ""
    kind = " (organisation)" if member.kind == "organisation" else ""
    return f"{member.name}{kind} ({member.country or '?'}{where}{place}) {member.role}"
