"""Partnership networks as networkx graphs: member-network, city-city, network-network, country-country.

Each ``build_*`` function takes a reader (``api.open_reader(...)``: the embedded store or a SPARQL
endpoint) and :class:`~citynet.graphs.memberships.Filters`, and returns a new undirected graph whose node
ids are IRIs. Node attributes: ``iri``, ``label``, ``kind`` (city, organisation, network, country),
``degree``, and where known ``country`` (ISO code; a city's is the gazetteer's), ``lat``, ``lon``,
``programme``, ``type``, ``start``, ``end`` (a network's own period, failing that the span of its
members' periods). A value the graph does not state is left out, not set to None.

The projections (``project``) give each edge a ``weight``, the number of shared networks (or,
network-network, shared members), and name them on the edge as ``networks`` (or ``members``); the
weights equal networkx's ``bipartite.weighted_projected_graph`` (``tests/test_network.py``).

>>> bipartite = nx.Graph()
>>> bipartite.add_nodes_from(["a", "b", "c"], bipartite=0, kind="city")
>>> bipartite.add_nodes_from(["n1", "n2"], bipartite=1, kind="network")
>>> bipartite.add_edges_from([("a", "n1"), ("b", "n1"), ("a", "n2"), ("b", "n2"), ("c", "n2")])
>>> sorted(project(bipartite, "city", "networks").edges(data="weight"))
[('a', 'b', 2), ('a', 'c', 1), ('b', 'c', 1)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from itertools import compress
from operator import attrgetter
from typing import Any

import networkx as nx

from citynet.errors import QueryError
from citynet.graphs.memberships import (
    Facts,
    Filters,
    Membership,
    list_periods,
    read_facts,
    select_memberships,
)
from citynet.graphs.pairs import link_pairs, rank_groups, unzip
from citynet.sources.yamlfile import paused_gc  # building a graph makes many objects and no cycles too


def drop_none(attrs: dict[str, Any]) -> dict[str, Any]:
    """The attributes that have a value.

    >>> drop_none({"lat": None, "label": "Celje"})
    {'label': 'Celje'}
    """
    return {key: value for key, value in attrs.items() if value is not None}


def describe_network(facts: Facts, iri: str, periods: list[tuple[str, str]]) -> dict[str, Any]:
    """A network's node attributes; its period falls back on the span of its members' ``periods``."""
    found = facts.networks.get(iri, {"iri": iri, "label": facts.labels.get(iri, iri), "kind": "network"})
    attrs = {k: v for k, v in found.items() if not k.endswith("_iri")}
    if not attrs.get("start"):
        attrs["start"] = min((s for s, _ in periods), default=None)
        attrs["end"] = max((e for _, e in periods), default=None)
    return drop_none(attrs)


def set_degrees(graph: nx.Graph) -> nx.Graph:
    """Store each node's degree as its ``degree`` attribute; returns the graph."""
    nx.set_node_attributes(graph, dict(graph.degree()), "degree")
    return graph


def to_bipartite(facts: Facts, memberships: list[Membership]) -> nx.Graph:
    """The member-network graph of the memberships: members ``bipartite=0``, networks ``bipartite=1``."""
    periods = list_periods(facts)
    nodes: dict[str, dict[str, Any]] = {}  # in the order the memberships first name them
    for m in memberships:
        if m.member not in nodes:
            member = facts.members.get(m.member) or {
                "iri": m.member,
                "label": facts.labels.get(m.member, m.member),
            }
            nodes[m.member] = {**drop_none(member), "bipartite": 0}
        if m.network not in nodes:
            network = describe_network(facts, m.network, periods.get(m.network, []))
            nodes[m.network] = {**network, "bipartite": 1}
    graph = nx.Graph()
    graph.add_nodes_from(nodes.items())
    graph.add_edges_from(list_member_edges(facts, memberships))
    return set_degrees(graph)


