"""What an importer makes of a table: the fact file, its inline source entry, the places to resolve,
and the cells' values read strictly (money, dates, countries, slugs), each error naming its cell.

>>> slugify("SME and entrepreneurship"), slugify("Łęknica / Ørsted")
('sme-and-entrepreneurship', 'leknica-orsted')
>>> slugify("\u0391\u0393\u03a1\u039f-\u03a4\u0391\u03a5\u03a4\u039f\u03a4\u0397\u03a4\u0391")
'agro-taftotita'
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pycountry

from citynet.sources.facts import SourceEntry
from citynet.sources.model import FactFile, Member, Money, Network, PartialDate
from citynet.sources.tables import Row, cell_text

GREEK_LATIN = "a v g d e z i th i k l m n x o p r s s t y f ch ps o"
CYRILLIC_LATIN = (
    "a b v g d e zh z i y k l m n o p r s t u f h ts ch sh sht a y yu ya dj j lj nj c dz gj kj dz ye"
)
CYRILLIC_LATIN += " i yi y e yo"
GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", GREEK_LATIN.split(" "), strict=True))
CYRILLIC = dict(zip("абвгдежзийклмнопрстуфхцчшщъьюяђјљњћџѓќѕєіїыэё", CYRILLIC_LATIN.split(" "), strict=True))
# Latin letters NFKD leaves whole, as plain letters (the gazetteer's name index folds them too).
LETTERS = {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "þ": "th", "ð": "d", "\u0131": "i"}
LATIN = {**LETTERS, "ł": "l"}
LATIN |= {"\u03b1\u03c5": "af", "\u03b5\u03c5": "ef"}  # Greek diphthongs before a consonant, as ELOT 743
COUNTRY_ALIASES = {
    "EL": "GR",
    "UK": "GB",
    "TURKEY": "TR",
    "RUSSIA": "RU",
    "CZECH REPUBLIC": "CZ",
    "KOSOVO": "XK",
}
MAX_SLUG = 80


def slugify(text: str) -> str:
    """A lower-case ASCII slug: accents dropped, Greek and Cyrillic transliterated, the rest ``-``."""
    lowered = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(c for c in lowered if not unicodedata.combining(c))
    for source, target in LATIN.items():
        bare = bare.replace(source, target)
    spelled = "".join(GREEK.get(c) or CYRILLIC.get(c) or c for c in bare)
    slug = re.sub(r"[^a-z0-9]+", "-", spelled).strip("-")
    return slug[:MAX_SLUG].rsplit("-", 1)[0] if len(slug) > MAX_SLUG else slug


@dataclass
class PlaceRequest:
    """A member whose place is to be resolved; ``municipality``: the member is its town's City."""

    member: Member
    network: Network
    town: str
    country: str | None
    postal_code: str | None = None
    nuts3: str | None = None
    nuts3_name: str | None = None
    municipality: bool = False
    named_place: bool = False  # the name may be the town's own ("Ghent" in Gent): its City if so


@dataclass(frozen=True)
class ReviewLine:
    """A line of the review list: a row an importer could not settle on its own."""

    record: str
    name: str
    town: str
    country: str
    issue: str  # e.g. "not-found", "ambiguous", "two spellings of one town"
    candidates: str = ""  # "Name (geonames id, population); ..."


