"""What was found in a text, put together as facts: networks with their members, roles and figures.

Every fact carries the evidence it rests on. The rules, in order:

1. A network is a name the registry knows or a pattern found (:mod:`citynet.extract.networks`); a
   name that is a place, or a new name that no place stands by, is dropped.
2. A place belongs to the network named nearest before it on its line, else after it on its line,
   else before it in its paragraph, else to the one named last (the one network of the page). A place
   inside a longer name is the city, an organisation located in it, or no member
   (:mod:`citynet.extract.organisations`).
3. The lead is the place nearest a lead cue in the cue's sentence (:mod:`citynet.extract.roles`);
   none when the sentence has no place (a person was named). Everyone else is a partner.
4. Counts, periods, budgets and rates go to the network whose part of the text holds them.

>>> from citynet.extract.model import Document, PlaceMention, Span
>>> from citynet.extract.networks import NetworkMention
>>> text = "REFILL: Poznań is lead partner, with Ghent."
>>> doc = Document(text, "en", "0" * 64, "text/plain")
>>> places = [PlaceMention(Span(8, 14, "Poznań", "gazetteer:name", 0.95), 3088171, "Poznań", "PL"),
...           PlaceMention(Span(37, 42, "Ghent", "gazetteer:name", 0.95), 2797656, "Ghent", "BE")]
>>> nets = [NetworkMention(Span(0, 6, "REFILL", "pattern:coined", 0.6), "refill", "REFILL")]
>>> found = Found(doc, places, [], nets, [], [])
>>> [(m.name, m.role) for m in assemble_networks(found)[0].members]
[('Poznań', 'lead-partner'), ('Ghent', 'partner')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from citynet.extract.figures import (
    add_budget,
    add_by_country,
    add_co_financing,
    add_declared,
    add_period,
    add_programme,
    add_shared_start,
    add_type,
    evidence,
    find_acronym,
    find_types,
)
from citynet.extract.leads import assign_leads, key_of
from citynet.extract.mentions import find_countries
from citynet.extract.model import CountryMention, Document, PlaceMention, Span, Value
from citynet.extract.networks import EVENTS, NETWORK_CUE, NetworkMention, fold, slugify
from citynet.extract.organisations import CITY, classify, find_area, is_person, locate_member, name_of
from citynet.extract.owners import find_owner, group_networks, move_to_homes, place_owner_at, same_sentence
from citynet.extract.spans import overlaps
from citynet.sources.model import Member, Name, Network

BUDGET_CUE = re.compile(
    r"(?i)budget|budżet|bilancio|presupuesto|pressupost|orçamento|budžet|biudžet|proračun|rozpočet|"
    r"költségvetés|buget|προϋπολογισμ|talousarvio|begroting|totaal|kosten|total|celkov|vrijednost"
)


@dataclass(frozen=True)
class Found:
    """Everything the finders found in one document."""

    document: Document
    places: list[PlaceMention]
    countries: list[CountryMention]
    networks: list[NetworkMention]
    programmes: list[tuple[str, Span]]
    values: list[Value]


def clean_networks(found: Found) -> list[NetworkMention]:
    """Network mentions that are not place names and not inside a place's name."""
    text = found.document.text
    kept = []
    for mention in found.networks:
        is_place = any(covers(p.span, mention.span) for p in [*found.places, *found.countries])
        if is_place and mention.rule != "registry:name":
            continue
        if mention.rule in IN_LIST_RULES and between_places(text, mention.span, found):
            continue  # "…, Ange (Zviedrija), SALEG: The State Development Corporation (Vācija), Abô …"
        if mention.rule == "pattern:list-head" and not any(
            same_line(text, mention.span.end, p.span.start) for p in found.places
        ):
            continue
        kept.append(mention)
    kept = [m for m in kept if not wraps_another(m, kept)]
    heads = [m for m in kept if m.rule == "pattern:list-head"]
    return kept if len(heads) >= 3 else [m for m in kept if m.rule != "pattern:list-head"]


IN_LIST_RULES = {"pattern:coined", "pattern:after-cue"}


