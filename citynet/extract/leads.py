"""Who leads which network: a lead cue, the place it is said of, and the network it is said in.

A cue's scope is its sentence; a cue in a line that ends with a colon ("Projekta koordinators:",
"As redes lideradas por autoridades urbanas nacionais … são:") is said of each line of the block
below it. In each scope the place nearest the cue (by clause breaks, then characters) is the lead:

- of the network named in the scope (nearest before the cue, else after it);
- else of the one network of the page the place is a member of;
- else of nobody: a cue said of a place that is no member (or of a person) makes no lead.

A network has one lead; strong cues ("lead partner", "capofila") are read before weak ones
("coordinator").

>>> scopes("Projekta koordinators:\\n\\nPoznaņas pašvaldība, Polija\\n\\nProjekta partneri:", 9)
[(24, 51)]
"""

from __future__ import annotations

import re
from collections.abc import Callable

from citynet.extract.model import PlaceMention, Span
from citynet.extract.networks import NetworkMention
from citynet.extract.roles import BEFORE, find_lead_cues
from citynet.extract.spans import overlaps, sentence_at
from citynet.sources.model import Evidence, Member

BLOCK_LINES = 40  # a list below a heading cue is read for at most this many lines

Members = dict[int, dict[object, Member]]
ToMember = Callable[[PlaceMention], Member | None]


def scopes(text: str, at: int) -> list[tuple[int, int]]:
    """Where a cue at ``at`` is said: its sentence, or each line of the block below its heading line."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:line_end].rstrip().endswith(":"):
        lines = []
        for match in re.compile(r"\n([ \t]*)([^\n]*)").finditer(text, line_end):
            if not match.group(2).strip():
                if lines:
                    break
                continue
            if len(lines) >= BLOCK_LINES or (lines and match.group(2).rstrip().endswith(":")):
                break
            lines.append((match.start(2), match.end(2)))
        return lines
    sentence = sentence_at(text, at)
    return [(sentence.start(), sentence.end())] if sentence else []


def distance(text: str, place: Span, cue: Span) -> tuple[int, int]:
    """How far a place is from a cue: clause breaks (, ; : –) between them, then characters.

    "Igualada (Španělsko) jako vedoucí partner projektu, Basingstoke (UK)": Igualada is nearer.
    """
    low, high = (place.end, cue.start) if place.end <= cue.start else (cue.end, place.start)
    between = re.sub(r"\([^()]*\)", "", text[low:high])
    return sum(between.count(c) for c in ",;:–—"), max(high - low, 0)


def network_in(scope: tuple[int, int], cue: Span, mentions: list[NetworkMention]) -> NetworkMention | None:
    """The network named in the scope: nearest before the cue, else the first after it."""
    inside = [m for m in mentions if scope[0] <= m.span.start < scope[1]]
    before = [m for m in inside if m.span.end <= cue.start]
    return before[-1] if before else (inside[0] if inside else None)


def key_of(member: Member) -> object:
    return member.slug or member.geonames


def assign_leads(
    text: str,
    lang: str,
    places: list[PlaceMention],
    mentions: list[NetworkMention],
    index_of: dict[int, int],
    members: Members,
    to_member: ToMember,
) -> None:
    """Mark each network's lead partner in ``members`` (adding a lead the cue's sentence names)."""
    taken: set[int] = set()
    for cue in sorted(find_lead_cues(text, lang), key=lambda c: (-c.confidence, c.start)):
        block = scopes(text, cue.start)
        for scope in block:
            candidates = [
                (p, to_member(p))
                for p in places
                if scope[0] <= p.span.start < scope[1] and not any(overlaps(p.span, m.span) for m in mentions)
            ]
            candidates = [(p, m) for p, m in candidates if m is not None]
            if cue.rule.endswith(f":{BEFORE}"):  # "X, in partnership with Y": X
                candidates = [(p, m) for p, m in candidates if p.span.end <= cue.start]
            if not candidates:
                continue
            if len(block) > 1:  # a list line: its first member
                member = candidates[0][1]
            else:
                member = min(candidates, key=lambda c: distance(text, c[0].span, cue))[1]
            named = network_in(scope, cue, mentions)
            if named is not None:
                index: int | None = index_of[id(named)]
            else:  # the network this mention of the place was given to, else its one network
                index = holding(members, member)
                if index is None:
                    index = only_network(members, key_of(member))
            if index is None or index in taken:
                continue
            taken.add(index)
            current = members[index].setdefault(key_of(member), member)
            current.role = "lead-partner"
            current.evidence.append(Evidence("role", cue.quote, cue.start, cue.end, cue.rule, cue.confidence))


def holding(members: Members, member: Member) -> int | None:
    """The network whose member was found at this very mention ("líder de la red: Södertälje")."""
    said = member.evidence[0].start
    for index, group in members.items():
        for known in group.values():
            if any(e.field == "member" and e.start == said for e in known.evidence):
                return index
    return None


def only_network(members: Members, key: object) -> int | None:
    """The one network of the page that has this member, or None."""
    holding = [index for index, group in members.items() if key in group]
    return holding[0] if len(holding) == 1 else None
