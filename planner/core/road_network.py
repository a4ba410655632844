"""The built-in travel model: Finland's main roads, ferries, domestic flights and long-distance trains as one small
graph, searched with Dijkstra over travel states (how it works: ``planner.core.travel``; accuracy: docs/travel.md)."""
from __future__ import annotations

import hashlib
import heapq
import json
import math
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from .journeys import Journey, Located, Point, check_mode, haversine_km
from .legs import Seg, legs_of, stretches, timed_segs
from .local_time import helsinki_today
from .network_data import (RAIL_DETOUR, SEA_DETOUR, Network, calendar_of, closed_links, load_network,
                           network_doc, network_file)
from .settings import DEFAULT_SETTINGS, Settings
from .travel_choice import choose
from .travel_errors import NoDeparture, NoRoute

POINT_DETOUR = 1.3          # a point's own road to the network: great circle × this
POINT_KMH = 55.0            # ... driven at this average speed
DIRECT_MAX_KM = 30.0        # two points of one zone closer than this may also drive straight to each other
NEAREST_K = 3               # a point joins the network through this many nearest nodes of its zone
SAME_PLACE_KM = 0.05        # closer than this is the same place
WALK_KMH = 4.5              # on foot, in a car-free zone (Suomenlinna)
# A change of planes (at Helsinki-Vantaa, the hub every domestic route but Turku-Mariehamn touches): Finavia's minimum
# connecting time for domestic flights there is 35 min; the connecting flight's own schedule wait is not added, as
# the hub's timetable is built around such connections.
CONNECTION_MINUTES = 40

# What a journey of this model depends on besides the two points, for caches of journeys (``fingerprint``): the
# settings it reads (a test checks this list against the source), its constants and a version of its rules, raised
# whenever the way a journey is computed changes.
TRAVEL_SETTINGS = ("mileage_eur_per_km", "train_eur_per_km", "train_min_fare_eur", "flight_base_eur",
                   "flight_eur_per_km", "rental_car_day_eur", "rental_fuel_eur_per_km", "taxi_eur_per_km",
                   "taxi_base_eur", "taxi_max_km", "public_transport_min_km", "airport_before_minutes",
                   "airport_after_minutes", "station_before_minutes", "station_after_minutes",
                   "working_time_eur_per_hour", "less_driving_margin", "daily_allowance_full_eur",
                   "daily_allowance_partial_eur", "allowance_min_distance_km", "hotel_night_eur", "longest_day_minutes",
                   "emissions_eur_per_kg", "co2_car_kg_per_km", "co2_train_kg_per_km", "co2_flight_kg_per_km",
                   "co2_ferry_kg_per_km")
MODEL_VERSION = 4


# States of the multimodal search: own car (before any public transport), on a train (after a ride: one may get off),
# at the airport before the first flight, after public transport (taxi or rental car), landed (leave the airport or
# change planes), changing planes (the next flight leaves without its schedule wait), and on the platform before the
# first train (one gets off only after riding: boarding and leaving at once is no journey by train).
OWN, TRAIN, AIR, AFTER, LANDED, CONNECTING, ON_PLATFORM = 0, 1, 2, 3, 4, 5, 6
N_STATES = 7


# Search -----------------------------------------------------------------------------------------------------------

# An edge of the state graph: (to_state, minutes, kind, payload). kind: "road", "ferry", "train", "flight", "board",
# "alight", "connect"; payload indexes the network's lists (or is the state boarded or left).
Edge = tuple[int, float, str, object]


