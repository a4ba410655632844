"""A journey's legs from the segments of its path, and what each leg costs (the built-in model,
``planner.core.road_network``)."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .journeys import Leg
from .settings import Settings


# Segments: the raw pieces of a path before they are merged into legs.
@dataclass
class Seg:
    mode: str               # car | walk | ferry | train | flight
    a: str                  # from name
    b: str                  # to name
    minutes: float
    km: float
    far: bool = False       # car driven after public transport (taxi or rental car)
    ferry: int | None = None
    service: bool = False   # a train ride or a flight itself (not boarding, leaving or changing)
    change: bool = False    # changing planes: the next leg begins here
    wait: float = 0.0       # of ``minutes``, the average wait for a departure (ferries, trains, flights)
    timetable: object = None    # the link's departures within a day (``network_data.Timetable``), if known


def legs_of(segs: list[Seg], a_name: str, b_name: str, settings: Settings, ferries: list) -> list[Leg]:
    """The legs of a path: runs of one mode merged (car stretches of different kinds apart), each train ride and
    each flight a leg of its own, a change of planes beginning the next flight's leg; each with its cost (own car,
    rental car, taxi, ferry fare with or without a car, train and flight fares: one base fare through the hub); the
    ends carry the caller's names."""
    s = settings
    uses_pt = any(seg.mode in ("train", "flight") for seg in segs)
    runs: list[list[Seg]] = []
    for seg in segs:
        if seg.km == 0 and seg.minutes == 0 and seg.mode == "car":
            continue
        if (runs and runs[-1][0].mode == seg.mode and runs[-1][0].far == seg.far and seg.mode != "ferry"
                and not seg.change and not (seg.service and any(x.service for x in runs[-1]))):
            runs[-1].append(seg)
        else:
            runs.append([seg])
    legs: list[Leg] = []
    rental_charged = False
    modes: list[str] = []
    for run in runs:
        mode = run[0].mode
        km = sum(x.km for x in run)
        if mode == "car" and uses_pt and km <= s.taxi_max_km:
            mode = "taxi"
        modes.append(mode)
    for idx, run in enumerate(runs):
        mode = modes[idx]
        km = sum(x.km for x in run)
        minutes = math.ceil(sum(x.minutes for x in run) - 1e-9)
        if mode == "car" and run[0].far:
            cost = km * s.rental_fuel_eur_per_km + (0.0 if rental_charged else s.rental_car_day_eur / 2)
            rental_charged = True
        elif mode == "car":
            cost = km * s.mileage_eur_per_km
        elif mode == "taxi":
            cost = s.taxi_base_eur + km * s.taxi_eur_per_km
        elif mode == "walk":
            cost = 0.0
        elif mode == "ferry":
            net_ferry = ferries[run[0].ferry]
            with_car = any(modes[j] == "car" for j in (idx - 1, idx + 1) if 0 <= j < len(modes))
            cost = net_ferry[5] if with_car else net_ferry[6]
        elif mode == "train":
            cost = max(s.train_min_fare_eur, km * s.train_eur_per_km)
        elif run[0].change:     # a connecting flight: one ticket through the hub, its base fare paid once
            cost = km * s.flight_eur_per_km
        else:   # flight
            cost = s.flight_base_eur + km * s.flight_eur_per_km
        legs.append(Leg(mode, run[0].a, run[-1].b, minutes, round(km, 1), round(cost, 2)))
    if legs:        # the ends carry the caller's names
        legs[0] = Leg(legs[0].mode, a_name, legs[0].to_name, legs[0].minutes, legs[0].km, legs[0].cost_eur)
        legs[-1] = Leg(legs[-1].mode, legs[-1].from_name, b_name, legs[-1].minutes, legs[-1].km,
                       legs[-1].cost_eur)
    return legs


def timed_segs(segs: list[Seg], depart: float) -> list[Seg] | tuple[object, float]:
    """``segs`` leaving at minute ``depart`` of the day, each wait the one until its link's next departure by the
    link's timetable (its average wait where it has none); or (timetable, minute ready) for the first link whose last
    departure has left by then."""
    clock, out = float(depart), []
    for seg in segs:
        if seg.wait or seg.timetable is not None:
            leaves = seg.timetable.departure(clock, seg.wait) if seg.timetable is not None else clock + seg.wait
            if leaves is None:
                return seg.timetable, clock
            seg = replace(seg, minutes=seg.minutes - seg.wait + leaves - clock, wait=leaves - clock)
        out.append(seg)
        clock += seg.minutes
    return out
