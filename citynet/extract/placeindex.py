"""The gazetteer's index: places by folded name, and its plain form for the cache on disk.

:class:`Gazetteer` holds places by name and alternate name, the graph's own labels and the spellings
of the larger places; :func:`to_plain` turns it into tuples, lists, sets and dicts of ints and
strings only (what :mod:`marshal` writes) and :func:`from_plain` back into an equal index, in the
same order (ties between equally good places go the same way).

>>> g = Gazetteer()
>>> add_entry(g, Entry(3088171, "Poznań", "PL", 570352), ["Posen", "POZ"])
>>> g.labels[to_key("Poznaniu")].add(3088171)
>>> copy = from_plain(to_plain(g))
>>> copy == g, [e.name for e in copy.find("posen")], sorted(copy.names)
(True, ['Poznań'], ['posen', 'poznan'])
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

LAST_LETTER = "\u052f"  # the end of the Cyrillic supplement: Latin, Greek and Cyrillic come before
FUZZY_POPULATION = 10_000  # only places this large are matched to a misspelling (one edit)
NOT_A_NAME = re.compile(r"[\W_]+")
FOLD = {c: None for c in range(0x3000) if unicodedata.combining(chr(c))} | str.maketrans(
    {"ł": "l", "đ": "d", "ø": "o", "\u0131": "i", "ħ": "h"}
)


@dataclass(frozen=True)
class Entry:
    """A gazetteer place, as the matcher needs it."""

    geonames: int
    name: str
    country: str
    population: int


@dataclass
class Gazetteer:
    """Places by folded name (names and alternate names), the graph's own labels, and spellings
    of the larger places by first letter (for one-edit misspellings)."""

    places: dict[int, Entry] = field(default_factory=dict)
    names: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    primary: dict[int, str] = field(default_factory=dict)  # the key of each place's own name
    labels: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # the graph's
    spellings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def __repr__(self) -> str:
        return f"<Gazetteer of {len(self.places)} places, {len(self.names)} names, {len(self.labels)} labels>"

    def find(self, key: str) -> list[Entry]:
        """Places named ``key`` (a folded name), the graph's labels included, no duplicates.

        >>> g = Gazetteer()
        >>> add_entry(g, Entry(1, "Łomża", "PL", 60000), ["Lomza", "LOM"])
        >>> [e.name for e in g.find(to_key("LOMZA"))], g.find("lom")
        (['Łomża'], [])
        """
        ids = dict.fromkeys([*self.names.get(key, []), *sorted(self.labels.get(key, set()))])
        return [self.places[i] for i in ids if i in self.places]


def to_key(name: str) -> str:
    """Fold a name for matching: case, accents, hyphens and apostrophes (as spaces)."""
    folded = name.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded).translate(FOLD)
    return NOT_A_NAME.sub(" ", folded).strip()


def check_spelling(name: str) -> bool:
    """Whether an alternate name is worth indexing: in the Latin, Greek or Cyrillic script of the
    EU's languages, not a code ("POZ"), not a lower-case transliteration ("pajanana"), at least three
    characters.

    >>> [check_spelling(n) for n in ("Dyneburg", "POZ", "bo zi nan", "Πόζναν", "ポズナン")]
    [True, False, False, True, False]
    """
    if len(name) < 3 or name.islower() or max(name) > LAST_LETTER:
        return False
    return not (name.isupper() and len(name) <= 4)


def add_entry(gazetteer: Gazetteer, entry: Entry, alternates: list[str]) -> None:
    """Index a place under its name and its alternate names."""
    gazetteer.places[entry.geonames] = entry
    own = to_key(entry.name)
    gazetteer.primary[entry.geonames] = own
    for key in {own} | {to_key(n) for n in alternates if check_spelling(n)}:
        if len(key) < 3:
            continue
        gazetteer.names[key].append(entry.geonames)
        if entry.population >= FUZZY_POPULATION and len(key) >= 6:
            gazetteer.spellings[key[0]].append(key)


Plain = tuple[
    tuple[tuple[int, str, str, int], ...],
    dict[str, list[int]],
    dict[int, str],
    dict[str, set[int]],
    dict[str, list[str]],
]


def to_plain(gazetteer: Gazetteer) -> Plain:
    """The index as built-in values only: (places as rows, names, primary, labels, spellings)."""
    rows = tuple((e.geonames, e.name, e.country, e.population) for e in gazetteer.places.values())
    return (
        rows,
        dict(gazetteer.names),
        dict(gazetteer.primary),
        dict(gazetteer.labels),
        dict(gazetteer.spellings),
    )


def from_plain(plain: Plain) -> Gazetteer:
    """The index again from :func:`to_plain`'s values (TypeError or ValueError if they are not)."""
    rows, names, primary, labels, spellings = plain
    if not all(isinstance(part, dict) for part in (names, primary, labels, spellings)):
        raise TypeError("not a gazetteer's plain form")
    return Gazetteer(
        {row[0]: Entry(*row) for row in rows},
        defaultdict(list, names),
        primary,
        defaultdict(set, labels),
        defaultdict(list, spellings),
    )
