"""Scoring proposals against expectations: hand-made fact files with figures computed by hand, the
development set of ../shared/extraction-dev (counted by hand from expected.yaml) and the seeds.

The shared folder is ``../shared`` beside the checkout (``CITYNET_SHARED`` names another); without
it the tests that read it are skipped outside CI and fail in CI.
"""

from __future__ import annotations

import importlib.util
import os
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from citynet.errors import ExtractError
from citynet.extract.evalmatch import fold, match_networks
from citynet.extract.evalread import ExpectedMember, ExpectedNetwork, ExpectedPage, map_concept, read_labels
from citynet.extract.evalreport import check_goals, format_table, render_report
from citynet.extract.evaluate import (
    KINDS,
    Scores,
    evaluate_folder,
    propose_all,
    read_expectations,
    read_expected,
    read_seed_expectations,
    score,
)
from citynet.sources.model import Declared, Evidence, FactFile, Member, Money, Name, Network, PartialDate
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
DEV = SHARED / "extraction-dev"
SEEDS = SHARED / "seeds"
needs_shared = pytest.mark.skipif(
    not DEV.is_dir() and os.environ.get("CI") != "true", reason=f"needs {DEV} (../shared beside the checkout)"
)


def city(name: str, gid: int | None, role: str = "partner", written: str | None = None) -> ExpectedMember:
    return ExpectedMember("city", name, "XX", role, written, None, gid)


def member(name: str, gid: int | None, role: str = "partner", quote: str | None = None) -> Member:
    evidence = [Evidence("member", quote, 0, len(quote), "test", 0.9)] if quote else []
    return Member("city", name, "XX", role, 1, geonames=gid, evidence=evidence)


def network(name: str, members: list[Member], **fields: object) -> Network:
    return Network(fold(name) or "n", [Name(name, None)], 1, members=members, **fields)  # type: ignore[arg-type]


def one_page(expected: list[ExpectedNetwork], proposed: list[Network]) -> dict:
    page = ExpectedPage("p.txt", "pl", tuple(expected))
    return {"page": page, "scores": score([page], {"p.txt": FactFile("p.yaml", "p", proposed, [])}, name="t")}


def test_three_expected_two_right_one_wrong() -> None:
    expected = ExpectedNetwork(
        "REFILL", ("REFILL",), (city("Ghent", 1), city("Poznań", 2), city("Amersfoort", 3))
    )
    proposed = network("Refill", [member("Ghent", 1), member("Poznań", 2), member("Riga", 9, quote="Rygą")])
    scores = one_page([expected], [proposed])["scores"]
    memberships = scores.total("memberships")
    assert (memberships.tp, memberships.fp, memberships.fn) == (2, 1, 1)
    assert memberships.precision == pytest.approx(2 / 3)
    assert memberships.recall == pytest.approx(2 / 3)
    assert memberships.f1 == pytest.approx(2 / 3)
    errors = {(e.error, e.fact.split(" ")[0], e.quote) for e in scores.pages[0].errors}
    assert errors == {("false positive", "Riga", "Rygą"), ("false negative", "Amersfoort", None)}


def test_right_member_with_wrong_role_is_one_false_positive_and_one_false_negative() -> None:
    expected = ExpectedNetwork(
        "Gen-Y City", ("Gen-Y City",), (city("Poznań", 2, "lead-partner"), city("Genoa", 4))
    )
    proposed = network("Gen-Y City", [member("Poznań", 2, "partner"), member("Genoa", 4, "lead-partner")])
    scores = one_page([expected], [proposed])["scores"]
    memberships, leads = scores.total("memberships"), scores.total("leads")
    assert (memberships.tp, memberships.fp, memberships.fn) == (0, 2, 2)
    assert (leads.tp, leads.fp, leads.fn) == (0, 1, 1)
    assert leads.precision == 0.0
    # both places were found with their exact ids, whatever their roles
    assert scores.places == (2, 2)


