"""Tiny weeks for the optimizer's tests: offices, people and visits built for one rule, travel from a fixed test
matrix (``FakeTravel``), and ``solve``, which checks every plan with the planner's validator and the independent
test checker."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from planner.core.availability import Availability
from planner.core.messages import english
from planner.core.records import Absence, Office, StaffMember, Visit
from planner.optimize.candidates import Candidates
from planner.optimize.instance import build_instance
from planner.optimize.run import plan_week
from planner.optimize.validate import check_plan, plan_objective
from planner.core.settings import Settings

import plan_checker

MON = date(2026, 12, 7)  # week 2026-W50, no holidays
WEEK = "2026-W50"


@dataclass(frozen=True)
class Leg:
    mode: str
    from_name: str
    to_name: str
    minutes: int
    km: float
    cost_eur: float

    def to_dict(self):
        return {"mode": self.mode, "from": self.from_name, "to": self.to_name, "minutes": self.minutes,
                "km": self.km, "cost_eur": self.cost_eur}


@dataclass(frozen=True)
class Journey:
    legs: tuple
    minutes: int
    distance_km: float
    cost_eur: float
    mode: str = "car"


class FakeTravel:
    """Car at 60 km/h along the straight line, unless a pair of place names is given its own minutes."""

    def __init__(self, minutes: dict[tuple[str, str], int] | None = None):
        self.fixed = {}
        for (a, b), m in (minutes or {}).items():
            self.fixed[a, b] = self.fixed[b, a] = m

    def journey(self, a, b, mode="best"):
        km = round(111 * math.hypot(a.lat - b.lat, (a.lon - b.lon) * math.cos(math.radians(a.lat))), 1)
        minutes = self.fixed.get((a.name, b.name), round(km))
        return Journey((Leg("car", a.name, b.name, minutes, km, round(0.55 * km, 2)),) if minutes else (),
                       minutes, km, round(0.55 * km, 2))


OFFICES = {"south": Office("south", "South", 60.0, 25.0, "Uusimaa"),
           "north": Office("north", "North", 62.0, 25.0, "Pohjois-Savo")}


def person(pid, office="south", skills=(), languages=("fi",), **kw) -> StaffMember:
    return StaffMember(pid, pid, "senior_inspector", office, frozenset(skills), frozenset(languages), **kw)


def visit(vid, lat=60.3, lon=25.0, earliest=MON, latest=None, duration=60, **kw) -> Visit:
    return Visit(vid, "client", kw.pop("place", f"place-{vid}"), lat, lon, earliest, latest or earliest, duration,
                 **kw)


def solve(visits, staff, absences=(), pins=(), settings=Settings(), travel=None, monday=MON, week=WEEK,
          solver="cp-sat"):
    inst = build_instance(week, monday, visits, staff, OFFICES, Availability(staff, absences), settings,
                          travel or FakeTravel(), pins)
    plan = plan_week(inst, solver, time_limit=5)
    assert check_plan(plan, inst) == []
    assert plan_checker.check(plan, visits, staff, absences, (settings.meeting_earliest, settings.meeting_latest_end),
                              settings.longest_day_minutes) == []
    if plan["status"] == "OPTIMAL":
        assert plan["objective"] == pytest.approx(plan_objective(plan, inst), abs=1 + len(plan["trips"]))
    return plan


def assigned(plan, vid):
    return next((a for a in plan["assignments"] if a["visit"] == vid), None)


def reason(plan, vid):
    return next(english(u["reason"]) for u in plan["unassigned"] if u["visit"] == vid)


@pytest.fixture(params=["cp-sat model", "big-week path"])
def either_path(request, monkeypatch):
    """Run a test on the CP-SAT model and again on the big-week path (SCIP over the restricted master, with
    SCIP's root bound in its thread)."""
    if request.param == "big-week path":
        from planner.optimize import big_week
        monkeypatch.setattr(big_week, "BIG_FROM", 0)
    return request.param


def _week(visits, staff, absences=()):
    from planner.optimize.candidates import CandidateGenerator
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff, absences), Settings(), FakeTravel())
    inst.precompute_travel()
    return inst, CandidateGenerator(inst).generate()


def _random_week(seed: int, people: int = 3, visits: int = 6):
    """A small random week: ``people`` of the two offices with one skill each, ``visits`` over the first days."""
    import random
    rng = random.Random(seed)
    skills = ["health", "law"]
    staff = [person(f"p{k}", office=rng.choice(["south", "north"]), skills=set(rng.sample(skills, 1)),
                    languages=("fi",) + (("ru",) if rng.random() < 0.3 else ())) for k in range(people)]
    count, visits = visits, []
    for k in range(count):
        first = MON + timedelta(rng.randrange(3))
        visits.append(visit(f"v{k}", lat=60.1 + 2 * rng.random(), lon=24 + 2 * rng.random(), earliest=first,
                            latest=first + timedelta(rng.randrange(2)), duration=rng.choice([60, 120, 240]),
                            staff_needed=2 if rng.random() < 0.3 else 1,
                            skills=frozenset(rng.sample(skills, 1)) if rng.random() < 0.4 else frozenset(),
                            priority=rng.choice(["urgent", "normal", "low"])))
    absences = [Absence("p0", MON + timedelta(1), MON + timedelta(1), "vacation")] if rng.random() < 0.5 else []
    return visits, staff, absences


def optimum(inst, cands) -> float:
    """The best plan over ``cands`` by CP-SAT, proven (minutes)."""
    from ortools.sat.python import cp_model

    from planner.optimize.model import SCALE, PlanModel
    pm = PlanModel(inst, cands)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60
    solver.parameters.num_workers = 1
    assert solver.solve(pm.model) == cp_model.OPTIMAL
    return (solver.objective_value + pm.constant) / SCALE


def subset(cands: Candidates, keep) -> Candidates:
    """The candidates ``cands`` with only the trips of index in ``keep`` (the others are then "made after" them)."""
    columns = [c for i, c in enumerate(cands.columns) if i in keep]
    by_visit = {vid: [] for vid in cands.by_visit}
    for i, c in enumerate(columns):
        for vid in c.visits:
            by_visit[vid].append(i)
    return Candidates(columns, by_visit, cands.days, cands.no_day, cands.relevant)


def without_clock(plan: dict) -> dict:
    """The plan without what the wall clock decides (its seconds), to compare two runs of the same week."""
    out = {k: v for k, v in plan.items() if k != "solve_seconds"}
    if "stats" in out:
        out["stats"] = {k: v for k, v in out["stats"].items() if k not in ("seconds", "lp_seconds")}
    return out
