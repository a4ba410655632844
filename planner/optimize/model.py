"""The weekly plan as a CP-SAT model over candidate trips (columns).

Variables: ``x[c]`` (column c is chosen), ``covered[v]`` (visit v happens), ``start[v]`` (the common start of a
team visit, in minutes of the week; single-person visits take the start of their one column).

Hard rules (``_add_constraints``, one method each): the team size, the same start for a team, skills and languages
together, one trip per person and day, pinned meetings kept. Rules for one person alone (employed, absent,
holidays, meeting window, longest day and overnights) are already true of every column (``candidates``).

Objective: the sum of named penalty terms, in minutes (the model counts tenths of a minute so that half-euro
weights stay whole numbers). The weights make the goals come in the issue's order:

| term | weight (minutes) |
|---|---|
| visit not covered | 100,000 urgent, 10,000 normal, 9,000 low |
| travel time, summed over the people sent | 1 per minute |
| cost (travel, allowances, hotels) | 0.5 per euro |
| hotel night (time away from home) | 60 per night |
| meeting later than the first possible day | 480 per day urgent, 30 normal, 0 low (per visit) |
| fairness: a person's k-th travel day in the week | 20 × (k − 1) |
| a person whose office does not cover the visit's region | 30 |
| a covered visit without its preferred person | 120 |
| planning again: a person's meeting not where the current draft had it (another person or another day) | 240 per person |

A visit's whole travel and cost stay far below the 9,000 of leaving one visit out, so coverage always comes
first; an urgent visit outweighs ten others. The change cost (only when a draft is planned again) makes a re-plan
keep the meetings it can: a meeting moves when that saves more than four hours of travel or its equal, or when it
must (its person fell ill, said they cannot go).
"""
from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..core.messages import Message, message
from ..core.records import Visit
from ..core.propose import DAY_DELAY_WEIGHT, EUR_WEIGHT, NIGHT_WEIGHT, OTHER_REGION_WEIGHT, PREFERRED_BONUS
from ..core.propose import covers_region as person_covers_region
from .candidates import Candidates, Column
from .instance import WeekInstance

SCALE = 10  # model units per minute
UNCOVERED = {"urgent": 100_000, "normal": 10_000, "low": 9_000}
TRAVEL_PER_MINUTE = 1.0
# The same weights as the single-visit proposer's ranking (planner/core/propose.py), so both agree on what is better.
COST_PER_EUR = EUR_WEIGHT
NIGHT = NIGHT_WEIGHT
LATE_PER_DAY = DAY_DELAY_WEIGHT
FAIR_DAY_STEP = 20
OTHER_REGION = OTHER_REGION_WEIGHT
NOT_PREFERRED = PREFERRED_BONUS
MAX_TRAVEL_DAYS = 5
CHANGED = 240  # per person whose meeting is not where the draft being planned again had it


def covers_region(inst: WeekInstance, staff_id: str, visit: Visit) -> bool:
    person = inst.staff_by_id[staff_id]
    return person_covers_region(person, inst.offices[person.office], visit)


def lateness_days(cands: Candidates, visit: Visit, day) -> int:
    """Working days of the window passed before the meeting day (0 on the first possible day)."""
    return sum(1 for d in cands.days[visit.id] if d < day)


def column_terms(inst: WeekInstance, cands: Candidates, column: Column) -> dict[str, float]:
    """The objective terms one column brings, in minutes (lateness shared by the team members)."""
    region = late = changed = 0.0
    for stop in column.stops:
        lateness, other_region, change = stop_terms(inst, cands, column.staff, inst.visit_by_id[stop.visit],
                                                    inst.moment(stop.lo).date())
        late += lateness
        region += other_region
        changed += change
    return {"travel": TRAVEL_PER_MINUTE * column.travel_minutes, "cost": COST_PER_EUR * column.cost_eur,
            "nights": NIGHT * column.nights, "lateness": late, "region": region, "changed": changed}


def stop_terms(inst: WeekInstance, cands: Candidates, staff_id: str, visit: Visit, day) -> tuple[float, float, float]:
    """A meeting's own terms on ``day``, in minutes: its lateness (shared by a team's members), the other region's
    and the change from the draft's."""
    return (LATE_PER_DAY[visit.priority] * lateness_days(cands, visit, day) / visit.staff_needed,
            0.0 if covers_region(inst, staff_id, visit) else OTHER_REGION,
            CHANGED * moved(inst, visit.id, staff_id, day))