def test_lead_proposed_where_the_page_names_none_is_counted() -> None:
    expected = ExpectedNetwork("ROOF", ("ROOF",), (city("Gothenburg", 5),))
    proposed = network("ROOF", [member("Gothenburg", 5, "lead-partner")])
    scores = one_page([expected], [proposed])["scores"]
    assert scores.pages[0].unexpected_leads == 1
    goal = next(g for g in check_goals(scores) if "names none" in g.name)
    assert (goal.value, goal.met) == ("1 (pages: 1)", False)


def test_a_place_found_by_name_with_another_id_is_a_resolution_error() -> None:
    expected = ExpectedNetwork(
        "Maps", ("Maps",), (city("Telšiai", 596128, written="Telsiai"), city("Koblenz", 7))
    )
    wrong = Member("city", "Telšiai", "XX", "partner", 1, written="Telsiai", geonames=111)
    scores = one_page([expected], [network("MAPS", [wrong, member("Koblenz", 7)])])["scores"]
    assert scores.places == (2, 1)  # Koblenz exact, Telšiai found by name with another id
    assert any(e.kind == "places" and "596128" in e.note for e in scores.pages[0].errors)


@pytest.mark.parametrize(
    ("ours", "theirs", "how"),
    [
        ("URBAN-REGENERATION-MIX", "Urban\u2013Regeneration-Mix", "name"),  # en dash
        ("Roma\u2013NeT II", "Roma-NeT II", "name"),
        ("ALT/BAU", "AltBau", "name"),  # the slash is punctuation: folded away
        (
            "SPAR\u039a | Sustainable Procurement Advancing Resilient Knowledge",
            "SPARK",
            "name part",
        ),  # Greek kappa
        ("CALL - Accessible City for ALL", "CALL", "name part"),
        # 14 letters each, one "t" more and the "s" less: 2 edits of 28 letters, ratio 100 * 26/28 = 92.9
        ("Active Citizens", "ActiveCittizen", "fuzzy 93 (activecitizens ~ activecittizen)"),
    ],
)
def test_network_names_match(ours: str, theirs: str, how: str) -> None:
    assert match_networks([ExpectedNetwork(ours, (ours,), ())], [network(theirs, [])]) == [(0, 0, how)]


@pytest.mark.parametrize(
    ("ours", "theirs"), [("ROOF", "REFILL"), ("Maps", "MEMURBIS"), ("URBACT", "URBACT III")]
)
def test_different_networks_do_not_match(ours: str, theirs: str) -> None:
    assert match_networks([ExpectedNetwork(ours, (ours,), ())], [network(theirs, [])]) == []


def test_a_proposed_network_matches_one_expected_network_at_most() -> None:
    expected = [
        ExpectedNetwork("Re-grow City", ("Re-grow City",), ()),
        ExpectedNetwork("Re-growCity", ("Re-growCity",), ()),
    ]
    assert match_networks(expected, [network("Re-grow City", [])]) == [(0, 0, "name")]
    scores = one_page(expected, [network("Re-grow City", [])])["scores"]
    networks = scores.total("networks")
    assert (networks.tp, networks.fp, networks.fn) == (1, 0, 1)


def test_acronym_matches_a_name() -> None:
    expected = ExpectedNetwork("Lietu Internets", ("Lietu Internets",), (), acronym="IoTXchange")
    assert match_networks([expected], [network("IoTxChange", [])]) == [(0, 0, "acronym")]


def test_programme_names_map_to_the_vocabulary() -> None:
    labels = read_labels("programme")
    assert map_concept("URBACT III", "programme", labels) == ({"urbact-iii"}, True)
    assert map_concept("urbact-ii", "programme", labels) == ({"urbact-ii"}, True)  # a seed's concept id
    assert map_concept("URBACT", "programme", labels) == ({"urbact-*"}, True)
    assert map_concept("INTERREG III B (SUDOE)", "programme", labels) == ({"interreg*"}, False)
    assert map_concept("transfer network", "network-type", read_labels("network-type")) == (
        {"transfer-network"},
        True,
    )


