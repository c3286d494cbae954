"""Declared counts: "14 partners from 11 countries", "10 partnerskih mest", "zwei weiteren Städten".

A number (digits, or a number word of the language from :mod:`citynet.extract.numberwords`) followed,
within two words, by a head noun of one of five kinds: partners, countries, cities, networks or
organisations (nouns of the EU's languages and Norwegian, matched on their stems so every case form
counts). ``extra["head"]`` is the noun as written, ``extra["more"]`` says a word such as "more",
"weiteren", "altre" stands between, so the assembler can tell "X and two more cities" (the lead
not counted) from "three cities".

>>> text = "Kopā piedalās 14 partneri no 11 valstīm."
>>> [(v.kind, v.value, v.extra["head"]) for v in find_counts(text, "lv")]
[('partners', 14, 'partneri'), ('countries', 11, 'valstīm')]
>>> [(v.kind, v.value, v.extra) for v in find_counts("mit zwei weiteren europäischen Städten", "de")]
[('cities', 2, {'head': 'Städten', 'more': True})]
"""

from __future__ import annotations

import re
from functools import cache

from citynet.extract.dates import keep_longest, make
from citynet.extract.model import Value
from citynet.extract.numberwords import number_words

HEADS = {
    "partners": r"partner(?!ship|schaft|ství|stw|stv|ība|yst|iat)\w*|partenaires?|partener\w*|"
    r"parceir(?:os|as|o|a)|"
    r"soci(?:os|as|o|a)?|socis|członk\w*|members?|mitglied\w*|membres?|miembros?|membri|membros?|"
    r"leden|medlem\w*|dalībniek\w*|dalyvi\w*|člen\w*|član\w*|tagja|tagok|tagot|kumppan\w*|μέλη|εταίρ\w*",
    "countries": r"countr(?:y|ies)|länder\w*|staaten|pays|país(?:es)?|països|paesi|kraj(?:e|ów|ach|ami|om|u)|"
    r"valst(?:s|is|u|īm|īs|ij\w*)|šal(?:ių|ys|yse|ims|is|imis)|držav\w*|zem(?:í|ích|ě|ím|emi)|"
    r"landen|land|lande|maa(?:sta|ta|n|ssa|lta|ta)|ország\w*|[țţ][ăa]r[iîi]\w*|tari|χώρ(?:ες|ών|ας)|estados",
    "cities": r"cit(?:y|ies)|städte\w*|stadt|villes?|ciudades|città|cidades|ciutats|miast\w*|pilsēt\w*|"
    r"miest\w*|mest(?:a|o|ih|om|u|i)?|měst(?:a|ech|ům|y)?|grad(?:a|ova|ovi|ovima)|steden|städer|byer|"
    r"kaupunk\w*|város\w*|ora[șş]\w*|πόλ(?:εις|εων|η)|municipalit\w*|munici[pí]pios|municipis|comuni|"
    r"communes|gmin\w*|općin\w*|občin\w*|obc(?:í|e|ích)|gemeinden|kommunen|kommuner|gemeenten|"
    r"pašvaldīb\w*|savivaldyb\w*|önkormányzat\w*|kun(?:ta|taa|nan)|towns?",
    "networks": r"networks?|netzwerk\w*|réseaux?|redes?|reti|sieci|tīkl\w*|tinkl\w*|omrež\w*|mrež\w*|"
    r"sít(?:í|ě|ích)|netwerken|nettverk\w*|nätverk\w*|verkost\w*|hálózat\w*|re[țţ]ele|retele|"
    r"δίκτυ(?:α|ων)|xarxes",
    "organisations": r"organi[sz]ations?|organisationen|organisationer|organizac\w*|organizacj\w*|"
    r"organizācij\w*|organismes|organismos|organizzazion\w*|entidades|enti|organisaties|organisasjon\w*|"
    r"organisaati\w*|szervezet\w*|organiza[țţ]ii|φορείς|φορέων|institutions?",
}
MORE = re.compile(  # "two more cities", "zwei weiteren Städten", "altre due"; "new" is not "more"
    r"(?<!\w)(?:weiter\w*|more|other|further|additional|altr[eio]|otr[oa]s|autres|outr[oa]s|andere\w*|"
    r"dalš\w*|drug\w*|kit\w*|cit\w*|pozostał\w*|inn(?:e|ych|ymi)|ostal\w*|alte|altele|muut|muuta|további|"
    r"andra|andre|άλλ\w*)(?!\w)",
    re.IGNORECASE,
)
UNITS = re.compile(  # "24 mēnešu fāze", "6 Monate Partner": a duration, not a count
    r"(?<!\w)(?:months?|monat\w*|mesi|meses|mois|miesi\w*|mesec\w*|měsíc\w*|mjesec\w*|mēneš\w*|mėnes\w*|"
    r"maanden|månad\w*|måned\w*|kuukau\w*|hónap\w*|luni|μήν\w*|years?|jahr\w*|anni|años|anos|ans|lat|let|"
    r"gad\w*|met\w*|jaar|jaren|år|vuo\w*|év\w*|ani|χρόν\w*|days?|tage?n?|giorni|días|dias|jours|dni|dien\w*|"
    r"dag\w*|weeks?|wochen)(?!\w)",
    re.IGNORECASE,
)
WORD = r"[^\W\d_][^\W\d_'\u2019-]*(?:-[^\W\d_]+)?"


