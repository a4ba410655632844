"""The week to plan: days, open visits, people, offices, who is free, pinned meetings and the travel matrix.

Everything the candidate generator, the model, the greedy baseline, the explainer and the validator read comes
from one :class:`WeekInstance`, built once. Travel comes from the travel model (``planner.core.travel``), asked once
per (point, point) and cached: the solver only ever sees precomputed numbers, never a Python callback.
"""
from __future__ import annotations

import gc
import math
import time as clock
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable, Iterable, Protocol

import numpy as np

from ..core.availability import Availability, days as days_between, non_working_reason
from ..core.journey_matrix import road_journeys
from ..core.journeys import haversine_many, named_ends
from ..core.messages import Message, message
from ..core.reasons import no_working_day
from ..core.records import Office, StaffMember, Visit
from ..core.road_network import NetworkTravelModel
from ..core.travel import on_day
from ..core.settings import Settings
from .journeys_in_two import ask_each, ask_in_two, can_fork

Progress = Callable[[Message], None]  # told a progress message (planner/core/messages.py PROGRESS)


class Located(Protocol):
    name: str
    lat: float
    lon: float


def point_key(p: Located) -> tuple:
    """Two end points at the same spot share their travel (many visits go to the same town)."""
    return (round(p.lat, 5), round(p.lon, 5))


CHAIN_EARTH_KM = 6371.0  # the earth's radius by which visits near enough to chain are measured


def straight_km(a: Located, b: Located) -> float:
    """Great-circle distance, only to decide which pairs of visits are near enough to chain."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2)
    return 2 * CHAIN_EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


UNREACHABLE = 10 ** 6  # minutes: a pair the travel model has no route for is never travelled


class JourneyStore(Protocol):
    """Journeys kept between runs (``planner.store.journey_cache``), under the travel model's ``fingerprint``;
    ``wanted`` maps each pair's key (``point_key`` of both ends) to the two points (their names go in the legs)."""

    def load(self, fingerprint: str, wanted: dict[tuple, tuple[Located, Located]]) -> dict[tuple, object]:
        ...

    def save(self, fingerprint: str, journeys: dict[tuple, object]) -> None:
        ...


# Pairs drawn up at once between looks at the clock (about 0.3 s of plain drives on the 2-core machine)
VECTOR_CHUNK = 20_000


