"""Places and countries named in a text, with exact spans: the gazetteer matcher.

A place is looked for where a capitalised word starts (any word in an all-capitals text): the
longest run of up to five words, joined by spaces only, that the gazetteer names; else the single
word's base forms (morfeusz2 for Polish, simplemma, then one case ending, see
:func:`citynet.extract.gazetteer.list_forms`); else, for a word of six letters or more, a larger
place's name one edit away. A word the language's dictionary knows ("Mira", "Bar", "Union") must
name a large place, a place the graph knows, or a place in a country named beside it. An ambiguous
name goes to the place the graph knows, then to one in a country named nearby or on the page, then
to the most populous. The rule says how each was found (``gazetteer:name``,
``lemma:morfeusz``, ``suffix:lt:-as``, ``fuzzy:1-edit:Katowice``) and ends in ``:in-name:<words>``
when the place stands inside a longer capitalised name ("CIM Viseu Dão Lafões").

>>> gazetteer = load_gazetteer()
>>> text = "Poznań jest liderem, partnerami są Kłajpedą, Dyneburgiem i Katowize."
>>> [(m.span.quote, m.name, m.country) for m in find_places(text, "pl", gazetteer)][1:]
[('Kłajpedą', 'Klaipėda', 'LT'), ('Dyneburgiem', 'Daugavpils', 'LV'), ('Katowize', 'Katowice', 'PL')]
>>> [(m.span.quote, m.country) for m in find_countries("Baena z Hiszpanii, Birmingham (UK)", "pl")]
[('Hiszpanii', 'ES'), ('UK', 'GB')]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from citynet.extract.gazetteer import (
    Entry,
    Gazetteer,
    check_common,
    check_known,
    index_countries,
    list_countries,
    list_forms,
    load_gazetteer,  # noqa: F401 (the examples use it; callers may take it from here)
    to_key,
)
from citynet.extract.model import CountryMention, PlaceMention, Span

WORD = re.compile(r"[^\W\d_]+(?:['\u2019\-][^\W\d_]+)*")
LONGEST = 5  # words in a place name ("Vila Nova de Cerveira", "Saint-Germain-en-Laye" is one)
FORM_POPULATION = 3_000  # a base form (lemma) found names a place at least this large
SUFFIX_POPULATION = 10_000  # a form made by taking a case ending off, at least this large
EUROPE = re.compile(r"(?i)(?:europ|evrop|eirop|euroop|eorp|ewrop|ευρωπ|европ)")  # Europe's name, any case
ALTERNATE_POPULATION = 500_000  # a common word that is only an alternate name: Roma, not Uma
COMMON_POPULATION = 50_000  # a common word names a place only if it is this large (or else known)
CAPS_POPULATION = 100_000  # likewise an all-capitals word in a mixed-case text (an acronym?)
LIST_GAP = re.compile(r"\s*(?:[,;/|]|and|und|en|et|e|y|i|ir|un|ja|och|og|és|in|a|și|και)\s*")
SENTENCE_MARKS = '.!?:;\n•*-\u2013\u2014|"\u201c\u201e\u00ab'  # a word after these starts a sentence
NEAR = 80  # characters: a country named this close to a place is its context
CONNECTORS = {"de", "di", "da", "del", "della", "do", "dos", "das", "du", "des", "la", "le", "van", "von"}
CONNECTORS |= {"der", "of", "sur", "am", "an", "im", "nad"}  # not "and", "i", "e": they join lists
PAIRS = "pl:PL sl:SI lv:LV lt:LT cs:CZ sk:SK hu:HU fi:FI et:EE el:GR bg:BG ro:RO hr:HR da:DK sv:SE no:NO"
LANGUAGE_COUNTRY = dict(p.split(":") for p in f"{PAIRS} it:IT nl:NL pt:PT mt:MT ga:IE".split())  # weak hint


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Found:
    """Places a stretch of words may name, and how they were found."""

    first: int  # index of the first word
    count: int  # words taken
    places: list[Entry]
    rule: str
    confidence: float
    key: str
    language: str


def split_words(text: str) -> list[Word]:
    """The words of a text (hyphenated names and elisions kept whole), with their offsets.

    >>> [w.text for w in split_words("Bielsko-Biała, L'Hospitalet 2019")]
    ['Bielsko-Biała', "L'Hospitalet"]
    """
    return [Word(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def check_caps(text: str) -> bool:
    """Whether the text is written in capitals (then a name need not be capitalised).

    >>> check_caps("PARTNERZY: POZNAŃ, GRANADA"), check_caps("Partnerzy: Poznań")
    (True, False)
    """
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def check_joined(text: str, left: Word, right: Word) -> bool:
    """Whether two words are joined by spaces only (so they may be one name)."""
    gap = text[left.end : right.start]
    return 0 < len(gap) <= 2 and gap.isspace() and "\n" not in gap


def check_initial(text: str, word: Word) -> bool:
    """Whether the word starts a sentence, a line or a list item (so its capital proves nothing)."""
    before = text[: word.start].rstrip(" \t")
    return not before or before[-1] in SENTENCE_MARKS


def look_up(gazetteer: Gazetteer, text: str, words: list[Word], i: int, language: str) -> Found | None:
    """The longest name starting at word ``i``, as written, else a base form, else a close spelling."""
    count = 1
    while (
        count < LONGEST
        and i + count < len(words)
        and check_joined(text, words[i + count - 1], words[i + count])
    ):
        count += 1
    common = check_common(words[i].text, language)  # "Poznaniu": also a form of "poznanie"
    for n in range(count, 0, -1):
        key = to_key(text[words[i].start : words[i + n - 1].end])
        places = gazetteer.find(key)
        if places and len(key) >= 3:
            return Found(i, n, places, "gazetteer:name", 0.95, key, language)
        head = text[words[i].start : words[i + n - 1].start]  # "Santo " of "Santo Tirsas"
        found = look_up_forms(gazetteer, head, words[i + n - 1].text, language, common and n == 1)
        if found:
            places, rule, confidence, key = found
            return Found(i, n, places, rule, confidence, key, language)
    return None if common else find_close(gazetteer, text, words, i, language)


def look_up_forms(
    gazetteer: Gazetteer, head: str, word: str, language: str, common: bool
) -> tuple[list[Entry], str, float, str] | None:
    """The places a name ending in ``word`` names once the word is in its base form: a lemma, or
    (for a word of five letters or more, not a common word, a larger place) one case ending off."""
    for form, rule, confidence in list_forms(word, language):
        suffix = rule.startswith("suffix:")
        if not form[:1].isupper() or (suffix and (common or len(word) < 5)):
            continue
        least = SUFFIX_POPULATION if suffix else FORM_POPULATION
        places = [p for p in gazetteer.find(to_key(head + form)) if p.population >= least]
        if places:
            return places, f"{rule}:{head}{form}", confidence, to_key(head + form)
    return None


def find_close(gazetteer: Gazetteer, text: str, words: list[Word], i: int, language: str) -> Found | None:
    """A larger place whose name is one edit from a word of six letters or more: not a known word,
    not a word of a longer name ("Valentina Utaravičienė")."""
    key = to_key(words[i].text)
    if len(key) < 6 or check_known(words[i].text, language) or measure_name(text, words, i, i) != (i, i):
        return None
    if check_known(words[i].text, "en"):  # English inside any page: "Working with …" is not Woking
        return None
    close = process.extract(
        key, gazetteer.spellings.get(key[0], []), scorer=Levenshtein.distance, score_cutoff=1, limit=5
    )
    places = [p for choice, _, _ in close for p in gazetteer.find(choice)]
    if not places:
        return None
    best = max(places, key=lambda p: p.population)
    return Found(i, 1, places, f"fuzzy:1-edit:{best.name}", 0.6, to_key(best.name), language)


def list_near(countries: list[CountryMention], start: int, end: int) -> set[str]:
    """Countries named within :data:`NEAR` characters of a span."""
    return {c.country for c in countries if c.span.start < end + NEAR and c.span.end > start - NEAR}


def choose(found: Found, gazetteer: Gazetteer, near: set[str], page: set[str], language: str) -> Entry:
    """The place an ambiguous name most likely means: known to the graph, then in a country named
    nearby, then on the page or of the language, then the most populous."""
    known = gazetteer.labels.get(found.key, set())

    def score(place: Entry) -> float:
        return (
            math.log10(place.population + 10)
            + 4 * (place.geonames in known)
            + 3 * (place.country in near)
            + 1 * (place.country in page)
            + 0.5 * (place.country == LANGUAGE_COUNTRY.get(language))
            + 0.5 * (gazetteer.primary.get(place.geonames) == found.key)
        )

    return max(found.places, key=score)


def check_place(
    found: Found, place: Entry, gazetteer: Gazetteer, text: str, words: list[Word], caps: bool
) -> bool:
    """Whether a found place may stand. A place the graph knows always does; an all-capitals word (an
    acronym?) needs a large place, so does a short one ("Bar"); a common word ("Plan", "Klein") needs
    a large place when its capital proves nothing (in German, at a sentence's start, inside a longer
    name), and a very large one when it is an alternate name ("Roma", "Human")."""
    taken = words[found.first : found.first + found.count]
    language = found.language
    if place.geonames in gazetteer.labels.get(found.key, set()):
        return True
    if not caps and taken[0].text.isupper() and len(taken[0].text) > 1:
        return place.population >= CAPS_POPULATION
    if len(found.key.replace(" ", "")) < 4 and place.population < COMMON_POPULATION:
        return False
    if gazetteer.primary.get(place.geonames) != found.key and place.population < FORM_POPULATION:
        return False
    alternate = gazetteer.primary.get(place.geonames) != found.key
    if alternate and EUROPE.match(taken[0].text):
        return False  # "Europos", Lithuanian for "of Europe", is also a Greek village's other name
    if alternate and all(check_common(w.text, "en") for w in taken):
        return place.population >= ALTERNATE_POPULATION  # English inside any page: "From urbact"
    if not all(check_common(w.text, language) for w in taken):
        return True
    if alternate:
        return place.population >= ALTERNATE_POPULATION
    whole = (found.first, found.first + found.count - 1)
    weak = language == "de" or check_initial(text, taken[0]) or measure_name(text, words, *whole) != whole
    return not weak or place.population >= COMMON_POPULATION


def measure_name(text: str, words: list[Word], first: int, last: int) -> tuple[int, int]:
    """Widen words ``first..last`` to the capitalised name around them ("CIM Viseu Dão Lafões",
    "Comune di Torino"): capitalised words of two letters or more, and small joining words between."""

    def step(at: int, by: int) -> int:
        near, far = at + by, at + 2 * by
        if not 0 <= near < len(words) or not check_joined(text, *sorted((words[at], words[near]), key=key)):
            return 0
        if len(words[near].text) > 1 and words[near].text[:1].isupper():
            return by
        joined = 0 <= far < len(words) and check_joined(text, *sorted((words[near], words[far]), key=key))
        if words[near].text.lower() in CONNECTORS and joined and words[far].text[:1].isupper():
            return 2 * by
        return 0

    def key(w: Word) -> int:
        return w.start

    while move := step(first, -1):
        first += move
    while move := step(last, 1):
        last += move
    return first, last


def to_mention(
    text: str, words: list[Word], found: Found, place: Entry, gazetteer: Gazetteer
) -> PlaceMention:
    """A mention with its rule (alternate name, graph label, inside a longer name) and confidence."""
    start, end = words[found.first].start, words[found.first + found.count - 1].end
    rule, confidence = found.rule, found.confidence
    known = place.geonames in gazetteer.labels.get(found.key, set())
    if rule == "gazetteer:name" and gazetteer.primary.get(place.geonames) != found.key:
        rule, confidence = ("gazetteer:label", 0.9) if known else ("gazetteer:alternate-name", 0.9)
    if len({p.country for p in found.places}) > 1 and not known:
        confidence -= 0.05  # the name is also a place in another country
    first, last = measure_name(text, words, found.first, found.first + found.count - 1)
    if (first, last) != (found.first, found.first + found.count - 1):
        rule += f":in-name:{text[words[first].start : words[last].end]}"
    span = Span(start, end, text[start:end], rule, round(confidence, 2))
    return PlaceMention(span, place.geonames, place.name, place.country)


def find_places(text: str, lang: str, gazetteer: Gazetteer) -> list[PlaceMention]:
    """Places named in the text, in text order, each with its exact span. A name refused on its own
    (a common word) stands when it is listed next to places found ("Luik, Seraing, Eupen").

    >>> g = load_gazetteer()
    >>> [(m.span.quote, m.name, m.span.rule) for m in find_places("Baena z Hiszpanii i Porissa.", "pl", g)]
    [('Baena', 'Baena', 'gazetteer:name')]
    >>> [(m.name, m.span.rule) for m in find_places("Comune di Torino", "it", g)]
    [('Turin', 'gazetteer:alternate-name:in-name:Comune di Torino')]
    """
    words = split_words(text)
    countries = find_countries(text, lang)
    page = {c.country for c in countries}
    taken = {w.start for c in countries for w in words if c.span.start <= w.start < c.span.end}
    caps = check_caps(text)
    found: list[PlaceMention] = []
    refused: list[PlaceMention] = []
    i = 0
    while i < len(words):
        if not (caps or words[i].text[:1].isupper()) or words[i].start in taken:
            i += 1
            continue
        hit = look_up(gazetteer, text, words, i, lang)
        if hit is None:
            i += 1
            continue
        near = list_near(countries, words[i].start, words[i + hit.count - 1].end)
        place = choose(hit, gazetteer, near, page, lang)
        mention = to_mention(text, words, hit, place, gazetteer)
        if check_place(hit, place, gazetteer, text, words, caps):
            found.append(mention)
            i += hit.count
        else:
            refused.append(mention)
            i += 1
    return sorted(found + list_listed(text, found, refused), key=lambda m: m.span.start)


def list_listed(text: str, found: list[PlaceMention], refused: list[PlaceMention]) -> list[PlaceMention]:
    """Refused mentions that stand in a list with a found place: only a comma, a slash or "and"
    between them."""
    spans = [(m.span.start, m.span.end) for m in found]
    listed = []
    for mention in refused:
        start, end = mention.span.start, mention.span.end
        gaps = [text[e:start] for _, e in spans if e <= start][-1:] + [
            text[end:s] for s, _ in spans if s >= end
        ][:1]
        if any(LIST_GAP.fullmatch(gap) for gap in gaps):
            span = Span(
                start, end, mention.span.quote, mention.span.rule + ":listed", mention.span.confidence - 0.1
            )
            listed.append(PlaceMention(span, mention.geonames, mention.name, mention.country))
    return listed


# Countries -----------------------------------------------------------------------------------

CODES = {"UK": "GB", "EL": "GR"}  # as EU texts write them; else ISO 3166-1 alpha-2
OPENS, CLOSES = "(/,|\u2013-:", "),/|;:"


def check_code(text: str, word: Word) -> str | None:
    """A country code standing as one ("Birmingham (UK)", "Seraing, BE", "Mostar / BA")."""
    code = CODES.get(word.text, word.text)
    if len(word.text) != 2 or not word.text.isupper() or code not in list_countries():
        return None
    before, after = text[: word.start].rstrip(" "), text[word.end :].lstrip(" ")
    opened = not before or before[-1] in OPENS or before.endswith("\n")
    closed = not after or after[0] in CLOSES or after.startswith("\n")
    return code if opened and closed else None


def match_stems(
    words: list[Word], i: int, stems: tuple[tuple[tuple[str, ...], str], ...]
) -> tuple[int, str] | None:
    """A country name inflected: each word starts with the stem of the name's word ("Wielkiej Brytanii")."""
    for parts, code in stems:
        taken = words[i : i + len(parts)]
        if len(taken) == len(parts) and all(
            to_key(w.text).startswith(p) and len(w.text) <= len(p) + 6
            for w, p in zip(taken, parts, strict=True)
        ):
            return len(parts), code
    return None


