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
SITE = Path(__file__).resolve().parents[1] / "docs" / "benchmarks-site.md"  # from bench/site_speed.py


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
    pace = (
        "one after another, each alone on the machine, as are the loads"
        if at_once == 1
        else f"{at_once} at a time, one per core; loads run one at a time"
    )
    return [
        f"Run on {dt.date.today().isoformat()}: {machine['cores']} cores ({machine.get('cpu', '?')}), "
        f"{machine['memory_gib']} GiB, "
        f"{machine['system']} ({machine['machine']}), Python {machine['python']}; {packages}. "
        f"Each query time is the median of {runs} runs after a warm-up (a quick query's runs go on "
        "until they add up to a second, at most 100 of them; a slow query is repeated only "
        "as often as fits in the size's bound, and a query slower than that is timed once, by its first "
        "run; rdflib's are abandoned after twice the bound). A load is repeated as often as fits in "
        f"600 s, at most {runs} times; a graph (the city-city graph taking turns with networkx alone), "
        f"the membership rows and the SPARQL self-join (taking turns) as often as fits in 60 s, at most "
        f"{runs} times. rdflib is measured at 10k only, "
        "the Oxigraph server at 10k, raw pyoxigraph in memory answers the queries up to 100k, "
        "the SPARQL self-join runs up to 100k. citynet and raw pyoxigraph on disk answer in one "
        "pass, taking turns case by case and run by run, so that a passing load falls on both sides "
        f"of their ratio; that pass, the other engines' and the graph step run {pace}. "
        "A query still running after "
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
    slowest: tuple[float, str] = (0.0, "")
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
        if times["citynet"] is not None:
            slowest = max(slowest, (times["citynet"], key))
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
    return lines, {**ratios, "slowest": [slowest]}, {**unanswered, "all": len(keys)}


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
        f"projection of them (`citynet.graphs.pairs.pair_groups`) {fmt(paired)} s = {fmt(ours)} s"
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


def name_size(size: int | str) -> str:
    """A size as the report names it.

    >>> name_size(100_000), name_size("bundled")
    ('100,000', 'the bundled graph')
    """
    return "the bundled graph" if size == "bundled" else f"{size:,}"


def describe_size(size: dict[str, Any]) -> list[str]:
    """The size's heading, what its graph holds and how busy the machine was meanwhile."""
    counts = size["generated"].get("counts", {})
    held = (
        f"{counts.get('networks', 0):,} networks, {counts.get('cities', 0):,} cities, "
        f"{counts.get('sources', '?')} sources"
    )
    if size["size"] == "bundled":
        head = f"## The bundled graph: keep.eu and URBACT ({counts.get('memberships', 0):,} memberships, "
        what = f"This checkout's own `graph/` (fact files and imports): {held}."
    else:
        head = f"## {size['size']:,} memberships ("
        what = f"Generated: {held} (`bench/generate.py --memberships {size['size']} --seed 1`)."
    busy = size.get("load_average")
    if busy:
        what += (
            f" The machine's 1-minute load average while this size was measured: {busy['start']:.2f} at "
            f"the start, median {busy['median']:.2f}, highest {busy['max']:.2f} ({busy['samples']} "
            "samples, one each 15 s)."
        )
    return [f"{head}{size['load']['quads']:,} quads)", "", what, ""]


def write_size(size: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    lines = [
        *describe_size(size),
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
    means = {k: geometric_mean(ratios[k]) for k in ("disk", "memory", "rdflib")}
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
        "slowest": ratios["slowest"][0],
        "max_disk": max(ratios["disk"], default=None),
        "rdflib_mean": means["rdflib"],
        "memory_mean": means["memory"],
        "unanswered": unanswered,
    }


def count_answered(summary: dict[str, Any], engine: str) -> int:
    """The cases both citynet and ``engine`` answered (or gave up on) in a size's run."""
    unanswered = summary["unanswered"]
    return unanswered["all"] - max(unanswered.get("citynet", 0), unanswered.get(engine, unanswered["all"]))


def format_worst(worst: dict[Any, float], summaries: dict[Any, dict[str, Any]]) -> tuple[str, bool]:
    """The worst citynet ÷ raw disk ratio of each size, and whether every size was measured whole."""
    missing = [name_size(n) for n in summaries if n not in worst]
    partly = [
        f"{name_size(n)} ({done} of {s['unanswered']['all']} cases)"
        for n, s in summaries.items()
        if n in worst and (done := count_answered(s, "oxigraph-disk")) < s["unanswered"]["all"]
    ]
    text = ", ".join(
        [
            *(f"worst {fmt(v, 2)} at {name_size(n)}" for n, v in worst.items()),
            *([f"not measured at {', '.join(missing)}"] if missing else []),
            *([f"measured in part at {', '.join(partly)}"] if partly else []),
        ]
    )
    return text or "—", bool(worst) and not missing and not partly


def check_engine_targets(sizes: dict[Any, Any], summaries: dict[Any, dict[str, Any]]) -> list[tuple]:
    """The earlier issues' targets: citynet against the raw engine and rdflib, the 1M load."""
    summaries = {n: s for n, s in summaries.items() if n != "bundled"}  # set for the synthetic sizes
    worst = {n: s["max_disk"] for n, s in summaries.items() if s["max_disk"]}
    measured, whole = format_worst(worst, summaries)
    rows = [
        (
            "every named query on citynet's store ≤ 1.5 x raw pyoxigraph (same storage)",
            measured,
            all(v <= 1.5 for v in worst.values()) if whole else None,
        )
    ]
    small = summaries.get(10_000)
    mean = small and small.get("rdflib_mean")
    done, total = (count_answered(small, "rdflib"), small["unanswered"]["all"]) if small else (0, 0)
    part = f" ({done} of {total} cases)" if done < total else ""
    rows.append(
        (
            "named queries ≥ 20 x faster than rdflib in memory at 10k (geometric mean)",
            f"at least {fmt(mean, 1)}{part}" if mean else "—",
            mean >= 20 if mean and not part else None,
        )
    )
    load = sizes.get(1_000_000, {}).get("load", {})
    times = ratio(load.get("citynet", {}).get("seconds"), load.get("oxigraph-disk", {}).get("seconds"))
    peak = load.get("citynet", {}).get("peak_mb")
    rows.append(
        (
            "load of 1M memberships ≤ 5 x raw bulk load, within 8 GB",
            f"{fmt(times, 2)} x, {fmt(peak, 0)} MB" if times else "1M not run",
            bool(times <= 5 and peak < 8192) if times and peak else None,
        )
    )
    return rows


def read_build(size: dict[str, Any]) -> float | None:
    """Building the city-city graph ÷ networkx alone adding the same weighted pairs."""
    graphs = size.get("graphs", {})
    built, alone = graphs.get("city-city", {}), graphs.get("networkx_alone", {})
    return ratio(built.get("seconds"), alone.get("seconds")) if isinstance(built, dict) else None


def read_load(size: dict[str, Any]) -> float | None:
    """citynet's load ÷ the raw bulk load (pyoxigraph on disk) of the same quads."""
    load = size.get("load", {})
    return ratio(load.get("citynet", {}).get("seconds"), load.get("oxigraph-disk", {}).get("seconds"))


def check_bounds(
    target: str, values: dict[Any, float | None], bounds: dict[Any, float], digits: int = 2
) -> tuple:
    """A target bounding a value at some sizes: each size's value, met when every one is within."""
    shown = [f"{fmt(values.get(n), digits)} at {name_size(n)}" for n in bounds if values.get(n) is not None]
    others = [f"{fmt(v, digits)} at {name_size(n)}" for n, v in values.items() if n not in bounds and v]
    missing = [name_size(n) for n in bounds if values.get(n) is None]
    text = "; ".join(
        [
            ", ".join(shown) or "—",
            *([f"not measured at {', '.join(missing)}"] if missing else []),
            *([f"also {', '.join(others)}"] if others else []),
        ]
    )
    met = None if missing else all(values[n] <= bound for n, bound in bounds.items())
    return target, text, met


def check_scale_targets(sizes: dict[Any, Any], summaries: dict[Any, dict[str, Any]]) -> list[tuple]:
    """Issue 21's targets: interactive answers, graph building and loads at keep.eu's scale."""
    slowest = {n: s["slowest"] for n, s in summaries.items() if s["slowest"][1]}
    at = slowest.get(100_000)
    rows = [
        (
            "every named query ≤ 2 s at 100k memberships (citynet's store)",
            "; ".join(f"slowest at {name_size(n)}: {k} {fmt(v, 2)} s" for n, (v, k) in slowest.items())
            or "—",
            at[0] <= 2.0 if at else None,
        ),
        check_bounds(
            "building the city-city graph ≤ 1.5 x networkx alone (`add_weighted_edges_from`, "
            "same pairs), at 100k and 1M",
            {n: read_build(s) for n, s in sizes.items()},
            {100_000: 1.5, 1_000_000: 1.5},
        ),
    ]
    p = sizes.get(100_000, {}).get("graphs", {}).get("projection", {})
    share = ratio(p.get("rows_seconds", 0) + projection_seconds(p), p.get("self_join_seconds")) if p else None
    alone = ratio(projection_seconds(p), p.get("self_join_seconds")) if p else None
    rows.append(
        (
            "city-city projection with its rows' fetch ≤ 0.2 of the SPARQL self-join at 100k, same weights",
            f"{fmt(share, 3)} with the rows' fetch, {fmt(alone, 3)} without; weights identical: "
            f"{p.get('identical_weights')}"
            if share
            else "100k not run",
            bool(share <= 0.2 and p.get("identical_weights")) if share else None,
        )
    )
    rows.append(
        check_bounds(
            "load ≤ 3 x the raw bulk load at 10k and 100k, ≤ 2.5 x at 1M",
            {n: read_load(s) for n, s in sizes.items()},
            {10_000: 3.0, 100_000: 3.0, 1_000_000: 2.5},
        )
    )
    return rows


def check_targets(results: dict[str, Any], summaries: dict[Any, dict[str, Any]]) -> list[str]:
    """The issues' targets, each with what this run measured and whether it is met; the bundled
    graph's figures are in the scale targets' "also" and in its own section."""
    sizes = {size["size"]: size for size in results["sizes"]}
    lines = ["| target | measured | met |", "|---|---|---|"]
    targets = [*check_scale_targets(sizes, summaries), *check_engine_targets(sizes, summaries)]
    for target, measured, met in targets:
        verdict = "yes" if met else "no" if met is not None else "not measured"
        lines.append(f"| {target} | {measured} | {verdict} |")
    return lines


def read_site(text: str) -> str:
    """``docs/benchmarks-site.md`` (``make bench-site``) as a section: its title a second-level
    heading, its own headings one level down, without its do-not-edit line.

    >>> print(read_site("# Site\\n\\nGenerated by x; do not edit.\\n\\n## Pages\\n\\nok"))
    ## Site (`make bench-site`, copied from `docs/benchmarks-site.md`)
    <BLANKLINE>
    ### Pages
    <BLANKLINE>
    ok
    """
    lines = [line for line in text.strip().splitlines() if not line.startswith("Generated by ")]
    lines = [f"#{line}" if line.startswith("#") else line for line in lines]
    lines[0] += " (`make bench-site`, copied from `docs/benchmarks-site.md`)"
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def read_parts() -> list[str]:
    """What follows the run's tables: the analysis and the visualisation figures (written by hand),
    then the site's figures in Chromium as ``make bench-site`` last wrote them."""
    parts = [part.read_text(encoding="utf-8") for part in (ANALYSIS, VISUALISATION) if part.exists()]
    return [*parts, read_site(SITE.read_text(encoding="utf-8"))] if SITE.exists() else parts


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
    lines += read_parts()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
