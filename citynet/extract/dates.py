"""Dates and periods in a text, at the precision the text states: never a part filled in from today.

Candidates are found with regular expressions (numeric dates, month names of the language, year
ranges); a candidate with a month name is read by dateparser (``DateDataParser`` on the candidate
only, with ``REQUIRE_PARTS`` so a missing year is no date), and by the month tables of
:mod:`citynet.extract.monthnames` where dateparser cannot (Latvian, Lithuanian, Slovenian case forms).
The precision is the one the words have: "September 2016" is ``2016-09``, never ``2016-09-01``.
It comes from which parts the matched words hold, not from dateparser's ``period``: REQUIRE_PARTS
can be met by one token used twice ("10/2017" as 2017-10-10 in YMD locales, dateparser#850), so a day is
kept only when the words give one and dateparser read the same day.

>>> [(v.kind, v.value) for v in find_dates("Projekt trwał od 2013 do 2015.", "pl")]
[('period', ('2013', '2015'))]
>>> [(v.kind, v.value) for v in find_dates("No 2013.gada jūnija līdz 2015.gada 31.maijam.", "lv")]
[('period', ('2013-06', '2015-05-31'))]
>>> [(v.kind, v.value, v.span.quote) for v in find_dates("Started in September 2016.", "en")]
[('date', '2016-09', 'September 2016')]
"""

from __future__ import annotations

import datetime
import re
from functools import cache, lru_cache

from dateparser.date import DateDataParser

from citynet.extract.model import Span, Value
from citynet.extract.monthnames import DATEPARSER_NAME, month_number, month_pattern

YEAR = r"(?:19|20)\d\d"
DASH = "\u2010\u2011\u2012\u2013\u2014-"  # hyphens and dashes; hyphen-minus last in a class
QUOTE = "'\u2019"
SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",  # "March 2021" is not the 25th when read on the 25th (dateparser#970)
    "REQUIRE_PARTS": ["year", "month"],  # no year or no month: no date, never this year's (#1042)
    "DATE_ORDER": "DMY",
    "RETURN_AS_TIMEZONE_AWARE": False,
}
NO_DATEPARSER = {"lv", "lt"}  # dateparser 1.5.0 fails on "2019. gada 1. janvāra", "2019 m. sausio 1 d."
MFF = {(2000, 2006), (2007, 2013), (2014, 2020), (2021, 2027), (2028, 2034)}  # programming periods

NUMERIC = (
    (re.compile(rf"(?<![\d./-])(?P<y>{YEAR})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?![\d-])"), "date:iso", 0.95),
    (
        re.compile(
            rf"(?<![\d.,/-])(?P<d>\d{{1,2}})(?P<s>[./-])\s?(?P<m>\d{{1,2}})(?P=s)\s?(?P<y>{YEAR})(?!\d)"
        ),
        "date:dmy",
        0.85,
    ),
    (
        re.compile(rf"(?<![\d.,/-])(?P<y>{YEAR})\.\s?(?P<m>\d{{1,2}})\.\s?(?P<d>\d{{1,2}})\b\.?"),
        "date:ymd",
        0.85,
    ),
)
CONNECTOR = (
    r"\.?\s*(?:godine|godina|roku|r\.|g\.)?\s*"
    rf"(?:[{DASH}]|to|till|until|through|do|až do|až|al|a|bis|au|à|jusqu[{QUOTE}]au|tot|t/m|til|"
    r"fino al|fino a|hasta|até|fins al|fins a|till|fram till|frem til|līdz|iki|ig|asti|până la|până în|"
    r"έως|ως)\s*"
)
CONJUNCTION = r"\s+(?:in|and|und|et|e|y|i|ir|un|és|och|og|en|a)\s+"
JOIN = re.compile(CONNECTOR, re.IGNORECASE)
ALONE, ENDS = rf"(?<![\d.,/{DASH}])", rf"(?![\d{DASH}])"  # a year not inside a longer number or date
YEAR_RANGE = re.compile(
    rf"{ALONE}(?P<a>{YEAR})(?P<dot>\.)?(?P<c>{CONNECTOR}|/)(?P<b>{YEAR})(?(dot)\.?){ENDS}", re.I
)
YEAR_PAIR = re.compile(rf"{ALONE}(?P<a>{YEAR})(?P<c>{CONJUNCTION})(?P<b>{YEAR}){ENDS}", re.I)
SHORT_RANGE = re.compile(rf"{ALONE}(?P<a>{YEAR})[/{DASH}](?P<b>[1-9]\d){ENDS}(?![.,/]\d)")  # "2016-18"
YEAR_AFTER = re.compile(rf"(?P<c>{CONNECTOR})(?P<b>{YEAR})(?![\d.,/{DASH}]*\d)", re.I)
PROGRAMME_CUE = re.compile(
    r"(?:URBACT|Interreg|ESPON|INTERACT|Horizon|Erasmus|programm?e?|programa|programma|programu|programme)"
    r"\W{0,3}(?:[IVX]{1,4}\W{0,3}|\+\W{0,3})?$",
    re.IGNORECASE,
)