def list_member_edges(facts: Facts, memberships: list[Membership]) -> list[tuple[str, str, dict[str, Any]]]:
    """One edge per member and network: the attributes of the member's own membership (else of the
    first through an organisation, without its role), and ``via``, the organisations located in the
    member city through which it takes part (``Filters.include_located``)."""
    roles = {m.role: facts.labels.get(m.role) for m in memberships if m.role}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    via: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in sorted(memberships, key=lambda m: m.via is not None):  # the member's own first (stable)
        key = (m.member, m.network)
        if m.via is not None:
            via[key].add(facts.labels.get(m.via, m.via))
        if key not in edges:
            role = roles.get(m.role) if m.via is None else None
            edges[key] = drop_none({"role": role, "start": m.start, "end": m.end, "sources": m.sources})
    for key, names in via.items():
        edges[key]["via"] = sorted(names)
    return [(member, network, attrs) for (member, network), attrs in edges.items()]


def sort_labels(graph: nx.Graph, nodes: set[str]) -> list[str]:
    """The nodes' labels, sorted."""
    return sorted(str(graph.nodes[n].get("label", n)) for n in nodes)


def to_projection(
    nodes: dict[str, dict[str, Any]],
    groups: list[tuple[str, str, str | None]],
    named: list[str],
    members: list[str],
    shared: str,
    min_weight: int,
) -> nx.Graph:
    """The projected graph: ``nodes`` (id -> attributes, in order; the graph keeps these dicts)
    linked by the ``groups`` (id, label, programme) they share, as the pairs of group ``named[k]``
    and node ``members[k]`` give them.

    The edges go straight into the graph's adjacency (:func:`citynet.graphs.pairs.link_pairs`),
    each edge's attribute dict made once: ``add_edges_from`` would copy each into a dict of its
    own, which at 100k memberships (317,878 city pairs) took about as long as making them.
    """
    groups = sorted(groups, key=lambda group: group[1])  # so each edge's labels come out sorted
    ranked = rank_groups(named, members, [group for group, _, _ in groups])
    labels = [label for _, label, _ in groups]
    programmes = [programme for _, _, programme in groups]
    adjacency: dict[str, dict[str, dict[str, Any]]] = {n: {} for n in nodes}
    link_pairs(ranked, labels, programmes, shared, min_weight, adjacency)
    for n, attrs in nodes.items():
        attrs["degree"] = len(adjacency[n])
    return fill_graph(nodes, adjacency)


def fill_graph(nodes: dict[str, dict[str, Any]], adjacency: dict[str, dict[str, dict[str, Any]]]) -> nx.Graph:
    """A new graph holding ``nodes`` (id -> attributes) and their ``adjacency`` (id -> neighbour ->
    the edge's attributes, one dict for both ends; the same ids in the same order) as they are, in
    networkx's own layout (``Graph._node``, ``Graph._adj``), instead of copying them in through
    ``add_nodes_from`` and ``add_edges_from``.

    >>> edge = {"weight": 2}
    >>> graph = fill_graph({"a": {"label": "A"}, "b": {}}, {"a": {"b": edge}, "b": {"a": edge}})
    >>> list(graph.edges(data="weight")), graph.nodes["a"]["label"], graph.degree("b")
    ([('a', 'b', 2)], 'A', 1)
    """
    graph = nx.Graph()
    graph._node.update(nodes)
    graph._adj.update(adjacency)
    return graph


def project(bipartite: nx.Graph, kind: str, shared: str, min_weight: int = 1) -> nx.Graph:
    """Project a two-mode graph onto its nodes of ``kind``; edges name what is ``shared``.

    Edges below ``min_weight`` are dropped; the nodes stay.
    """
    nodes = {
        n: {k: v for k, v in attrs.items() if k != "bipartite"}
        for n, attrs in bipartite.nodes(data=True)
        if attrs.get("kind") == kind
    }
    side = {bipartite.nodes[n]["bipartite"] for n in nodes}
    others = [(n, attrs) for n, attrs in bipartite.nodes(data=True) if attrs.get("bipartite") not in side]
    groups = [
        (n, n if attrs.get("label") is None else str(attrs["label"]), attrs.get("programme"))
        for n, attrs in others
    ]
    pairs = ((other, n) for other, _ in others for n in bipartite[other] if n in nodes)
    return to_projection(nodes, groups, *unzip(pairs), shared, min_weight)


