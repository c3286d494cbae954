"""Who leads: the words that make a member the lead partner, in the EU's languages and Norwegian.

A cue is a word or phrase ("capofila", "chef de file", "liderem", "galvenais partneris"); the place
it is said of is the nearest place in the same sentence. A person is never a member, so a cue said
of a person ("lead partner: Ms …") finds no place there and makes no lead.

>>> [c.quote for c in find_lead_cues("Piacenza è capofila del progetto.", "it")]
['capofila']
>>> [c.quote for c in find_lead_cues("Igualada (Španělsko) jako vedoucí partner projektu", "cs")]
['vedoucí partner']
"""

from __future__ import annotations

import re

from citynet.extract.model import Span

# Cues per language (regular expressions, case-insensitive, matched where a word starts).
# Strong cues name the lead; weak ones (coordinator, "led by") less surely a place's role.
LEAD = {
    "en": r"lead[- ]?partners?|lead cit(?:y|ies)|leader|led by|lead(?=\s+(?:by|of))",
    "pl": r"lider\w*|partner\w* wiodąc\w*|wiodąc\w* partner\w*",
    "de": r"lead[- ]?partner\w*|federführend\w*|leadpartner\w*",
    "it": r"capofila|lead partner|guidat[oa] da|città leader",
    "es": r"líder\w*|lidera\w*|socio principal|jefe de fila|lead partner",
    "pt": r"líder\w*|lidera\w*|chefe de fila|parceiro principal|lead partner",
    "ca": r"líder\w*|lidera\w*|cap de fila|lead partner",
    "fr": r"chefs? de file|lead partner|pilote du réseau|porté par",
    "nl": r"lead ?partner|penvoerder|hoofdpartner|trekker",
    "lv": r"galven\w* partner\w*|vadoš\w* partner\w*|lead partner",
    "lt": r"lyder\w*|pagrindin\w* partner\w*|vadovaujanti\w* partner\w*",
    "sl": r"vodiln\w* partner\w*|vodilni|vodilna|glavn\w* partner\w*|lead partner",
    "hr": r"vodeć\w* partner\w*|vodeći|glavn\w* partner\w*|nositelj\w*|lead partner",
    "cs": r"vedoucí partner\w*|vedoucím partner\w*|lead partner",
    "sk": r"vedúc\w* partner\w*|lead partner",
    "hu": r"vezető partner\w*|vezetőpartner\w*|konzorciumvezető\w*|lead partner|vezetésével",
    "ro": r"lider\w*|partener\w* principal\w*|partener lider|lead partner",
    "el": r"επικεφαλής|lead partner",
    "fi": r"lead partner|pääpartner\w*|johtav\w* partner\w*|vetäjä\w*",
    "sv": r"lead partner|ledande partner|huvudpartner|leds av",
    "no": r"lead ?partner\w*|hovedpartner\w*|ledende partner\w*|ledes av|ledet av|leder av|"
    r"led(?:er|et) (?:nettverket|prosjektet|samarbeidet)",
    "da": r"lead ?partner|hovedpartner|ledes af",
    "et": r"juhtpartner\w*|lead partner",
    "bg": r"водещ партньор|lead partner",
    "mt": r"sieħeb ewlieni|lead partner",
    "ga": r"príomhpháirtí|lead partner",
}
WEAK = {
    "en": r"coordinator|coordinated by|applicant",
    "pl": r"koordynator\w*",
    "lv": r"koordinator\w*",
    "lt": r"koordinator\w*",
    "de": r"koordinator\w*",
    "it": r"coordinat\w*",
    "es": r"coordinad\w*",
    "pt": r"coordenad\w*",
    "fr": r"coordinat\w*",
    "ro": r"coordonator\w*",
    "no": r"koordinator\w*|koordinert av|koordineres av",
}
# "X, in partnership with Y and Z, applied for the project": X, the one before the cue, leads.
PARTNERED = {
    "en": r"in partnership with",
    "ro": r"[îi]n parteneriat cu",
    "fr": r"en partenariat avec",
    "it": r"in partenariato con",
    "es": r"en asociación con",
    "pt": r"em parceria com",
    "pl": r"w partnerstwie z",
    "de": r"in partnerschaft mit",
}
PARTNER = {
    "en": r"partners?",
    "pl": r"partner\w*",
    "de": r"partner\w*",
    "it": r"partner",
    "es": r"soci[oa]s?|partners?",
    "pt": r"parceir\w*",
    "fr": r"partenaires?",
    "nl": r"partner\w*",
    "lv": r"partner\w*",
    "lt": r"partner\w*",
    "no": r"partner\w*",
}


BEFORE = "partnered"  # the kind of cue whose lead stands before it


def compile_cues(table: dict[str, str], lang: str) -> re.Pattern[str] | None:
    pattern = table.get(lang)
    if lang != "en" and "en" in table and table is LEAD:
        pattern = f"{pattern}|lead[- ]?partner"
    return re.compile(rf"(?i)(?<!\w)(?:{pattern})(?!\w)") if pattern else None


def find_lead_cues(text: str, lang: str) -> list[Span]:
    """Every word in ``text`` that says "lead partner" in ``lang`` (strong), or "coordinator" or "in
    partnership with" (weak; the lead of the latter stands before it)."""
    found = []
    for table, confidence, kind in (
        (LEAD, 0.9, "lead"),
        (WEAK, 0.6, "coordinator"),
        (PARTNERED, 0.6, BEFORE),
    ):
        pattern = compile_cues(table, lang)
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            found.append(Span(match.start(), match.end(), match.group(), f"cue:{lang}:{kind}", confidence))
    return sorted(found, key=lambda s: s.start)
