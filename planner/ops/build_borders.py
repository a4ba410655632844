"""Build ``planner/data/borders.json``, the outline that says whether a point is in Finland or Åland, from the
National Land Survey of Finland's municipal division at 1:4,500,000 (``kuntajako_4500k``, GeoJSON as published in
https://github.com/samilaine/hallinnollisetrajat, file ``kuntarajat.2023.json``; licence CC BY 4.0).

The municipalities' polygons include their lakes and their sea areas up to the territorial border, so the outline
is the country's border on land and the outer edge of its territorial waters at sea. Only the rings are kept,
rounded to 5 decimals (about a metre); the output is deterministic: the same input gives the same bytes.

Usage::

    python -m planner.ops.build_borders kuntarajat.2023.json [--out PATH]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

BORDERS_JSON = Path(__file__).resolve().parent.parent / "data" / "borders.json"
SOURCE = ("National Land Survey of Finland (Maanmittauslaitos), Administrative areas, municipal division 2023 at "
          "1:4,500,000 (kuntajako_4500k), CC BY 4.0; GeoJSON from github.com/samilaine/hallinnollisetrajat "
          "(kuntarajat.2023.json)")


def build(doc: dict) -> dict:
    """The outline document: per municipality its code, name and polygons (outer ring first, then holes), each
    ring as [lon, lat] pairs."""
    municipalities = []
    for feature in sorted(doc["features"], key=lambda f: f["properties"]["NATCODE"]):
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        municipalities.append({
            "code": feature["properties"]["NATCODE"], "name": feature["properties"]["NAMEFIN"],
            "polygons": [[[[round(lon, 5), round(lat, 5)] for lon, lat in ring] for ring in polygon]
                         for polygon in polygons]})
    return {"about": f"Municipal borders with their sea areas, for telling a point in Finland or Åland from one "
                     f"in the open sea or abroad. Source: {SOURCE}. Rebuild with python -m planner.ops.build_borders.",
            "municipalities": municipalities}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the municipal division as GeoJSON")
    parser.add_argument("--out", type=Path, default=BORDERS_JSON)
    args = parser.parse_args(argv)
    out = build(json.loads(args.source.read_text(encoding="utf-8")))
    args.out.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
