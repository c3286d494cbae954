"""Content negotiation: the offered media type an HTTP ``Accept`` header prefers.

Used by the SPARQL endpoint (:mod:`citynet.store.serve`, results formats) and by linked-data
documents (:func:`citynet.store.resources.choose_format`).

>>> negotiate("application/ld+json;q=0.5, text/turtle", [("application/ld+json",), ("text/turtle",)])
'text/turtle'
"""

from __future__ import annotations


def negotiate(accept: str, offers: list[tuple[str, ...]]) -> str | None:
    """The offered media type the ``Accept`` header prefers (the first offer on a tie); the
    names after the first in an offer are aliases. None when none is acceptable.

    >>> results = [("application/sparql-results+json", "application/json"), ("text/csv",)]
    >>> negotiate("", results)
    'application/sparql-results+json'
    >>> negotiate("text/csv;q=0.5, application/json", results)
    'application/sparql-results+json'
    >>> negotiate("text/*", results), negotiate("text/html", results) is None
    ('text/csv', True)
    """
    ranges = parse_accept(accept or "*/*")
    best, best_q = None, 0.0
    for offer in offers:
        quality = max((rank_quality(ranges, name) for name in offer), default=0.0)
        if quality > best_q:
            best, best_q = offer[0], quality
    return best


def parse_accept(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header and their quality.

    >>> parse_accept("text/csv;q=0.5, */*;q=x")
    [('text/csv', 0.5), ('*/*', 0.0)]
    """
    ranges = []
    for item in accept.split(","):
        media, *params = [part.strip() for part in item.split(";")]
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality if quality == quality else 0.0))
    return ranges


def rank_quality(ranges: list[tuple[str, float]], media: str) -> float:
    """The quality the most specific matching range gives a media type (0 if none matches)."""
    kind = media.split("/")[0]
    for pattern in (media, f"{kind}/*", "*/*"):
        found = [quality for name, quality in ranges if name == pattern]
        if found:
            return max(found)
    return 0.0
