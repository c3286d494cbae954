"""Proposals against hand-written expectations: precision, recall and F1 per kind of fact and language.

``citynet extract --evaluate DIR`` extracts every page an ``expected.yaml`` lists and calls
:func:`score`. A fact is counted once per page: right (true positive), proposed but not expected
(false positive) or expected but not proposed (false negative). Figures are micro-averaged: the
counts of all pages (of a language) are added before precision, recall and F1 are computed.

The kinds of fact (:data:`KINDS`):

- ``memberships`` — network x member x role; a city member is its GeoNames id, an organisation its
  name and town (:mod:`citynet.extract.evalmatch`). A right member with the wrong role is one false
  positive and one false negative.
- ``leads`` — lead partners alone (network x member).
- ``networks`` — a network found by name or acronym; ``acronyms`` — the acronym given.
- ``programmes``, ``types`` — the concept proposed against the one expected (:func:`map_concept`).
- ``dates`` — start and end, as precise as written; ``budgets`` — value and currency;
  ``declared`` — the declared numbers of partners and of countries.

A fact of a network that was not found is a false negative; one of a proposed network that
matches no expected network a false positive.

>>> from citynet.extract.evalread import ExpectedMember, ExpectedNetwork, ExpectedPage
>>> from citynet.sources.model import FactFile, Member, Name, Network
>>> city = lambda name, gid, role="partner": ExpectedMember("city", name, "XX", role, geonames=gid)
>>> refill = ExpectedNetwork("REFILL", ("REFILL",), (city("A", 1), city("B", 2)))
>>> page = ExpectedPage("a.txt", "pl", (refill,))
>>> a = Member("city", "A", "XX", "partner", 1, geonames=1)
>>> found = Network("refill", [Name("Refill", None)], 1, members=[a])
>>> scores = score([page], {"a.txt": FactFile("a.yaml", "a", [found], [])})
>>> scores.total("memberships").precision, scores.total("memberships").recall
(1.0, 0.5)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from citynet.errors import ExtractError
from citynet.extract.evalmatch import (
    describe_member,
    fold,
    match_members,
    match_networks,
    pick_evidence,
    same_place_by_name,
)
from citynet.extract.evalread import (
    ExpectedNetwork,
    ExpectedPage,
    map_concept,
    read_expected,
    read_labels,
    read_seed_expectations,
)
from citynet.sources.model import FactFile, Money, Network

__all__ = [
    "Count",
    "Scores",
    "evaluate_folder",
    "propose_all",
    "read_expected",
    "read_seed_expectations",
    "score",
]

KINDS = (
    "memberships",
    "leads",
    "networks",
    "acronyms",
    "programmes",
    "types",
    "dates",
    "budgets",
    "declared",
)
FP, FN = "false positive", "false negative"


@dataclass
class Count:
    """True positives, false positives and false negatives; the figures are None where undefined.

    >>> c = Count(2, 1, 1)
    >>> round(c.precision, 3), round(c.recall, 3), round(c.f1, 3)
    (0.667, 0.667, 0.667)
    >>> Count(0, 0, 3).precision, Count(0, 0, 3).f1
    (None, 0.0)
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    def add(self, other: Count) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn


@dataclass(frozen=True)
class Error:
    """One fact counted wrong, with the words behind it where there are some."""

    kind: str
    network: str
    error: str  # FP or FN
    fact: str
    quote: str | None = None  # the proposal's evidence (FP) or the text's form (FN)
    note: str = ""


@dataclass
class PageScores:
    file: str
    language: str
    counts: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in KINDS})
    errors: list[Error] = field(default_factory=list)
    matches: list[tuple[str, str, str]] = field(default_factory=list)  # expected, proposed, how
    places_found: int = 0  # proposed places paired with an expected place (both with an id)
    places_exact: int = 0  # ... with the exact GeoNames id
    unexpected_leads: int = 0  # proposed networks with a lead where the expectation names none
    unresolved: tuple[str, ...] = ()
    problem: str | None = None  # why the page has no proposal

    def count(
        self, kind: str, outcome: str, network: str, fact: str, quote: str | None = None, note: str = ""
    ) -> None:
        counts = self.counts[kind]
        if outcome == "tp":
            counts.tp += 1
            return
        counts.fp, counts.fn = counts.fp + (outcome == FP), counts.fn + (outcome == FN)
        self.errors.append(Error(kind, network, outcome, fact, quote, note))


