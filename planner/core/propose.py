"""Single-visit proposals: who should go, from which office, on which day, and what it takes.

For one visit request the proposer ranks options (who, office, day, departure and return, travel each way with
its legs, cost, nights, a short reason) and says for each person left out why. A team of two or more is chosen
with OR-Tools CP-SAT: the people sent must cover the visit's skills and languages together and all be there at
the same start time, even when they come from different offices.

Ranking score, in "minutes" (lower is better; documented in docs/proposals.md):
    travel minutes + 0.5 × cost in euros + 60 per hotel night
    + days after the earliest possible day × (480 urgent, 30 normal, 0 low)
    + 30 when the person's office does not cover the visit's region − 120 for the preferred person
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable, Iterable

from ortools.sat.python import cp_model

from . import reasons as why
from .availability import Availability, days, non_working_reason
from .emissions import EmissionFactors
from .costs import trip_extras
from .messages import Message, english, message
from .records import Office, StaffMember, Visit
from .settings import Settings
from .timing import SLOT, Timing, meeting_window, time_trip
from .travel import Journey, NoRoute, TravelModel, on_day

EUR_WEIGHT = 0.5
NIGHT_WEIGHT = 60
DAY_DELAY_WEIGHT = {"urgent": 480, "normal": 30, "low": 0}
OTHER_REGION_WEIGHT = 30
PREFERRED_BONUS = 120
TEAM_OPTIONS_PER_DAY = 3


@dataclass(frozen=True)
class PersonPlan:
    """One person's part of an option: their trip there and back."""
    staff: StaffMember
    office: Office
    out: Journey
    back: Journey
    timing: Timing
    cost_eur: float
    score: float

    @property
    def travel_minutes(self) -> int:
        return self.out.minutes + self.back.minutes

    def to_dict(self) -> dict:
        return {
            "staff": self.staff.id, "name": self.staff.name, "office": self.office.id,
            "depart": self.timing.depart.isoformat(), "return": self.timing.return_.isoformat(),
            "nights": self.timing.nights, "travel_minutes": self.travel_minutes,
            "distance_km": round(self.out.distance_km + self.back.distance_km, 1),
            "cost_eur": round(self.cost_eur, 2), "travel_out": self.out.to_dict(), "travel_back": self.back.to_dict(),
        }


@dataclass(frozen=True)
class Option:
    day: date
    people: tuple[PersonPlan, ...]
    reason: Message | None = None

    @property
    def start(self) -> datetime:
        return self.people[0].timing.meeting_start

    @property
    def end(self) -> datetime:
        return self.people[0].timing.meeting_end

    @property
    def score(self) -> float:
        return sum(p.score for p in self.people)

    @property
    def travel_minutes(self) -> int:
        return sum(p.travel_minutes for p in self.people)

    @property
    def cost_eur(self) -> float:
        return sum(p.cost_eur for p in self.people)

    @property
    def nights(self) -> int:
        return max(p.timing.nights for p in self.people)

    def to_dict(self, rank: int, word: Callable = english) -> dict:
        return {
            "rank": rank, "staff": [p.staff.id for p in self.people], "offices": sorted({p.office.id for p in self.people}),
            "date": self.day.isoformat(), "start": self.start.isoformat(), "end": self.end.isoformat(),
            "depart": min(p.timing.depart for p in self.people).isoformat(),
            "return": max(p.timing.return_ for p in self.people).isoformat(),
            "travel_minutes": self.travel_minutes, "cost_eur": round(self.cost_eur, 2), "nights": self.nights,
            "overnight": self.nights > 0, "score": round(self.score, 1), "reason": word(self.reason),
            "people": [p.to_dict() for p in self.people],
        }


@dataclass(frozen=True)
class Proposal:
    visit: Visit
    options: tuple[Option, ...]
    excluded: dict[str, Message]  # staff id -> why they are not proposed
    reason: Message | None = None  # why there is no option at all
    # (staff id, day) -> why that person cannot go on that working day of the window: the board says it on a drop
    unavailable: dict[tuple[str, date], Message] = field(default_factory=dict, compare=False)

    def to_dict(self, word: Callable = english) -> dict:
        """The proposal JSON, its reasons worded by ``word``: English (the JSON contract), or ``keep`` for the
        messages themselves (the pages word them in the reader's language)."""
        v = self.visit
        return {
            "visit": {"id": v.id, "place": v.place_name, "lat": v.lat, "lon": v.lon, "earliest": v.earliest.isoformat(),
                      "latest": v.latest.isoformat(), "duration_min": v.duration_min, "staff_needed": v.staff_needed,
                      "skills": sorted(v.skills), "languages": sorted(v.languages), "interpreter": v.interpreter,
                      "priority": v.priority, "preferred_staff": v.preferred_staff},
            "options": [o.to_dict(i + 1, word) for i, o in enumerate(self.options)],
            "excluded": [{"staff": s, "reason": word(r)} for s, r in sorted(self.excluded.items())],
            "reason": word(self.reason),
        }


