"""A town named again as "the Italian municipality": the place of that country the text named last.

"… în localitatea Casalborgone din Italia. Municipalitatea italiană, în parteneriat cu oraşul Cugir
…": the words for a municipality (or town, city) with an adjective of a country refer back to the
last place of that country named within :data:`BACK` characters. Nothing is found when no such
place was named: the phrase alone never makes a member.

The adjective is known by its stem: its first :data:`STEM` letters are those of the country's name
in the language or in English ("italiană", "Italian" and "Italia"; "belgijską" and "Belgia").

>>> from citynet.extract.model import PlaceMention, Span
>>> text = "Casalborgone din Italia. Municipalitatea italiană, în parteneriat cu oraşul Cugir"
>>> place = PlaceMention(Span(0, 12, "Casalborgone", "gazetteer:name", 0.95), 3180245, "Casalborgone", "IT")
>>> [(m.span.quote, m.name, m.span.rule) for m in find_references(text, "ro", [place])]
[('Municipalitatea italiană', 'Casalborgone', 'coreference:Casalborgone')]
"""

from __future__ import annotations

import re
from functools import cache

from citynet.extract.gazetteer import index_countries, to_key
from citynet.extract.model import PlaceMention, Span

BACK = 600  # characters back in which the place referred to was named
STEM = 5  # letters an adjective shares with its country's name
CONFIDENCE = 0.7
# Words for a municipality, a town or a city (lower case; any case in the text).
TOWN_WORDS = (
    r"municipality|town|city|municipalitatea|municipalitate|oraşul|orașul|comuna|ville|commune|"
    r"municipalité|comune|città|municipalità|ciudad|municipio|ayuntamiento|cidade|município|"
    r"miasto|gmina|stadt|gemeinde|gemeente|stad|kommune|kommun|kaupunki|grad|mesto|město|"
    r"város|pilsēta|miestas|δήμος"
)
WORD = r"[^\W\d_]{5,}"
PHRASE = re.compile(
    rf"(?i)(?<!\w)(?:(?P<t1>{TOWN_WORDS})\s+(?P<a1>{WORD})|(?P<a2>{WORD})\s+(?P<t2>{TOWN_WORDS}))(?!\w)"
)


@cache
def index_stems(language: str) -> dict[str, str]:
    """Countries by the first :data:`STEM` letters of their names in ``language`` and English."""
    names, _ = index_countries(language)
    return {key[:STEM]: code for key, code in sorted(names.items()) if len(key) >= STEM and " " not in key}


def find_references(text: str, language: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """A mention for each "<town word> <country adjective>" that refers back to a place named before."""
    stems = index_stems(language)
    found = []
    for match in PHRASE.finditer(text):
        adjective = match.group("a1") or match.group("a2")
        if adjective[:1].isupper() and language != "en":
            continue  # "Stadt Frankfurt": a name, not an adjective (English capitalises adjectives)
        country = stems.get(to_key(adjective)[:STEM])
        if country is None or any(p.span.start < match.end() and match.start() < p.span.end for p in places):
            continue
        earlier = [
            p
            for p in places
            if p.country == country and match.start() - BACK <= p.span.start and p.span.end <= match.start()
        ]
        if earlier:
            place = earlier[-1]
            span = Span(match.start(), match.end(), match.group(), f"coreference:{place.name}", CONFIDENCE)
            found.append(PlaceMention(span, place.geonames, place.name, place.country))
    return found