@dataclass
class Scores:
    """The scores of one set of pages, with every remaining error."""

    name: str
    pages: list[PageScores]

    def total(self, kind: str, language: str | None = None) -> Count:
        total = Count()
        for page in self.pages:
            if language is None or page.language == language:
                total.add(page.counts[kind])
        return total

    @property
    def languages(self) -> list[str]:
        return sorted({p.language for p in self.pages})

    @property
    def places(self) -> tuple[int, int]:
        """(places correctly found, of which with the exact GeoNames id)."""
        return sum(p.places_found for p in self.pages), sum(p.places_exact for p in self.pages)


def score_members(page: PageScores, ours: ExpectedNetwork | None, theirs: Network | None) -> None:
    """Memberships, leads and place resolution of one expected network and its match (either may be None)."""
    expected = ours.members if ours else ()
    proposed = theirs.members if theirs else []
    label = ours.name if ours else theirs.names[0].text if theirs and theirs.names else "?"
    pairs = match_members(expected, proposed)
    paired_e, paired_p = {i: j for i, j, _ in pairs}, {j: i for i, j, _ in pairs}
    for i, j, _ in pairs:
        e, p = expected[i], proposed[j]
        quote = pick_evidence(p.evidence, {"role"}) or pick_evidence(p.evidence, {"member"})
        if e.role == p.role:
            page.count("memberships", "tp", label, describe_member(e))
        else:
            note = f"role {p.role}, expected {e.role}"
            page.count("memberships", FP, label, describe_member(p), quote, note)
            page.count("memberships", FN, label, describe_member(e), e.written, note)
        if e.geonames and p.geonames:
            page.places_found += 1
            page.places_exact += e.geonames == p.geonames
    for j, p in enumerate(proposed):
        if j not in paired_p:
            page.count("memberships", FP, label, describe_member(p), pick_evidence(p.evidence, {"member"}))
            check_place(page, label, [e for i, e in enumerate(expected) if i not in paired_e], p)
        if p.role == "lead-partner":
            right = j in paired_p and expected[paired_p[j]].role == "lead-partner"
            page.count(
                "leads", "tp" if right else FP, label, describe_member(p), pick_evidence(p.evidence, {"role"})
            )
    for i, e in enumerate(expected):
        if i not in paired_e:
            page.count("memberships", FN, label, describe_member(e), e.written)
        if e.role == "lead-partner" and not (i in paired_e and proposed[paired_e[i]].role == "lead-partner"):
            page.count("leads", FN, label, describe_member(e), e.written)
    if any(p.role == "lead-partner" for p in proposed) and not any(
        e.role == "lead-partner" for e in expected
    ):
        page.unexpected_leads += 1


def check_place(page: PageScores, label: str, left: list, member: Any) -> None:
    """A proposed city named as an expected one but resolved to another id: a place resolution error."""
    for e in left:
        if e.geonames and member.geonames and same_place_by_name(e, member):
            page.places_found += 1
            page.errors.append(
                Error(
                    "places",
                    label,
                    "wrong place",
                    describe_member(member),
                    member.written,
                    f"expected GeoNames {e.geonames}",
                )
            )
            return


def compare(
    page: PageScores,
    kind: str,
    label: str,
    ours: Any,
    theirs: Any,
    same: Callable[[Any, Any], bool | None],
    quote: str | None,
) -> None:
    """One slot: ``same`` says whether the proposed value is the expected one; None: not countable."""
    verdict = same(ours, theirs) if ours is not None and theirs is not None else None
    if verdict:
        page.count(kind, "tp", label, str(ours))
        return
    if theirs is not None:
        page.count(kind, FP, label, str(theirs), quote, f"expected {ours}" if ours is not None else "")
    countable = ours is not None and same(ours, None) is not None
    if countable:
        page.count(kind, FN, label, str(ours), None, f"proposed {theirs}" if theirs is not None else "")


def same_concept(scheme: str) -> Callable[[str, str | None], bool | None]:
    def same(ours: str, theirs: str | None) -> bool | None:
        accepts, countable = map_concept(ours, scheme, read_labels(scheme))
        if theirs is None:
            return False if countable else None
        return any(theirs == a or (a.endswith("*") and theirs.startswith(a[:-1])) for a in accepts)

    return same


def show_money(money: Money | None) -> str | None:
    return f"{money.value.normalize():f} {money.currency}" if money else None


def equal(ours: Any, theirs: Any) -> bool:
    return theirs is not None and ours == theirs


def same_name(ours: str, theirs: str | None) -> bool:
    return theirs is not None and fold(ours) == fold(theirs)


