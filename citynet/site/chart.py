"""The index's chart: networks active per year, stacked by programme, as inline SVG and as a table.

A network counts in every year it is active, as ``--year`` reads its periods (the ``spans`` that
:func:`citynet.site.timeline.stamp_periods` put on it); networks without a recorded period are
counted apart (``undated``). keep.eu's dozens of Interreg programmes would be dozens of series, so
programmes whose first two words three or more programmes share are one series (a family: "INTERREG
V-A", cross-border; "INTERREG VB", transnational; "Interreg IPA"). Every URBACT programme gets its own
series, then the series with most networks up to :data:`SERIES`; the rest are stacked as "other
programmes". Beside the chart of all programmes, a second chart draws URBACT's alone (a few dozen
networks beside keep.eu's thousands); the table lists every programme. Colours: Okabe and Ito's
colour-blind-safe palette, grey for the rest.

>>> g = nx.Graph()
>>> g.add_node("n", kind="network", programme="URBACT III", spans=[[2016, 2017]])
>>> g.add_node("m", kind="network", programme=None, spans=[])
>>> counts = count_networks(g); counts.years, counts.rows, counts.undated
([2016, 2017], {'URBACT III': [1, 1]}, 1)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

NO_PROGRAMME = "no programme recorded"
OTHERS = "other programmes"
SERIES = 8  # named series in the chart; the palette has a colour for each
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
GREY = "#999999"
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 10, 34  # margins for the axes' labels


@dataclass
class Counts:
    """Networks per year (``years``, consecutive) per programme (``rows``), and the undated ones."""

    years: list[int] = field(default_factory=list)
    rows: dict[str, list[int]] = field(default_factory=dict)
    undated: int = 0

    def totals(self) -> list[int]:
        """Networks per year, all programmes together.

        >>> Counts([2016, 2017], {"A": [1, 0], "B": [2, 2]}).totals()
        [3, 2]
        """
        return [sum(values[i] for values in self.rows.values()) for i in range(len(self.years))]


def count_networks(bipartite: nx.Graph) -> Counts:
    """How many of the graph's networks are active in each year, per programme."""
    per_year: dict[str, Counter[int]] = {}
    undated = 0
    for _, attrs in bipartite.nodes(data=True):
        if attrs.get("kind") != "network":
            continue
        # A start without a year (0, as --year reads it) counts from the end's year, not from year 1.
        years = {y for first, last in attrs.get("spans") or [] for y in range(first or last, last + 1)}
        if not years:
            undated += 1
            continue
        per_year.setdefault(attrs.get("programme") or NO_PROGRAMME, Counter()).update(years)
    every = [y for counter in per_year.values() for y in counter]
    if not every:
        return Counts(undated=undated)
    years = list(range(min(every), max(every) + 1))
    rows = {name: [per_year[name][y] for y in years] for name in sorted(per_year, key=str.lower)}
    return Counts(years, rows, undated)


def group_families(rows: dict[str, list[int]]) -> dict[str, list[int]]:
    """The rows of programmes sharing their first two words with two or more others summed, as
    "FIRST TWO … (N programmes)"; the other rows as they are.

    >>> group_families({"INTERREG V-A Estonia - Latvia": [1], "INTERREG V-A Italy - Austria": [2],
    ...                 "INTERREG V-A Slovenia - Croatia": [3], "INTERREG VB Danube": [4]})
    {'INTERREG V-A … (3 programmes)': [6], 'INTERREG VB Danube': [4]}
    """
    families: dict[str, list[str]] = {}
    for name in rows:
        families.setdefault(" ".join(name.split()[:2]).lower(), []).append(name)
    grouped: dict[str, list[int]] = {}
    for members in families.values():
        if len(members) < 3:
            grouped.update((name, rows[name]) for name in members)
            continue
        label = f"{' '.join(members[0].split()[:2])} \N{HORIZONTAL ELLIPSIS} ({len(members)} programmes)"
        grouped[label] = [sum(column) for column in zip(*(rows[name] for name in members), strict=True)]
    return grouped


def is_urbact(name: str) -> bool:
    """Whether a programme is one of URBACT's.

    >>> is_urbact("URBACT IV"), is_urbact("INTERREG VB Danube")
    (True, False)
    """
    return name.upper().startswith("URBACT")