def project_memberships(facts: Facts, memberships: list[Membership], kind: str, min_weight: int) -> nx.Graph:
    """``project(to_bipartite(facts, memberships), kind, "networks", min_weight)``, the same graph,
    without the member-network graph in between: at 100k memberships that graph, its nodes' and
    edges' attributes (which the projection drops) included, was a fifth of the city-city graph's
    build (1.28 s of 5.81 s).
    """
    everyone = list(map(attrgetter("member"), memberships))
    nodes: dict[str, dict[str, Any]] = {}  # in the order the memberships first name them
    distinct = dict.fromkeys(everyone)
    for member in distinct:
        attrs = facts.members.get(member)
        if attrs is not None and attrs.get("kind") == kind:
            nodes[member] = drop_none(attrs)
    named = list(map(attrgetter("network"), memberships))
    if len(nodes) < len(distinct):  # some members are of another kind
        wanted = list(map(nodes.__contains__, everyone))
        everyone, named = list(compress(everyone, wanted)), list(compress(named, wanted))
    groups = []
    for iri in dict.fromkeys(named):  # as describe_network names them
        network = facts.networks.get(iri)
        label = facts.labels.get(iri, iri) if network is None else network.get("label")
        groups.append((iri, iri if label is None else str(label), (network or {}).get("programme")))
    return to_projection(nodes, groups, named, everyone, "networks", min_weight)


def sort_edges(graph: nx.Graph) -> nx.Graph:
    """A copy with the edges added in sorted order, so that sums over neighbours (and exports)
    come out the same in every run, whatever the order of the sets they were built from.

    >>> list(sort_edges(nx.Graph([("b", "c"), ("a", "b")]))["b"])
    ['a', 'c']
    """
    ordered = graph.__class__()
    ordered.graph.update(graph.graph)
    ordered.add_nodes_from(graph.nodes(data=True))
    ordered.add_edges_from(
        sorted(
            ((*sorted((u, v), key=str), d) for u, v, d in graph.edges(data=True)),
            key=lambda e: (str(e[0]), str(e[1])),
        )
    )
    return ordered


def to_country_bipartite(facts: Facts, bipartite: nx.Graph) -> nx.Graph:
    """The country-network graph: a country joins a network when one of its members does."""
    by_code = {entry["code"]: iri for iri, entry in facts.countries.items()}
    graph = nx.Graph()
    for member, network in bipartite.edges():
        if bipartite.nodes[member]["bipartite"] == 1:
            member, network = network, member
        code = bipartite.nodes[member].get("country")
        if code in by_code:
            country = by_code[code]
            graph.add_node(
                country,
                iri=country,
                label=facts.countries[country]["label"],
                kind="country",
                country=code,
                bipartite=0,
            )
            graph.add_node(network, **bipartite.nodes[network])
            graph.add_edge(country, network)
    return graph


def require_edges(graph: nx.Graph, what: str, filters: Filters) -> nx.Graph:
    """The graph, if it has edges; else an error naming the filters. (``nx.is_empty``, not
    ``number_of_edges``: that caches a degree view on the graph, a cycle that keeps a dropped
    graph in memory until the cycle collector's next full pass.)"""
    if nx.is_empty(graph):
        raise QueryError(f"no {what} match the filters ({filters.describe()}) - loosen them")
    return graph


def name_graph(graph: nx.Graph, name: str, filters: Filters) -> nx.Graph:
    """Record the graph's kind and filters as graph attributes; returns the graph."""
    graph.graph.update(name=name, filters=filters.describe())
    return graph