def between_places(text: str, span: Span, found: Found) -> bool:
    """A name inside an item of a list of members: its item (between commas or semicolons on its
    line) ends in a country in brackets, or holds a place and no network word, and a place stands
    in an earlier item ("…, Ange pašvaldība (Zviedrija), SALEG: The State Development Corporation of
    the State of Saxony-Anhalt (Vācija), Abô Akademi (Somija), …"; "…; Rede DLBC Lisboa (Lisabon /
    Portugal); …")."""
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line_end = len(text) if line_end < 0 else line_end
    low = max(text.rfind(",", line_start, span.start), text.rfind(";", line_start, span.start))
    if low < 0 or not any(line_start <= p.span.start and p.span.end <= low for p in found.places):
        return False
    high = min(
        i
        for i in (text.find(",", span.end, line_end), text.find(";", span.end, line_end), line_end)
        if i >= 0
    )
    item = text[low + 1 : high]
    in_brackets = any(
        low < c.span.start < high and text[c.span.end : c.span.end + 1] in ")/" for c in found.countries
    )
    holds_place = any(low < p.span.start < high for p in found.places)
    return in_brackets or (holds_place and not NETWORK_CUE.search(item))


# Words for "in" or "near" that put a place inside or beside a larger one, by language ("in" is
# "and" in Slovenian, "i" in Polish and Croatian: those languages have others).
SEAT_WORDS = {
    "en": "in|near|outside",
    "no": "i|ved|utenfor",
    "da": "i|ved|uden for",
    "sv": "i|utanför|nära",
    "de": "in|bei|nahe",
    "nl": "in|bij",
    "fr": "à|près de",
    "it": "a|vicino a",
    "es": "en|cerca de",
    "ca": "a|prop de",
    "pt": "em|perto de",
    "pl": "w|we|pod|koło",
    "cs": "v|u",
    "sk": "v|pri",
    "sl": "v|pri",
    "hr": "u|kod",
}


@cache
def compile_seat(lang: str) -> re.Pattern[str]:
    return re.compile(rf"(?i),?\s+(?:{SEAT_WORDS.get(lang, SEAT_WORDS['en'])})\s+")


def is_seat(text: str, place: PlaceMention, places: list[PlaceMention], lang: str) -> bool:
    """A place named right after another of its country to say where that one lies ("Westminster
    in London", "Zografou utenfor Athen"): not a member."""
    seat = compile_seat(lang)
    return any(
        other.country == place.country
        and other.geonames != place.geonames
        and seat.fullmatch(text, other.span.end, place.span.start)
        for other in places
        if other.span.end <= place.span.start
    )


def is_venue(
    text: str, place: PlaceMention, places: list[PlaceMention], mentions: list[NetworkMention]
) -> bool:
    """A place alone in brackets after an event or after another place, not after a network's name."""
    if (
        text[place.span.start - 1 : place.span.start] != "("
        or text[place.span.end : place.span.end + 1] != ")"
    ):
        return False
    line_start = text.rfind("\n", 0, place.span.start) + 1
    low = max(text.rfind(sign, line_start, place.span.start) for sign in ",;:") + 1 or line_start
    low = max(low, line_start)
    head = Span(low, place.span.start - 1, text[low : place.span.start - 1], "", 0.0)
    if any(overlaps(head, m.span) for m in mentions):
        return False
    return bool(EVENTS.search(head.quote)) or any(overlaps(head, p.span) for p in places if p is not place)


def in_country_list(text: str, place: PlaceMention, countries: list[CountryMention]) -> bool:
    """A place on a line headed by a country and a colon ("• Espagne : Galicia, …")."""
    line_start = text.rfind("\n", 0, place.span.start) + 1
    head = text[line_start : place.span.start]
    if ":" not in head:
        return False
    colon = line_start + head.index(":")
    return any(
        line_start <= c.span.start < colon and not text[line_start : c.span.start].strip(" \t•*-–")
        for c in countries
    )


WRAPPING_RULES = {
    "pattern:list-head",
    "pattern:line-head",
    "pattern:after-cue",
    "pattern:coined",
    "pattern:quoted",
}


