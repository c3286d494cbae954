"""What a fact file says as typed values (networks, calls, members, dates, money); the patterns they match."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DURATION = re.compile(r"^P(?=[0-9])(?:[0-9]+Y)?(?:[0-9]+M)?(?:[0-9]+D)?$")  # ASCII: \d takes other digits
COUNTRY = re.compile(r"^[A-Z]{2}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}$")  # BCP 47: subtags of 1 to 8 characters
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")  # http(s), and nothing an IRI may not hold
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 and C1 controls but tab and newline
MAX_COUNT = 1_000_000_000  # counts, orders and GeoNames IDs
MAX_DIGITS = 20  # a number below 10^21, with at most 20 digits after the point


@dataclass(frozen=True)
class PartialDate:
    """A date at the precision the source gives: ``gYear``, ``gYearMonth`` or ``date``.

    >>> from citynet.sources.fields import parse_date
    >>> parse_date("2013-06", "f.yaml", 1, "start").datatype
    'gYearMonth'
    """

    text: str
    datatype: str


@dataclass(frozen=True)
class Money:
    value: Decimal
    currency: str


@dataclass(frozen=True)
class CoFinancing:
    rate: Decimal | None = None
    up_to: bool = False
    fund: str | None = None
    amount: Money | None = None


@dataclass(frozen=True)
class Name:
    text: str
    lang: str | None


@dataclass(frozen=True)
class Phase:
    order: int
    name: str
    duration: str
    applied_on: PartialDate | None = None
    approved_on: PartialDate | None = None


@dataclass(frozen=True)
class Evidence:
    """Why a fact was proposed: the quoted words, where they stand in the stored text, who found them.

    ``quote`` is exactly ``text[start:end]`` of the extracted text kept beside the proposal
    (``graph/proposed/<source>.txt``); ``field`` names the fact it supports (``member``, ``role``,
    ``names``, ``budget`` …); ``rule`` is the rule or feature that found it; ``confidence`` is in [0, 1].

    >>> Evidence("member", "Daugavpils", 120, 130, "gazetteer:exact", 0.95).end
    130
    """

    field: str
    quote: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass
class Member:
    kind: str  # "city" or "organisation"
    name: str  # the city's name for resolution, or the organisation's name
    country: str | None
    role: str
    line: int
    written: str | None = None
    slug: str | None = None  # organisations only
    org_type: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    budget: Money | None = None
    co_financing: CoFinancing | None = None
    category: dict[str, str] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    # What importers add (issue 17). A city member is the municipality itself; an organisation is
    # located in a place. ``geonames`` is the place the importer resolved (the city, or the place an
    # organisation is located in): load takes it as a pin. Unresolved: ``town`` as written, no id.
    geonames: int | None = None
    town: str | None = None  # the town as the source writes it
    nuts3: str | None = None  # NUTS 3 code, e.g. "ITF33"
    legal_status: str | None = None  # as the source gives it, e.g. "public"
    website: str | None = None  # the organisation's site (http(s) only)
    record: str | None = None  # where in the source, e.g. "Partners row 17"
    evidence: list[Evidence] = field(default_factory=list)  # extraction (issue 19): the words behind it


@dataclass
class Declared:
    partners: int | None = None
    countries: int | None = None
    networks: int | None = None
    organisations: int | None = None
    newcomer_share: Decimal | None = None
    by_country: dict[str, int | None] = field(default_factory=dict)


@dataclass
class Network:
    id: str
    names: list[Name]
    line: int
    acronym: str | None = None
    programme: str | None = None
    type: str | None = None
    call: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    duration: str | None = None
    budget: Money | None = None
    co_financing: CoFinancing | None = None
    website: str | None = None
    themes: list[str] = field(default_factory=list)
    continues: str | None = None
    declared: Declared | None = None
    objective: dict[str, str] = field(default_factory=dict)
    expected_result: dict[str, str] = field(default_factory=dict)
    phases: list[Phase] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    eu_funding: Money | None = None  # the EU contribution, all funds together
    funds: dict[str, Money] = field(default_factory=dict)  # fund concept (erdf, ipa, eni) -> its budget
    record: str | None = None  # where in the source, e.g. "Projects (lead partners) row 5"
    evidence: list[Evidence] = field(default_factory=list)  # extraction (issue 19): the words behind it


@dataclass
class Call:
    id: str
    names: list[Name]
    line: int
    programme: str | None = None
    type: str | None = None
    approved_on: PartialDate | None = None
    duration: str | None = None
    declared: Declared | None = None
    phases: list[Phase] = field(default_factory=list)
    events: dict[str, str] = field(default_factory=dict)
    start: PartialDate | None = None  # when the call opened
    end: PartialDate | None = None  # when it closed
    budget: Money | None = None
    record: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Programme:
    """A funding programme a fact file declares (keep.eu names 113); the vocabulary's are known already."""

    id: str  # a slug; one of ontology/vocab/programmes.ttl (urbact-iii) or a new one
    names: list[Name]
    line: int
    strand: str | None = None  # concept of the strand scheme: interreg-a, interreg-b, interreg-c, ...
    period: str | None = None  # e.g. "2014-2020"
    record: str | None = None


@dataclass
class SourceEntry:
    """A source document: an entry of ``graph/sources.yaml``, or a fact file's own (``source:`` mapping)."""

    id: str
    title: str
    language: str
    line: int
    publisher: str | None = None
    url: str | None = None
    seed: str | None = None
    # For an export (issue 17): the file as downloaded, its date, the terms of reuse.
    file: str | None = None
    date: str | None = None
    licence: str | None = None
    # For an extracted document (issue 19): when it was read, the sha256 of its bytes, and the file
    # (beside the fact file) that keeps the extracted text the evidence offsets point into.
    retrieved: str | None = None
    sha256: str | None = None
    text: str | None = None


@dataclass
class FactFile:
    path: str
    source: str
    networks: list[Network]
    calls: list[Call]
    source_line: int = 1
    programmes: list[Programme] = field(default_factory=list)
    # An imported file registers its own source (``source:`` as a mapping) instead of naming an
    # entry of graph/sources.yaml; ``source`` is then its id.
    source_entry: SourceEntry | None = None
