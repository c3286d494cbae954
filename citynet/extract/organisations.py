"""What a place named inside a longer name is: the city itself, an organisation in it, or not a member.

The matcher (:mod:`citynet.extract.mentions`) marks a place standing inside a longer capitalised
name (``…:in-name:Nantes Métropole``). The words of that name decide:

- the municipality itself ("Miasto Łódź", "City of Strasbourg", "Göteborgs Stad") is the city;
- an organisation ("Nantes Métropole", "Dubrovnik Development Agency", "ADL Santa Pola") is an
  organisation located in the place, never the city;
- a building, a street, an event or a region ("Palazzo Farnese", "Pori Jazz", "Comunidad de
  Madrid") is no member at all;
- a person's name that begins with a place's name ("Reda Švelniūtė") is no member either, and the
  person is not recorded.

>>> classify("Nantes Métropole", "Nantes", "fr")
('organisation', 'municipal-association')
>>> classify("Miasto Łódź", "Łódź", "pl"), classify("Palazzo Farnese", "Farnese", "it")
(('city', None), ('none', None))
>>> classify("Reda Švelniūtė", "Reda", "lt")
('none', None)
"""

from __future__ import annotations

import re

from citynet.extract.model import PlaceMention, Span
from citynet.extract.names import is_word

# The municipality itself, in the languages (lower case; matched as whole words or word starts).
CITY_WORDS = (
    "city of|city council|town council|town of|municipality|municipal authority|comune|città|stad|"
    "kommun|kaupunki|miasto|urząd|gmina|občina|mestna|grad|câmara|município|municipio|ayuntamiento|"
    "ajuntament|ville|mairie|gemeente|stadt|δήμος|δήμο|pašvaldība|savivaldyb|miestas|město|obec|"
    "primăria|municipiul|oraşul|orașul|concello|kommune|bykommune|in|både"
)
# Organisations, with the organisation-type concept each word means.
ORG_WORDS = (
    (
        r"métropole|metropole|metropolitan|metropolitana|agglomération|agglomeration|agglomerazione|"
        r"cim|county council|intermunicipal|municipal association|novads|novada",
        "municipal-association",
    ),
    (
        r"association|associação|associazione|asociación|asociacion|udruga|verein|local councils",
        "association",
    ),
    (
        r"agency|agencija|agence|agenzia|agencia|adl|development corporation|entwicklungsgesellschaft",
        "agency",
    ),
    (
        r"university|universitet|università|universidad|universidade|uniwersytet|akademi|academy|iuav|"
        r"hochschule|research|institute|instituto|istituto|lab",
        "research-institute",
    ),
    (r"foundation|fundación|fundacion|fundação|fondazione|fundacja|stiftung|ngo|nonprofit|house", "ngo"),
    (r"chamber|camera di commercio|cámara de comercio|kammer", "chamber"),
    (r"kft|gmbh|ltd|s\.a\.|s\.p\.a\.|company|corporation|spółka|rede|egtc|grouping", "enterprise"),
)  # fmt: skip
# Places that are not members: buildings, streets, events, regions.
NOT_MEMBERS = (
    r"palazzo|palais|palacio|palácio|quai|street|straße|strasse|ulica|piazza|plaza|praça|jazz|festival|"
    r"región|region|região|regione|comunidad|provincia|province|vale|ciudad autónoma|yrittäjät|kleinstädte"
)
CITY = re.compile(rf"(?i)(?<!\w)(?:{CITY_WORDS})(?!\w)")
ORGS = tuple((re.compile(rf"(?i)(?<!\w)(?:{words})(?!\w)"), kind) for words, kind in ORG_WORDS)
NOT_MEMBER = re.compile(rf"(?i)(?<!\w)(?:{NOT_MEMBERS})")
IN_NAME = ":in-name:"


def name_of(mention: PlaceMention) -> str | None:
    """The longer name a place stands in, as the matcher recorded it, or None."""
    rule = mention.span.rule
    return rule.split(IN_NAME, 1)[1].removesuffix(":listed") if IN_NAME in rule else None


def classify(name: str, place: str, lang: str) -> tuple[str, str | None]:
    """``("city", None)``, ``("organisation", type)`` or ``("none", None)`` for a place inside ``name``."""
    rest = name.replace(place, " ")
    if NOT_MEMBER.search(rest):
        return "none", None
    for pattern, kind in ORGS:
        if pattern.search(rest):
            return "organisation", kind
    if CITY.search(rest):
        return "city", None
    if looks_like_person(name, place, lang):
        return "none", None
    return "city", None


def looks_like_person(name: str, place: str, lang: str) -> bool:
    """A place's name followed by one or two capitalised words no dictionary knows: a person's name."""
    words = name.split()
    if not name.startswith(place) or not 2 <= len(words) <= 4:
        return False
    others = name[len(place) :].split()
    return bool(others) and all(w[:1].isupper() and not w.isupper() and not is_word(w, lang) for w in others)


