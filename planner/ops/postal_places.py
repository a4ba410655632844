"""Villages from the postal localities: the places named by Finland's and Åland's postal codes that cities500 lacks
(Nummela, Fiskari, Vaalimaa, Niirala, Torsholma ...), for ``planner.ops.build_places``.

Source: ``planner/data/postal_localities.csv``, the GeoNames postal code data for FI and AX
(download.geonames.org/export/zip, CC BY 4.0, as mirrored at github.com/symerio/postal-codes-data, April 2024):
one row per postal code with its locality's name, municipality and the centre of its area. A locality with several
codes gets the mean of their points. It is added only when no place of that name is in the gazetteer yet, and
only when it is in Finland by the municipal borders and on the same island as the nearest place already known
(the travel model puts a point on the island of its nearest network node: a village on an island with no road must
not be reached by car).
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from planner.core.borders import in_finland, outline
from planner.core.places import distance_km
from planner.core.network_data import load_network

if TYPE_CHECKING:
    from .build_places import Row

POSTAL_CSV = Path(__file__).resolve().parent.parent / "data" / "postal_localities.csv"
# postal codes of no place (99999 is Korvatunturi, Santa Claus's address)
NOT_PLACES = {"99999"}
# a company's, an institution's or a town's own code, not a village
NOT_VILLAGES = {"Eduskunta", "Oulun Kaupunki", "Hanko Pohjoinen"}
# "Aura Kk" (church village), "Inkoo As" (station), "Lielahti Tl" (province), "Närpes St" (town): abbreviations
# nobody types; the places are found by the municipality's name
ABBREVIATED = re.compile(r" (As|Kk|Tl|St)$")
RENAMED = {"Napapiiri Rovaniemi": "Napapiiri", "Inhan Tehtaat": "Inhan tehtaat", "Koskenkylän Saha":
           "Koskenkylän saha", "Muroleen Kanava": "Muroleen kanava", "Oravaisten Tehdas": "Oravaisten tehdas",
           "Pernajan Vanhakylä": "Pernajan vanhakylä", "Eerikkilän Urheiluopisto": "Eerikkilän urheiluopisto"}
# the Swedish names of bilingual villages whose postal locality is named in Finnish, and the reverse
SWEDISH = {"Fiskari": "Fiskars", "Mustio": "Svartå", "Tenhola": "Tenala", "Pinjainen": "Billnäs",
           "Pohjankuru": "Skuru", "Lappohja": "Lappvik", "Upinniemi": "Obbnäs", "Masala": "Masaby",
           "Emäsalo": "Emsalö", "Sannainen": "Sannäs", "Tolkkinen": "Tolkis", "Kulloo": "Kullo",
           "Hinthaara": "Hindhår", "Kerkkoo": "Kerko", "Jakari": "Jackarby", "Suurpellinki": "Stora Pellinge",
           "Ahvenkoski": "Abborfors", "Koskenkylän saha": "Forsby såg", "Tesjoki": "Tessjö", "Valko": "Valkom",
           "Lapväärtti": "Lappfjärd", "Tiukka": "Tjöck", "Siipyy": "Sideby", "Jepua": "Jeppo", "Sulva": "Solf",
           "Koivulahti": "Kvevlax", "Petolahti": "Petalax"}


def read_postal(path: Path = POSTAL_CSV) -> dict[tuple[str, str, str], list[tuple[float, float]]]:
    """(country, name, municipality) -> the points of its postal codes, for the localities worth a place."""
    localities: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            name = RENAMED.get(row["name"], row["name"])
            if row["postal_code"] in NOT_PLACES or name in NOT_VILLAGES or ABBREVIATED.search(name):
                continue
            localities[(row["country"], name, row["municipality"])].append((float(row["lat"]), float(row["lon"])))
    return localities


def postal_village_rows(known: list[Row], municipalities: list[Row], make_row: Callable[..., Row],
                        normalise: Callable[[str], str], path: Path = POSTAL_CSV) -> tuple[list[Row], list[str]]:
    """Rows for the postal localities not in ``known``, and the ones left out with why."""
    by_name = municipalities_by_name(municipalities)
    names = {normalise(n) for r in known for n in (r.name_fi, r.name_sv, *r.aliases) if n}
    network = load_network()

    def zone(lat: float, lon: float) -> str:
        return network.nearest_of_zone(lat, lon, 1)[0]

    zones = {id(r): zone(r.lat, r.lon) for r in known}
    rows, left_out = [], []
    for (country, name, postal_municipality), points in sorted(read_postal(path).items()):
        if normalise(name) in names:    # a place of that name already known (one of several alike may be added)
            continue
        lat, lon = sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
        if not in_finland(lat, lon):
            left_out.append(f"{name}: outside Finland")
            continue
        municipality = municipality_at(country, postal_municipality, lat, lon, by_name)
        if municipality is None:
            left_out.append(f"{name}: no municipality")
            continue
        here = zone(lat, lon)
        # a small island's places (its zone reaches only ``island_reach_km`` from its node) say nothing of the shore
        nearest = min((r for r in known if zones[id(r)] == here or zones[id(r)] not in network.reach),
                      key=lambda r: distance_km(lat, lon, r.lat, r.lon))
        if here != zones[id(nearest)]:
            left_out.append(f"{name}: on another island than {nearest.name_fi}")
            continue
        rows.append(make_row(name, SWEDISH.get(name, ""), "village", municipality.name_fi, municipality.region,
                             lat, lon, 0, set()))
    return rows, left_out


def municipalities_by_name(municipalities: list[Row]) -> dict[str, Row]:
    """The municipality rows by their Finnish and Swedish names, and Pertunmaa's (joined Mäntyharju in 2025; the
    borders are of 2023)."""
    by_name = {m.name_fi: m for m in municipalities} | {m.name_sv: m for m in municipalities if m.name_sv}
    by_name["Pertunmaa"] = by_name["Mäntyharju"]
    return by_name


def municipality_at(country: str, named: str, lat: float, lon: float, by_name: dict[str, Row]) -> Row | None:
    """The municipality the borders put the point in, else the ``named`` one (the postal data keeps some from
    before mergers); in Åland (``country`` "AX") one of its own, since the coarse borders give some outer islands
    to Parainen."""
    found = [by_name[n] for n in outline().municipalities_at(lat, lon) if n in by_name]
    if country == "AX":
        aland = [m for m in by_name.values() if m.region == "Ahvenanmaa"]
        found = [m for m in found if m in aland] or [min(aland, key=lambda m: distance_km(lat, lon, m.lat, m.lon))]
    if len(found) == 1:
        return found[0]
    return by_name.get(named)
