"""Finding entities by name: ``citynet find`` and the entity parameters of named queries.

A text matches an entity when, both folded (:func:`fold`: case, accents and the punctuation between
words), it equals one of the entity's names (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``
in any language, its acronym, a country's code), starts one, starts a word of one, or is inside
one; finds are ranked in that order. A parameter takes an IRI form first (a full IRI, what citynet
prints such as ``network/op-act`` or ``programme:urbact-iii``, a slug, a GeoNames id, a country
code), then a name that equals the text, then a name the text starts (a unique prefix).

SPARQL cannot fold accents, so the names of the wanted kinds come in one query
(``sparql/entity-labels.rq``) and are matched here; the entities shown are then described by one
more query (``sparql/entity-details.rq``). The user's text never enters a query's text: the IRIs
made from it are written by pyoxigraph as escaped terms, and names are compared in Python.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import Namespace

from citynet.errors import QueryError
from citynet.places.gazetteer import normalise
from citynet.query.engine import run_query, show
from citynet.rdf.namespaces import CN, PREFIXES, PROGRAMME, Ids
from citynet.rdf.sparqlfiles import read_sparql
from citynet.rdf.sparqltext import find_where_brace

KINDS = {
    "network": CN.Network,
    "city": CN.City,
    "organisation": CN.Organisation,
    "country": CN.Country,
    "programme": CN.Programme,
}
MATCHES = ("exact", "prefix", "word", "substring")
MIN_PREFIX = 3  # characters a parameter's value needs to be taken as the start of a name
MAX_TEXT = 1_000  # characters of a text to find
SHOWN = 8  # candidates an "ambiguous" message lists
SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/.,:;\u00b7]+")  # between words: spaces, dashes, dots
LABELS = read_sparql("citynet.query", "entity-labels")
ENTITY_OF_CLASS = read_sparql("citynet.query", "entity-of-class")
DETAILS = read_sparql("citynet.query", "entity-details")


@dataclass(frozen=True)
class Found:
    """An entity a text matched: its id as citynet prints it, what it is, how it matched."""

    id: str
    kind: str
    name: str
    country: str
    programme: str
    match: str  # one of MATCHES
    label: str  # the name that matched
    iri: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@lru_cache(maxsize=2**16)
def fold(text: str) -> str:
    """A name as it is compared: case, accents and the punctuation between words folded.

    >>> fold("KRAKÓW"), fold("OP-ACT"), fold("Cities of change \u2013 the co-operation")
    ('krakow', 'op act', 'cities of change the co operation')
    """
    folded = text.casefold() if text.isascii() else normalise(text)  # the same, faster, for ASCII
    return SEPARATORS.sub(" ", folded).strip()


def rank_name(needle: str, name: str) -> int | None:
    """How a folded text matches a folded name: 0 equal, 1 its start, 2 a word's start, 3 inside it.

    >>> [rank_name("krakow", n) for n in ("krakow", "krakowie", "nowy krakow", "podkrakowski", "x")]
    [0, 1, 2, 3, None]
    """
    at = name.find(needle) if needle else -1
    if at < 0:
        return None
    if name == needle:
        return 0
    if at == 0:
        return 1
    while at >= 0:
        if not name[at - 1].isalnum():
            return 2
        at = name.find(needle, at + 1)
    return 3


def bind_rows(text: str, values: dict[str, list[ox.Term]]) -> str:
    """The query with a ``VALUES`` block of several rows per variable opening its WHERE group.

    >>> bind_rows("SELECT ?e { ?e a ?c }", {"c": [ox.NamedNode("http://x/A"), ox.NamedNode("http://x/B")]})
    'SELECT ?e { VALUES ?c { <http://x/A> <http://x/B> }\\n ?e a ?c }'
    """
    brace = find_where_brace(text)
    blocks = " ".join(f"VALUES ?{name} {{ {' '.join(map(str, terms))} }}" for name, terms in values.items())
    return f"{text[: brace + 1]} {blocks}\n{text[brace + 1 :]}"


def read_names(reader: Any, kinds: list[str]) -> list[tuple[str, str, str]]:
    """Every (IRI, kind, name) of the entities of the kinds, in one query."""
    classes = {str(KINDS[kind]): kind for kind in kinds}
    text = bind_rows(LABELS, {"class": [ox.NamedNode(c) for c in classes]})
    solutions = run_query(reader, text)
    at = [variable.value for variable in solutions.variables]
    e, c, label = at.index("e"), at.index("class"), at.index("label")  # by index: 3 times faster at 30,000
    return [(row[e].value, classes[row[c].value], row[label].value) for row in solutions]


def match_names(text: str, names: list[tuple[str, str, str]]) -> dict[str, tuple[int, str, str]]:
    """The entities the text matches: IRI -> (rank, the name that matched best, kind).

    >>> match_names("krak", [("c/1", "city", "Kraków"), ("c/1", "city", "Krakowie"), ("n/1", "network", "X")])
    {'c/1': (1, 'Kraków', 'city')}
    """
    needle, best = fold(text), {}
    for iri, kind, name in names:
        rank = rank_name(needle, fold(name))
        if rank is not None and (iri not in best or (rank, len(name)) < (best[iri][0], len(best[iri][1]))):
            best[iri] = (rank, name, kind)
    return best


def describe(reader: Any, iris: list[str]) -> dict[str, tuple[str, str, str]]:
    """Name (English first), country code and programme of each entity, in one query."""
    if not iris:
        return {}
    rows = run_query(reader, bind_rows(DETAILS, {"e": [ox.NamedNode(iri) for iri in iris]}))
    return {
        row["e"].value: (
            read_cell(row, "en") or read_cell(row, "name"),
            read_cell(row, "code") or read_cell(row, "placed") or read_cell(row, "stated"),
            read_cell(row, "programme"),
        )
        for row in rows
    }


def read_cell(row: Any, name: str) -> str:
    """A result cell's text, "" when unbound."""
    return "" if row[name] is None else row[name].value


