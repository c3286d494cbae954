"""``make bench-real`` (and the last section of ``make bench``): citynet on the real keep.eu export.

    python bench/realdata.py [--shared ../shared] [--report docs/benchmarks-real.md]

In a fresh project made of the checkout's seed pages, each step runs as a ``citynet`` command in a
child process of its own, timed with its peak RSS: the import of the keep.eu export of closed
2014-2020 projects (``import keep-eu``), of the URBACT network pages (``import table``), the load of
the whole graph, every named query with its example parameters, ``analyze city-city`` and
``visualize`` (pages, largest page). Resolution rates by country come from the imported fact file:
a member is resolved when it carries a GeoNames id. Times are context for one machine, described
in the report; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from run import describe_machine  # noqa: E402

from citynet.query.queries import read_queries  # noqa: E402

CITYNET = [sys.executable, "-m", "citynet"]
KEEP = Path("data/keep-eu/keep_closed_1420.xlsx")
PAGES = Path("data/urbact-pages/networks_from_pages.csv")
MAPPING = ROOT / "graph" / "mappings" / "urbact-pages.yaml"


def run_step(*args: str | Path, cwd: Path) -> dict[str, Any]:
    """Run ``citynet ARGS``: seconds, the child's peak RSS in MB, its output; fails on exit != 0."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([*CITYNET, *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise SystemExit(f"citynet {' '.join(map(str, args))} failed: {done.stderr.strip()[-500:]}")
    return {"seconds": seconds, "peak_mb": max(peak, before) / 1024, "stdout": done.stdout}


def make_project(folder: Path) -> Path:
    """The checkout's seed pages (its graph/ without imports), with its ontology and queries."""
    for name in ("graph", "ontology", "queries"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("imported", "enrichment"))
    return folder


def count_resolution(fact_file: Path) -> dict[str, Counter]:
    """Members resolved (with a GeoNames id) and not, by country, from an imported fact file."""
    data = yaml.load(
        fact_file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )
    counts: dict[str, Counter] = {"resolved": Counter(), "all": Counter()}
    for network in data.get("networks") or []:
        for member in network.get("members") or []:
            country = member.get("country") or "?"
            counts["all"][country] += 1
            counts["resolved"][country] += "geonames" in member
    return counts


def measure_queries(project: Path, store: Path) -> list[dict[str, Any]]:
    """Every named query with its example parameters, in a child process each."""
    rows = []
    for name, query in sorted(read_queries(project / "queries").items()):
        params = [f"{p.name}={p.example}" for p in query.params if p.example is not None]
        args = ["query", name, "--store", store, "--format", "csv"]
        for param in params:
            args += ["--param", param]
        step = run_step(*args, cwd=project)
        rows.append({"query": " ".join([name, *params]), **step, "rows": step["stdout"].count("\n") - 1})
    return rows


def measure_site(project: Path, store: Path) -> dict[str, Any]:
    site = project / "site"
    step = run_step("visualize", "--store", store, "-o", site, cwd=project)
    pages = list(site.rglob("*.html"))
    largest = max(pages, key=lambda p: p.stat().st_size)
    return {
        **step,
        "pages": len(pages),
        "largest": str(largest.relative_to(site)),
        "bytes": largest.stat().st_size,
    }


def measure(shared: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="citynet-real-") as folder:
        project = make_project(Path(folder) / "project")
        store = Path(folder) / "store"
        steps: dict[str, Any] = {"machine": describe_machine()}
        steps["import_keep"] = run_step("import", "keep-eu", shared / KEEP, "--project", project, cwd=project)
        imported = sorted((project / "graph" / "imported").glob("*.yaml"))
        steps["resolution"] = count_resolution(next(p for p in imported if "keep" in p.name))
        steps["review_rows"] = sum(
            max(0, len(p.read_text(encoding="utf-8").splitlines()) - 1)
            for p in (project / "graph" / "imported").glob("*.unresolved.csv")
        )
        if MAPPING.is_file():
            steps["import_pages"] = run_step(
                "import", "table", shared / PAGES, "--mapping", MAPPING, "--project", project, cwd=project
            )
        steps["load"] = run_step("load", "--project", project, "--store", store, cwd=project)
        steps["queries"] = measure_queries(project, store)
        steps["analyze"] = run_step("analyze", "city-city", "--store", store, cwd=project)
        steps["analyze_bipartite"] = run_step("analyze", "bipartite", "--store", store, cwd=project)
        steps["site"] = measure_site(project, store)
        return steps


def write_report(steps: dict[str, Any], path: Path) -> None:
    machine = steps["machine"]
    lines = [
        "# Benchmarks on the real keep.eu export",
        "",
        "Written by `make bench-real` (`bench/realdata.py`); do not edit by hand.",
        "",
        f"Run on {time.strftime('%Y-%m-%d')}: {machine['cores']} cores ({machine['cpu']}), "
        f"{machine['memory_gib']} GiB, Python {machine['python']}. Each step is one `citynet` command "
        "in a child process; peak RSS is the largest of the children so far. "
        "One run each: context, not a target.",
        "",
        "| step | seconds | peak RSS (MB) | output |",
        "|---|---|---|---|",
    ]
    for key in ("import_keep", "import_pages", "load", "analyze", "analyze_bipartite"):
        if key in steps:
            step = steps[key]
            last = step["stdout"].strip().splitlines()[-1] if key.startswith(("import", "load")) else ""
            shown = re.sub(r"\S*/citynet-real-[^/]+/", "", last)[:120]  # the temporary folder left out
            lines.append(f"| {key} | {step['seconds']:.1f} | {step['peak_mb']:.0f} | {shown} |")
    site = steps["site"]
    lines.append(
        f"| visualize | {site['seconds']:.1f} | {site['peak_mb']:.0f} | {site['pages']:,} pages; largest "
        f"{site['largest']} ({site['bytes']:,} bytes) |"
    )
    resolved, every = steps["resolution"]["resolved"], steps["resolution"]["all"]
    total_resolved, total = sum(resolved.values()), sum(every.values())
    lines += [
        "",
        f"## Places: {total_resolved:,} of {total:,} keep.eu members resolved "
        f"({100 * total_resolved / max(total, 1):.1f} %); review list {steps['review_rows']:,} rows",
        "",
        "| country | members | resolved | % |",
        "|---|---|---|---|",
    ]
    for country, n in every.most_common():
        lines.append(f"| {country} | {n:,} | {resolved[country]:,} | {100 * resolved[country] / n:.1f} |")
    lines += ["", "## Named queries on the real graph", "", "| query | seconds | rows |", "|---|---|---|"]
    for row in steps["queries"]:
        lines.append(f"| {row['query']} | {row['seconds']:.2f} | {row['rows']:,} |")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("CITYNET_SHARED", ROOT.parent / "shared"))
    )
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks-real.md")
    args = parser.parse_args()
    steps = measure(args.shared.resolve())
    write_report(steps, args.report)
    print(f"Wrote {args.report}")


if __name__ == "__main__":
    main()
