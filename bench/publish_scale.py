"""``citynet publish`` at scale, beside ``citynet dump --format nquads`` of the same store.

    .venv/bin/python bench/publish_scale.py --memberships 100000 --report docs/benchmarks-publish.md

Generates the synthetic project (``bench/generate.py``) and loads it once (kept in ``.bench/``),
then runs, each in a child process of its own so its peak RSS is its own (GNU time's maximum
resident set size): the dump (median of three runs) and the publish (one run; the goal is at most
five times the dump's time and at most 2 GB). Resources per second counts the things given
documents (one HTML and four RDF files each).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".bench"
CITYNET = [sys.executable, "-m", "citynet"]


def timed(command: list[str]) -> tuple[float, float, str]:
    """Run ``command`` under GNU time: (wall seconds, peak MB, its stdout)."""
    report = WORK / "time.txt"
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(report), *command],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.strip().splitlines()[-1:]}")
    peak_kb = int(report.read_text().strip().splitlines()[-1])
    return seconds, peak_kb / 1024, done.stdout


def prepare(memberships: int) -> Path:
    """The loaded store of the synthetic project of that size (made once)."""
    project = WORK / f"publish-{memberships // 1000}k"
    store = WORK / f"publish-{memberships // 1000}k-store"
    if not (project / "graph").is_dir():
        subprocess.run(
            [sys.executable, "bench/generate.py", "--memberships", str(memberships), "-o", str(project)],
            check=True,
            cwd=ROOT,
        )
    if not store.exists():
        load = [*CITYNET, "load", "--project", str(project), "--store", str(store)]
        subprocess.run(load, check=True, cwd=ROOT)
    return store


def count_documents(folder: Path) -> int:
    """Things given documents: their Turtle files outside dumps/."""
    described = ("void.ttl", "dcat.ttl")
    turtle = [path for path in folder.rglob("*.ttl") if "dumps" not in path.parts]
    return sum(1 for path in turtle if path.name not in described)


def write_files(count: int, size: int) -> float:
    """Seconds to write ``count`` files of ``size`` bytes (a thousand a folder) and nothing else:
    the floor under any static site of that many files on this disk."""
    root = WORK / "floor"
    shutil.rmtree(root, ignore_errors=True)
    data = b"x" * size
    started = time.perf_counter()
    for number in range(count):
        folder = root / str(number // 1000)
        if number % 1000 == 0:
            folder.mkdir(parents=True)
        (folder / f"{number}.ttl").write_bytes(data)
    seconds = time.perf_counter() - started
    shutil.rmtree(root)
    return seconds


def describe_machine() -> str:
    """One line on the machine and its load."""
    load = os.getloadavg()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"Python {platform.python_version()}, load average {load[0]:.2f} at start"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--memberships", type=int, default=100_000)
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks-publish.md")
    args = parser.parse_args()
    machine = describe_machine()
    store = prepare(args.memberships)
    dumps = []
    for _ in range(3):
        target = WORK / "dump.nq"
        dump = [*CITYNET, "dump", "--store", str(store), "--format", "nquads", "-o", str(target)]
        dumps.append(timed(dump))
    dump_seconds = statistics.median(seconds for seconds, _, _ in dumps)
    dump_peak = max(peak for _, peak, _ in dumps)
    folder = WORK / "published"
    shutil.rmtree(folder, ignore_errors=True)
    command = [*CITYNET, "publish", "--store", str(store), "-o", str(folder), "--release", "2026-12-04"]
    seconds, peak, out = timed(command)
    documents = count_documents(folder)
    files = [p for p in folder.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    shutil.rmtree(folder)
    floor = write_files(len(files), size // max(len(files), 1))
    lines = [
        "# `citynet publish` at scale",
        "",
        f"Measured {dt.date.today().isoformat()} by `bench/publish_scale.py` on {machine}.",
        f"The synthetic project of {args.memberships:,} memberships (`bench/generate.py`), loaded once.",
        "",
        "| step | seconds | peak MB | ratio to dump |",
        "|---|---:|---:|---:|",
        f"| `citynet dump --format nquads` (median of 3) | {dump_seconds:.1f} | {dump_peak:.0f} | 1.0 |",
        f"| `citynet publish` | {seconds:.1f} | {peak:.0f} | {seconds / dump_seconds:.1f} |",
        f"| writing {len(files):,} files of the same mean size, nothing else | {floor:.1f} | | "
        f"{floor / dump_seconds:.1f} |",
        "",
        f"Publish takes {seconds / floor:.1f} times as long as writing its files' bytes alone. A static "
        "site has a file per document (five per thing), so its floor on this disk is the last row, "
        "not the dump's one file.",
        "",
        f"Publish wrote {documents:,} documented resources ({documents / seconds:,.0f} resources/s), "
        f"{size / 2**20:,.0f} MiB in all. Goals: publish at most 5 times the dump's time, "
        "peak at most 2,048 MB.",
        "",
        f"`citynet publish` printed: {out.strip()}",
        "",
    ]
    args.report.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
