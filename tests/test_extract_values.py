"""Dates, money, rates and declared counts found in real pages and in hand-written sentences.

The expected values are written by hand: from ``../shared/extraction-dev/expected.yaml`` (start, end,
budget, declared of each network) and the seed fact files ``graph/*.yaml`` for the five seed pages,
checked against the page text; the sentences are written for these tests, one or more per language.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citynet.extract.counts import find_counts
from citynet.extract.dates import find_dates
from citynet.extract.money import find_money, find_rates
from citynet.extract.values import find_values
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
DEV = SHARED / "extraction-dev"
SEEDS = SHARED / "seeds"
needs_dev = pytest.mark.skipif(
    not DEV.is_dir() and not os.environ.get("CI"), reason="needs ../shared/extraction-dev"
)
needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir() and not os.environ.get("CI"), reason="needs ../shared/seeds"
)
LANGUAGE = {"000": "pl", "001": "sl", "002": "lv", "003": "pl", "004": "lt"}  # graph/sources.yaml


def page(name: str) -> tuple[str, str]:
    """A development page's text and language (the second part of its file name)."""
    paths = sorted(DEV.glob(f"{name}_*.txt"))
    assert paths, f"no {name}_*.txt in {DEV} (the development pages sit beside the checkout)"
    return paths[0].read_text(encoding="utf-8"), paths[0].name.split("_")[1]


def dev_pages() -> list[tuple[Path, str, str]]:
    """All 26 development pages: path, text, language."""
    paths = sorted(DEV.glob("*.txt"))
    assert len(paths) == 26, f"expected the 26 development pages in {DEV}"
    return [(path, path.read_text(encoding="utf-8"), path.name.split("_")[1]) for path in paths]


def seed(number: str) -> tuple[str, str]:
    """A seed page's text and language (graph/sources.yaml)."""
    paths = sorted(SEEDS.glob(f"{number}_*.txt"))
    assert paths, f"no {number}_*.txt in {SEEDS} (the seed pages sit beside the checkout)"
    return paths[0].read_text(encoding="utf-8"), LANGUAGE[number]


def found(values: list) -> set[tuple]:
    """(kind, value) of each value, the way the expectations are written."""
    return {(v.kind, v.value) for v in values}


# start/end of networks in expected.yaml, as the pages write them
DEV_DATES = [
    ("07", [("period", ("2013", "2015")), ("period", ("2016", "2018"))]),  # "(2013-2015)", "(2016-2018)"
    ("11", [("date", "2025-11-01")]),  # "a 1 de novembro de 2025"
    ("14", [("period", ("2016-09-01", "2018-08-31"))]),  # "Timespan: 01/09/2016 - 31/08/2018"
    ("15", [("period", ("2018", "2020")), ("period", ("2021", "2022")), ("date", "2022-12")]),
    ("17", [("period", ("2019-09-02", "2020-03-02")), ("period", ("2020-05", "2022-08"))]),  # I, II etapas
    ("20", [("period", ("2016", "2018"))]),  # "(2016-2018)"
    ("21", [("period", ("2013-12-01", "2015-03-31"))]),  # "2013.12.01 - 2015.03.31"
    ("24", [("period", ("2015-09-15", "2018-05-03"))]),  # "od 15. rujna 2015. godine do 3. svibnja 2018."
]
DEV_MONEY = [
    ("18", (Decimal(4_000_000), "EUR")),  # "een totale projectkost van 4 miljoen euro"
    ("24", (Decimal(744_000), "EUR")),  # "iznosi ukupno 744.000,00 €"
]
# declared counts in expected.yaml, with the words that declare them
DEV_COUNTS = [
    ("03", ("cities", 2), True),  # "Gemeinsam mit zwei weiteren europäischen Städten": 2 + Altena = 3
    ("05", ("cities", 3), False),  # "composto in prima fase da 3 città"
    ("06", ("cities", 10), False),  # "il mosaico delle 10 città"
    ("08", ("cities", 6), False),  # "Son las seis ciudades"
    ("10", ("partners", 3), False),  # "de 3 partenaires"
    ("12", ("cities", 3), False),  # "Cada rede, composta por 3 cidades"
    ("17", ("cities", 9), False),  # "vienas iš devynių miestų"
    ("20", ("cities", 10), False),  # "obsahující deset obcí"
    ("25", ("partners", 10), False),  # "yhteensä kymmenen partneria"
]


