"""Write ``docs/benchmarks.md`` from a benchmark run's results: tables, ratios, targets.

The analysis below the tables (``bench/analysis.md``) and the visualisation figures
(``bench/visualisation.md``, measured by ``bench/visualize_scale.py``) are copied in as they are.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

ENGINES = ("citynet", "oxigraph-disk", "oxigraph-memory", "rdflib", "server")
ANALYSIS = Path(__file__).resolve().parent / "analysis.md"
VISUALISATION = Path(__file__).resolve().parent / "visualisation.md"  # from bench/visualize_scale.py


def fmt(value: float | None, digits: int = 3) -> str:
    """A number for a table cell.

    >>> fmt(0.12345), fmt(None), fmt(1234.5, 0)
    ('0.123', '—', '1,234')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def geometric_mean(values: list[float]) -> float | None:
    good = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in good) / len(good)) if good else None


def describe_machine(machine: dict[str, Any], runs: int, give_up: float, at_once: int) -> list[str]:
    packages = ", ".join(f"{k} {v}" for k, v in machine["packages"].items())
    return [
        f"Run on {dt.date.today().isoformat()}: {machine['cores']} cores ({machine.get('cpu', '?')}), "
        f"{machine['memory_gib']} GiB, "
        f"{machine['system']} ({machine['machine']}), Python {machine['python']}; {packages}. "
        f"Each query time is the median of {runs} runs after a warm-up (a quick query's runs go on "
        "until they add up to a second, at most 100 of them; a slow query is repeated only "
        "as often as fits in the size's bound, and a query slower than that is timed once, by its first "
        "run; rdflib's are abandoned after twice the bound). A load is repeated as often as fits in "
        f"600 s, at most {runs} times; a graph, the membership rows and the SPARQL self-join (taking "
        f"turns) as often as fits in 60 s, at most {runs} times. rdflib is measured at 10k only, "
        "the Oxigraph server at 10k, raw pyoxigraph in memory answers the queries up to 100k, "
        "the SPARQL self-join runs up to 100k. citynet and raw pyoxigraph on disk answer in one "
        "pass, taking turns case by case and run by run, so that a passing load falls on both sides "
        "of their ratio; that pass, the other engines' and the graph step run "
        f"{at_once} at a time, one per core; loads run one at a time. A query still running after "
        f"{give_up / 60:.0f} minutes is recorded as over it. Peak RSS is the measuring "
        "process's own. The machine is shared and noisy: read the ratios, not the absolute times."
    ]


def load_table(size: dict[str, Any]) -> list[str]:
    load = size["load"]
    raw = load["oxigraph-disk"].get("seconds")
    lines = [
        "| engine | seconds | runs | quads/s | peak RSS (MB) | ÷ raw pyoxigraph (disk) |",
        "|---|---|---|---|---|---|",
    ]
    for engine in ("citynet", "oxigraph-disk", "oxigraph-memory", "rdflib"):
        if engine not in load:
            continue
        row = load[engine]
        if "error" in row:
            lines.append(f"| {engine} | {row['error']} | | | | |")
            continue
        lines.append(
            f"| {engine} | {fmt(row['seconds'])} | {row.get('runs', '?')} | "
            f"{fmt(load['quads'] / row['seconds'], 0)} | "
            f"{fmt(row['peak_mb'], 0)} | {fmt(ratio(row['seconds'], raw), 2)} |"
        )
    return lines


def same_answers(cells: dict[str, dict[str, Any]]) -> str:
    """ "yes" when every engine that answered gave the same rows, "—" when fewer than two answered."""
    answers = [c["answer"] for c in cells.values() if "answer" in c]
    if len(answers) < 2:
        return "—"
    return "yes" if len(set(answers)) == 1 else "NO"