@cache
def named_patterns(lang: str) -> tuple[re.Pattern[str], ...]:
    """Dates with a month name in ``lang``: day? month year, month day, year, and year (day?) month (day?)."""
    month = month_pattern(lang)
    day = r"[0-3]?\d(?:\.|st|nd|rd|th|er|º|°|ης)?"
    return tuple(
        re.compile(p, re.IGNORECASE)
        for p in (
            rf"(?:(?<![\d.,/])(?P<d0>[0-3]?\d)(?:\.|st|nd|rd|th|er|º|°)?(?:\s*(?:de |of )?(?P<m0>{month}))?"
            rf"{CONNECTOR})?(?:(?P<d>{day})\s*(?:de |of |ta[{QUOTE}] |d[{QUOTE}])?)?"
            rf"\b(?P<m>{month})"
            rf"(?:\s*,)?\s*(?:de |del |of |')?(?P<y>{YEAR})(?!\d)",
            rf"\b(?P<m>{month})\s+(?P<d>{day}),?\s+(?P<y>{YEAR})(?!\d)",
            rf"(?<!\d)(?P<y>{YEAR})\.?\s*(?:gada\s*|g\.\s*|m\.\s*|évi\s+|[ée]v\s+)?(?:(?P<d>[0-3]?\d)\.\s*)?"
            rf"(?P<m>{month})(?!\w)(?:\s+(?P<d2>[0-3]?\d)(?:\.|\s*d\.|\s*dieną)|\s+mėn\.|\s+mėnes\w+)?",
        )
    )


@cache
def parser(lang: str) -> DateDataParser:
    """dateparser for one language, made once."""
    return DateDataParser(languages=[DATEPARSER_NAME.get(lang, lang)], settings=SETTINGS)


@lru_cache(maxsize=4096)
def parse_candidate(candidate: str, lang: str) -> tuple[int, int, int] | None:
    """Year, month and day dateparser reads in a candidate (a few milliseconds, so each is read once).

    >>> parse_candidate("1 de novembro de 2025", "pt"), parse_candidate("4. Mai", "de")
    ((2025, 11, 1), None)
    """
    found = parser(lang).get_date_data(candidate).date_obj
    return (found.year, found.month, found.day) if found else None