def test_programmes_dates_budgets_and_counts_are_scored() -> None:
    expected = [
        ExpectedNetwork("A", ("A",), (), programme="URBACT", start="2016", end="2018", partners=10),
        ExpectedNetwork("B", ("B",), (), programme="URBACT III", budget=Money(Decimal(744000), "EUR")),
        ExpectedNetwork("C", ("C",), (), programme="INTERREG III B (SUDOE)", countries=3),
    ]
    proposed = [
        network(
            "A",
            [],
            programme="urbact-iii",
            start=PartialDate("2016", "gYear"),
            declared=Declared(partners=10),
        ),
        network("B", [], programme="urbact-ii", budget=Money(Decimal("744000.00"), "EUR")),
        network("C", [], declared=Declared(countries=3, partners=3)),
    ]
    scores = one_page(expected, proposed)["scores"]
    figures = {kind: (c.tp, c.fp, c.fn) for kind in KINDS for c in [scores.total(kind)]}
    # A: generic URBACT accepts urbact-iii; B: urbact-ii is not URBACT III;
    # C: not in the vocabulary, so not counted missing
    assert figures["programmes"] == (1, 1, 1)
    assert figures["dates"] == (1, 0, 1)  # A's start right, its end missing
    assert figures["budgets"] == (1, 0, 0)  # 744000.00 EUR is 744000 EUR
    assert figures["declared"] == (2, 1, 0)  # A's partners, C's countries; C's 3 partners not expected
    assert figures["networks"] == (3, 0, 0)


def test_an_organisation_matches_by_name_and_town_not_as_a_city() -> None:
    org = ExpectedMember(
        "organisation", "ERIGES (local agency)", "BE", "partner", "ERIGES Seraing", "Seraing", 2786824
    )
    expected = ExpectedNetwork("ALT/BAU", ("ALT/BAU",), (org,))
    as_org = Member("organisation", "ERIGES", "BE", "partner", 1, town="Seraing", geonames=2786824)
    as_city = Member("city", "Seraing", "BE", "partner", 1, geonames=2786824)
    right = one_page([expected], [network("ALT/BAU", [as_org])])["scores"].total("memberships")
    wrong = one_page([expected], [network("ALT/BAU", [as_city])])["scores"].total("memberships")
    assert (right.tp, right.fp, right.fn) == (1, 0, 0)
    assert (wrong.tp, wrong.fp, wrong.fn) == (0, 1, 1)


def to_proposal(page: ExpectedPage) -> FactFile:
    """A perfect proposal: the expectations themselves as a fact file."""
    labels = {"programme": read_labels("programme"), "network-type": read_labels("network-type")}

    def concept(text: str | None, scheme: str) -> str | None:
        if text is None:
            return None
        accepts, countable = map_concept(text, scheme, labels[scheme])
        first = sorted(accepts)[0]
        if not countable:
            return None
        return (
            next(c for c in labels[scheme].values() if c.startswith(first[:-1]))
            if first.endswith("*")
            else first
        )

    def date(text: str | None) -> PartialDate | None:
        return PartialDate(text, {4: "gYear", 7: "gYearMonth"}.get(len(text), "date")) if text else None

    networks = []
    for n in page.networks:
        members = [
            Member(m.kind, m.name, m.country, m.role, 1, written=m.written, geonames=m.geonames, town=m.town)
            for m in n.members
        ]
        declared = Declared(partners=n.partners, countries=n.countries) if n.partners or n.countries else None
        networks.append(
            Network(
                n.id or fold(n.name),
                [Name(x, None) for x in n.names],
                1,
                acronym=n.acronym,
                programme=concept(n.programme, "programme"),
                type=concept(n.type, "network-type"),
                start=date(n.start),
                end=date(n.end),
                budget=n.budget,
                declared=declared,
                members=members,
            )
        )
    return FactFile(page.file, page.file, networks, [])


@pytest.fixture(scope="module")
def dev_pages() -> list[ExpectedPage]:
    if not DEV.is_dir():
        pytest.fail(f"CI=true but {DEV} is missing")
    return read_expected(DEV / "expected.yaml")