@needs_dev
@pytest.mark.parametrize(("name", "expected"), DEV_DATES, ids=[n for n, _ in DEV_DATES])
def test_dates_of_the_development_pages(name: str, expected: list) -> None:
    text, lang = page(name)
    assert set(expected) <= found(find_dates(text, lang))


@needs_dev
@pytest.mark.parametrize(("name", "expected"), DEV_MONEY, ids=[n for n, _ in DEV_MONEY])
def test_budgets_of_the_development_pages(name: str, expected: tuple) -> None:
    text, lang = page(name)
    assert ("money", expected) in found(find_money(text, lang))


@needs_dev
@pytest.mark.parametrize(("name", "expected", "more"), DEV_COUNTS, ids=[n for n, _, _ in DEV_COUNTS])
def test_declared_counts_of_the_development_pages(name: str, expected: tuple, more: bool) -> None:
    text, lang = page(name)
    counts = [v for v in find_counts(text, lang) if (v.kind, v.value) == expected]
    assert counts
    assert any(v.extra["more"] is more for v in counts)


@needs_dev
def test_the_pages_own_dates_are_found_too() -> None:
    """Dates that are not a network's: a meeting, the approval day; found all the same, at their precision."""
    text, lang = page("03")  # "Seit dem 04.04.2018 ist es offiziell", "im Januar 2018"
    assert {("date", "2018-04-04"), ("date", "2018-01")} <= found(find_dates(text, lang))
    text, lang = page("02")  # "w dniach 6-8 czerwca 2018"
    assert ("period", ("2018-06-06", "2018-06-08")) in found(find_dates(text, lang))


@needs_dev
def test_partners_shares_are_amounts_with_their_currency() -> None:
    """Poznań's shares and the maximum per application: amounts the assembler must not take as the budget."""
    text, lang = page("01")
    amounts = {v.value for v in find_money(text, lang)}
    assert {(Decimal(67_000), "EUR"), (Decimal(650_000), "EUR"), (Decimal(56_600), "EUR")} <= amounts


@needs_dev
def test_every_span_quotes_its_page_exactly() -> None:
    for path, text, lang in dev_pages():
        for value in find_values(text, lang):
            assert text[value.span.start : value.span.end] == value.span.quote, (path.name, value)
            assert 0 < value.span.confidence <= 1


@needs_dev
def test_a_date_has_only_parts_its_words_give() -> None:
    """No day, month or year that is not in the quote: nothing comes from today."""
    for path, text, lang in dev_pages():
        for value in find_dates(text, lang):
            parts = value.value if value.kind == "period" else (value.value,)
            for part in parts:
                assert part[:4] in value.span.quote, (path.name, value)
                digits = [int(d) for d in re.findall(r"\d+", value.span.quote)]
                assert len(part) < 10 or int(part[8:]) in digits, (path.name, value)


@needs_seeds
def test_the_seed_facts_are_found() -> None:
    """graph/*.yaml of the seeds: period, budget, co-financing and declared counts, from the page words."""
    text, lang = seed("002")  # "14 partneri no 11 valstīm", "No 2013.gada jūnija līdz 2015.gada 31.maijam.",
    values = find_values(text, lang)  # "EUR 99 000", "finansējums 100% apmērā"
    assert {("partners", 14), ("countries", 11), ("period", ("2013-06", "2015-05-31"))} <= found(values)
    assert ("money", (Decimal(99_000), "EUR")) in found(values)
    [rate] = [
        v for v in values if v.kind == "rate"
    ]  # „Eiropa pilsoņiem” programmas … finansējums 100% apmērā
    assert (rate.value, rate.extra["up_to"], rate.extra["fund"]) == (Decimal(1), False, "europe-for-citizens")
    text, lang = seed("001")  # "10 partnerskih mest", "72.075 evrov, s sofinanciranjem do 80 % iz ESRR"
    values = find_values(text, lang)
    assert {("partners", 10), ("money", (Decimal(72_075), "EUR"))} <= found(values)
    [rate] = [v for v in values if v.kind == "rate"]
    assert (rate.value, rate.extra["up_to"], rate.extra["fund"]) == (Decimal("0.8"), True, "erdf")
    text, lang = seed("003")  # "33 500 PLN", "28 475 PLN", "2016-9-10", "2017-3-31", "w latach 2013-2015"
    values = find_values(text, lang)
    assert {("money", (Decimal(33_500), "PLN")), ("money", (Decimal(28_475), "PLN"))} <= found(values)
    assert {("date", "2016-09-10"), ("date", "2017-03-31"), ("period", ("2013", "2015"))} <= found(values)
    text, lang = seed("004")  # "iš 25 programos šalių", "dalyvauja 161 organizacija"
    assert {("countries", 25), ("organisations", 161)} <= found(find_counts(text, lang))


