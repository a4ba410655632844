"""Candidate trips (the columns the model chooses from): one person's trip from their office and back.

Two kinds:

* **single** — out and back to one visit, timed by ``planner.core.timing.time_trip`` for every quarter-hour start in
  the meeting window; consecutive starts with the same days away, nights and cost form one column whose start
  is a range ``[lo, hi]`` (a team's members from different offices then agree on a start inside all ranges);
* **chain** — 2 to 4 nearby visits on one trip, on one day or as a tour over consecutive days with hotel nights
  (Oulu → Kemi → Tornio → Oulu; Rovaniemi on Tuesday, Ivalo on Wednesday), built by nearest neighbour and small
  exhaustive orderings from each seed visit, with every meeting at a fixed start.

Every column is checked against the hard rules that concern one person: employed, not absent, a working day
(Åland's holidays for meetings on Åland), free of other planned trips for all days away, meetings inside the
meeting window, days within the longest working day or split by a hotel night. The people covering a visit
together (skills, languages, number, same start) and nobody being in two places at once are the model's rules.

Which people get columns for a visit is pruned to keep big weeks tractable: the ``max_people`` nearest relevant
people, plus the ``skill_people`` nearest holders of each required skill and language. The optimum and the bound
the solver proves are relative to this candidate set.
"""
from __future__ import annotations

import itertools
import time as clock
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ..core.availability import days as days_between
from ..core.costs import trip_extras
from ..core.records import Office, StaffMember, Visit
from ..core.messages import Message, message
from ..core.timing import SLOT, Timing, meeting_window, round_up, time_trip
from .chain_timing import ChainTimer
from .instance import Progress, WeekInstance
from .relevance import relevant_people


# Of the wall clock left after the single-visit trips, the share chained trips may take (the search gets the rest).
CHAIN_SHARE = 0.35
TIME_RAN_OUT = message("time_ran_out")


@dataclass(frozen=True, order=True)
class Stop:
    """A visit on a trip and the meeting starts it allows, in minutes of the week (lo == hi when fixed)."""
    visit: str
    lo: int
    hi: int


@dataclass(frozen=True)
class Column:
    """One person's candidate trip. Times are minutes of the week; ``days`` are the calendar days away."""
    staff: str
    office: str
    kind: str                       # "single" | "chain"
    stops: tuple[Stop, ...]
    depart: int                     # for a single column: the departure for the start ``stops[0].lo``
    return_: int
    days: tuple[date, ...]
    nights: int
    travel_minutes: int
    distance_km: float
    cost_eur: float
    journeys: tuple = field(default=(), compare=False, repr=False)  # office → stop → … → office
    preferred_start: int | None = None  # single: the start in [lo, hi] that lets the person leave at their usual time

    @property
    def visits(self) -> tuple[str, ...]:
        return tuple(s.visit for s in self.stops)


@dataclass
class Candidates:
    columns: list[Column]
    by_visit: dict[str, list[int]]          # visit id -> column indexes
    days: dict[str, list[date]]             # visit id -> working days of the week in its window
    no_day: dict[str, Message | None]       # visit id -> why it has no day
    relevant: dict[str, list[str]]          # visit id -> people considered for it
    # each trip's ``model.column_score``, once: the model, the LPs, the bounds and the greedy plans all read it
    scores: dict[Column, int] = field(default_factory=dict, repr=False, compare=False)
    # for each trip of the draft planned again (``WeekInstance.previous_trips``), its columns now, the one nearest
    # the draft's first (empty when it no longer fits: its person fell ill, a meeting moved out of the week)
    draft: list[list[int]] = field(default_factory=list)

    def add(self, column: Column) -> int:
        """Appends a trip made after the candidates (``insertion``, ``pricing``); its index."""
        self.columns.append(column)
        for vid in column.visits:
            self.by_visit.setdefault(vid, []).append(len(self.columns) - 1)
        return len(self.columns) - 1


def declined(inst: WeekInstance, column: Column) -> bool:
    """Whether ``column`` plans someone again where they said they can't make it."""
    return any((column.staff, stop.visit, inst.moment(stop.lo).date()) in inst.declined for stop in column.stops)


def _at(day: date, t: time) -> datetime:
    return datetime.combine(day, t)


