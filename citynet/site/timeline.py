"""The years each node and edge of the site is active in, for the pages' period filter.

The meaning is ``--year``'s (:func:`citynet.graphs.memberships.select_memberships`): a network is
active in a year when one of its recorded periods (:func:`~citynet.graphs.memberships.list_periods`)
overlaps it; a membership, and so a member-network edge, counts in the years its network is active;
a member is in the graph of a year when one of its networks is active then; two members share an
edge when they share a network active then (at least ``min_weight`` of them). Each item carries its
years as ``spans``, merged ``[first, last]`` year ranges: an item is shown for a period when one of
its spans overlaps it, exactly as ``--year FIRST-LAST`` keeps it. A network without a recorded
period is ``undated`` (``--year`` never keeps it); a member or co-partnership is ``undated`` when one
of its networks is. The page shows undated items unless the viewer hides them.

>>> merge_spans([(2016, 2017), (2013, 2015), (2014, 2014)])
[[2013, 2017]]
>>> overlaps([[2013, 2015]], (2015, 2016)), overlaps([[2013, 2015]], (2016, 2016))
(True, False)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

import networkx as nx

from citynet.graphs.memberships import Facts, list_periods, to_year
from citynet.site.chart import count_networks, draw_charts

Spans = list[list[int]]


def merge_spans(spans: Iterable[tuple[int, int] | list[int]]) -> Spans:
    """Year ranges merged where they overlap or touch (years are whole: 2013-2015 and 2016 join).

    >>> merge_spans([(2013, 2014), (2016, 2016), (2015, 2015)]), merge_spans([(2019, 2018)])
    ([[2013, 2016]], [])
    """
    merged: Spans = []
    for first, last in sorted((int(a), int(b)) for a, b in spans if a <= b):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return merged


def to_spans(periods: list[tuple[str, str]]) -> Spans:
    """A network's periods (dates at any precision) as merged year ranges, read as ``--year`` reads
    them (:func:`citynet.graphs.memberships.is_active`: a date without a year counts as year 0).

    >>> to_spans([("2013-06", "2015-05-31"), ("2016-09-10", "2017-03-31")])
    [[2013, 2017]]
    """
    return merge_spans((to_year(start) or 0, to_year(end) or 0) for start, end in periods)


def overlaps(spans: Spans, years: tuple[int, int]) -> bool:
    """Whether a span overlaps the years ``(first, last)``: the page script's test, in Python.

    >>> overlaps([[2002, 2006], [2013, 2015]], (2008, 2012))
    False
    """
    return any(first <= years[1] and years[0] <= last for first, last in spans)


def count_years(spans_list: list[Spans], least: int) -> Spans:
    """The years in which at least ``least`` of the items (each with its spans) are active.

    >>> count_years([[[2013, 2015]], [[2015, 2017]]], 2)
    [[2015, 2015]]
    """
    counts: dict[int, int] = defaultdict(int)
    for spans in spans_list:
        for first, last in spans:
            for year in range(first or last, last + 1):  # year 0: see chart.count_networks
                counts[year] += 1
    return merge_spans((year, year) for year, count in counts.items() if count >= least)


def stamp_periods(bipartite: nx.Graph, cities: nx.Graph, facts: Facts, min_weight: int = 1) -> None:
    """Put ``spans`` and ``undated`` on the nodes and edges of the member-network graph and of its
    projection ``cities`` (which holds ``min_weight``); the map's country flows' spans go into
    ``cities.graph["flow_spans"]``, keyed ``"AT PL"``."""
    periods = list_periods(facts)
    networks = {n for n, kind in bipartite.nodes(data="kind") if kind == "network"}
    for network in networks:
        spans = to_spans(periods.get(network, []))
        bipartite.nodes[network].update(spans=spans, undated=not spans)
    for node in set(bipartite) - networks:
        linked = [bipartite.nodes[n] for n in bipartite[node] if n in networks]
        bipartite.nodes[node].update(
            spans=merge_spans(s for a in linked for s in a["spans"]),
            undated=any(a["undated"] for a in linked),
        )
    for u, v, attrs in bipartite.edges(data=True):
        network = bipartite.nodes[u] if u in networks else bipartite.nodes[v]
        attrs.update(spans=network["spans"], undated=network["undated"])
    for node, attrs in cities.nodes(data=True):
        if node in bipartite:
            attrs.update(spans=bipartite.nodes[node]["spans"], undated=bipartite.nodes[node]["undated"])
    for u, v, attrs in cities.edges(data=True):
        shared = [bipartite.nodes[n] for n in set(bipartite[u]) & set(bipartite[v]) if n in networks]
        attrs.update(
            spans=count_years([a["spans"] for a in shared], min_weight)
            if min_weight > 1
            else merge_spans(s for a in shared for s in a["spans"]),
            undated=any(a["undated"] for a in shared),
        )
    cities.graph["flow_spans"] = span_flows(bipartite, networks)


def span_flows(bipartite: nx.Graph, networks: set[str]) -> dict[str, dict[str, Any]]:
    """The spans (``years``) of each pair of countries whose members share a network (the map's
    flows), ``undated`` when one of those networks is, and how many of those networks have each
    list of spans (``networks``, keyed ``"2013-2015"``, ``"2008-2010 2013-2014"``, ``""`` undated),
    from which the page counts the networks of a period.

    >>> g = nx.Graph([("a", "n"), ("b", "n"), ("a", "m"), ("b", "m")])
    >>> g.nodes["n"]["spans"] = [[2013, 2015]]
    >>> g.nodes["a"]["country"], g.nodes["b"]["country"] = "PL", "AT"
    >>> span_flows(g, {"n", "m"})
    {'AT PL': {'years': [[2013, 2015]], 'undated': True, 'networks': {'': 1, '2013-2015': 1}}}
    """
    countries: dict[str, set[str]] = defaultdict(set)
    for network in networks:
        for member in bipartite[network]:
            code = bipartite.nodes[member].get("country")
            if code:
                countries[network].add(code)
    pairs: dict[str, Counter[str]] = defaultdict(Counter)
    for network, codes in countries.items():
        key = " ".join(f"{first}-{last}" for first, last in bipartite.nodes[network].get("spans", []))
        for first, second in combinations(sorted(codes), 2):
            pairs[f"{first} {second}"][key] += 1
    return {
        pair: {
            "years": merge_spans(read_key(span) for key in counts for span in key.split()),
            "undated": "" in counts,
            "networks": dict(sorted(counts.items())),
        }
        for pair, counts in sorted(pairs.items())
    }


def read_key(span: str) -> tuple[int, int]:
    """A span written ``first-last`` as its two years.

    >>> read_key("2013-2015")
    (2013, 2015)
    """
    first, last = span.split("-")
    return int(first), int(last)


def add_periods(data: dict[str, Any], graph: nx.Graph) -> None:
    """Put the stamped ``spans`` (``years``) and ``undated`` of a page's nodes and edges into its
    data, with ``period``: the first and last year they cover (None without dates); a map page
    gets its flows' spans (``flows``).

    >>> g = nx.Graph([("a", "n")]); g.nodes["n"].update(spans=[[2013, 2015]], undated=False)
    >>> data = {"nodes": [{"id": "a"}, {"id": "n"}], "edges": [{"from": "a", "to": "n"}]}
    >>> add_periods(data, g); data["period"], data["nodes"][1]["years"], data["edges"][0]
    ([2013, 2015], [[2013, 2015]], {'from': 'a', 'to': 'n'})
    """
    years: list[int] = []
    items = [(n, graph.nodes[n["id"]]) for n in data["nodes"]]
    items += [(e, graph.edges[e["from"], e["to"]]) for e in data["edges"]]
    for item, attrs in items:
        if attrs.get("spans"):
            item["years"] = attrs["spans"]
            years += [year for span in attrs["spans"] for year in span if year > 0]
        if attrs.get("undated"):
            item["undated"] = True
    data["period"] = [min(years), max(years)] if years else None
    if data.get("geo"):
        data["flows"] = graph.graph.get("flow_spans", {})


def draw_timeline(bipartite: nx.Graph) -> dict[str, Any]:
    """What the index's ``timeline.html`` shows: the chart of networks per year per programme
    (:mod:`citynet.site.chart`) and its numbers for the table; call after :func:`stamp_periods`.

    >>> g = nx.Graph(); g.add_node("n", kind="network", programme="URBACT II", spans=[[2008, 2010]])
    >>> draw_timeline(g)["counts"].rows
    {'URBACT II': [1, 1, 1]}
    """
    counts = count_networks(bipartite)
    return {"charts": draw_charts(counts), "counts": counts}