def look_up_country(
    text: str, words: list[Word], i: int, language: str
) -> tuple[int, str, str, float] | None:
    """The country named at word ``i``: (words taken, code, rule, confidence)."""
    code = check_code(text, words[i])
    if code:
        return 1, code, "country:code", 0.85
    names, stems = index_countries(language)
    for n in range(min(4, len(words) - i), 0, -1):
        if n == 1 or all(check_joined(text, words[j], words[j + 1]) for j in range(i, i + n - 1)):
            found = names.get(to_key(text[words[i].start : words[i + n - 1].end]))
            if found:
                return n, found, "country:name", 0.95
    for form, rule, confidence in list_forms(words[i].text, language):
        if to_key(form) in names:
            return 1, names[to_key(form)], f"country:{rule}", confidence
    stemmed = match_stems(words, i, stems)
    return (stemmed[0], stemmed[1], "country:stem", 0.8) if stemmed else None


def find_countries(text: str, lang: str) -> list[CountryMention]:
    """Countries named in the text: names in English and the language (inflected too) and codes.

    >>> [(m.span.quote, m.country) for m in find_countries("z Niemiec i Wielkiej Brytanii", "pl")]
    [('Niemiec', 'DE'), ('Wielkiej Brytanii', 'GB')]
    >>> [(m.span.quote, m.country, m.span.rule) for m in find_countries("Itālija (3), EL", "lv")]
    [('Itālija', 'IT', 'country:name'), ('EL', 'GR', 'country:code')]
    """
    words, caps, found, i = split_words(text), check_caps(text), [], 0
    while i < len(words):
        hit = look_up_country(text, words, i, lang) if caps or words[i].text[:1].isupper() else None
        if hit is None:
            i += 1
            continue
        count, code, rule, confidence = hit
        start, end = words[i].start, words[i + count - 1].end
        found.append(CountryMention(Span(start, end, text[start:end], rule, confidence), code))
        i += count
    return found
