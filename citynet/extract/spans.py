"""Where found words stand to each other: overlapping, inside, covering most of.

>>> from citynet.extract.model import Span
>>> a, b = Span(0, 6, "REFILL", "r", 1.0), Span(0, 10, "REFILL net", "r", 1.0)
>>> overlaps(a, b), inside(a, b), covers_most(a, b)
(True, True, True)
"""

from __future__ import annotations

import re

from citynet.extract.model import Span


def covers_most(a: Span, b: Span) -> bool:
    """``a`` makes up most of ``b`` ("Eiropa pilsoņiem", a programme, quoted as if a network)."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > 0 and shared >= 0.6 * (b.end - b.start)


def inside(a: Span, b: Span) -> bool:
    """``a`` lies inside ``b`` and is shorter."""
    return b.start <= a.start and a.end <= b.end and (a.end - a.start) < (b.end - b.start)


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


# A sentence ends at . ! ? ; before a capital or a digit (so "tzw. liderem", "2018 r. było" and
# "Dr. Hollstein" stay inside), or at the end of its line.
SENTENCE = re.compile(r"[^\n]+?(?:[.!?;](?=[ \t]+[^\s\w]*[A-ZÀ-ŽĀ-žΑ-Ω0-9])|$)", re.MULTILINE)


def sentence_at(text: str, at: int) -> re.Match[str] | None:
    """The sentence holding position ``at``, read within its own line (a sentence never crosses one).

    >>> sentence_at("Poznań leads. Riga joins.\\nNext line.", 16).group()
    ' Riga joins.'
    """
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    end = len(text) if end < 0 else end
    return next((s for s in SENTENCE.finditer(text, start, end) if s.start() <= at < s.end()), None)