def score_network(page: PageScores, ours: ExpectedNetwork | None, theirs: Network | None) -> None:
    """Every kind of fact of one expected network and its match (either may be None)."""
    label = ours.name if ours else theirs.names[0].text if theirs and theirs.names else "?"
    page.count(
        "networks",
        "tp" if ours and theirs else FP if theirs else FN,
        label,
        label,
        pick_evidence(theirs.evidence, {"names", "acronym"}) if theirs else None,
    )
    score_members(page, ours, theirs)
    ev = (lambda *fields: pick_evidence(theirs.evidence, set(fields))) if theirs else (lambda *fields: None)
    get = (lambda name: getattr(theirs, name)) if theirs else (lambda name: None)
    want = (lambda name: getattr(ours, name)) if ours else (lambda name: None)
    compare(page, "acronyms", label, want("acronym"), get("acronym"), same_name, ev("acronym"))
    compare(
        page,
        "programmes",
        label,
        want("programme"),
        get("programme"),
        same_concept("programme"),
        ev("programme"),
    )
    compare(page, "types", label, want("type"), get("type"), same_concept("network-type"), ev("type"))
    for end in ("start", "end"):
        value = get(end).text if get(end) else None
        compare(page, "dates", f"{label} {end}", want(end), value, equal, ev(end))
    budgets = show_money(want("budget")), show_money(get("budget"))
    compare(page, "budgets", label, *budgets, equal, ev("budget"))
    declared = theirs.declared if theirs else None
    for what in ("partners", "countries"):
        value = getattr(declared, what) if declared else None
        compare(page, "declared", f"{label} {what}", want(what), value, equal, ev(f"declared.{what}"))


def score_page(expected: ExpectedPage, proposal: FactFile | None, problem: str | None = None) -> PageScores:
    page = PageScores(expected.file, expected.language, unresolved=expected.unresolved, problem=problem)
    ours, theirs = list(expected.networks), proposal.networks if proposal else []
    pairs = match_networks(ours, theirs)
    for i, j, how in pairs:
        page.matches.append((ours[i].name, theirs[j].names[0].text if theirs[j].names else theirs[j].id, how))
        score_network(page, ours[i], theirs[j])
    for i in sorted(set(range(len(ours))) - {i for i, _, _ in pairs}):
        score_network(page, ours[i], None)
    for j in sorted(set(range(len(theirs))) - {j for _, j, _ in pairs}):
        score_network(page, None, theirs[j])
    return page


def score(
    expected: list[ExpectedPage],
    proposals: dict[str, FactFile],
    problems: dict[str, str] | None = None,
    name: str = "",
) -> Scores:
    """Score proposals (keyed by the page's file name) against the expectations of each page.

    A page without a proposal scores as an empty proposal; ``problems`` says why (an extraction error).
    """
    problems = problems or {}
    pages = [score_page(page, proposals.get(page.file), problems.get(page.file)) for page in expected]
    return Scores(name, pages)


def read_expectations(folder: Path, root: Path) -> list[ExpectedPage]:
    """A folder's expectations: its ``expected.yaml``, else the seeds of project ``root`` found in it."""
    if (folder / "expected.yaml").is_file():
        return read_expected(folder / "expected.yaml", root / "graph")
    pages = [page for page in read_seed_expectations(root) if (folder / page.file).is_file()]
    if not pages:
        raise ExtractError(
            f"{folder}: no expected.yaml and no seed page of {root / 'graph' / 'sources.yaml'}"
        )
    return pages


def propose_all(
    folder: Path, pages: list[ExpectedPage], propose: Callable[[Path], FactFile]
) -> tuple[dict[str, FactFile], dict[str, str]]:
    """Run ``propose`` on each page's file in ``folder``: the proposals, and the pages it failed on (why)."""
    proposals, problems = {}, {}
    for page in pages:
        try:
            proposals[page.file] = propose(folder / page.file)
        except ExtractError as error:
            problems[page.file] = str(error)
    return proposals, problems


def evaluate_folder(
    folder: Path, root: Path, propose: Callable[[Path], FactFile], name: str | None = None
) -> Scores:
    """Read a folder's expectations (:func:`read_expectations`), propose facts for each page with
    ``propose`` (a page it fails on scores as an empty proposal, with the reason) and score them."""
    pages = read_expectations(folder, root)
    proposals, problems = propose_all(folder, pages, propose)
    return score(pages, proposals, problems, name or str(folder))
