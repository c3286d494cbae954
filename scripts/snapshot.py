"""Record what citynet answers, through its command line only, so two versions can be compared.

Writes into OUT: every named query's rows (JSON) with its example parameters, a sorted N-Quads
dump of the store, and the site's page list. A refactoring keeps behaviour when two snapshots, one
taken before and one after, are identical:

    python scripts/snapshot.py /tmp/before        # on the old commit
    python scripts/snapshot.py /tmp/after         # on the new one
    diff -r /tmp/before /tmp/after && echo same

Only the ``citynet`` command is used (the ``python -m citynet`` of the checkout's interpreter), so the
script works whatever the package's inside looks like.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> bytes:
    """Run ``python -m citynet ARGS`` in the checkout; its stdout (a failure stops the script)."""
    command = [sys.executable, "-m", "citynet", *args]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    if done.returncode != 0:
        sys.exit(f"citynet {' '.join(args)} failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def read_examples(path: Path) -> dict[str, str]:
    """A named query's example parameters, from its ``#+`` header."""
    header = "\n".join(
        line[2:] for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#+")
    )
    params = (yaml.safe_load(header) or {}).get("params") or []
    return {p["name"]: str(p["example"]) for p in params if p.get("example") is not None}


def snapshot(out: Path) -> None:
    """Take the snapshot into ``out`` (created; must not exist)."""
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as work:
        store = str(Path(work) / "store")
        run("load", "--store", store)
        for path in sorted((ROOT / "queries").glob("*.rq")):
            examples = read_examples(path).items()
            params = [arg for key, value in examples for arg in ("--param", f"{key}={value}")]
            rows = json.loads(run("query", path.stem, *params, "--format", "json", "--store", store))
            (out / f"query-{path.stem}.json").write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n")
        quads = run("dump", "--format", "nquads", "--store", store).decode().splitlines()
        (out / "store.nq").write_text("\n".join(sorted(set(quads))) + "\n")
        site = Path(work) / "site"
        run("visualize", "-o", str(site), "--store", store)
        pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
        (out / "site-pages.txt").write_text("\n".join(pages) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the snapshot into (must not exist)")
    snapshot(parser.parse_args().out)


if __name__ == "__main__":
    main()