@needs_shared
def test_dev_set_has_216_memberships_in_26_pages(dev_pages: list[ExpectedPage]) -> None:
    assert len(dev_pages) == 26
    assert sum(len(n.members) for p in dev_pages for n in p.networks) == 216
    assert sum(len(p.networks) for p in dev_pages) == 69  # the "- name:" entries of expected.yaml
    assert (
        sum(m.role == "lead-partner" for p in dev_pages for n in p.networks for m in n.members) == 34
    )  # "lead: {" lines (35 "lead: null")
    assert {p.language for p in dev_pages} >= {
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
        "en",
    }
    first = dev_pages[0].networks[0]
    assert (first.name, first.programme, [m.written for m in first.members][:2]) == (
        "Gen-Y City",
        "URBACT III",
        ["Poznań", "Granadą"],
    )


@needs_shared
def test_dev_set_places_resolve_but_a_listed_few(dev_pages: list[ExpectedPage]) -> None:
    """Every expected city resolves through the pins and the gazetteer except Bohinj, a municipality
    GeoNames has no populated place of (its seat is Bohinjska Bistrica); none stops the reading.
    Hengelo, Pyli, Saint-Quentin and Valongo resolve by their pins in graph/places.yaml."""
    unresolved = {line.split(": ", 1)[1].split(" in ")[0] for p in dev_pages for line in p.unresolved}
    assert unresolved == {"Bohinj (SI)"}
    ids = {(m.name, m.country): m.geonames for p in dev_pages for n in p.networks for m in n.members}
    assert ids["Poznań", "PL"] == 3088171  # pinned in graph/places.yaml
    assert ids["Daugavpils", "LV"] == 460413
    assert (ids["Hengelo", "NL"], ids["Valongo", "PT"]) == (2754394, 2732978)  # the pins
    assert ids["Constanța", "RO"] == 680963  # two places so named: the city, far larger


@needs_shared
def test_dev_set_perfect_proposal_scores_one_and_empty_scores_recall_zero(
    dev_pages: list[ExpectedPage],
) -> None:
    perfect = score(dev_pages, {p.file: to_proposal(p) for p in dev_pages}, name="dev")
    for kind in KINDS:
        count = perfect.total(kind)
        assert (count.fp, count.fn) == (0, 0), kind
        assert count.f1 == 1.0, kind
    assert all(goal.met for goal in check_goals(perfect))
    empty = score(dev_pages, {}, name="dev")
    for kind in KINDS:
        assert empty.total(kind).recall == 0.0, kind
        assert empty.total(kind).precision is None, kind
    assert empty.total("memberships").fn == 216


@needs_shared
def test_seed_expectations_and_a_perfect_proposal() -> None:
    pages = read_seed_expectations(ROOT)
    assert [p.file for p in pages] == sorted(f.name for f in SEEDS.glob("*.txt"))
    assert [sum(len(n.members) for n in p.networks) for p in pages] == [19, 10, 2, 10, 2]  # "role:" lines
    daugavpils = pages[2].networks[0]
    assert (daugavpils.id, daugavpils.partners, daugavpils.countries) == ("cities-of-change", 14, 11)
    assert [(m.name, m.role, m.geonames) for m in daugavpils.members] == [
        ("Poznań", "lead-partner", 3088171),
        ("Daugavpils", "partner", 460413),
    ]
    perfect = score(pages, {p.file: to_proposal(p) for p in pages}, name="seeds")
    assert all(perfect.total(kind).f1 in (1.0, None) for kind in KINDS)
    assert read_expectations(SEEDS, ROOT) == pages


def test_propose_all_keeps_going_after_a_page_fails(tmp_path: Path) -> None:
    pages = [ExpectedPage("a.txt", "pl", ()), ExpectedPage("b.txt", "pl", ())]

    def propose(path: Path) -> FactFile:
        if path.name == "b.txt":
            raise ExtractError(f"{path}: no main text")
        return FactFile(str(path), "a", [], [])

    proposals, problems = propose_all(tmp_path, pages, propose)
    assert list(proposals) == ["a.txt"]
    assert problems == {"b.txt": f"{tmp_path / 'b.txt'}: no main text"}


