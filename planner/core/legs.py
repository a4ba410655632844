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


def stretches(steps: list, names: list, roads: list) -> list[Seg]:
    """A path's segments from its steps in order (a segment, or a road of the network's ``roads`` as (node, node,
    road, far)): each stretch of roads of one kind (``far`` alike) one car segment, its minutes and km summed along
    it, as ``legs_of`` would merge them into one leg anyway for each journey taking the path."""
    out: list[Seg] = []
    stretch: list | None = None      # [first node, last node, minutes, km, far]
    for step in steps + [None]:
        road = isinstance(step, tuple)
        if road and stretch is not None and stretch[4] == step[3]:
            stretch[1:4] = step[1], stretch[2] + roads[step[2]][3], stretch[3] + roads[step[2]][2]
            continue
        if stretch is not None:
            out.append(Seg("car", names[stretch[0]], names[stretch[1]], stretch[2], stretch[3], far=stretch[4]))
        stretch = [step[0], step[1], roads[step[2]][3], roads[step[2]][2], step[3]] if road else None
        if step is not None and not road:
            out.append(step)
    return out


def legs_of(segs: list[Seg], a_name: str, b_name: str, settings: Settings, ferries: list) -> list[Leg]:
    """The legs of a path: runs of one mode merged (car stretches of different kinds apart), each train ride and
    each flight a leg of its own, a change of planes beginning the next flight's leg; each with its cost (own car,
    rental car, taxi, ferry fare with or without a car, train and flight fares: one base fare through the hub); the
    ends carry the caller's names."""
    s = settings
    uses_pt = False
    # runs in one pass: [first seg, last seg, km, minutes, a train ride or flight in it], summed in the path's order
    runs: list[list] = []
    for seg in segs:
        mode = seg.mode
        if mode == "car":
            if seg.km == 0 and seg.minutes == 0:
                continue
        elif mode == "train" or mode == "flight":
            uses_pt = True
        if runs:
            run = runs[-1]
            first = run[0]
            if (first.mode == mode and first.far == seg.far and mode != "ferry" and not seg.change
                    and not (seg.service and run[4])):
                run[1] = seg
                run[2] += seg.km
                run[3] += seg.minutes
                run[4] = run[4] or seg.service
                continue
        runs.append([seg, seg, seg.km, seg.minutes, seg.service])
    modes = ["taxi" if run[0].mode == "car" and uses_pt and run[2] <= s.taxi_max_km else run[0].mode for run in runs]
    legs: list[Leg] = []
    rental_charged = False
    last = len(runs) - 1
    for idx, (first, end, km, minutes, _service) in enumerate(runs):
        mode = modes[idx]
        if mode == "car" and first.far:
            cost = km * s.rental_fuel_eur_per_km + (0.0 if rental_charged else s.rental_car_day_eur / 2)
            rental_charged = True
        elif mode == "car":
            cost = km * s.mileage_eur_per_km
        elif mode == "taxi":
            cost = s.taxi_base_eur + km * s.taxi_eur_per_km
        elif mode == "walk":
            cost = 0.0
        elif mode == "ferry":
            net_ferry = ferries[first.ferry]
            with_car = any(modes[j] == "car" for j in (idx - 1, idx + 1) if 0 <= j < len(modes))
            cost = net_ferry[5] if with_car else net_ferry[6]
        elif mode == "train":
            cost = max(s.train_min_fare_eur, km * s.train_eur_per_km)
        elif first.change:     # a connecting flight: one ticket through the hub, its base fare paid once
            cost = km * s.flight_eur_per_km
        else:   # flight
            cost = s.flight_base_eur + km * s.flight_eur_per_km
        # the ends carry the caller's names
        legs.append(Leg(mode, a_name if idx == 0 else first.a, b_name if idx == last else end.b,
                        math.ceil(minutes - 1e-9), round(km, 1), round(cost, 2)))
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
