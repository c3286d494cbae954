"""The review page of a proposal: the source text with the evidence marked, the facts beside it.

One static HTML file, offline (CSS and script inline, nothing fetched), every string from the
source escaped by Jinja2's autoescape; only http(s) URLs become links. Overlapping evidence is cut
into segments, each marked with every fact whose words it holds:

>>> [(s.text, s.facts) for s in cut_segments("Poznań lead", [(0, 6, "f0"), (0, 11, "f1")])]
[('Poznań', ('f0', 'f1')), (' lead', ('f1',))]
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from typing import Any

import jinja2

from citynet.review.proposal import Fact, Proposal
from citynet.review.status import KNOWN, Status
from citynet.sources.model import URL


@dataclass(frozen=True)
class Segment:
    text: str
    facts: tuple[str, ...]  # ids of the facts whose evidence covers it (none: plain text)
    starts: tuple[str, ...] = ()  # ids of the facts whose first evidence begins here


def cut_segments(text: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """``text`` cut at every span boundary, each piece with the facts covering it."""
    bounds = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    firsts: dict[str, int] = {}
    for start, _, fact in spans:
        firsts[fact] = min(start, firsts.get(fact, start))
    segments = []
    for start, end in itertools.pairwise(bounds):
        covering = tuple(dict.fromkeys(f for s, e, f in spans if s <= start and end <= e and s < e))
        starts = tuple(f for f in covering if firsts[f] == start)
        segments.append(Segment(text[start:end], covering, starts))
    return segments


def to_link(url: Any) -> str | None:
    """``url`` if it is an http(s) URL, else None (shown as text, never a link).

    >>> to_link("https://example.org/a"), to_link("javascript:alert(1)")
    ('https://example.org/a', None)
    """
    return url if isinstance(url, str) and URL.match(url) else None


def describe(fact: Fact) -> str:
    """The fact in a few words: the network's name, the member and role, the field and value.

    >>> describe(Fact("networks[0].members[0]", "member", {"city": "Poznań", "country": "PL", "role": "x"}))
    'Poznań (PL): x'
    """
    value = fact.value
    if fact.kind in ("network", "call"):
        names = value.get("names") or []
        name = names[0].get("text") if names and isinstance(names[0], dict) else value.get("id")
        return f"{fact.kind} {value.get('id')}: {name}"
    if fact.kind == "member":
        who = value.get("city") or value.get("name") or value.get("organisation")
        country = f" ({value['country']})" if value.get("country") else ""
        written = f" written “{value['written']}”" if value.get("written") not in (None, who) else ""
        return f"{who}{country}{written}: {value.get('role')}"
    shown = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, dict | list) else value
    return f"{fact.name}: {shown}"


def build_items(proposal: Proposal, statuses: dict[str, Status]) -> list[dict]:
    """What the page shows of each fact."""
    items = []
    for n, fact in enumerate(proposal.facts):
        status = statuses[fact.key]
        recorded = [
            {"value": r.value, "source": r.source, "title": r.title, "url": r.url, "link": to_link(r.url)}
            for r in status.recorded
        ]
        items.append(
            {
                "id": f"f{n}",
                "key": fact.key,
                "kind": fact.kind,
                "parent": fact.parent,
                "text": describe(fact),
                "state": status.state,
                "recorded": recorded,
                "evidence": fact.evidence,
            }
        )
    return items


def open_templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("citynet.review", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(proposal: Proposal, statuses: dict[str, Status], today: dt.date | None = None) -> str:
    """The HTML of the review page of ``proposal``."""
    items = build_items(proposal, statuses)
    spans = [
        (e["start"], e["end"], item["id"])
        for item in items
        for e in item["evidence"]
        if e["start"] < e["end"]
    ]
    source = proposal.source
    config = {"source": proposal.id, "sha256": proposal.sha256, "facts": {i["id"]: i["key"] for i in items}}
    return (
        open_templates()
        .get_template("review.html.j2")
        .render(
            source=source,
            source_link=to_link(source.get("url")),
            items=items,
            segments=cut_segments(proposal.text, spans),
            known=sum(1 for i in items if i["state"] == KNOWN),
            config=config,
            today=(today or dt.date.today()).isoformat(),
        )
    )
