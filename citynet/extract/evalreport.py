"""The evaluation as a terminal table (:func:`format_table`) and as Markdown (:func:`render_report`).

``docs/extraction.md`` is :func:`render_report` of both sets (``scripts/extraction_report.py``): the
figures per kind of fact and per language, the goals met or not, how each network was matched
where not by its exact name, the expected places no resolver resolved, and every remaining error
per page with the words behind it. Words from the pages are escaped for Markdown.

>>> from citynet.extract.evaluate import Scores
>>> print(format_table(Scores("none", [])).splitlines()[0])
none: 0 pages, micro-averaged (counts of all pages added, then P, R, F1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citynet.extract.evalmatch import FUZZY_MIN, FUZZY_RATIO
from citynet.extract.evaluate import FP, KINDS, Count, PageScores, Scores

MARKDOWN = re.compile(r"([\\`*_\[\]<>|#])")
HEADER = ("kind", "P", "R", "F1", "TP", "FP", "FN")


@dataclass(frozen=True)
class Goal:
    name: str
    target: str
    value: str
    met: bool


def check_goals(scores: Scores) -> list[Goal]:
    """The issue's goals: membership F1, per language, lead-partner precision, no unexpected lead, places."""
    members = scores.total("memberships").f1 or 0.0
    worst = min(
        ((scores.total("memberships", lang).f1 or 0.0, lang) for lang in scores.languages), default=(0.0, "-")
    )
    leads = scores.total("leads").precision
    unexpected = sum(p.unexpected_leads for p in scores.pages)
    on_pages = sum(p.unexpected_leads > 0 for p in scores.pages)
    found, exact = scores.places
    return [
        Goal("membership F1, all pages", ">= 0.90", f"{members:.3f}", members >= 0.90),
        Goal("membership F1, every language", ">= 0.80", f"{worst[0]:.3f} ({worst[1]})", worst[0] >= 0.80),
        Goal(
            "lead-partner precision",
            ">= 0.97",
            "-" if leads is None else f"{leads:.3f}",
            (leads or 0.0) >= 0.97,
        ),
        Goal(
            "networks given a lead where the expectation names none",
            "0",
            f"{unexpected} (pages: {on_pages})",
            unexpected == 0,
        ),
        Goal(
            "exact GeoNames id of the places found",
            ">= 0.95",
            f"{exact}/{found}",
            found > 0 and exact / found >= 0.95,
        ),
    ]


def show(value: float | None) -> str:
    """A figure with three decimals, or "-" where it is undefined (nothing proposed, nothing expected)."""
    return "-" if value is None else f"{value:.3f}"


def to_row(name: str, count: Count) -> tuple[str, ...]:
    return (
        name,
        show(count.precision),
        show(count.recall),
        show(count.f1),
        str(count.tp),
        str(count.fp),
        str(count.fn),
    )


def format_rows(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]


def format_table(scores: Scores) -> str:
    """The figures of one set for the terminal: per kind, memberships per language, the goals.

    >>> from citynet.extract.evaluate import Scores, PageScores
    >>> page = PageScores("a.txt", "pl")
    >>> page.counts["memberships"] = Count(2, 1, 1)
    >>> format_table(Scores("dev", [page])).splitlines()[2].split()
    ['memberships', '0.667', '0.667', '0.667', '2', '1', '1']
    """
    lines = [
        f"{scores.name}: {len(scores.pages)} pages, micro-averaged (counts of all pages added, then P, R, F1)"
    ]
    lines += format_rows([HEADER, *(to_row(kind, scores.total(kind)) for kind in KINDS)])
    lines += ["", "memberships per language"]
    lines += format_rows(
        [
            ("language", *HEADER[1:]),
            *(to_row(lang, scores.total("memberships", lang)) for lang in scores.languages),
        ]
    )
    lines += ["", "goals"]
    lines += [
        f"{'met' if g.met else 'NOT met':8} {g.name}: {g.value} (goal {g.target})"
        for g in check_goals(scores)
    ]
    failed = [f"{p.file}: {p.problem}" for p in scores.pages if p.problem]
    lines += ["", f"pages without a proposal: {len(failed)}", *failed] if failed else []
    return "\n".join(lines)


def escape(text: str | None) -> str:
    """Words from a page, safe in Markdown (and in a table cell).

    >>> escape("a | b <script>")
    'a \\\\| b \\\\<script\\\\>'
    """
    return MARKDOWN.sub(r"\\\1", " ".join((text or "").split()))


def to_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def render_kinds(scores: Scores) -> list[str]:
    return to_table(HEADER, [to_row(kind, scores.total(kind)) for kind in KINDS])


def render_languages(scores: Scores) -> list[str]:
    """F1 per kind and language (micro-averaged over the language's pages), pages in brackets."""
    header = ("language", "pages", *KINDS)
    rows = []
    for lang in scores.languages:
        pages = sum(p.language == lang for p in scores.pages)
        rows.append((lang, str(pages), *(show(scores.total(kind, lang).f1) for kind in KINDS)))
    return to_table(header, rows)


