"""The figures of a network: programme, declared counts, counts per country, period, budget, acronym.

Each is taken from the network's own part of the text (the values the assembler hands over) and
carries the words it rests on.

>>> find_acronym(["S.M.ALL – Sharing urban solutions towards Sustainable Mobility for ALL"])
'S.M.ALL'
>>> find_acronym(["MEMURBIS"]), find_acronym(["Gen-Y City"])
(None, None)
"""

from __future__ import annotations

import re
from decimal import Decimal

from citynet.extract.model import CountryMention, Span, Value
from citynet.extract.programmes import urbact_by_year
from citynet.extract.spans import sentence_at
from citynet.sources.model import CoFinancing, Declared, Evidence, Money, Network, PartialDate

BUDGET_CUE = re.compile(
    r"(?i)budget|budżet|bilancio|presupuesto|pressupost|orçamento|budžet|biudžet|proračun|rozpočet|"
    r"költségvetés|buget|προϋπολογισμ|talousarvio|begroting|totaal|kosten|total|celkov|vrijednost|izmaks"
)
YEAR = re.compile(r"(?<!\d)(?:19[89]\d|20[0-4]\d)(?!\d)")
MIN_MONTHS = 3  # a period shorter than this is a meeting or a phase, not the network's life


def evidence(field: str, span: Span) -> Evidence:
    return Evidence(field, span.quote, span.start, span.end, span.rule, round(span.confidence, 2))


def find_acronym(names: list[str]) -> str | None:
    """An acronym the names show: "ACR – long name", "ACR | long name", or a short alias of a long
    name ("Neighbourhood-Power (N-Power)"); a name alone in capitals is a name, not an acronym.

    >>> find_acronym(["Neighbourhood-Power", "N-Power"]), find_acronym(["Thriving Streets", "Gyvos gatvės"])
    ('N-Power', None)
    """
    for name in names:
        head = re.match(r"^(\S{2,20})\s+[–—|-]\s+\S", name)
        if head and is_short(head.group(1)):
            return head.group(1)
    longest = max(names, key=len, default="")
    aliases = [n for n in names if " " not in n and is_short(n) and 2 * len(n) <= len(longest)]
    return aliases[0] if aliases else None


def is_short(word: str) -> bool:
    return sum(c.isupper() or c.isdigit() for c in word) >= 2


