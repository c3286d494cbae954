"""Every network a text names: the registry's names first, then the patterns' new names, filtered.

A pattern's name is dropped when the registry's covers it, when it is mostly words of the page's
language (a title, a heading, "Partner wiodący"), when it is a programme's or an acronym's compound
with a common word ("Interreg-project", "EMR-steden"), or, found only after a word for network,
when it is a common word itself. A bracketed name right after a network's name is another name of it.

>>> registry = Registry.of([KnownNetwork("refill", ("REuse of vacant spaces",), "REFILL", "urbact-iii")])
>>> [(m.id, m.quote, m.rule) for m in find_networks("Poznań joined REFILL in 2016.", "en", registry)]
[('refill', 'REFILL', 'registry:acronym')]
>>> [(m.id, m.quote) for m in find_networks("the URBACT network „Gen-Y City” started", "en", Registry.of([]))]
[('gen-y-city', 'Gen-Y City')]
"""

from __future__ import annotations

import re

import simplemma
from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

from citynet.extract.model import Span
from citynet.extract.networks import (
    NETWORK_CUE,
    NETWORK_WORDS,
    PROGRAMME_NAME,
    KnownNetwork,
    NetworkMention,
    Registry,
    acceptable,
    drop_inside,
    find_patterns,
    find_registry,
    fold,
    lookup,
)
from citynet.extract.programmes import find_programmes
from citynet.extract.spans import covers_most, inside, overlaps

__all__ = ["NETWORK_WORDS", "KnownNetwork", "find_networks"]


def find_networks(text: str, lang: str, registry: Registry) -> list[NetworkMention]:
    """Every network named in ``text``: the registry's, then new ones; a pattern never overrides the registry.

    A name taken only because it follows a word for network must not be a word of the language
    (simplemma's dictionary): "progetto europeo Maps" is a name, "proyecto Festival" is not.
    """
    programmes = [span for _, span in find_programmes(text)]
    patterns = [p for p in find_patterns(text) if not any(covers_most(s, p.span) for s in programmes)]
    known = [
        k
        for k in find_registry(text, registry)
        if k.rule != "registry:acronym" or not any(inside(k.span, p.span) for p in patterns)
    ]
    new = [
        m
        for m in patterns
        if not any(overlaps(m.span, k.span) for k in known)
        and not (m.rule == "pattern:after-cue" and is_word(m.name, lang) and not registered(m.name, registry))
        and not (m.rule in PLAIN_RULES and mostly_words(m.name, lang))
        and not (
            m.rule == "pattern:quoted" and is_phrase(m.name, lang) and not cue_before(text, m.span.start)
        )
        and not generic_compound(m.name, lang)
    ]
    for mention in list(new):  # a pattern's name the registry knows after all (quotes, list heads)
        hit, rule = lookup(mention.name, registry)
        if hit is not None:
            new.remove(mention)
            known.append(NetworkMention(Span(*mention.span[:3], rule, 0.9), hit.id, mention.name, hit))
    mentions = drop_inside(known + new)
    return sorted(mentions + find_aliases(text, mentions), key=lambda m: m.span.start)


ALIAS = re.compile(r"[\"”“»’']?[ \t]*\((?P<name>[A-Z][^()\n,;:/]{2,60}?)\)")


def find_aliases(text: str, mentions: list[NetworkMention]) -> list[NetworkMention]:
    """A name in brackets right after a network's name is another name of it.

    >>> text = 'projektas „Gyvos gatvės" (Thriving Streets)'
    >>> [(m.quote, m.id) for m in find_aliases(text, find_patterns(text))]
    [('Thriving Streets', 'gyvos-gatves')]
    """
    found = []
    for mention in mentions:
        match = ALIAS.match(text, mention.span.end)
        if (
            match
            and acceptable(match.group("name"), "pattern:alias")
            and not re.fullmatch(r"[A-Z]{2}", match.group("name"))
        ):
            name = match.group("name").strip()
            span = Span(match.start("name"), match.start("name") + len(name), name, "pattern:alias", 0.7)
            found.append(NetworkMention(span, mention.id, name, mention.known))
    return found


PLAIN_RULES = {"pattern:list-head", "pattern:line-head", "pattern:coined"}


def mostly_words(name: str, lang: str) -> bool:
    """Words of the page's language rather than a name: most of them in its dictionary (simplemma).

    "Partner wiodący", "PROJEKTA APRAKSTS" and "La ciudad de Mollet del Vallès" are; "ON BOARD",
    "ALT/BAU" and "Roma–NeT II" (coined with signs) and one-word names are not judged so, nor are the
    names of English pages: their names are English words too.

    >>> mostly_words("Partner wiodący", "pl"), mostly_words("ON BOARD", "ca"), mostly_words("ALT/BAU", "de")
    (True, False, False)
    """
    words = name.split()
    if lang == "en" or lang not in SUPPORTED_LANGUAGES or len(words) < 2 or re.search(r"[-–/@+&\d]", name):
        return False
    return sum(is_word(w, lang) for w in words) >= 0.6 * len(words)


def registered(name: str, registry: Registry) -> bool:
    """A name the registry has as a name or an acronym, in any case ("Roof" for ROOF)."""
    return fold(name) in registry.by_name or fold(name) in registry.by_acronym


def is_phrase(name: str, lang: str) -> bool:
    """Three words or more, most of them the language's: a theme or a title, unless a word for
    project stands before it (“Lietu Internets kā politikas instruments …” is a project's name)."""
    words = [w.strip(".,;:()–-") for w in name.split()]
    words = [w for w in words if w]
    if lang == "en" or lang not in SUPPORTED_LANGUAGES or len(words) < 3:
        return False
    return sum(is_word(w, lang) for w in words) >= 0.6 * len(words)


def cue_before(text: str, start: int) -> bool:
    """A word for network or project just before a quoted name (“projekta „…”, “proiectul „…”)."""
    return bool(NETWORK_CUE.search(text[max(0, start - 25) : start]))


def generic_compound(name: str, lang: str) -> bool:
    """A programme's or an acronym's compound with a common word: "Interreg-project", "EMR-steden",
    "URBACT-Transfernetzwerke".

    >>> generic_compound("EMR-steden", "nl"), generic_compound("Agri-Urban", "es")
    (True, False)
    >>> generic_compound("Interreg-project", "nl")
    True
    """
    head, _, tail = name.partition("-")
    if len(tail) < 3 or " " in name:
        return False
    if PROGRAMME_NAME.match(head):
        return True
    return tail.islower() and is_word(tail, lang)


def is_word(name: str, lang: str) -> bool:
    """A single word the language's dictionary knows (simplemma; morfeusz2 for Polish, already
    loaded for places, where simplemma's dictionary would cost seconds), in any case.

    >>> is_word("Transferencia", "es"), is_word("Riconnect", "fr"), is_word("projekt", "pl")
    (True, False, True)
    """
    if " " in name or lang not in SUPPORTED_LANGUAGES:
        return False
    if lang == "pl":
        from citynet.extract.gazetteer import check_known  # morfeusz2: loaded with the gazetteer

        return check_known(name, lang)
    return bool(simplemma.is_known(name, lang=lang) or simplemma.is_known(name.casefold(), lang=lang))
