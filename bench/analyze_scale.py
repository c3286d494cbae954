"""How long ``citynet analyze``'s metrics take at keep.eu's size, metric by metric.

The graph is synthetic, shaped like keep.eu's 2014-2020 export (``tests/keep_like.py``: 1,891
projects, 5,000 partners, 8,621 memberships); the graph reading from the store is not included.
Four cases: the member-network (bipartite) graph, betweenness exact (the default up to 10,000
nodes); the partner-partner projection (every partner, not only cities: the densest projection);
the bipartite graph with betweenness sampled (k=500); and a graph SCALE times keep.eu's, above
the threshold, sampled by default. Then the ratio of networkx's betweenness to citynet's on the
same 500-node sample (the same work), and with ``--networkx-exact`` networkx's exact betweenness
on the bipartite graph, what ``analyze`` ran before (172 s reported, minutes).

    .venv/bin/python bench/analyze_scale.py [--scale 5] [--networkx-exact]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from citynet.graphs.betweenness import Sampling, compute_betweenness
from citynet.graphs.metrics import compute_eigenvector, compute_metrics, count_partner_values, number_groups
from tests.keep_like import generate_keep_like


def timed(call: Callable[[], Any]) -> float:
    """Seconds ``call`` took (wall clock)."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def show(call: Callable[[], Any]) -> str:
    """``call``'s wall-clock and CPU seconds, e.g. "  2.10 s (CPU 1.90 s)": on a shared machine the
    two part, and the CPU seconds are what the machine would take alone."""
    cpu = time.process_time()
    wall = timed(call)
    return f"{wall:6.2f} s (CPU {time.process_time() - cpu:5.2f} s)"


def measure_case(name: str, graph: nx.Graph, sampling: Sampling) -> None:
    """Print each metric's seconds on ``graph``, then compute_metrics' total (everything analyze computes)."""
    steps = {
        "betweenness": lambda: compute_betweenness(graph, sampling),
        "eigenvector": lambda: compute_eigenvector(graph),
        "clustering": lambda: nx.clustering(graph),
        "components": lambda: number_groups(graph, nx.connected_components(graph)),
        "communities": lambda: nx.community.louvain_communities(graph, weight="weight", seed=42),
        "partner counts": lambda: [count_partner_values(graph, node) for node in graph],
    }
    print(f"\n{name}: {len(graph):,} nodes, {graph.number_of_edges():,} edges")
    print(f"  betweenness: {sampling.describe(graph)}")
    for step, call in steps.items():
        print(f"  {step:<15} {show(call)}")
    total = show(lambda: compute_metrics(graph, sampling))
    print(f"  {'total':<15} {total}  compute_metrics, what analyze runs")


def compare_networkx(graph: nx.Graph, k: int = 500) -> None:
    """networkx's betweenness against citynet's (igraph) on the same k sources."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph, key=str))
    ordered.add_edges_from(graph.edges)
    ours = timed(lambda: compute_betweenness(ordered, Sampling(above=0, k=k)))
    theirs = timed(lambda: nx.betweenness_centrality(ordered, k=k, seed=1))
    print(f"\nbetweenness from {k} sources: networkx {theirs:.2f} s, citynet {ours:.2f} s", end="")
    print(f" (ratio {theirs / ours:.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=5, help="size of the large case, in keep.eus")
    parser.add_argument(
        "--networkx-exact", action="store_true", help="also time networkx's exact betweenness"
    )
    args = parser.parse_args()
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores{load}")
    bipartite = generate_keep_like()
    partners = [n for n, side in bipartite.nodes(data="bipartite") if side == 0]
    projection = nx.bipartite.weighted_projected_graph(bipartite, partners)
    large = generate_keep_like(1891 * args.scale, 5000 * args.scale, 8621 * args.scale)
    measure_case("keep.eu-sized bipartite graph", bipartite, Sampling())
    measure_case("keep.eu-sized partner-partner projection", projection, Sampling())
    measure_case("keep.eu-sized bipartite graph, sampled", bipartite, Sampling(above=0))
    measure_case(f"{args.scale} x keep.eu bipartite graph", large, Sampling())
    compare_networkx(bipartite)
    if args.networkx_exact:
        before = show(lambda: nx.betweenness_centrality(bipartite))
        print(f"networkx exact betweenness on the bipartite graph: {before}")


if __name__ == "__main__":
    main()