class TravelMatrix:
    """Journeys between end points by the travel model, each pair asked once. A pair the model cannot route
    (ValueError) is remembered as None: no trip uses it, and ``unroutable`` lists it for the log.

    ``fill`` computes many pairs at once: from ``store`` (when the model has a ``fingerprint``), then the plain drives
    of the built-in model vectorised (``planner.core.journey_matrix``), then the rest one by one (on two cores when
    they are many, ``journeys_in_two``); what it asked one by one goes back to ``store``. ``stats`` says how many
    journeys came which way and the seconds the matrix took."""

    def __init__(self, travel_model, store: JourneyStore | None = None):
        self.model = travel_model
        self.store = store
        self.vectorised = True      # False: every pair asked one by one (the benchmark's and the tests' reference)
        self.by_key: dict[tuple, object] = {}     # (point_key(a), point_key(b)) → journey, None when unroutable
        self.unroutable: list[str] = []
        self.stats = {"journeys": 0, "cached": 0, "vectorised": 0, "per_pair": 0, "left_out": 0, "seconds": 0.0}
        # False once ``fill`` stopped at its deadline: a pair not in the matrix is then not travelled (None), rather
        # than asked of the model while the trips are made (which would spend the time the deadline kept)
        self.complete = True
        # point_key by object, the object kept with it (so its id is never another's): the same offices and visits
        # are looked up hundreds of thousands of times while the trips are made, and rounding them each time took
        # a sixth of that
        self._keys: dict[int, tuple[Located, tuple]] = {}
        self._by_ids: dict[tuple[int, int], object] = {}

    def _key(self, p: Located) -> tuple:
        kept = self._keys.get(id(p))
        if kept is None or kept[0] is not p:
            kept = self._keys[id(p)] = (p, point_key(p))
        return kept[1]

    def _ask(self, key: tuple, a: Located, b: Located):
        try:
            self.by_key[key] = self.model.journey(a, b)
        except ValueError as exc:
            self.by_key[key] = None
            self.unroutable.append(str(exc))
        self.stats["per_pair"] += 1
        return self.by_key[key]

    def _stored(self, a: Located, b: Located):
        # by the two objects first: ``_keys`` keeps both alive, so their ids name them while the matrix lives, and
        # a found journey never changes (``fill`` only adds pairs)
        pair = (id(a), id(b))
        found = self._by_ids.get(pair, self)
        if found is self:
            key = (self._key(a), self._key(b))
            found = self.by_key.get(key, self)
            if found is self:
                found = self._ask(key, a, b) if self.complete else None
            self._by_ids[pair] = found
        return found

    def journey(self, a: Located, b: Located):
        """The journey from ``a`` to ``b``, its ends named after them (None when unroutable)."""
        found = self._stored(a, b)
        return None if found is None else named_ends(found, a.name, b.name)

    def minutes(self, a: Located, b: Located) -> int:
        found = self._stored(a, b)
        return UNREACHABLE if found is None else int(found.minutes)

    def exact_minutes(self, a: Located, b: Located) -> float | None:
        """The journey's minutes as it has them (not rounded down), None when unroutable."""
        found = self._stored(a, b)
        return None if found is None else found.minutes

    def fill(self, pairs: Iterable[tuple[Located, Located]], progress: Progress | None = None,
             until: float | None = None, must: int = 0, draw: int = 0) -> None:
        """Every journey of ``pairs`` into the matrix, the fastest way there is (see the class). ``until``
        (``time.perf_counter()`` time): the pairs stop there, in the order given, and the rest are left out
        (``complete`` turns False); the first ``must`` pairs are travelled whatever the time, and the first ``draw``
        of them that are plain drives too (drawn up at once, they cost little)."""
        todo: dict[tuple, tuple[Located, Located]] = {}
        needed: set[tuple] = set()
        drawn_anyway: set[tuple] = set()
        for n, (a, b) in enumerate(pairs):
            key = (self._key(a), self._key(b))
            if n < must:
                needed.add(key)
            if n < max(must, draw):
                drawn_anyway.add(key)
            if key not in self.by_key and key not in todo:
                todo[key] = (a, b)
        total, fingerprint = len(todo), getattr(self.model, "fingerprint", None)
        if self.store is not None and fingerprint and todo:
            found = self.store.load(fingerprint, todo)
            self.by_key.update(found)
            for key in found:
                del todo[key]
            self.stats["cached"] += len(found)
        if self.vectorised and isinstance(self.model, NetworkTravelModel) and todo:
            keys = list(todo)
            first = sum(key in drawn_anyway for key in keys)     # they come first: ``todo`` keeps the pairs' order
            bounds = sorted({0, first, *range(first + VECTOR_CHUNK, len(keys), VECTOR_CHUNK), len(keys)})
            drawn = 0
            for start, end in zip(bounds, bounds[1:]):
                if start >= first and until is not None and clock.perf_counter() > until:
                    break
                chunk = keys[start:end]
                found = road_journeys(self.model, [todo[k] for k in chunk])
                drives = {key: journey for key, journey in zip(chunk, found) if journey is not None}
                for key in drives:
                    del todo[key]
                self.by_key.update(drives)
                self.stats["vectorised"] += len(drives)
                drawn = end
            for key in keys[drawn:]:     # past ``until``: not travelled, as the pairs asked one by one below
                todo.pop(key, None)
                self.complete = False
                self.stats["left_out"] += 1
        # only what was asked one by one is stored: the plain drives are computed again faster than they are read
        # (1.5 s for 84,000 at 1,000 visits, where reading and storing them took about 1 s each)
        items, before = list(todo.items()), total - len(todo)
        first = sum(key in needed for key, _pair in items)     # they come first: ``todo`` keeps the pairs' order
        tick = progress and (lambda n: progress(message("matrix_part", done=before + n, total=total)))
        asked = (ask_in_two if can_fork(len(items)) else ask_each)(self.model.journey, items, until, tick, first)
        fresh: dict[tuple, object] = {}
        for key, found in asked.items():
            if isinstance(found, str):      # no route
                self.by_key[key] = None
                self.unroutable.append(found)
            else:
                self.by_key[key] = fresh[key] = found
        self.stats["per_pair"] += len(asked)
        if len(asked) < len(items):
            self.complete = False
            self.stats["left_out"] += len(items) - len(asked)
        if self.store is not None and fingerprint and fresh:
            self.store.save(fingerprint, fresh)
        self.stats["journeys"] = len(self.by_key)

    def __len__(self) -> int:
        return len(self.by_key)