def to_short(iri: str, base: str = Ids().base) -> str:
    """An IRI as citynet prints it: without the instance base, or as a prefixed name.

    >>> to_short("https://w3id.org/citynet/id/city/3094802"), to_short(str(PROGRAMME) + "urbact-iii")
    ('city/3094802', 'programme:urbact-iii')
    """
    if iri.startswith(base):
        return iri[len(base) :]
    spaces = [(len(ns), prefix) for prefix, ns in PREFIXES.items() if iri.startswith(ns)]
    if spaces and re.fullmatch(r"[\w.-]+", iri[max(spaces)[0] :]):
        return f"{max(spaces)[1]}:{iri[max(spaces)[0] :]}"
    return iri


def find_entities(
    reader: Any, text: str, kinds: list[str] | None = None, limit: int | None = 50, ids: Ids | None = None
) -> list[Found]:
    """The entities (of the kinds, else of all KINDS) whose names match the text, best first."""
    if len(text) > MAX_TEXT:
        raise QueryError(f"the text to find is {len(text)} characters long - at most {MAX_TEXT}")
    if re.search("[\ud800-\udfff]", text):  # a shell passes bytes that are not UTF-8 as surrogates
        raise QueryError(f'the text to find "{show(text)}" is not UTF-8 - give UTF-8 text')
    if not fold(text):
        raise QueryError(f'nothing to find in "{show(text)}" - give a name, or a part of one')
    for kind in kinds or []:
        if kind not in KINDS:
            raise QueryError(f'unknown kind "{show(kind)}" - one of {", ".join(KINDS)}')
    matched = match_names(text, read_names(reader, kinds or list(KINDS)))
    ranked = sorted(matched, key=lambda iri: (matched[iri][0], len(fold(matched[iri][1])), iri))[:limit]
    details, base = describe(reader, ranked), (ids or Ids()).base
    return [to_found(iri, matched[iri], details.get(iri, ("", "", "")), base) for iri in ranked]


def to_found(iri: str, match: tuple[int, str, str], details: tuple[str, str, str], base: str) -> Found:
    """A find: the entity's id, kind and details, and how it matched.

    >>> found = to_found(Ids().base + "city/1", (0, "Krakov", "city"), ("Kraków", "PL", ""), Ids().base)
    >>> found.id, found.name, found.country, found.match, found.label
    ('city/1', 'Kraków', 'PL', 'exact', 'Krakov')
    """
    rank, label, kind = match
    name, country, programme = details
    return Found(to_short(iri, base), kind, name or label, country, programme, MATCHES[rank], label, iri)