def to_iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or None when no such day exists.

    >>> to_iso(2019, 9), to_iso(2019, 2, 30), to_iso(2016, 9, 1)
    ('2019-09', None, '2016-09-01')
    """
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def read_numeric(match: re.Match[str]) -> str | None:
    """A numeric date; day first, unless only month first makes sense (09/27/2019)."""
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if month > 12 and day <= 12 and "s" in match.groupdict():
        month, day = day, month
    return to_iso(year, month, day)


def first_of(match: re.Match[str]) -> int:
    """Where a named date starts: its day, month or year, whichever comes first (not a range's first day)."""
    return min(match.start(group) for group in ("d", "m", "y") if match[group])


def read_named(match: re.Match[str], lang: str) -> tuple[str | None, str]:
    """A date with a month name: its ISO form at the stated precision and the rule that read it."""
    year, month = int(match["y"]), month_number(match["m"], lang)
    day_text = match["d"] or match.groupdict().get("d2")
    day = int(re.match(r"\d+", day_text)[0]) if day_text else None
    candidate = match.string[first_of(match) : match.end()]
    if lang not in NO_DATEPARSER:
        found = parse_candidate(candidate, lang)
        if found and found[0] == year and (day is None or found[2] == day):
            return to_iso(year, found[1], day), "date:dateparser"
    return (to_iso(year, month, day) if month else None), f"date:months:{lang}"


def make(
    kind: str, value: object, text: str, start: int, end: int, rule: str, confidence: float, **extra: object
) -> Value:
    """A :class:`Value` whose span quotes ``text[start:end]``."""
    return Value(kind, value, Span(start, end, text[start:end], rule, confidence), extra)


def find_single_dates(text: str, lang: str) -> list[Value]:
    """Every date the text writes in full (numbers or a month name with a year), earliest first."""
    found: list[Value] = []
    for pattern, rule, confidence in NUMERIC:
        for match in pattern.finditer(text):
            if value := read_numeric(match):
                found.append(make("date", value, text, match.start(), match.end(), rule, confidence))
    for pattern in named_patterns(lang):
        for match in pattern.finditer(text):
            value, rule = read_named(match, lang)
            if value is None:
                continue
            start = first_of(match)
            if match.groupdict().get("d0") and len(value) == 10:  # "6-8 June 2018", "1. Mai bis 3. Juni 2018"
                month = month_number(match["m0"], lang) if match["m0"] else int(value[5:7])
                first = to_iso(int(value[:4]), month, int(match["d0"]))
                if first and first < value:
                    found.append(make("period", (first, value), text, match.start(), match.end(), rule, 0.85))
                    continue
            dot = match["m"].endswith(".") and len(match["m"]) > 5 and match.end("m") == match.end()
            end = match.end() - dot  # a sentence's full stop after a month written in full
            found.append(make("date", value, text, start, end, rule, 0.9))
    return keep_longest(found)


def keep_longest(values: list[Value]) -> list[Value]:
    """The values whose spans do not overlap a longer one (the earlier when as long), in text order.

    >>> found = [make("date", "", "", a, b, "", 1) for a, b in ((0, 10), (5, 30), (12, 15), (30, 31))]
    >>> [(v.span.start, v.span.end) for v in keep_longest(found)]
    [(5, 30), (30, 31)]
    """
    chosen: list[Value] = []
    for value in sorted(values, key=lambda v: (v.span.start, v.span.start - v.span.end)):
        last = chosen[-1].span if chosen else None
        if last is None or value.span.start >= last.end:
            chosen.append(value)
        elif value.span.end - value.span.start > last.end - last.start:
            chosen[-1] = value
    return chosen


def is_programme_period(text: str, start: int, first: str, last: str) -> bool:
    """A programming period ("2014-2020", "URBACT 2007-2013"), not a network's own period."""
    years = (int(first[:4]), int(last[:4]))
    return years in MFF or bool(PROGRAMME_CUE.search(text[max(0, start - 30) : start]))


def period(text: str, start: int, end: int, first: str, last: str, rule: str, confidence: float) -> Value:
    """A period value, tagged when it is a programming period."""
    tag = is_programme_period(text, start, first, last)
    return make("period", (first, last), text, start, end, rule, confidence, programme_period=tag)


def join_periods(text: str, dates: list[Value]) -> list[Value]:
    """Two dates joined by "-", "to", "do", "līdz" … become one period; a date then "to 2018" too."""
    joined: list[Value] = []
    index = 0
    while index < len(dates):
        here = dates[index]
        after = dates[index + 1] if index + 1 < len(dates) else None
        if (
            here.kind == "date"
            and after is not None
            and after.kind == "date"
            and JOIN.fullmatch(text[here.span.end : after.span.start])
            and here.value < after.value
        ):
            joined.append(
                period(text, here.span.start, after.span.end, here.value, after.value, "period:dates", 0.9)
            )
            index += 2
            continue
        tail = YEAR_AFTER.match(text, here.span.end) if here.kind == "date" else None
        if tail and tail["c"].strip() and tail["b"] > here.value[:4]:
            start, end = here.span.start, tail.end()
            joined.append(period(text, start, end, here.value, tail["b"], "period:date-year", 0.85))
        else:
            joined.append(here)
        index += 1
    return joined


def find_year_ranges(text: str) -> list[Value]:
    """ "2016-2018", "2013.-2015.", "od 2013 do 2015", "med leti 2018 in 2020" (the last less sure)."""
    found = []
    for pattern, rule, sure in ((YEAR_RANGE, "period:years", 0.85), (YEAR_PAIR, "period:years-and", 0.6)):
        for match in pattern.finditer(text):
            if 0 < int(match["b"]) - int(match["a"]) <= 20:
                found.append(period(text, match.start(), match.end(), match["a"], match["b"], rule, sure))
    for match in SHORT_RANGE.finditer(text):
        last = int(match["a"]) // 100 * 100 + int(match["b"])
        if int(match["b"]) > 12 and 0 < last - int(match["a"]) <= 20:  # not a month: "2016-09" is September
            found.append(
                period(text, match.start(), match.end(), match["a"], str(last), "period:years-short", 0.7)
            )
    return found


def find_dates(text: str, lang: str) -> list[Value]:
    """Dates (``kind="date"``) and periods (``kind="period"``) in ``text`` written in ``lang``.

    A date's value is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as precise as the text; a period's is
    ``(start, end)``; periods carry ``extra["programme_period"]`` (True for "2014-2020" and for a
    range right after a programme's name). A year alone is not a date; a day and month without a
    year are none either.

    >>> text = "URBACT 2007-2013; Diet for a Green Planet (2013-2015)"
    >>> [(v.value, v.extra) for v in find_dates(text, "es")]
    [(('2007', '2013'), {'programme_period': True}), (('2013', '2015'), {'programme_period': False})]
    >>> [v.value for v in find_dates("2019 m. sausio 1 d. - 2020 m. gegužės mėn.; 17-19 septembrie", "lt")]
    [('2019-01-01', '2020-05')]
    """
    dates = join_periods(text, find_single_dates(text, lang))
    return keep_longest(dates + find_year_ranges(text))