@needs_seeds
def test_a_programming_period_is_tagged() -> None:
    text, lang = seed(
        "003"
    )  # "2014-2020" (the programme's), "realizowanego w latach 2013-2015 projektu USER"
    periods = {v.value: v.extra["programme_period"] for v in find_dates(text, lang) if v.kind == "period"}
    assert periods == {("2014", "2020"): True, ("2013", "2015"): False}


# Hand-written sentences, one or more per language: (language, text, what must be among the values)
DATES = [
    ("pl", "Projekt realizowany od września 2016 do 2018 roku.", {("period", ("2016-09", "2018"))}),
    ("pl", "Działał od 2013 do 2015.", {("period", ("2013", "2015"))}),
    ("lv", "Līgums noslēgts 2019. gada 1. janvāra sēdē.", {("date", "2019-01-01")}),
    ("lv", "No 2013.gada jūnija līdz 2015.gada 31.maijam.", {("period", ("2013-06", "2015-05-31"))}),
    ("lt", "Sprendimas priimtas 2019 m. sausio 1 d. posėdyje.", {("date", "2019-01-01")}),
    ("lt", "2020 m. gegužės mėn. - 2022 m. rugpjūčio mėn.", {("period", ("2020-05", "2022-08"))}),
    ("de", "Laufzeit von September 2016 bis Dezember 2018.", {("period", ("2016-09", "2018-12"))}),
    ("it", "Dal 1° gennaio 2020 al 31 dicembre 2022.", {("period", ("2020-01-01", "2022-12-31"))}),
    ("es", "Desde marzo de 2019 hasta 2021.", {("period", ("2019-03", "2021"))}),
    ("pt", "De janeiro de 2017 a junho de 2019.", {("period", ("2017-01", "2019-06"))}),
    ("ca", "Del 15 de març de 2018 al 30 de juny de 2020.", {("period", ("2018-03-15", "2020-06-30"))}),
    ("fr", "Du 1er septembre 2016 au 31 août 2018.", {("period", ("2016-09-01", "2018-08-31"))}),
    ("nl", "Van 1 maart 2017 tot 28 februari 2019.", {("period", ("2017-03-01", "2019-02-28"))}),
    ("no", "Prosjektet varte fra januar 2019 til desember 2020.", {("period", ("2019-01", "2020-12"))}),
    ("en", "The network ran from September 2016 to 2018.", {("period", ("2016-09", "2018"))}),
    ("cs", "Projekt trval od 1. října 2016 do 31. května 2018.", {("period", ("2016-10-01", "2018-05-31"))}),
    ("hu", "Időszak: 2016. szeptember 1. – 2018. május 31.", {("period", ("2016-09-01", "2018-05-31"))}),
    ("ro", "Perioada 1 martie 2017 - 28 februarie 2019.", {("period", ("2017-03-01", "2019-02-28"))}),
    ("el", "Ξεκίνησε την 1 Ιανουαρίου 2020.", {("date", "2020-01-01")}),
    ("hr", "Od 15. rujna 2015. do 3. svibnja 2018.", {("period", ("2015-09-15", "2018-05-03"))}),
    ("fi", "Hanke alkoi 1. syyskuuta 2016.", {("date", "2016-09-01")}),
    ("sv", "Från september 2016 till augusti 2018.", {("period", ("2016-09", "2018-08"))}),
    ("sl", "Od januarja 2019 do decembra 2020.", {("period", ("2019-01", "2020-12"))}),
    ("de", "Treffen vom 6. bis 8. Juni 2018.", {("period", ("2018-06-06", "2018-06-08"))}),
    ("de", "Phase 1. September bis 31. Dezember 2018.", {("period", ("2018-09-01", "2018-12-31"))}),
    ("es", "Del 3 de marzo al 5 de abril de 2020.", {("period", ("2020-03-03", "2020-04-05"))}),
    ("en", "Approved on September 2, 2019.", {("date", "2019-09-02")}),
    ("lv", "Projekts no 2016. līdz 2018. gadam.", {("period", ("2016", "2018"))}),
    ("lt", "Projektas vyks 2016-2018 m.", {("period", ("2016", "2018"))}),
    ("mt", "Mill-1 ta' Jannar 2019.", {("date", "2019-01-01")}),
    ("pl", "W roku akademickim 2016/2017.", {("period", ("2016", "2017"))}),
    (
        "en",
        "URBACT II projects in 2016-18 and 2019/20.",
        {("period", ("2016", "2018")), ("period", ("2019", "2020"))},
    ),
    (
        "hr",
        "URBACT III (2014.–2020.) i mreža 2016.–2018.",
        {("period", ("2014", "2020")), ("period", ("2016", "2018"))},
    ),
]
MONEY = [
    ("pl", "Udział miasta to 67 tys. euro, a całość 4,5 mln zł.", {(67_000, "EUR"), (4_500_000, "PLN")}),
    ("lt", "Projekto biudžetas – 4 milijonai eurų.", {(4_000_000, "EUR")}),
    ("lv", "Finansējums: 99 000 eiro.", {(99_000, "EUR")}),
    ("nl", "Het project kost € 4 miljoen.", {(4_000_000, "EUR")}),
    (
        "fr",
        "Un budget de 1,2 M€, dont 3 millions d'euros de prêts.",
        {(1_200_000, "EUR"), (3_000_000, "EUR")},
    ),
    ("de", "Das Budget beträgt 2,5 Mio. Euro.", {(2_500_000, "EUR")}),
    ("es", "Un presupuesto de 1,5 millones de euros.", {(1_500_000, "EUR")}),
    ("it", "Un finanziamento di 2 milioni di euro.", {(2_000_000, "EUR")}),
    ("pt", "Um apoio de 750 mil euros.", {(750_000, "EUR")}),
    ("en", "A budget of EUR 744,000 and £2.5m.", {(744_000, "EUR"), (2_500_000, "GBP")}),
    ("sl", "Vrednost projekta znaša 72.075 evrov.", {(72_075, "EUR")}),
    ("hr", "Proračun iznosi 744.000,00 €.", {(744_000, "EUR")}),
    ("cs", "Rozpočet je 5 milionů Kč.", {(5_000_000, "CZK")}),
    ("hu", "A támogatás 100 millió forint.", {(100_000_000, "HUF")}),
    ("fi", "Budjetti on 2 miljoonaa euroa.", {(2_000_000, "EUR")}),
    ("ro", "Proiectul are 4 milioane de euro.", {(4_000_000, "EUR")}),
    ("el", "Προϋπολογισμός 2 εκατ. ευρώ.", {(2_000_000, "EUR")}),
    ("sv", "Kommunen får 30 000 kr.", {(30_000, "SEK")}),
    ("no", "Kommunen får 2 millioner kroner.", {(2_000_000, "NOK")}),
    ("ca", "Un pressupost de 650.000 €.", {(650_000, "EUR")}),
    (
        "en",
        "Grants of €4m and EUR 1.2 million; 1 234 567,89 € in all.",
        {(4_000_000, "EUR"), (1_200_000, "EUR"), (Decimal("1234567.89"), "EUR")},
    ),
]
RATES = [
    ("en", "85% ERDF co-financing", (Decimal("0.85"), False, "erdf")),
    ("lv", "finansējums līdz 100% apmērā", (Decimal(1), True, None)),
    ("de", "Förderung bis zu 80 % aus dem EFRE", (Decimal("0.8"), True, "erdf")),
    ("es", "un 85 % cofinanciado por el FEDER", (Decimal("0.85"), False, "erdf")),
    ("sl", "s sofinanciranjem do 80 % iz ESRR", (Decimal("0.8"), True, "erdf")),
    ("pl", "dofinansowanie 85 procent", (Decimal("0.85"), False, None)),
    ("pl", "dofinansowanie z EFRR wynosi 85%", (Decimal("0.85"), False, "erdf")),
    ("ro", "Programul Europa pentru cetăţeni finanţează 100%", (Decimal(1), False, "europe-for-citizens")),
    ("en", "IPA funds cover up to 85%", (Decimal("0.85"), True, "ipa")),
]
COUNTS = [
    ("en", "14 partners from 11 countries", {("partners", 14), ("countries", 11)}),
    ("en", "10 partner cities in 23 networks", {("partners", 10), ("networks", 23)}),
    ("lv", "14 partneri no 11 valstīm", {("partners", 14), ("countries", 11)}),
    ("lt", "dalyvauja 9 partnerių iš penkių šalių", {("partners", 9), ("countries", 5)}),
    ("pl", "3 miasta i trzy organizacje", {("cities", 3), ("organisations", 3)}),
    ("hr", "osam mreža", {("networks", 8)}),
    ("de", "mit zwei weiteren europäischen Städten", {("cities", 2)}),
    ("it", "con tre città", {("cities", 3)}),
    ("sl", "deset partnerskih mest", {("partners", 10)}),
    ("fr", "trois villes de quatre pays", {("cities", 3), ("countries", 4)}),
    ("es", "cinco socios", {("partners", 5)}),
    ("pt", "oito parceiros", {("partners", 8)}),
    ("ca", "vuit xarxes", {("networks", 8)}),
    ("nl", "twaalf partners", {("partners", 12)}),
    ("no", "fem byer", {("cities", 5)}),
    ("cs", "deset partnerů", {("partners", 10)}),
    ("hu", "tíz partnerváros", {("partners", 10)}),
    ("ro", "patru parteneri", {("partners", 4)}),
    ("el", "δέκα εταίροι", {("partners", 10)}),
    ("fi", "kymmenen partneria", {("partners", 10)}),
    ("sv", "tre nätverk", {("networks", 3)}),
    ("en", "Number of partners: 14", {("partners", 14)}),
    ("lv", "Partneru skaits - 14", {("partners", 14)}),
    ("hr", "Broj partnera | 10", {("partners", 10)}),
]