def to_iris(kind: str, value: str, ids: Ids) -> list[ox.NamedNode]:
    """The IRIs a value may stand for: itself, what citynet prints, a slug, id or code of the kind.

    >>> [to_short(i.value) for i in to_iris("network", "OP-ACT", Ids())]
    ['network/OP-ACT', 'network/op-act']
    >>> [i.value for i in to_iris("programme", "programme:urbact-iii", Ids())][:1]
    ['https://w3id.org/citynet/vocab/programme/urbact-iii']
    """
    if value.startswith(("http://", "https://")):
        forms = [value]
    else:
        prefix, colon, local = value.partition(":")
        within = str(PROGRAMME) if kind == "programme" else str(getattr(ids, kind)(""))
        forms = [str(Namespace(PREFIXES[prefix])[local])] if colon and prefix in PREFIXES else []
        forms += [ids.base + value] if "/" in value else []
        forms += [within + (value.upper() if kind == "country" else v) for v in (value, value.lower())]
    iris = []
    for form in dict.fromkeys(forms):
        try:
            iris.append(ox.NamedNode(form))
        except ValueError:  # not an IRI (a space, a quote): the value is only a name
            continue
    return iris


def find_iri(reader: Any, kind: str, value: str, ids: Ids | None = None) -> ox.NamedNode | None:
    """The entity of the kind an IRI form of the value names, in one query (no scan of the names)."""
    iris = to_iris(kind, value, ids or Ids())
    if not iris:
        return None
    text = bind_rows(ENTITY_OF_CLASS, {"e": iris, "class": [ox.NamedNode(str(KINDS[kind]))]})
    known = {row["e"].value for row in run_query(reader, text)}
    return next((iri for iri in iris if iri.value in known), None)


def find_entity(reader: Any, kind: str, value: str, ids: Ids | None = None) -> ox.NamedNode:
    """The one entity of the kind a parameter's value names: an IRI form, else a name equal to the
    value, else the one name it starts; ambiguous or unknown values raise QueryError."""
    known = find_iri(reader, kind, value, ids)
    if known is not None:
        return known
    names = read_names(reader, [kind])
    matched = match_names(value, names)
    for rank in (0, 1) if len(fold(value)) >= MIN_PREFIX else (0,):
        same = sorted(iri for iri, (r, _, _) in matched.items() if r == rank)
        if len(same) == 1:
            return ox.NamedNode(same[0])
        if same:
            candidates = list_candidates(reader, same, kind, ids)
            raise QueryError(f'{kind} "{show(value)}" is ambiguous: {candidates}')
    raise QueryError(f'unknown {kind} "{show(value)}" - {suggest(value, names, kind)}')


def list_candidates(reader: Any, iris: list[str], kind: str, ids: Ids | None = None) -> str:
    """The candidates of an ambiguous value, each with its kind and country (or programme)."""
    found = describe_briefly(reader, iris[:SHOWN], kind, ids)
    more = f" and {len(iris) - SHOWN} more" if len(iris) > SHOWN else ""
    return ", ".join(found) + more + " - give one of these ids"


def describe_briefly(reader: Any, iris: list[str], kind: str, ids: Ids | None = None) -> list[str]:
    """``city/123 "Name" (city, PL)`` for each IRI of the kind."""
    details, base = describe(reader, iris), (ids or Ids()).base
    described = []
    for iri in iris:
        name, country, programme = details.get(iri, ("", "", ""))
        about = ", ".join(part for part in (kind, country, programme) if part)
        described.append(f'{to_short(iri, base)} "{show(name, 200)}" ({about})')
    return described


def suggest(value: str, names: list[tuple[str, str, str]], kind: str) -> str:
    """The nearest known names, else the first ten, for an unknown value.

    >>> suggest("Krakw", [("c/1", "city", "Kraków"), ("c/2", "city", "Bytom")], "city")
    'nearest known: Kraków'
    >>> suggest("x", [], "organisation")
    'the store holds no organisation'
    """
    originals: dict[str, str] = {}
    for _, _, name in names:
        originals.setdefault(fold(name), name)
    if not originals:
        return f"the store holds no {kind}"
    near = difflib.get_close_matches(fold(value), list(originals), n=5, cutoff=0.5)
    hint = [originals[n] for n in near] or sorted(originals.values())[:10]
    return "nearest known: " + ", ".join(show(name, 200) for name in hint)
