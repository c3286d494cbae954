"""Spellings of a Town field to look up, from the most to the least literal (naming conventions).

Tables write a town with what a letter needs ("75013 Paris", "Lyon Cedex 07", "Odense C",
"Wien 10"), with abbreviations ("Freiburg i. Br.", "S.Margherita Ligure", "Gorzów Wlkp."),
with its region ("Heraklion, Crete", "Pforzheim (Baden-Württemberg)"), or with the word for
its kind ("Gmina Strzegom", "Satovcha village", "City of Vodnjan"). Each variant says how it
was made; the resolver trusts a bare cleaning more than a part of the field.
"""

from __future__ import annotations

import re

from citynet.places.nameindex import to_compact

CLEANED, PART, HYPHENATED, STRIPPED = "cleaned", "part", "hyphenated", "stripped"

POSTAL_WORDS = {"cedex", "cs", "bp", "postbus", "pb"}
KIND_WORDS = (
    "city of|town of|village of|municipality of|commune of|county of|district of|region of|"
    "comune di|citta di|città di|ayuntamiento de|ajuntament de|concello de|municipio de|"
    "câmara municipal de|camara municipal de|gemeente|stadt|gmina|miasto|grad|opština|opstina|općina|"
    "opcina|občina|obcina|obshtina|municipiul|comuna|orasul|oraș|judetul|județul|county|district|"
    "region|municipality|commune|village|town|city|vald|vallavalitsus|linn|novads|pagasts|apskritis|"
    "maakond|küla|alevik|kommune|kommun|fraz\\.|loc\\.|o\\.|distr\\.|reg\\."
)
KIND = re.compile(rf"(?i)(?:^|(?<=\s))(?:{KIND_WORDS})(?=\s|$)")
DASHES = ",|;|/|&|\\s[-\u2013\u2014]\\s?|[-\u2013\u2014]\\s|\\band\\b"  # en and em dashes too
ABBREVIATIONS = [
    (r"(?i)\bi\.\s*", "im "),
    (r"(?i)\bb\.\s*", "bei "),
    (r"(?i)\ba\.\s*d\.\s*", "an der "),
    (r"(?i)\ba\.\s*", "am "),
    (r"(?i)\bst\.\s*", "sankt "),
    (r"(?i)\bst\.\s*", "saint-"),
    (r"(?i)\bst\.\s*", "sint-"),
    (r"(?i)\bste\.\s*", "sainte-"),
    (r"(?i)\bs\.\s*", "san "),
    (r"(?i)\bs\.\s*", "santa "),
    (r"(?i)\bs\.\s*", "santo "),
    (r"(?i)\bsta\.\s*", "santa "),
    (r"(?i)\bag\.\s*", "agios "),
    (r"(?i)\bag\.\s*", "agia "),
    (r"(?i)\bag\.\s*", "agioi "),
    (r"(?i)\bwlkp\.?", "wielkopolski"),
    (r"(?i)\bbr\b\.?", "breisgau"),
    (r"(?i)\bmaz\.?$", "mazowiecki"),
    (r"(?i)\s*/\s*", " an der "),
]


def strip_postal(town: str) -> str:
    """Drop postal codes, CEDEX and district numbers, and a trailing district letter code.

    >>> strip_postal("75013 Paris"), strip_postal("Lyon CEDEX 02"), strip_postal("Odense C")
    ('Paris', 'Lyon', 'Odense')
    >>> strip_postal("F-92761 Antony"), strip_postal("København NV"), strip_postal("Wien 10")
    ('Antony', 'København', 'Wien')
    """
    words = [w for w in town.split() if not any(c.isdigit() for c in w) and w.casefold() not in POSTAL_WORDS]
    while len(words) > 1 and len(words[-1]) <= 2 and words[-1].isupper() and words[-1].isalpha():
        words.pop()
    return " ".join(words).strip(" ,.;:-\u2013")