def visit_days(visit: Visit) -> tuple[list[date], Message | None]:
    """Working days in the visit's window (Åland's holidays for visits on Åland), and why there are none."""
    window = days(visit.earliest, visit.latest)
    working = [d for d in window if non_working_reason(d, visit.on_aland) is None]
    if working:
        return working, None
    return [], why.no_working_day(non_working_reason(d, visit.on_aland) for d in window)


def covers_region(person: StaffMember, office: Office, visit: Visit) -> bool:
    """Whether the visit's region is the person's own area (or else their office's)."""
    return visit.region is None or visit.region in (person.region or office.region or "").split(",")


class Proposer:
    """Ranks who should make one visit. Travel per office is computed once and reused for every person."""

    def __init__(self, staff: Iterable[StaffMember], offices: dict[str, Office], availability: Availability,
                 travel: TravelModel, settings: Settings, declined: Iterable[tuple[str, str, date]] = ()):
        """``declined``: (person, visit, day) where someone said "I can't make this trip": not proposed again."""
        self.staff = list(staff)
        self.declined = set(declined)
        self.offices = offices
        self.availability = availability
        self.travel = travel
        self.settings = settings

    def _journeys(self, visit: Visit, days: list[date]) -> dict[date, dict[str, tuple[Journey, Journey] | Message]]:
        """Each day's journeys between the offices and the visit, as the network runs that day (a seasonal ferry,
        a flight on some weekdays, a ferry replaced by a road), or why there is no way then; days when the same
        links run share them."""
        offices = sorted({p.office for p in self.staff})
        by_model: dict[int, dict[str, tuple[Journey, Journey] | NoRoute]] = {}
        out = {}
        for day in days:
            travel = on_day(self.travel, day)
            if id(travel) not in by_model:
                by_model[id(travel)] = {o: self._both_ways(travel, self.offices[o], visit) for o in offices}
            out[day] = {o: (message("no_way_then", place=visit.place_name, day=day.isoformat(), links=ways.links)
                            if isinstance(ways, NoRoute) else ways) for o, ways in by_model[id(travel)].items()}
        return out

    @staticmethod
    def _both_ways(travel: TravelModel, office, visit: Visit) -> tuple[Journey, Journey] | NoRoute:
        try:
            return travel.journey(office, visit), travel.journey(visit, office)
        except NoRoute as exc:
            return exc

    def _person_plan(self, person: StaffMember, visit: Visit, day: date, journeys: tuple[Journey, Journey],
                     first_day: date, start: datetime | None = None) -> PersonPlan | Message:
        """The person's trip for a meeting on ``day`` (at ``start`` when given), or why they cannot make it."""
        if (person.id, visit.id, day) in self.declined:
            return message("declined", day=day.isoformat())
        reason = self.availability.unavailable_reason(person.id, day, visit.on_aland)
        if reason:
            return reason
        if isinstance(journeys, Message):   # no way there that day
            return journeys
        out, back = journeys
        hours = person.pattern.get(day.weekday())
        timing = time_trip(day, out.minutes, back.minutes, visit.duration_min, self.settings,
                           work_start=hours[0] if hours else None, start=start)
        if timing is None:
            return message("cannot_reach", place=visit.place_name, day=day.isoformat(), minutes=out.minutes)
        reason = self.availability.free_between(person.id, timing.depart, timing.return_)
        if reason:
            if timing.depart.date() != timing.return_.date():
                return message("trip_blocked", start=timing.depart.date().isoformat(),
                               end=timing.return_.date().isoformat(), reason=reason)
            return reason
        office = self.offices[person.office]
        distance = max(out.distance_km, back.distance_km)
        cost = out.cost_eur + back.cost_eur + trip_extras(timing.hours_away, distance, timing.nights, self.settings)
        score = (out.minutes + back.minutes + EUR_WEIGHT * cost + NIGHT_WEIGHT * timing.nights
                 + DAY_DELAY_WEIGHT[visit.priority] * (day - first_day).days
                 + (0 if covers_region(person, office, visit) else OTHER_REGION_WEIGHT)
                 - (PREFERRED_BONUS if person.id == visit.preferred_staff else 0))
        return PersonPlan(person, office, out, back, timing, cost, score)

    def propose(self, visit: Visit, limit: int = 10) -> Proposal:
        """Ranked options (best first, at most ``limit``) and, for each person not proposed, why."""
        candidate_days, no_day = visit_days(visit)
        if not candidate_days:
            return Proposal(visit, (), {p.id: no_day for p in self.staff}, no_day)
        journeys = self._journeys(visit, candidate_days)
        first = candidate_days[0]
        why_not: dict[str, list[Message]] = {p.id: [] for p in self.staff}
        plans: dict[date, list[PersonPlan]] = {d: [] for d in candidate_days}
        unavailable: dict[tuple[str, date], Message] = {}
        for person in self.staff:
            if not any(person.employed_on(d) for d in candidate_days):
                why_not[person.id] = [self._not_employed(person)] * len(candidate_days)
                unavailable.update({(person.id, d): why_not[person.id][0] for d in candidate_days})
                continue
            lacking = why.lacks(visit, [person]) if visit.staff_needed == 1 else None
            if lacking:
                why_not[person.id] = [lacking] * len(candidate_days)
                unavailable.update({(person.id, d): lacking for d in candidate_days})
                continue
            for day in candidate_days:
                plan = self._person_plan(person, visit, day, journeys[day][person.office], first)
                if isinstance(plan, Message):
                    why_not[person.id].append(plan)
                    unavailable[person.id, day] = plan
                else:
                    plans[day].append(plan)

        if visit.staff_needed == 1:
            options = self._single_options(plans)
        else:
            options = self._team_options(visit, candidate_days, journeys, first, plans)
        options = sorted(options, key=lambda o: (o.score, o.day, [p.staff.id for p in o.people]))[:limit]
        options = self._explain(visit, options)
        chosen = {p.staff.id for o in options for p in o.people}
        excluded = {}
        for person in self.staff:
            if person.id in chosen:
                continue
            reasons = list(dict.fromkeys(why_not[person.id]))
            if reasons and len(why_not[person.id]) >= len(candidate_days):
                excluded[person.id] = why.reasons(reasons[:3])
            else:
                excluded[person.id] = message("free_not_chosen")
        reason = None
        if not options:
            reason = self._no_option_reason(visit, candidate_days, plans)
        return Proposal(visit, tuple(options), excluded, reason, unavailable)

    @staticmethod
    def _not_employed(person: StaffMember) -> Message:
        return message("not_employed_window", start=person.active_from and person.active_from.isoformat(),
                       end=person.active_until and person.active_until.isoformat())

    @staticmethod
    def _single_options(plans: dict[date, list[PersonPlan]]) -> list[Option]:
        return [Option(day, (plan,)) for day, day_plans in plans.items() for plan in day_plans]

    def _team_options(self, visit: Visit, candidate_days: list[date], journeys: dict, first: date,
                      plans: dict[date, list[PersonPlan]]) -> list[Option]:
        """Per day, the best few teams by CP-SAT: one common start, skills and languages covered together."""
        options = []
        for day in candidate_days:
            free = [p.staff for p in plans[day]]
            if len(free) < visit.staff_needed or why.missing(visit, free):
                continue
            win_start, win_end = meeting_window(day, self.settings)
            starts = []
            s = win_start
            while s + timedelta(minutes=visit.duration_min) <= win_end:
                starts.append(s)
                s += timedelta(minutes=SLOT)
            grid: dict[tuple[int, int], PersonPlan] = {}
            for i, person in enumerate(free):
                for j, start in enumerate(starts):
                    plan = self._person_plan(person, visit, day, journeys[day][person.office], first, start)
                    if not isinstance(plan, Message):
                        grid[i, j] = plan
            for team in solve_teams(visit, free, len(starts), grid, TEAM_OPTIONS_PER_DAY):
                options.append(Option(day, tuple(grid[i, j] for i, j in team)))
        return options

    def _no_option_reason(self, visit: Visit, candidate_days: list[date],
                          plans: dict[date, list[PersonPlan]]) -> Message:
        """Why no option: first by who can work on the days whatever the travel (a visit of one whose skills only
        two people hold between them is said so, not "nobody is free"), then by who could make the trip."""
        when = why.span_when(visit.earliest, visit.latest)
        working = [p for p in self.staff if any(self.availability.unavailable_reason(p.id, d, visit.on_aland) is None
                                                 for d in candidate_days)]
        free = {p.staff.id: p.staff for ps in plans.values() for p in ps}
        return (why.short_of_people(visit, working, when) or why.short_of_people(visit, free.values(), when)
                or why.no_common_start(visit, when))

    def _explain(self, visit: Visit, options: list[Option]) -> list[Option]:
        """A short reason per option: why the best one, and what each other one adds."""
        if not options:
            return options
        best = options[0]
        explained = []
        for rank, option in enumerate(options):
            parts = []
            if rank == 0:
                parts.append(message("nearest", team=len(option.people) > 1,
                                     legs=[[p.office.name, p.out.minutes] for p in option.people]))
            else:
                parts.append(message("against_best", minutes=option.travel_minutes - best.travel_minutes,
                                     eur=option.cost_eur - best.cost_eur))
            if option.day != visit.earliest and rank == 0 and option.day != best.day:
                parts.append(message("on_day", day=option.day.isoformat()))
            if any(p.staff.id == visit.preferred_staff for p in option.people):
                parts.append(why.preferred())
            if option.nights:
                parts.append(why.hotel_nights(option.nights))
            main_modes = {p.out.mode for p in option.people if p.out.mode != "car"}
            if main_modes:
                parts.append(why.by_modes(main_modes))
            parts += self._train_not_flight(visit, option)
            explained.append(Option(option.day, option.people, why.reasons(parts)))
        return explained


    def _train_not_flight(self, visit: Visit, option: Option) -> list[Message]:
        """When emissions are weighed and someone goes by train where the fastest way flies: what it costs in time
        and saves in CO2e (there, for the first such person)."""
        if not self.settings.emissions_eur_per_kg:
            return []
        factors = EmissionFactors.from_settings(self.settings)
        for p in option.people:
            if p.out.mode != "train":
                continue
            flying = on_day(self.travel, option.day).journey(p.office, visit, "fastest")
            if flying.mode == "flight":
                return [message("train_not_flight", minutes=p.out.minutes - flying.minutes,
                                kg=round(factors.journey_kg(flying.legs) - factors.journey_kg(p.out.legs)))]
        return []


