"""Read and check the curated fact files (``graph/*.yaml``) into plain dataclasses.

Every problem is a :class:`~citynet.errors.FactError` naming file, line and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pycountry
import pyoxigraph as ox

from citynet.errors import FactError
from citynet.sources.yamlfile import LineDict, read_yaml, show

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


@dataclass
class FactFile:
    path: str
    source: str
    networks: list[Network]
    calls: list[Call]
    source_line: int = 1


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code.

    >>> is_country("NO"), is_country("XX")
    (True, False)
    """
    return bool(COUNTRY.match(code)) and pycountry.countries.get(alpha_2=code) is not None


class Fields:
    """Typed access to one YAML mapping, with errors that name file, line and field."""

    def __init__(self, data: Any, path: str, where: str, line: int, allowed: set[str]) -> None:
        if not isinstance(data, LineDict):
            raise FactError("expected a mapping of fields", path, line, where)
        self.data, self.path, self.where = data, path, where
        for key in data:
            if key not in allowed:
                raise FactError(
                    f"unknown field {show(str(key))} - expected one of: {', '.join(sorted(allowed))}",
                    path, data.key_lines[key], self.name(key),
                )

    def name(self, key: Any) -> str:
        return f"{self.where}.{key}" if self.where else key

    def line(self, key: str | None = None) -> int:
        return self.data.key_lines.get(key, self.data.line) if key else self.data.line

    def fail(self, key: str, message: str) -> FactError:
        return FactError(message, self.path, self.line(key), self.name(key))

    def get(self, key: str, required: bool = False) -> Any:
        value = self.data.get(key)
        if value is None and required:
            raise self.fail(key, "missing required field")
        return value

    def text(self, key: str, required: bool = False, pattern: re.Pattern | None = None,
             expected: str = "") -> str | None:
        value = self.get(key, required)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # an acronym or a name that YAML reads as a number: 2020, 112
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected text, got {show(value)} - quote it if it is a name")
        check_printable(self, key, value)
        if pattern and not pattern.match(value):
            raise self.fail(key, f"{show(value)} is not {expected or 'valid'}")
        return value.strip()

    def integer(self, key: str, minimum: int = 0, maximum: int = MAX_COUNT) -> int | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise self.fail(key, f"expected a whole number from {minimum} to {maximum}, got {show(value)}")
        return value

    def decimal(self, key: str, low: Decimal, high: Decimal | None, what: str) -> Decimal | None:
        value = self.get(key)
        if value is None:
            return None
        try:
            number = Decimal(str(value)) if not isinstance(value, bool) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise self.fail(key, f"expected a number, got {show(value)}")
        if number.adjusted() >= MAX_DIGITS + 1 or number.as_tuple().exponent < -MAX_DIGITS:  # type: ignore
            raise self.fail(key, f"expected a number below 10^{MAX_DIGITS + 1} with at most {MAX_DIGITS} "
                                 f"decimals, got {show(value)}")
        if number < low or (high is not None and number > high):
            raise self.fail(key, f"{what}, got {value}")
        return number

    def sub(self, key: str, allowed: set[str]) -> Fields | None:
        value = self.get(key)
        return None if value is None else Fields(value, self.path, self.name(key), self.line(key),
                                                 allowed)

    def items(self, key: str) -> list[tuple[int, Any]]:
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list, got {show(value)}")
        return list(enumerate(value))


def check_printable(fields: Fields, key: str, text: str) -> None:
    """Refuse control characters (an escape sequence in a name would reach terminals).

    >>> check_printable(Fields(LineDict(), "f.yaml", "", 1, set()), "name", "A\\x1b]52;c;x\\x07")
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: f.yaml: name: contains the control character \\x1b - expected printable text
    """
    found = CONTROL.search(text)
    if found:
        code = ord(found.group())
        raise fields.fail(key, f"contains the control character \\x{code:02x} - expected printable text")


def check_iri(fields: Fields, key: str, text: str | None) -> str | None:
    """An http(s) URL that is also a valid IRI (pyoxigraph accepts it), or None.

    >>> check_iri(Fields(LineDict(), "f.yaml", "", 1, set()), "website", "https://x.eu/a b")
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: f.yaml: website: 'https://x.eu/a b' is not an http(s) URL ...
    """
    if text is None:
        return None
    if not URL.match(text) or len(text) > 2000:
        raise fields.fail(key, f"{show(text)} is not an http(s) URL - expected e.g. https://example.eu/, "
                               "with no spaces or <>\"{}|^` (percent-encode them)")
    try:
        ox.NamedNode(text)
    except ValueError as exc:
        raise fields.fail(key, f"{show(text)} is not a valid IRI ({exc}) - expected e.g. "
                               "https://example.eu/") from None
    return text


