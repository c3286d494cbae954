"""The site ``citynet visualize`` writes, measured in headless Chromium: time to interactive and weight.

    .venv/bin/python bench/site_speed.py [--memberships 100000] [--runs 5] [--report docs/benchmarks-site.md]
                                         [--reuse]

Builds two sites with the real commands (``citynet load --store S``, then ``citynet visualize
--store S -o OUT``, each timed): the bundled graph (this checkout's ``graph/``) and the synthetic
project of ``--memberships`` memberships (``bench/generate.py``, seed 1, generated and loaded once
into ``.bench/``). Each site's index, map and largest other graph page (by bytes) are opened
``--runs`` times, each in a fresh offline Chromium profile (``tests/browser.py``: file:// only,
every other request blocked, so the browser's cache is cold and the disk's warm). Time to
interactive is the page's own clock from navigation start to its ready signal: ``citynet.readyAt``
on graph pages (layout done, physics stopped), ``citynetSearch.readyAt`` on the index (search-index.js
parsed and the first results on the page). Weight is the HTML and every local file it loaded, as
bytes and as the sum of each file gzipped (what a server compressing each response would send).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".bench"
CITYNET = [sys.executable, "-m", "citynet"]
GOAL_MS = 2000.0
READY = {
    "index": ("window.citynetSearch && window.citynetSearch.ready === true", "citynetSearch.readyAt"),
    "graph": ("window.citynet && window.citynet.ready === true", "citynet.readyAt"),
}
PARSED = "performance.getEntriesByType('navigation')[0].domInteractive"
COUNTS = {
    "index": "[window.citynetSearchIndex.rows.length, null]",
    "graph": "[citynet.nodes.length, citynet.edges.length,"
    " Number(document.getElementById('count-edges').dataset.total || citynet.edges.length)]",
}

sys.path.insert(0, str(ROOT))

from citynet.site.layout import LAYOUT_NODES  # noqa: E402
from citynet.site.trim import MAX_EDGES  # noqa: E402
from tests.browser import offline_page  # noqa: E402


@dataclass
class Measured:
    """One page of one site: its counts, weight and times to interactive (ms)."""

    site: str
    page: str
    kind: str
    counts: list[int | None]
    files: int
    weight: int
    gzipped: int
    times: list[float] = field(default_factory=list)
    parsed: list[float] = field(default_factory=list)  # navigation start to domInteractive (ms)


def run(command: list[str]) -> tuple[float, str]:
    """Run a citynet command from the checkout: (wall seconds, its last line of output)."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.strip().splitlines()[-1:]}")
    lines = (done.stdout.strip() or done.stderr.strip()).splitlines()
    return seconds, lines[0] if lines else ""


def build_site(name: str, project: Path, reuse: bool) -> tuple[Path, dict[str, object]]:
    """Load ``project`` into a fresh store and visualise it; the site folder and the build's figures
    (kept in ``.bench/``; with ``reuse``, a site built before and its figures are taken as they are)."""
    store, site = WORK / f"site-store-{name}", WORK / f"site-out-{name}"
    saved = WORK / f"site-build-{name}.json"
    if reuse and saved.exists() and (site / "index.html").exists():
        return site, {**json.loads(saved.read_text(encoding="utf-8")), "reused": True}
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    load_s, loaded = run([*CITYNET, "load", "--project", str(project), "--store", str(store)])
    visualize_s, wrote = run([*CITYNET, "visualize", "--store", str(store), "-o", str(site)])
    figures = {
        "load_s": load_s,
        "loaded": loaded,
        "visualize_s": visualize_s,
        "wrote": wrote,
        "reused": False,
    }
    saved.write_text(json.dumps(figures), encoding="utf-8")
    return site, figures


def generate_project(memberships: int) -> Path:
    """The synthetic project of that size (generated once, seed 1)."""
    project = WORK / f"site-project-{memberships // 1000}k"
    if not (project / "graph").is_dir():
        generator = [sys.executable, "bench/generate.py", "--memberships", str(memberships)]
        subprocess.run([*generator, "--seed", "1", "-o", str(project)], check=True, cwd=ROOT)
    return project


