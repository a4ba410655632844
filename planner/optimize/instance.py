"""The week to plan: days, open visits, people, offices, who is free, pinned meetings and the travel matrix.

Everything the candidate generator, the model, the greedy baseline, the explainer and the validator read comes
from one :class:`WeekInstance`, built once. Travel comes from the travel model (``planner.core.travel``), asked once
per (point, point) and cached: the solver only ever sees precomputed numbers, never a Python callback.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable, Iterable, Protocol

from ..core.availability import Availability, days as days_between, non_working_reason
from ..core.messages import Message, message
from ..core.reasons import no_working_day
from ..core.records import Office, StaffMember, Visit
from ..core.settings import Settings

Progress = Callable[[Message], None]  # told a progress message (planner/core/messages.py PROGRESS)


class Located(Protocol):
    name: str
    lat: float
    lon: float


def point_key(p: Located) -> tuple:
    """Two end points at the same spot share their travel (many visits go to the same town)."""
    return (round(p.lat, 5), round(p.lon, 5))


def straight_km(a: Located, b: Located) -> float:
    """Great-circle distance, only to decide which pairs of visits are near enough to chain."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


UNREACHABLE = 10 ** 6  # minutes: a pair the travel model has no route for is never travelled


class TravelMatrix:
    """Journeys between end points by the travel model, each pair asked once. A pair the model cannot route
    (ValueError) is remembered as None: no trip uses it, and ``unroutable`` lists it for the log."""

    def __init__(self, travel_model):
        self.model = travel_model
        self._cache: dict[tuple, object] = {}
        self.unroutable: list[str] = []

    def journey(self, a: Located, b: Located):
        key = (point_key(a), point_key(b))
        if key not in self._cache:
            try:
                self._cache[key] = self.model.journey(a, b)
            except ValueError as exc:
                self._cache[key] = None
                self.unroutable.append(str(exc))
        return self._cache[key]

    def minutes(self, a: Located, b: Located) -> int:
        journey = self.journey(a, b)
        return UNREACHABLE if journey is None else int(journey.minutes)

    def __len__(self) -> int:
        return len(self._cache)


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

    def __post_init__(self):
        self.visits = sorted(self.visits, key=lambda v: v.id)
        self.staff = sorted(self.staff, key=lambda s: s.id)
        self.visit_by_id = {v.id: v for v in self.visits}
        self.staff_by_id = {s.id: s for s in self.staff}

    # time ---------------------------------------------------------------------------------------------
    @property
    def sunday(self) -> date:
        return self.monday + timedelta(6)

    def minute(self, moment: datetime) -> int:
        """Minutes since Monday 00.00 of the week: the solver's clock."""
        return int((moment - datetime.combine(self.monday, time(0))).total_seconds() // 60)

    def moment(self, minute: int) -> datetime:
        return datetime.combine(self.monday, time(0)) + timedelta(minutes=minute)

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
        return [p for p in self.staff
                if any(self.availability.unavailable_reason(p.id, d, visit.on_aland) is None for d in days)]

    # travel -------------------------------------------------------------------------------------------
    def office_of(self, person: StaffMember) -> Office:
        return self.offices[person.office]

    def used_offices(self) -> list[Office]:
        return [self.offices[o] for o in sorted({p.office for p in self.staff})]

    def near_pairs(self) -> list[tuple[Visit, Visit]]:
        """Visit pairs close enough to chain on one trip and with a day in common."""
        pairs = []
        for i, a in enumerate(self.visits):
            for b in self.visits[i + 1:]:
                if a.earliest <= b.latest and b.earliest <= a.latest and straight_km(a, b) <= self.chain_km:
                    pairs.append((a, b))
        return pairs

    def precompute_travel(self, progress: Progress | None = None) -> None:
        """Ask the travel model for every office↔visit journey and every nearby visit↔visit journey once."""
        offices = self.used_offices()
        pairs = self.near_pairs()
        todo = [(o, v) for v in self.visits for o in offices] + [(v, o) for v in self.visits for o in offices]
        todo += [(a, b) for a, b in pairs] + [(b, a) for a, b in pairs]
        for n, (a, b) in enumerate(todo, 1):
            self.travel.journey(a, b)
            if progress and n % 2000 == 0:
                progress(message("matrix_part", done=n, total=len(todo)))
        self.chain_neighbours: dict[str, list[str]] = {v.id: [] for v in self.visits}
        if progress and self.travel.unroutable:
            progress(message("matrix_unroutable", pairs=len(self.travel.unroutable),
                             example=str(self.travel.unroutable[0])))
        for a, b in pairs:
            if self.travel.journey(a, b) is None or self.travel.journey(b, a) is None:
                continue
            self.chain_neighbours[a.id].append(b.id)
            self.chain_neighbours[b.id].append(a.id)
        for vid, near in self.chain_neighbours.items():
            v = self.visit_by_id[vid]
            near.sort(key=lambda w: (self.travel.minutes(v, self.visit_by_id[w]), w))


def build_instance(week: str, monday: date, visits: Iterable[Visit], staff: Iterable[StaffMember],
                   offices: dict[str, Office], availability: Availability, settings: Settings, travel_model,
                   pins: Iterable[Pin] = (), declined: Iterable[tuple[str, str, date]] = (),
                   previous: dict[str, tuple[frozenset, date]] | None = None) -> WeekInstance:
    """A week ready for planning (travel not yet precomputed: call ``precompute_travel``). ``previous``: each
    visit's people and day in the current draft, which planning again moves only when it pays."""
    return WeekInstance(week, monday, list(visits), list(staff), offices, availability, settings,
                        TravelMatrix(travel_model), list(pins), frozenset(declined), dict(previous or {}))