def parse_date(value: Any, path: str, line: int, where: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, rejecting impossible dates.

    >>> parse_date("2015-02-30", "f.yaml", 3, "end")
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: f.yaml:3: end: impossible date '2015-02-30' - expected YYYY, ...
    """
    text = str(value).strip() if isinstance(value, str | int | Decimal) else show(value)
    parts = text.split("-")
    shapes = {1: "gYear", 2: "gYearMonth", 3: "date"}
    try:
        ascii_digits = all(p.isascii() and p.isdigit() for p in parts)
        if not ascii_digits or len(parts[0]) != 4 or len(parts) not in shapes:
            raise ValueError
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        date(*numbers)
    except ValueError:
        raise FactError(f"impossible date {show(text)} - expected YYYY, YYYY-MM or YYYY-MM-DD",
                        path, line, where) from None
    return PartialDate(text, shapes[len(parts)])


def read_date(fields: Fields, key: str) -> PartialDate | None:
    value = fields.get(key)
    return None if value is None else parse_date(value, fields.path, fields.line(key), fields.name(key))


def read_period(fields: Fields) -> tuple[PartialDate | None, PartialDate | None]:
    start, end = read_date(fields, "start"), read_date(fields, "end")
    if start and end and end.text[: len(start.text)] < start.text[: len(end.text)]:
        raise fields.fail("end", f"end {end.text} is before start {start.text}")
    return start, end


def read_money(fields: Fields, key: str) -> Money | None:
    sub = fields.sub(key, {"value", "currency"})
    if sub is None:
        return None
    value = sub.decimal("value", Decimal(0), None, "money must not be negative")
    if value is None:
        raise sub.fail("value", "missing required field")
    currency = sub.text("currency", True, CURRENCY, "an ISO 4217 currency code such as EUR")
    return Money(value, currency or "")


def read_co_financing(fields: Fields, key: str) -> CoFinancing | None:
    sub = fields.sub(key, {"rate", "up_to", "fund", "amount"})
    if sub is None:
        return None
    rate = sub.decimal("rate", Decimal(0), Decimal(1), "a rate is between 0 and 1 (0.8 = 80 %)")
    up_to = sub.get("up_to") or False
    if not isinstance(up_to, bool):
        raise sub.fail("up_to", "expected true or false")
    amount = read_money(sub, "amount")
    if rate is None and amount is None:
        raise sub.fail("rate", "give a rate, an amount, or both")
    return CoFinancing(rate, up_to, sub.text("fund", pattern=SLUG, expected="a fund id"), amount)


def read_names(fields: Fields, key: str = "names") -> list[Name]:
    names = []
    for index, item in fields.items(key):
        sub = Fields(item, fields.path, f"{fields.name(key)}[{index}]", fields.line(key),
                     {"text", "lang"})
        names.append(Name(sub.text("text", True) or "", sub.text("lang", pattern=LANG,
                                                                   expected="a language code")))
    if not names:
        raise fields.fail(key, "missing required field: at least one name")
    return names


def read_lang_texts(fields: Fields, key: str) -> dict[str, str]:
    value = fields.get(key)
    if value is None:
        return {}
    if not isinstance(value, LineDict) or not all(isinstance(k, str) and LANG.match(k) and
                                                  isinstance(v, str) for k, v in value.items()):
        raise fields.fail(key, "expected texts by language code, e.g. {en: ..., pl: ...}")
    for text in value.values():
        check_printable(fields, key, text)
    return {k: " ".join(v.split()) for k, v in value.items()}


def read_phases(fields: Fields) -> list[Phase]:
    phases = []
    for index, item in fields.items("phases"):
        sub = Fields(item, fields.path, f"{fields.name('phases')}[{index}]", fields.line("phases"),
                     {"order", "name", "duration", "applied_on", "approved_on"})
        order = sub.integer("order", 1)
        if order is None:
            raise sub.fail("order", "missing required field")
        duration = sub.text("duration", True, DURATION, "an ISO 8601 duration such as P6M")
        phases.append(Phase(order, sub.text("name", True) or "", duration or "",
                            read_date(sub, "applied_on"), read_date(sub, "approved_on")))
    return phases


def read_declared(fields: Fields) -> Declared | None:
    sub = fields.sub("declared", {"partners", "countries", "networks", "organisations",
                                  "newcomer_share", "by_country"})
    if sub is None:
        return None
    by_country: dict[str, int | None] = {}
    given = sub.get("by_country")
    if given is not None and not isinstance(given, LineDict):
        raise sub.fail("by_country", f"expected partners by country code, e.g. {{PL: 3}}, got {show(given)}")
    countries = sub.sub("by_country", set(given or {}))
    for code in countries.data if countries else {}:
        if not isinstance(code, str) or not is_country(code):
            raise countries.fail(code, f"{show(code)} is not an ISO 3166-1 alpha-2 country code")
        by_country[code] = countries.integer(code, 1)
    share = sub.decimal("newcomer_share", Decimal(0), Decimal(1), "a share is between 0 and 1")
    return Declared(sub.integer("partners"), sub.integer("countries"), sub.integer("networks"),
                    sub.integer("organisations"), share, by_country)


Vocabulary = dict[str, set[str]]
"""Known concept ids per scheme: ``{"role": {"partner", ...}, "programme": {...}, ...}``."""


def read_concept(fields: Fields, key: str, scheme: str, vocab: Vocabulary,
                 value: Any = None) -> str | None:
    """Read a concept id and check it is in the vocabulary scheme."""
    concept = fields.text(key) if value is None else value
    if concept is not None and (not isinstance(concept, str) or concept not in vocab.get(scheme, set())):
        known = ", ".join(sorted(vocab.get(scheme, set())))
        raise fields.fail(key, f"unknown {scheme} {show(concept)} - expected one of: {known}")
    return concept


MEMBER_FIELDS = {"city", "organisation", "name", "written", "type", "country", "role", "start",
                 "end", "budget", "co_financing", "category", "status"}


def read_member(item: Any, fields: Fields, index: int, vocab: Vocabulary) -> Member:
    where = f"{fields.name('members')}[{index}]"
    sub = Fields(item, fields.path, where, fields.line("members"), MEMBER_FIELDS)
    kind = "city" if "city" in sub.data else "organisation" if "organisation" in sub.data else ""
    if not kind or ("city" in sub.data and "organisation" in sub.data):
        raise sub.fail("city", "give exactly one of 'city' or 'organisation'")
    if kind == "city" and ("name" in sub.data or "type" in sub.data):
        raise sub.fail("name" if "name" in sub.data else "type", "only organisations take this")
    country = sub.text("country", kind == "city", COUNTRY, "an ISO 3166-1 alpha-2 country code")
    if country and not is_country(country):
        raise sub.fail("country", f"'{country}' is not an ISO 3166-1 alpha-2 country code")
    start, end = read_period(sub)
    member = Member(kind=kind, name="", country=country, line=sub.line(),
                    role=read_concept(sub, "role", "role", vocab) or "",
                    written=sub.text("written"), start=start, end=end,
                    budget=read_money(sub, "budget"),
                    co_financing=read_co_financing(sub, "co_financing"),
                    category=read_lang_texts(sub, "category"),
                    status=read_lang_texts(sub, "status"))
    if not member.role:
        raise sub.fail("role", "missing required field")
    if kind == "city":
        member.name = sub.text("city", True) or ""
    else:
        member.slug = sub.text("organisation", True, SLUG, "a lower-case id like 'my-org'")
        member.name = sub.text("name", True) or ""
        member.org_type = read_concept(sub, "type", "organisation-type", vocab)
    if member.co_financing and member.co_financing.fund:
        read_concept(sub, "co_financing", "fund", vocab, member.co_financing.fund)
    return member


NETWORK_FIELDS = {"id", "names", "acronym", "programme", "type", "call", "start", "end", "duration",
                  "budget", "co_financing", "website", "themes", "continues", "declared",
                  "objective", "expected_result", "phases", "members"}


def read_network(item: Any, path: str, index: int, line: int, vocab: Vocabulary) -> Network:
    sub = Fields(item, path, f"networks[{index}]", line, NETWORK_FIELDS)
    start, end = read_period(sub)
    network = Network(
        id=sub.text("id", True, SLUG, "a lower-case id like 'op-act'") or "",
        names=read_names(sub), line=sub.line(), acronym=sub.text("acronym"),
        programme=read_concept(sub, "programme", "programme", vocab),
        type=read_concept(sub, "type", "network-type", vocab),
        call=sub.text("call", pattern=SLUG, expected="a call id"), start=start, end=end,
        duration=sub.text("duration", pattern=DURATION, expected="an ISO 8601 duration (P2Y6M)"),
        budget=read_money(sub, "budget"), co_financing=read_co_financing(sub, "co_financing"),
        website=check_iri(sub, "website", sub.text("website")),
        continues=sub.text("continues", pattern=SLUG, expected="a network id"),
        declared=read_declared(sub), objective=read_lang_texts(sub, "objective"),
        expected_result=read_lang_texts(sub, "expected_result"), phases=read_phases(sub),
    )
    for _, theme in sub.items("themes"):
        network.themes.append(read_concept(sub, "themes", "theme", vocab, theme) or "")
    if network.co_financing and network.co_financing.fund:
        read_concept(sub, "co_financing", "fund", vocab, network.co_financing.fund)
    network.members = [read_member(m, sub, i, vocab) for i, m in sub.items("members")]
    check_unique([(m.slug or f"{m.name}|{m.country}", m.line) for m in network.members], path,
                 f"{sub.name('members')}", "member")
    return network


CALL_FIELDS = {"id", "names", "programme", "type", "approved_on", "duration", "declared", "phases",
               "events"}


def read_call(item: Any, path: str, index: int, line: int, vocab: Vocabulary) -> Call:
    sub = Fields(item, path, f"calls[{index}]", line, CALL_FIELDS)
    return Call(
        id=sub.text("id", True, SLUG, "a lower-case id") or "", names=read_names(sub),
        line=sub.line(), programme=read_concept(sub, "programme", "programme", vocab),
        type=read_concept(sub, "type", "network-type", vocab),
        approved_on=read_date(sub, "approved_on"),
        duration=sub.text("duration", pattern=DURATION, expected="an ISO 8601 duration (P24M)"),
        declared=read_declared(sub), phases=read_phases(sub), events=read_lang_texts(sub, "events"),
    )


def check_unique(keys: list[tuple[str, int]], path: str, where: str, what: str) -> None:
    """Fail on the second occurrence of a key."""
    seen: set[str] = set()
    for key, line in keys:
        if key in seen:
            raise FactError(f"duplicate {what} '{key}'", path, line, where)
        seen.add(key)


def read_fact_file(path: Path, vocab: Vocabulary, root: Path | None = None) -> FactFile:
    """Read one fact file (a regular file inside ``root`` if given), checking every field.

    >>> vocab = {"role": {"partner"}, "programme": set(), "network-type": set()}
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.yaml"
    >>> yaml = "source: s\\nnetworks:\\n  - id: n\\n    names: [{text: N}]\\n"
    >>> _ = p.write_text(yaml + "    budget: {value: -1, currency: EUR}\\n")
    >>> read_fact_file(p, vocab)
    Traceback (most recent call last):
    ...
    citynet.errors.FactError: ...s.yaml:5: networks[0].budget.value: money must not be negative, got -1
    """
    data = read_yaml(path, root)
    top = Fields(data if data is not None else LineDict(), str(path), "", 1,
                 {"source", "networks", "calls"})
    source = top.text("source", True, SLUG, "a source id from graph/sources.yaml") or ""
    line = top.line("networks")
    networks = [read_network(n, str(path), i, line, vocab) for i, n in top.items("networks")]
    calls = [read_call(c, str(path), i, top.line("calls"), vocab) for i, c in top.items("calls")]
    check_unique([(n.id, n.line) for n in networks], str(path), "networks", "network id")
    check_unique([(c.id, c.line) for c in calls], str(path), "calls", "call id")
    return FactFile(str(path), source, networks, calls, top.line("source"))


@dataclass
class SourceEntry:
    id: str
    title: str
    language: str
    line: int
    publisher: str | None = None
    url: str | None = None
    seed: str | None = None


def read_sources(path: Path, root: Path | None = None) -> dict[str, SourceEntry]:
    """Read the register of sources (``graph/sources.yaml``)."""
    top = Fields(read_yaml(path, root), str(path), "", 1, {"sources"})
    entries: dict[str, SourceEntry] = {}
    for index, item in top.items("sources"):
        sub = Fields(item, str(path), f"sources[{index}]", top.line("sources"),
                     {"id", "title", "language", "publisher", "url", "seed"})
        entry = SourceEntry(
            id=sub.text("id", True, SLUG, "a lower-case id") or "", title=sub.text("title", True) or "",
            language=sub.text("language", True, LANG, "an ISO 639-1 code") or "", line=sub.line(),
            publisher=sub.text("publisher"),
            url=check_iri(sub, "url", sub.text("url")),
            seed=sub.text("seed"),
        )
        if entry.id in entries:
            raise sub.fail("id", f"duplicate source id '{entry.id}'")
        entries[entry.id] = entry
    return entries


@dataclass(frozen=True)
class Pin:
    city: str
    country: str
    geonames: int
    line: int


def read_pins(path: Path, root: Path | None = None) -> dict[tuple[str, str], Pin]:
    """Read pinned place resolutions (``graph/places.yaml``), keyed by (city, country)."""
    if not path.exists() and not path.is_symlink():
        return {}
    top = Fields(read_yaml(path, root), str(path), "", 1, {"places"})
    pins: dict[tuple[str, str], Pin] = {}
    for index, item in top.items("places"):
        sub = Fields(item, str(path), f"places[{index}]", top.line("places"),
                     {"city", "country", "geonames"})
        pin = Pin(sub.text("city", True) or "",
                  sub.text("country", True, COUNTRY, "an ISO 3166-1 alpha-2 code") or "",
                  sub.integer("geonames", 1) or 0, sub.line())
        if not pin.geonames:
            raise sub.fail("geonames", "missing required field")
        key = (pin.city, pin.country)
        if key in pins:
            raise sub.fail("city", f"duplicate pin for {pin.city} ({pin.country})")
        pins[key] = pin
    return pins