@pytest.mark.parametrize(
    ("lang", "text", "expected"), DATES, ids=[f"{d[0]}-{i}" for i, d in enumerate(DATES)]
)
def test_dates_in_the_languages(lang: str, text: str, expected: set) -> None:
    assert expected <= found(find_dates(text, lang))


@pytest.mark.parametrize(
    ("lang", "text", "expected"), MONEY, ids=[f"{m[0]}-{i}" for i, m in enumerate(MONEY)]
)
def test_money_in_the_languages(lang: str, text: str, expected: set) -> None:
    assert {v.value for v in find_money(text, lang)} == {(Decimal(n), c) for n, c in expected}


@pytest.mark.parametrize(("lang", "text", "expected"), RATES, ids=[r[0] for r in RATES])
def test_rates_in_the_languages(lang: str, text: str, expected: tuple) -> None:
    [rate] = find_rates(text, lang)
    assert (rate.value, rate.extra["up_to"], rate.extra["fund"]) == expected
    assert rate.extra["cue"]


@pytest.mark.parametrize(("lang", "text", "expected"), COUNTS, ids=[c[0] for c in COUNTS])
def test_counts_in_the_languages(lang: str, text: str, expected: set) -> None:
    assert found(find_counts(text, lang)) == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ro", "în perioada 17-19 septembrie la Casalborgone"),  # no year: no date, never this year's
        ("de", "am 4. Mai im Rathaus"),
        ("pl", "w 2019 roku"),  # a year alone is no date
        ("en", "on 31 February 2019"),  # no such day
        ("en", "in 2016-09 and 2001-05"),  # a year and its month, not a short range; no month alone either
    ],
)
def test_no_date_from_missing_or_impossible_parts(lang: str, text: str) -> None:
    assert find_dates(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nl", "ongeveer 3,9 miljoen inwoners"),
        ("en", "in 2019 about 4 million people"),
        ("pl", "12 tys. osób"),
    ],
)
def test_no_amount_without_a_currency(lang: str, text: str) -> None:
    assert find_money(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("lv", "24 mēnešu fāze tīkla"),  # a duration
        ("it", "il 36% delle città"),  # a share
        ("en", "Italy (3), Ireland, Netherlands (2)"),  # partners by country: the mentions' job
        ("de", "seit 2018 Partner"),  # a year
        ("en", "Partner 1: Altena"),  # a number in a list, not a count
    ],
)
def test_no_count_where_none_is_declared(lang: str, text: str) -> None:
    assert find_counts(text, lang) == []


