"""Tell what a partner is from its name (in its own language) and legal status: the City itself, or
an organisation of a type (municipality, region, university, research-institute, ngo, agency,
chamber, enterprise, other).

A partner is the City itself when its name is a municipality's legal form followed or preceded by
the name of the town the row gives ("Comune di Savona" in Savona, "Gulbene Municipality Council" in
Gulbene). A municipality that is not the town's own city hall (a rural gmina, "Gemeente Maasgouw"
seated in Maasbracht, "Gmina Zgorzelec" beside "Gmina Miejska Zgorzelec") is an organisation of type
municipality located in that town. The rules are tables of patterns, tried in order, first match wins.

>>> classify("Comune di Savona", "Savona"), classify("GMINA ZGORZELEC", "Zgorzelec")
(('city', 'municipality'), ('organisation', 'municipality'))
>>> classify("Università degli studi di Udine", "Udine"), classify("beemo GmbH", "Münster")
(('organisation', 'university'), ('organisation', 'enterprise'))
"""

from __future__ import annotations

import re
import unicodedata

# A municipality's legal form before the town's name: "Comune di X", "City of X", "Gmina Miejska X".
CITY_PREFIXES = (
    r"(?:the )?(?:municipality|municipalty|city|town|city council|city hall|borough|local government"
    r"|municipal council)(?: of(?: the)?)?",
    r"comune di|citta di|ayuntamiento(?: de)?|ajuntament d(?:e|')|concello d[eo]|camara municipal d[eo]",
    r"municipio d[eo]|ville d(?:e|u|')|commune(?: d(?:e|u|'))?|mairie d(?:e|u|')|municipalite d(?:e|u|')",
    r"stadt|landeshauptstadt|hansestadt|universitatsstadt|stadtgemeinde|marktgemeinde|gemeinde|markt",
    r"gemeente|stad|miasto|gmina miejska|gmina miasto|gmina miasta|urzad miasta|urzad miejski w",
    r"statutarni mesto|mesto|obec|grad|opcina|mestna obcina|obcina|primaria|primaria municipiului",
    r"primaria orasului|primaria comunei|dimos|δημος|onkormanyzat|kaupunki|byen",
)
# ... or after it: "Albertslund Kommune", "Gulbene Municipality Council", "Kaunas City Municipality".
CITY_SUFFIXES = (
    r"(?:city |town |county |district )?municipality(?: council| administration)?|city council|town council",
    r"(?:city )?municipal administration|city municipal administration",
    r"city|town|municipal council|local council|borough council|kommune|kommun|kommuni|kunta|kaupunki",
    r"pasvaldiba|novada pasvaldiba|pilsetas pasvaldiba|savivaldybe|savivaldybes administracija",
    r"miesto savivaldybe|rajono savivaldybe|vald|vallavalitsus|linn|linnavalitsus|stad|gemeente",
    r"obcina|opcina|onkormanyzata|varos onkormanyzata|municipio|comune",
)
CITY_BEFORE = re.compile(rf"^(?:{'|'.join(CITY_PREFIXES)}) (?P<place>.+)$")
CITY_AFTER = re.compile(rf"^(?P<place>.+?) (?:{'|'.join(CITY_SUFFIXES)})$")

