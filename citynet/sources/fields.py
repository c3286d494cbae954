"""Reading one fact file's fields: checked text, IRIs, dates, money, names, phases.

:class:`Fields` wraps one YAML mapping; each ``read_*`` takes a key and returns a checked value
or raises :class:`citynet.errors.FactError` naming the file, the line and the field.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
import pyoxigraph as ox

from citynet.errors import FactError
from citynet.sources.model import (
    CONTROL,
    COUNTRY,
    CURRENCY,
    DURATION,
    LANG,
    MAX_COUNT,
    MAX_DIGITS,
    SLUG,
    URL,
    CoFinancing,
    Declared,
    Money,
    Name,
    PartialDate,
    Phase,
)
from citynet.sources.yamlfile import LineDict, show


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
                    path,
                    data.key_lines[key],
                    self.name(key),
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

    def text(
        self, key: str, required: bool = False, pattern: re.Pattern | None = None, expected: str = ""
    ) -> str | None:
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
            raise self.fail(
                key,
                f"expected a number below 10^{MAX_DIGITS + 1} with at most {MAX_DIGITS} "
                f"decimals, got {show(value)}",
            )
        if number < low or (high is not None and number > high):
            raise self.fail(key, f"{what}, got {value}")
        return number

    def sub(self, key: str, allowed: set[str]) -> Fields | None:
        value = self.get(key)
        return None if value is None else Fields(value, self.path, self.name(key), self.line(key), allowed)

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
        raise fields.fail(
            key,
            f"{show(text)} is not an http(s) URL - expected e.g. https://example.eu/, "
            'with no spaces or <>"{}|^` (percent-encode them)',
        )
    try:
        ox.NamedNode(text)
    except ValueError as exc:
        raise fields.fail(
            key, f"{show(text)} is not a valid IRI ({exc}) - expected e.g. https://example.eu/"
        ) from None
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
        raise FactError(
            f"impossible date {show(text)} - expected YYYY, YYYY-MM or YYYY-MM-DD", path, line, where
        ) from None
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
        sub = Fields(item, fields.path, f"{fields.name(key)}[{index}]", fields.line(key), {"text", "lang"})
        names.append(
            Name(sub.text("text", True) or "", sub.text("lang", pattern=LANG, expected="a language code"))
        )
    if not names:
        raise fields.fail(key, "missing required field: at least one name")
    return names


def read_lang_texts(fields: Fields, key: str) -> dict[str, str]:
    value = fields.get(key)
    if value is None:
        return {}
    if not isinstance(value, LineDict) or not all(
        isinstance(k, str) and LANG.match(k) and isinstance(v, str) for k, v in value.items()
    ):
        raise fields.fail(key, "expected texts by language code, e.g. {en: ..., pl: ...}")
    for text in value.values():
        check_printable(fields, key, text)
    return {k: " ".join(v.split()) for k, v in value.items()}


def read_phases(fields: Fields) -> list[Phase]:
    phases = []
    for index, item in fields.items("phases"):
        sub = Fields(
            item,
            fields.path,
            f"{fields.name('phases')}[{index}]",
            fields.line("phases"),
            {"order", "name", "duration", "applied_on", "approved_on"},
        )
        order = sub.integer("order", 1)
        if order is None:
            raise sub.fail("order", "missing required field")
        duration = sub.text("duration", True, DURATION, "an ISO 8601 duration such as P6M")
        phases.append(
            Phase(
                order,
                sub.text("name", True) or "",
                duration or "",
                read_date(sub, "applied_on"),
                read_date(sub, "approved_on"),
            )
        )
    return phases


def read_declared(fields: Fields) -> Declared | None:
    sub = fields.sub(
        "declared", {"partners", "countries", "networks", "organisations", "newcomer_share", "by_country"}
    )
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
    return Declared(
        sub.integer("partners"),
        sub.integer("countries"),
        sub.integer("networks"),
        sub.integer("organisations"),
        share,
        by_country,
    )