class CandidateGenerator:
    """Builds the columns for a week. ``chain_people`` caps how many people of an office get each chain; a chain's
    seed visit is combined with any 1 to ``max_combined`` of its ``chain_seeds_neighbours`` nearest neighbours."""

    def __init__(self, inst: WeekInstance, max_people: int = 12, skill_people: int = 4, max_chain: int = 4,
                 chain_people: int = 6, chain_seeds_neighbours: int = 5, max_tour_days: int = 3,
                 max_combined: int = 3, other_offices: int = 0):
        self.inst = inst
        self.settings = inst.settings
        self.max_people = max_people
        self.skill_people = skill_people
        self.max_chain = max_chain
        self.chain_people = chain_people
        self.neighbours = chain_seeds_neighbours
        self.max_tour_days = max_tour_days
        self.max_combined = max_combined
        self.other_offices = other_offices
        self._timings: dict[tuple, list] = {}
        self._shapes: dict[tuple, tuple[date, list]] = {}
        self.complete = True  # False once the wall clock cut the trips short (``generate``'s deadline)
        self._free_days: dict[tuple, bool] = {}
        self._single_runs: dict[tuple, list[dict]] = {}
        self.timer = ChainTimer(inst, max_tour_days)

    # public ---------------------------------------------------------------------------------------------
    def generate(self, progress: Progress | None = None, chains: bool = True, deadline: float | None = None,
                 singles_until: float | None = None) -> Candidates:
        """The week's columns. ``deadline`` (``time.perf_counter()`` time) bounds the wall clock: single-visit
        trips are made in rounds until it (``_single_rounds``; or until ``singles_until``, when later: a week
        whose single trips take that long gets no search), chained trips only within ``CHAIN_SHARE`` of what is
        left after them before ``deadline`` (the search needs the rest)."""
        inst = self.inst
        days_of, no_day, relevant = {}, {}, {}
        for visit in inst.visits:
            days_of[visit.id], no_day[visit.id] = inst.visit_days(visit)
            relevant[visit.id] = [p.id for p in relevant_people(inst, visit, self.max_people, self.skill_people,
                                                                other_offices=self.other_offices)]
        columns, cut_short = self._single_rounds(days_of, relevant, singles_until or deadline)
        for vid in cut_short:
            no_day[vid] = no_day[vid] or TIME_RAN_OUT
        if progress:
            progress(message("single_trips", n=len(columns)))
        if chains and self.max_chain >= 2:
            n = len(columns)
            until = None if deadline is None else clock.perf_counter() + CHAIN_SHARE * (deadline - clock.perf_counter())
            columns.extend(self._chain_columns(days_of, relevant, until))
            if progress:
                progress(message("chained_trips", n=len(columns) - n))
        draft = [self.draft_columns(person, meetings, days_of) for person, meetings in inst.previous_trips]
        columns.extend(c for trips in draft for c in trips)
        if inst.declined:
            columns = [c for c in columns if not declined(inst, c)]
        columns = sorted(set(columns), key=_column_order)
        by_visit: dict[str, list[int]] = {v.id: [] for v in inst.visits}
        for i, c in enumerate(columns):
            for vid in c.visits:
                by_visit[vid].append(i)
        index = {c: i for i, c in enumerate(columns)}
        return Candidates(columns, by_visit, days_of, no_day, relevant,
                          draft=[[index[c] for c in trips if c in index] for trips in draft])

    def _single_rounds(self, days_of, relevant, deadline: float | None) -> tuple[list[Column], set[str]]:
        """Every visit's single trips, in rounds: by each visit's nearest people (as many as it needs), then by its
        next nearest person, and so on, so that a ``deadline`` leaves every visit its nearest people's trips, not
        half the visits none (docs/planning.md); and the visits it left without a trip. The first round is made
        whatever the clock says: without it a week too big for its time limit would be planned with no trip at
        all."""
        inst = self.inst
        columns: list[Column] = []
        rounds = {v.id: [relevant[v.id][:max(1, v.staff_needed)]]
                  + [[pid] for pid in relevant[v.id][max(1, v.staff_needed):]] for v in inst.visits}
        made: set[str] = set()
        for k in range(max((len(r) for r in rounds.values()), default=0)):
            for at, visit in enumerate(inst.visits):
                if k >= len(rounds[visit.id]):
                    continue
                if k and deadline is not None and clock.perf_counter() > deadline:
                    self.complete = False
                    # (a visit whose every round was made has no trip because none fits, not for want of time)
                    return columns, {v.id for n, v in enumerate(inst.visits) if v.id not in made
                                     and len(rounds[v.id]) > k + (n < at)}
                for pid in rounds[visit.id][k]:
                    for day in days_of[visit.id]:
                        trips = self.single_columns(inst.staff_by_id[pid], visit, day)
                        columns.extend(trips)
                        if trips:
                            made.add(visit.id)
        return columns, set()

    # the draft's trips --------------------------------------------------------------------------------------
    def draft_columns(self, person_id: str, meetings: tuple, days_of) -> list[Column]:
        """A trip of the draft planned again, timed as the week stands now: its person's trips to the same visits
        in the same order from the same day (a single visit's, the one whose starts hold the draft's first), none
        when it no longer fits. Whatever the candidate settings pruned, a re-plan can keep it."""
        inst = self.inst
        person = inst.staff_by_id.get(person_id)
        visits = [inst.visit_by_id.get(vid) for vid, _start in meetings]
        if person is None or None in visits or meetings[0][1].date() not in days_of[visits[0].id]:
            return []
        day, minute = meetings[0][1].date(), inst.minute(meetings[0][1])
        if len(visits) == 1:
            singles = self.single_columns(person, visits[0], day)
            return sorted(singles, key=lambda c: (not c.stops[0].lo <= minute <= c.stops[0].hi, c.stops[0].lo))
        hours = person.pattern.get(day.weekday())
        office = inst.office_of(person)
        plan = self.time_chain(office, visits, day, hours[0] if hours else self.settings.workday_start, days_of)
        column = self.chain_column(person, office, plan) if plan else None
        return [column] if column else []

    # single-visit trips ---------------------------------------------------------------------------------
    def _slot_timings(self, office: Office, visit: Visit, day: date, work_start: time) -> list:
        """time_trip for every quarter-hour start of ``day`` (None where it does not fit); shared by an office."""
        key = (office.id, visit.id, day, work_start)
        if key not in self._timings:
            travel = self.inst.travel_on(day)
            out, back = travel.minutes(office, visit), travel.minutes(visit, office)
            # a trip's timing does not depend on the day, only on its minutes: another day's is moved over
            shape = (out, back, visit.duration_min, work_start)
            made = self._shapes.get(shape)
            if made is None:
                win_start, win_end = meeting_window(day, self.settings)
                result = []
                start = win_start
                while start + timedelta(minutes=visit.duration_min) <= win_end:
                    result.append((start, time_trip(day, out, back, visit.duration_min, self.settings,
                                                    work_start=work_start, start=start)))
                    start += timedelta(minutes=SLOT)
                self._shapes[shape] = (day, result)
            else:
                shift = day - made[0]
                result = [(start + shift, _moved(timing, shift)) for start, timing in made[1]]
            self._timings[key] = result
        return self._timings[key]

    def single_columns(self, person: StaffMember, visit: Visit, day: date) -> list[Column]:
        """``person``'s single trips to ``visit`` on ``day`` (one per run of starts with the same days, nights and
        cost), none when they are away or busy then."""
        inst = self.inst
        if inst.availability.unavailable_reason(person.id, day, visit.on_aland):
            return []
        hours = person.pattern.get(day.weekday())
        office = inst.office_of(person)
        work_start = hours[0] if hours else self.settings.workday_start
        if inst.availability.has_commitments(person.id):  # free or not start by start
            trips = self._single_trips(office, visit, day, work_start,
                                       lambda timing: self._free(person.id, timing.depart, timing.return_))
        else:  # free or not by the days away alone, which a run of starts shares: the runs are everyone's
            key = (office.id, visit.id, day, work_start)
            if key not in self._single_runs:
                self._single_runs[key] = self._single_trips(office, visit, day, work_start, lambda timing: True)
            trips = [trip for trip in self._single_runs[key]
                     if self._away_ok(person.id, trip["days"][0], trip["days"][-1])]
        return [Column(staff=person.id, **trip) for trip in trips]

    def _single_trips(self, office: Office, visit: Visit, day: date, work_start: time, free) -> list[dict]:
        """The single trips from ``office`` to ``visit`` on ``day`` (``Column``'s fields but ``staff``): a run of
        quarter-hour starts with the same days, nights and cost is one trip; ``free(timing)`` says whether its
        person can go then."""
        inst = self.inst
        travel = inst.travel_on(day)
        out, back = travel.journey(office, visit), travel.journey(visit, office)
        if out is None or back is None:
            return []
        distance = max(out.distance_km, back.distance_km)
        groups: list[list] = []  # [key, first timing, lo, hi]
        for start, timing in self._slot_timings(office, visit, day, work_start):
            if timing is None or not free(timing):
                groups.append(None)
                continue
            cost = out.cost_eur + back.cost_eur + trip_extras(timing.hours_away, distance, timing.nights, self.settings)
            key = (timing.depart.date(), timing.return_.date(), timing.nights, round(cost, 2))
            last = groups[-1] if groups else None
            if last is not None and last[0] == key:
                last[3] = start
            else:
                groups.append([key, timing, start, start])
        trips = []
        usual = round_up(_at(day, work_start) + timedelta(minutes=out.minutes))
        for group in groups:
            if group is None:
                continue
            (first_day, last_day, nights, cost), timing, lo, hi = group
            preferred = min(max(usual, lo), hi)
            trips.append(dict(
                office=office.id, kind="single", stops=(Stop(visit.id, inst.minute(lo), inst.minute(hi)),),
                depart=inst.minute(timing.depart), return_=inst.minute(timing.return_),
                days=tuple(days_between(first_day, last_day)), nights=nights,
                travel_minutes=int(out.minutes + back.minutes), distance_km=round(out.distance_km + back.distance_km, 1),
                cost_eur=cost, journeys=(out, back), preferred_start=inst.minute(preferred)))
        return trips

    def _free(self, staff_id: str, depart: datetime, ret: datetime) -> bool:
        """free_between: no commitment in the way, and every day away one they can work (remembered per days)."""
        if self.inst.availability.busy_between(staff_id, depart, ret):
            return False
        return self._away_ok(staff_id, depart.date(), ret.date())

    def _away_ok(self, staff_id: str, first: date, last: date) -> bool:
        """Whether every day from ``first`` to ``last`` is one the person can work (``free_between`` but the
        commitments)."""
        key = (staff_id, first, last)
        if key not in self._free_days:
            self._free_days[key] = all(self.inst.availability.unavailable_reason(staff_id, d) is None
                                       for d in days_between(first, last))
        return self._free_days[key]

    # chained trips --------------------------------------------------------------------------------------
    def _chain_columns(self, days_of: dict[str, list[date]], relevant: dict[str, list[str]],
                       until: float | None = None) -> list[Column]:
        """Chained trips, office by office and day by day; none begun after ``until`` (perf_counter time)."""
        inst = self.inst
        columns: list[Column] = []
        by_office: dict[str, list[StaffMember]] = {}
        for p in inst.staff:
            by_office.setdefault(p.office, []).append(p)
        week_days = days_between(inst.monday, inst.monday + timedelta(4))
        rel_sets = {vid: set(pids) for vid, pids in relevant.items()}
        for office_id in sorted(by_office):
            office = inst.offices[office_id]
            people = by_office[office_id]
            office_visits = {vid for vid, pids in rel_sets.items() if any(p.id in pids for p in people)}
            for day in week_days:
                if until is not None and clock.perf_counter() > until:
                    self.complete = False
                    return columns
                seeds = [v for v in inst.visits if v.id in office_visits and day in days_of[v.id]]
                sequences: dict[frozenset, None] = {}
                for seed in seeds:
                    for seq in self._sequences(seed, office_visits, day, days_of):
                        sequences.setdefault(frozenset(seq), None)
                for n, group in enumerate(sequences):
                    ordered = sorted(group)
                    columns.extend(self._chain_for_people(office, people, ordered, day, days_of, rel_sets, n))
        return columns

    def _sequences(self, seed: Visit, allowed: set[str], day: date, days_of) -> list[list[str]]:
        """Visit sets to try as one trip from ``seed``: with any 1 to ``max_combined`` of its ``neighbours``
        nearest neighbours (up to ``max_chain`` visits in all), and a nearest-neighbour path of up to
        ``max_chain`` visits (later days allowed for a tour)."""
        inst = self.inst
        last_day = day + timedelta(self.max_tour_days - 1)

        def usable(vid: str) -> bool:
            return vid in allowed and any(day <= d <= last_day for d in days_of[vid])

        near = [w for w in inst.chain_neighbours[seed.id] if usable(w)][:self.neighbours]
        # triples and quadruples from the nearest few, not only the path: measured on the 200-visit routing core,
        # PyVRP's routes are mostly three and four visits long, and one path per seed left the planner 8 % behind
        result = [[seed.id, *others] for k in range(1, min(self.max_combined, self.max_chain - 1) + 1)
                  for others in itertools.combinations(near, k)]
        path = [seed.id]
        while len(path) < self.max_chain:
            tail = path[-1]
            nxt = next((w for w in inst.chain_neighbours[tail] if usable(w) and w not in path), None)
            if nxt is None:
                break
            path.append(nxt)
            if len(path) >= 3:
                result.append(list(path))
        return result

    def _chain_for_people(self, office: Office, people: list[StaffMember], visit_ids: list[str], day: date,
                          days_of, rel_sets, rotation: int) -> list[Column]:
        """The best ordering of the visits for each working start time, and a column per eligible person."""
        inst = self.inst
        common = set.intersection(*(rel_sets[v] for v in visit_ids))
        eligible = [p for p in people if p.id in common]
        if not eligible:
            return []
        columns = []
        by_start: dict[time, list[StaffMember]] = {}
        for p in eligible:
            hours = p.pattern.get(day.weekday())
            if hours:
                by_start.setdefault(hours[0], []).append(p)
        for work_start in sorted(by_start):
            best = None
            if len(visit_ids) <= 3:
                plans = self._every_order(office, [inst.visit_by_id[v] for v in visit_ids], day, work_start, days_of)
            else:
                order = [inst.visit_by_id[v] for v in self._nearest_order(office, visit_ids)]
                plans = [self.time_chain(office, order, day, work_start, days_of)]
            for plan in plans:
                if plan and (best is None or (plan["travel"], plan["return"]) < (best["travel"], best["return"])):
                    best = plan
            if best is None:
                continue
            group = by_start[work_start]
            k = rotation % len(group)
            chosen = (group[k:] + group[:k])[:self.chain_people]
            for p in chosen:
                column = self.chain_column(p, office, best)
                if column:
                    columns.append(column)
        return columns

    def _every_order(self, office: Office, visits: list[Visit], day: date, work_start: time, days_of):
        """``time_chain`` of every order of ``visits`` (in ``itertools.permutations``' order, those that fit), the
        orders that begin alike timed up to where they part once."""
        def go_on(chain, rest):
            if chain is None:
                return
            if not rest:
                plan = self.timer.home(chain)
                if plan is not None:
                    yield plan
                return
            for i, visit in enumerate(rest):
                yield from go_on(self.timer.then(chain, visit, days_of), rest[:i] + rest[i + 1:])

        for i, first in enumerate(visits):
            yield from go_on(self.timer.start(office, first, day, work_start, days_of), visits[:i] + visits[i + 1:])

    def _nearest_order(self, office: Office, visit_ids: list[str]) -> list[str]:
        inst = self.inst
        left, order, here = set(visit_ids), [], office
        while left:
            nxt = min(sorted(left), key=lambda v: inst.travel.minutes(here, inst.visit_by_id[v]))
            order.append(nxt)
            left.remove(nxt)
            here = inst.visit_by_id[nxt]
        return order

    def time_chain(self, office: Office, visits: list[Visit], day: date, work_start: time, days_of) -> dict | None:
        """Timing of a trip from ``office`` through ``visits`` in order, starting with the first on ``day``
        (``chain_timing``), or None when some meeting cannot be placed on a working day of its window or home is
        more than a day away."""
        chain = self.timer.start(office, visits[0], day, work_start, days_of)
        for visit in visits[1:]:
            if chain is None:
                return None
            chain = self.timer.then(chain, visit, days_of)
        return self.timer.home(chain) if chain is not None else None

    def chain_column(self, person: StaffMember, office: Office, plan: dict) -> Column | None:
        """``person``'s trip on ``plan`` (``time_chain``'s), or None when they are away or busy then."""
        inst = self.inst
        for vid, start in plan["meetings"]:
            if inst.availability.unavailable_reason(person.id, start.date(), inst.visit_by_id[vid].on_aland):
                return None
        if not self._free(person.id, plan["depart"], plan["return"]):
            return None
        trip = plan.get("trip")
        if trip is None:  # the same for everyone the plan is made for: made once
            journeys = self.timer.journeys(plan)
            hours = (plan["return"] - plan["depart"]).total_seconds() / 3600
            reach = max(j.distance_km for j in journeys[:-1])
            trip = plan["trip"] = dict(
                office=office.id, kind="chain",
                stops=tuple(Stop(v, inst.minute(t), inst.minute(t)) for v, t in plan["meetings"]),
                depart=inst.minute(plan["depart"]), return_=inst.minute(plan["return"]),
                days=tuple(days_between(plan["depart"].date(), plan["return"].date())), nights=plan["nights"],
                travel_minutes=int(plan["travel"]), distance_km=round(sum(j.distance_km for j in journeys), 1),
                cost_eur=sum(j.cost_eur for j in journeys) + trip_extras(hours, reach, plan["nights"], self.settings),
                journeys=journeys)
        return Column(staff=person.id, **trip)


def _moved(timing: Timing | None, shift: timedelta) -> Timing | None:
    if timing is None or not shift:
        return timing
    return Timing(timing.depart + shift, timing.meeting_start + shift, timing.meeting_end + shift,
                  timing.return_ + shift, timing.nights)


def _column_order(c: Column) -> tuple:
    return (c.stops[0].visit, c.staff, c.kind, c.stops, c.depart, c.return_, c.nights, c.cost_eur)
