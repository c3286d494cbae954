"""What the extraction modules pass each other: a read document and the things found in its text.

Offsets are character offsets into :attr:`Document.text`, the text that is stored beside the
proposal, so ``document.text[found.start:found.end] == found.quote`` always holds.

>>> doc = Document(text="Poznań jest liderem.", language="pl", sha256="0" * 64, media_type="text/plain")
>>> span = Span(0, 6, "Poznań", "gazetteer:exact", 0.95)
>>> doc.text[span.start:span.end] == span.quote
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """A document as read: its main text and what the page says about itself."""

    text: str  # the main text, tables kept as lines with cells separated by " | "
    language: str  # ISO 639-1, one of language.LANGUAGES
    sha256: str  # of the bytes as read
    media_type: str  # text/html, application/pdf or text/plain
    title: str | None = None
    publisher: str | None = None  # where the page says (site name, og:site_name, PDF author org)
    url: str | None = None  # --url, the page's canonical URL, or a plain text's first line if a URL
    date: str | None = None  # the page's own date (YYYY, YYYY-MM or YYYY-MM-DD) where it says
    path: str | None = None  # the file read


@dataclass(frozen=True)
class Span:
    """Words of the text, where they stand, and what found them."""

    start: int
    end: int
    quote: str
    rule: str  # e.g. "gazetteer:alternate-name", "lemma:simplemma", "fuzzy:1-edit", "cue:pl:lider"
    confidence: float


@dataclass(frozen=True)
class PlaceMention:
    """A place (a GeoNames city) named in the text."""

    span: Span
    geonames: int
    name: str  # the gazetteer's name of the place (Daugavpils for "Dyneburgiem")
    country: str  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class CountryMention:
    """A country named in the text ("z Hiszpanii", "Italy (3)")."""

    span: Span
    country: str  # ISO 3166-1 alpha-2 (GB for "UK", GR for "EL")


@dataclass(frozen=True)
class Value:
    """A date, an amount, a rate or a count found in the text, with its typed value.

    ``kind`` is one of ``date`` (value: ``str`` YYYY, YYYY-MM or YYYY-MM-DD), ``period`` (value:
    ``(start, end)`` of such strings or None), ``money`` (value: ``(Decimal, "EUR")``), ``rate``
    (value: ``Decimal`` in [0, 1]), ``partners``/``countries``/``cities``/``networks`` (value: ``int``).
    """

    kind: str
    value: Any
    span: Span
    extra: dict[str, Any] = field(default_factory=dict)