def test_a_share_without_a_cofinancing_word_is_less_sure() -> None:
    [share] = find_rates("il 36% delle città coinvolte", "it")
    assert (share.value, share.extra["cue"]) == (Decimal("0.36"), False)
    assert share.span.confidence < 0.5


def test_the_head_noun_and_the_word_more_are_kept() -> None:
    [count] = find_counts("Altena und zwei weitere Städte", "de")
    assert (count.kind, count.value, count.extra["head"], count.extra["more"]) == (
        "cities",
        2,
        "Städte",
        True,
    )
    [count] = find_counts("23 nouveaux réseaux", "fr")  # new ones, not more of them
    assert (count.kind, count.value, count.extra["more"]) == ("networks", 23, False)
    [count] = find_counts("10 partner cities", "en")
    assert (count.extra["head"], count.extra["of"], count.span.quote) == (
        "partner cities",
        "cities",
        "10 partner cities",
    )


FRAGMENTS = [
    "14 partners from 11 countries",
    "2019. gada 1. janvāra",
    "2019 m. sausio 1 d.",
    "od 2013 do 2015",
    "744.000,00 €",
    "67 tys. euro",
    "1,2 M€",
    "do 80 % iz ESRR",
    "zwei weiteren Städten",
    "2014-2020",
    "01/09/2016",
    "September 2016",
    "9 partnerių",
    "EUR 99 000",
    "3,9 miljoen",
    "Italy (3)",
    "2016-9-10",
    "decembra 2022",
    "mln",
    "tys.",
    "€",
    "%",
    "-",
    "\u2013",
    "do",
    "17-19 septembrie",
    "31.maijam",
    "(",
    ")",
]
TEXTS = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=12).flatmap(
    lambda parts: st.lists(
        st.sampled_from([" ", "", ". ", ", ", "\n", " - "]), min_size=len(parts), max_size=len(parts)
    ).map(lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True)))
)
LANGUAGES = [
    "pl",
    "sl",
    "lv",
    "lt",
    "de",
    "it",
    "es",
    "pt",
    "ca",
    "fr",
    "nl",
    "no",
    "en",
    "cs",
    "hu",
    "ro",
    "el",
    "hr",
    "fi",
    "sv",
]


