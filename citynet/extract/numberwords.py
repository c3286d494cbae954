"""Small numbers written as words, in the forms texts use ("zwei", "trzech", "devynių", "kymmenen").

One line per number from two to twelve, then twenty: every case and gender form a declared count takes
in the language ("deset partnerskih", "z dwoma miastami", "vienas iš devynių miestų"). One is left out:
it is also an article ("ein", "un", "une").

>>> number_words("lt")["devynių"], number_words("de")["zwei"], number_words("pl")["trzech"]
(9, 2, 3)
"""

from __future__ import annotations

from functools import cache

NUMBERS = (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20)
WORDS = {
    "en": "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty",
    "de": "zwei zweien|drei dreien|vier vieren|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig",
    "nl": "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig",
    "fr": "deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|vingt",
    "it": "due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|venti",
    "es": "dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|veinte",
    "pt": "dois duas|três|quatro|cinco|seis|sete|oito|nove|dez|onze|doze|vinte",
    "ca": "dos dues|tres|quatre|cinc|sis|set|vuit|nou|deu|onze|dotze|vint",
    "pl": "dwa dwie dwóch dwu dwoma dwiema|trzy trzech trzema|cztery czterech czterema|pięć pięciu|"
    "sześć sześciu|siedem siedmiu|osiem ośmiu|dziewięć dziewięciu|dziesięć dziesięciu|"
    "jedenaście jedenastu|dwanaście dwunastu|dwadzieścia dwudziestu",
    "cs": "dva dvě dvou dvěma|tři tří třech třem třemi|čtyři čtyř čtyřech čtyřem|pět pěti|šest šesti|"
    "sedm sedmi|osm osmi|devět devíti|deset deseti|jedenáct jedenácti|dvanáct dvanácti|dvacet dvaceti",
    "sk": "dva dve dvoch dvom|tri troch trom|štyri štyroch|päť piatich|šesť šiestich|sedem siedmich|"
    "osem ôsmich|deväť deviatich|desať desiatich|jedenásť|dvanásť|dvadsať",
    "sl": "dva dve dveh dvema|tri treh trem tremi|štiri štirih|pet petih|šest šestih|sedem sedmih|"
    "osem osmih|devet devetih|deset desetih|enajst enajstih|dvanajst dvanajstih|dvajset dvajsetih",
    "hr": "dva dvije dvaju dvama|tri triju trima|četiri|pet|šest|sedam|osam|devet|deset|jedanaest|"
    "dvanaest|dvadeset",
    "lv": "divi divas divām diviem|trīs trijām trijiem|četri četras četriem|pieci piecas pieciem|"
    "seši sešas sešiem|septiņi septiņas|astoņi astoņas|deviņi deviņas|desmit|vienpadsmit|divpadsmit|"
    "divdesmit",
    "lt": "du dvi dviejų dviem|trys trijų trims|keturi keturios keturių|penki penkios penkių|"
    "šeši šešios šešių|septyni septynios septynių|aštuoni aštuonios aštuonių|devyni devynios devynių|"
    "dešimt dešimties|vienuolika vienuolikos|dvylika dvylikos|dvidešimt dvidešimties",
    "et": "kaks kahe|kolm kolme|neli nelja|viis viie|kuus kuue|seitse seitsme|kaheksa|üheksa|kümme kümne|"
    "üksteist|kaksteist|kakskümmend",
    "fi": "kaksi kahden kahdesta|kolme kolmen kolmesta|neljä neljän|viisi viiden|kuusi kuuden|"
    "seitsemän|kahdeksan|yhdeksän|kymmenen|yksitoista|kaksitoista|kaksikymmentä",
    "hu": "két kettő|három|négy|öt|hat|hét|nyolc|kilenc|tíz|tizenegy|tizenkét tizenkettő|húsz",
    "ro": "doi două|trei|patru|cinci|șase şase|șapte şapte|opt|nouă|zece|unsprezece|douăsprezece|douăzeci",
    "el": "δύο|τρεις τρία τριών|τέσσερις τέσσερα τεσσάρων|πέντε|έξι|επτά εφτά|οκτώ οχτώ|εννέα εννιά|δέκα|"
    "έντεκα|δώδεκα|είκοσι",
    "sv": "två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|tjugo",
    "no": "to|tre|fire|fem|seks|sju syv|åtte|ni|ti|elleve|tolv|tjue tyve",
    "da": "to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tyve",
    "bg": "два две|три|четири|пет|шест|седем|осем|девет|десет|единадесет|дванадесет|двадесет",
    "mt": "tnejn żewġ|tlieta tliet|erbgħa erba'|ħamsa ħames|sitta sitt|sebgħa seba'|tmienja tmien|"
    "disgħa disa'|għaxra għaxar|ħdax|tnax|għoxrin",
    "ga": "dhá|trí|ceithre|cúig|sé|seacht|ocht|naoi|deich|-|-|fiche",  # 11, 12 are two words: left out
}


@cache
def number_words(lang: str) -> dict[str, int]:
    """The words for small numbers in ``lang`` (lower case) and their values; empty for other languages.

    >>> number_words("fi")["kymmenen"], number_words("xx")
    (10, {})
    """
    if lang not in WORDS:
        return {}
    groups = zip(NUMBERS, WORDS[lang].split("|"), strict=True)
    return {word: number for number, words in groups for word in words.split() if word != "-"}
