"""Memberships as the graph states them, read through SPARQL, and the filters that select them.

Everything is read with plain SPARQL 1.1 SELECTs through :func:`citynet.query.queries.run_query`, so the
same code reads the embedded store and a remote endpoint; filters are applied in Python, never
spliced into the query text. Filter values are checked against the vocabularies in the store.

>>> Filters(programmes=("URBACT III",), years="2016-2017").describe()
'programme=URBACT III, year=2016-2017'
>>> Filters(kind="city", include_located=True).describe()
'kind=city, located=yes'
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from citynet.errors import QueryError
from citynet.places.gazetteer import normalise
from citynet.query.queries import run_query, to_rows
from citynet.rdf.namespaces import CN, NETWORK_TYPE, PROGRAMME, ROLE
from citynet.rdf.sparqlfiles import read_sparql

# A server's union default graph (Oxigraph 0.5's is a bag) yields a triple once per source graph
# that states it, and joins multiply those copies: each read reduces to distinct memberships or
# members before it looks anything up (at 100k memberships over the union: member countries
# 13.7 s -> 1.6 s, members 3.2 s -> 0.7 s). The embedded store's merged default graph has one copy.
MEMBERSHIPS = read_sparql("citynet.graphs", "memberships")

SOURCE_COUNTS = read_sparql("citynet.graphs", "membership-sources")

MEMBERS = read_sparql("citynet.graphs", "members")

MEMBER_COUNTRIES = read_sparql("citynet.graphs", "member-countries")

SOURCE_GRAPHS = read_sparql("citynet.graphs", "source-graphs")

NETWORKS = read_sparql("citynet.graphs", "networks")

LABELS = read_sparql("citynet.graphs", "labels")

COUNTRIES = read_sparql("citynet.graphs", "countries")

CONCEPTS = read_sparql("citynet.graphs", "concepts")

ORGANISATIONS = read_sparql("citynet.graphs", "organisations")

KINDS = ("city", "organisation")

SCHEMES = {"programme": str(PROGRAMME), "type": str(NETWORK_TYPE), "role": str(ROLE)}


@dataclass(frozen=True)
class Filters:
    """What to keep; the filters combine with AND, the values of one filter with OR.

    ``programmes``, ``types``, ``roles``: labels (any case), IRIs or local names of the
    vocabulary's concepts; ``countries``: ISO codes, names or IRIs; ``years``: ``"2014"`` or
    ``"2013-2015"`` (networks active in that year or range); ``min_weight``: the least weight of a
    projected edge (the bipartite graph, not a projection, ignores it); ``kind``: only members of
    this kind, ``"city"`` or ``"organisation"`` (None: every member; the city-city projection projects
    onto ``kind``, cities when None); ``include_located``: an organisation located in a city takes
    part as that city (its membership counts as the city's, the edge naming it in ``via``), one whose
    place is unresolved stays an organisation.

    >>> Filters().describe()
    'no filters'
    """

    programmes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    years: str | None = None
    min_weight: int = 1
    kind: str | None = None
    include_located: bool = False

    def list_settings(self) -> list[tuple[str, str]]:
        """The filters as (option name, value) pairs, in the command line's order.

        >>> Filters(countries=("PL",), include_located=True, min_weight=2).list_settings()
        [('country', 'PL'), ('located', 'yes'), ('min-weight', '2')]
        """
        pairs = [
            (name, value)
            for name, values in (
                ("programme", self.programmes),
                ("type", self.types),
                ("country", self.countries),
                ("role", self.roles),
                ("year", (self.years,) if self.years else ()),
                ("kind", (self.kind,) if self.kind else ()),
                ("located", ("yes",) if self.include_located else ()),
            )
            for value in values
        ]
        if self.min_weight > 1:
            pairs.append(("min-weight", str(self.min_weight)))
        return pairs

    def describe(self) -> str:
        """The filters as ``name=value`` pairs, for messages."""
        return ", ".join(f"{name}={value}" for name, value in self.list_settings()) or "no filters"


@dataclass(frozen=True)
class Membership:
    """One membership: member x network x role, its own period and how many sources state it."""

    iri: str
    network: str
    member: str
    role: str | None
    start: str | None
    end: str | None
    sources: int
    via: str | None = None  # the organisation located in the member city, with include_located


@dataclass
class Facts:
    """What the graphs are built from: memberships, members, networks and labels by IRI."""

    memberships: list[Membership]
    members: dict[str, dict[str, Any]]
    networks: dict[str, dict[str, Any]]
    labels: dict[str, str]
    countries: dict[str, dict[str, Any]] = field(default_factory=dict)
    concepts: dict[str, dict[str, Any]] = field(default_factory=dict)


def select(reader: Any, text: str) -> list[dict[str, Any]]:
    """Rows of a SELECT query as dicts of Python values."""
    return to_rows(run_query(reader, text))[1]


def pick_label(labels: list[tuple[str, str]]) -> str:
    """One label: the first English one alphabetically, else the first alphabetically.

    >>> pick_label([("Krakov", "sl"), ("Kraków", ""), ("Cracow", "en")])
    'Cracow'
    >>> pick_label([("Pariz", "sl"), ("Paris", "")])
    'Paris'
    """
    english = sorted(text for text, lang in labels if lang.lower().startswith("en"))
    return english[0] if english else min(text for text, _ in labels)


def read_labels(reader: Any) -> dict[str, str]:
    """One label per city, organisation, network, country and concept, by IRI."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in select(reader, LABELS):
        found[row["e"]].append((row["label"], row["lang"] or ""))
    return {iri: pick_label(labels) for iri, labels in found.items()}


def read_memberships(reader: Any) -> list[Membership]:
    """Every membership, with the number of source graphs stating it."""
    sources = {row["membership"]: row["sources"] for row in select(reader, SOURCE_COUNTS)}
    found: dict[str, Membership] = {}
    for row in sorted(select(reader, MEMBERSHIPS), key=lambda r: tuple(str(v) for v in r.values())):
        iri = row["membership"]
        found.setdefault(
            iri,
            Membership(
                iri, row["network"], row["member"], row["role"], row["start"], row["end"], sources.get(iri, 0)
            ),
        )
    return sorted(found.values(), key=lambda m: m.iri)


def read_member_countries(reader: Any) -> dict[str, str]:
    """Each member's country code: the gazetteer's where it has one, else the sources'."""
    source_graphs = {row["g"] for row in select(reader, SOURCE_GRAPHS)}
    choices: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for row in select(reader, MEMBER_COUNTRIES):
        choices[row["member"]].append((row["g"] in source_graphs, row["code"]))
    return {member: min(codes)[1] for member, codes in choices.items()}


def read_members(reader: Any, labels: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Node attributes of the members (cities and organisations), by IRI."""
    countries = read_member_countries(reader)
    members: dict[str, dict[str, Any]] = {}
    for row in sorted(select(reader, MEMBERS), key=lambda r: (r["member"], r["class"])):
        kind = "city" if row["class"] == str(CN.City) else "organisation"
        attrs = members.setdefault(row["member"], {"iri": row["member"], "kind": kind})
        attrs.update(label=labels.get(row["member"], row["member"]), country=countries.get(row["member"]))
        if row["lat"] is not None and "lat" not in attrs:
            attrs.update(lat=float(row["lat"]), lon=float(row["lon"]))
    add_organisation_facts(reader, members, labels)
    return members


def add_organisation_facts(reader: Any, members: dict[str, dict[str, Any]], labels: dict[str, str]) -> None:
    """Give the organisations among ``members`` their ``organisation_type`` (label), ``located_in``
    (a city's IRI; the least if sources disagree), ``located_in_label`` and ``town`` (as written)."""
    for row in sorted(select(reader, ORGANISATIONS), key=lambda r: tuple(str(v) for v in r.values())):
        attrs = members.get(row["organisation"])
        if attrs is None or attrs["kind"] != "organisation":
            continue
        if row["type"] is not None:
            attrs.setdefault("organisation_type", labels.get(row["type"], row["type"]))
        if row["city"] is not None and row["city"] in members:
            attrs.setdefault("located_in", row["city"])
            attrs.setdefault("located_in_label", labels.get(row["city"], row["city"]))
        if row["town"] is not None:
            attrs.setdefault("town", row["town"])


def read_networks(reader: Any, labels: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Node attributes of the networks by IRI; ``programme_iri``/``type_iri`` are for filtering."""
    values: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in select(reader, NETWORKS):
        for key, value in row.items():
            if key != "network" and value is not None:
                values[row["network"]][key].add(value)
    networks = {}
    for iri, found in values.items():
        first = {key: min(vals) for key, vals in found.items()}
        networks[iri] = {
            "iri": iri,
            "label": first.get("acronym") or labels.get(iri, iri),
            "kind": "network",
            "programme": labels.get(first.get("programme", "")),
            "type": labels.get(first.get("type", "")),
            "start": first.get("start"),
            "end": first.get("end"),
            "programme_iri": first.get("programme"),
            "type_iri": first.get("type"),
        }
    return networks


def read_vocabulary(reader: Any, labels: dict[str, str]) -> tuple[dict, dict]:
    """The countries (by IRI: code, names) and concepts (by IRI: scheme, names) in the store."""
    countries: dict[str, dict[str, Any]] = {}
    for row in select(reader, COUNTRIES):
        entry = countries.setdefault(row["country"], {"code": row["code"], "names": set()})
        entry["names"].update({row["code"], *([row["label"]] if row["label"] else [])})
    concepts: dict[str, dict[str, Any]] = {}
    for row in select(reader, CONCEPTS):
        entry = concepts.setdefault(row["concept"], {"scheme": row["scheme"], "names": set()})
        entry["names"].add(row["label"])
    for iri, entry in (*countries.items(), *concepts.items()):
        entry["label"] = labels.get(iri, iri)
    return countries, concepts


def read_facts(reader: Any) -> Facts:
    """Read everything the network graphs need from a store or endpoint."""
    labels = read_labels(reader)
    countries, concepts = read_vocabulary(reader, labels)
    return Facts(
        read_memberships(reader),
        read_members(reader, labels),
        read_networks(reader, labels),
        labels,
        countries,
        concepts,
    )


def list_choices(kind: str, facts: Facts) -> dict[str, set[str]]:
    """The known values of a filter: IRI -> the names it answers to (labels, code, IRI, local name)."""
    if kind == "country":
        entries = facts.countries
    else:
        entries = {iri: e for iri, e in facts.concepts.items() if e["scheme"] == SCHEMES[kind]}
    return {
        iri: {*entry["names"], entry["label"], iri, iri.rstrip("/").rsplit("/", 1)[-1]}
        for iri, entry in entries.items()
    }


def resolve_values(kind: str, values: tuple[str, ...], facts: Facts) -> set[str]:
    """The IRIs that filter values name; an unknown value is an error naming the known ones."""
    if not values:
        return set()
    choices = list_choices(kind, facts)
    found = set()
    for value in values:
        matches = {iri for iri, names in choices.items() if normalise(value) in {normalise(n) for n in names}}
        if not matches:
            known = sorted(
                facts.countries[i]["code"] if kind == "country" else facts.concepts[i]["label"]
                for i in choices
            )
            raise QueryError(f'unknown {kind} "{value}" - known: {", ".join(known)}')
        found |= matches
    return found


def parse_years(text: str) -> tuple[int, int]:
    """A year or a range of years.

    >>> parse_years("2014"), parse_years("2013-2015")
    ((2014, 2014), (2013, 2015))
    """
    first, _, last = text.strip().partition("-")
    last = last or first
    if not (len(first) == len(last) == 4 and first.isdigit() and last.isdigit()) or first > last:
        raise QueryError(f'year "{text}" is not a year (YYYY) or a range of years (YYYY-YYYY)')
    return int(first), int(last)


def to_year(value: str | None) -> int | None:
    """The year of a date at any precision (``2013``, ``2013-06``, ``2015-05-31``)."""
    return int(value[:4]) if value and value[:4].isdigit() else None


def list_periods(facts: Facts) -> dict[str, list[tuple[str, str]]]:
    """Each network's recorded periods: its own, or failing that (no start) its members' periods.

    As in ``queries/active-in.rq``, only periods with both a start and an end count.
    """
    periods: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for iri, network in facts.networks.items():
        if network["start"] and network["end"]:
            periods[iri].append((network["start"], network["end"]))
    for m in facts.memberships:
        if not facts.networks.get(m.network, {}).get("start") and m.start and m.end:
            periods[m.network].append((m.start, m.end))
    return periods


def is_active(periods: list[tuple[str, str]], years: tuple[int, int]) -> bool:
    """Whether any period overlaps the years.

    >>> is_active([("2013-06", "2015-05-31")], (2015, 2016)), is_active([], (2015, 2015))
    (True, False)
    """
    return any((to_year(s) or 0) <= years[1] and years[0] <= (to_year(e) or 0) for s, e in periods)


def check_kind(filters: Filters) -> None:
    """A known ``kind``, and ``include_located`` only where cities are wanted.

    >>> check_kind(Filters(kind="organisation", include_located=True))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    citynet.errors.QueryError: located (organisations counted as ...) does not go with kind=organisation - ...
    """
    if filters.kind is not None and filters.kind not in KINDS:
        raise QueryError(f'unknown kind "{filters.kind}" - known: {", ".join(KINDS)}')
    if filters.include_located and filters.kind == "organisation":
        raise QueryError(
            "located (organisations counted as their cities) does not go with kind=organisation - drop one"
        )


def count_as_cities(facts: Facts, memberships: list[Membership]) -> list[Membership]:
    """The memberships with each of an organisation located in a city made the city's (``via`` the
    organisation); memberships of organisations whose place is unresolved stay as they are."""
    counted = []
    for m in memberships:
        city = facts.members.get(m.member, {}).get("located_in")
        counted.append(replace(m, member=city, via=m.member) if city else m)
    return counted


def select_memberships(facts: Facts, filters: Filters) -> list[Membership]:
    """The memberships the filters keep; none kept is an error."""
    check_kind(filters)
    programmes = resolve_values("programme", filters.programmes, facts)
    types = resolve_values("type", filters.types, facts)
    roles = resolve_values("role", filters.roles, facts)
    codes = {facts.countries[i]["code"] for i in resolve_values("country", filters.countries, facts)}
    years = parse_years(filters.years) if filters.years else None
    periods = list_periods(facts) if years else {}  # a pass over every membership: only for years

    def keep(m: Membership) -> bool:
        network = facts.networks.get(m.network, {})
        return (
            (not programmes or network.get("programme_iri") in programmes)
            and (not types or network.get("type_iri") in types)
            and (not roles or m.role in roles)
            and (not codes or facts.members.get(m.member, {}).get("country") in codes)
            and (years is None or is_active(periods.get(m.network, []), years))
        )

    narrowed = programmes or types or roles or codes or years
    kept = [m for m in facts.memberships if keep(m)] if narrowed else list(facts.memberships)
    if filters.include_located:
        kept = count_as_cities(facts, kept)
    if filters.kind:
        kept = [m for m in kept if facts.members.get(m.member, {}).get("kind") == filters.kind]
    if not kept:
        raise QueryError(f"no memberships match the filters ({filters.describe()}) - loosen them")
    return kept