@given(text=TEXTS, lang=st.sampled_from(LANGUAGES))
def test_any_text_gives_values_that_quote_it_exactly(text: str, lang: str) -> None:
    for value in find_values(text, lang):
        assert text[value.span.start : value.span.end] == value.span.quote
        if value.kind == "date":
            assert re.fullmatch(r"\d{4}(-\d\d){0,2}", value.value)
        elif value.kind == "period":
            assert value.value[0] < value.value[1]
        elif value.kind == "money":
            assert value.value[0] > 0 and value.value[1] in {
                "EUR",
                "PLN",
                "GBP",
                "USD",
                "CHF",
                "SEK",
                "NOK",
                "DKK",
                "CZK",
                "HUF",
                "RON",
                "BGN",
            }
        elif value.kind == "rate":
            assert 0 < value.value <= 1
        else:
            assert (
                value.kind in {"partners", "countries", "cities", "networks", "organisations"}
                and value.value >= 2
            )


def test_a_long_page_of_values_is_read_whole() -> None:
    """A calendar-like page: 5,000 dates, amounts, rates and counts, each line's five found (its
    speed is `make bench`'s, bench/extract_speed.py, not a timed assertion here)."""
    line = "6-8 czerwca 2018: 14 partnerów z 11 krajów, 67 tys. euro, 85% EFRR.\n"
    values = find_values(line * 5000, "pl")
    assert len(values) == 5 * 5000
