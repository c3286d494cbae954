"""``citynet extract`` speed: start-up (gazetteer, models) and pages a second after it.

    .venv/bin/python bench/extract_speed.py --report docs/benchmarks-extract.md

Start-up is measured in a child process of its own under GNU time (wall seconds and peak RSS): it
starts the extractor as ``citynet extract`` does (the gazetteer, the registry of the fact files) and
reads one page, so every model the first page needs is loaded. Throughput is measured in a second
child: the extractor started once, then every page of ../shared/extraction-dev and ../shared/seeds
read and proposed, ``--rounds`` times; pages a second count pages of 2,000 characters (the goal's
unit). Beside it, in the same run, reading alone (``read_document``) and finding alone (the
extractor on text already read) show where the time goes. Goals (issue 19): start-up at most 5 s
and 1 GB; at least 10 pages of 2,000 characters a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FOLDERS = (SHARED / "extraction-dev", SHARED / "seeds")
PAGE = 2000  # characters in the goal's page

START = """
import sys, time
from pathlib import Path
started = time.perf_counter()
from citynet.extract.pipeline import start_extractor
from citynet.extract.reading import read_document
from citynet.extract.registry import read_registry_files
extractor = start_extractor(Path("."), read_registry_files(Path("graph")))
extractor.propose(read_document(Path(sys.argv[1])))
print(time.perf_counter() - started)
"""

RUN = """
import json, sys, time
from collections import defaultdict
from pathlib import Path
from citynet.extract.pipeline import start_extractor
from citynet.extract.reading import read_document
from citynet.extract.registry import read_registry_files
files = [Path(f) for f in sys.argv[2:]]
rounds = int(sys.argv[1])
extractor = start_extractor(Path("."), read_registry_files(Path("graph")))
started = time.perf_counter()
documents = [read_document(f) for f in files for _ in range(rounds)]
reading = time.perf_counter() - started
by_language = defaultdict(list)
for document in documents:
    by_language[document.language].append(document)
finding = warming = 0.0
for language, group in sorted(by_language.items()):
    started = time.perf_counter()
    extractor.propose(group[0])  # the language's dictionaries loaded: timed apart
    warming += time.perf_counter() - started
    started = time.perf_counter()
    for document in group:
        extractor.propose(document)
    finding += time.perf_counter() - started
chars = sum(len(d.text) for d in documents)
print(json.dumps({"reading": reading, "finding": finding, "warming": warming, "chars": chars,
                  "languages": len(by_language)}))
"""


def timed(code: str, *args: str) -> tuple[str, float, float]:
    """Run ``code`` in a child Python under GNU time: (its stdout, wall seconds, peak MB)."""
    report = ROOT / ".bench" / "extract-time.txt"
    report.parent.mkdir(exist_ok=True)
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(report), sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the benchmark's child failed: {done.stderr.strip().splitlines()[-1:]}")
    return done.stdout.strip(), seconds, int(report.read_text().strip().splitlines()[-1]) / 1024


def describe_machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} at the start"
    )


def measure(rounds: int) -> dict[str, float]:
    files = sorted(str(p) for folder in FOLDERS for p in folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"no pages in {', '.join(map(str, FOLDERS))} (../shared beside the checkout)")
    _, start_wall, start_mb = timed(START, files[0])
    out, _, run_mb = timed(RUN, str(rounds), *files)
    run = json.loads(out)
    pages = run["chars"] / PAGE
    return {
        "files": len(files),
        "rounds": rounds,
        "start_seconds": start_wall,
        "start_mb": start_mb,
        "run_mb": run_mb,
        "pages": pages,
        "reading": run["reading"],
        "finding": run["finding"],
        "warming": run["warming"],
        "languages": run["languages"],
        "pages_per_second": pages / (run["reading"] + run["finding"]),
    }


def render(figures: dict[str, float], machine: str) -> str:
    f = figures
    total = f["reading"] + f["finding"]
    rows = [
        ("start-up (gazetteer, registry, models; one page)", f"{f['start_seconds']:.2f} s", "≤ 5 s"),
        ("peak memory at start-up", f"{f['start_mb']:.0f} MB", "≤ 1 GB"),
        ("pages of 2,000 characters a second, read and proposed", f"{f['pages_per_second']:.1f}", "≥ 10"),
        ("peak memory of the throughput run", f"{f['run_mb']:.0f} MB", ""),
    ]
    table = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    return f"""# Extraction speed

Generated by `make bench-extract` (`bench/extract_speed.py`) on {dt.date.today().isoformat()}; do not edit.

Machine: {machine}.

| what | measured | goal |
|---|---|---|
{table}

The throughput run read and proposed {f["files"]} pages (../shared/extraction-dev and
../shared/seeds, {f["languages"]:.0f} languages) {f["rounds"]} times: {f["pages"]:.0f} pages of
2,000 characters in {total:.2f} s, of which reading (`read_document`: kind, text, language) took
{f["reading"]:.2f} s and finding and assembling the facts {f["finding"]:.2f} s. Apart from that,
the first page of each language loaded its dictionaries (simplemma's, morfeusz2's for Polish):
{f["warming"]:.2f} s for the {f["languages"]:.0f} languages together, a cost a run pays once per
language it meets (`citynet extract` proposes a batch's pages one language after another, as
simplemma keeps eight languages loaded).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="times every page is read and proposed")
    parser.add_argument("--report", type=Path, help="write the Markdown report here")
    args = parser.parse_args(argv)
    machine = describe_machine()
    figures = measure(args.rounds)
    text = render(figures, machine)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