def choose_pages(site: Path) -> list[tuple[str, str, Path]]:
    """The index, the map and the largest other graph page (one with ``citynet-data``), by bytes."""
    graph_pages = [
        path
        for path in site.rglob("*.html")
        if path.name not in ("index.html", "map.html") and 'id="citynet-data"' in path.read_text("utf-8")
    ]
    largest = max(graph_pages, key=lambda path: path.stat().st_size)
    return [
        ("index", "index", site / "index.html"),
        ("map", "graph", site / "map.html"),
        (f"largest: {largest.relative_to(site)}", "graph", largest),
    ]


def weigh(urls: set[str]) -> tuple[int, int, int]:
    """Files, bytes and gzipped bytes (each file on its own) of the file:// URLs a page loaded."""
    paths = {Path(unquote(urlparse(url).path)) for url in urls if url.startswith("file:")}
    data = [path.read_bytes() for path in paths if path.is_file()]
    return len(data), sum(map(len, data)), sum(len(gzip.compress(chunk)) for chunk in data)


def open_once(path: Path, kind: str) -> tuple[list[float], list[int | None], set[str], str]:
    """Open ``path`` in a fresh offline Chromium: ([ms to ready, ms to the HTML parsed and its scripts
    run], counts, URLs loaded, browser version)."""
    wait, clock = READY[kind]
    with offline_page() as (page, watch):
        urls: set[str] = set()
        page.on("request", lambda request: urls.add(request.url))
        page.goto(path.as_uri(), wait_until="commit", timeout=600_000)
        page.wait_for_function(wait, timeout=600_000)
        page.wait_for_function(f"{PARSED} > 0", timeout=600_000)  # the ready signal can come first
        ready_at = [float(page.evaluate(clock)), float(page.evaluate(PARSED))]
        counts = page.evaluate(COUNTS[kind])
        page.wait_for_load_state("load")
        if watch.errors or watch.outside:
            raise SystemExit(f"{path}: {watch.errors or watch.outside}")
        version = page.context.browser.version if page.context.browser else "?"
    return ready_at, counts, urls, version


def measure_page(site: str, label: str, kind: str, path: Path, runs: int) -> tuple[Measured, str]:
    """``runs`` openings of one page; the figures and the browser's version."""
    measured: Measured | None = None
    version = "?"
    for _ in range(runs):
        ready_at, counts, urls, version = open_once(path, kind)
        if measured is None:
            measured = Measured(site, label, kind, counts, *weigh(urls))
        measured.times.append(ready_at[0])
        measured.parsed.append(ready_at[1])
    assert measured is not None
    return measured, version