def query_rows(size: dict[str, Any]) -> tuple[list[str], dict[str, list[float]], dict[str, int]]:
    """The query table's lines, the ratios per kind, and how many cases each engine has no answer for."""
    engines = size["queries"]["engines"]
    present = [e for e in ENGINES if e in engines]
    head = (
        "| query | "
        + " | ".join(present)
        + " | citynet ÷ disk | citynet ÷ memory | rdflib ÷ citynet | same answers |"
    )
    lines = [head, "|" + "---|" * (len(present) + 5)]
    ratios: dict[str, list[float]] = {"disk": [], "memory": [], "rdflib": []}
    keys = [f"{c['query']} {c['label']}".strip() for c in size["queries"].get("cases", [])]
    keys = keys or list(engines["citynet"].get("cases", {}))
    for key in keys:
        cells = {
            e: engines[e].get("cases", {}).get(key, {"error": engines[e].get("error") or "not measured"})
            for e in present
        }
        times = {e: c.get("seconds") for e, c in cells.items()}
        over = {
            e: float(m.group(1))
            for e, c in cells.items()
            if (m := re.match(r"over (\d+) s", c.get("error", "")))
        }
        disk, memory = (
            ratio(times["citynet"], times.get("oxigraph-disk")),
            ratio(times["citynet"], times.get("oxigraph-memory")),
        )
        slower = ratio(times.get("rdflib") or over.get("rdflib"), times["citynet"])  # a lower bound if over
        for name, value in (("disk", disk), ("memory", memory), ("rdflib", slower)):
            if value:
                ratios[name].append(value)
        shown = [fmt(times[e]) if times[e] is not None else cells[e].get("error", "?")[:30] for e in present]
        at_least = "≥ " if "rdflib" in over else ""
        lines.append(
            f"| {key} | " + " | ".join(shown) + f" | {fmt(disk, 2)} | {fmt(memory, 2)} | "
            f"{at_least}{fmt(slower, 1)} | {same_answers(cells)} |"
        )
    unanswered = {e: sum(key not in engines[e].get("cases", {}) for key in keys) for e in present}
    return lines, ratios, {**unanswered, "all": len(keys)}


def projection_seconds(projection: dict[str, Any]) -> float:
    """The projection's own time (runs before 2026-12-02 18:00 timed networkx's projection)."""
    return projection.get("projection_seconds", projection.get("networkx_seconds", 0.0))


def graph_table(size: dict[str, Any]) -> list[str]:
    graphs = size["graphs"]
    if "error" in graphs:
        return [f"Graph building failed: {graphs['error']}"]
    lines = [
        f"The SPARQL reads every graph starts from took {fmt(graphs.get('query_seconds'))} s; "
        "the times below build each graph from their results (Python and networkx only).",
        "",
        "| graph | nodes | edges | seconds | edges/s |",
        "|---|---|---|---|---|",
    ]
    for name, row in graphs.items():
        if name in ("projection", "networkx_alone", "html") or not isinstance(row, dict):
            continue
        if "skipped" in row:  # a graph not built at this size
            lines.append(f"| {name} | | | {row['skipped']} | |")
        else:
            lines.append(
                f"| {name} | {row['nodes']:,} | {row['edges']:,} | {fmt(row['seconds'])} | "
                f"{fmt(ratio(row['edges'], row['seconds']), 0)} |"
            )
    alone = graphs.get("networkx_alone")
    html = graphs.get("html", {})
    if "pages" in html:
        largest = html["largest"]
        lines += [
            "",
            f"`citynet visualize` of a filtered view ({html['filters']}), from the store to the "
            f"pages: {html['pages']:,} pages in {fmt(html['work_seconds'])} s, the largest "
            f"`{largest['path']}` with {largest['nodes']:,} nodes and {largest['edges']:,} edges.",
        ]
    elif html:
        lines += ["", f"`citynet visualize` of a filtered view: {html.get('error', 'not measured')}."]
    if alone:
        rate = fmt(ratio(alone["edges"], alone["seconds"]), 0)
        lines += [
            "",
            f"networkx alone, adding the same {alone['edges']:,} city pairs with their weights and "
            f"nothing else (`add_weighted_edges_from`), ran at {rate} edges/s: the yardstick of the "
            "graphs' build on this machine (the projections write their edges into the graph's "
            "adjacency themselves, with more attributes).",
        ]
    p = graphs["projection"]
    paired = projection_seconds(p)
    ours = p["rows_seconds"] + paired
    head = (
        f"City-city pairs: membership rows fetched in {fmt(p['rows_seconds'])} s + citynet's "
        f"projection of them (`citynet.graphs.pairs.pair_rows`) {fmt(paired)} s = {fmt(ours)} s"
    )
    if "self_join_seconds" not in p:
        return [
            *lines,
            "",
            f"{head} for {p['pairs']:,} pairs; the SPARQL self-join is not run at this "
            "size (the target is set at 100k).",
        ]
    share = fmt(ratio(ours, p["self_join_seconds"]), 2)
    alone = fmt(ratio(paired, p["self_join_seconds"]), 3)
    same = "yes" if p["identical_weights"] else "NO"
    lines += [
        "",
        f"{head}, against the SPARQL self-join listing the same {p['pairs']:,} pairs in "
        f"{fmt(p['self_join_seconds'])} s: ratio {share} (the projection alone: {alone}); "
        f"weights identical: {same}.",
    ]
    return lines


