"""Turn checked facts into RDF quads: one named graph per source, one for the gazetteer.

No blank nodes: every node has a deterministic IRI, so building twice gives the same quads.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, TextIO

import pyoxigraph as ox
from rdflib import URIRef

from citynet.build.evidence import add_evidence
from citynet.places.gazetteer import Place
from citynet.rdf.namespaces import (
    CN,
    FUND,
    NETWORK_TYPE,
    NUTS,
    ORG_TYPE,
    PROGRAMME,
    RDF,
    RDFS,
    ROLE,
    SCHEMA,
    SKOS,
    STRAND,
    THEME,
    XSD,
    Ids,
)
from citynet.rdf.terms import lit, to_term
from citynet.sources.facts import SourceEntry
from citynet.sources.model import (
    Call,
    CoFinancing,
    Declared,
    FactFile,
    Member,
    Money,
    Name,
    Network,
    PartialDate,
    Phase,
    Programme,
)

Origins = dict[str, str]
"""Where a node was stated: IRI -> ``file:line``, for error messages."""


@functools.lru_cache(maxsize=1 << 16)
def write_iri(iri: URIRef) -> str:
    """An IRI in N-Triples form, checked by pyoxigraph; cached, since a node's IRI is written once
    for each of its facts and a vocabulary term's in every network.

    >>> write_iri(URIRef("https://w3id.org/citynet/id/city/3094802"))
    '<https://w3id.org/citynet/id/city/3094802>'
    """
    return str(ox.NamedNode(str(iri)))


def write_term(term: Any) -> str:
    """A term in N-Triples form: an IRI by :func:`write_iri`, anything else by :func:`to_term`.

    >>> write_term(RDF.type), write_term(lit("Celje", lang="sl"))
    ('<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>', '"Celje"@sl')
    """
    return write_iri(term) if type(term) is URIRef else str(to_term(term))


@dataclass
class GraphSink:
    """One named graph: ``add((s, p, o))`` writes an N-Quads line to the builder's output."""

    name: str
    out: TextIO

    def __post_init__(self) -> None:
        self.tail = f"<{self.name}> .\n"

    def add(self, triple: tuple[Any, Any, Any]) -> None:
        s, p, o = triple
        self.out.write(f"{write_term(s)} {write_term(p)} {write_term(o)} {self.tail}")


@dataclass
class Builder:
    """Writes quads under deterministic IRIs as N-Quads to ``out`` (a file: big loads stream)."""

    out: TextIO
    ids: Ids = field(default_factory=Ids)
    origins: Origins = field(default_factory=dict)
    countries: set[str] = field(default_factory=set)
    line: int | None = None  # the fact file's line being written, for errors
    evidence: dict[str, int] = field(default_factory=dict)  # pieces of evidence numbered, by fact IRI

    def graph(self, iri: URIRef) -> GraphSink:
        return GraphSink(str(iri), self.out)

    def add_country(self, g: GraphSink, subject: URIRef, code: str) -> None:
        self.countries.add(code)
        g.add((subject, CN.country, self.ids.country(code)))


def to_literal(value: PartialDate) -> ox.Literal:
    """A date literal at the source's precision.

    >>> to_literal(PartialDate("2013-06", "gYearMonth")).datatype.value
    'http://www.w3.org/2001/XMLSchema#gYearMonth'
    """
    return lit(value.text, datatype=XSD[value.datatype])


def add_names(g: GraphSink, subject: URIRef, names: list[Name]) -> None:
    """The first name is the rdfs:label, the others skos:altLabel."""
    for index, name in enumerate(names):
        g.add((subject, RDFS.label if index == 0 else SKOS.altLabel, lit(name.text, lang=name.lang)))


def add_money(g: GraphSink, subject: URIRef, money: Money) -> URIRef:
    g.add((subject, RDF.type, SCHEMA.MonetaryAmount))
    g.add((subject, SCHEMA.value, lit(money.value, datatype=XSD.decimal)))
    g.add((subject, SCHEMA.currency, lit(money.currency)))
    return subject


def add_co_financing(g: GraphSink, owner: URIRef, co: CoFinancing) -> None:
    node = URIRef(f"{owner}/co-financing")
    g.add((owner, CN.coFinancing, node))
    g.add((node, RDF.type, CN.CoFinancing))
    if co.rate is not None:
        g.add((node, CN.rate, lit(co.rate, datatype=XSD.decimal)))
        g.add((node, CN.rateIsMaximum, lit(co.up_to)))
    if co.fund:
        g.add((node, CN.fund, FUND[co.fund]))
    if co.amount:
        g.add((node, CN.amount, add_money(g, URIRef(f"{node}/amount"), co.amount)))


def add_period(
    g: GraphSink,
    owner: URIRef,
    prop: URIRef,
    start: PartialDate | None,
    end: PartialDate | None,
    duration: str | None = None,
) -> None:
    if not (start or end or duration):
        return
    node = URIRef(f"{owner}/period")
    g.add((owner, prop, node))
    g.add((node, RDF.type, CN.Period))
    if start:
        g.add((node, CN.start, to_literal(start)))
    if end:
        g.add((node, CN.end, to_literal(end)))
    if duration:
        g.add((node, CN.duration, lit(duration, datatype=XSD.duration)))


