"""One benchmark step, run in a child process by ``bench/run.py``; prints its result as JSON.

Every result carries ``work_seconds`` (the step itself, without interpreter start-up),
``work_cpu_seconds`` (the CPU time spent on it by this process, all its threads, and the worker
processes it waited for: what a step costs when other work shares the machine) and ``peak_mb``
(this process's peak resident set size).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import shutil
import statistics
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engines import Citynet, RawOxigraph, Rdflib, Server, comparable
from run import RESTART  # the exit status that asks the runner to start a pass again

from citynet import api
from citynet.graphs.network import paused_gc
from citynet.graphs.pairs import pair_groups, rank_groups
from citynet.query.queries import read_queries, run_query, to_rows
from citynet.store.embedded import EmbeddedStore

QUERIES = read_queries(api.ROOT / "queries")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_generate(size: str, root: str) -> dict[str, Any]:
    from generate import generate

    return {"counts": generate(int(size), 1, Path(root))}


def step_load_citynet(root: str, store: str) -> dict[str, Any]:
    shutil.rmtree(store, ignore_errors=True)
    summary = api.load(Path(root), Path(store))
    counts = ("networks", "cities", "organisations", "memberships", "sources")
    return {"quads": summary.quads, **{name: getattr(summary, name) for name in counts}}


def step_dump(store: str, nquads: str) -> dict[str, Any]:
    """Every quad of citynet's store, the merged default graph too: the raw engines' data."""
    with open(nquads, "wb") as out:
        EmbeddedStore.open(Path(store)).store.dump(out, format=ox.RdfFormat.N_QUADS)
    return {}


def step_bulk(engine: str, nquads: str, disk: str) -> dict[str, Any]:
    if engine == "rdflib":
        dataset = Rdflib(Path(nquads)).dataset
        return {"quads": sum(len(graph) for graph in dataset.graphs())}
    if engine == "oxigraph-disk":
        shutil.rmtree(disk, ignore_errors=True)
        store = ox.Store(disk)
    else:
        store = ox.Store()
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    quads = len(store)
    if engine != "oxigraph-disk":
        return {"quads": quads}
    # Compacted, untimed: a bulk load leaves overlapping files that RocksDB merges in the background,
    # which citynet's load gives it time for (its SHACL pass) and a process that exits does not.
    # Uncompacted (89 files against 58), the 1M store answered `active-in` in 475 s against 45 s.
    started, cpu = time.perf_counter(), measure_cpu()
    store.optimize()
    return {
        "quads": quads,
        "untimed_seconds": time.perf_counter() - started,
        "untimed_cpu_seconds": measure_cpu() - cpu,
    }


DEGREES = """
SELECT ?city (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m cn:member ?city . ?city a cn:City }
GROUP BY ?city ORDER BY DESC(?n) ?city"""


LARGEST = """
SELECT ?network (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m cn:network ?network }
GROUP BY ?network ORDER BY DESC(?n) ?network LIMIT 1"""
SYNTHETIC = "https://w3id.org/citynet/id/network/net-1"


def pick_network(reader: Any) -> tuple[str, str]:
    """The network the network queries are asked of, with its label: a synthetic graph's ``net-1``,
    or in another graph (the bundled one) the network with the most memberships."""
    if bool(run_query(reader, f"ASK {{ <{SYNTHETIC}> a cn:Network }}")):
        return "net-1", SYNTHETIC
    network = to_rows(run_query(reader, LARGEST))[1][0]["network"]
    return network.rsplit("/", 1)[-1], network


def step_cases(store: str) -> dict[str, Any]:
    """Realistic parameters: the hub city, a typical (median-degree) city, a network, a year."""
    reader = EmbeddedStore.open(Path(store))
    cities = to_rows(run_query(reader, DEGREES))[1]
    hub, typical = cities[0]["city"], cities[len(cities) // 2]["city"]
    year = '"2014"^^<http://www.w3.org/2001/XMLSchema#integer>'
    per_kind = {"city": [("hub", hub), ("typical", typical)], "network": [pick_network(reader)]}
    cases = []
    for name, query in QUERIES.items():
        kinds = {p.kind for p in query.params if p.required}
        if "year" in kinds:
            cases.append(
                {"query": name, "label": "2014", "params": {"year": "2014"}, "terms": {"year": year}}
            )
        elif kinds:
            (kind,) = kinds
            param = next(p.name for p in query.params if p.kind == kind)
            for label, iri in per_kind[kind]:
                cases.append(
                    {"query": name, "label": label, "params": {param: iri}, "terms": {param: f"<{iri}>"}}
                )
        else:
            cases.append({"query": name, "label": "", "params": {}, "terms": {}})
    return {"cases": cases, "hub_degree": cities[0]["n"], "typical_degree": cities[len(cities) // 2]["n"]}


class QueryTimeoutError(Exception):
    pass


def answer_within(engine: Any, case: dict[str, Any], deadline: float) -> list[dict]:
    """The case's rows, or QueryTimeoutError at ``deadline`` (``time.perf_counter()``): the query
    runs in a thread, since pyoxigraph evaluates without returning to Python until its first row."""
    if time.perf_counter() >= deadline:
        raise QueryTimeoutError
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["rows"] = engine.answer(QUERIES[case["query"]], case["params"], case["terms"])
        except Exception as exc:
            box["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(max(deadline - time.perf_counter(), 0))
    if thread.is_alive():
        raise QueryTimeoutError
    if "error" in box:
        raise box["error"]
    return box["rows"]


def describe(query: Any, rows: list[dict], times: list[float], warm: float) -> dict[str, Any]:
    """One engine's result for a case: the median time (the warm-up's when it was not repeated)."""
    return {
        "seconds": statistics.median(times) if times else warm,
        "runs": len(times) or 1,
        "rows": len(rows),
        "answer": repr(comparable(query, rows)),
    }


QUICK = 1.0  # seconds: a quick query is repeated until its runs add up to this
MAX_REPEATS = 100


def count_repeats(warm: float, runs: int, bound: float) -> int:
    """How often a query whose warm-up took ``warm`` seconds is timed: ``runs`` times, as often as
    fits in ``QUICK`` when that is more (a median of milliseconds under a passing load needs many
    runs; at most ``MAX_REPEATS``), and never more than fits in ``bound``. A smoke run (one run)
    times each query once.

    >>> count_repeats(0.002, 5, 30.0), count_repeats(0.5, 5, 30.0), count_repeats(20.0, 5, 30.0)
    (100, 5, 1)
    """
    warm = max(warm, 1e-9)
    quick = max(runs, min(MAX_REPEATS, int(QUICK / warm))) if runs > 1 else runs
    return min(quick, int(bound / warm))


def time_case(
    engines: dict[str, Any], case: dict[str, Any], runs: int, bound: float, limits: dict[str, float]
) -> tuple[dict[str, dict[str, Any]], bool]:
    """Each engine's median time for one case, and whether one gave up (past its limit).

    Every engine answers once (the warm-up), then the engines take turns, run after run, each
    repeated as often as fits in ``bound``: a machine's passing load falls on all of them alike.
    """
    query = QUERIES[case["query"]]
    out: dict[str, dict[str, Any]] = {}
    rows: dict[str, list[dict]] = {}
    warm: dict[str, float] = {}
    times: dict[str, list[float]] = {}
    gave_up = False
    try:
        for name, engine in engines.items():
            started = time.perf_counter()
            try:
                rows[name] = answer_within(engine, case, started + limits[name])
            except QueryTimeoutError:
                raise
            except Exception as exc:
                out[name] = {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"}
                continue
            warm[name], times[name] = time.perf_counter() - started, []
        repeats = {name: count_repeats(w, runs, bound) for name, w in warm.items()}
        for turn in range(max(repeats.values(), default=0)):
            for name in (n for n in warm if turn < repeats[n]):
                started = time.perf_counter()
                answer_within(engines[name], case, started + limits[name])
                times[name].append(time.perf_counter() - started)
    except QueryTimeoutError:  # ``name`` is the engine that ran past its limit
        out[name], gave_up = {"error": f"over {limits[name]:.0f} s"}, True
    return {**out, **{n: describe(query, rows[n], times[n], warm[n]) for n in warm if n not in out}}, gave_up


def make_engine(name: str, where: str) -> Any:
    makers = {
        "citynet": lambda: Citynet(Path(where)),
        "oxigraph-disk": lambda: RawOxigraph(store=Path(where)),
        "oxigraph-memory": lambda: RawOxigraph(nquads=Path(where)),
        "rdflib": lambda: Rdflib(Path(where)),
        "server": lambda: Server(where),
    }
    return makers[name]()


def step_queries(
    names: str, wheres: str, cases_json: str, runs: str, bound: str, give_up: str, partial: str
) -> dict[str, Any]:
    """Every case on the engines ``names`` (comma-separated; ``wheres``: a JSON list of their stores
    or URLs), taking turns case by case. Each answer is saved to ``partial`` as it comes, and a pass
    started again skips what was saved there. A query past ``give_up`` seconds (rdflib's: twice the
    bound) is recorded as such and ends the process with ``RESTART``: only that stops it."""
    started = time.perf_counter()
    places = zip(names.split(","), json.loads(wheres), strict=True)
    engines = {name: make_engine(name, where) for name, where in places}
    setup = time.perf_counter() - started
    saved = Path(partial)
    results = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else {}
    limits = {name: float(bound) * 2 if name == "rdflib" else float(give_up) for name in engines}
    for case in json.loads(cases_json):
        key = f"{case['query']} {case['label']}".strip()
        todo = {name: engine for name, engine in engines.items() if key not in results.get(name, {})}
        if not todo:
            continue
        answers, gave_up = time_case(todo, case, int(runs), float(bound), limits)
        for name, answer in answers.items():
            results.setdefault(name, {})[key] = answer
        saved.write_text(json.dumps(results), encoding="utf-8")
        if gave_up:
            os._exit(RESTART)
    return {"setup_seconds": setup, "engines": results}


# The self-join reduces each side to distinct (network, city) rows first, as a careful SPARQL user
# would: a city may hold two memberships of one network, and over a union default graph that is a
# bag (Oxigraph 0.5, oxigraph#1919) each triple comes once per graph stating it (at 10k, over the
# union: 36.7 s naive against 2.5 s).
SELF_JOIN = """
SELECT ?a ?b (COUNT(?n) AS ?w) WHERE {
  { SELECT DISTINCT ?n ?a WHERE { { SELECT DISTINCT ?n ?a WHERE { ?m1 cn:network ?n ; cn:member ?a } }
                                  { SELECT DISTINCT ?a WHERE { ?a a cn:City } } } }
  { SELECT DISTINCT ?n ?b WHERE { { SELECT DISTINCT ?n ?b WHERE { ?m2 cn:network ?n ; cn:member ?b } }
                                  { SELECT DISTINCT ?b WHERE { ?b a cn:City } } } }
  FILTER(STR(?a) < STR(?b))
} GROUP BY ?a ?b"""
# The membership rows, one per city with its networks' IRIs in one string: Oxigraph spends most
# of such a fetch turning its stored ids back into IRIs, and this turns each city's once instead of
# once per membership (at 100k, CPU: 0.74 s against 1.13 s for one (network, city) row each).
# GROUP_CONCAT's separator is a space, which no IRI holds.
MEMBER_ROWS = """
SELECT ?c (GROUP_CONCAT(STR(?n)) AS ?ns) WHERE {
  { SELECT DISTINCT ?n ?c WHERE { ?m cn:network ?n ; cn:member ?c } }
  { SELECT DISTINCT ?c WHERE { ?c a cn:City } }
} GROUP BY ?c"""


def make_networkx_graph(edges: list[tuple[str, str, int]]) -> Any:
    """networkx's own speed here, the yardstick of the graphs' build: the city pairs added with
    their weights and nothing else (``add_weighted_edges_from``), with the collector paused.

    >>> make_networkx_graph([("a", "b", 2)]).edges(data=True)
    EdgeDataView([('a', 'b', {'weight': 2})])
    """
    import networkx as nx

    with paused_gc():
        graph = nx.Graph()
        graph.add_weighted_edges_from(edges)
    return graph


GRAPH_BOUND = 60.0  # seconds: a graph is built again while its runs so far took less than this


def time_turns(actions: dict[str, Callable[[], Any]], runs: int) -> tuple[dict[str, float], dict[str, Any]]:
    """Each action's median time and its last result; the actions take turns, turn after turn,
    until ``runs`` turns or the turns so far took ``GRAPH_BOUND`` (a single run can be slowed
    several times over by a passing load: seen here, 3.95 s for rows that take 0.5 s). Freeing
    the turn before's result, and the cycle collector's passes over what earlier turns left, fall
    outside the clock (until 2026-12-05 they fell into whichever turn they happened in).

    >>> seconds, results = time_turns({"one": lambda: 1, "two": lambda: 2}, 3)
    >>> sorted(seconds), results
    (['one', 'two'], {'one': 1, 'two': 2})
    """
    times: dict[str, list[float]] = {name: [] for name in actions}
    results: dict[str, Any] = {}
    for turn in range(runs):
        if turn and sum(map(sum, times.values())) >= GRAPH_BOUND:  # at 1M a city-city graph takes minutes
            break
        for name, action in actions.items():
            results.pop(name, None)  # the last turn's result is let go, and the heap collected,
            gc.collect()  # before the clock starts: each turn times the making alone
            started = time.perf_counter()
            results[name] = action()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(t) for name, t in times.items()}, results


def read_rows(reader: Any, text: str) -> list[dict[str, Any]]:
    return to_rows(run_query(reader, text))[1]


def step_graphs(store: str, runs: str, self_join: str = "yes") -> dict[str, Any]:
    """Each networkx graph from the store, and the projection against the SPARQL self-join
    (unless ``self_join`` is ``no``: at 1M memberships it would take most of an hour)."""

    from citynet.graphs.memberships import Filters, read_facts
    from citynet.graphs.network import ASSEMBLERS

    reader = EmbeddedStore.open(Path(store))
    out: dict[str, Any] = {}
    started = time.perf_counter()
    facts = read_facts(reader)
    out["query_seconds"] = time.perf_counter() - started  # the SPARQL reads every graph starts from
    reads = {"rows": MEMBER_ROWS} if self_join == "no" else {"rows": MEMBER_ROWS, "self_join": SELF_JOIN}
    seconds, answers = time_turns(
        {name: partial(read_rows, reader, text) for name, text in reads.items()}, int(runs)
    )
    projected, counted = time_turns({"projection": partial(count_shared, answers["rows"])}, int(runs))
    weights, projection = counted.pop("projection"), projected["projection"]
    out["projection"] = {
        "rows_seconds": seconds["rows"],
        "projection_seconds": projection,
        "pairs": len(weights),
    }
    if self_join == "no":
        out["projection"]["self_join"] = "not run at this size"
    else:
        same = weights == {(p["a"], p["b"]): p["w"] for p in answers["self_join"]}
        out["projection"].update(self_join_seconds=seconds["self_join"], identical_weights=same)
    alone = [(a, b, w) for (a, b), w in sorted(weights.items())]
    del answers, counted, weights
    for name, assemble in ASSEMBLERS.items():
        if name == "network-network" and len(facts.networks) > 2_000:
            out[name] = {"skipped": "above 2,000 networks the overlap graph outgrows memory"}
            continue
        turns = {name: partial(assemble, facts, Filters())}
        if name == "city-city":  # networkx alone takes turns with it: both see the same machine
            turns["networkx_alone"] = partial(make_networkx_graph, alone)
        seconds, built = time_turns(turns, int(runs))
        out[name] = {
            "seconds": seconds[name],
            "nodes": built[name].number_of_nodes(),
            "edges": built[name].number_of_edges(),
        }
        if name == "city-city":
            out["networkx_alone"] = {"edges": len(alone), "seconds": seconds["networkx_alone"]}
    return out


def count_shared(rows: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """City pairs (in string order) and how many networks they share, from rows of a city ``c`` and
    its networks ``ns`` (IRIs separated by spaces), by citynet's own pairing
    (``citynet.graphs.pairs.pair_groups``, which the city-city graph's projection runs on the
    memberships), counted as the self-join counts, without listing the networks.

    >>> count_shared([{"c": "a", "ns": "n1 n2"}, {"c": "b", "ns": "n2 n1"}, {"c": "c", "ns": "n2"}])
    {('a', 'b'): 2, ('a', 'c'): 1, ('b', 'c'): 1}
    """
    named = [n for r in rows for n in r["ns"].split(" ")]
    members = [r["c"] for r in rows for _ in range(r["ns"].count(" ") + 1)]
    ranked = rank_groups(named, members)
    pairs, names = pair_groups(ranked), ranked.members
    firsts = map(names.__getitem__, pairs.first.tolist())
    seconds = map(names.__getitem__, pairs.second.tolist())
    return dict(zip(zip(firsts, seconds, strict=True), pairs.weights.tolist(), strict=True))


VIEW = {"programmes": ("urbact-iii",), "years": "2016"}  # a filtered view, as a user would ask for


def step_html(store: str, folder: str) -> dict[str, Any]:
    """``citynet visualize --programme urbact-iii --year 2016``: the site of a filtered view, from
    the store (its reads included) to the HTML pages written."""
    from citynet.graphs.memberships import Filters
    from citynet.site.pages import write_site

    view = Filters(**VIEW)
    site = write_site(EmbeddedStore.open(Path(store)), Path(folder), view)
    shutil.rmtree(folder, ignore_errors=True)
    largest = max(site.pages, key=lambda page: page[1], default=("", 0, 0))
    return {
        "filters": view.describe(),
        "pages": len(site.pages),
        "skipped": len(site.skipped),
        "largest": {"path": largest[0], "nodes": largest[1], "edges": largest[2]},
    }


STEPS = {
    "generate": step_generate,
    "load-citynet": step_load_citynet,
    "dump": step_dump,
    "bulk": step_bulk,
    "cases": step_cases,
    "queries": step_queries,
    "graphs": step_graphs,
    "html": step_html,
}


def measure_cpu() -> float:
    """CPU seconds of this process and of its children that ended (a load's worker processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def main() -> None:
    started, cpu = time.perf_counter(), measure_cpu()
    result = STEPS[sys.argv[1]](*sys.argv[2:])
    result.update(
        work_seconds=time.perf_counter() - started - result.get("untimed_seconds", 0.0),
        work_cpu_seconds=measure_cpu() - cpu - result.get("untimed_cpu_seconds", 0.0),
        peak_mb=peak_mb(),
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
