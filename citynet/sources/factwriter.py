"""Write a fact file (:class:`citynet.sources.model.FactFile`) as YAML that ``read_fact_file`` reads back.

Importers write ``graph/imported/<id>.yaml`` with it: regenerated, never hand-edited, diffable
(keys in a fixed order, one member a line). The text is built here, not by a YAML emitter: a
string is written plain only when every YAML reader reads it back as that string (``103``,
``yes``, ``null``, ``1e3`` and dates are quoted), and 10,000 members take well under a second.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from citynet.sources.model import (
    Call,
    CoFinancing,
    Declared,
    Evidence,
    FactFile,
    Member,
    Money,
    Name,
    Network,
    PartialDate,
    Phase,
    Programme,
    SourceEntry,
)

# Plain when it starts with a letter, holds only letters, digits and a few marks (no flow or comment
# indicator, no break), and is no YAML 1.1 word.
PLAIN = re.compile(r"^[^\W\d_][\w ./()'&+@-]*$")
RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}
BREAKS = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF"}  # YAML reads them as breaks
Flow = list[tuple[str, Any]]  # a mapping as written: keys in order, values already YAML text or None


def quote(text: str) -> str:
    """A string as a YAML scalar: plain when safe, else double-quoted.

    >>> [quote(t) for t in ["Kraków", "103", "yes", "2015-06", "a: b", "Nord-Pas de Calais"]]
    ['Kraków', '"103"', '"yes"', '"2015-06"', '"a: b"', 'Nord-Pas de Calais']
    """
    plain = PLAIN.match(text) and text[-1] != " " and ": " not in text and " #" not in text
    if plain and text.lower() not in RESERVED:
        return text
    escaped = json.dumps(text, ensure_ascii=False)
    for char, escape in BREAKS.items():
        escaped = escaped.replace(char, escape)
    return escaped


def flow(items: Flow) -> str:
    """``{key: value, ...}`` of the items whose value is not None.

    >>> flow([("value", "10"), ("currency", "EUR"), ("note", None)])
    '{value: 10, currency: EUR}'
    """
    return "{" + ", ".join(f"{quote(k)}: {v}" for k, v in items if v is not None) + "}"


def to_number(value: Decimal | int) -> str:
    """A number as YAML reads it back exactly: no exponent.

    >>> to_number(Decimal("1E+3")), to_number(Decimal("0.50"))
    ('1000', '0.50')
    """
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def opt(value: str | None) -> str | None:
    """An optional text: left out when None or blank (an empty cell is no value).

    >>> opt(""), opt(" "), opt("x")
    (None, None, 'x')
    """
    return None if value is None or not value.strip() else quote(value)


def to_date(value: PartialDate | None) -> str | None:
    return None if value is None else quote(value.text)


def to_money(money: Money | None) -> str | None:
    return (
        None
        if money is None
        else flow([("value", to_number(money.value)), ("currency", quote(money.currency))])
    )


def to_names(names: list[Name]) -> str:
    return "[" + ", ".join(flow([("text", quote(n.text)), ("lang", opt(n.lang))]) for n in names) + "]"


def to_texts(texts: dict[str, str]) -> str | None:
    given = [(k, quote(v)) for k, v in texts.items() if v.strip()]
    return flow(given) if given else None


def to_list(values: list[str]) -> str | None:
    return "[" + ", ".join(quote(v) for v in values) + "]" if values else None


def to_co_financing(co: CoFinancing | None) -> str | None:
    if co is None:
        return None
    rate = None if co.rate is None else to_number(co.rate)
    return flow(
        [
            ("rate", rate),
            ("up_to", "true" if co.up_to else None),
            ("fund", opt(co.fund)),
            ("amount", to_money(co.amount)),
        ]
    )


def to_declared(declared: Declared | None) -> str | None:
    if declared is None:
        return None
    counts = ", ".join(f"{quote(k)}: {'null' if v is None else v}" for k, v in declared.by_country.items())
    share = declared.newcomer_share
    return flow(
        [
            ("partners", opt_int(declared.partners)),
            ("countries", opt_int(declared.countries)),
            ("networks", opt_int(declared.networks)),
            ("organisations", opt_int(declared.organisations)),
            ("newcomer_share", None if share is None else to_number(share)),
            (
                "by_country",
                "{" + counts + "}" if counts else None,
            ),
        ]
    )


def opt_int(value: int | None) -> str | None:
    return None if value is None else str(value)


def to_phase(phase: Phase) -> str:
    return flow(
        [
            ("order", str(phase.order)),
            ("name", quote(phase.name)),
            ("duration", quote(phase.duration)),
            ("applied_on", to_date(phase.applied_on)),
            ("approved_on", to_date(phase.approved_on)),
        ]
    )


def to_evidence(e: Evidence) -> str:
    """One piece of evidence on one line; the quote exactly as it stands in the text.

    >>> to_evidence(Evidence("member", "Poznań ", 3, 10, "gazetteer:name", 0.95))
    '{field: member, quote: "Poznań ", start: 3, end: 10, rule: "gazetteer:name", confidence: 0.95}'
    """
    return flow(
        [
            ("field", quote(e.field)),
            ("quote", quote(e.quote)),
            ("start", str(e.start)),
            ("end", str(e.end)),
            ("rule", quote(e.rule)),
            ("confidence", to_number(Decimal(repr(float(e.confidence))))),
        ]
    )


def write_evidence(evidence: list[Evidence], indent: str) -> list[str]:
    """``evidence:`` and its entries, one a line, at ``indent``; nothing when there is none."""
    if not evidence:
        return []
    return [f"{indent}evidence:", *to_items([to_evidence(e) for e in evidence], indent + "  ")]


def write_member(m: Member, indent: str) -> list[str]:
    """A member as a list item: one line, or a block with its evidence under it.

    >>> write_member(Member("city", "Riga", "LV", "partner", 0), "  ")
    ['  - {city: Riga, country: LV, role: partner}']
    """
    if not m.evidence:
        return to_items([to_member(m)], indent)
    return block(member_items(m), indent + "  ") + write_evidence(m.evidence, indent + "  ")


def to_member(m: Member) -> str:
    """One member on one line, keys in the reader's order.

    >>> to_member(Member("city", "Bytom", "PL", "partner", 0, geonames=3101950))
    '{city: Bytom, country: PL, geonames: 3101950, role: partner}'
    """
    return flow(member_items(m))


def member_items(m: Member) -> Flow:
    """A member's keys and values (YAML text), in the reader's order."""
    city = m.kind == "city"
    return [
        ("city", quote(m.name) if city else None),
        ("organisation", None if city else quote(m.slug or "")),
        ("name", None if city else quote(m.name)),
        ("written", opt(m.written)),
        ("type", opt(m.org_type)),
        ("country", opt(m.country)),
        ("geonames", opt_int(m.geonames)),
        ("town", opt(m.town)),
        ("nuts3", opt(m.nuts3)),
        ("legal_status", opt(m.legal_status)),
        ("website", opt(m.website)),
        ("role", quote(m.role)),
        ("start", to_date(m.start)),
        ("end", to_date(m.end)),
        ("budget", to_money(m.budget)),
        ("co_financing", to_co_financing(m.co_financing)),
        ("category", to_texts(m.category)),
        ("status", to_texts(m.status)),
        ("record", opt(m.record)),
    ]


def block(items: Flow, indent: str) -> list[str]:
    """The items as a block mapping, the first key after ``- `` (a list item)."""
    lines = [f"{indent}{quote(k)}: {v}" for k, v in items if v is not None]
    return [f"{indent[:-2]}- {lines[0][len(indent) :]}", *lines[1:]] if lines else []


def to_items(values: list[str], indent: str) -> list[str]:
    return [f"{indent}- {value}" for value in values]


def write_network(n: Network) -> list[str]:
    funds = flow([(k, to_money(v)) for k, v in n.funds.items()]) if n.funds else None
    lines = block(
        [
            ("id", quote(n.id)),
            ("names", to_names(n.names)),
            ("acronym", opt(n.acronym)),
            ("programme", opt(n.programme)),
            ("type", opt(n.type)),
            ("call", opt(n.call)),
            ("start", to_date(n.start)),
            ("end", to_date(n.end)),
            ("duration", opt(n.duration)),
            ("budget", to_money(n.budget)),
            ("eu_funding", to_money(n.eu_funding)),
            ("funds", funds),
            ("co_financing", to_co_financing(n.co_financing)),
            ("website", opt(n.website)),
            ("themes", to_list(n.themes)),
            ("continues", opt(n.continues)),
            ("declared", to_declared(n.declared)),
            ("objective", to_texts(n.objective)),
            ("expected_result", to_texts(n.expected_result)),
            ("record", opt(n.record)),
        ],
        "    ",
    )
    if n.phases:
        lines += ["    phases:", *to_items([to_phase(p) for p in n.phases], "      ")]
    lines += write_evidence(n.evidence, "    ")
    if n.members:
        lines += ["    members:", *(line for m in n.members for line in write_member(m, "      "))]
    return lines


def write_call(c: Call) -> list[str]:
    lines = block(
        [
            ("id", quote(c.id)),
            ("names", to_names(c.names)),
            ("programme", opt(c.programme)),
            ("type", opt(c.type)),
            ("approved_on", to_date(c.approved_on)),
            ("start", to_date(c.start)),
            ("end", to_date(c.end)),
            ("duration", opt(c.duration)),
            ("budget", to_money(c.budget)),
            ("declared", to_declared(c.declared)),
            ("events", to_texts(c.events)),
            ("record", opt(c.record)),
        ],
        "    ",
    )
    lines += ["    phases:", *to_items([to_phase(p) for p in c.phases], "      ")] if c.phases else []
    return lines + write_evidence(c.evidence, "    ")


def write_programme(p: Programme) -> str:
    return flow(
        [
            ("id", quote(p.id)),
            ("names", to_names(p.names)),
            ("strand", opt(p.strand)),
            ("period", opt(p.period)),
            ("record", opt(p.record)),
        ]
    )


def write_source(facts: FactFile) -> list[str]:
    entry: SourceEntry | None = facts.source_entry
    if entry is None:
        return [f"source: {quote(facts.source)}"]
    fields = [
        ("id", entry.id),
        ("title", entry.title),
        ("language", entry.language),
        ("publisher", entry.publisher),
        ("url", entry.url),
        ("seed", entry.seed),
        ("file", entry.file),
        ("date", entry.date),
        ("licence", entry.licence),
        ("retrieved", entry.retrieved),
        ("sha256", entry.sha256),
        ("text", entry.text),
    ]
    return ["source:", *(f"  {k}: {quote(v)}" for k, v in fields if v is not None)]


def write_fact_file(facts: FactFile, header: str = "") -> str:
    """The YAML text of ``facts``, ``header`` (comment lines) first.

    >>> facts = FactFile("f.yaml", "s", [Network("op-act", [Name("103", None)], 0)], [])
    >>> print(write_fact_file(facts, "Written by a test"), end="")
    # Written by a test
    source: s
    networks:
      - id: op-act
        names: [{text: "103"}]
    """
    lines = [line if line.startswith("#") else f"# {line}".rstrip() for line in header.splitlines()]
    lines += write_source(facts)
    if facts.programmes:
        lines += ["programmes:", *to_items([write_programme(p) for p in facts.programmes], "  ")]
    if facts.calls:
        lines.append("calls:")
        for call in facts.calls:
            lines += write_call(call)
    if facts.networks:
        lines.append("networks:")
        for network in facts.networks:
            lines += write_network(network)
    return "\n".join(lines) + "\n"