def add_phases(g: GraphSink, owner: URIRef, phases: list[Phase]) -> None:
    for phase in phases:
        node = URIRef(f"{owner}/phase/{phase.order}")
        g.add((owner, CN.phase, node))
        g.add((node, RDF.type, CN.Phase))
        g.add((node, RDFS.label, lit(phase.name, lang="en")))
        g.add((node, CN.phaseOrder, lit(phase.order, datatype=XSD.positiveInteger)))
        g.add((node, CN.duration, lit(phase.duration, datatype=XSD.duration)))
        for prop, value in ((CN.appliedOn, phase.applied_on), (CN.approvedOn, phase.approved_on)):
            if value:
                g.add((node, prop, to_literal(value)))


def add_declared(b: Builder, g: GraphSink, owner: URIRef, declared: Declared) -> None:
    counts = [
        (CN.declaredPartnerCount, declared.partners),
        (CN.declaredCountryCount, declared.countries),
        (CN.declaredNetworkCount, declared.networks),
        (CN.declaredOrganisationCount, declared.organisations),
    ]
    for prop, value in counts:
        if value is not None:
            g.add((owner, prop, lit(value, datatype=XSD.nonNegativeInteger)))
    if declared.newcomer_share is not None:
        g.add((owner, CN.newcomerShare, lit(declared.newcomer_share, datatype=XSD.decimal)))
    for code, count in declared.by_country.items():
        node = URIRef(f"{owner}/declared/{code}")
        g.add((owner, CN.declaredPartners, node))
        g.add((node, RDF.type, CN.DeclaredPartners))
        b.add_country(g, node, code)
        if count is not None:
            g.add((node, CN.partnerCount, lit(count, datatype=XSD.positiveInteger)))


