"""``make bench``: citynet's own path beside raw pyoxigraph, rdflib and the Oxigraph server.

    python bench/run.py [--sizes bundled,10000,100000,1000000] [--runs 5] [--report docs/benchmarks.md]

For each size it generates a synthetic project (``bench/generate.py``; ``bundled`` is this
checkout's own ``graph/``, the keep.eu and URBACT graph), then measures, each step
in a child process of its own (so peak RSS is that step's): citynet's load (facts -> places ->
RDF -> SHACL -> store); the raw bulk load of the same N-Quads into pyoxigraph (disk, memory) and
rdflib; every named query on every engine (median of ``--runs`` runs after a warm-up, answers
compared across engines), the engines' passes one after another; building each networkx graph; the
city-city projection against the SPARQL self-join listing the same pairs. Results go to
``.bench/results-<size>.json`` and the report to ``docs/benchmarks.md``. Times are context; the
ratios within one run are the result.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("CITYNET_BENCH_WORK") or ROOT / ".bench")  # data, stores, saved steps
SIZES = ("bundled", 10_000, 100_000, 1_000_000)  # bundled: this checkout's own graph/, not generated
BUNDLED_SCALE = 10_000  # the bundled graph (8,878 memberships) is measured as the 10k size is
RDFLIB_UP_TO = 10_000  # rdflib's in-memory store is measured up to this size only
SERVER_UP_TO = 10_000  # the Oxigraph server too: it reads citynet's store; a pass at 100k takes ~10 min
MEMORY_QUERIES_UP_TO = 100_000  # raw pyoxigraph in memory answers the named queries up to this size
QUERY_BOUND = 30.0  # seconds: a query is repeated as often as fits in this (at most --runs times)
# At 100k each named query takes up to about a minute: five runs of every one fit in 300 s, about
# 25 minutes a pass. At 10k they fit in 30 s (and rdflib is given 60 s); at 1M a single run of
# every query on both engines takes about an hour, so there a query is repeated only within 30 s.
QUERY_BOUNDS = {100_000: 300.0}
QUERY_GIVE_UP = 1200.0  # seconds: a query still running after this is recorded as over it (rdflib: 2 x bound)
RESTART = 75  # a query pass's exit status when it gave up on a query (bench/worker.py): run it again
SELF_JOIN_UP_TO = 100_000  # the SPARQL self-join listing all city pairs (the target is at 100k)
AT_ONCE = 1  # query passes and graph steps at a time: alone, each step has the machine to itself
LOAD_BOUND = 600.0  # seconds: a load is repeated as often as fits in this (at most --runs times)
CHILD = [sys.executable, str(Path(__file__).resolve().parent / "worker.py")]


Size = int | str  # memberships of a synthetic graph, or "bundled"


def to_scale(size: Size) -> int:
    """The memberships a size is measured as (which engines, which bounds).

    >>> to_scale("bundled"), to_scale(100_000)
    (10000, 100000)
    """
    return BUNDLED_SCALE if size == "bundled" else int(size)


def to_size(text: str) -> Size:
    """A ``--sizes`` item: ``bundled`` or a number of memberships.

    >>> to_size("bundled"), to_size("10000")
    ('bundled', 10000)
    """
    return text if text == "bundled" else int(text)


class LoadSampler:
    """The machine's 1-minute load average, sampled every ``every`` seconds in a thread while a
    size is measured: how busy the machine was, for the report."""

    def __init__(self, every: float = 15.0) -> None:
        self.every, self.samples, self.stop = every, [os.getloadavg()[0]], threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self) -> None:
        while not self.stop.wait(self.every):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> LoadSampler:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()

    def summary(self) -> dict[str, float]:
        return {
            "start": self.samples[0],
            "median": statistics.median(self.samples),
            "max": max(self.samples),
            "samples": len(self.samples),
        }


def run_child(args: list[str], timeout: float | None = None) -> dict[str, Any]:
    """Run a worker step: its JSON answer (with ``work_seconds`` and its own ``peak_mb``) and
    ``seconds``, the child's whole wall time."""
    started = time.perf_counter()
    process = subprocess.Popen([*CHILD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return {"error": f"over {timeout:.0f} s", "seconds": None, "peak_mb": None}
    seconds = time.perf_counter() - started
    answer = (
        json.loads(out.decode() or "{}")
        if process.returncode == 0
        else {
            "error": err.decode().strip().splitlines()[-1] if err.strip() else f"exit {process.returncode}",
            "returncode": process.returncode,
        }
    )
    answer.setdefault("seconds", seconds)
    return answer


class Steps:
    """The steps of one size, each run in a child and its answer saved in ``.bench/steps-<size>/``."""

    def __init__(self, size: int, resume: bool, measure: bool = True) -> None:
        self.folder = WORK / f"steps-{size}"
        self.measure = measure  # False: only what was saved (a report of the steps so far)
        if not resume:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)

    def saved(self, key: str) -> dict[str, Any] | None:
        """The answer an earlier run saved for this step, if any."""
        file = self.folder / f"{key}.json"
        return json.loads(file.read_text(encoding="utf-8")) if file.exists() else None

    def keep(self, key: str, value: dict[str, Any]) -> dict[str, Any]:
        """The value saved under ``key``; ``value``, saved, if there is none yet."""
        saved = self.saved(key)
        if saved is None:
            (self.folder / f"{key}.json").write_text(json.dumps(value), encoding="utf-8")
        return saved or value

    def run(self, key: str, args: list[str], makes: Path | None = None) -> dict[str, Any]:
        """The step's saved answer if there is one (and the file it makes is still there), else a new one."""
        answer = self.saved(key)
        if answer is not None and (makes is None or makes.exists() or not self.measure):
            return answer
        if not self.measure:  # a pass that did not finish reports the answers it saved
            so_far = self.folder / f"{key}.partial.json"
            if so_far.exists():
                return {"engines": json.loads(so_far.read_text(encoding="utf-8")), "partial": True}
            return {"error": "not measured"}
        print(f"  {self.folder.name}: {key}", file=sys.stderr, flush=True)
        answer = run_child(args)
        while answer.get("returncode") == RESTART:  # a query ran past its limit: the pass goes on
            answer = run_child(args)
        if "error" not in answer:
            (self.folder / f"{key}.json").write_text(json.dumps(answer), encoding="utf-8")
        return answer

    def repeat(self, key: str, args: list[str], runs: int, makes: Path | None = None) -> list[dict[str, Any]]:
        """Up to ``runs`` runs of a step, as many as fit in ``LOAD_BOUND`` seconds (at least one)."""
        first = self.run(f"{key}-1", args, makes)
        if "error" in first:
            return [first]
        fit = int(LOAD_BOUND // max(first.get("work_seconds") or LOAD_BOUND, 1e-9))
        return [first, *(self.run(f"{key}-{i}", args, makes) for i in range(2, min(runs, max(fit, 1)) + 1))]


def measure_load(steps: Steps, root: Path, size: Size, runs: int) -> dict[str, Any]:
    """citynet's load and the raw engines' bulk loads of the same quads."""
    store = WORK / f"store-{size}"
    nquads = WORK / f"data-{size}.nq"
    loads = steps.repeat("load-citynet", ["load-citynet", str(root), str(store)], runs, store)
    steps.run("dump", ["dump", str(store), str(nquads)], nquads)
    disk = WORK / f"raw-{size}"
    raw = {
        "oxigraph-disk": steps.repeat(
            "bulk-oxigraph-disk", ["bulk", "oxigraph-disk", str(nquads), str(disk)], runs, disk
        ),
        "oxigraph-memory": steps.repeat(
            "bulk-oxigraph-memory", ["bulk", "oxigraph-memory", str(nquads), ""], runs
        ),
    }
    if size != "bundled" and to_scale(size) <= RDFLIB_UP_TO:
        raw["rdflib"] = steps.repeat("bulk-rdflib", ["bulk", "rdflib", str(nquads), ""], max(1, runs // 2))
    return {
        "citynet": summarise(loads),
        **{k: summarise(v) for k, v in raw.items()},
        "quads": loads[0].get("quads"),
        "counts": {k: loads[0].get(k) for k in ("networks", "cities", "memberships", "sources")},
        "store": str(store),
        "nquads": str(nquads),
        "raw": str(disk),
    }


def summarise(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Median wall time and largest peak RSS of repeated child runs."""
    good = [s for s in samples if "error" not in s]
    if not good:
        return {"error": samples[0]["error"]}
    return {
        "seconds": statistics.median(s["work_seconds"] for s in good),
        "peak_mb": max(s["peak_mb"] for s in good),
        "runs": len(good),
        **{k: v for k, v in good[0].items() if k not in ("seconds", "work_seconds", "peak_mb")},
    }


def start_server(store: Path) -> tuple[subprocess.Popen, str]:
    """The Oxigraph server on citynet's store, read-only, on a free port."""
    sys.path.insert(0, str(ROOT / "tests"))
    from servers import free_port, wait_until_up

    from citynet.store.folder import current_data_dir

    port = free_port()
    program = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    log = WORK / "server.log"
    data = current_data_dir(store)  # the Oxigraph folder of the version in use
    server = subprocess.Popen(
        [program, "serve-read-only", "--location", str(data), "--bind", f"127.0.0.1:{port}"],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/query"
    wait_until_up(f"{url}?query=ASK%7B%7D", server, log)
    return server, url


def run_pass(steps: Steps, names: list[str], wheres: list[str], args: list[str]) -> dict[str, Any]:
    """The named queries on the engines ``names`` (which take turns case by case), as
    ``{engine: {"cases": …}}``; a pass that did not finish gives the answers it saved."""
    key = "queries-" + "+".join(names)
    so_far = steps.folder / f"{key}.partial.json"
    answer = steps.run(key, ["queries", ",".join(names), json.dumps(wheres), *args, str(so_far)])
    if "error" in answer:
        return {name: {"error": answer["error"]} for name in names}
    engines = answer.get("engines") or {names[0]: answer.get("cases", {})}  # or a one-engine pass
    return {
        name: {"cases": engines.get(name, {}), **({"partial": True} if answer.get("partial") else {})}
        for name in names
    }


def measure_server(steps: Steps, store: Path, args: list[str]) -> dict[str, Any]:
    """The named queries over HTTP, the Oxigraph server reading citynet's store (started only
    when the pass is to be measured)."""
    if steps.saved("queries-server") or not steps.measure:
        return run_pass(steps, ["server"], [""], args)
    server, url = start_server(store)
    try:
        return run_pass(steps, ["server"], [url], args)
    finally:
        server.terminate()
        server.wait()


def pass_jobs(
    steps: Steps, load: dict[str, Any], size: Size, args: list[str], self_join: str
) -> dict[str, Callable[[], dict[str, Any]]]:
    """The size's query passes and its graph step, each a call that runs it: citynet and raw
    pyoxigraph on disk in one pass, taking turns, so that both ratios' sides see the same load."""
    jobs = {
        "citynet+disk": partial(
            run_pass, steps, ["citynet", "oxigraph-disk"], [load["store"], load["raw"]], args
        )
    }
    if to_scale(size) <= MEMORY_QUERIES_UP_TO:
        jobs["memory"] = partial(run_pass, steps, ["oxigraph-memory"], [load["nquads"]], args)
    if size != "bundled" and to_scale(size) <= RDFLIB_UP_TO:  # the bundled graph: citynet's own figures
        jobs["rdflib"] = partial(run_pass, steps, ["rdflib"], [load["nquads"]], args)
    if size != "bundled" and to_scale(size) <= SERVER_UP_TO:
        jobs["server"] = partial(measure_server, steps, Path(load["store"]), args)
    jobs["graphs"] = lambda: {"graphs": steps.run("graphs", ["graphs", load["store"], args[1], self_join])}
    jobs["html"] = lambda: {"html": steps.run("html", ["html", load["store"], str(WORK / f"site-{size}")])}
    return jobs


def measure_passes(
    steps: Steps, load: dict[str, Any], size: Size, runs: int, bound: float, at_once: int = AT_ONCE
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The named queries on every engine and the graphs, ``at_once`` steps at a time."""
    cases = steps.run("cases", ["cases", load["store"]])
    args = [json.dumps(cases.get("cases", [])), str(runs), str(bound), str(QUERY_GIVE_UP)]
    jobs = pass_jobs(steps, load, size, args, "yes" if to_scale(size) <= SELF_JOIN_UP_TO else "no")
    with ThreadPoolExecutor(at_once) as pool:
        futures = [pool.submit(job) for job in jobs.values()]
        results = {name: answer for future in futures for name, answer in future.result().items()}
    graphs = {**results.pop("graphs"), "html": results.pop("html")}
    return {"cases": cases.get("cases", []), "engines": results}, graphs


def measure_size(
    size: Size,
    runs: int,
    bound: float | None = None,
    resume: bool = False,
    measure: bool = True,
    at_once: int = AT_ONCE,
) -> dict[str, Any]:
    root = ROOT if size == "bundled" else WORK / f"project-{size}"
    steps = Steps(size, resume or not measure, measure)
    bound = bound or QUERY_BOUNDS.get(to_scale(size), QUERY_BOUND)
    bound = steps.keep("bound", {"seconds": bound})["seconds"]  # a resumed run keeps the first run's bound
    started = time.perf_counter()
    # the bundled graph is the checkout's graph/ as it is: its counts are the load's
    generated = {} if size == "bundled" else steps.run("generate", ["generate", str(size), str(root)], root)
    load = measure_load(steps, root, size, runs)
    generated = generated or {"counts": load["counts"]}
    queries, graphs = measure_passes(steps, load, size, runs, bound, at_once)
    return {
        "size": size,
        "bound": bound,
        "generated": generated,
        "load": load,
        "queries": queries,
        "graphs": graphs,
        "total_seconds": time.perf_counter() - started,
    }


def describe_machine() -> dict[str, Any]:
    from importlib.metadata import version

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
    return {
        "cores": os.cpu_count(),
        "cpu": models[0] if models else platform.processor() or "unknown CPU",
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "system": platform.platform(terse=True),
        "packages": {
            p: version(p)
            for p in ("pyoxigraph", "oxigraph", "rdflib", "pyshacl", "networkx", "SPARQLWrapper", "pyvis")
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="bundled (this checkout's graph), memberships"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--bound",
        type=float,
        help="seconds a query may be repeated within, at every size (default: "
        f"{QUERY_BOUND:.0f}, at 100k {QUERY_BOUNDS[100_000]:.0f}; rdflib is abandoned "
        "after twice that)",
    )
    parser.add_argument(
        "--at-once",
        type=int,
        default=AT_ONCE,
        help=f"query passes and graph steps run at a time (default {AT_ONCE}: each alone; "
        "2 runs them a core each, in less time, every figure with the other core busy)",
    )
    parser.add_argument(
        "--resume", action="store_true", help="reuse the steps an earlier run saved in .bench/steps-<size>/"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: write the report from the saved steps, marking the others",
    )
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    results = {
        "machine": describe_machine(),
        "runs": args.runs,
        "give_up": QUERY_GIVE_UP,
        "at_once": args.at_once,
        "sizes": [],
    }
    for size in (to_size(s) for s in args.sizes.split(",")):
        print(f"size {size}: measuring", file=sys.stderr, flush=True)
        with LoadSampler() as sampler:
            result = measure_size(
                size, args.runs, args.bound, args.resume, not args.report_only, args.at_once
            )
        saved = WORK / f"results-{size}.json"
        if args.report_only and saved.exists():  # the load average the measuring run saw
            result["load_average"] = json.loads(saved.read_text(encoding="utf-8")).get("load_average")
        else:
            result["load_average"] = sampler.summary()
        (WORK / f"results-{size}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
        results["sizes"].append(result)
        print(f"size {size}: done in {result['total_seconds']:.0f} s", file=sys.stderr, flush=True)
    (WORK / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    from report import write_report

    write_report(results, args.report)
    print(f"Wrote {args.report}")


if __name__ == "__main__":
    main()
