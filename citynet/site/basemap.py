"""The map's base layer: Natural Earth's countries (world-atlas, vendored) projected for Europe.

The projection is Lambert's azimuthal equal-area centred at 52°N 10°E, the one of EPSG:3035 (on a
sphere), in the canvas units of the site's pages (:data:`SCALE` per radian, so about 120
per degree near the centre); y grows southwards, as on a canvas.
Countries are clipped to :data:`EXTENT` (Iceland to the Caucasus, the Canaries to the North Cape),
rounded to whole units and written as SVG path data, one per country, keyed by ISO 3166-1 alpha-2.

>>> project(52.0, 10.0)
(0.0, 0.0)
>>> krakow, vienna = project(50.06, 19.94), project(48.21, 16.37)
>>> vienna[0] < krakow[0] and krakow[1] < vienna[1]     # Kraków lies east and north of Vienna
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pycountry

ATLAS = ("vendor", "world-atlas", "countries-50m.json")
CENTRE = (52.0, 10.0)  # latitude, longitude
SCALE = 120.0 * 180 / math.pi  # canvas units per radian: 120 per degree, as the pages' layouts
EXTENT = (-2900.0, -2700.0, 3600.0, 2500.0)  # left, top, right, bottom in canvas units
LONLAT_BOX = (-40.0, 20.0, 75.0, 85.0)  # west, south, east, north: polygons outside are skipped
TOLERANCE = 2.0  # canvas units: a point nearer than this to the last one kept is dropped
NAMED = {"Kosovo": "XK"}  # countries that world-atlas gives no numeric id

Point = tuple[float, float]


@dataclass(frozen=True)
class Country:
    """One country on the map: ISO code (None if it has none), name, SVG path, label point, area."""

    code: str | None
    name: str
    path: str
    centre: Point
    area: float


def project(lat: float, lon: float) -> Point:
    """Canvas coordinates of a place: Lambert azimuthal equal-area centred on :data:`CENTRE`.

    >>> project(52.0, 11.0)[0] > 0, project(53.0, 10.0)[1] < 0     # east is right, north is up
    (True, True)
    """
    phi0, lam0 = math.radians(CENTRE[0]), math.radians(CENTRE[1])
    phi, lam = math.radians(lat), math.radians(lon)
    cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam - lam0)
    k = math.sqrt(2 / max(1 + cos_c, 1e-12))
    x = k * math.cos(phi) * math.sin(lam - lam0)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam - lam0))
    return round(x * SCALE, 1) + 0.0, round(-y * SCALE, 1) + 0.0


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The arcs of a quantized TopoJSON topology as (longitude, latitude) lists.

    >>> decode_arcs({"transform": {"scale": [1, 2], "translate": [10, 20]}, "arcs": [[[0, 0], [1, 1]]]})
    [[(10, 20), (11, 22)]]
    """
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def join_ring(arcs: list[list[Point]], indices: Iterable[int]) -> list[Point]:
    """A ring from its arcs; a negative index ``~i`` is arc ``i`` reversed (TopoJSON).

    >>> join_ring([[(0, 0), (1, 0)], [(1, 0), (1, 1)]], [0, 1])
    [(0, 0), (1, 0), (1, 1)]
    """
    ring: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    return ring


def clip_ring(ring: list[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """A ring clipped to a rectangle (Sutherland-Hodgman); an empty list if nothing is left.

    >>> clip_ring([(-5, -5), (5, -5), (5, 5), (-5, 5)], (0, 0, 10, 10)) == [(0, 0), (5, 0), (5, 5), (0, 5)]
    True
    """
    left, top, right, bottom = box
    edges = [
        (lambda p: p[0] >= left, lambda p, q: cross_x(p, q, left)),
        (lambda p: p[0] <= right, lambda p, q: cross_x(p, q, right)),
        (lambda p: p[1] >= top, lambda p, q: cross_y(p, q, top)),
        (lambda p: p[1] <= bottom, lambda p, q: cross_y(p, q, bottom)),
    ]
    for inside, cross in edges:
        clipped: list[Point] = []
        for i, point in enumerate(ring):
            previous = ring[i - 1]
            if inside(point):
                if not inside(previous):
                    clipped.append(cross(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(cross(previous, point))
        ring = clipped
        if not ring:
            break
    return ring


def cross_x(p: Point, q: Point, x: float) -> Point:
    """Where segment p-q crosses the vertical line at ``x``.

    >>> cross_x((0, 0), (4, 8), 1)
    (1, 2.0)
    """
    return (x, p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0]))


def cross_y(p: Point, q: Point, y: float) -> Point:
    """Where segment p-q crosses the horizontal line at ``y``.

    >>> cross_y((0, 0), (4, 8), 2)
    (1.0, 2)
    """
    return (p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]), y)


