"""Network names in a text: the graph's registry (names and acronyms) and the patterns of new names.

A name the registry knows gives the graph's own id (``refill``); a name found by a pattern (a quoted
or coined name beside a word for "network" or "project", a list line's head "NAME - City (CC), …",
a dated item, a title line) gets a new slug. :mod:`citynet.extract.names` puts them together.

>>> registry = Registry.of([KnownNetwork("refill", ("REuse of vacant spaces",), "REFILL", "urbact-iii")])
>>> [(m.id, m.quote, m.rule) for m in find_registry("Poznań joined REFILL in 2016.", registry)]
[('refill', 'REFILL', 'registry:acronym')]
>>> [(m.id, m.quote) for m in find_patterns("the URBACT network „Gen-Y City” started")]
[('gen-y-city', 'Gen-Y City')]
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from citynet.extract.model import Span
from citynet.sources.imported import slugify as to_slug

# Words for "network" or "project" in the languages (stems: matched at a word's start, any case).
NETWORK_WORDS = (
    "network|netzwerk|projek|projec|projet|progett|proyect|projeto|proiect|sieć|sieci|siecią|síť|sítí|sietí|sieť"
    "|tinkl|tīkl|mrež|omrež|omrezj|hálózat|rețea|retea|rețele|δίκτυ|έργο|verkost|nätverk|netværk|nettverk|prosjekt"
    "|rete|reti|red |redes|rede |réseau|reseau|xarxa|netwerk|partnerschap|partenariat|partnership|progra"
)
NETWORK_CUE = re.compile(rf"(?i)(?<!\w)(?:{NETWORK_WORDS})")
QUOTED = re.compile(r"[\"„“”«»‘’‚']\s*([^\"„“”«»‘’‚'\n]{2,100}?)\s*[\"“”«»‘’']")
COINED = re.compile(
    r"(?<![\w@.])(?:"
    r"[A-Z][A-Za-z0-9]*(?:[-–/@&+.][A-Za-z0-9]+)+(?:\s(?:II|III|IV|City|Cities|Pact|Lab))?"  # Gen-Y, ALT/BAU
    r"|[A-Za-z]+[a-z][A-Z0-9][A-Za-z0-9]*"  # IoTxChange, InnovaTO, Cities4CSR, iPlace
    r"|[A-Z][A-Z0-9]+(?:[ \t](?:\+[ \t])?[A-Z][A-Z0-9]+)+|[A-Z][A-Z0-9]{3,}"  # ON BOARD, REFILL (not ALL)
    r")(?![\w@])"
)
NOT_NAMES = {
    "URBACT",
    "INTERREG",
    "ERDF",
    "EFRR",
    "FEDER",
    "EFRE",
    "FESR",
    "ERPF",
    "EURO",
    "EUR",
    "NUTS",
    "COVID",
    "EGTC",
    "ESPON",
    "INTERACT",
    "HTML",
    "HTTP",
    "HTTPS",
    "WWW",
    "PDF",
    "LEADER",
    "CLLD",
    "SUDOE",
    "ULG",
    "URBACT-III",
    "URBACT-II",
    "URBACT-IV",
}
URBACT = re.compile(r"(?i)\bURBACT\b")
PROGRAMME_NAME = re.compile(
    r"(?i)(?:urbact|interreg|espon|interact)(?:[\s-]+(?:[IVX]+|[0-9]+|[A-C]|V-?[A-C]))*$"
)
# A capitalised name (1-4 words) right after "URBACT" or a network word, past at most two small words.
LIST_LINE = re.compile(
    r"(?m)^[ \t]*(?:[•*·▪-]|\d+[.)])?[ \t]*(?P<name>[^\n,(–—:•]{2,70}?)"
    r"[ \t]*(?:,|\(|[-–—:][ \t])[ \t]*[A-ZÀ-Ž]"
)
NAMED_PHRASE = re.compile(
    rf"(?i:(?<!\w)(?:{NETWORK_WORDS})\w*)[ \t]+"
    r"(?P<name>[A-ZÀ-Ž][a-zà-ž]+(?:[ \t][a-zà-ž]+){2,5})(?=\.[ \t\n])"
)
# Words of a network's type that may stand capitalised between a network word and the name ("Sieć
# Tematyczna Co-Net", "Thematic Network").
TYPE_WORDS = r"(?i:tematyczn\w*|thematic|thematisch\w*|tematic\w*|temàtic\w*|temátic\w*|thématique|robocz\w*)"
AFTER_CUE = re.compile(
    rf"(?i:(?<!\w)(?:{NETWORK_WORDS})\w*|\bURBACT\b)(?:\s+(?:[a-zà-ž]+|URBACT|IV|III|II|{TYPE_WORDS}))?"
    r"(?:\s+(?:[a-zà-ž]+))?"
    r"[ \t]+[«„“\"]?((?:[A-Z][\w@+&/.-]*|[a-z]+[A-Z][\w-]*)(?:[ \t][A-Z][\w@+&/.-]*){0,3})"
)


@dataclass(frozen=True)
class KnownNetwork:
    """A network the graph already has: its id, names, acronym and programme concept."""

    id: str
    names: tuple[str, ...]
    acronym: str | None
    programme: str | None


@dataclass(frozen=True)
class Registry:
    """The graph's networks by folded name and by acronym (as written, case kept)."""

    by_name: dict[str, tuple[KnownNetwork, ...]]
    by_acronym: dict[str, tuple[KnownNetwork, ...]]

    @classmethod
    def of(cls, networks: list[KnownNetwork]) -> Registry:
        names: dict[str, list[KnownNetwork]] = defaultdict(list)
        acronyms: dict[str, list[KnownNetwork]] = defaultdict(list)
        for network in networks:
            for name in network.names:
                if len(fold(name)) >= 6:
                    names[fold(name)].append(network)
            if network.acronym and len(network.acronym) >= 3:
                acronyms[fold(network.acronym)].append(network)
        return cls(
            {k: tuple(v) for k, v in names.items()},
            {k: tuple(v) for k, v in acronyms.items()},
        )


