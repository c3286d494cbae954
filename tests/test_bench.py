"""The benchmark's smoke test: the smallest size runs through and every engine gives the same answers.

No time is asserted here (timings belong in docs/benchmarks.md, from `make bench`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.slow  # a benchmark run: three minutes; the README's test command (and CI) runs it
def test_bench_runs_and_engines_agree(tmp_path) -> None:
    report = tmp_path / "benchmarks.md"
    command = [
        sys.executable,
        "bench/run.py",
        "--sizes",
        "bundled,10000",
        "--runs",
        "1",
        "--bound",
        "3",
        "--at-once",  # two passes at a time: the smoke test in less time
        "2",
        "--report",
        str(report),
    ]
    work = tmp_path / "bench"  # not .bench/, where a `make bench` may be running
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CITYNET_BENCH_WORK": str(work)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    size = json.loads((work / "results-10000.json").read_text())
    assert size["load"]["citynet"]["memberships"] == 10_000
    engines = size["queries"]["engines"]
    for engine in ("citynet", "oxigraph-disk", "oxigraph-memory", "server"):
        assert "error" not in engines[engine], engines[engine]
    fast = {"citynet", "oxigraph-disk", "oxigraph-memory", "server"}
    for case in engines["citynet"]["cases"]:
        answers = {
            name: e["cases"][case]["answer"]
            for name, e in engines.items()
            if "answer" in e.get("cases", {}).get(case, {})
        }
        assert fast <= answers.keys(), (case, answers.keys())
        assert len(set(answers.values())) == 1, (case, sorted(answers))  # rdflib too where it finished
    assert size["graphs"]["projection"]["identical_weights"]
    assert size["graphs"]["networkx_alone"]["edges"] == size["graphs"]["projection"]["pairs"]
    assert size["graphs"]["city-city"]["edges"] == size["graphs"]["projection"]["pairs"]  # same pairs
    text = report.read_text()
    assert "## 10,000 memberships" in text
    bundled = json.loads((work / "results-bundled.json").read_text())  # this checkout's graph/, as loaded
    assert bundled["load"]["counts"]["memberships"] == bundled["generated"]["counts"]["memberships"] > 8_000
    assert {case["label"] for case in bundled["queries"]["cases"]} >= {"hub", "typical", "2014"}
    assert "## The bundled graph: keep.eu and URBACT" in text


def test_a_query_past_its_limit_is_recorded_and_the_pass_goes_on(seed_store, tmp_path, monkeypatch) -> None:
    """A pass that gives up on a query ends its process (only that stops pyoxigraph); the runner
    starts it again and it carries on from the answers it saved."""
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    monkeypatch.setattr(run, "WORK", tmp_path)
    steps = run.Steps(1, resume=False)
    cases = [
        {"query": "sources", "label": "", "params": {}, "terms": {}},
        {"query": "calls", "label": "", "params": {}, "terms": {}},
    ]
    args = [json.dumps(cases), "1", "1", "0"]  # a limit of 0 s: every query is over it
    answers = run.run_pass(steps, ["citynet", "oxigraph-disk"], [str(seed_store), str(seed_store)], args)
    over = {"error": "over 0 s"}
    assert answers["citynet"]["cases"] == {"sources": over, "calls": over}
    assert answers["oxigraph-disk"]["cases"] == {"sources": over, "calls": over}
    assert (tmp_path / "steps-1" / "queries-citynet+oxigraph-disk.json").exists()


def test_engines_take_turns_and_agree(seed_store, tmp_path, monkeypatch) -> None:
    """Two engines in one pass: each case answered by both, a quick one timed more than --runs times."""
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    monkeypatch.setattr(run, "WORK", tmp_path)
    steps = run.Steps(1, resume=False)
    cases = [{"query": "sources", "label": "", "params": {}, "terms": {}}]
    args = [json.dumps(cases), "3", "60", "600"]
    answers = run.run_pass(steps, ["citynet", "oxigraph-disk"], [str(seed_store), str(seed_store)], args)
    mine, raw = answers["citynet"]["cases"]["sources"], answers["oxigraph-disk"]["cases"]["sources"]
    assert mine["runs"] > 3 and raw["runs"] > 3  # milliseconds each: runs until they add up to 1 s
    assert mine["answer"] == raw["answer"]
    assert mine["rows"] == 5  # the seed's five source documents


def test_quick_queries_run_until_a_second_slow_ones_within_the_bound() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import worker

    assert worker.count_repeats(0.002, 5, 30.0) == 100  # 500 would fit in a second: capped
    assert worker.count_repeats(0.1, 5, 30.0) == 10  # ten of 0.1 s make a second
    assert worker.count_repeats(1.0, 5, 30.0) == 5  # --runs
    assert worker.count_repeats(10.0, 5, 30.0) == 3  # three fit in the bound
    assert worker.count_repeats(40.0, 5, 30.0) == 0  # timed by its warm-up alone
    assert worker.count_repeats(0.002, 1, 3.0) == 1  # the smoke run