def describe_machine() -> str:
    """The CPU, cores, memory and load average now."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if "model name" in line
        ]
        model = names[0] if names else model
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    return (
        f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, {platform.system()}, "
        f"Python {platform.python_version()}; load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} "
        f"(1, 5, 15 min) at start{' (busy)' if load[0] > (os.cpu_count() or 1) else ''}"
    )


def format_row(m: Measured) -> str:
    """One table row."""
    median = statistics.median(m.times)
    nodes, edges, total = [*m.counts, None][:3]
    shown = f"{nodes:,} rows" if m.kind == "index" else f"{nodes:,} / {edges:,}"
    if m.kind != "index" and total and total > edges:
        shown += f" of {total:,}"  # the strongest edges drawn (--max-edges)
    met = "yes" if median <= GOAL_MS else "**no**"
    return (
        f"| {m.site} | {m.page} | {shown} | {m.files} | {m.weight / 2**20:.2f} MiB | "
        f"{m.gzipped / 2**20:.2f} MiB | {statistics.median(m.parsed) / 1000:.2f} s | {median / 1000:.2f} s | "
        f"{min(m.times) / 1000:.2f}-{max(m.times) / 1000:.2f} s | {met} |"
    )


def explain_misses(rows: list[Measured]) -> list[str]:
    """A sentence on each page over the goal, with the likely cause."""
    lines = []
    for m in rows:
        median = statistics.median(m.times)
        if median <= GOAL_MS:
            continue
        if m.kind == "index":
            cause = (
                f"the whole search index ({m.counts[0]:,} rows) is one script parsed before the "
                "first results render"
            )
        else:
            parsed = statistics.median(m.parsed)
            cause = (
                f"the page weighs {m.weight / 2**20:,.0f} MiB, nearly all of it its {m.counts[0]:,} nodes "
                f"and {m.counts[1]:,} edges embedded as JSON; reading and parsing it and running its "
                "scripts, in which vis-network builds and draws them, take "
                f"{parsed / 1000:.1f} s to domInteractive (the layout is precomputed above {LAYOUT_NODES} "
                "nodes, so this is not physics); `--max-nodes` and `--max-edges` bound them"
            )
        lines.append(
            f"- {m.site}, {m.page}: {median / 1000:.2f} s, over the 2 s goal; likely cause: {cause}."
        )
    return lines


def write_report(
    path: Path,
    machine: str,
    browser: str,
    runs: int,
    builds: dict[str, dict[str, object]],
    rows: list[Measured],
) -> str:
    """The Markdown report, written to ``path``; returns its text."""
    busy = "(busy)" in machine
    shared = " Other work shared the machine (load average above the cores), so times are upper bounds."
    shared = shared if busy else ""
    lines = [
        "# The site in Chromium: time to interactive and page weight",
        "",
        "Generated by `bench/site_speed.py` (`make bench-site`); do not edit.",
        "",
        f"Measured {dt.date.today().isoformat()} on {machine}; headless Chromium {browser} "
        f"(Playwright), offline, each page opened {runs} times, each time in a fresh profile.{shared}",
        "",
        "Time to interactive: navigation start to the page's ready signal, on the page's clock "
        "(`citynet.readyAt` on graph pages: layout done, physics stopped; `citynetSearch.readyAt` "
        "on the index: search-index.js parsed and the first results on the page). Weight: the HTML and "
        "every local file it loaded; gzipped is each file compressed on its own. Parsed: navigation start to "
        "`domInteractive` (the HTML read and parsed, its scripts run; median). On graph pages the scripts "
        "after `citynet.js` (`keyboard.js`, `citynet-time.js`) run after the ready signal, so parsed can "
        "end later than it: every control works from the later of the two. Nodes / edges: what the page "
        'draws; "of N" when it draws only the strongest of its N edges (`citynet visualize --max-edges`, '
        f"default {MAX_EDGES:,}). Goal: at most 2 s.",
        "",
        "| site | page | nodes / edges | files | weight | gzipped | parsed | TTI median | range | ≤ 2 s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
        *map(format_row, rows),
        "",
        "Building the sites (`citynet load`, then `citynet visualize`; wall time on the same machine):",
        "",
    ]
    for name, build in builds.items():
        lines.append(
            f"- {name}: load {build['load_s']:.0f} s ({build['loaded']}); visualize "
            f"{build['visualize_s']:.0f} s ({build['wrote']})"
            f"{'; built by an earlier run, measured again with --reuse' if build.get('reused') else ''}."
        )
    misses = explain_misses(rows)
    lines += ["", "Every page met the goal." if not misses else "Pages over the goal:", "", *misses, ""]
    text = "\n".join(lines).replace("\n\n\n", "\n\n").replace(f"{ROOT}/", "")
    path.write_text(text, encoding="utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--memberships", type=int, default=100_000, help="the synthetic graph's size")
    parser.add_argument("--runs", type=int, default=5, help="openings of each page (the median is shown)")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks-site.md")
    parser.add_argument("--reuse", action="store_true", help="measure the sites built by the last run again")
    args = parser.parse_args()
    machine = describe_machine()
    WORK.mkdir(exist_ok=True)
    projects = {"bundled": ROOT, f"synthetic {args.memberships // 1000}k": generate_project(args.memberships)}
    builds, rows, browser = {}, [], "?"
    for name, project in projects.items():
        site, builds[name] = build_site(name.split()[-1], project, args.reuse)
        print(f"{name}: built in {builds[name]['load_s'] + builds[name]['visualize_s']:.0f} s", flush=True)
        for label, kind, path in choose_pages(site):
            measured, browser = measure_page(name, label, kind, path, args.runs)
            rows.append(measured)
            print(format_row(measured), flush=True)
    print(write_report(args.report, machine, browser, args.runs, builds, rows))


if __name__ == "__main__":
    main()
