"""Road-distance accuracy of the built-in travel model against published town-to-town distances.

Reads tests/data/road_distances.csv (columns from,to,from_lat,from_lon,to_lat,to_lon,km,source), drives every pair
with ``NetworkTravelModel().journey(a, b, "car")`` and prints each pair's error, then the median and the worst.
Run from the repository root:  python benchmarks/travel_accuracy.py [other.csv]
"""
from __future__ import annotations

import csv
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planner.core.travel import NetworkTravelModel, Point  # noqa: E402

DEFAULT_CSV = ROOT / "tests" / "data" / "road_distances.csv"


def evaluate(path: Path = DEFAULT_CSV, model: NetworkTravelModel | None = None) -> list[dict]:
    """One row per pair: names, published km, modelled km and minutes, relative error."""
    model = model or NetworkTravelModel()
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            a = Point(r["from"], float(r["from_lat"]), float(r["from_lon"]))
            b = Point(r["to"], float(r["to_lat"]), float(r["to_lon"]))
            j = model.journey(a, b, "car")
            published = float(r["km"])
            rows.append({"from": a.name, "to": b.name, "published_km": published, "model_km": j.distance_km,
                         "minutes": j.minutes, "error": (j.distance_km - published) / published})
    return rows


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_CSV
    started = time.perf_counter()
    rows = evaluate(path)
    elapsed = time.perf_counter() - started
    width = max(len(f"{r['from']} – {r['to']}") for r in rows)
    print(f"{'pair':{width}}  published   model   error   time")
    for r in rows:
        pair = f"{r['from']} – {r['to']}"
        print(f"{pair:{width}}  {r['published_km']:7.0f}  {r['model_km']:7.1f}  {100 * r['error']:+6.1f}%"
              f"  {r['minutes'] // 60}:{r['minutes'] % 60:02d}")
    errors = [abs(r["error"]) for r in rows]
    worst = max(rows, key=lambda r: abs(r["error"]))
    print(f"\n{len(rows)} pairs from {path.name}")
    print(f"median |error| {100 * statistics.median(errors):.1f}%   mean |error| {100 * statistics.mean(errors):.1f}%"
          f"   max |error| {100 * max(errors):.1f}% ({worst['from']} – {worst['to']})")
    print(f"signed mean error {100 * statistics.mean(r['error'] for r in rows):+.1f}%   "
          f"within 10%: {sum(e <= 0.10 for e in errors)}/{len(errors)}   computed in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