def split_parts(town: str) -> list[str]:
    """The parts of a field that names a town with its district, region or a second name.

    >>> split_parts("Heraklion, Crete"), split_parts("Pforzheim (Baden-Württemberg)")
    (['Heraklion', 'Crete'], ['Pforzheim', 'Baden-Württemberg'])
    >>> split_parts("Praha \u2013 Dejvice"), split_parts("Arrasate-Mondragón")
    (['Praha', 'Dejvice'], ['Arrasate-Mondragón'])
    """
    outer = re.sub(r"\(.*?\)", " ", town)
    inner = re.findall(r"\((.*?)\)", town)
    parts = []
    for chunk in [outer, *inner]:
        for part in re.split(DASHES, chunk):
            part = part.strip(" .,")
            if part and part not in parts:
                parts.append(part)
    return parts


def expand_abbreviations(town: str) -> list[str]:
    """Spellings with one kind of abbreviation written out.

    >>> expand_abbreviations("Freiburg i. Br.")[-1]
    'Freiburg im breisgau'
    >>> "Gorzów wielkopolski" in expand_abbreviations("Gorzów Wlkp.")
    True
    """
    spelt = []
    for pattern, replacement in ABBREVIATIONS:
        expanded = re.sub(pattern, replacement, town).strip()
        if expanded != town:
            spelt.append(re.sub(r"\s+", " ", expanded))
    every = town
    for pattern, replacement in dict(reversed(ABBREVIATIONS)).items():  # the first of each pattern's
        every = re.sub(pattern, replacement, every)
    every = re.sub(r"\s+", " ", every).strip()
    return [*spelt, every] if every != town and every not in spelt else spelt


def drop_kind(town: str) -> str:
    """The town without words for its kind.

    >>> drop_kind("Satovcha village"), drop_kind("City of Vodnjan")
    ('Satovcha', 'Vodnjan')
    """
    return re.sub(r"\s+", " ", KIND.sub(" ", town)).strip(" ,.-")


SUFFIX = re.compile(r"(?i)^(.+?)\s+(?:am|an der|an|im|bei|ob|in der|co\.?)\s*\S.*$")
PREFIX = re.compile(r"(?i)^(?:bad|sankt)\s+(\S.*)$")


def drop_suffix(town: str) -> str:
    """The town without its river, region or county ("Schärding am Inn", "Crosshaven Co.Cork"),
    or without a "Bad" it took lately ("Bad Kötzting").

    >>> drop_suffix("Schärding am Inn"), drop_suffix("Crosshaven Co.Cork"), drop_suffix("Bad Kötzting")
    ('Schärding', 'Crosshaven', 'Kötzting')
    """
    for pattern in (SUFFIX, PREFIX):
        found = pattern.match(town)
        if found:
            return found.group(1)
    return town


def list_variants(town: str) -> list[tuple[str, str, str]]:
    """(spelling, trust, how) to look up in turn; the field as written comes first.

    >>> [v for v, _, _ in list_variants("Gmina Strzegom")][-1]
    'Strzegom'
    >>> list_variants("Lyon Cedex 07")[1]
    ('Lyon', 'cleaned', 'name without postal code')
    """
    written = re.sub(r"\s+", " ", town).strip()
    bare = strip_postal(written)
    found = [(written, CLEANED, "name"), (bare, CLEANED, "name without postal code")]
    found += [(v, CLEANED, "abbreviation written out") for v in expand_abbreviations(bare)]
    found += [(drop_kind(bare), PART, "without the word for its kind")]
    first = split_parts(bare)[:1]  # a later part is mostly the district, county or region around it
    found += [(p, PART, "first part of the name") for p in first]
    found += [(p, HYPHENATED, "one of its hyphenated names") for p in first if "-" in p]
    found += [(drop_kind(p), PART, "first part without its kind") for p in first]
    found += [
        (v, PART, "first part, abbreviation written out") for p in first for v in expand_abbreviations(p)
    ]
    found += [(v, STRIPPED, "without its river, region or Bad") for p in first for v in [drop_suffix(p)]]
    found += [
        (v, STRIPPED, "without its river, abbreviation written out")
        for v in expand_abbreviations(drop_suffix(bare))
    ]
    seen: set[str] = set()
    unique = []
    for spelling, trust, how in found:
        key = to_compact(spelling) + trust[0] * (trust == HYPHENATED)
        if key and key not in seen:
            seen.add(key)
            unique.append((spelling, trust, how))
    return unique
