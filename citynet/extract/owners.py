"""Which network a place belongs to, and which mentions are one network.

A place belongs to the network named before it on its line, else after it on its line, else before
it in its paragraph, else to the network the text spoke of last; a member found that last way that a
sentence elsewhere puts in another network goes there (:func:`move_to_homes`).

>>> same_name("Urb-En Pact", "Urb-En-Pact")
True
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from citynet.extract.leads import key_of
from citynet.extract.model import PlaceMention
from citynet.extract.networks import NetworkMention, fold
from citynet.extract.spans import sentence_at
from citynet.sources.model import Member

SAME_NETWORK = 88  # rapidfuzz ratio of folded names at or above which two names are one network


def group_networks(mentions: list[NetworkMention]) -> list[list[NetworkMention]]:
    """Mentions of one network together: the same id (a name and its bracketed alias), registry id,
    folded name or a close spelling; a mention that joins two groups makes them one."""
    groups: list[list[NetworkMention]] = []
    for mention in mentions:
        joined = [g for g in groups if any(one_network(m, mention) for m in g)]
        merged = [m for g in joined for m in g] + [mention]
        groups = [g for g in groups if g not in joined]
        groups.append(merged)
    return sorted(groups, key=lambda g: min(m.span.start for m in g))


def one_network(a: NetworkMention, b: NetworkMention) -> bool:
    return (
        a.id == b.id or (a.known is not None and b.known is not None and a.known.id == b.known.id)
    ) or same_name(a.name, b.name)


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name ("Urb-En Pact" and "Urb-En-Pact", "ActiveCittizen" and "Active Citizens").

    >>> same_name("Urb-En Pact", "Urb-En-Pact"), same_name("ActiveCittizen", "Active Citizens")
    (True, True)
    >>> same_name("Roof", "RURAL")
    False
    """
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    short, long = sorted((a, b), key=len)
    if re.match(rf"{re.escape(short)}[ \t]+[–—-][ \t]", long):
        return True  # "URGENT" and "URGENT – Urban Re-Generation: European Network of Towns"
    return min(len(fa), len(fb)) >= 8 and fuzz.ratio(fa, fb) >= SAME_NETWORK


def find_owner(position: int, text: str, mentions: list[NetworkMention]) -> NetworkMention | None:
    """The network a place at ``position`` belongs to: named before it on its line, else after it on
    its line ("1. Agen - … son réseau Active Citizens"), else before it in its paragraph, else the
    network the text spoke of last (:func:`spoken_of`); None when none."""
    return place_owner_at(position, text, mentions)[0]


def place_owner_at(
    position: int, text: str, mentions: list[NetworkMention]
) -> tuple[NetworkMention | None, bool]:
    """:func:`find_owner`, and whether the line or paragraph named that network (else it is the
    network the text spoke of last)."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line_end = len(text) if line_end < 0 else line_end
    paragraph_start = text.rfind("\n\n", 0, position) + 1
    on_line = [m for m in mentions if line_start <= m.span.start and m.span.end <= line_end]
    before = [m for m in on_line if m.span.end <= position]
    if before:
        return before[-1], True
    after = [m for m in on_line if m.span.start > position]
    if after:
        return after[0], True
    near = [m for m in mentions if paragraph_start <= m.span.start and m.span.end <= position]
    if near:
        return near[-1], True
    return spoken_of(position, text, mentions), False


def spoken_of(position: int, text: str, mentions: list[NetworkMention]) -> NetworkMention | None:
    """The network the text spoke of last before ``position``, in an earlier paragraph."""
    earlier = [m for m in mentions if m.span.end <= position]
    return first_on_line(text, earlier[-1], earlier) if earlier else None


def first_on_line(text: str, last: NetworkMention, mentions: list[NetworkMention]) -> NetworkMention:
    """Of the networks on the line that named a network last, the one the text has named most so far
    ("Projekt URB-INCLUSION ma być kontynuacją … projektu USER." after a page titled URB-INCLUSION);
    the last one on a tie."""
    line_start = text.rfind("\n", 0, last.span.start) + 1
    on_line = [m for m in mentions if m.span.start >= line_start]
    return max(reversed(on_line), key=lambda m: sum(one_network(m, other) for other in mentions))


def same_sentence(text: str, owner: NetworkMention, place: PlaceMention) -> bool:
    sentence = sentence_at(text, place.span.start)
    return sentence is not None and sentence.start() <= owner.span.start < sentence.end()


def move_to_homes(entries: list[tuple[int, Member, bool, bool]]) -> list[tuple[int, Member]]:
    """A member found in a paragraph that names no network (given to the network the text spoke of
    last) belongs to the one network a sentence naming both put it in ("Isernia und Igoumenitsa sind
    …" after "Re-grow City … Isernia"). Entries: network, member, whether the network was named on the
    member's line or paragraph, whether in its sentence."""
    homes: dict[object, set[int]] = {}
    for index, member, _, in_sentence in entries:
        if in_sentence:
            homes.setdefault(key_of(member), set()).add(index)
    moved = []
    for index, member, fixed, _ in entries:
        home = homes.get(key_of(member), set())
        moved.append((next(iter(home)) if not fixed and len(home) == 1 else index, member))
    return moved
