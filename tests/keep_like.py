"""A synthetic member-network graph the size and shape of keep.eu's 2014-2020 export.

keep.eu's export has 1,891 projects and 8,621 memberships of about 5,000 partners (organisations
and cities, once their places are resolved); a project has 2-60 partners, median 4, and a partner
is in 1-30 projects, most in one. Here project sizes are log-normal around 4 (sigma 0.45) with
1 % of projects drawn from 20-60, partners' project counts follow Zipf's law (exponent 2.4) over
1-30, both are nudged until they sum to the memberships, and the two lists of slots are paired at
random (a partner drawn twice for one project counts once). The same seed gives the same graph.

Nodes carry what :func:`citynet.graphs.network.build_bipartite` gives them: ``kind``, ``label``,
``country`` and ``bipartite`` (0 for partners, 1 for projects), and a project's ``programme``.
"""

from __future__ import annotations

import math
import random

import networkx as nx

COUNTRIES = ["AT", "BE", "CZ", "DE", "DK", "ES", "FI", "FR", "HR", "HU", "IT", "NL", "PL", "SE", "SI"]


def nudge(values: list[int], total: int, low: int, high: int, rng: random.Random) -> list[int]:
    """Add or take 1 from random entries, kept within [low, high], until the values sum to ``total``."""
    values = list(values)
    while (gap := total - sum(values)) != 0:
        i, step = rng.randrange(len(values)), 1 if gap > 0 else -1
        if low <= values[i] + step <= high:
            values[i] += step
    return values


def draw_sizes(projects: int, memberships: int, rng: random.Random) -> list[int]:
    """Partners per project: 2-60, median 4, summing to ``memberships``."""
    sizes = [
        rng.randint(20, 60)
        if rng.random() < 0.01
        else min(60, max(2, round(rng.lognormvariate(math.log(4), 0.45))))
        for _ in range(projects)
    ]
    return nudge(sizes, memberships, 2, 60, rng)


def draw_counts(partners: int, memberships: int, rng: random.Random) -> list[int]:
    """Projects per partner: 1-30, most 1, summing to ``memberships``."""
    counts = rng.choices(range(1, 31), [k**-2.4 for k in range(1, 31)], k=partners)
    return nudge(counts, memberships, 1, 30, rng)


def generate_keep_like(
    projects: int = 1891, partners: int = 5000, memberships: int = 8621, seed: int = 1
) -> nx.Graph:
    """The member-network graph: ``partners`` + ``projects`` nodes, about ``memberships`` edges."""
    rng = random.Random(seed)
    sizes, counts = draw_sizes(projects, memberships, rng), draw_counts(partners, memberships, rng)
    slots = [p for p, count in enumerate(counts) for _ in range(count)]
    rng.shuffle(slots)
    graph = nx.Graph()
    for p in range(partners):
        kind = "city" if p % 4 == 0 else "organisation"
        graph.add_node(f"{kind}/{p}", kind=kind, label=f"Partner {p}", country=COUNTRIES[p % 15], bipartite=0)
    for j in range(projects):
        graph.add_node(
            f"network/{j}", kind="network", label=f"Project {j}", programme=f"P{j % 60}", bipartite=1
        )
    partner_names = list(graph)[:partners]
    taken = iter(slots)
    for j, size in enumerate(sizes):
        graph.add_edges_from((partner_names[next(taken)], f"network/{j}") for _ in range(size))
    return graph
