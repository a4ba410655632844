"""Drawing Finland without a tile server: the shipped outline (planner/data/finland_outline.json) projected to SVG
coordinates with a sinusoidal projection centred on Finland (shapes stay recognisable from Hanko to Utsjoki)."""
from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources

LON0 = 25.5          # central meridian
NORTH, SOUTH = 70.3, 59.6
WEST, EAST = 19.2, 31.8
SCALE = 60.0         # SVG units per degree of latitude


def project(lat: float, lon: float) -> tuple[float, float]:
    """SVG (x, y) for a point; north is up, (0, 0) the north-west corner of the map's frame."""
    x = (lon - LON0) * math.cos(math.radians(lat))
    x0 = (WEST - LON0) * math.cos(math.radians(SOUTH))
    return round((x - x0) * SCALE, 1), round((NORTH - lat) * SCALE, 1)


def frame() -> tuple[float, float]:
    """Width and height of the map in SVG units."""
    right, _ = project(SOUTH, EAST)
    return right, round((NORTH - SOUTH) * SCALE, 1)


@lru_cache(maxsize=1)
def outline_paths() -> tuple[str, ...]:
    """SVG path data for the mainland and the islands (Åland included)."""
    doc = json.loads(resources.files("planner").joinpath("data/finland_outline.json").read_text(encoding="utf-8"))
    rings = [doc["mainland"]] + [i["ring"] for i in doc["islands"]]
    paths = []
    for ring in rings:
        points = [project(lat, lon) for lon, lat in ring]
        paths.append("M" + " L".join(f"{x},{y}" for x, y in points) + " Z")
    return tuple(paths)
