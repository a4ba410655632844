"""Many journeys of the built-in travel model at once: the plain drives computed with numpy.

Most pairs a week needs are a drive on the mainland: one car leg whose time and length come from the road graph's
shortest paths and each point's calibrated access roads (``road_network``: great circle × ``POINT_DETOUR`` at
``POINT_KMH``). For those, ``road_journeys`` does what ``NetworkTravelModel.journey`` does, for every pair in one pass
over arrays: the same candidate routes (straight across when near, else through each end's nearest nodes), the same
choice (the first fastest, in the same order) and the same rounding, so the journeys are the ones the per-pair model
gives (up to the last bit of a float sum: a leg's minutes are summed in another order).

A pair is left to the per-pair model (``None``) whenever its answer may be more than one car leg: a ferry on the way,
an end in a car-free zone,
public transport that could be faster (trains and flights), no route at all, or a degenerate drive of no length.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .journeys import Journey, Leg, Located, check_mode, haversine_km, haversine_many
from .travel_choice import share_of
from .road_network import (AFTER, DIRECT_MAX_KM, N_STATES, NEAREST_K, OWN, POINT_DETOUR, POINT_KMH, SAME_PLACE_KM,
                           NetworkTravelModel)

NO_TRAVEL = Journey((), 0, 0.0, 0.0, "car")
# Margin on float sums: a per-leg ceiling is taken at 1e-9 below the whole minute, and a journey has at most a few
# legs, so a multimodal journey takes at least ceil(t - 1e-8) whole minutes.
SUM_SLACK = 1e-8


class _Ends:
    """The distinct points of the pairs with where each joins the network: zone, and NEAREST_K (node, access km),
    padded with unreachable anchors (infinite km) where a point has fewer."""

    def __init__(self, model: NetworkTravelModel, pairs: Sequence[tuple[Located, Located]]):
        index: dict[tuple[float, float], int] = {}
        by_object: dict[int, int] = {}     # the same objects come back in many pairs: skip hashing coordinates
        points: list[Located] = []
        ends = np.empty((len(pairs), 2), dtype=np.intp)
        for k, pair in enumerate(pairs):
            for side, p in enumerate(pair):
                i = by_object.get(id(p))
                if i is None:
                    i = by_object[id(p)] = index.setdefault((p.lat, p.lon), len(points))
                    if i == len(points):
                        points.append(p)
                ends[k, side] = i
        self.a, self.b = ends[:, 0], ends[:, 1]
        self.lat = np.array([float(p.lat) for p in points])
        self.lon = np.array([float(p.lon) for p in points])
        zones: dict[str, int] = {}
        self.zone = np.empty(len(points), dtype=np.intp)
        self.on_foot = np.zeros(len(points), dtype=bool)     # in a car-free zone: the per-pair model walks
        self.node = np.zeros((len(points), NEAREST_K), dtype=np.intp)
        self.km = np.full((len(points), NEAREST_K), np.inf)
        for i, p in enumerate(points):
            zone, anchors = model.anchors(p)
            self.zone[i] = zones.setdefault(zone, len(zones))
            self.on_foot[i] = zone in model.net.car_free
            for j, (node, km) in enumerate(anchors):
                self.node[i, j], self.km[i, j] = node, km


def _node_tables(model: NetworkTravelModel, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Node × node minutes, km and ferry flags of the car trees from ``sources`` (other rows: unreachable)."""
    n = len(model.net)
    minutes, km, ferry = np.full((n, n), np.inf), np.zeros((n, n)), np.zeros((n, n), dtype=bool)
    for s in np.unique(sources):
        minutes[s], km[s], ferry[s] = model.engine.car_table(int(s))
    return minutes, km, ferry


def _multi_tables(model: NetworkTravelModel, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Node × node minutes of the multimodal trees from ``sources``, arriving still in one's own car (no public
    transport) and arriving after public transport."""
    n = len(model.net)
    own, after = np.full((n, n), np.inf), np.full((n, n), np.inf)
    for s in np.unique(sources):
        dist = np.array(model.engine.multi_tree(int(s))[0]).reshape(n, N_STATES)
        own[s], after[s] = dist[:, OWN], dist[:, AFTER]
    return own, after


def _fastest(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the first fastest column (as the per-pair model's strict ``<`` scan picks) and its minutes."""
    t = np.stack(columns, axis=1)
    first = np.argmin(t, axis=1)
    return first, t[np.arange(len(t)), first]


