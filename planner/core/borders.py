"""Is a point in Finland or Åland? The shipped municipal borders (planner/data/borders.json, built by
``planner.ops.build_borders`` from the National Land Survey's open data) say so, with their sea areas: a point in
the open sea beyond the territorial waters or across a land border is not.

The outline is drawn at 1:4,500,000, so near a border river it may be a few hundred metres off (Tornio's centre
lies 0.5 km outside it): a point within ``BORDER_TOLERANCE_KM`` of the outline counts as in.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

import numpy as np

BORDER_TOLERANCE_KM = 2.0
KM_PER_DEGREE_LAT = 110.57
KM_PER_DEGREE_LON_AT_EQUATOR = 111.32


class Outline:
    """Every edge of every municipal polygon as arrays, with the polygon each belongs to (a point is inside a
    polygon when a ray from it crosses the polygon's rings, holes included, an odd number of times)."""

    def __init__(self, doc: dict):
        x1, y1, x2, y2, owner = [], [], [], [], []
        self.names: list[str] = []    # the municipality of each polygon
        for municipality in doc["municipalities"]:
            for rings in municipality["polygons"]:
                for ring in rings:
                    for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1]):
                        x1.append(ax), y1.append(ay), x2.append(bx), y2.append(by), owner.append(len(self.names))
                self.names.append(municipality["name"])
        self.x1, self.y1, self.x2, self.y2 = (np.array(v) for v in (x1, y1, x2, y2))
        self.owner = np.array(owner)
        self.polygons = len(self.names)

    def _inside(self, lat: float, lon: float) -> np.ndarray:
        spans = (self.y1 > lat) != (self.y2 > lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = (self.x2 - self.x1) * (lat - self.y1) / (self.y2 - self.y1) + self.x1
        crossings = np.bincount(self.owner[spans & (lon < at)], minlength=self.polygons)
        return crossings % 2 == 1

    def contains(self, lat: float, lon: float) -> bool:
        return bool(self._inside(lat, lon).any())

    def municipalities_at(self, lat: float, lon: float) -> list[str]:
        """The municipalities (2023 names) whose area, sea included, holds the point: one, or none outside."""
        return sorted({self.names[i] for i in np.nonzero(self._inside(lat, lon))[0]})

    def distance_km(self, lat: float, lon: float) -> float:
        """How far the point is from the nearest edge (locally flat: exact enough within a few kilometres)."""
        kx, ky = KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat)), KM_PER_DEGREE_LAT
        ax, ay = (self.x1 - lon) * kx, (self.y1 - lat) * ky
        dx, dy = (self.x2 - lon) * kx - ax, (self.y2 - lat) * ky - ay
        length = dx * dx + dy * dy
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(np.where(length > 0, -(ax * dx + ay * dy) / length, 0.0), 0.0, 1.0)
        return float(np.hypot(ax + t * dx, ay + t * dy).min())


@lru_cache(maxsize=1)
def outline() -> Outline:
    text = resources.files("planner").joinpath("data", "borders.json").read_text(encoding="utf-8")
    return Outline(json.loads(text))


def in_finland(lat: float, lon: float) -> bool:
    """Whether (lat, lon) lies in Finland or Åland, its lakes or territorial waters (within the tolerance)."""
    shape = outline()
    return shape.contains(lat, lon) or shape.distance_km(lat, lon) <= BORDER_TOLERANCE_KM