@paused_gc()  # a context manager made with contextmanager is a decorator too
def assemble_bipartite(facts: Facts, filters: Filters) -> nx.Graph:
    return name_graph(to_bipartite(facts, select_memberships(facts, filters)), "bipartite", filters)


# Not paused: its edges hold no tracked object (see citynet.graphs.pairs.make_edges), and with the
# collector on, the tuples they share are untracked as they are made (paused: 0.37 s against 0.35 s
# at 100k memberships, CPU).
def assemble_city_graph(facts: Facts, filters: Filters) -> nx.Graph:
    kind = filters.kind or "city"
    graph = project_memberships(facts, select_memberships(facts, filters), kind, filters.min_weight)
    what = f"co-partnerships ({'cities' if kind == 'city' else 'organisations'} sharing a network)"
    return name_graph(require_edges(graph, what, filters), f"{kind}-{kind}", filters)


@paused_gc()
def assemble_network_graph(facts: Facts, filters: Filters) -> nx.Graph:
    graph = project(
        to_bipartite(facts, select_memberships(facts, filters)), "network", "members", filters.min_weight
    )
    return name_graph(require_edges(graph, "networks sharing a member", filters), "network-network", filters)


@paused_gc()
def assemble_country_graph(facts: Facts, filters: Filters) -> nx.Graph:
    countries = to_country_bipartite(facts, to_bipartite(facts, select_memberships(facts, filters)))
    graph = project(countries, "country", "networks", filters.min_weight)
    return name_graph(
        require_edges(graph, "countries sharing a network", filters), "country-country", filters
    )


ASSEMBLERS: dict[str, Callable[[Facts, Filters], nx.Graph]] = {
    "bipartite": assemble_bipartite,
    "city-city": assemble_city_graph,
    "network-network": assemble_network_graph,
    "country-country": assemble_country_graph,
}


def build_bipartite(reader: Any, filters: Filters | None = None) -> nx.Graph:
    """The member-network graph: cities and organisations ``bipartite=0``, networks ``bipartite=1``.

    Edges carry ``role``, ``start``/``end`` (the membership's own period) and ``sources`` (how many
    source graphs state the membership).

    >>> graph = build_bipartite(reader)     # reader = api.open_reader(...), here the seed graph
    >>> graph.number_of_nodes(), graph.number_of_edges()
    (54, 43)
    """
    return assemble_bipartite(read_facts(reader), filters or Filters())


def build_city_graph(reader: Any, filters: Filters | None = None) -> nx.Graph:
    """Cities linked by the networks they share: ``weight``, ``networks``, ``programmes`` per edge.

    >>> graph = build_city_graph(reader, Filters(programmes=("URBACT III",)))
    >>> graph.degree("https://w3id.org/citynet/id/city/3094802", weight="weight")   # Kraków
    8
    """
    return assemble_city_graph(read_facts(reader), filters or Filters())


def build_network_graph(reader: Any, filters: Filters | None = None) -> nx.Graph:
    """Networks linked by their shared members (cities and organisations): ``weight``, ``members``."""
    return assemble_network_graph(read_facts(reader), filters or Filters())


def build_country_graph(reader: Any, filters: Filters | None = None) -> nx.Graph:
    """Countries linked by the networks their members share: ``weight``, ``networks``, ``programmes``."""
    return assemble_country_graph(read_facts(reader), filters or Filters())


GRAPHS: dict[str, Callable[[Any, Filters | None], nx.Graph]] = {
    "bipartite": build_bipartite,
    "city-city": build_city_graph,
    "network-network": build_network_graph,
    "country-country": build_country_graph,
}


def build_graph(reader: Any, name: str, filters: Filters | None = None) -> nx.Graph:
    """The graph called ``name`` (one of :data:`GRAPHS`).

    >>> build_graph(reader, "city-town")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    citynet.errors.QueryError: unknown graph "city-town" - known: bipartite, city-city, ...
    """
    if name not in GRAPHS:
        raise QueryError(f'unknown graph "{name}" - known: {", ".join(GRAPHS)}')
    return GRAPHS[name](reader, filters)
