"""Write docs/extraction.md: how well ``citynet extract`` does on the development set, the seeds and
the Norwegian texts.

Usage::

    .venv/bin/python scripts/extraction_report.py                  # rewrite docs/extraction.md
    .venv/bin/python scripts/extraction_report.py --check          # exit 1 if it is out of date
    .venv/bin/python scripts/extraction_report.py --dev DIR --seeds DIR --norwegian DIR --out FILE

Each set is scored by ``citynet.api.extract_evaluate(folder)``, which extracts every page the folder's
expectations list and returns :class:`citynet.extract.evaluate.Scores` (the development set:
``../shared/extraction-dev`` with its ``expected.yaml``; the seeds: ``../shared/seeds`` with the
facts of ``graph/*.yaml``; the Norwegian set: ``tests/data/extraction-no``, texts citynet's
developers wrote, because the development set has no Norwegian page). :func:`write_report` takes
any such callable, so the report can be made before the API is there (and the tests give it a fixed
one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from citynet.errors import CitynetError
from citynet.extract.evalreport import escape, render_report
from citynet.extract.evaluate import Scores

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "extraction.md"
# ../shared beside the checkout; CITYNET_SHARED names another (a worktree), as for the tests.
SHARED = Path(os.environ.get("CITYNET_SHARED") or ROOT.parent / "shared")
DEV = SHARED / "extraction-dev"
SEEDS = SHARED / "seeds"
NORWEGIAN = ROOT / "tests" / "data" / "extraction-no"
NORWEGIAN_NAME = "Norwegian: self-written texts, not real pages (tests/data/extraction-no)"
NORWEGIAN_NOTE = (
    "Three texts citynet's developers wrote in Norwegian (Bokmål), restating the facts of the source\n"
    "rows their README cites, because the development set has no Norwegian page. They are not real\n"
    "pages: the figures show that Norwegian is handled, not how well real Norwegian pages are.\n"
)
COMMAND = "python scripts/extraction_report.py"

Evaluate = Callable[[Path], Scores]


def find_evaluate() -> Evaluate:
    """``citynet.api.extract_evaluate``, or a clear error while it is not written."""
    from citynet import api

    evaluate = getattr(api, "extract_evaluate", None)
    if evaluate is None:
        raise CitynetError("citynet.api has no extract_evaluate yet - give write_report a callable")
    # As on a fresh clone before any load: the registry is the hand-written fact files' networks, so
    # the report does not change with whatever store the checkout holds.
    no_store = ROOT / ".citynet" / "no-store-for-the-extraction-report"
    return lambda folder: evaluate(folder, None, no_store)


def make_report(evaluate: Evaluate, dev: Path = DEV, seeds: Path = SEEDS, norwegian: Path = NORWEGIAN) -> str:
    """The report's text: the three sets scored by ``evaluate``, named by their folders."""
    sets = []
    for name, folder in (
        ("development set (../shared/extraction-dev)", dev),
        ("seeds (../shared/seeds)", seeds),
        (NORWEGIAN_NAME, norwegian),
    ):
        if not folder.is_dir():
            raise CitynetError(f"{folder}: no such folder - the report needs all three sets")
        scores = evaluate(folder)
        scores.name = name
        sets.append(scores)
    return add_note(render_report(sets, COMMAND), f"## {escape(NORWEGIAN_NAME)}\n\n", NORWEGIAN_NOTE)


def add_note(report: str, heading: str, note: str) -> str:
    """The report with ``note`` (and a blank line) right under ``heading``.

    >>> add_note("# R\\n\\n## A\\n\\n1 page.\\n", "## A\\n\\n", "Made up.\\n")
    '# R\\n\\n## A\\n\\nMade up.\\n\\n1 page.\\n'
    """
    return report.replace(heading, f"{heading}{note}\n", 1)


def write_report(
    evaluate: Evaluate, out: Path = REPORT, dev: Path = DEV, seeds: Path = SEEDS, norwegian: Path = NORWEGIAN
) -> Path:
    """Write the report to ``out`` (whole, or not at all) and return its path."""
    text = make_report(evaluate, dev, seeds, norwegian)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)
    return out


def main(argv: list[str] | None = None, evaluate: Evaluate | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV, help="the development set (expected.yaml and pages)")
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="the seed pages")
    parser.add_argument("--norwegian", type=Path, default=NORWEGIAN, help="the Norwegian self-written texts")
    parser.add_argument("--out", type=Path, default=REPORT, help="the report to write")
    parser.add_argument("--check", action="store_true", help="exit 1 if the report is out of date")
    args = parser.parse_args(argv)
    try:
        evaluate = evaluate or find_evaluate()
        if args.check:
            fresh = make_report(evaluate, args.dev, args.seeds, args.norwegian)
            old = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
            if fresh != old:
                print(f"{args.out} is out of date - run: .venv/bin/{COMMAND}", file=sys.stderr)
                return 1
            return 0
        print(write_report(evaluate, args.out, args.dev, args.seeds, args.norwegian))
    except (CitynetError, OSError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