def write_size(size: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    counts = size["generated"].get("counts", {})
    lines = [
        f"## {size['size']:,} memberships ({size['load']['quads']:,} quads)",
        "",
        f"Generated: {counts.get('networks', '?'):,} networks, {counts.get('cities', '?'):,} cities, "
        f"{counts.get('sources', '?')} sources "
        f"(`bench/generate.py --memberships {size['size']} --seed 1`).",
        "",
        "### Load",
        "",
        *load_table(size),
        "",
        "### Named queries (seconds)",
        "",
        f"Repeats bounded at {size.get('bound', 60):.0f} s a query.",
        "",
    ]
    rows, ratios, unanswered = query_rows(size)
    if not size["queries"]["engines"]["citynet"].get("cases"):
        rows = [
            f"Not measured at this size ({size['queries']['engines']['citynet'].get('error', '?')}): "
            "see the analysis."
        ]
    lines += rows
    means = {k: geometric_mean(v) for k, v in ratios.items()}
    worst = fmt(max(ratios["disk"], default=None), 2)
    lines += [
        "",
        f"Geometric means: citynet ÷ raw disk {fmt(means['disk'], 2)}, citynet ÷ raw memory "
        f"{fmt(means['memory'], 2)}, rdflib ÷ citynet at least {fmt(means['rdflib'], 1)} (a query "
        "rdflib did not finish counts with the time it was given); worst citynet ÷ raw "
        f"disk {worst}.",
        "",
        "### networkx graphs",
        "",
        *graph_table(size),
        "",
    ]
    return lines, {
        "max_disk": max(ratios["disk"], default=None),
        "rdflib_mean": means["rdflib"],
        "memory_mean": means["memory"],
        "unanswered": unanswered,
    }


def count_answered(summary: dict[str, Any], engine: str) -> int:
    """The cases both citynet and ``engine`` answered (or gave up on) in a size's run."""
    unanswered = summary["unanswered"]
    return unanswered["all"] - max(unanswered.get("citynet", 0), unanswered.get(engine, unanswered["all"]))


def check_targets(results: dict[str, Any], summaries: dict[int, dict[str, Any]]) -> list[str]:
    """The issue's targets, each with what this run measured and whether it is met."""
    sizes = {size["size"]: size for size in results["sizes"]}
    rows = ["| target | measured | met |", "|---|---|---|"]

    def add(target: str, measured: str, met: bool | None) -> None:
        verdict = "yes" if met else "no" if met is not None else "not measured"
        rows.append(f"| {target} | {measured} | {verdict} |")

    worst = {n: s["max_disk"] for n, s in summaries.items() if s["max_disk"]}
    missing = [f"{n:,}" for n in summaries if n not in worst]
    answered = {n: (count_answered(s, "oxigraph-disk"), s["unanswered"]["all"]) for n, s in summaries.items()}
    partly = [
        f"{n:,} ({done} of {total} cases)"
        for n, (done, total) in answered.items()
        if n in worst and done < total
    ]
    add(
        "every named query on citynet's store ≤ 1.5 x raw pyoxigraph (same storage)",
        ", ".join(
            [
                *(f"worst {fmt(v, 2)} at {n:,}" for n, v in worst.items()),
                *([f"not measured at {', '.join(missing)}"] if missing else []),
                *([f"measured in part at {', '.join(partly)}"] if partly else []),
            ]
        )
        or "—",
        all(v <= 1.5 for v in worst.values()) if worst and not missing and not partly else None,
    )
    mean = summaries.get(10_000, {}).get("rdflib_mean")
    small = summaries.get(10_000)
    done, total = (count_answered(small, "rdflib"), small["unanswered"]["all"]) if small else (0, 0)
    part = f" ({done} of {total} cases)" if done < total else ""
    add(
        "named queries ≥ 20 x faster than rdflib in memory at 10k (geometric mean)",
        f"at least {fmt(mean, 1)}{part}" if mean else "—",
        mean >= 20 if mean and not part else None,
    )
    if 1_000_000 in sizes:
        load = sizes[1_000_000]["load"]
        ratio_1m = ratio(load["citynet"].get("seconds"), load["oxigraph-disk"].get("seconds"))
        peak = load["citynet"].get("peak_mb")
        add(
            "load of 1M memberships ≤ 5 x raw bulk load, within 8 GB",
            f"{fmt(ratio_1m, 2)} x, {fmt(peak, 0)} MB",
            bool(ratio_1m and ratio_1m <= 5 and peak < 8192),
        )
    else:
        largest = max(sizes)
        load = sizes[largest]["load"]
        times = ratio(load["citynet"].get("seconds"), load["oxigraph-disk"].get("seconds"))
        add(
            "load of 1M memberships ≤ 5 x raw bulk load, within 8 GB",
            f"1M not run; at {largest:,}: {fmt(times, 2)} x, {fmt(load['citynet'].get('peak_mb'), 0)} MB",
            None,
        )
    at = 100_000 if 100_000 in sizes else max(sizes)
    p = sizes[at]["graphs"].get("projection", {})
    share = ratio(p.get("rows_seconds", 0) + projection_seconds(p), p.get("self_join_seconds"))
    alone = ratio(projection_seconds(p), p.get("self_join_seconds"))
    add(
        "city-city projection from membership rows ≤ 1/5 of the SPARQL self-join at 100k, same weights",
        f"{fmt(share, 3)} at {at:,} with the rows' fetch, {fmt(alone, 3)} without; weights identical: "
        f"{p.get('identical_weights')}",
        bool(share and share <= 0.2 and p.get("identical_weights")) if at == 100_000 and share else None,
    )
    rates = {
        n: ratio(s["graphs"]["city-city"]["edges"], s["graphs"]["city-city"]["seconds"])
        for n, s in sizes.items()
        if isinstance(s["graphs"].get("city-city"), dict) and "seconds" in s["graphs"]["city-city"]
    }
    alone = {
        n: ratio(s["graphs"]["networkx_alone"]["edges"], s["graphs"]["networkx_alone"]["seconds"])
        for n, s in sizes.items()
        if "networkx_alone" in s["graphs"]
    }
    add(
        "networkx graph building from query results ≥ 200k edges/s (city-city)",
        ", ".join(
            f"{fmt(v, 0)} at {n:,}" + (f" (networkx alone {fmt(alone[n], 0)})" if n in alone else "")
            for n, v in rates.items()
        )
        or "—",
        all(v >= 200_000 for v in rates.values()) if rates else None,
    )
    return rows


def write_report(results: dict[str, Any], path: Path) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`); do not edit by hand: the "
        "analysis comes from `bench/analysis.md`.",
        "",
        *describe_machine(results["machine"], results["runs"], results["give_up"], results["at_once"]),
        "",
    ]
    bodies, summaries = [], {}
    for size in results["sizes"]:
        body, summaries[size["size"]] = write_size(size)
        bodies += body
    lines += ["## Targets", "", *check_targets(results, summaries), "", *bodies]
    for part in (ANALYSIS, VISUALISATION):
        if part.exists():
            lines += [part.read_text(encoding="utf-8")]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