def pick_series(counts: Counts) -> list[str]:
    """The programmes the chart names: URBACT's first, then those with most network-years.

    >>> pick_series(Counts([2020], {"A": [5], "URBACT II": [1], "B": [9]}))
    ['URBACT II', 'B', 'A']
    """
    urbact = [name for name in counts.rows if is_urbact(name)]
    rest = sorted((n for n in counts.rows if n not in urbact), key=lambda n: (-sum(counts.rows[n]), n))
    return (urbact + rest)[:SERIES] if len(counts.rows) <= SERIES else (urbact + rest)[: SERIES - 1]


def draw_chart(counts: Counts, title: str = "all programmes") -> dict[str, Any]:
    """The chart's geometry: stacked bars (one per year), ticks, legend; empty without dated networks.

    The plot is 216 units high (260 less the margins 10 and 34); the axis ends at 2, the largest
    total, so one network is 108 units:

    >>> chart = draw_chart(Counts([2016, 2017], {"URBACT III": [1, 2]}))
    >>> [(b["year"], b["height"]) for b in chart["bars"]], chart["ticks"][-1]["label"]
    ([(2016, 108.0), (2017, 216.0)], '2')
    """
    if not counts.years:
        return {}
    named = pick_series(counts)
    series = [(name, counts.rows[name], PALETTE[i]) for i, name in enumerate(named)]
    rest = [n for n in counts.rows if n not in named]
    if rest:
        summed = [sum(counts.rows[n][i] for n in rest) for i in range(len(counts.years))]
        series.append((f"{OTHERS} ({len(rest)})", summed, GREY))
    totals = [sum(values[i] for _, values, _ in series) for i in range(len(counts.years))]
    step = pick_step(max(totals))
    top = -(-max(totals) // step) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(counts.years)
    bars = []
    for i, year in enumerate(counts.years):
        base = 0
        for name, values, colour in series:
            if values[i]:
                height = round(plot_h * values[i] / top, 1)
                y = round(TOP + plot_h * (1 - (base + values[i]) / top), 1)
                bars.append(
                    {
                        "year": year,
                        "x": round(LEFT + slot * i + slot * 0.1, 1),
                        "y": y,
                        "width": round(slot * 0.8, 1),
                        "height": height,
                        "colour": colour,
                        "title": f"{year}: {values[i]} network{'' if values[i] == 1 else 's'} of {name}",
                    }
                )
                base += values[i]
    ticks = [
        {"y": round(TOP + plot_h * (1 - value / top), 1), "label": str(value)}
        for value in range(0, top + 1, step)
    ]
    every = max(1, round(len(counts.years) / 12))
    years = [
        {"x": round(LEFT + slot * (i + 0.5), 1), "label": str(year)}
        for i, year in enumerate(counts.years)
        if i % every == 0
    ]
    return {
        "title": title,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "bottom": HEIGHT - BOTTOM,
        "bars": bars,
        "ticks": ticks,
        "years": years,
        "legend": [{"name": name, "colour": colour} for name, _, colour in series],
    }


def pick_step(largest: int) -> int:
    """A round step for the count axis, giving at most about five ticks.

    >>> pick_step(3), pick_step(7), pick_step(480)
    (1, 2, 100)
    """
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if largest / step <= 5:
            return step
    return 10_000


def draw_charts(counts: Counts) -> list[dict[str, Any]]:
    """The index's charts: every programme (families grouped), then URBACT's alone when the graph
    holds other programmes too; none without dated networks.

    >>> counts = Counts([2016], {"URBACT III": [1], "ESPON 2020": [30]})
    >>> [(c["title"], [e["name"] for e in c["legend"]]) for c in draw_charts(counts)]
    [('all programmes', ['URBACT III', 'ESPON 2020']), ('URBACT programmes', ['URBACT III'])]
    """
    if not counts.years:
        return []
    charts = [draw_chart(Counts(counts.years, group_families(counts.rows)))]
    urbact = {name: values for name, values in counts.rows.items() if is_urbact(name)}
    if urbact and len(urbact) < len(counts.rows):
        charts.append(draw_chart(Counts(counts.years, urbact), "URBACT programmes"))
    return charts