def add_programme(
    programmes: list[tuple[str, Span]],
    text: str,
    network: Network,
    known: object,
    at: int,
) -> None:
    """The registry's programme, else the one named nearest the network, else URBACT by the page's years."""
    explicit = [(c, s) for c, s in programmes if c != "urbact"]
    if known is not None and getattr(known, "programme", None):
        network.programme = known.programme
        return
    if explicit:
        concept, span = min(explicit, key=lambda p: abs(p[1].start - at))
        network.programme = concept
        network.evidence.append(evidence("programme", span))
        return
    generic = [s for c, s in programmes if c == "urbact"]
    years = sorted(int(y) for y in YEAR.findall(text))
    concept = urbact_by_year(years[len(years) // 2]) if generic and years else None
    if concept:
        network.programme = concept
        span = generic[0]
        network.evidence.append(
            evidence("programme", Span(span.start, span.end, span.quote, "programme:urbact-by-year", 0.5))
        )


def add_declared(network: Network, values: list[Value]) -> None:
    counts = {"partners": None, "countries": None}
    for value in values:
        kind = "partners" if value.kind in ("partners", "cities", "organisations") else value.kind
        if kind in counts and counts[kind] is None and isinstance(value.value, int) and value.value > 1:
            counts[kind] = value
    if not any(counts.values()):
        return
    network.declared = Declared(
        partners=counts["partners"].value if counts["partners"] else None,
        countries=counts["countries"].value if counts["countries"] else None,
    )
    for kind, value in counts.items():
        if value is not None:
            network.evidence.append(evidence(f"declared.{kind}", value.span))


def add_by_country(network: Network, countries: list[CountryMention], text: str) -> None:
    """Partners named only by their country ("Latvija, Itālija (3), Īrija") are counts per country.

    Taken only from the sentence of a declared count, from the countries after the count.
    """
    said = [e for e in network.evidence if e.field in ("declared.partners", "declared.countries")]
    if network.declared is None or not said:
        return
    count = min(said, key=lambda e: e.start)
    sentence = sentence_at(text, count.start)
    if sentence is None:
        return
    listed = [c for c in countries if count.end <= c.span.start < sentence.end()]
    if len(listed) < 2:
        return
    by_country: dict[str, int | None] = {}
    for country in listed:
        times = re.match(r"\s*\((\d{1,3})\)", text[country.span.end : country.span.end + 8])
        by_country[country.country] = by_country.get(country.country, 0) + (
            int(times.group(1)) if times else 1
        )
    network.declared.by_country = by_country
    first, last = listed[0].span, listed[-1].span
    network.evidence.append(
        Evidence(
            "declared.by_country",
            text[first.start : last.end],
            first.start,
            last.end,
            "count:countries-listed",
            0.8,
        )
    )


def add_period(network: Network, values: list[Value]) -> None:
    periods = [
        v
        for v in values
        if v.kind == "period" and not v.extra.get("programme_period") and long_enough(v.value)
    ]
    if not periods:
        return
    period = periods[0]
    start, end = period.value
    network.start = to_date(start)
    network.end = to_date(end)
    if network.start:
        network.evidence.append(evidence("start", period.span))
    if network.end:
        network.evidence.append(evidence("end", period.span))


# "Estas 25 redes … iniciarão os trabalhos a 1 de novembro de 2025": a start said of every network.
NETWORKS_PLURAL = re.compile(
    r"(?i)(?<!\w)(?:networks|netzwerke|reti|réseaux|redes|xarxes|sieci|netwerken|nätverken|nettverkene|"
    r"mreže|omrežja|hálózatok|rețele|rețelele|δίκτυα|tinklai|tīkli|verkostot|sítě|siete)(?!\w)"
)
STARTS = re.compile(
    r"(?i)(?<!\w)(?:inici|start|begin|comen[cç]|commenc|rozpocz|avvi|kezd|začn|začet|sāk|prasid)"
)


def add_shared_start(networks: list[Network], values: list[Value], text: str) -> None:
    """A date in a sentence that says the networks (plural) start then: the start of every network
    of the page that has none."""
    for value in values:
        sentence = sentence_at(text, value.span.start) if value.kind == "date" else None
        if sentence is None or not NETWORKS_PLURAL.search(sentence.group()):
            continue
        if not STARTS.search(sentence.group()):
            continue
        for network in networks:
            if network.start is None:
                network.start = to_date(value.value)
                network.evidence.append(evidence("start", value.span))
        return


def long_enough(period: tuple[str | None, str | None]) -> bool:
    """A period of at least MIN_MONTHS months (from its first to its last month), or open at one end."""
    start, end = period
    if not start or not end:
        return True
    months = (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7] or 12) - int(start[5:7] or 1)
    return months >= MIN_MONTHS


def to_date(text: str | None) -> PartialDate | None:
    if not text:
        return None
    datatype = {4: "gYear", 7: "gYearMonth", 10: "date"}.get(len(text))
    return PartialDate(text, datatype) if datatype else None


def add_co_financing(network: Network, values: list[Value]) -> None:
    """The co-financing rate: a percentage beside a word for co-financing or a fund ("85% ERDF")."""
    rate = next((v for v in values if v.kind == "rate" and v.extra.get("cue")), None)
    if rate is None:
        return
    network.co_financing = CoFinancing(
        rate=Decimal(rate.value), up_to=bool(rate.extra.get("up_to")), fund=rate.extra.get("fund")
    )
    network.evidence.append(evidence("co_financing", rate.span))


def add_budget(network: Network, values: list[Value], text: str) -> None:
    """The network's budget: an amount in a sentence that says budget or total cost, or under a
    heading line that does ("Projekta kopējās izmaksas:" above "EUR 99 000")."""
    for value in values:
        if value.kind != "money":
            continue
        sentence = sentence_at(text, value.span.start)
        heading = text[: value.span.start].rstrip().rsplit("\n", 1)[-1]
        said = (sentence and BUDGET_CUE.search(sentence.group())) or (
            heading.endswith(":") and BUDGET_CUE.search(heading)
        )
        if said:
            amount, currency = value.value
            network.budget = Money(Decimal(amount), currency)
            network.evidence.append(evidence("budget", value.span))
            return


# Network types as the languages write them (URBACT's kinds; stems, any case).
TYPES = (
    (
        "transfer-network",
        r"transfer[- ]?net\w*|transfernetz\w*|ret[ei] di trasferimento|red(?:es)? de transferencia|"
        r"redes? de transferência|xarxes? de transferència|réseaux? de transfert|transferov\w* sít\w*|"
        r"sie\w* transfer\w*|perdavimo tinkl\w*|pārneses tīkl\w*|mrež\w* za prenos|mrež\w* za prijenos|"
        r"átadási hálózat\w*|reţel\w* de transfer|rețel\w* de transfer|δίκτυ\w* μεταφοράς|siirtoverkost\w*|"
        r"överföringsnätverk\w*|overdrachtsnetwerk\w*|transfer\w* network",
    ),
    (
        "action-planning-network",
        r"action[- ]planning[- ]net\w*|aktionsplanungsnetz\w*|ret[ei] di pianificazione\w*|"
        r"red(?:es)? de planificación de acci\w*|redes? de planeamento de aç\w*|"
        r"réseaux? de planification d\w*|"
        r"sie\w* planowania działań|veiksmų planavimo tinkl\w*|rīcības plānošanas tīkl\w*|"
        r"akcijsk\w* načrtovan\w*|akcijsk\w* planiranj\w*|akčního plánování",
    ),
)
TYPE_PATTERNS = tuple((concept, re.compile(rf"(?i)(?<!\w)(?:{words})")) for concept, words in TYPES)


def find_types(text: str) -> list[tuple[str, Span]]:
    """Network types named in the text, with their words.

    >>> [(c, s.quote) for c, s in find_types("25 Redes de Transferência URBACT")]
    [('transfer-network', 'Redes de Transferência')]
    """
    found = []
    for concept, pattern in TYPE_PATTERNS:
        found += [
            (concept, Span(m.start(), m.end(), m.group(), "type:name", 0.8)) for m in pattern.finditer(text)
        ]
    return sorted(found, key=lambda f: f[1].start)


def add_type(network: Network, types: list[tuple[str, Span]], at: int) -> None:
    """The page's one network type, or the one named nearest the network when the page names several."""
    if not types or network.type:
        return
    concept, span = min(types, key=lambda t: abs(t[1].start - at))
    network.type = concept
    network.evidence.append(evidence("type", span))
