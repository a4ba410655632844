"""The built-in model's data: Finland's main roads, ferries, domestic flights and long-distance trains as nodes and
links (planner/data/road_network.json, or an instance's own), and which links run on a day (their calendars)."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

from .journeys import haversine_km, haversine_many

NETWORK_FILE = Path(__file__).resolve().parent.parent / "data" / "road_network.json"
RAIL_DETOUR = 1.15          # rail km ≈ great circle × this (fares, reported km)
SEA_DETOUR = 1.1            # ferry km ≈ great circle × this
RANK_MARGIN = 4             # nodes ranked by numpy beyond those kept, measured again exactly (the order of near-ties)

LINK_SECTIONS = ("roads", "ferries", "flights", "trains")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def runs_on(link: dict, day: date) -> bool:
    """Whether a link runs on ``day`` by its calendar: ``opens`` (runs from that date), ``closes`` (up to the day
    before it: Hailuoto's ferry, replaced by its fixed link), ``season`` (["05-15", "09-15"]: from the first to the
    last day of each year's season, across New Year when the first is later: ["12-01", "04-30"]) and ``days``
    (["mon", "fri"]: on those weekdays only)."""
    opens, closes, season, days = link.get("opens"), link.get("closes"), link.get("season"), link.get("days")
    if (opens and day < date.fromisoformat(opens)) or (closes and day >= date.fromisoformat(closes)):
        return False
    if season:
        first, last, today = season[0], season[1], day.strftime("%m-%d")
        inside = first <= today <= last if first <= last else (today >= first or today <= last)
        if not inside:
            return False
    return not days or WEEKDAYS[day.weekday()] in days


def closed_links(doc: dict, day: date) -> tuple[tuple[str, int], ...]:
    """The links of ``doc`` (section, index) that do not run on ``day`` (``runs_on``)."""
    return tuple((section, i) for section in LINK_SECTIONS for i, link in enumerate(doc[section])
                 if not runs_on(link, day))


def calendar_of(link: dict) -> dict:
    """A link's calendar as message parameters (only the keys it has)."""
    return {key: link[key] for key in ("opens", "closes", "season", "days") if link.get(key)}


def calendar_text(link: dict) -> str:
    """A link's calendar in English: 'runs from 15 May to 15 Sep', 'runs on mon, fri', 'runs from 2027-01-01'."""
    parts = []
    if link.get("season"):
        first, last = (date.fromisoformat(f"2024-{mmdd}") for mmdd in link["season"])
        parts.append(f"from {first.day} {first:%b} to {last.day} {last:%b}")
    if link.get("days"):
        parts.append("on " + ", ".join(link["days"]))
    if link.get("opens"):
        parts.append(f"from {link['opens']}")
    if link.get("closes"):
        parts.append(f"until the day before {link['closes']}")
    return "runs " + " ".join(parts) if parts else "not running"


def check_calendar(link: dict) -> None:
    """A ValueError naming what is wrong with a link's calendar."""
    for key in ("opens", "closes"):
        if link.get(key):
            date.fromisoformat(link[key])
    season = link.get("season")
    if season is not None:
        if len(season) != 2:
            raise ValueError(f"season {season!r}: give the first and the last day, e.g. [\"05-15\", \"09-15\"]")
        for mmdd in season:
            date.fromisoformat(f"2024-{mmdd}")     # a leap year: 02-29 is a day
    bad = [d for d in link.get("days") or () if d not in WEEKDAYS]
    if bad:
        raise ValueError(f"days {bad!r}: use {', '.join(WEEKDAYS)}")


def clock_minutes(text: str) -> int:
    """'06:30' as minutes after midnight (a ValueError for anything else)."""
    hours, _, minutes = text.partition(":")
    if not (len(hours) == 2 and len(minutes) == 2 and hours.isdigit() and minutes.isdigit()
            and int(hours) < 24 and int(minutes) < 60):
        raise ValueError(f"{text!r} is not a time of day: use HH:MM, e.g. \"06:30\"")
    return int(hours) * 60 + int(minutes)


def clock_text(minutes: float) -> str:
    """Minutes after midnight as 'HH:MM' (past midnight: the next day's time)."""
    whole = int(math.ceil(minutes - 1e-9)) % (24 * 60)
    return f"{whole // 60:02d}:{whole % 60:02d}"


@dataclass(frozen=True)
class Timetable:
    """When a ferry, flight or train leaves within a day, each way: its ``departures`` when the data lists them
    ("departures": ["06:30", "10:00"]), else its ``first`` and ``last`` departures and ``per_day`` departures spread
    evenly between them (minutes after midnight; a time before the first is past midnight). Any may be unknown:
    without ``per_day`` or a list a departure is the link's average wait away, within the window."""
    link: str                   # "the ferry Galtby–Kökar": for messages
    first: int | None = None
    last: int | None = None
    per_day: int | None = None
    departures: tuple[int, ...] = ()

    @classmethod
    def of(cls, link: dict, name: str, back: bool = False) -> "Timetable | None":
        """The timetable of ``link`` from its ``from`` end, or with ``back`` from its ``to`` end: a list of
        departures is one end's ("departures", "departures_back"); first, last and per_day are both ends'."""
        listed = link.get("departures_back" if back else "departures")
        if listed:
            times = [clock_minutes(t) for t in listed]
            times = [t if t >= times[0] else t + 24 * 60 for t in times]
            return cls(name, times[0], max(times), len(times), tuple(sorted(times)))
        if not any(link.get(key) for key in ("first", "last", "per_day")):
            return None
        first = clock_minutes(link["first"]) if link.get("first") else None
        last = clock_minutes(link["last"]) if link.get("last") else None
        if first is not None and last is not None and last < first:
            last += 24 * 60
        return cls(name, first, last, link.get("per_day"))

    def departure(self, ready: float, average_wait: float) -> float | None:
        """The first departure at or after minute ``ready`` of the day, or None when the last one has left."""
        day = 24 * 60
        if self.last is not None and self.last > day and ready + day <= self.last:
            later = self.departure(ready + day, average_wait)     # still the night's service run past midnight
            return None if later is None else later - day
        if self.departures:
            return next((float(t) for t in self.departures if t >= ready - 1e-9), None)
        first = 0.0 if self.first is None else float(self.first)
        last = 24.0 * 60 if self.last is None else float(self.last)
        if ready <= first:
            return first
        if ready > last + 1e-9:
            return None
        if self.per_day and self.per_day > 1 and self.first is not None and self.last is not None:
            headway = (last - first) / (self.per_day - 1)
            return first + math.ceil((ready - first) / headway - 1e-9) * headway
        if self.per_day == 1:
            return None             # its one departure, at ``first``, has left
        return min(ready + average_wait, last)


def check_timetable(link: dict) -> None:
    """A ValueError naming what is wrong with a link's departures."""
    listed = [key for key in ("departures", "departures_back") if link.get(key) is not None]
    for key in listed:
        if not isinstance(link[key], list) or not link[key]:
            raise ValueError(f'{key}: give a list of times, e.g. ["06:30", "10:00"]')
        for text in link[key]:
            clock_minutes(text)
    if listed and any(link.get(key) for key in ("first", "last", "per_day")):
        raise ValueError("give either departures or first, last and per_day")
    if listed:
        return
    first, last = (clock_minutes(link[key]) if link.get(key) else None for key in ("first", "last"))
    per_day = link.get("per_day")
    if per_day is not None and (not isinstance(per_day, int) or isinstance(per_day, bool) or per_day < 1):
        raise ValueError(f"per_day {per_day!r}: give a whole number of departures, at least 1")
    if per_day and per_day > 1 and (first is None or last is None):
        raise ValueError(f"per_day {per_day}: give the first and the last departure too")
    if per_day == 1 and (first is None or (last is not None and last != first)):
        raise ValueError("per_day 1: give its one departure as 'first' (and 'last' the same or none)")


class Network:
    """Nodes, road edges, ferries, flights and trains from a network JSON file (see data/road_network.json), without
    the links in ``closed`` (``closed_links``: those not running on the day travelled)."""

    def __init__(self, doc: dict, closed: tuple[tuple[str, int], ...] = ()):
        shut = set(closed)

        def running(section: str) -> list[dict]:
            return [link for i, link in enumerate(doc[section]) if (section, i) not in shut]

        self.classes: dict = doc["classes"]
        node_items = list(doc["nodes"].items())
        self.ids: list[str] = [nid for nid, _ in node_items]
        self.index: dict[str, int] = {nid: i for i, nid in enumerate(self.ids)}
        self.names: list[str] = [n["name"] for _, n in node_items]
        self.lat: list[float] = [float(n["lat"]) for _, n in node_items]
        self.lon: list[float] = [float(n["lon"]) for _, n in node_items]
        self.zone: list[str] = [n.get("zone", "mainland") for _, n in node_items]
        self.kind: list[str] = [n.get("kind", "town") for _, n in node_items]
        self.car_free: frozenset[str] = frozenset(doc.get("car_free", ()))    # zones reached on foot from the quay
        # small islands near the mainland: a point farther than this from their node is not on them
        self.reach: dict[str, float] = {zone: float(km) for zone, km in doc.get("island_reach_km", {}).items()}
        if set(self.reach) - set(self.zone):
            raise ValueError(f"island_reach_km: no node in zone {sorted(set(self.reach) - set(self.zone))[0]!r}")
        self._lat_array: np.ndarray | None = None
        self._lon_array: np.ndarray | None = None
        overrides: dict = doc.get("km", {})
        # road edges: (a, b, km, minutes, ref)
        self.roads: list[tuple[int, int, float, float, str]] = []
        for road in running("roads"):
            cls = self.classes[road["class"]]
            via = [self.index[v] for v in road["via"]]
            for a, b in zip(via, via[1:]):
                if self.zone[a] != self.zone[b] and not road.get("fixed_link"):
                    raise ValueError(f"road {road['ref']} crosses the sea between {self.ids[a]} and {self.ids[b]}")
                key = f"{self.ids[a]}-{self.ids[b]}"
                km = overrides.get(key, overrides.get(f"{self.ids[b]}-{self.ids[a]}"))
                if km is None:
                    km = self.gc(a, b) * cls["detour"]
                self.roads.append((a, b, float(km), 60.0 * km / cls["kmh"], road["ref"]))
        # ferries: (a, b, km, crossing minutes, wait, car fare, foot fare, note)
        self.ferries = [(self.index[f["from"]], self.index[f["to"]], self.gc_ids(f["from"], f["to"]) * SEA_DETOUR,
                         float(f["minutes"]), float(f["wait"]), float(f["car_eur"]), float(f["foot_eur"]),
                         f.get("note", "")) for f in running("ferries")]
        # services (trains, flights): (a, b, km, minutes, wait)
        self.flights = [(self.index[f["from"]], self.index[f["to"]], self.gc_ids(f["from"], f["to"]),
                         float(f["minutes"]), float(f["wait"])) for f in running("flights")]
        self.trains = [(self.index[t["from"]], self.index[t["to"]], self.gc_ids(t["from"], t["to"]) * RAIL_DETOUR,
                        float(t["minutes"]), float(t["wait"])) for t in running("trains")]
        # departures within a day, beside each list above: (from the link's first end, from its second end), each
        # None where the data gives none
        self.timetables: dict[str, list[tuple[Timetable | None, Timetable | None]]] = {
            section: [(Timetable.of(link, self.link_name(section, link)),
                       Timetable.of(link, self.link_name(section, link, back=True), back=True))
                      for link in running(section)]
            for section in ("ferries", "flights", "trains")}

    def __len__(self) -> int:
        return len(self.ids)

    def link_name(self, section: str, link: dict, back: bool = False) -> str:
        """'the ferry Galtby–Kökar', 'the flight Helsinki-Vantaa airport–Ivalo airport' (``back``: the other way)."""
        kind = {"ferries": "ferry", "flights": "flight", "trains": "train"}[section]
        ends = [self.names[self.index[link["from"]]], self.names[self.index[link["to"]]]]
        return f"the {kind} " + "–".join(reversed(ends) if back else ends)

    def timetable(self, section: str, i: int, start: int) -> "Timetable | None":
        """The timetable of link ``i`` of ``section`` leaving from node ``start`` (either end)."""
        there, back = self.timetables[section][i]
        first_end = {"ferries": self.ferries, "flights": self.flights, "trains": self.trains}[section][i][0]
        return there if start == first_end else back

    def gc(self, a: int, b: int) -> float:
        return haversine_km(self.lat[a], self.lon[a], self.lat[b], self.lon[b])

    def gc_ids(self, a: str, b: str) -> float:
        return self.gc(self.index[a], self.index[b])

    def nearest(self, lat: float, lon: float) -> list[tuple[float, int]]:
        """All nodes as (great-circle km, node), nearest first."""
        return sorted((haversine_km(lat, lon, self.lat[i], self.lon[i]), i) for i in range(len(self.ids)))

    def nearest_of_zone(self, lat: float, lon: float, count: int) -> tuple[str, list[tuple[float, int]]]:
        """The zone of the node nearest to (lat, lon) (of a small island's node only within its reach,
        ``island_reach_km``), and that zone's ``count`` nearest nodes as (great-circle km, node), nearest first: what
        ``nearest`` gives, ranked with numpy and only the few kept measured exactly."""
        if self._lat_array is None:
            self._lat_array, self._lon_array = np.array(self.lat), np.array(self.lon)
        order = np.argsort(haversine_many(lat, lon, self._lat_array, self._lon_array), kind="stable").tolist()

        def exact(nodes: list[int]) -> list[tuple[float, int]]:
            return sorted((haversine_km(lat, lon, self.lat[i], self.lon[i]), i) for i in nodes)
        zone = next((self.zone[i] for km, i in exact(order[:RANK_MARGIN]) if km <= self.reach.get(self.zone[i], km)),
                    None)
        if zone is None:    # beyond the reach of the small islands nearest to it: the nearest node it is on the zone of
            zone = next(self.zone[i] for i in order[RANK_MARGIN:]
                        if haversine_km(lat, lon, self.lat[i], self.lon[i]) <= self.reach.get(self.zone[i], math.inf))
        return zone, exact([i for i in order if self.zone[i] == zone][:count + RANK_MARGIN])[:count]


def network_problem(path: str | Path) -> str | None:
    """Why the network file at ``path`` cannot be used (not JSON, a link to an unknown node, a road across the sea,
    a bad date), or None when it loads."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        for section in LINK_SECTIONS:
            for link in doc[section]:
                try:
                    check_calendar(link)
                    check_timetable(link)
                except ValueError as exc:
                    raise ValueError(f"{section} {link.get('from')}–{link.get('to')}: {exc}") from None
        Network(doc)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def network_file(own: str | None) -> str:
    """The network file in use: an instance's own (``Settings.network_file``), else the shipped one."""
    return str(own or NETWORK_FILE)


def network_updated(path: str | Path) -> str | None:
    """The date the network file says its data was last checked (``updated``), if it says."""
    return network_doc(str(path)).get("updated")


@lru_cache(maxsize=4)
def network_doc(path: str | Path = NETWORK_FILE) -> dict:
    """The network file's data (read once per process)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def load_network(path: str | Path = NETWORK_FILE, closed: tuple[tuple[str, int], ...] = ()) -> Network:
    """The network in ``path`` without the links ``closed`` (cached per process)."""
    return Network(network_doc(path), closed)