def render_goals(scores: Scores) -> list[str]:
    rows = [
        (escape(g.name), g.target, g.value, "met" if g.met else "**not met**") for g in check_goals(scores)
    ]
    return to_table(("goal", "target", "value", ""), rows)


def render_matches(scores: Scores) -> list[str]:
    """Networks matched otherwise than by an exact name or acronym."""
    rows = [
        (escape(p.file), escape(ours), escape(theirs), escape(how))
        for p in scores.pages
        for ours, theirs, how in p.matches
        if how not in ("name", "acronym", "id")
    ]
    if not rows:
        return ["Every matched network was matched by its exact name, acronym or id (folded)."]
    return to_table(("page", "expected", "proposed", "how"), rows)


def render_page(page: PageScores) -> list[str]:
    lines = [f"#### {escape(page.file)} ({page.language})", ""]
    if page.problem:
        lines += [f"No proposal: {escape(page.problem)}", ""]
    for error in sorted(page.errors, key=lambda e: (e.network, e.kind, e.error, e.fact)):
        said = "evidence" if error.error == FP else "in the text"
        words = f' — {said}: "{escape(error.quote)}"' if error.quote else ""
        note = f" ({escape(error.note)})" if error.note else ""
        lines.append(
            f"- {error.kind}, {error.error}: {escape(error.network)}: {escape(error.fact)}{note}{words}"
        )
    if not page.errors and not page.problem:
        lines.append("No error.")
    return [*lines, ""]


def render_set(scores: Scores) -> list[str]:
    found, exact = scores.places
    unresolved = [escape(line) for p in scores.pages for line in p.unresolved]
    lines = [
        f"## {escape(scores.name)}",
        "",
        f"{len(scores.pages)} pages. Micro-averaged: the counts of all pages",
        "are added, then precision, recall and F1 are computed.",
        "",
    ]
    lines += ["### Per kind of fact", "", *render_kinds(scores), ""]
    lines += ["### Memberships per language", ""]
    lines += to_table(
        ("language", *HEADER[1:]),
        [to_row(lang, scores.total("memberships", lang)) for lang in scores.languages],
    )
    lines += ["", "### F1 per language and kind", "", *render_languages(scores), ""]
    lines += [
        "### Goals",
        "",
        *render_goals(scores),
        "",
        f"Places found: {found}, with the exact GeoNames id: {exact}.",
        "",
    ]
    lines += ["### Networks not matched by their exact name", "", *render_matches(scores), ""]
    lines += ["### Expected places no resolver resolved", ""]
    lines += [f"- {line}" for line in unresolved] or ["None."]
    lines += ["", "### Remaining errors per page", ""]
    for page in scores.pages:
        lines += render_page(page)
    return lines


def render_report(sets: list[Scores], command: str = "python scripts/extraction_report.py") -> str:
    """``docs/extraction.md``: every set's figures, goals and remaining errors, with how they are counted."""
    lines = [
        "# Extraction: how well `citynet extract` finds the facts",
        "",
        f"Generated by `{command}`; do not edit. `citynet extract --evaluate DIR` prints the same figures.",
        "",
        "The rules were developed on these very pages (the issue's tuning set), so the figures say how",
        "well they fit the pages they were written for, not how well they do on pages never seen. The",
        "registry is the hand-written fact files' networks (as on a fresh clone): on the seeds it",
        "already names their networks, so their network figures are not a fair test either.",
        "",
        "## How it is counted",
        "",
        "- A fact is right (TP), proposed but not expected (FP) or expected but not proposed (FN);",
        '  P = TP/(TP+FP), R = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN); "-" where undefined.',
        "- memberships: network x member x role. A city is its GeoNames id; an organisation its name",
        "  (as expected or as the text writes it) and its town. The right member with the wrong role",
        "  is one FP and one FN. leads: lead partners alone.",
        "- Networks match on a folded name or acronym (case, accents, dashes, spaces, punctuation; Greek",
        "  and Cyrillic letters in Latin), then on the part of a name before a spaced dash or colon, then",
        f"  fuzzily: rapidfuzz ratio >= {FUZZY_RATIO:.0f} between folded names of >= {FUZZY_MIN} letters.",
        "  One proposed network matches at most one expected network, the best pairs first.",
        "- programmes, types: the expected name is mapped to the vocabulary's concepts (ontology/vocab).",
        '  A generic "URBACT" accepts any urbact-* concept, "Europe for Citizens" any',
        '  europe-for-citizens-* concept. A programme the vocabulary lacks ("INTERREG III B (SUDOE)")',
        "  is not counted missing; a proposed id starting with its first word (interreg*) counts right.",
        "- dates as precise as written (start, end); budgets value and currency; declared: the declared",
        "  numbers of partners and countries. A fact of a network not found is an FN; one of a proposed",
        "  network that matches no expected network an FP.",
        "- Places correctly found: a proposed member paired with an expected one (by id, or by name and",
        "  country); of those, how many carry the exact GeoNames id of the expectation.",
        "",
    ]
    for scores in sets:
        lines += render_set(scores)
    return "\n".join(lines).rstrip() + "\n"


__all__ = ["Goal", "check_goals", "escape", "format_table", "render_report"]