@dataclass
class Imported:
    """An import's result before anything is written: checked facts and what to resolve or review."""

    id: str
    facts: FactFile
    entry: SourceEntry
    places: list[PlaceRequest] = field(default_factory=list)
    review: list[ReviewLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # header lines: how the date was found, ...


def read_money(row: Row, column: str, currency: str = "EUR", decimal: str = ".") -> Money | None:
    """A non-negative amount (``"892,228.58"``, ``758394.29``; ``decimal=","``: ``"1.234,5"``), else None.

    >>> from citynet.sources.tables import Table
    >>> row = Row(Table("k.xlsx", "Projects", ["Budget"]), 5, {"Budget": "-1.00"})
    >>> read_money(row, "Budget")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    citynet.errors.TableError: k.xlsx: sheet "Projects" row 5 column "Budget": negative amount "-1.00" - ...
    """
    value = row.cells.get(column)
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(repr(float(value)))
    else:
        text = re.sub(r"[\s€]|EUR", "", cell_text(value))
        if not text:
            return None
        thousands = "," if decimal == "." else "."
        try:
            amount = Decimal(text.replace(thousands, "").replace(decimal, "."))
        except InvalidOperation:
            raise row.fail(column, f'expected an amount like 892,228.58, got "{cell_text(value)}"') from None
    if amount < 0:
        raise row.fail(column, f'negative amount "{cell_text(value)}" - expected 0 or more')
    return (
        Money(amount.normalize() if amount == amount.to_integral() else amount, currency) if amount else None
    )


DATE_FORMATS = {
    "iso": re.compile(r"^(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?)?$"),
    "day-first": re.compile(r"^(?:(?:(?P<d>\d{1,2})[-/.])?(?P<m>\d{1,2})[-/.])?(?P<y>\d{4})$"),
}


def read_date(row: Row, column: str, order: str = "iso") -> PartialDate | None:
    """A date, year-month or year (``2015/10/27``, ``2021-06``; ``order="day-first"``: ``04/04/2018``).

    >>> from citynet.sources.tables import Table
    >>> table = Table("t.csv", None, ["start"])
    >>> read_date(Row(table, 3, {"start": "2015/10/27"}), "start")
    PartialDate(text='2015-10-27', datatype='date')
    >>> read_date(Row(table, 3, {"start": "2021-06"}), "start")
    PartialDate(text='2021-06', datatype='gYearMonth')
    >>> read_date(Row(table, 3, {"start": "2015/02/30"}), "start")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    citynet.errors.TableError: t.csv: row 3 column "start": impossible date "2015/02/30" - day is out of ...
    """
    value = row.cells.get(column)
    text = cell_text(value)
    if not text:
        return None
    found = DATE_FORMATS["iso"].match(text) or DATE_FORMATS.get(order, DATE_FORMATS["iso"]).match(text)
    if not found:
        raise row.fail(column, f'expected a date like 2015/10/27, 2015-10 or 2015, got "{text}"')
    year, month, day = found.group("y"), found.group("m"), found.group("d")
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise row.fail(column, f'impossible date "{text}" - {exc}') from None
    if day:
        return PartialDate(f"{year}-{int(month):02d}-{int(day):02d}", "date")
    return PartialDate(f"{year}-{int(month):02d}", "gYearMonth") if month else PartialDate(year, "gYear")


@cache
def to_country(text: str) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code, an English name or keep.eu's "DE Germany / DEUTSCHLAND".

    >>> to_country("EL Greece / ELLADA"), to_country("UNITED KINGDOM"), to_country("de"), to_country("Oz")
    ('GR', 'GB', 'DE', None)
    >>> to_country("LV; the page says 'Litwa' in error")
    'LV'
    """
    text = text.strip()
    code = text[:2].upper() if re.match(r"^[A-Za-z]{2}(?:[\s;,]|$)", text) else text.upper()
    code = COUNTRY_ALIASES.get(code, code)
    if len(code) == 2 and pycountry.countries.get(alpha_2=code):
        return code
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None


def read_file_date(path: Path) -> tuple[str, str]:
    """A file's date and how it was found: a workbook's own creation date, else the file's date.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("a\\n")
    >>> read_file_date(path)[1]
    "the file's modification date (the export states none)"
    """
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml").decode("utf-8", "replace")
        found = re.search(r"<dcterms:created[^>]*>(\d{4}-\d{2}-\d{2})", core)
        if found:
            return found.group(1), "the workbook's creation date (docProps/core.xml)"
    except (zipfile.BadZipFile, KeyError, OSError):
        pass
    modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date().isoformat()
    return modified, "the file's modification date (the export states none)"