def thin_ring(ring: list[Point]) -> list[tuple[int, int]]:
    """A ring in whole units, without points nearer than :data:`TOLERANCE` to the last one kept.

    >>> thin_ring([(0.2, 0.0), (1.0, 0.4), (10.0, 0.0), (10.0, 10.0)])
    [(0, 0), (10, 0), (10, 10)]
    """
    kept: list[tuple[int, int]] = []
    for x, y in ring:
        point = (round(x), round(y))
        if not kept or math.dist(point, kept[-1]) >= TOLERANCE:
            kept.append(point)
    return kept


def measure_ring(ring: list[tuple[int, int]]) -> tuple[float, Point]:
    """A ring's area and centroid (shoelace formula); the area's sign is the ring's orientation.

    >>> measure_ring([(0, 0), (4, 0), (4, 2), (0, 2)])
    (8.0, (2.0, 1.0))
    """
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        step = x0 * y1 - x1 * y0
        area += step
        cx += (x0 + x1) * step
        cy += (y0 + y1) * step
    if not area:
        return 0.0, ring[0]
    return area / 2, (round(cx / (3 * area), 1), round(cy / (3 * area), 1))


def write_path(rings: list[list[tuple[int, int]]]) -> str:
    """SVG path data for rings of whole-unit points, relative moves after the first point.

    >>> write_path([[(0, 0), (5, 0), (5, -5)]])
    'M0 0l5 0 0-5z'
    """
    parts = []
    for ring in rings:
        (x, y), steps = ring[0], []
        for px, py in ring[1:]:
            steps.append(f"{px - x} {py - y}")
            x, y = px, py
        parts.append(f"M{ring[0][0]} {ring[0][1]}l" + " ".join(steps).replace(" -", "-") + "z")
    return "".join(parts)


def name_code(feature: dict[str, Any]) -> str | None:
    """A world-atlas country's ISO 3166-1 alpha-2 code, from its numeric id (or its name).

    >>> name_code({"id": "616", "properties": {"name": "Poland"}}), name_code({"properties": {}})
    ('PL', None)
    """
    found = pycountry.countries.get(numeric=feature["id"]) if feature.get("id") else None
    return found.alpha_2 if found else NAMED.get(feature.get("properties", {}).get("name", ""))


def draw_country(arcs: list[list[Point]], feature: dict[str, Any]) -> Country | None:
    """One country projected, clipped and thinned; None if nothing of it lies within the map."""
    polygons = feature["arcs"] if feature["type"] == "MultiPolygon" else [feature["arcs"]]
    rings: list[list[tuple[int, int]]] = []
    largest = (0.0, (0.0, 0.0))
    west, south, east, north = LONLAT_BOX
    for polygon in polygons:
        outer = join_ring(arcs, polygon[0])
        if not any(west <= lon <= east and south <= lat <= north for lon, lat in outer):
            continue
        for number, indices in enumerate(polygon):
            ring = thin_ring(clip_ring([project(lat, lon) for lon, lat in join_ring(arcs, indices)], EXTENT))
            if len(ring) < 3:
                continue
            rings.append(ring)
            area, centre = measure_ring(ring)
            if number == 0 and abs(area) > abs(largest[0]):
                largest = (area, centre)
    if not rings:
        return None
    name = str(feature.get("properties", {}).get("name", ""))
    return Country(name_code(feature), name, write_path(rings), largest[1], abs(largest[0]))


@cache
def draw_countries() -> tuple[Country, ...]:
    """Every country with land within :data:`EXTENT`, by name (read once per process).

    >>> poland = next(c for c in draw_countries() if c.code == "PL")
    >>> poland.name, poland.path[:1]
    ('Poland', 'M')
    """
    source = resources.files("citynet.site").joinpath(*ATLAS)
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    countries = (draw_country(arcs, feature) for feature in topology["objects"]["countries"]["geometries"])
    return tuple(sorted((c for c in countries if c), key=lambda c: c.name))
