"""Measure place resolution on keep.eu's Partners sheet: rates overall and by country, speed.

    .venv/bin/python scripts/measure_resolution.py [XLSX] [--sample N --seed S]

Prints rows resolved / ambiguous / not found (overall, then by country), distinct (town, country)
pairs, the milliseconds a not-found name costs, and the total time. ``--sample`` prints a random
sample of resolved rows, stratified over statuses and methods, to check by hand.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pycountry
from python_calamine import CalamineWorkbook

from citynet.places.gazetteer import read_gazetteer
from citynet.places.nameindex import index_names
from citynet.places.resolver import PlaceQuery, Resolver

ROOT = Path(__file__).resolve().parent.parent
SHEET = ROOT.parent / "shared" / "data" / "keep-eu" / "keep_closed_1420.xlsx"


def to_country(code_field: str, name: str) -> str:
    """The row's ISO code from "DE Germany / DEUTSCHLAND", else from the English name."""
    code = code_field.split(" ")[0]
    if len(code) == 2:
        return code
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return "??"


def read_queries(path: Path) -> list[tuple[int, PlaceQuery]]:
    """(spreadsheet row, query) for every partner row."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Partners").to_python()
    header = rows[0]
    queries = []
    for number, row in enumerate(rows[1:], start=2):
        cell = dict(zip(header, row, strict=False))
        nuts = str(cell["NUTS3 (or equivalent)"])
        code, _, nuts_name = nuts.partition("/")
        postal = cell["Postal code"]
        queries.append(
            (
                number,
                PlaceQuery(
                    str(int(cell["Town"]) if isinstance(cell["Town"], float) else cell["Town"]),
                    to_country(str(cell["Country code"]), str(cell["Country"])),
                    str(int(postal)) if isinstance(postal, float) else str(postal),
                    code.strip(),
                    nuts_name.strip(),
                ),
            )
        )
    return queries


def time_not_found(names: list[tuple[str, str]], resolver: Resolver) -> float:
    """Milliseconds per not-found name, its country's index already built."""
    for _, country in names:
        index_names(country)
    start = time.perf_counter()
    for town, country in names:
        resolver.resolve(PlaceQuery(town, country))
    return 1000 * (time.perf_counter() - start) / max(1, len(names))


def print_rates(label: str, statuses: Counter) -> None:
    total = sum(statuses.values())
    done = statuses["unique"] + statuses["chosen"] + statuses["pinned"]
    print(
        f"{label:8} {total:5} rows  resolved {done:5} ({100 * done / total:5.1f} %)  "
        f"ambiguous {statuses['ambiguous']:4}  not found {statuses['not-found']:4}"
    )


def print_sample(queries, resolutions, size: int, seed: int) -> None:
    """A random sample of resolved rows, stratified over (status, method)."""
    strata = defaultdict(list)
    for (row, query), res in zip(queries, resolutions, strict=True):
        if res.place is not None:
            strata[res.status, res.how].append((row, query, res))
    rng = random.Random(seed)
    share = max(5, size // len(strata))
    picked = []
    for key in sorted(strata):
        picked += rng.sample(strata[key], min(share, len(strata[key])))
    for row, query, res in sorted(picked, key=lambda p: p[0]):
        city = read_gazetteer()[str(res.place.geonames_id)]
        print(
            f"{row}\t{query.town}\t{query.country}\t{query.postal_code}\t{query.nuts3} {query.nuts3_name}\t"
            f"{res.place.geonames_id}\t{city['name']}\tadm1 {city['admin1code']}\t"
            f"{city['latitude']},{city['longitude']}\t{res.status}: {res.how}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xlsx", nargs="?", type=Path, default=SHEET)
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    start = time.perf_counter()
    queries = read_queries(args.xlsx)
    resolutions = Resolver().resolve_all(q for _, q in queries)
    total = time.perf_counter() - start
    by_country: dict[str, Counter] = defaultdict(Counter)
    for (_, query), res in zip(queries, resolutions, strict=True):
        by_country[query.country][res.status] += 1
        by_country["all"][res.status] += 1
    print_rates("all", by_country.pop("all"))
    pairs = {(q.town, q.country): r.status for (_, q), r in zip(queries, resolutions, strict=True)}
    print(f"distinct (town, country) pairs {len(pairs)}: {dict(Counter(pairs.values()))}")
    for country in sorted(by_country, key=lambda c: -sum(by_country[c].values())):
        print_rates(country, by_country[country])
    missing = [pair for pair, status in pairs.items() if status == "not-found"]
    print(f"not found: {time_not_found(missing, Resolver()):.3f} ms per name ({len(missing)} names)")
    print(f"total {total:.1f} s (reading the sheet, indexing the countries, resolving {len(queries)} rows)")
    if args.sample:
        print_sample(queries, resolutions, args.sample, args.seed)


if __name__ == "__main__":
    sys.exit(main())