# Organisation types by words in the (accent-free, lower-case) name, tried in this order ("other":
# schools, museums, hospitals, churches, said so that a school "of X municipality" is not X's city hall).
TYPE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "university",
        r"univerz|univers|uniwersytet|egyetem|yliopisto|hochschule|politecnic|polytechni|hogskol|hogskul"
        r"|hoegskol|ammattikorkeakoulu|university college|higher education|politechnika|fachhochschule"
        r"|college of applied|school of economics|business school|ecole normale|ecole nationale superieure",
    ),
    (
        "chamber",
        r"chamber|chambre|camera di commercio|\bcciaa\b|kammer|\bihk\b|\bizba\b|komora|camara de comercio"
        r"|camara oficial|kamer van koophandel|handelskammer|\bkamara\b|kauppakamari|kamra",
    ),
    (
        "research-institute",
        r"research|recherche|ricerca|investigaci|onderzoek|tutkimus|institut|istituto|instituto|forschung"
        r"|fraunhofer|academy of sciences|akademie der wiss"
        r"|\bcnr\b|\bcnrs\b|\binra\b|\bcsic\b|centre for studies|laborator|observator|\bsintef\b|\btno\b",
    ),
    (
        "enterprise",
        r"\bgmbh\b|\bag\b|\bltd\b|limited|\bplc\b|\bs\.? ?a\.?$|\bs\.?p\.?a\b|\bs\.?r\.?l\b|\bsrl\b|\bab\b"
        r"|\ba/s\b|\baps\b|\boy\b|\boyj\b|\bbv\b|\bb\.v\b|\bnv\b|\bsl\b|\bs\.l\b|\bsas\b|\bsarl\b"
        r"|sp\. ?z ?o\.? ?o|\bs\.? ?r\.? ?o\b|\bd\.? ?o\.? ?o\b|\bkft\b|\bzrt\b|\bnyrt\b|\bsia\b"
        r"|\buab\b|\beood\b|\bood\b|\bkg\b|\bohg\b|\bllc\b|\binc\b|company|companies|consult"
        r"|\bs\.? ?a\.? ?s\b|\bmbh\b|\b(?:as|ad|ou|se|a\.d|d\.d)$|\bspa\b|\bsa\b|\bs\.c\b|\bd\.d\b"
        r"|\bdoo\b|\ba\.s\b|\bs\.a\b",
    ),
    (
        "other",
        r"school|schule|gymnas|szkola|skola|escola|scuola|ecole|iskola|koulu|lyceum|liceo|kindergarten"
        r"|museum|museo|musee|muzeum|muzej|hospital|ospedale|hopital|krankenhaus|szpital|klinik|clinic"
        r"|library|bibliot|theatre|theater|teatro|church|kirche|kirchgemeinde|parish|parafia|diocese"
        r"|monaster",
    ),
    (
        "ngo",
        r"association|associazione|asociacion|associacao|asociatia|asociacia|asociace|verein|\be\.? ?v\b"
        r"|verband|foundation|fundacion|fundacao|fondazione|fondation|stiftung|stichting|fundacja|fundatia"
        r"|nadacia|nadace|alapitvany|egyesulet|stowarzyszenie|zdruzenie|udruga|udruzenje|drustvo|zveza"
        r"|\bngo\b|\bnpo\b|\bcluster\b|\bsociety\b|consortium|\bvzw\b|\basbl\b|\bonlus\b|\bong\b|non-profit"
        r"|nonprofit|non profit|federation"
        r"|union of|network of|club\b|forening|forbund|yhdistys|liitto|sdruzeni|spolek|biedriba|\bmtu\b"
        r"|\bmtü\b|seura|consorzio|consorcio|konsortium|\begtc\b|\begts\b|\baect\b|\bgect\b|euroregio",
    ),
    (
        "agency",
        r"agency|agencia|agenzia|agence|agentur|agencija|agentura|agentia|ugynokseg|authority|autorita"
        r"|ministry|ministerio|ministero|ministerstvo|ministere|ministerium|ministerie|directorate"
        r"|inspectorate|geological survey|\bboard\b|commission\b|\bfund\b|\boffice\b|\bservice\b|police"
        r"|policja|policie|fire brigade|fire and rescue"
        r"|border guard|port authority|national park|nationalpark|park narodowy|parco nazionale",
    ),
    (
        "municipality",
        r"municipal|metropol|communaute de communes|communaute d'agglomeration|communaute urbaine|comune"
        r"|gemeente|gemeinde|\bgmina\b|\bgminy\b|\bmiasto\b|\bmiasta\b|ayuntamiento"
        r"|ajuntament|concello|camara municipal|\bcommune\b|\bville\b|\bstadt\b|\bobec\b|\bmesto\b"
        r"|\bgrad\b|opcina|obcina|primaria|\bdimos\b|δημος|kommune|kommun\b|pasvaldiba|savivaldybe"
        r"|\bvald\b|kaupunki|\bkunta\b|onkormanyzat|city council|town council|\bcity of\b|\btown of\b",
    ),
    (
        "region",
        r"\bregion\b|\bregione\b|\bregio\b|\bregiao\b|\bregionen\b|regional council|regional government"
        r"|regional authority|regional administration|regional unit|\bcounty\b|voivodeship|wojewodztwo"
        r"|\bpowiat\b|\bkraj\b|landkreis|\bkreis\b|landratsamt|bezirk|provinc|diputaci|departement"
        r"|\bdepartment of\b.+\bregion|bundesland|\bland\b|fylkeskommune|fylke|landsting|landstinget"
        r"|regionen|maakunta|maakunnan|generalitat|gobierno de|govern de|junta de|xunta de|comunidad"
        r"|\bcanton\b|\bkanton\b|\boblast\b|district|zupanija|megye|judet|periphery|perifereia"
        r"|consiliul judetean|samosprava|samospravny kraj|regionalverband|euregio|\bconseil departemental",
    ),
)
TYPES = tuple((name, re.compile(pattern)) for name, pattern in TYPE_PATTERNS)