def wraps_another(mention: NetworkMention, mentions: list[NetworkMention]) -> bool:
    """A found phrase around another network's name ("Projekt MAPS Varaždin" around "MAPS")."""
    if mention.rule not in WRAPPING_RULES:
        return False
    return any(
        other.name != mention.name
        and re.search(rf"(?<!\w){re.escape(other.name)}(?!\w)", mention.name)
        and not GENERATION.fullmatch(mention.name.replace(other.name, "", 1).strip())
        for other in mentions
    )


# What makes a network's successor of its name: "EVUE II" is another network than "EVUE".
GENERATION = re.compile(r"(?i)[IVX]{1,4}|\d{1,2}(?:\.\d)?|\+|plus|bis")


def covers(place: Span, name: Span) -> bool:
    """A place's words make up most of a name ("Cluj-Napoca"), not one word of it ("Gen-Y City")."""
    shared = min(place.end, name.end) - max(place.start, name.start)
    return shared > 0 and shared >= 0.6 * (name.end - name.start)


def same_line(text: str, start: int, end: int) -> bool:
    return start <= end and "\n" not in text[start:end]


def assemble_networks(found: Found) -> list[Network]:
    """The networks of one document with their members, roles, counts, periods and budgets."""
    text = found.document.text
    mentions = clean_networks(found)
    groups = group_networks(mentions)
    if not groups:
        return []
    by_mention = {id(m): i for i, group in enumerate(groups) for m in group}
    names = mentions + [m for m in found.networks if wraps_another(m, found.networks)]
    members: dict[int, dict[object, Member]] = {i: {} for i in range(len(groups))}
    located = [span for p in found.places if (span := locate_member(text, p)) is not None]
    seats = {id(p) for p in found.places if is_seat(text, p, found.places, found.document.language)}
    entries: list[tuple[int, Member, bool, bool]] = []  # see move_to_homes
    for place in found.places:
        if any(overlaps(place.span, m.span) for m in names):  # "Roma" in "Roma–NeT II pilot … network"
            continue
        if any(overlaps(place.span, span) for _, span in found.programmes):
            continue  # "Cetăţeni" in "Cetăţeni activi pentru Europa", a programme's name
        if in_country_list(text, place, found.countries):
            continue  # "• Espagne : Galicia, Principado de Asturias, …": regions by country, not members
        if any(low <= place.span.start < high for low, high in located):
            continue  # "Mostar" in "Agencija lokalne demokratije Mostar (Mostar / Bosnia …)"
        if id(place) in seats:
            continue  # "Westminster i London", "Zografou utenfor Athen": where a member lies
        if is_venue(text, place, found.places, mentions):
            continue  # "Open Days (Bruselas)", "Mollet del Vallès (Barcelona)": a venue, a province
        owner, fixed = (
            (groups[0][0], True) if len(groups) == 1 else place_owner_at(place.span.start, text, mentions)
        )
        if owner is None:
            continue
        member = to_member(place, text, found.document.language)
        if member is not None:
            entries.append(
                (by_mention[id(owner)], member, fixed, fixed and same_sentence(text, owner, place))
            )
    for index, member in move_to_homes(entries):
        key = key_of(member)
        if key not in members[index]:
            members[index][key] = member
        else:  # each further mention is evidence too, and may be the one a lead cue is said of
            members[index][key].evidence.append(member.evidence[0])
    lang = found.document.language
    free = [
        p for p in found.places if not any(overlaps(p.span, m.span) for m in names) and id(p) not in seats
    ]
    assign_leads(text, lang, free, mentions, by_mention, members, lambda p: to_member(p, text, lang))
    # A new name no place stands by is not a network of this page, and takes no figures either.
    kept = [i for i, group in enumerate(groups) if members[i] or any(m.known for m in group)]
    named = [m for m in mentions if by_mention[id(m)] in kept]
    networks = [to_network(found, groups[i], list(members[i].values()), named, by_mention, i) for i in kept]
    add_shared_start(networks, found.values, text)
    return networks


def is_country(name: str, lang: str) -> bool:
    """A name that is a country's ("Portugali (Amarante, lead partner)"): the place is the member."""
    return any(c.span.start == 0 and c.span.end == len(name) for c in find_countries(name, lang))


