"""Is a proposed fact new, already in the graph, or in conflict with a recorded one? The store says.

A network is the one of the same id (the extractor uses the graph's id when its registry knows the
network); a membership is the network's id and the member's IRI, as ``citynet load`` mints them
(``membership/<network>/city/<GeoNames id>``, ``…/org/<slug>``). What the source under review
recorded itself (a second ``review accept`` after a load) does not count.

>>> judge_values("lead-partner", [Recorded("partner", "s", None, None)]).state
'conflict'
>>> judge_values("99000", [Recorded("99000", "s", None, None)]).state
'known'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from citynet.rdf.namespaces import PREFIXES, VOCAB, Ids
from citynet.review.proposal import SOURCE_ID, Fact, Proposal
from citynet.sources.imported import slugify
from citynet.store.embedded import EmbeddedStore

NEW, KNOWN, CONFLICT = "new", "known", "conflict"

# What the graph records of a network's field, per source graph: ?v (and ?w for a currency).
FIELD_PATTERNS = {
    "acronym": "?n cn:acronym ?v",
    "programme": "?n cn:programme ?v",
    "type": "?n cn:networkType ?v",
    "start": "?n cn:activeDuring/cn:start ?v",
    "end": "?n cn:activeDuring/cn:end ?v",
    "budget": "?n cn:budget ?b . ?b schema:value ?v ; schema:currency ?w",
    "co_financing": "?n cn:coFinancing/cn:rate ?v",
    "declared.partners": "?n cn:declaredPartnerCount ?v",
    "declared.countries": "?n cn:declaredCountryCount ?v",
}
RECORDED = """SELECT ?n ?g ?v ?w ?title ?url WHERE {{
  GRAPH ?g {{ {pattern} }}
  OPTIONAL {{ ?g dcterms:title ?title }} OPTIONAL {{ ?g cn:url ?url }}
}} ORDER BY ?g"""


@dataclass(frozen=True)
class Recorded:
    """A claim the graph records, and the source that states it."""

    value: str
    source: str  # the source's id
    title: str | None
    url: str | None


@dataclass(frozen=True)
class Status:
    state: str  # new | known | conflict
    recorded: list[Recorded] = field(default_factory=list)


def same(a: str, b: str) -> bool:
    """Equal as numbers when both are, else as text.

    >>> same("99000", "99000.0"), same("1", "1.00"), same("lead-partner", "partner")
    (True, True, False)
    """
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a == b


def judge_values(proposed: str, recorded: list[Recorded]) -> Status:
    """Known if a source records the same value, conflicting if sources record only others."""
    if not recorded:
        return Status(NEW)
    if any(same(proposed, r.value) for r in recorded):
        return Status(KNOWN, recorded)
    return Status(CONFLICT, recorded)


def ask(store: EmbeddedStore, pattern: str, node: str, own: str) -> list[Recorded]:
    """The values ``pattern`` finds for the node ``?n``, per source graph other than ``own``."""
    text = RECORDED.format(pattern=pattern)
    rows = store.query(text, PREFIXES, {ox.Variable("n"): ox.NamedNode(node)})
    found = []
    for row in rows:
        graph = row["g"].value
        if graph == own:
            continue
        value = shorten(row["v"].value) if row["v"] is not None else ""
        value += f" {row['w'].value}" if row["w"] is not None else ""
        title, url = row["title"], row["url"]
        found.append(
            Recorded(
                value, graph.rsplit("/", 1)[-1], title.value if title else None, url.value if url else None
            )
        )
    return found


def member_key(member: dict) -> str | None:
    """The member's IRI path as load mints it, or None when it cannot be known (no GeoNames id).

    >>> member_key({"city": "Poznań", "geonames": 3088171}), member_key({"organisation": "CIM Viseu"})
    ('city/3088171', 'org/cim-viseu')
    """
    if "city" in member:
        return f"city/{member['geonames']}" if isinstance(member.get("geonames"), int) else None
    name = str(member.get("organisation") or "")
    return f"org/{name if SOURCE_ID.match(name) else slugify(name)}" if name else None


def shorten(value: str) -> str:
    """A concept of citynet's vocabularies as its id, as fact files write it.

    >>> shorten(VOCAB + "role/lead-partner"), shorten("2013-06")
    ('lead-partner', '2013-06')
    """
    return value.rsplit("/", 1)[-1] if value.startswith(VOCAB) else value


def to_text(name: str, value: Any) -> str:
    """A proposed value as :func:`ask` gives a recorded one."""
    if name == "budget" and isinstance(value, dict):
        return f"{value.get('value')} {value.get('currency')}"
    if name == "co_financing" and isinstance(value, dict):
        return str(value.get("rate"))
    return str(value)


def judge_field(store: EmbeddedStore, node: str, name: str, value: Any, own: str) -> Status:
    """A network's field; ``declared`` is known only if every count it gives is."""
    if name == "declared" and isinstance(value, dict):
        parts = [
            judge_field(store, node, f"declared.{k}", v, own)
            for k, v in value.items()
            if k in ("partners", "countries")
        ]
        states = {p.state for p in parts}
        state = CONFLICT if CONFLICT in states else NEW if NEW in states or not parts else KNOWN
        return Status(state, [r for p in parts for r in p.recorded])
    if name not in FIELD_PATTERNS:
        return Status(NEW)
    return judge_values(to_text(name, value), ask(store, FIELD_PATTERNS[name], node, own))


def judge_fact(store: EmbeddedStore, ids: Ids, fact: Fact, network_id: str, own: str) -> Status:
    """The status of one fact of the proposal."""
    network = str(ids.network(network_id))
    if fact.kind == "network":
        found = ask(store, "?n a cn:Network", network, own)
        return Status(KNOWN, found) if found else Status(NEW)
    if fact.kind == "field":
        return judge_field(store, network, fact.name, fact.value, own)
    if fact.kind == "member":
        key = member_key(fact.value)
        if key is None:
            return Status(NEW)
        return judge_values(
            str(fact.value.get("role")),
            ask(store, "?n cn:role ?v", str(ids.membership(network_id, key)), own),
        )
    call = str(ids.call(str(fact.value.get("id"))))
    found = ask(store, "?n a cn:Call", call, own)
    return Status(KNOWN, found) if found else Status(NEW)


def judge_proposal(store: EmbeddedStore, proposal: Proposal, ids: Ids | None = None) -> dict[str, Status]:
    """Each fact's status, by key."""
    ids = ids or Ids()
    own = str(ids.source(proposal.id))
    networks = proposal.data.get("networks") or []
    statuses: dict[str, Status] = {}
    for fact in proposal.facts:
        index = int(fact.key.split("]")[0].split("[")[1]) if fact.key.startswith("networks") else None
        network_id = str(networks[index].get("id")) if index is not None else ""
        statuses[fact.key] = judge_fact(store, ids, fact, network_id, own)
    return statuses