def road_journeys(model: NetworkTravelModel, pairs: Sequence[tuple[Located, Located]],
                  mode: str = "best") -> list[Journey | None]:
    """``model.journey(a, b, mode)`` for every pair that is a plain drive (or the same place); None for a pair the
    per-pair model must answer (ferry, maybe public transport, no route)."""
    check_mode(mode)
    out: list[Journey | None] = [None] * len(pairs)
    if not pairs:
        return out
    ends = _Ends(model, pairs)
    a, b = ends.a, ends.b
    gc = haversine_many(ends.lat[a], ends.lon[a], ends.lat[b], ends.lon[b])
    # Near the thresholds that decide (same place, straight across) the distance is the per-pair model's own.
    for k in np.flatnonzero(gc < DIRECT_MAX_KM + 1.0):
        p, q = pairs[k]
        gc[k] = haversine_km(p.lat, p.lon, q.lat, q.lon)
    # Car: straight across (same zone, near) first, then through each pair of anchors, in the per-pair order.
    direct_km = gc * POINT_DETOUR
    direct = np.where((ends.zone[a] == ends.zone[b]) & (gc <= DIRECT_MAX_KM), 60.0 * direct_km / POINT_KMH, np.inf)
    node_a, km_a, node_b, km_b = ends.node[a], ends.km[a], ends.node[b], ends.km[b]
    minutes, km, ferry = _node_tables(model, node_a[np.isfinite(km_a)])
    times, kms, ferries = [direct], [direct_km], [np.zeros(len(pairs), dtype=bool)]
    for i in range(NEAREST_K):
        for j in range(NEAREST_K):
            na, nb = node_a[:, i], node_b[:, j]
            times.append(60.0 * (km_a[:, i] + km_b[:, j]) / POINT_KMH + minutes[na, nb])
            kms.append(km_a[:, i] + km[na, nb] + km_b[:, j])
            ferries.append(ferry[na, nb])
    choice, car_t = _fastest(times)
    rows = np.arange(len(pairs))
    car_km = np.stack(kms, axis=1)[rows, choice]
    car_ferry = np.stack(ferries, axis=1)[rows, choice]
    # Public transport: only for long drives; the multimodal search's fastest arrival, by car alone or after a
    # train or flight, in the per-pair order (anchors, then own car before after-transport).
    transit_t = np.full(len(pairs), np.inf)
    after_t = np.full(len(pairs), np.inf)   # the fastest arrival after a train or flight
    transit_used = np.zeros(len(pairs), dtype=bool)
    long = (car_km >= model.settings.public_transport_min_km - 1.0) & np.isfinite(car_t)
    if mode in ("best", "fastest", "public") and long.any():
        own, after = _multi_tables(model, node_a[long][np.isfinite(km_a[long])])
        columns = []
        for i in range(NEAREST_K):
            for j in range(NEAREST_K):
                access = 60.0 * (km_a[long, i] + km_b[long, j]) / POINT_KMH
                na, nb = node_a[long, i], node_b[long, j]
                columns += [access + own[na, nb], access + after[na, nb]]
        first, transit_t[long] = _fastest(columns)
        transit_used[long] = first % 2 == 1     # odd columns arrive after a train or flight
        after_t[long] = _fastest(columns[1::2])[1]
    whole = np.ceil(car_t - 1e-9)          # minutes as the per-pair model rounds a leg
    maybe_transit = transit_used & (np.ceil(transit_t - SUM_SLACK) < whole)
    if mode == "public":    # any train or flight, however slow, is taken
        maybe_transit = long & np.isfinite(transit_t)
    elif mode == "best":    # the policy (travel_choice) may take a train or flight that is slower but cheaper
        s = model.settings
        per_minute = s.working_time_eur_per_hour / 60.0
        car_cost = whole * per_minute + car_km * (s.mileage_eur_per_km + s.emissions_eur_per_kg * s.co2_car_kg_per_km)
        # the drive's share of allowances and hotel (travel_choice.trip_share); a train or flight's is at least 0
        car_cost[long] += [share_of(m, km, s) for m, km in zip(whole[long].tolist(), car_km[long].tolist())]
        fare = min(s.train_min_fare_eur, s.flight_base_eur)     # no train or flight costs less than this
        maybe_transit = long & (after_t * per_minute + fare <= car_cost * (1 + s.less_driving_margin) + 1e-6)
    plain = (np.isfinite(car_t) & ~car_ferry & (car_km > 0.0) & (gc >= SAME_PLACE_KM) & ~ends.on_foot[a]
             & ~ends.on_foot[b])
    for k in np.flatnonzero(gc < SAME_PLACE_KM):
        out[k] = NO_TRAVEL
    mileage, min_km = model.settings.mileage_eur_per_km, model.settings.public_transport_min_km
    index = np.flatnonzero(plain)
    for k, leg_km, minutes, transit in zip(index.tolist(), car_km[index].tolist(), whole[index].astype(int).tolist(),
                                           maybe_transit[index].tolist()):
        distance = round(leg_km, 1)
        if transit and mode in ("best", "fastest", "public") and distance >= min_km:
            continue        # a train or flight may win: the per-pair model decides
        p, q = pairs[k]
        leg = Leg("car", p.name, q.name, minutes, distance, round(leg_km * mileage, 2))
        out[k] = Journey((leg,), minutes, distance, leg.cost_eur, "car")
    return out


def journeys(model, pairs: Sequence[tuple[Located, Located]], mode: str = "best") -> list[Journey]:
    """``model.journey(a, b, mode)`` for every pair: the plain drives at once when ``model`` is the built-in model,
    the rest one by one (a ValueError for a pair without a route propagates, as from ``journey``)."""
    fast = road_journeys(model, pairs, mode) if isinstance(model, NetworkTravelModel) else [None] * len(pairs)
    return [j if j is not None else model.journey(p, q, mode) for j, (p, q) in zip(fast, pairs)]