def moved(inst: WeekInstance, visit_id: str, staff_id: str, day) -> bool:
    """Whether the person meeting the visit on ``day`` is a change from the draft being planned again."""
    before = inst.previous.get(visit_id)
    return before is not None and (staff_id not in before[0] or day != before[1])


def day_step_cost(k: int) -> int:
    """A person's k-th day away in the week, in model units: FAIR_DAY_STEP × (k − 1) minutes (convex, so travel
    days spread over people)."""
    return SCALE * FAIR_DAY_STEP * (k - 1)


def column_score(inst: WeekInstance, cands: Candidates, column: Column) -> int:
    """A column's objective contribution in model units (tenths of a minute), kept in ``cands.scores``."""
    score = cands.scores.get(column)
    if score is None:
        score = cands.scores[column] = round(SCALE * sum(column_terms(inst, cands, column).values()))
    return score


def plan_value(inst: WeekInstance, cands: Candidates, chosen: list[int], score=None) -> int:
    """The objective of the plan made of the ``chosen`` columns in model units, every visit's uncovered weight
    included, computed as the solver would: the same penalty terms, with covered visits, travel days and preferred
    people read off the columns; no model is built (``score``: a column's ``column_score``, when the caller keeps
    them)."""
    cols = cands.columns
    score = score or (lambda i: column_score(inst, cands, cols[i]))
    people: dict[str, set[str]] = defaultdict(set)
    days: dict[str, int] = defaultdict(int)
    total = 0
    for i in chosen:
        total += score(i)
        days[cols[i].staff] += len(cols[i].days)
        for vid in cols[i].visits:
            people[vid].add(cols[i].staff)
    for visit in inst.visits:
        if visit.id not in people:
            total += SCALE * UNCOVERED[visit.priority]
        elif visit.preferred_staff and visit.preferred_staff not in people[visit.id]:
            total += SCALE * NOT_PREFERRED
    return total + sum(day_step_cost(k) for n in days.values() for k in range(2, n + 1))


@dataclass
class Penalty:
    """A named objective term: coefficient × variable, for reporting which rule cost what."""
    name: str
    coef: int
    var: object