@cache
def count_pattern(lang: str) -> re.Pattern[str]:
    """A number (digits or a word of ``lang``), up to two words, then a head noun of one of the kinds."""
    words = "|".join(re.escape(w) for w in sorted(number_words(lang), key=len, reverse=True)) or "(?!)"
    heads = "|".join(rf"(?P<{kind}>{stems})" for kind, stems in HEADS.items())
    number = rf"(?:(?<![\w.,/%+-])(?P<n>\d{{1,3}})(?![\d%]|[.,]\d|\.|\s%)|(?<!\w)(?P<w>{words}))"
    return re.compile(rf"{number}\s+(?P<mid>(?:{WORD}\s+){{0,2}}?)(?<!\w)(?:{heads})(?!\w)", re.IGNORECASE)


NUMBER_OF = (  # "number of partners: 14" and, after the noun, "partneru skaits: 14"
    r"(?:number of|Anzahl(?: der)?|nombre d[e'\u2019]|número de|numero d[ie]\w*|aantal|antal|antall|liczba|"
    r"počet|število|broj|număr(?:ul)? de|αριθμός)"
)
NUMBER_AFTER = r"(?:skaits|skaičius|száma|määrä|antal)"


@cache
def number_of_patterns() -> tuple[re.Pattern[str], ...]:
    """A count given as a field: "Number of partners: 14", "Partneru skaits - 14", "Broj partnera | 10"."""
    heads = "|".join(rf"(?P<{kind}>{stems})" for kind, stems in HEADS.items())
    value = r"\s*(?:[:|=\u2013\u2014-]\s*)?(?P<n>\d{1,3})(?![\d.,%]\d|\s?%)"
    return tuple(
        re.compile(rf"(?<!\w){label}(?!\w){value}", re.IGNORECASE)
        for label in (rf"{NUMBER_OF}\s+(?:{WORD}\s+)??(?:{heads})", rf"(?:{heads})\s+{NUMBER_AFTER}")
    )


def find_fields(text: str, lang: str) -> list[Value]:
    """Counts written as a field, the noun before the number.

    >>> text = "Partneru skaits: 14. Number of countries - 11"
    >>> [(v.kind, v.value, v.span.quote) for v in find_fields(text, "lv")]
    [('partners', 14, 'Partneru skaits: 14'), ('countries', 11, 'Number of countries - 11')]
    """
    found = []
    for pattern in number_of_patterns():
        for match in pattern.finditer(text):
            kind, number = next(kind for kind in HEADS if match[kind]), int(match["n"])
            if number >= 2:
                extra = {"head": match[kind], "more": False}
                rule = f"count:{lang}:field"
                found.append(make(kind, number, text, match.start(), match.end(), rule, 0.85, **extra))
    return sorted(found, key=lambda v: v.span.start)


@cache
def noun_after() -> re.Pattern[str]:
    """A head noun right after another ("partner cities", "partnerskih mest")."""
    heads = "|".join(rf"(?P<{kind}>{HEADS[kind]})" for kind in ("cities", "organisations", "networks"))
    return re.compile(rf"[\s-]+(?:{heads})(?!\w)", re.IGNORECASE)


def find_counts(text: str, lang: str) -> list[Value]:
    """Declared counts in ``text``: ``Value(kind, int)`` with kind partners, countries, cities, networks or
    organisations. "10 partner cities" is ``partners`` (``extra["of"] == "cities"``); "Italy (3)"
    is none (a country's share is the mentions' job). Numbers from 2 to 999.

    >>> [(v.kind, v.value, v.span.quote) for v in find_counts("10 partnerskih mest; deset partnerskih", "sl")]
    [('partners', 10, '10 partnerskih mest'), ('partners', 10, 'deset partnerskih')]
    >>> [(v.kind, v.value) for v in find_counts("il 36% delle città; tre città; 2019 partner", "it")]
    [('cities', 3)]
    """
    found = []
    words = number_words(lang)
    for match in count_pattern(lang).finditer(text):
        number = int(match["n"]) if match["n"] else words[match["w"].lower()]
        if number < 2 or UNITS.search(match["mid"]):
            continue
        kind = next(kind for kind in HEADS if match[kind])
        end, extra = match.end(), {"head": match[kind], "more": bool(MORE.search(match["mid"]))}
        if kind == "partners" and (noun := noun_after().match(text, end)):
            end, extra["of"] = noun.end(), noun.lastgroup
            extra["head"] = text[match.start(kind) : end]
        rule = f"count:{lang}:{'digits' if match['n'] else 'word'}"
        sure = (0.85 if match["n"] else 0.8) - (0.15 if match["mid"] else 0)  # words between: less sure
        found.append(make(kind, number, text, match.start(), end, rule, sure, **extra))
    return keep_longest(found + find_fields(text, lang))