@dataclass(frozen=True)
class NetworkMention:
    """A network named in the text: a known one (its registry id) or a new one (a slug of its name)."""

    span: Span
    id: str
    name: str
    known: KnownNetwork | None = None

    @property
    def quote(self) -> str:
        return self.span.quote

    @property
    def rule(self) -> str:
        return self.span.rule

    @property
    def start(self) -> int:
        return self.span.start


def fold(text: str) -> str:
    """Fold a name for comparison: case, accents, and every character that is not a letter or digit.

    >>> fold("Urban–Regeneration-Mix") == fold("URBAN-REGENERATION-MIX"), fold("Roma–NeT II")
    (True, 'romanetii')
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def slugify(name: str) -> str:
    """A network id made from its name (the importers' slug, cut to 60 characters).

    >>> slugify("Gen-Y City"), slugify("Roma–NeT II"), slugify("ALT/BAU")
    ('gen-y-city', 'roma-net-ii', 'alt-bau')
    """
    return to_slug(name)[:60].strip("-") or "network"


NAME_GOES_ON = re.compile(r"[ \t]+[A-Z][A-Za-z]*[A-Z]?[a-z]*(?:[ \t]*$|[ \t]*\n)", re.MULTILINE)
# A short line of a name, then a line that lists places with their countries: "ACTive NGOs" above
# "Riga (LV), Siracusa (IT), …".
# A title line "ACRONYM – Title Words": "URGENT – Urban Re-Generation: European Network of Towns".
TITLE_LINE = re.compile(
    r"(?m)^[ \t]*(?P<name>[A-Z][A-Z0-9.&]{2,}[ \t]+[–—-][ \t]+[A-Z][^\n,()]{4,100}?)[ \t]*$"
)
# An item with its years: "a) Diet for a Green Planet (2013-2015). Red de Transferencia …".
DATED_ITEM = re.compile(
    r"(?m)^[ \t]*(?:[a-z]\)|\d{1,2}[.)]|[•*-])?[ \t]*(?P<name>[A-Z][^\n().:;]{2,60}?)[ \t]*"
    r"\((?:19|20)\d\d[ \t]*[–-][ \t]*(?:19|20)?\d\d\)"
)
LINE_HEAD = re.compile(
    r"(?m)^[ \t]*(?P<name>[A-Z0-9][^\n.:;,]{1,60}?)[ \t]*\n(?:[ \t]*\n)?[^\n]*\([A-Z]{2}\)[^\n]*\([A-Z]{2}\)"
)


def find_registry(text: str, registry: Registry) -> list[NetworkMention]:
    """Names and acronyms of known networks, where a word starts and ends."""
    found = []
    for match in re.finditer(r"[^\W_][\w&+/@.'’–-]*(?:[ \t]+[^\W_–-]?[\w&+/@.'’–-]*){0,15}", text):
        words = list(re.finditer(r"\S+", match.group()))
        for i in range(len(words)):
            for j in range(len(words), i, -1):
                start, end = match.start() + words[i].start(), match.start() + words[j - 1].end()
                while end > start and text[end - 1] in ".,;:)’'–- \t":
                    end -= 1
                phrase = text[start:end]
                known, rule = lookup(phrase, registry)
                if known is not None and rule == "registry:acronym" and NAME_GOES_ON.match(text, end):
                    known = None  # "ACTive NGOs": the acronym of another network begins this name
                if known is not None:
                    found.append(NetworkMention(Span(start, end, phrase, rule, 0.9), known.id, phrase, known))
                    break
    return drop_inside(found)


def lookup(phrase: str, registry: Registry) -> tuple[KnownNetwork | None, str]:
    key = fold(phrase)
    names = registry.by_name.get(key, ())
    if len(names) == 1:
        return names[0], "registry:name"
    acronyms = registry.by_acronym.get(key, ())
    if len(acronyms) == 1 and looks_coined(phrase) and sum(c.isalpha() for c in phrase) >= 4:
        return acronyms[0], "registry:acronym"
    return None, ""


def looks_coined(word: str) -> bool:
    """A word written as a name, not a common word: capitals past the first letter, digits or signs.

    >>> looks_coined("REFILL"), looks_coined("Maps"), looks_coined("iPlace"), looks_coined("maps")
    (True, False, True, False)
    """
    if not word[:1].isalnum():
        return False
    inner = word[1:]
    return any(c.isupper() or c.isdigit() for c in inner) or any(c in "-/@&+" for c in word)


def find_patterns(text: str) -> list[NetworkMention]:
    """New names: quoted or coined names near a word for network or project (or "URBACT"), a capitalised
    name right after such a word ("du réseau Riconnect", "URBACT iPlace"), and list-line heads."""
    found = []
    for pattern, rule, group in (
        (QUOTED, "pattern:quoted", 1),
        (COINED, "pattern:coined", 0),
        (AFTER_CUE, "pattern:after-cue", 1),
    ):
        for match in pattern.finditer(text):
            name = match.group(group).strip().rstrip(".,;:")
            if not acceptable(name, rule) or (
                rule != "pattern:after-cue" and not near_cue(text, match.start(), match.end())
            ):
                continue
            start = match.start(group) + len(match.group(group)) - len(match.group(group).lstrip())
            lead_word = re.match(rf"(?i)(?:{NETWORK_WORDS})\w*[ \t]+(?=\S)", name)
            if lead_word and rule != "pattern:quoted":  # "Netzwerks Re-grow City": the name is after it
                start, name = start + lead_word.end(), name[lead_word.end() :]
            confidence = 0.6 if rule == "pattern:coined" else 0.7
            found.append(
                NetworkMention(Span(start, start + len(name), name, rule, confidence), slugify(name), name)
            )
    for line in NAMED_PHRASE.finditer(text):  # "v URBACT pilotnem projektu Pobuda za prenos dobre prakse."
        name = line.group("name")
        span = Span(line.start("name"), line.end("name"), name, "pattern:named-phrase", 0.6)
        found.append(NetworkMention(span, slugify(name), name))
    for line in DATED_ITEM.finditer(text):
        name = line.group("name").strip()
        if acceptable(name, "pattern:dated-item"):
            span = Span(line.start("name"), line.start("name") + len(name), name, "pattern:dated-item", 0.7)
            found.append(NetworkMention(span, slugify(name), name))
    for line in TITLE_LINE.finditer(text):
        name = line.group("name")
        if acceptable(name, "pattern:title") and not name.endswith((".", ":")):
            span = Span(line.start("name"), line.end("name"), name, "pattern:title", 0.7)
            found.append(NetworkMention(span, slugify(name), name))
    for line in LINE_HEAD.finditer(text):
        name = line.group("name").strip()
        if acceptable(name, "pattern:line-head") and len(name.split()) <= 6:
            found.append(
                NetworkMention(
                    Span(line.start("name"), line.start("name") + len(name), name, "pattern:line-head", 0.7),
                    slugify(name),
                    name,
                )
            )
    heads = [m for m in LIST_LINE.finditer(text) if acceptable(m.group("name").strip(), "pattern:list-head")]
    if len(heads) >= 3:  # a list: three lines or more "NAME - City (CC)", "NAME, City", "• NAME (City):"
        for line in heads:
            name = line.group("name").strip()
            start = line.start("name") + len(line.group("name")) - len(line.group("name").lstrip())
            span = Span(start, start + len(name), name, "pattern:list-head", 0.7)
            found.append(NetworkMention(span, slugify(name), name))
    return drop_inside(found)


def previous_line_start(text: str, position: int) -> int:
    """Where the line with text before ``position`` starts (blank lines skipped)."""
    stripped = text[:position].rstrip()
    return stripped.rfind("\n") + 1


def near_cue(text: str, start: int, end: int) -> bool:
    """A word for network or project, or "URBACT", in the same line close before or after."""
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip(' \t„“"«'):  # a name alone on its line: the heading above counts
        line_start = previous_line_start(text, line_start)
    line_end = text.find("\n", end) % (len(text) + 1)
    window = text[max(line_start, start - 160) : min(line_end if line_end else len(text), end + 80)]
    return bool(NETWORK_CUE.search(window) or URBACT.search(window))


EVENTS = re.compile(
    r"(?i)(?<!\w)(?:festival|congress|conference|summit|forum|open days|week|meeting|seminar|workshop|"
    r"kongres|konferenc\w*|congreso|congrès|conferenza|jornadas|tagung|konferenz|kick-?off|campus)(?!\w)"
)


def acceptable(name: str, rule: str) -> bool:
    """A candidate name is not a programme, an event, a code, a sentence, or a plain lower-case phrase;
    a name after a word for network is one word, or holds a coined word (not "Tine Koler", a person)."""
    words = name.split()
    if rule == "pattern:after-cue" and len(words) > 1 and not any(looks_coined(w) for w in words):
        return False
    if EVENTS.search(name):
        return False
    if not name or name.upper() in NOT_NAMES or len(words) > 16 or PROGRAMME_NAME.match(name):
        return False
    if re.fullmatch(r"[\d\s.,/-]+", name) or not name[0].isalnum() or len(fold(name)) < 3:
        return False
    if re.match(r"[IVX]+\b", name) or name.split("-")[0].upper() in NOT_NAMES:
        return False  # "III Europske", "EFRR-a": a programme's numeral, a fund's inflected name
    if sum(c.isdigit() for c in name) > sum(c.isalpha() for c in name):
        return False
    if rule == "pattern:quoted":
        return name[0].isupper() or looks_coined(words[0])
    return True


def drop_inside(mentions: list[NetworkMention]) -> list[NetworkMention]:
    """Mentions sorted by place, without one that lies inside another (the longer one stays)."""
    ordered = sorted(mentions, key=lambda m: (m.span.start, -(m.span.end - m.span.start)))
    kept: list[NetworkMention] = []
    for mention in ordered:
        if kept and mention.span.start < kept[-1].span.end:
            continue
        kept.append(mention)
    return kept
