"""``citynet extract`` speed: start-up (gazetteer, models) and pages a second after it.

    .venv/bin/python bench/extract_speed.py --report docs/benchmarks-extract.md

Start-up is measured in a child process of its own under GNU time (wall seconds and peak RSS): it
starts the extractor as ``citynet extract`` does (the gazetteer, the registry of the fact files) and
reads and proposes one page, so every model the first page needs is loaded. It runs twice: cold,
with the start-up caches of the checkout's ``.citynet/cache/`` removed first (the first run after a
change of the fact files or of a dependency builds the gazetteer and unpacks the language model, and
caches them), then warm (every later run loads them). The goal is for the warm start, the ordinary
case. Throughput is measured in a third child: the extractor started once, then every page of
../shared/extraction-dev and ../shared/seeds (``CITYNET_SHARED`` names another folder) read and
proposed, ``--rounds`` times; pages a second count pages of 2,000 characters (the goal's unit).
Beside it, in the same run, reading alone (``read_document``) and finding alone (the extractor on
text already read) show where the time goes. Goals (issue 19): start-up at most 5 s and 1 GB; at
least 10 pages of 2,000 characters a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

from publish_scale import WORK
from publish_scale import timed as run_timed

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CITYNET_SHARED") or ROOT.parent / "shared")
CACHES = ("gazetteer-*.marshal", "langid-*.npz")  # in ROOT/.citynet/cache: removed for a cold start
FOLDERS = (SHARED / "extraction-dev", SHARED / "seeds")
PAGE = 2000  # characters in the goal's page

START = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from citynet.extract.pipeline import start_extractor
from citynet.extract.reading import read_document
from citynet.extract.registry import read_registry_files
extractor = start_extractor(Path("."), read_registry_files(Path("graph")))
ready = time.perf_counter()
document = read_document(Path(sys.argv[1]))
read = time.perf_counter()
extractor.propose(document)
done = time.perf_counter()
print(json.dumps({"start": ready - started, "read": read - ready, "propose": done - read,
                  "language": document.language}))
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
    """Run ``code`` in a child Python under GNU time (publish_scale's): its stdout, wall seconds, peak MB."""
    seconds, peak_mb, stdout = run_timed([sys.executable, "-c", code, *args])
    return stdout.strip(), seconds, peak_mb


def describe_machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} at the start"
    )


def measure(rounds: int) -> dict[str, Any]:
    files = sorted(str(p) for folder in FOLDERS for p in folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"no pages in {', '.join(map(str, FOLDERS))} (../shared beside the checkout)")
    WORK.mkdir(exist_ok=True)
    for pattern in CACHES:
        for cached in (ROOT / ".citynet" / "cache").glob(pattern):
            cached.unlink()
    starts = {}
    for kind in ("cold", "warm"):
        out, wall, peak_mb = timed(START, files[0])
        starts |= {f"{kind}_{k}": v for k, v in json.loads(out).items()}
        starts |= {f"{kind}_seconds": wall, f"{kind}_mb": peak_mb}
    out, _, run_mb = timed(RUN, str(rounds), *files)
    run = json.loads(out)
    pages = run["chars"] / PAGE
    return starts | {
        "first_page": Path(files[0]).name,
        "files": len(files),
        "rounds": rounds,
        "run_mb": run_mb,
        "pages": pages,
        "reading": run["reading"],
        "finding": run["finding"],
        "warming": run["warming"],
        "languages": run["languages"],
        "pages_per_second": pages / (run["reading"] + run["finding"]),
    }


def render(figures: dict[str, Any], machine: str) -> str:
    f = figures
    total = f["reading"] + f["finding"]
    rows = [
        ("start-up, warm (every run after the first; one page)", f"{f['warm_seconds']:.2f} s", "≤ 5 s"),
        ("peak memory at start-up, warm", f"{f['warm_mb']:.0f} MB", "≤ 1 GB"),
        ("start-up, cold (the first run: caches built)", f"{f['cold_seconds']:.2f} s", ""),
        ("peak memory at start-up, cold", f"{f['cold_mb']:.0f} MB", ""),
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

Start-up is measured twice in a child process of its own, reading and proposing one page
({f["first_page"]}, language {f["warm_language"]}). Cold: the start-up caches in `.citynet/cache/`
removed first, as on the first run after the fact files or a dependency change; the gazetteer is
built from GeoNames and the fact files and the language model unpacked, and both are cached. Warm:
every later run, which loads them. The goal is for the warm start. Within the child (after the
interpreter starts), cold / warm: the extractor (gazetteer, registry) {f["cold_start"]:.2f} s /
{f["warm_start"]:.2f} s; reading the page (the language model, identification)
{f["cold_read"]:.2f} s / {f["warm_read"]:.2f} s; proposing it {f["cold_propose"]:.2f} s /
{f["warm_propose"]:.2f} s, with the dictionaries of the page's language (simplemma's; for Polish
morfeusz2's, loaded with the gazetteer), a cost a run pays once per language it meets.

The throughput run read and proposed {f["files"]} pages (../shared/extraction-dev and
../shared/seeds, {f["languages"]:.0f} languages) {f["rounds"]} times: {f["pages"]:.0f} pages of
2,000 characters in {total:.2f} s, of which reading (`read_document`: kind, text, language) took
{f["reading"]:.2f} s and finding and assembling the facts {f["finding"]:.2f} s. Apart from that,
the first page of each language loaded its dictionaries (simplemma's; morfeusz2's for Polish):
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