class _Engine:
    """State graphs and cached shortest-path trees for one network and one set of settings."""

    def __init__(self, net: Network, settings: Settings):
        self.net, self.settings = net, settings
        n = len(net)
        # car graph: nodes only (own car with ferries)
        self.car_adj: list[list[Edge]] = [[] for _ in range(n)]
        for i, (a, b, km, minutes, ref) in enumerate(net.roads):
            self.car_adj[a].append((b, minutes, "road", i))
            self.car_adj[b].append((a, minutes, "road", i))
        for i, (a, b, km, minutes, wait, *_rest) in enumerate(net.ferries):
            self.car_adj[a].append((b, minutes + wait, "ferry", i))
            self.car_adj[b].append((a, minutes + wait, "ferry", i))
        # multimodal graph: state = node * N_STATES + mode state
        s = settings
        adj: list[list[Edge]] = [[] for _ in range(n * N_STATES)]
        for a in range(n):
            for b, minutes, kind, payload in self.car_adj[a]:
                for st in (OWN, AFTER):
                    adj[a * N_STATES + st].append((b * N_STATES + st, minutes, kind, payload))
        stations, airports = set(), set()
        for i, (a, b, km, minutes, wait) in enumerate(net.trains):
            if km >= s.public_transport_min_km:     # public transport only for long legs
                stations.update((a, b))
                for x, y in ((a, b), (b, a)):
                    for st in (ON_PLATFORM, TRAIN):
                        adj[x * N_STATES + st].append((y * N_STATES + TRAIN, minutes + wait, "train", (i, x, y)))
        for i, (a, b, km, minutes, wait) in enumerate(net.flights):
            if km >= s.public_transport_min_km:
                airports.update((a, b))
                for x, y in ((a, b), (b, a)):       # every flight lands; only the first one waits for its departure
                    adj[x * N_STATES + AIR].append((y * N_STATES + LANDED, minutes + wait, "flight", (i, x, y)))
                    adj[x * N_STATES + CONNECTING].append((y * N_STATES + LANDED, minutes, "flight", (i, x, y)))
        for stops, st, left, before, after in (
                (stations, ON_PLATFORM, TRAIN, s.station_before_minutes, s.station_after_minutes),
                (airports, AIR, LANDED, s.airport_before_minutes, s.airport_after_minutes)):
            for v in stops:
                for src in (OWN, AFTER):
                    adj[v * N_STATES + src].append((v * N_STATES + st, float(before), "board", left))
                adj[v * N_STATES + left].append((v * N_STATES + AFTER, float(after), "alight", left))
        for v in airports:
            adj[v * N_STATES + LANDED].append((v * N_STATES + CONNECTING, float(CONNECTION_MINUTES), "connect", AIR))
        self.multi_adj = adj
        # --mode public boards at a station or airport at once: no driving one's own car beyond it
        self.stops = sorted(stations | airports)
        self.public_adj = [[e for e in edges if not (u % N_STATES == OWN and e[2] in ("road", "ferry"))]
                           for u, edges in enumerate(adj)]
        self.rail_adj = [[e for e in edges if e[2] != "flight"] for edges in adj]    # by train alone
        self._car_trees: dict[int, tuple[list[float], list]] = {}
        self._multi_trees: dict[int, tuple[list[float], list]] = {}
        self._public_trees: dict[int, tuple[list[float], list]] = {}
        self._rail_trees: dict[int, tuple[list[float], list]] = {}
        self._car_tables: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.paths: dict[tuple, list] = {}     # (graph, source, target) → segments, roads merged (NetworkTravelModel)

    @staticmethod
    def _dijkstra(adj: list[list[Edge]], source: int) -> tuple[list[float], list]:
        dist = [math.inf] * len(adj)
        pred: list = [None] * len(adj)
        dist[source] = 0.0
        heap = [(0.0, source)]
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            for v, w, kind, payload in adj[u]:
                nd = d + w
                if nd < dist[v]:
                    dist[v] = nd
                    pred[v] = (u, kind, payload)
                    heapq.heappush(heap, (nd, v))
        return dist, pred

    def car_tree(self, source: int) -> tuple[list[float], list]:
        tree = self._car_trees.get(source)
        if tree is None:
            tree = self._car_trees[source] = self._dijkstra(self.car_adj, source)
        return tree

    def car_table(self, source: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The car tree from ``source`` as arrays over the nodes: minutes, km along the path, and whether the path
        takes a ferry (for computing many journeys at once, ``planner.core.journey_matrix``)."""
        table = self._car_tables.get(source)
        if table is None:
            dist, pred = self.car_tree(source)
            km, ferry = [0.0] * len(dist), [False] * len(dist)
            done = [False] * len(dist)
            done[source] = True
            for v in range(len(dist)):
                chain = []          # walk up to a node already done, then fill in downwards
                while not done[v] and pred[v] is not None:
                    chain.append(v)
                    v = pred[v][0]
                for w in reversed(chain):
                    u, kind, payload = pred[w]
                    km[w] = km[u] + (self.net.roads[payload][2] if kind == "road" else self.net.ferries[payload][2])
                    ferry[w] = ferry[u] or kind == "ferry"
                    done[w] = True
            table = self._car_tables[source] = (np.array(dist), np.array(km), np.array(ferry))
        return table

    def _state_tree(self, trees: dict, adj: list[list[Edge]], source: int) -> tuple[list[float], list]:
        """The shortest-path tree of ``adj`` from ``source`` in its own car, kept in ``trees``."""
        tree = trees.get(source)
        if tree is None:
            tree = trees[source] = self._dijkstra(adj, source * N_STATES + OWN)
        return tree

    def multi_tree(self, source: int) -> tuple[list[float], list]:
        return self._state_tree(self._multi_trees, self.multi_adj, source)

    def rail_tree(self, source: int) -> tuple[list[float], list]:
        """As ``multi_tree``, by train alone (no flight)."""
        return self._state_tree(self._rail_trees, self.rail_adj, source)

    def public_tree(self, source: int) -> tuple[list[float], list]:
        """From the station or airport ``source``, boarding there (``--mode public``)."""
        return self._state_tree(self._public_trees, self.public_adj, source)


@lru_cache(maxsize=16)
def _engine(path: str, settings: Settings, closed: tuple[tuple[str, int], ...] = ()) -> _Engine:
    return _Engine(load_network(path, closed), settings)


class NetworkTravelModel:
    """The built-in travel model: Finland's main roads, ferries, domestic flights and long-distance trains."""

    def __init__(self, settings: Settings = DEFAULT_SETTINGS, network_path: str | Path | None = None,
                 day: date | None = None, later: timedelta = timedelta(0)):
        """The network as it runs on ``day`` (today in Helsinki by default): links open or close on a date. The
        network's data: ``network_path``, else the settings' ``network_file``, else the shipped file. ``later``:
        every day runs as the network will run that much later (a what-if: "as if the link were open already",
        whole weeks, so each weekday keeps its own flights)."""
        self.settings = settings
        self.network_path = str(network_path or network_file(settings.network_file))
        self.day = day or helsinki_today()
        self.later = later
        self.closed = closed_links(network_doc(self.network_path), self.day + later)
        self.engine = _engine(self.network_path, settings, self.closed)
        self._other_days: dict[tuple, NetworkTravelModel] = {}
        self._fingerprint: str | None = None
        self.net = self.engine.net
        self._anchor_cache: dict[tuple[float, float], tuple[str, list[tuple[int, float]]]] = {}
        self._reach_cache: dict[tuple[float, float], tuple[str, list[tuple[int, float, float]]]] = {}
        self._boarding_cache: dict[tuple[float, float], list[tuple[float, int, list[Seg]]]] = {}

    # points and zones -----------------------------------------------------------------------------------------
    def anchors(self, p: Located) -> tuple[str, list[tuple[int, float]]]:
        """(zone, [(node, access km)]) for point ``p``: the nearest nodes of the zone of its nearest node."""
        key = (round(float(p.lat), 6), round(float(p.lon), 6))
        hit = self._anchor_cache.get(key)
        if hit is None:
            zone, ranked = self.net.nearest_of_zone(*key, NEAREST_K)
            same = [(node, 0.0 if gc < SAME_PLACE_KM else gc * POINT_DETOUR) for gc, node in ranked]
            if same[0][1] == 0.0:
                same = same[:1]
            hit = self._anchor_cache[key] = (zone, same)
        return hit

    def _reach(self, p: Located) -> tuple[str, list[tuple[int, float, float]]]:
        """``anchors`` with each node's access minutes: (zone, [(node, access km, access minutes)]); a journey looks
        its ends up once and hands them to each of its searches."""
        key = (round(float(p.lat), 6), round(float(p.lon), 6))
        hit = self._reach_cache.get(key)
        if hit is None:
            zone, anchors = self.anchors(p)
            hit = self._reach_cache[key] = (zone, [(node, km, self._access_minutes(zone, km)) for node, km in anchors])
        return hit

    def on(self, day: date) -> "NetworkTravelModel":
        """This model as the network runs on ``day``: itself when the same links run then, else one model per set
        of running links (kept, so days alike share their journeys)."""
        closed = closed_links(network_doc(self.network_path), day + self.later)
        if closed == self.closed:
            return self
        if closed not in self._other_days:
            self._other_days[closed] = NetworkTravelModel(self.settings, self.network_path, day, self.later)
        return self._other_days[closed]

    def not_running(self, *zones: str) -> list[dict]:
        """The ferries and flights to or from ``zones`` (the islands among them) that do not run on the model's day,
        with their calendars."""
        doc, net = network_doc(self.network_path), self.net
        zones = set(zones) - {"mainland"}
        out = []
        for section, i in self.closed:
            link = doc[section][i]
            if section in ("ferries", "flights") and {net.zone[net.index[link["from"]]],
                                                       net.zone[net.index[link["to"]]]} & zones:
                out.append({"kind": "ferry" if section == "ferries" else "flight",
                            "from": net.names[net.index[link["from"]]], "to": net.names[net.index[link["to"]]],
                            **calendar_of(link)})
        return out

    def zone_of(self, p: Located) -> str:
        """"mainland" or the island group ``p`` is on ("aland", "foglo", "hailuoto", "nagu", ...)."""
        return self.anchors(p)[0]

    @property
    def fingerprint(self) -> str:
        """Changes whenever a journey between the same two points could change: the network's data (roads, speeds,
        detours, ferries, flights, trains), the links not running on the model's day, the model's constants and
        rules, and the travel settings."""
        if self._fingerprint is None:
            digest = hashlib.sha256(Path(self.network_path).read_bytes())
            digest.update(json.dumps(self.closed).encode())
            constants = (MODEL_VERSION, POINT_DETOUR, POINT_KMH, WALK_KMH, CONNECTION_MINUTES, DIRECT_MAX_KM, NEAREST_K, SAME_PLACE_KM, RAIL_DETOUR,
                         SEA_DETOUR, [(name, getattr(self.settings, name)) for name in TRAVEL_SETTINGS])
            digest.update(json.dumps(constants).encode())
            self._fingerprint = digest.hexdigest()[:32]
        return self._fingerprint

    # the public API -------------------------------------------------------------------------------------------
    def journey(self, a: Located, b: Located, mode: str = "best", depart: float | None = None) -> Journey:
        """The journey from ``a`` to ``b`` by ``mode`` (``MODES``). ``depart``: leaving at this minute of the model's
        day, each ferry, train and flight is taken at its next departure by its timetable, and a way that misses the
        last one is not taken (``NoDeparture`` when every way does); None: each waits its link's average wait."""
        check_mode(mode)
        gc = haversine_km(a.lat, a.lon, b.lat, b.lon)
        if gc < SAME_PLACE_KM:
            return Journey((), 0, 0.0, 0.0, "car")
        ends = (self._reach(a), self._reach(b))
        car_segs = self._car_segs(a, b, ends, gc)[1]
        drive = self._journey_of(car_segs, a, b)
        ways = {"car": car_segs}
        if mode != "car" and drive.distance_km >= self.settings.public_transport_min_km:
            ways["public"] = self._public_segs(a, b, ends[1])
            if mode != "public":
                ways["multi"] = self._multi_segs(a, b, ends)
            if mode == "best" and self.settings.emissions_eur_per_kg:    # weighed: the train alone is a choice too
                ways["rail"] = self._multi_segs(a, b, ends, rail=True)
        missed: list[tuple[object, float]] = []
        found: dict[str, Journey] = {}
        for name, segs in ways.items():
            if segs is None:
                continue
            if depart is None:
                found[name] = drive if name == "car" else self._journey_of(segs, a, b)
                continue
            timed = timed_segs(segs, depart)
            if isinstance(timed, tuple):
                missed.append(timed)
            else:
                found[name] = self._journey_of(timed, a, b)
        if not found:
            raise NoDeparture(a.name, b.name, self.day, depart, *missed[0])
        car, multi, public, rail = found.get("car"), found.get("multi"), found.get("public"), found.get("rail")
        if mode == "car" or len(ways) == 1:
            return car if car is not None else next(iter(found.values()))
        if mode == "public":    # by train or plane wherever one goes, however long it takes; else by car
            return public if public is not None else car
        if mode == "fastest":
            return min((j for j in (car, multi) if j is not None), key=lambda j: j.minutes, default=public)
        return choose([j for j in (car, multi, public, rail) if j is not None], self.settings)   # the "best" policy

    def _journey_of(self, segs: list[Seg], a: Located, b: Located) -> Journey:
        return Journey.from_legs(legs_of(segs, a.name, b.name, self.settings, self.net.ferries))

    def journey_matrix(self, points: Sequence[Located], mode: str = "best") -> list[list[Journey]]:
        """Journeys between all ordered pairs of ``points`` (the diagonal is an empty journey)."""
        from .journey_matrix import journeys    # built on this module: the plain drives at once, the rest per pair
        flat, n = journeys(self, [(a, b) for a in points for b in points], mode), len(points)
        return [flat[i * n:(i + 1) * n] for i in range(n)]

    # car ------------------------------------------------------------------------------------------------------
    def _car_segs(self, a: Located, b: Located, ends: tuple | None = None,
                  gc: float | None = None) -> tuple[float, list[Seg]]:
        """The fastest drive from ``a`` to ``b``: its minutes and segments. ``ends``: ``_reach`` of both, and ``gc``
        their great-circle distance, when the caller has them."""
        (za, reach_a), (zb, reach_b) = ends or (self._reach(a), self._reach(b))
        best: tuple[float, object] | None = None
        if gc is None:
            gc = haversine_km(a.lat, a.lon, b.lat, b.lon)
        if za == zb and gc <= DIRECT_MAX_KM:
            km = gc * POINT_DETOUR
            best = (self._access_minutes(za, km), ("direct", km))
        for na, ka, ma in reach_a:
            dist, _pred = self.engine.car_tree(na)
            for nb, kb, mb in reach_b:
                t = ma + mb + dist[nb]
                if best is None or t < best[0]:
                    best = (t, ("graph", na, ka, nb, kb))
        if best is None or math.isinf(best[0]):
            raise NoRoute(a.name, b.name, self.day, self.not_running(za, zb))
        plan = best[1]
        if plan[0] == "direct":
            segs = [self._access(za, a.name, b.name, plan[1])]
        else:
            _, na, ka, nb, kb = plan
            segs = [self._access(za, a.name, self.net.names[na], ka)]
            segs += self._car_path(na, nb)
            segs.append(self._access(zb, self.net.names[nb], b.name, kb))
        return best[0], segs

    def _access(self, zone: str, a: str, b: str, km: float, far: bool = False) -> Seg:
        """The way between a point and a node (or another point) of one zone: by car, or on foot in a car-free
        zone."""
        mode = "walk" if zone in self.net.car_free else "car"
        return Seg(mode, a, b, self._access_minutes(zone, km), km, far=far and mode == "car")

    def _access_minutes(self, zone: str, km: float) -> float:
        """``_access``'s minutes alone, for the searches that only compare times."""
        return 60.0 * km / (WALK_KMH if zone in self.net.car_free else POINT_KMH)

    def _kept_path(self, key: tuple, find) -> list[Seg]:
        # Many journeys share the path between two nodes: kept per engine (segments are never changed).
        path = self.engine.paths.get(key)
        if path is None:
            path = self.engine.paths[key] = find(*key[1:])
        return path

    def _car_path(self, source: int, target: int) -> list[Seg]:
        return self._kept_path(("car", source, target), self._find_car_path)

    def _find_car_path(self, source: int, target: int) -> list[Seg]:
        _dist, pred = self.engine.car_tree(source)
        steps: list = []
        v = target
        while v != source:
            u, kind, payload = pred[v]
            steps.append((u, v, payload, False) if kind == "road" else self._ferry_seg(u, v, payload))
            v = u
        return stretches(steps[::-1], self.net.names, self.net.roads)

    def _ferry_seg(self, u: int, v: int, i: int) -> Seg:
        _a, _b, km, minutes, wait, *_ = self.net.ferries[i]
        return Seg("ferry", self.net.names[u], self.net.names[v], minutes + wait, km, ferry=i, wait=wait,
                   timetable=self.net.timetable("ferries", i, u))

    # public transport ---------------------------------------------------------------------------------------
    def _multi_segs(self, a: Located, b: Located, ends: tuple | None = None,
                    rail: bool = False) -> list[Seg] | None:
        """The fastest way with trains or planes (``rail``: trains alone) from ``a`` to ``b`` (driving to them), or
        None when none helps. ``ends``: ``_reach`` of both, when the caller has them."""
        (za, reach_a), (zb, reach_b) = ends or (self._reach(a), self._reach(b))
        tree = self.engine.rail_tree if rail else self.engine.multi_tree
        best: tuple[float, tuple] | None = None
        for na, ka, ma in reach_a:
            dist, _pred = tree(na)
            for nb, kb, mb in reach_b:
                for st in (OWN, AFTER):
                    t = ma + mb + dist[nb * N_STATES + st]
                    if best is None or t < best[0]:
                        best = (t, (na, ka, nb, kb, st))
        if best is None or math.isinf(best[0]):
            return None
        na, ka, nb, kb, st = best[1]
        path = self._kept_path(("rail" if rail else "multi", na, nb * N_STATES + st),
                               lambda source, target: self._find_multi_path(source, target, tree))
        if not any(seg.mode in ("train", "flight") for seg in path):
            return None         # the car journey already covers this
        segs = [self._access(za, a.name, self.net.names[na], ka)]
        segs += path
        segs.append(self._access(zb, self.net.names[nb], b.name, kb, far=(st == AFTER)))
        return segs

    def _public_segs(self, a: Located, b: Located, end: tuple | None = None) -> list[Seg] | None:
        """By train or plane from one of the stations or airports nearest to ``a`` (reached by the fastest drive:
        a taxi when short), the far end as in ``_multi_segs``; None when no train or flight helps. ``end``:
        ``_reach`` of ``b``, when the caller has it."""
        net = self.net
        zb, reach_b = end or self._reach(b)
        best: tuple | None = None
        for minutes, stop, access in self._boarding(a):
            dist, _pred = self.engine.public_tree(stop)
            for nb, kb, mb in reach_b:
                t = minutes + dist[nb * N_STATES + AFTER] + mb
                if best is None or t < best[0]:
                    best = (t, stop, access, nb, kb)
        if best is None or math.isinf(best[0]):
            return None
        _t, stop, access, nb, kb = best
        path = self._kept_path(("public", stop, nb * N_STATES + AFTER), self._find_public_path)
        if not any(seg.mode in ("train", "flight") for seg in path):
            return None
        return access + path + [self._access(zb, net.names[nb], b.name, kb, far=True)]

    def _boarding(self, a: Located) -> list[tuple[float, int, list[Seg]]]:
        """The ``NEAREST_K`` stations or airports nearest to ``a`` (great circle) with the drive to each: (minutes,
        node, segments); kept per point, as most journeys leave from a few offices."""
        key = (round(float(a.lat), 6), round(float(a.lon), 6))
        if key not in self._boarding_cache:
            net, found = self.net, []
            nearest = sorted((haversine_km(a.lat, a.lon, net.lat[s], net.lon[s]), s) for s in self.engine.stops)
            for _km, stop in nearest[:NEAREST_K]:
                try:
                    minutes, access = self._car_segs(a, Point(net.names[stop], net.lat[stop], net.lon[stop]))
                except ValueError:
                    continue
                found.append((minutes, stop, access))
            self._boarding_cache[key] = found
        return self._boarding_cache[key]

    def _find_public_path(self, source: int, target_state: int) -> list[Seg]:
        return self._find_multi_path(source, target_state, self.engine.public_tree)

    def _find_multi_path(self, source: int, target_state: int, tree=None) -> list[Seg]:
        _dist, pred = (tree or self.engine.multi_tree)(source)
        net, s = self.net, self.settings
        out: list = []      # steps, as ``stretches`` takes them
        v = target_state
        start = source * N_STATES + OWN
        while v != start:
            u, kind, payload = pred[v]
            node_u, st_u = divmod(u, N_STATES)
            node_v, st_v = divmod(v, N_STATES)
            if kind == "road":
                out.append((node_u, node_v, payload, st_u == AFTER))
            elif kind == "ferry":
                out.append(self._ferry_seg(node_u, node_v, payload))
            elif kind in ("train", "flight"):
                i, x, y = payload
                _a, _b, km, minutes, wait = (net.trains if kind == "train" else net.flights)[i]
                waited = wait if kind == "train" or st_u == AIR else 0.0
                out.append(Seg(kind, net.names[x], net.names[y], minutes + waited, km, service=True, wait=waited,
                               timetable=net.timetable("trains" if kind == "train" else "flights", i, x)))
            elif kind == "connect":
                out.append(Seg("flight", net.names[node_v], net.names[node_v], float(CONNECTION_MINUTES), 0.0,
                                change=True))
            elif kind == "board":
                m = "train" if payload == TRAIN else "flight"
                before = s.station_before_minutes if payload == TRAIN else s.airport_before_minutes
                out.append(Seg(m, net.names[node_v], net.names[node_v], float(before), 0.0))
            elif kind == "alight":
                m = "train" if payload == TRAIN else "flight"
                after = s.station_after_minutes if payload == TRAIN else s.airport_after_minutes
                out.append(Seg(m, net.names[node_v], net.names[node_v], float(after), 0.0))
            v = u
        return stretches(out[::-1], net.names, net.roads)