class PlanModel:
    """The CP-SAT model of one week over the given candidate columns."""

    def __init__(self, inst: WeekInstance, cands: Candidates, build: bool = True):
        """``build=False``: no CP-SAT model, only what a search that builds its own needs of it (a big week's
        master and repair: ``constant``, ``value``, ``pin_problems``); building one over every trip of a 300-visit
        week takes 1.3 s."""
        self.inst = inst
        self.cands = cands
        self.model = cp_model.CpModel()
        self.penalties: list[Penalty] = []
        self.constant = 0  # penalties of visits no candidate covers: the same in every plan
        self.pin_problems: dict[str, Message] = {}
        self.day_steps: dict[str, list] = {}      # person -> travel-day steps (fairness)
        self.no_preferred: dict[str, object] = {}  # visit -> its preferred person is not sent
        if build:
            self._build_model()
            return
        self.constant = sum(SCALE * UNCOVERED[v.priority] for v in inst.visits if not cands.by_visit[v.id])
        self.pin_problems = {vid: problem for vid, problem, _options in _pin_options(inst, cands) if problem}

    # structure -------------------------------------------------------------------------------------------
    def _build_model(self) -> None:
        self._add_variables()
        self._add_constraints()
        self._add_objective()

    def _add_variables(self) -> None:
        m, inst, cands = self.model, self.inst, self.cands
        self.x = [m.new_bool_var(f"x{i}") for i in range(len(cands.columns))]
        self.covered = {}
        self.start = {}
        for visit in inst.visits:
            cols = cands.by_visit[visit.id]
            if not cols:
                self.constant += SCALE * UNCOVERED[visit.priority]
                continue
            self.covered[visit.id] = m.new_bool_var(f"covered_{visit.id}")
            if visit.staff_needed > 1:
                ranges = sorted({(s.lo, s.hi) for i in cols for s in cands.columns[i].stops if s.visit == visit.id})
                domain = cp_model.Domain.from_intervals([list(r) for r in _merge(ranges)])
                self.start[visit.id] = m.new_int_var_from_domain(domain, f"start_{visit.id}")

    def _add_constraints(self) -> None:
        self._rule_team_size()
        self._rule_same_start()
        self._rule_skills_and_languages()
        self._rule_one_trip_per_person_day()
        self._rule_pinned()

    # hard rules ------------------------------------------------------------------------------------------
    def _rule_team_size(self) -> None:
        """A covered visit gets exactly ``staff_needed`` people; an uncovered one nobody."""
        for vid, covered in self.covered.items():
            visit = self.inst.visit_by_id[vid]
            self.model.add(sum(self.x[i] for i in self.cands.by_visit[vid]) == visit.staff_needed * covered)

    def _rule_same_start(self) -> None:
        """Everyone sent to a team visit is there at one start: each chosen column's start range holds it."""
        for vid, start in self.start.items():
            for i in self.cands.by_visit[vid]:
                stop = next(s for s in self.cands.columns[i].stops if s.visit == vid)
                if stop.lo == stop.hi:
                    self.model.add(start == stop.lo).only_enforce_if(self.x[i])
                else:
                    self.model.add_linear_constraint(start, stop.lo, stop.hi).only_enforce_if(self.x[i])

    def _rule_skills_and_languages(self) -> None:
        """The people sent hold every required skill and (unless an interpreter is booked) language together."""
        staff = self.inst.staff_by_id
        for vid, covered in self.covered.items():
            visit = self.inst.visit_by_id[vid]
            cols = self.cands.by_visit[vid]
            needs = [("skill", s) for s in sorted(visit.skills)] + [("language", l) for l in sorted(visit.required_languages)]
            for kind, need in needs:
                holders = [self.x[i] for i in cols
                           if need in (staff[self.cands.columns[i].staff].skills if kind == "skill"
                                       else staff[self.cands.columns[i].staff].languages)]
                self.model.add(sum(holders) >= covered)

    def _rule_one_trip_per_person_day(self) -> None:
        """Nobody is in two places at once: at most one chosen trip touches a person's day."""
        for lits in self._person_days().values():
            if len(lits) > 1:
                self.model.add_at_most_one(lits)

    def _rule_pinned(self) -> None:
        """A pinned meeting keeps its people and its start (or, when that start no longer fits, its day)."""
        for vid, problem, options in _pin_options(self.inst, self.cands):
            if problem:
                self.pin_problems[vid] = problem
                continue
            self.model.add(self.covered[vid] == 1)
            for person_options in options:
                self.model.add_exactly_one(self.x[i] for i in person_options)

    # objective -------------------------------------------------------------------------------------------
    def _add_objective(self) -> None:
        self._penalise_uncovered()
        self._penalise_trips()
        self._penalise_unfair_travel_days()
        self._penalise_missing_preferred()
        self.model.minimize(sum(p.coef * p.var for p in self.penalties))

    def _penalise_uncovered(self) -> None:
        """Coverage first, urgent first: a visit left out costs its priority's weight."""
        for vid, covered in self.covered.items():
            visit = self.inst.visit_by_id[vid]
            self.penalties.append(Penalty("uncovered", SCALE * UNCOVERED[visit.priority], ~covered))

    def _penalise_trips(self) -> None:
        """Travel time, cost, nights, lateness and region of every chosen trip."""
        for i, column in enumerate(self.cands.columns):
            self.penalties.append(Penalty("trip", column_score(self.inst, self.cands, column), self.x[i]))

    def _penalise_unfair_travel_days(self) -> None:
        """Spread travel days: a person's k-th day away in the week costs FAIR_DAY_STEP × (k − 1) (convex)."""
        per_person: dict[str, list] = defaultdict(list)
        for i, column in enumerate(self.cands.columns):
            per_person[column.staff].append((len(column.days), self.x[i]))
        for pid in sorted(per_person):
            steps = [self.model.new_bool_var(f"day{k}_{pid}") for k in range(1, MAX_TRAVEL_DAYS + 1)]
            self.day_steps[pid] = steps
            self.model.add(sum(steps) == sum(n * x for n, x in per_person[pid]))
            for a, b in zip(steps, steps[1:]):
                self.model.add_implication(b, a)
            for k, step in enumerate(steps, start=1):
                if k > 1:
                    self.penalties.append(Penalty("fairness", day_step_cost(k), step))

    def _penalise_missing_preferred(self) -> None:
        """Continuity: a covered visit whose preferred person does not go costs NOT_PREFERRED."""
        for vid, covered in self.covered.items():
            visit = self.inst.visit_by_id[vid]
            if not visit.preferred_staff:
                continue
            theirs = [self.x[i] for i in self.cands.by_visit[vid] if self.cands.columns[i].staff == visit.preferred_staff]
            missing = self.no_preferred[vid] = self.model.new_bool_var(f"no_preferred_{vid}")
            # missing >= covered - sum(theirs): the minimisation keeps it at exactly that
            self.model.add(missing + sum(theirs) >= covered)
            self.penalties.append(Penalty("preferred", SCALE * NOT_PREFERRED, missing))

    # helpers ---------------------------------------------------------------------------------------------
    def _person_days(self) -> dict[tuple, list]:
        slots: dict[tuple, list] = defaultdict(list)
        for i, column in enumerate(self.cands.columns):
            for day in column.days:
                slots[column.staff, day].append(self.x[i])
        return dict(sorted(slots.items()))

    def value(self, chosen: list[int]) -> int:
        """The objective (model units, without ``constant``) of the plan made of the ``chosen`` columns
        (``plan_value``; used for plans assembled outside one solve)."""
        return plan_value(self.inst, self.cands, chosen) - self.constant

    def hint(self, chosen: set[int]) -> None:
        """Start the search from a known plan (the greedy one, or the plan a repair step frees part of): every
        variable is hinted, so CP-SAT starts from that plan without first having to complete it (with the trips
        alone hinted, a repair step of about 50 trips found no plan in its one deterministic unit)."""
        cols = self.cands.columns
        for i, x in enumerate(self.x):
            self.model.add_hint(x, i in chosen)
        covered = {v for i in chosen for v in cols[i].visits}
        for vid, var in self.covered.items():
            self.model.add_hint(var, vid in covered)
        for vid, var in self.start.items():
            ranges = [s for i in chosen for s in cols[i].stops if s.visit == vid]
            if ranges:  # the team's common start: the latest beginning among its people's ranges
                self.model.add_hint(var, max(s.lo for s in ranges))
        days: dict[str, int] = defaultdict(int)
        for i in chosen:
            days[cols[i].staff] += len(cols[i].days)
        for pid, steps in self.day_steps.items():
            for k, step in enumerate(steps, start=1):
                self.model.add_hint(step, k <= days[pid])
        for vid, var in self.no_preferred.items():
            preferred = self.inst.visit_by_id[vid].preferred_staff
            self.model.add_hint(var, vid in covered and not any(cols[i].staff == preferred and vid in cols[i].visits
                                                               for i in chosen))