@contextmanager
def _collector_paused():
    """Python's cycle collector off for a while: building the matrix allocates millions of objects, none in cycles,
    and the full collections that so many survivors set off took 0.5 s of 5 at 1,000 visits."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@dataclass(frozen=True)
class Pin:
    """A meeting a lead pinned in an earlier plan run: this visit, these people, this start."""
    visit: str
    staff: tuple[str, ...]
    start: datetime


@dataclass
class WeekInstance:
    week: str
    monday: date
    visits: list[Visit]
    staff: list[StaffMember]
    offices: dict[str, Office]
    availability: Availability
    settings: Settings
    travel: TravelMatrix
    pins: list[Pin] = field(default_factory=list)
    # (person, visit, day) that a person said "I can't make this trip" to: never planned again (``store.load_declined``)
    declined: frozenset = frozenset()
    # visit -> (its people, its day) in the draft the run replaces: moving a meeting off them costs ``CHANGED``
    previous: dict = field(default_factory=dict)
    # visit pairs near enough to share a trip, and the largest straight-line distance for it
    chain_km: float = 160.0
    # the trips of the draft the run replaces: (person, ((visit, start), …)), made candidates again (``candidates``)
    previous_trips: list = field(default_factory=list)

    def __post_init__(self):
        self.visits = sorted(self.visits, key=lambda v: v.id)
        self.staff = sorted(self.staff, key=lambda s: s.id)
        self.visit_by_id = {v.id: v for v in self.visits}
        self.staff_by_id = {s.id: s for s in self.staff}
        self._day_travel: dict[date, TravelMatrix] = {}     # days whose links differ from the Monday's
        self._free: dict[tuple, list[StaffMember]] = {}     # ``free_people`` by days
        self._week_began = datetime.combine(self.monday, time(0))

    # time ---------------------------------------------------------------------------------------------
    @property
    def sunday(self) -> date:
        return self.monday + timedelta(6)

    def minute(self, moment: datetime) -> int:
        """Minutes since Monday 00.00 of the week: the solver's clock."""
        return int((moment - self._week_began).total_seconds() // 60)

    def moment(self, minute: int) -> datetime:
        return self._week_began + timedelta(minutes=minute)

    def visit_days(self, visit: Visit) -> tuple[list[date], Message | None]:
        """Working days of this week inside the visit's window (Åland's holidays on Åland), or why none."""
        first, last = max(visit.earliest, self.monday), min(visit.latest, self.sunday)
        window = days_between(first, last)
        working = [d for d in window if non_working_reason(d, visit.on_aland) is None]
        if working:
            return working, None
        if not window:
            return [], message("window_not_this_week")
        # Weekdays lost to holidays are the news; weekends are only worth naming when there is nothing else.
        lost = [d for d in window if d.weekday() < 5] or window
        return [], no_working_day((non_working_reason(d, visit.on_aland) for d in lost),
                                  this_week=not any(d.weekday() < 5 for d in window))

    def free_people(self, visit: Visit, days: list[date]) -> list[StaffMember]:
        """Who can work on some of ``days`` (employed, not absent, a working day for them; Åland's holidays for a
        visit on Åland)."""
        key = (self.availability, tuple(days), visit.on_aland)  # many visits share their days
        if key not in self._free:
            self._free[key] = [p for p in self.staff if any(
                self.availability.unavailable_reason(p.id, d, visit.on_aland) is None for d in days)]
        return list(self._free[key])

    # travel -------------------------------------------------------------------------------------------
    def office_of(self, person: StaffMember) -> Office:
        return self.offices[person.office]

    def used_offices(self) -> list[Office]:
        return [self.offices[o] for o in sorted({p.office for p in self.staff})]

    def near_pairs(self) -> list[tuple[Visit, Visit]]:
        """Visit pairs close enough to chain on one trip and with a day in common, the nearest first (then in the
        order of ``visits``)."""
        n = len(self.visits)
        if n < 2:
            return []
        first, second = np.triu_indices(n, 1)
        lat = np.array([v.lat for v in self.visits])
        lon = np.array([v.lon for v in self.visits])
        earliest = np.array([v.earliest.toordinal() for v in self.visits])
        latest = np.array([v.latest.toordinal() for v in self.visits])
        km = haversine_many(lat[first], lon[first], lat[second], lon[second], radius=CHAIN_EARTH_KM)
        near = ((earliest[first] <= latest[second]) & (earliest[second] <= latest[first])
                & (km <= self.chain_km + 1e-6))
        pairs = []
        order = np.argsort(km[near], kind="stable")
        for i, j, d in zip(first[near][order].tolist(), second[near][order].tolist(), km[near][order].tolist()):
            a, b = self.visits[i], self.visits[j]
            # at the limit, the distance is the one straight_km gives, to the last bit
            if d <= self.chain_km - 1e-6 or straight_km(a, b) <= self.chain_km:
                pairs.append((a, b))
        return pairs

    def travel_on(self, day: date) -> TravelMatrix:
        """The journeys as the network runs on ``day`` (``travel`` itself unless a link runs otherwise that day than
        on the week's Monday: a seasonal ferry's last day, a flight on some weekdays)."""
        # (asked hundreds of thousands of times while the trips are made; most weeks have no such day)
        return self._day_travel.get(day, self.travel) if self._day_travel else self.travel

    def _fill_other_days(self, todo: list, progress: Progress | None, until: float | None, must: int,
                         draw: int) -> None:
        """A matrix for each set of days of the week whose running links differ from the Monday's, with the same
        pairs (most weeks have none: the links run alike all week)."""
        by_model: dict[int, TravelMatrix] = {}
        monday = self.travel
        drawn: list | None = None
        for offset in range(1, 7):
            day = self.monday + timedelta(days=offset)
            model = on_day(monday.model, day)
            if model is monday.model:
                continue
            if drawn is None:   # only on a day that differs: looking the pairs up took 0.4 s at 1,000 visits
                # the pairs Monday's matrix drew up (its time may be spent): every day chains over the same pairs
                drawn = todo[:draw] + [(a, b) for a, b in todo[draw:]
                                       if (monday._key(a), monday._key(b)) in monday.by_key]
            if id(model) not in by_model:
                matrix = by_model[id(model)] = TravelMatrix(model, monday.store)
                matrix.vectorised = monday.vectorised
                matrix.fill(drawn, progress, until, must, len(drawn))
                matrix.complete = matrix.complete and monday.complete    # what Monday left out is out every day
                self.travel.stats["left_out"] += matrix.stats["left_out"]
            self._day_travel[day] = by_model[id(model)]

    def _office_pairs(self, offices: list[Office]) -> tuple[list[tuple[Located, Located]], int]:
        """Every office↔visit pair, both ways, in the order a matrix cut short should have them: the pinned visits'
        first, then each visit's nearest office, each visit's second nearest, and so on; and how many lead up to
        the second nearest (those are travelled whatever the time: every visit can be reached from somewhere)."""
        if not offices or not self.visits:
            return [], 0
        pinned = np.array([v.id in {p.visit for p in self.pins} for v in self.visits])
        visit_lat, office_lat = np.meshgrid([v.lat for v in self.visits], [o.lat for o in offices], indexing="ij")
        visit_lon, office_lon = np.meshgrid([v.lon for v in self.visits], [o.lon for o in offices], indexing="ij")
        km = haversine_many(visit_lat, visit_lon, office_lat, office_lon)
        rank = np.argsort(np.argsort(km, axis=1, kind="stable"), axis=1, kind="stable")   # visit × office
        rank[pinned] = -1
        visit, office = np.unravel_index(np.argsort(rank, axis=None, kind="stable"), rank.shape)
        pairs = [pair for i, k in zip(visit.tolist(), office.tolist())
                 for pair in ((offices[k], self.visits[i]), (self.visits[i], offices[k]))]
        return pairs, 2 * int((rank <= 0).sum())

    @_collector_paused()
    def precompute_travel(self, progress: Progress | None = None, until: float | None = None) -> None:
        """Every office↔visit journey and every nearby visit↔visit journey, at once (``TravelMatrix.fill``), as the
        network runs on each day of the week; the seconds it took go to ``travel.stats``. ``until``: the journeys
        computed one by one stop there (a short time limit on a big week), the nearest offices and the nearest
        visit pairs first, each visit's nearest office whatever the time; the rest are not travelled
        (``travel.complete`` is False)."""
        started = clock.perf_counter()
        # a week whose trips must start at once has no time to chain visits: their pairs are not even drawn up
        late = until is not None and started >= until
        pairs = [] if late else self.near_pairs()
        if late:
            self.travel.complete = False
        todo, must = self._office_pairs(self.used_offices())
        draw = len(todo)    # every office's plain drives: a visit's nearest qualified people may be anywhere
        todo += [pair for a, b in pairs for pair in ((a, b), (b, a))]
        self.travel.fill(todo, progress, until, must, draw)
        self._fill_other_days(todo, progress, until, must, draw)
        if progress and self.travel.unroutable:
            progress(message("matrix_unroutable", pairs=len(self.travel.unroutable),
                             example=str(self.travel.unroutable[0])))
        if progress and self.travel.stats["left_out"]:
            progress(message("matrix_cut", left_out=self.travel.stats["left_out"]))
        key = {v.id: point_key(v) for v in self.visits}
        journeys = self.travel.by_key
        near: dict[str, list[tuple[int, str]]] = {v.id: [] for v in self.visits}
        for a, b in pairs:
            there, back = journeys.get((key[a.id], key[b.id])), journeys.get((key[b.id], key[a.id]))
            if there is not None and back is not None:
                near[a.id].append((int(there.minutes), b.id))
                near[b.id].append((int(back.minutes), a.id))
        # nearest first (then by id), as the candidate generator walks them
        self.chain_neighbours: dict[str, list[str]] = {vid: [w for _m, w in sorted(ws)] for vid, ws in near.items()}
        self.travel.stats["seconds"] = round(clock.perf_counter() - started, 3)


def build_instance(week: str, monday: date, visits: Iterable[Visit], staff: Iterable[StaffMember],
                   offices: dict[str, Office], availability: Availability, settings: Settings, travel_model,
                   pins: Iterable[Pin] = (), declined: Iterable[tuple[str, str, date]] = (),
                   previous: dict[str, tuple[frozenset, date]] | None = None,
                   journey_cache: JourneyStore | None = None, previous_trips: Iterable[tuple] = ()) -> WeekInstance:
    """A week ready for planning (travel not yet precomputed: call ``precompute_travel``). ``previous``: each
    visit's people and day in the current draft, which planning again moves only when it pays; ``previous_trips``:
    that draft's trips, as (person, ((visit, start), …)). ``journey_cache`` keeps the journeys between runs."""
    return WeekInstance(week, monday, list(visits), list(staff), offices, availability, settings,
                        TravelMatrix(travel_model, journey_cache), list(pins), frozenset(declined),
                        dict(previous or {}), previous_trips=list(previous_trips))