def fold(text: str) -> str:
    """Lower case, accents removed, spaces collapsed (Greek letters stay Greek, accent-free).

    >>> fold("  Mestna  Občina KOPER "), fold("Δήμος Αθηναίων")
    ('mestna obcina koper', 'δημος αθηναιων')
    """
    decomposed = unicodedata.normalize(
        "NFKD", text.replace("ł", "l").replace("Ł", "L").replace("\u0131", "i")
    )
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().replace("\u2019", "'").replace("ß", "ss").replace("ø", "o").split())


def words(text: str) -> str:
    """Only letters and digits, single spaces: what two spellings of a name are compared on.

    >>> words("Pamplona / Iruña"), words("PAMPLONA-IRUÑA")
    ('pamplona iruna', 'pamplona iruna')
    """
    return " ".join(re.sub(r"[\W_]+", " ", fold(text)).split())


def head(name: str) -> str:
    """The name without what follows a comma, a dash between spaces or a parenthesis.

    >>> head("Stadt Passau (Museum und Veste Oberhaus, MVO)"), head("VILLE DE TOULOUSE - LE LIDO")
    ('Stadt Passau', 'VILLE DE TOULOUSE')
    """
    return re.split(r",|\(| [-\u2013\u2014/] ", name, maxsplit=1)[0].strip()


def same_place(place: str, town: str) -> bool:
    """True if the place a name gives is the town (or one of its "/"-separated names), one
    possibly longer by whole words ("Emmerich am Rhein" and "Emmerich").

    >>> same_place("Emmerich am Rhein", "Emmerich"), same_place("Koper", "Koper/Capodistria")
    (True, True)
    >>> same_place("Maasgouw", "Maasbracht"), same_place("Northern Tzoumerka", "Pramanta")
    (False, False)
    """
    a = words(place)
    for part in [town, *re.split(r"[/,]", town)]:
        b = words(re.sub(r"\b\d{2,}\b|\bcedex\b", " ", part, flags=re.IGNORECASE))
        if a and b and (a in (b, b + "s") or a.startswith(b + " ") or b.startswith(a + " ")):
            return True
    return False


def named_place(name: str) -> str | None:
    """The place a municipality's name names ("Comune di Savona" -> "savona"), else None.

    >>> named_place("Comune di Savona"), named_place("Albertslund Kommune"), named_place("Tourist board")
    ('savona', 'albertslund', None)
    """
    short = fold(head(name))
    found = CITY_BEFORE.match(short) or CITY_AFTER.match(short)
    return found.group("place") if found else None


def match_type(name: str) -> str | None:
    """The organisation type of the first pattern the name matches, else None.

    >>> match_type("Zarasi Agriculture School"), match_type("Keep the Archipelago Tidy")
    ('other', None)
    """
    folded = fold(name)
    return next((org_type for org_type, pattern in TYPES if pattern.search(folded)), None)


def classify_type(name: str, legal_status: str = "") -> str:
    """The organisation-type concept a partner's name says (first matching pattern), else "other".

    >>> classify_type("Regio Twente"), classify_type("Linnaeus University"), classify_type("Kreis Warendorf")
    ('region', 'university', 'region')
    >>> classify_type("Keep the Archipelago Tidy")
    'other'
    """
    return match_type(name) or "other"


def classify(name: str, town: str, legal_status: str = "") -> tuple[str, str]:
    """``("city", "municipality")`` for the town's own municipality, else ``("organisation", type)``.

    >>> classify("MUNICIPALITY OF VORDINGBORG", "Vordingborg"), classify("Gemeente Maasgouw", "Maasbracht")
    (('city', 'municipality'), ('organisation', 'municipality'))
    """
    place = named_place(name)
    folded = fold(name)
    rural = re.search(
        r"\bgmina\b(?! miejska| miasto| miasta|.* o statusie miejskim)", folded
    )  # not its town's
    org_type = match_type(name)
    if place and town and same_place(place, town) and not rural and org_type in (None, "municipality"):
        return "city", "municipality"
    return "organisation", org_type or "other"


def may_be_place(name: str) -> bool:
    """True for a bare name that may be a place's ("Ghent"): no type pattern, at most four words.

    A partner so named is its town's City if the name resolves to the town's place (URBACT's
    partners are cities, named so: "Naples" in Napoli is the City of Naples).

    >>> may_be_place("Ghent"), may_be_place("Ghent University"), may_be_place("Keep the Archipelago Tidy")
    (True, False, False)
    """
    return match_type(name) is None and 0 < len(words(name).split()) <= 3