def _pin_options(inst: WeekInstance, cands: Candidates) -> list[tuple[str, Message | None, list[list[int]]]]:
    """Each pin's visit, why it cannot be kept (None when it can), and for each of its people the columns that
    keep it: through the visit at the pinned start, or when none is, on its day."""
    cols = cands.columns
    out = []
    for pin in inst.pins:
        if not cands.by_visit.get(pin.visit):
            out.append((pin.visit, message("pin_nobody"), []))
            continue
        pin_minute = inst.minute(pin.start)
        options = []
        for pid in pin.staff:
            mine = [i for i in cands.by_visit[pin.visit] if cols[i].staff == pid]
            at_start = [i for i in mine if any(s.visit == pin.visit and s.lo <= pin_minute <= s.hi
                                               for s in cols[i].stops)]
            on_day = [i for i in mine if any(s.visit == pin.visit and inst.moment(s.lo).date() == pin.start.date()
                                             for s in cols[i].stops)]
            options.append(at_start or on_day)
        out.append((pin.visit, None if all(options) else message("pin_person"), options))
    return out


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for lo, hi in ranges:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [tuple(r) for r in merged]


def part_model(inst: WeekInstance, cands: Candidates, members: list[int], visits: list[Visit]) -> PlanModel:
    """The week's model over the trips ``members`` (its ``x[k]`` is ``members[k]``'s) with the rules of
    ``visits`` only: another visit a member passes through has none (covered or not, by any team), so over every
    trip through ``visits`` it is a relaxation of the week as far as they are concerned (``cores``)."""
    ids = {v.id for v in visits}
    part = Candidates([cands.columns[i] for i in members], {v.id: [] for v in visits}, cands.days, cands.no_day,
                      cands.relevant, scores=cands.scores)  # a trip scores the same in the part
    for k, column in enumerate(part.columns):
        for vid in column.visits:
            if vid in ids:
                part.by_visit[vid].append(k)
    sub = copy.copy(inst)
    sub.visits = [v for v in inst.visits if v.id in ids]
    sub.pins = [p for p in inst.pins if p.visit in ids]
    return PlanModel(sub, part)