def to_member(place: PlaceMention, text: str, lang: str) -> Member | None:
    """The member a place mention stands for: the city, an organisation located in it, or none."""
    if is_person(text, place):
        return None  # "primarul Adrian Teban": a person, not recorded
    area = find_area(text, place)
    if area is not None:  # "Jelgavas novada pašvaldība": the area's municipality, not the town
        member = Member("organisation", area.quote, place.country, "partner", 0, written=area.quote)
        member.slug, member.org_type = slugify(area.quote), "municipal-association"
        member.evidence.append(evidence("member", area))
        return member
    located = locate_member(text, place)
    if located is not None and not is_country(text[located[0] : located[1]], lang):
        return located_member(place, text, lang, located)
    name = name_of(place)
    kind, org_type = classify(name, place.span.quote, lang) if name else ("city", None)
    if kind == "none":
        return None
    if kind == "city" or name is None:
        member = Member("city", place.name, place.country, "partner", 0, written=place.span.quote)
        member.geonames = place.geonames
        member.evidence.append(evidence("member", place.span))
        return member
    start = place.span.start - name.find(place.span.quote)
    span = Span(start, start + len(name), name, f"organisation:{org_type}", place.span.confidence)
    if text[span.start : span.end] != name:
        return None
    member = Member("organisation", name, place.country, "partner", 0, written=name)
    member.slug, member.org_type = slugify(name), org_type
    member.geonames, member.town = place.geonames, place.name
    member.evidence.append(evidence("member", span))
    return member


def located_member(place: PlaceMention, text: str, lang: str, located: tuple[int, int]) -> Member | None:
    """The member named before a bracketed town: the city itself ("City of Strasbourg (Strasbourg /
    France)"), else an organisation located in the town ("Kallipolis (Trieste / Italy)")."""
    start, end = located
    name = text[start:end]
    kind, org_type = classify(f"{name} {place.span.quote}", place.span.quote, lang)
    if (
        fold(name) == fold(place.span.quote)
        or fold(name) == fold(place.name)
        or (kind == "city" and CITY.search(name))
    ):
        member = Member("city", place.name, place.country, "partner", 0, written=name)
        member.geonames = place.geonames
        member.evidence.append(
            evidence("member", Span(start, end, name, place.span.rule, place.span.confidence))
        )
        return member
    span = Span(start, end, name, f"organisation:located:{place.span.rule}", place.span.confidence)
    member = Member("organisation", name, place.country, "partner", 0, written=name)
    member.slug, member.org_type = slugify(name), org_type or "other"
    member.geonames, member.town = place.geonames, place.name
    member.evidence.append(evidence("member", span))
    return member


def owner_of(
    position: int, text: str, mentions: list[NetworkMention], by_mention: dict[int, int], groups: int
) -> int | None:
    if groups == 1:
        return 0
    owner = find_owner(position, text, mentions)
    return None if owner is None else by_mention[id(owner)]


def to_network(
    found: Found,
    group: list[NetworkMention],
    members: list[Member],
    mentions: list[NetworkMention],
    by_mention: dict[int, int],
    index: int,
) -> Network:
    """One network: its names as written, the registry's id, and the figures in its part of the text."""
    text = found.document.text
    known = next((m.known for m in group if m.known), None)
    head = max(group, key=lambda m: (m.known is not None, m.rule != "pattern:after-cue", len(m.name)))
    names = [head.name, *sorted({m.name for m in group if fold(m.name) != fold(head.name)}, key=len)]
    network = Network(known.id if known else head.id, [Name(n, None) for n in names], 0)  # language unknown
    network.evidence.append(evidence("names", head.span))
    network.acronym = find_acronym(names)
    network.members = sorted(members, key=lambda m: (m.role != "lead-partner", m.evidence[0].start))
    groups = len({by_mention[id(m)] for m in mentions})
    mine = [v for v in found.values if owner_of(v.span.start, text, mentions, by_mention, groups) == index]
    add_programme(found.programmes, text, network, known, group[0].span.start)
    add_type(network, find_types(text), group[0].span.start)
    add_declared(network, mine)
    add_by_country(network, found.countries, text)
    add_period(network, mine)
    add_budget(network, mine, text)
    add_co_financing(network, mine)
    return network