def solve_teams(visit: Visit, people: list[StaffMember], n_starts: int, grid: dict[tuple[int, int], PersonPlan],
                how_many: int) -> list[list[tuple[int, int]]]:
    """Up to ``how_many`` distinct teams (lists of (person index, start index)), cheapest first.

    CP-SAT model: choose one start; choose ``staff_needed`` people feasible at that start; every required skill
    and language held by at least one of them; minimise the summed person scores. Each further team differs from
    the earlier ones in at least one person.
    """
    teams: list[list[tuple[int, int]]] = []
    cuts: list[set[int]] = []
    for _ in range(how_many):
        model = cp_model.CpModel()
        y = [model.new_bool_var(f"start_{j}") for j in range(n_starts)]
        x = {key: model.new_bool_var(f"person_{key[0]}_start_{key[1]}") for key in grid}
        model.add_exactly_one(y)
        for j in range(n_starts):
            at_j = [x[i, jj] for (i, jj) in grid if jj == j]
            model.add(sum(at_j) == visit.staff_needed * y[j])
        sent = {}
        for i in range(len(people)):
            keys = [x[k] for k in grid if k[0] == i]
            sent[i] = model.new_bool_var(f"sent_{i}")
            model.add(sum(keys) == sent[i])
        for skill in visit.skills:
            model.add(sum(sent[i] for i, p in enumerate(people) if skill in p.skills) >= 1)
        for lang in visit.required_languages:
            model.add(sum(sent[i] for i, p in enumerate(people) if lang in p.languages) >= 1)
        for team in cuts:
            model.add(sum(sent[i] for i in team) <= len(team) - 1)
        model.minimize(sum(round(grid[k].score * 10) * x[k] for k in grid))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 5.0
        solver.parameters.num_workers = 1  # deterministic and cheap: the model is tiny
        solver.parameters.random_seed = 1
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        team = sorted(k for k in grid if solver.value(x[k]))
        teams.append(team)
        cuts.append({i for i, _ in team})
    return teams
