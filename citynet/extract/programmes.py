"""Programmes named in a text: URBACT I–IV and Europe for Citizens, as the vocabulary names them.

>>> [(p, s.quote) for p, s in find_programmes("URBACT III (2014-2020) and Europe for Citizens")]
[('urbact-iii', 'URBACT III'), ('europe-for-citizens-2007-2013', 'Europe for Citizens')]
"""

from __future__ import annotations

import re

from citynet.extract.model import Span
from citynet.extract.spans import overlaps

URBACT = re.compile(r"(?i)\bURBACT\b")
PROGRAMMES = (
    (re.compile(r"(?i)\bURBACT[\s-]*(?:IV|4)(?![\w-])"), "urbact-iv"),
    (re.compile(r"(?i)\bURBACT[\s-]*(?:III|3)(?![\w-])"), "urbact-iii"),
    (re.compile(r"(?i)\bURBACT[\s-]*(?:II|2)(?![\w-])"), "urbact-ii"),
    (re.compile(r"(?i)\bURBACT[\s-]*(?:I|1)(?![\w-])"), "urbact-i"),
)
CITIZENS = re.compile(
    r"(?i)europ[ea] for citizens|europa dla obywateli|eiropa pilsoņiem|europa für bürgerinnen|"
    r"europa per i cittadini|europa con los ciudadanos|l'europe pour les citoyens|l’europe pour les citoyens|"
    r"europa para os cidadãos|europa voor de burger|evropa za državljane|europa pentru cetățeni|"
    r"europa pentru cetateni|europa za građane|europa za gradjane|európa a polgárokért|"
    r"evropa pro občany|europa piliečiams|europa kansalaisille|ευρώπη για τους πολίτες|"
    r"cetăţeni activi pentru europa|cetățeni activi pentru europa"  # its action 1 in Romanian
)
URBACT_YEARS = (
    (2002, 2006, "urbact-i"),
    (2007, 2013, "urbact-ii"),
    (2014, 2022, "urbact-iii"),
    (2023, 2029, "urbact-iv"),
)


def find_programmes(text: str) -> list[tuple[str, Span]]:
    """Programmes named in the text with their concept ids; "URBACT" alone is ``urbact`` (generation unknown).

    >>> [(p, s.quote) for p, s in find_programmes("URBACT III (2014-2020) and Europe for Citizens")]
    [('urbact-iii', 'URBACT III'), ('europe-for-citizens-2007-2013', 'Europe for Citizens')]
    """
    found: list[tuple[str, Span]] = []
    taken: list[Span] = []
    for pattern, concept in PROGRAMMES:
        for match in pattern.finditer(text):
            span = Span(match.start(), match.end(), match.group(), "programme:name", 0.95)
            if not any(overlaps(span, t) for t in taken):
                found.append((concept, span))
                taken.append(span)
    for match in URBACT.finditer(text):
        span = Span(match.start(), match.end(), match.group(), "programme:urbact", 0.6)
        if not any(overlaps(span, t) for t in taken):
            found.append(("urbact", span))
    for match in CITIZENS.finditer(text):
        found.append(
            (
                "europe-for-citizens-2007-2013",
                Span(match.start(), match.end(), match.group(), "programme:name", 0.8),
            )
        )
    return sorted(found, key=lambda f: f[1].start)


def urbact_by_year(year: int) -> str | None:
    """The URBACT generation running in ``year``.

    >>> urbact_by_year(2016), urbact_by_year(1999)
    ('urbact-iii', None)
    """
    return next((concept for low, high, concept in URBACT_YEARS if low <= year <= high), None)