def test_malformed_expectations_are_one_line_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "expected.yaml"
    path.write_text(
        "- file: a.txt\n  language: pl\n  networks:\n    - name: X\n      lead: {city: Riga}\n", "utf-8"
    )
    with pytest.raises(ExtractError) as error:
        read_expected(path)
    assert (
        str(error.value) == f"expected facts: {path}:5: [0].networks[0].lead.country: missing required field"
    )
    path.write_text("- file: a.txt\n  colour: red\n", "utf-8")
    with pytest.raises(ExtractError, match=r":2: \[0\]\.colour: unknown field 'colour'"):
        read_expected(path)


def test_report_lists_errors_with_their_words_escaped() -> None:
    expected = ExpectedNetwork("REFILL", ("REFILL",), (city("Ghent", 1, written="Gandawą"),))
    proposed = network("Refill", [member("Riga", 9, quote="Rygą | <b>")])
    scores = one_page([expected], [proposed])["scores"]
    text = render_report([scores])
    fp = '- memberships, false positive: REFILL: Riga (XX, GeoNames 9) partner — evidence: "Rygą \\| \\<b\\>"'
    fn = '- memberships, false negative: REFILL: Ghent (XX, GeoNames 1) partner — in the text: "Gandawą"'
    assert fp in text.splitlines()
    assert fn in text.splitlines()
    assert "| memberships | 0.000 | 0.000 | 0.000 | 0 | 1 | 1 |" in text
    table = format_table(scores)
    assert table.splitlines()[2].split() == ["memberships", "0.000", "0.000", "0.000", "0", "1", "1"]
    assert "NOT met  membership F1, all pages: 0.000 (goal >= 0.90)" in table


def import_script() -> ModuleType:
    """scripts/extraction_report.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "extraction_report", ROOT / "scripts" / "extraction_report.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_shared
def test_report_script_writes_both_sets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With a stand-in for api.extract_evaluate: the seeds proposed perfectly, the dev set empty."""
    script = import_script()

    seeds = {p.file: to_proposal(p) for p in read_seed_expectations(ROOT)}

    def propose(path: Path) -> FactFile:
        if path.name not in seeds:
            raise ExtractError(f"{path.name}: not proposed in this test")
        return seeds[path.name]

    def evaluate(folder: Path) -> Scores:
        return evaluate_folder(folder, ROOT, propose)

    out = tmp_path / "extraction.md"
    args = ["--dev", str(DEV), "--seeds", str(SEEDS), "--out", str(out)]
    assert script.main(args, evaluate) == 0
    text = out.read_text("utf-8")
    assert "## development set (../shared/extraction-dev)" in text
    assert "## seeds (../shared/seeds)" in text
    assert "| memberships | - | 0.000 | 0.000 | 0 | 0 | 216 |" in text  # dev: nothing proposed
    assert "| memberships | 1.000 | 1.000 | 1.000 | 43 | 0 | 0 |" in text  # seeds: 19 + 10 + 2 + 10 + 2
    assert "No proposal: 01\\_pl\\_prawo\\_genycity\\_refill.txt: not proposed in this test" in text
    assert "idrija\\_pobuda.txt: Bohinj (SI) in Pobuda za prenos dobre prakse - no GeoNames place" in text
    assert script.main([*args, "--check"], evaluate) == 0
    out.write_text(text + "edited\n", "utf-8")
    assert script.main([*args, "--check"], evaluate) == 1
    assert "is out of date" in capsys.readouterr().err
    assert not list(tmp_path.glob(".*partial"))


def test_report_script_without_the_api_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    script = import_script()
    code = script.main(
        ["--dev", str(tmp_path / "none"), "--seeds", str(tmp_path), "--out", str(tmp_path / "r.md")]
    )
    assert code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Error: ") and len(err.splitlines()) == 1
    assert not (tmp_path / "r.md").exists()