def add_texts(g: GraphSink, subject: URIRef, prop: URIRef, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        g.add((subject, prop, lit(text, lang=lang)))


def add_member(b: Builder, g: GraphSink, member: Member, place: Place | None, lang: str) -> URIRef:
    """Add the member (city or organisation) as the source states it; return its IRI.

    ``place`` is the city a city member is, or the one an organisation is located in.
    """
    if member.kind == "city" and place is not None:
        node = b.ids.city(place.geonames_id)
        g.add((node, RDF.type, CN.City))
        g.add((node, SKOS.altLabel, lit(member.written or member.name, lang=lang)))
    else:
        node = b.ids.organisation(member.slug or "")
        g.add((node, RDF.type, CN.Organisation))
        g.add((node, RDFS.label, lit(member.name)))
        if member.written:
            g.add((node, SKOS.altLabel, lit(member.written, lang=lang)))
        if member.org_type:
            g.add((node, CN.organisationType, ORG_TYPE[member.org_type]))
        if place is not None:
            g.add((node, CN.locatedIn, b.ids.city(place.geonames_id)))
        elif member.town:
            g.add((node, CN.town, lit(member.town)))
    if member.country:
        b.add_country(g, node, member.country)
    add_partner_facts(g, node, member)
    return node


def add_partner_facts(g: GraphSink, node: URIRef, member: Member) -> None:
    """What a table says of a partner, city or organisation: NUTS region, legal status, website."""
    if member.nuts3:
        g.add((node, CN.nutsRegion, NUTS[member.nuts3]))
    if member.legal_status:
        g.add((node, CN.legalStatus, lit(member.legal_status)))
    if member.website:
        g.add((node, CN.website, URIRef(member.website)))


def add_record(g: GraphSink, node: URIRef, record: str | None) -> None:
    """Where in the source (sheet and row) the facts about ``node`` were read."""
    if record:
        g.add((node, CN.sourceRecord, lit(record)))


def add_membership(
    b: Builder, g: GraphSink, network: Network, member: Member, node: URIRef, origin: str, source: str
) -> None:
    b.line = member.line
    key = str(node)[len(b.ids.base) :]
    m = b.ids.membership(network.id, key)
    b.origins.setdefault(str(m), origin)
    g.add((m, RDF.type, CN.Membership))
    g.add((m, CN.member, node))
    g.add((m, CN.network, b.ids.network(network.id)))
    g.add((m, CN.role, ROLE[member.role]))
    add_period(g, m, CN.memberDuring, member.start, member.end)
    if member.budget:
        g.add((m, CN.partnerBudget, add_money(g, URIRef(f"{m}/budget"), member.budget)))
    if member.co_financing:
        add_co_financing(g, m, member.co_financing)
    add_texts(g, m, CN.projectCategory, member.category)
    add_texts(g, m, CN.status, member.status)
    add_record(g, m, member.record)
    add_evidence(b.ids, g, m, source, member.evidence, b.evidence)


def add_network(
    b: Builder,
    g: GraphSink,
    network: Network,
    places: dict[int, Place | None],
    path: str,
    source: SourceEntry,
) -> None:
    n = b.ids.network(network.id)
    b.line = network.line
    b.origins.setdefault(str(n), f"{path}:{network.line}")
    g.add((n, RDF.type, CN.Network))
    add_names(g, n, network.names)
    if network.acronym:
        g.add((n, CN.acronym, lit(network.acronym)))
    optional = [(CN.programme, network.programme, PROGRAMME), (CN.networkType, network.type, NETWORK_TYPE)]
    for prop, value, ns in optional:
        if value:
            g.add((n, prop, ns[value]))
    if network.call:
        g.add((n, CN.call, b.ids.call(network.call)))
    if network.continues:
        g.add((n, CN.continues, b.ids.network(network.continues)))
    if network.website:
        g.add((n, CN.website, URIRef(network.website)))
    for theme in network.themes:
        g.add((n, CN.theme, THEME[theme]))
    add_period(g, n, CN.activeDuring, network.start, network.end, network.duration)
    if network.budget:
        g.add((n, CN.budget, add_money(g, URIRef(f"{n}/budget"), network.budget)))
    if network.co_financing:
        add_co_financing(g, n, network.co_financing)
    if network.declared:
        add_declared(b, g, n, network.declared)
    add_texts(g, n, CN.objective, network.objective)
    add_texts(g, n, CN.expectedResult, network.expected_result)
    add_phases(g, n, network.phases)
    add_funding(g, n, network.eu_funding, network.funds)
    add_record(g, n, network.record)
    add_evidence(b.ids, g, n, source.id, network.evidence, b.evidence)
    for member in network.members:
        b.line = member.line
        node = add_member(b, g, member, places.get(id(member)), source.language)
        add_membership(b, g, network, member, node, f"{path}:{member.line}", source.id)


def add_call(b: Builder, g: GraphSink, call: Call, path: str, source: str) -> None:
    c = b.ids.call(call.id)
    b.line = call.line
    b.origins.setdefault(str(c), f"{path}:{call.line}")
    g.add((c, RDF.type, CN.Call))
    add_names(g, c, call.names)
    if call.programme:
        g.add((c, CN.programme, PROGRAMME[call.programme]))
    if call.type:
        g.add((c, CN.networkType, NETWORK_TYPE[call.type]))
    if call.approved_on:
        g.add((c, CN.approvedOn, to_literal(call.approved_on)))
    add_period(g, c, CN.activeDuring, call.start, call.end, call.duration)
    if call.budget:
        g.add((c, CN.budget, add_money(g, URIRef(f"{c}/budget"), call.budget)))
    if call.declared:
        add_declared(b, g, c, call.declared)
    add_phases(g, c, call.phases)
    add_texts(g, c, CN.announcedEvent, call.events)
    add_record(g, c, call.record)
    add_evidence(b.ids, g, c, source, call.evidence, b.evidence)


def add_funding(g: GraphSink, n: URIRef, eu_funding: Money | None, funds: dict[str, Money]) -> None:
    """The EU funding of a network, all funds together, and its part from each fund.

    Each fund's part is a cn:CoFinancing ``<network>/co-financing/<fund>`` with the fund and the
    amount, the pattern of a co-financing; the total is cn:euFunding ``<network>/eu-funding``.
    """
    if eu_funding:
        g.add((n, CN.euFunding, add_money(g, URIRef(f"{n}/eu-funding"), eu_funding)))
    for fund, money in funds.items():
        node = URIRef(f"{n}/co-financing/{fund}")
        g.add((n, CN.coFinancing, node))
        g.add((node, RDF.type, CN.CoFinancing))
        g.add((node, CN.fund, FUND[fund]))
        g.add((node, CN.amount, add_money(g, URIRef(f"{node}/amount"), money)))


def add_programme(b: Builder, g: GraphSink, programme: Programme, path: str) -> None:
    """A programme the fact file declares: a concept of the programme scheme, with strand and period."""
    p = PROGRAMME[programme.id]
    b.line = programme.line
    b.origins.setdefault(str(p), f"{path}:{programme.line}")
    g.add((p, RDF.type, CN.Programme))
    g.add((p, RDF.type, SKOS.Concept))
    g.add((p, SKOS.inScheme, URIRef(str(PROGRAMME))))
    add_names(g, p, programme.names)
    if programme.strand:
        g.add((p, CN.strand, STRAND[programme.strand]))
    if programme.period:
        start, end = programme.period.split("-")
        node = b.ids.iri(f"programme/{programme.id}/period")
        g.add((p, CN.activeDuring, node))
        g.add((node, RDF.type, CN.Period))
        g.add((node, CN.start, lit(start, datatype=XSD.gYear)))
        g.add((node, CN.end, lit(end, datatype=XSD.gYear)))
    add_record(g, p, programme.record)


def add_fact_file(b: Builder, facts: FactFile, source: SourceEntry, places: dict[int, Place | None]) -> None:
    """Add every fact of one file to its source's named graph."""
    g = b.graph(b.ids.source(facts.source))
    for programme in facts.programmes:
        add_programme(b, g, programme, facts.path)
    for call in facts.calls:
        add_call(b, g, call, facts.path, facts.source)
    for network in facts.networks:
        add_network(b, g, network, places, facts.path, source)
