"""Where a table's NUTS 3 regions and postal codes lie, learnt from its rows that resolve uniquely.

No map of NUTS regions or postal codes is needed: the rows whose town matches one place only say
where their region and postal code are. A region is the median of its rows' places and a radius
that holds most of them; a name that matches several places picks the one inside the region.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from citynet.places.cleaning import HYPHENATED, STRIPPED
from citynet.places.nameindex import group_by_country, measure_km

FIVE_DIGITS = {
    "DE",
    "FR",
    "IT",
    "ES",
    "FI",
    "GR",
    "HR",
    "SE",
    "CZ",
    "SK",
    "PL",
    "EE",
    "RS",
    "BA",
    "ME",
    "TR",
    "LT",
}
MIN_RADIUS_KM = 15.0
CELL = 0.5  # degrees of the grid that finds the places near a region


@dataclass(frozen=True)
class Region:
    """A region's centre and the distance that holds most of its places."""

    latitude: float
    longitude: float
    radius_km: float
    rows: int

    @property
    def reach_km(self) -> float:
        """How far from the centre a place still belongs to the region."""
        return 1.5 * self.radius_km + 10.0

    @property
    def far_km(self) -> float:
        """How far from the centre a place is surely not the row's (the rows seen may lie close)."""
        return max(150.0, 3 * self.reach_km)

    @property
    def part_km(self) -> float:
        """How near the centre a place named by a part of the Town field must be."""
        return min(self.far_km, max(self.reach_km, 50.0))

    def limit_km(self, trust: str) -> float:
        """How near the centre a place must be, by how literally the Town field names it."""
        return self.part_km if trust in (HYPHENATED, STRIPPED) else self.far_km

    def distance_km(self, city: dict[str, Any]) -> float:
        return measure_km(self.latitude, self.longitude, float(city["latitude"]), float(city["longitude"]))


def clean_postal_code(code: object, country: str) -> str:
    """A postal code as letters and digits, its lost leading zero restored.

    >>> clean_postal_code(1067.0, "DE"), clean_postal_code("IT-38122", "IT"), clean_postal_code(142.0, "IT")
    ('01067', '38122', '00142')
    >>> clean_postal_code("166 36", "CZ")
    '16636'
    >>> clean_postal_code("N22 6UJ", "GB"), clean_postal_code("", "GB"), clean_postal_code(77125.0, "RO")
    ('N226UJ', '', '077125')
    """
    text = str(int(code)) if isinstance(code, float) else str(code or "")
    text = re.sub(rf"^\s*({country}|[A-Z])\s*-\s*", "", text.strip().upper())
    text = "".join(c for c in text if c.isalnum())
    if text.isdigit() and country in FIVE_DIGITS:
        return text.zfill(5)
    if text.isdigit() and country == "RO":
        return text.zfill(6)
    return text


def list_region_keys(country: str, postal_code: str, nuts3: str) -> list[tuple[str, ...]]:
    """The regions a row lies in, the smallest first: NUTS 3, postal code and its prefixes, NUTS 2, 1.

    >>> list_region_keys("DE", "99099", "DEG01")
    [('nuts', 'DEG01'), ('postal', 'DE', '99099'), ('postal', 'DE', '9909'), ('postal', 'DE', '990'), \
('postal', 'DE', '99'), ('nuts', 'DEG0'), ('nuts', 'DEG')]
    """
    keys: list[tuple[str, ...]] = []
    if len(nuts3) == 5:
        keys.append(("nuts", nuts3))
    keys += [("postal", country, postal_code[:n]) for n in range(len(postal_code), 1, -1)]
    keys += [("nuts", nuts3[:n]) for n in (4, 3) if len(nuts3) >= n + 1]
    return keys


def learn_regions(points: dict[tuple[str, ...], list[tuple[float, float]]]) -> dict[tuple[str, ...], Region]:
    """Regions from the places of the rows in each.

    >>> region = learn_regions({("nuts", "X"): [(50.0, 10.0), (50.1, 10.0), (50.0, 10.1)]})[("nuts", "X")]
    >>> (region.latitude, region.longitude, region.radius_km)
    (50.0, 10.0, 15.0)
    """
    regions = {}
    for key, where in points.items():
        lat = statistics.median(p[0] for p in where)
        lon = statistics.median(p[1] for p in where)
        distances = sorted(measure_km(lat, lon, a, b) for a, b in where)
        radius = distances[int(0.8 * (len(distances) - 1))]
        regions[key] = Region(lat, lon, max(MIN_RADIUS_KM, radius), len(where))
    return regions


def collect_points(rows: list[tuple[list[tuple[str, ...]], dict[str, Any]]]) -> dict[tuple[str, ...], list]:
    """Each region key's places, from (region keys, place) of uniquely resolved rows."""
    points: dict[tuple[str, ...], list[tuple[float, float]]] = defaultdict(list)
    for keys, city in rows:
        for key in keys:
            points[key].append((float(city["latitude"]), float(city["longitude"])))
    return points


@cache
def grid_country(country: str) -> dict[tuple[int, int], list[dict[str, Any]]]:
    """The country's places by grid cell."""
    grid: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for city in group_by_country().get(country, []):
        grid[int(float(city["latitude"]) // CELL), int(float(city["longitude"]) // CELL)].append(city)
    return grid


def list_places_near(country: str, region: Region) -> list[dict[str, Any]]:
    """The country's places within the region's reach."""
    grid = grid_country(country)
    span = int(region.reach_km / 111.0 / CELL * 2) + 1  # cells are narrower in longitude up north
    row, col = int(region.latitude // CELL), int(region.longitude // CELL)
    near = []
    for r in range(row - span, row + span + 1):
        for c in range(col - 2 * span, col + 2 * span + 1):
            near += [city for city in grid.get((r, c), []) if region.distance_km(city) <= region.reach_km]
    return near
