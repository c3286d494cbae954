"""Month names of each language in the forms texts use, from dateparser's locale data plus the forms it lacks.

dateparser 1.5.0 knows only the nominative (and sometimes the genitive) of Latvian, Lithuanian and
Slovenian months, so "2015.gada 31.maijam", "2020 m. gegužės mėn." and "decembra 2022" are not
understood; their case forms are written out here, one tuple per month, January first.

>>> month_number("maijam", "lv"), month_number("gegužės", "lt"), month_number("decembra", "sl")
(5, 5, 12)
>>> month_number("września", "pl"), month_number("Sept.", "en"), month_number("mayo", "pl")
(9, 9, None)
"""

from __future__ import annotations

import re
from functools import cache

from dateparser.languages.loader import default_loader

MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september")
MONTH_KEYS += ("october", "november", "december")

# nominative, genitive, dative, accusative, locative
LATVIAN = (
    "janvāris janvāra janvārim janvāri janvārī",
    "februāris februāra februārim februāri februārī",
    "marts marta martam martu martā",
    "aprīlis aprīļa aprīlim aprīli aprīlī",
    "maijs maija maijam maiju maijā",
    "jūnijs jūnija jūnijam jūniju jūnijā",
    "jūlijs jūlija jūlijam jūliju jūlijā",
    "augusts augusta augustam augustu augustā",
    "septembris septembra septembrim septembri septembrī",
    "oktobris oktobra oktobrim oktobri oktobrī",
    "novembris novembra novembrim novembri novembrī",
    "decembris decembra decembrim decembri decembrī",
)
# nominative, genitive, accusative, locative, dative
LITHUANIAN = (
    "sausis sausio sausį sausyje sausiui",
    "vasaris vasario vasarį vasaryje vasariui",
    "kovas kovo kovą kove kovui",
    "balandis balandžio balandį balandyje balandžiui",
    "gegužė gegužės gegužę gegužėje gegužei",
    "birželis birželio birželį birželyje birželiui",
    "liepa liepos liepą liepoje liepai",
    "rugpjūtis rugpjūčio rugpjūtį rugpjūtyje rugpjūčiui",
    "rugsėjis rugsėjo rugsėjį rugsėjyje rugsėjui",
    "spalis spalio spalį spalyje spaliui",
    "lapkritis lapkričio lapkritį lapkrityje lapkričiui",
    "gruodis gruodžio gruodį gruodyje gruodžiui",
)
# nominative, genitive, locative, instrumental
SLOVENIAN = (
    "januar januarja januarju januarjem",
    "februar februarja februarju februarjem",
    "marec marca marcu marcem",
    "april aprila aprilu aprilom",
    "maj maja maju majem",
    "junij junija juniju junijem",
    "julij julija juliju julijem",
    "avgust avgusta avgustu avgustom",
    "september septembra septembru septembrom",
    "oktober oktobra oktobru oktobrom",
    "november novembra novembru novembrom",
    "december decembra decembru decembrom",
)
EXTRA = {"lv": LATVIAN, "lt": LITHUANIAN, "sl": SLOVENIAN}
DATEPARSER_NAME = {"no": "nb"}  # dateparser has Norwegian Bokmål, not the macro-language


@cache
def month_forms(lang: str) -> dict[str, int]:
    """Every written form of every month in ``lang`` (lower case, no final dot) and its number.

    Abbreviations shorter than three letters and roman numerals are left out: they are words too.

    >>> month_forms("lv")["jūnija"], month_forms("de")["jänner"]
    (6, 1)
    """
    forms: dict[str, int] = {}
    try:
        info = default_loader.get_locale(DATEPARSER_NAME.get(lang, lang)).info
    except ValueError:
        info = {}
    for number, key in enumerate(MONTH_KEYS, start=1):
        for word in info.get(key, []):
            word = word.lower().removeprefix("de ").rstrip(".")
            if len(word) >= 3 and word.isalpha():
                forms[word] = number
    for number, words in enumerate(EXTRA.get(lang, ()), start=1):
        forms.update(dict.fromkeys(words.split(), number))
    return forms


@cache
def month_pattern(lang: str) -> str:
    """A regular expression (text, not compiled) matching any month form of ``lang``, longest first.

    >>> import re
    >>> re.fullmatch(month_pattern("pl"), "września") is not None
    True
    """
    words = sorted(month_forms(lang), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(word) for word in words) + r")\.?" if words else "(?!)"


def month_number(word: str, lang: str) -> int | None:
    """The month (1-12) a written form names in ``lang``, or None."""
    return month_forms(lang).get(word.lower().rstrip("."))