# Titles said before a person's name, in the languages (lower case, whole words).
TITLES = (
    r"mayor|deputy mayor|mr|mrs|ms|dr|prof|primar\w*|viceprimar\w*|gradonačelni\w*|dogradonačelni\w*|"
    r"burmistrz\w*|prezydent\w*|bürgermeister\w*|oberbürgermeister\w*|maire|adjointe?|sindac[oa]|"
    r"assessor[ea]|alcalde(?:sa)?|teniente de alcalde|prefeit[oa]|vereador[a]?|pormestari|borgmästare|"
    r"kommunalråd|ordfører|borgmester|burgemeester|wethouder|polgármester|alpolgármester|starost[ae]|"
    r"primátor\w*|župan\w*|δήμαρχο\w*|mēr\w*|meras|herr|frau|pan|pani|gospod|gospa|"
    r"arhitekt\w*|architekt\w*"
)
TITLE_BEFORE = re.compile(rf"(?i)(?<!\w)(?:{TITLES})\.?\s+$")
NAME_AFTER = re.compile(r"\s+[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž]+")
INITIAL_AFTER = re.compile(r"\s+[A-ZÀ-ÖØ-ÞĀ-Ž]\.\s+[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-ž]+")


def is_person(text: str, place: PlaceMention) -> bool:
    """A place's name that is a person's first name: after a title and before a capitalised word
    ("primarul Adrian Teban"), or before an initial and a name ("vojarna Ivan V. Drašković").

    >>> span = Span(9, 15, "Adrian", "gazetteer:name", 0.95)
    >>> is_person("primarul Adrian Teban", PlaceMention(span, 1, "Adrian", "RO"))
    True
    >>> is_person("primarul Adrian are", PlaceMention(span, 1, "Adrian", "RO"))
    False
    """
    before, after = text[max(0, place.span.start - 40) : place.span.start], text[place.span.end :]
    if INITIAL_AFTER.match(after):
        return True
    exact = place.span.rule.startswith("gazetteer:")  # not "prezydenta Poznania Mariusz …", a genitive
    return exact and bool(TITLE_BEFORE.search(before) and NAME_AFTER.match(after))


# "Jelgavas novada pašvaldība": the municipality of the area around a town, named by the town in the
# genitive and a lower-case word for the area (then, maybe, one for its council).
AREA_AFTER = re.compile(
    r"\s+(?:novad[asāuiem]*|rajon[ouea]\w*|apskrit\w*|powiat\w*|maakon\w*)"
    r"(?:\s+(?:pašvaldīb\w*|dome|savivaldyb\w*|starostw\w*|vald\w*))?(?!\w)"
)


def find_area(text: str, place: PlaceMention) -> Span | None:
    """The name of the area's municipality a place begins ("Jelgavas novada pašvaldība"), or None.

    >>> place = PlaceMention(Span(0, 8, "Jelgavas", "lemma:simplemma:Jelgava", 0.85), 459279, "Jelgava", "LV")
    >>> find_area("Jelgavas novada pašvaldība piedalīsies", place).quote
    'Jelgavas novada pašvaldība'
    >>> find_area("Jelgavas pilsēta", place) is None
    True
    """
    match = AREA_AFTER.match(text, place.span.end)
    if match is None:
        return None
    name = text[place.span.start : match.end()]
    return Span(
        place.span.start, match.end(), name, f"organisation:area:{place.span.rule}", place.span.confidence
    )


# "Kallipolis (Trieste / Italy)", "ERIGES Seraing (local agency, BE)": a member, then its town.
LOCATED = re.compile(r"\(\s*$")
MEMBER_WORDS = 10  # a member's name before its bracketed town has at most this many words
ITEM_START = re.compile(r"[;:\n•]|,\s(?=[A-ZÀ-Ž])")


def locate_member(text: str, place: PlaceMention) -> tuple[int, int] | None:
    """The span of the member a bracketed town belongs to ("…; Kallipolis (Trieste / Italy); …"):
    from the start of its list item to the bracket; None unless the place opens a bracket and a
    slash or comma follows it there."""
    before = text[max(0, place.span.start - 2) : place.span.start]
    after = text[place.span.end : place.span.end + 3]
    if not LOCATED.search(before) or not re.match(r"\s*[/,]", after):
        return None
    bracket = text.rfind("(", 0, place.span.start)
    starts = [m.end() for m in ITEM_START.finditer(text, max(0, bracket - 120), bracket)]
    start = starts[-1] if starts else max(0, bracket - 120)
    while start < bracket and not text[start].isalnum():
        start += 1
    end = bracket
    while end > start and text[end - 1] in " \t":
        end -= 1
    if re.search(r"[.!?]\s+[A-ZÀ-Ž]", text[start:end]) or len(text[start:end].split()) > MEMBER_WORDS:
        return None  # a sentence before the bracket, not a member's name ("… mit zwei Städten (Isernia, …")
    return (start, end) if end - start >= 2 else None
