"""Amounts of money with their currency, and co-financing rates, in the EU's languages.

Numbers are read with babel in the text's locale ("744.000,00" in Croatian, "1,2" in French), a
thousands group written with the other convention ("650.000 €" in a Polish text) is still a group;
currency symbols and names come from babel's locale data, with the inflected forms texts use
("eurų", "evrov", "eiro"); multipliers are words of each language ("tys.", "mln", "miljoen", "Mio.").
An amount is never returned without a currency.

>>> [(v.value, v.span.quote) for v in find_money("Budżet: 67 tys. euro, czyli 1,2 M€.", "pl")]
[((Decimal('67000'), 'EUR'), '67 tys. euro'), ((Decimal('1200000'), 'EUR'), '1,2 M€')]
>>> [(v.value, v.extra) for v in find_rates("sofinanciranje do 80 % iz ESRR", "sl")]
[(Decimal('0.8'), {'up_to': True, 'fund': 'erdf', 'cue': True})]
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import NumberFormatError, get_currency_name, get_currency_symbol, parse_decimal

from citynet.extract.dates import keep_longest, make
from citynet.extract.model import Value

CODES = ("EUR", "PLN", "GBP", "USD", "CHF", "SEK", "NOK", "DKK", "CZK", "HUF", "RON", "BGN")
# inflected forms babel's names lack: case forms of "euro" ("eurów", "evrov", "eiro"), the złoty's
WORDS = {
    "EUR": "euro euros eura eurai eurais eurą eurų eurów eurach evro evra evri evrov eiro euró euróban "
    "euroa euron euroja eurot eurosa evrov ευρώ евро",
    "PLN": "zł złotych złote złoty złotego",
    "GBP": "pounds pound",
    "HUF": "forint forintot",
    "RON": "lei",
}
LOCAL_WORDS = {
    "no": {"kroner": "NOK"},
    "da": {"kroner": "DKK"},
    "sv": {"kronor": "SEK"},
    "cs": {"korun": "CZK"},
}
BABEL_NAME = {"no": "nb"}
PLURAL_SAMPLES = (
    1,
    2,
    3,
    5,
    11,
    21,
    1.5,
)  # a count of each plural category: "euras", "eurai", "eurų", "euro"
MULTIPLIERS = {
    1000: r"tys\.|tys|tūkst\.|tūkst|tūkstoši|tūkstošiem|tis\.|tisoč|Tsd\.|tausend|mil|mille|mila|k|K|ezer|"
    r"tuhatta|tusen|thousand|duizend|χιλ\.",
    1_000_000: r"mln\.|mln|milj\.|miljoen|milijon\w*|miljon\w*|milion\w*|miliony|Mio\.|Millionen|Million|"
    r"millones|millón|milioni|milione|milhões|milhão|millions?|millioner|milioane|milióny|miliónov|milijuna|"
    r"millió|miljoon\w*|M|m|"
    r"εκατ\.|εκατομμύρια|млн\.?",
    1_000_000_000: r"mrd\.|mrd|Mrd\.|miliard\w*|milliards?|miljard\w*|milliárd|billions?|bilhões|δισ\.",
}
NUMBER = r"\d{1,3}(?:[ \u00a0\u202f.,']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
RULES = ("money:amount-currency", "money:currency-amount")
GROUPED = re.compile(r"\d{1,3}(?P<s>[.,])\d{3}(?:(?P=s)\d{3})*")
FUNDS = {  # the fund concepts of ontology/vocab/funds.ttl, as texts name them
    "erdf": r"ERDF|EFRR|EFRE|FEDER|ESRR|ERAF|ERPF|EFRU|EAKR|EFRD|ETPA|ΕΤΠΑ|ЕФРР|"
    r"European Regional Development Fund|Europos regioninės plėtros fond\w*|Europejski\w* Fundusz\w* Rozwoju"
    r"|Eiropas Reģionālās attīstības fond\w*|Evropsk\w* sklad\w* za regionalni razvoj",
    "europe-for-citizens": r"Europ[ea] for Citizens|Eiropa pilsoņiem|Europa dla Obywateli|"
    r"Europa für Bürger\w*|Europa za državljane|Europa za građane|E[uv]ropa pro občany|"
    r"Europa pentru cet[ăa][țţ]eni|Cet[ăa][țţ]eni activi pentru Europa|L.Europe pour les citoyens|"
    r"Europa para los Ciudadanos|Europa per i cittadini|Europa voor de burger\w*|Europa para os Cidadãos|"
    r"Europa piliečiams|Európa a polgárokért|Kansalaisten Eurooppa|Europa för medborgarna|"
    r"Ευρώπη για τους Πολίτες",
    "ipa": r"IPA|Instrument for Pre-accession Assistance|Instrument\w* Pomocy Przedakcesyjnej",
    "eni": r"ENI|European Neighbourhood Instrument",
}
FUND = re.compile(
    "|".join(rf"(?P<{name.replace('-', '_')}>\b(?:{words})\b)" for name, words in FUNDS.items())
)
UP_TO = (
    r"up to|do|līdz|iki|bis zu|hasta el|hasta un|hasta|jusqu'à|fino al|até|tot|opp til|upp till|až do|"
    r"do višine|legfeljebb|enintään|έως|până la|maximum|max\.|maximal|höchstens|massimo|máximo"
)
PERCENT = r"%|per ?cent|procent\w*|Prozent|por ciento|pour cent|per cento|por cento|odstot\w*|százalék"
RATE = re.compile(
    rf"(?:(?P<up>\b(?:{UP_TO}))\s+)?(?<![\d.,])(?P<n>\d{{1,3}}(?:[.,]\d{{1,2}})?)\s?(?:{PERCENT})(?!\w)",
    re.IGNORECASE,
)
COFINANCING = re.compile(  # financing, Finanzierung, sofinanciranje, finansējums, finanţare; funds; grants
    r"finan|fund|fond|förder|grant|dotac|subven|subsid|támogat|rahoit|tilskud|tilskott|bidrag|steun",
    re.IGNORECASE,
)


@cache
def currency_words(lang: str) -> dict[str, str]:
    """Each way ``lang`` writes a currency (code, babel's symbol and names, inflected forms) → its code.

    >>> currency_words("pl")["zł"], currency_words("lt")["eurų"], currency_words("sv")["kr"]
    ('PLN', 'EUR', 'SEK')
    """
    words = {code.lower(): code for code in CODES} | {"€": "EUR", "£": "GBP", "$": "USD"}
    try:
        locale = Locale.parse(BABEL_NAME.get(lang, lang))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    for code in CODES:
        words.setdefault(get_currency_symbol(code, locale=locale).lower(), code)
        names = {get_currency_name(code, count, locale=locale) for count in PLURAL_SAMPLES}
        words.update({name.lower(): code for name in names if len(name) > 2})
    for code, forms in WORDS.items():
        words.update(dict.fromkeys(forms.split(), code))
    return words | LOCAL_WORDS.get(lang, {})


@cache
def money_patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Amount-then-currency ("67 tys. euro") and currency-then-amount ("EUR 99 000", "€4m")."""
    currency = "|".join(re.escape(w) for w in sorted(currency_words(lang), key=len, reverse=True))
    unit = "|".join(MULTIPLIERS.values())
    of = r"(?:\s(?:de|di|of)\s|\sd['\u2019])"  # "4 milioane de euro", "3 millions d'euros"
    after = rf"(?<![\w.,])(?P<n>{NUMBER})(?:\s?(?P<x>{unit}){of}?)?\s?(?P<c>{currency})(?!\w)"
    before = rf"(?<!\w)(?P<c>{currency})\s?(?P<n>{NUMBER})(?:\s?(?P<x>{unit})(?!\w))?"
    return re.compile(after, re.IGNORECASE), re.compile(before, re.IGNORECASE)


def read_number(number: str, lang: str, multiplied: bool) -> Decimal | None:
    """A written number as a Decimal: babel (strict) in the text's locale, else in the other convention
    ("1 234 567,89" in an English text); "650.000" alone is a thousands group.

    >>> read_number("744.000,00", "hr", False), read_number("650.000", "pl", False)
    (Decimal('744000.00'), Decimal('650000'))
    >>> read_number("1,2", "fr", True), read_number("1 234 567,89", "en", False)
    (Decimal('1.2'), Decimal('1234567.89'))
    """
    number = re.sub(r"(?<=\d)[ \u00a0\u202f'](?=\d{3})", "", number)
    if not multiplied and GROUPED.fullmatch(number):
        return Decimal(re.sub(r"[.,]", "", number))
    for locale in (BABEL_NAME.get(lang, lang), "de", "en"):  # the text's convention, then the two others
        try:
            return parse_decimal(number, locale=locale, strict=True)
        except (NumberFormatError, UnknownLocaleError, ValueError):
            continue
    return None


def plain(amount: Decimal) -> Decimal:
    """The amount without trailing zero decimals: 744000 for 744000.00, 1.5 stays 1.5.

    >>> plain(Decimal("744000.00")), plain(Decimal("1200000.0")), plain(Decimal("1.50"))
    (Decimal('744000'), Decimal('1200000'), Decimal('1.5'))
    """
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()


def multiplier(word: str | None) -> int:
    """1000 for "tys.", a million for "miljoen" or "M", 1 for no word."""
    for factor, words in MULTIPLIERS.items():
        if word and re.fullmatch(words, word, re.IGNORECASE if len(word) > 1 else 0):
            return factor
    return 1


def find_money(text: str, lang: str) -> list[Value]:
    """Amounts with a currency in ``text``: ``Value("money", (Decimal, "EUR"))``, in text order.

    >>> text = "4 milijonai eurų; 99 000 eiro; € 4 miljoen; 3,9 miljoen inwoners"
    >>> [v.value for v in find_money(text, "lt")]
    [(Decimal('4000000'), 'EUR'), (Decimal('99000'), 'EUR'), (Decimal('4000000'), 'EUR')]
    >>> [v.span.quote for v in find_money("4 milioane de euro, 3 millions d'euros", "ro")]
    ['4 milioane de euro', "3 millions d'euros"]
    """
    found: list[Value] = []
    words = currency_words(lang)
    for pattern, rule in zip(money_patterns(lang), RULES, strict=True):
        for match in pattern.finditer(text):
            amount = read_number(match["n"], lang, bool(match["x"]))
            if amount is None or amount <= 0:
                continue
            value = (plain(amount * multiplier(match["x"])), words[match["c"].lower()])
            found.append(make("money", value, text, match.start(), match.end(), f"{rule}:{lang}", 0.9))
    return keep_longest(found)


def name_fund(text: str, start: int, end: int) -> str | None:
    """The fund named just after a rate ("85% ERDF"), else the nearest before it in its paragraph.

    >>> name_fund("„Eiropa pilsoņiem” programmas finansējums 100% apmērā", 42, 46)
    'europe-for-citizens'
    """
    after = FUND.search(text, end, min(len(text), end + 60))
    if after is None:
        paragraph = max(text.rfind("\n\n", 0, start), start - 150, 0)
        after = next(reversed(list(FUND.finditer(text, paragraph, start))), None)
    return after.lastgroup.replace("_", "-") if after else None


def find_rates(text: str, lang: str) -> list[Value]:
    """Percentages as rates in [0, 1]: ``extra`` says ``up_to`` ("do 80 %"), the ``fund`` named just
    after, else nearest before in its paragraph (a concept of ontology/vocab/funds.ttl:
    ``erdf``, ``europe-for-citizens``, ``ipa``, ``eni``; or None) and whether a co-financing word (``cue``)
    stands within the sentence around it; without one it may be any share ("36% delle città").

    >>> [(v.value, v.extra["up_to"], v.extra["cue"]) for v in find_rates("līdz 100% finansējums", "lv")]
    [(Decimal('1'), True, True)]
    """
    found = []
    for match in RATE.finditer(text):
        rate = read_number(match["n"], lang, True)
        if rate is None or not 0 < rate <= 100:
            continue
        fund = name_fund(text, match.start(), match.end())
        around = text[max(0, match.start() - 80) : match.end() + 80]
        cue = bool(fund or COFINANCING.search(around))
        extra = {"up_to": bool(match["up"]), "fund": fund, "cue": cue}
        sure = 0.9 if cue else 0.4
        found.append(
            make("rate", plain(rate / 100), text, match.start(), match.end(), "rate:percent", sure, **extra)
        )
    return found
