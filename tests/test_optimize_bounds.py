"""The lower bounds the plan's gap is measured against: the LP relaxations, SCIP's root bound and the master over
every trip, each checked against CP-SAT's proven optimum on small random weeks."""
from __future__ import annotations

from datetime import date

import pytest

from planner.core.availability import Availability
from planner.optimize.instance import build_instance
from planner.core.settings import Settings

from optimize_support import MON, OFFICES, WEEK, FakeTravel, _random_week, _week, optimum, person, solve, visit


def test_lp_relaxation_bound_is_below_the_optimum():
    from planner.optimize.bound import lp_bound
    from planner.optimize.candidates import CandidateGenerator
    from planner.optimize.model import SCALE, PlanModel
    staff = [person("s", skills={"health"}), person("n", office="north"), person("m", office="north")]
    visits = [visit("a", lat=61.0, staff_needed=2, skills=frozenset({"health"})), visit("b", lat=61.9),
              visit("c", lat=61.95, priority="urgent"), visit("d", lat=60.2, latest=date(2026, 12, 8))]
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff), Settings(), FakeTravel())
    inst.precompute_travel()
    cands = CandidateGenerator(inst).generate()
    pm = PlanModel(inst, cands)
    assert (lp_bound(pm.model) + pm.constant) / SCALE <= optimum(inst, cands) + 1e-6


@pytest.mark.parametrize("seed", range(6))
def test_week_lp_is_a_valid_bound_at_least_the_proto_lp(seed):
    """The LP with the teams' common start (bound.week_lp) never exceeds the proven optimum over its trips, and
    never falls below the LP read off the CP-SAT model (which drops the common start)."""
    from planner.optimize.bound import lp_bound, week_lp
    from planner.optimize.model import SCALE, PlanModel
    visits, staff, absences = _random_week(seed)
    inst, cands = _week(visits, staff, absences)
    pm = PlanModel(inst, cands)
    new = (week_lp(inst, cands)[0] + pm.constant) / SCALE
    old = (lp_bound(pm.model) + pm.constant) / SCALE
    assert new <= optimum(inst, cands) + 1e-6
    assert new >= old - 1


@pytest.mark.parametrize("seed", range(6))
def test_the_lp_with_the_teams_day_is_a_valid_bound_below_the_one_with_their_start(seed):
    """Written with the team's common day instead of its start (what a team-heavy week falls back to when GLOP
    does not finish the starts in time), the LP is still at most the proven optimum, and at most the LP with the
    starts; the plan's stats say which was used."""
    from planner.optimize.bound import week_lp
    from planner.optimize.model import SCALE, PlanModel
    visits, staff, absences = _random_week(seed, people=4, visits=8)
    inst, cands = _week(visits, staff, absences)
    pm = PlanModel(inst, cands)
    starts, days = week_lp(inst, cands, teams="starts"), week_lp(inst, cands, teams="days")
    assert (starts.teams, days.teams) == ("starts", "days")
    assert days.bound <= starts.bound
    assert (days.bound + pm.constant) / SCALE <= optimum(inst, cands) + 1e-6
    assert week_lp(inst, cands).teams == "starts"  # both finish: the exact one


def test_a_week_of_many_trips_through_team_visits_writes_their_day(monkeypatch):
    """Past ``STARTS_MAX_LINKS`` trips through team visits the default LP writes the team's common day, and below
    it too when GLOP does not finish the starts in the time."""
    from planner.optimize import bound
    visits, staff, absences = _random_week(1, people=4, visits=8)
    inst, cands = _week(visits, staff, absences)
    links = sum(len(cands.by_visit[v.id]) for v in visits if v.staff_needed > 1)
    assert links > 0
    monkeypatch.setattr(bound, "STARTS_MAX_LINKS", links)
    assert bound.week_lp(inst, cands).teams == "starts"
    monkeypatch.setattr(bound, "STARTS_MAX_LINKS", links - 1)
    assert bound.week_lp(inst, cands).teams == "days"
    monkeypatch.setattr(bound, "STARTS_MAX_LINKS", links)
    written = bound._week_lp  # GLOP not finishing the starts in their time, stood in for:
    monkeypatch.setattr(bound, "_week_lp", lambda i, c, teams, **k: None if teams == "starts" else written(i, c, teams, **k))
    assert bound.week_lp(inst, cands, time_limit=5).teams == "days"


def test_week_lp_keeps_the_common_start_the_proto_lp_drops():
    """A team of two whose trips allow only disjoint starts cannot meet: the LP read off the CP-SAT model drops
    the conditional common-start rule and counts the visit covered, week_lp keeps it and pays the uncovered
    weight, like the optimum."""
    from dataclasses import replace
    from planner.optimize.bound import lp_bound, week_lp
    from planner.optimize.candidates import Candidates, Stop
    from planner.optimize.model import SCALE, UNCOVERED, PlanModel
    from ortools.sat.python import cp_model
    staff = [person("a", skills={"health"}), person("b")]
    inst, cands = _week([visit("v", lat=60.05, staff_needed=2, skills=frozenset({"health"}))], staff)
    first = {}
    for i in cands.by_visit["v"]:
        first.setdefault(cands.columns[i].staff, cands.columns[i])
    a, b = first["a"], first["b"]
    lo = a.stops[0].lo
    columns = [replace(a, stops=(Stop("v", lo, lo),)), replace(b, stops=(Stop("v", lo + 60, lo + 60),))]
    cands = Candidates(columns, {"v": [0, 1]}, cands.days, cands.no_day, cands.relevant)
    pm = PlanModel(inst, cands)
    solver = cp_model.CpSolver()
    assert solver.solve(pm.model) == cp_model.OPTIMAL
    best = (solver.objective_value + pm.constant) / SCALE
    assert best == UNCOVERED["normal"]  # nobody goes
    new = (week_lp(inst, cands)[0] + pm.constant) / SCALE
    old = (lp_bound(pm.model) + pm.constant) / SCALE
    assert old < UNCOVERED["normal"] / 2 and best - 1 <= new <= best


@pytest.mark.parametrize("seed", range(6))
def test_master_program_over_all_trips_reaches_the_proven_optimum(seed):
    """The exact program SCIP solves for big weeks (bound.week_program with 0/1 variables) is the same model as
    CP-SAT's: over every candidate trip it finds a plan with CP-SAT's proven optimum, keeping every rule."""
    from planner.optimize.master import solve_master
    from planner.optimize.model import SCALE, PlanModel
    visits, staff, absences = _random_week(seed)
    inst, cands = _week(visits, staff, absences)
    pm = PlanModel(inst, cands)
    best = optimum(inst, cands)
    chosen, status, bound = solve_master(inst, cands, list(range(len(cands.columns))), set(), seconds=30)
    assert status == "OPTIMAL"
    assert (pm.value(chosen) + pm.constant) / SCALE == pytest.approx(best, abs=1)
    # over every trip SCIP's bound is the week's: proven optimal, it meets the optimum
    assert (bound + pm.constant) / SCALE == pytest.approx(best, abs=1)
    days = [(cands.columns[i].staff, d) for i in chosen for d in cands.columns[i].days]
    assert len(days) == len(set(days))


@pytest.mark.parametrize("seed", range(6))
def test_root_bound_is_valid_at_least_the_lp_and_repeatable(seed):
    """SCIP's root bound of the whole week (bound.RootBound, run in its thread) never exceeds the proven optimum,
    never falls below the LP relaxation it strengthens, and is the same twice; without a plan to start from it
    reports nothing rather than a wrong bound."""
    from planner.optimize.bound import RootBound, week_lp
    from planner.optimize.greedy import solve_greedy
    from planner.optimize.model import SCALE, PlanModel
    visits, staff, absences = _random_week(seed)
    inst, cands = _week(visits, staff, absences)
    pm = PlanModel(inst, cands)
    best = optimum(inst, cands)
    hint = solve_greedy(inst, cands).chosen
    first, second = (RootBound(inst, cands, hint, seconds=30).result() for _ in range(2))
    assert first == second
    assert week_lp(inst, cands)[0] - 1 <= first
    assert (first + pm.constant) / SCALE <= best + 1e-6
    if not inst.pins:
        assert RootBound(inst, cands, [], seconds=30).result() in (None, first)


def test_root_bound_without_time_reports_nothing():
    """With less than a second left the root bound is not started: no bound rather than a half-computed one."""
    from planner.optimize.bound import RootBound
    from planner.optimize.greedy import solve_greedy
    visits, staff, absences = _random_week(0)
    inst, cands = _week(visits, staff, absences)
    assert RootBound(inst, cands, solve_greedy(inst, cands).chosen, seconds=0.5).result() is None


@pytest.mark.parametrize("seed", range(6))
def test_lagrangian_bound_is_valid_and_at_least_the_coverage_bound(seed):
    """lagrangian_bound.visit_bound (for when GLOP does not finish) is never negative, never above the proven optimum, at
    least its first step (every coverable visit at its cheapest share of a trip) and the same twice."""
    from planner.optimize.lagrangian_bound import visit_bound
    from planner.optimize.model import SCALE
    visits, staff, absences = _random_week(seed)
    inst, cands = _week(visits, staff, absences)
    best = optimum(inst, cands)
    coverage = visit_bound(inst, cands, steps=0)
    bound = visit_bound(inst, cands, seconds=30, upper=best * SCALE)
    assert 0 <= coverage <= bound <= best * SCALE + 1e-6
    assert bound == visit_bound(inst, cands, seconds=30, upper=best * SCALE)


def _consistent(plan) -> None:
    """A bound is a valid lower bound of the plan's objective, never negative, and the gap is measured from it."""
    assert plan["bound"] is not None
    assert 0 <= plan["bound"] <= plan["objective"]
    assert plan["gap"] == pytest.approx((plan["objective"] - plan["bound"]) / plan["objective"], abs=2e-4)


@pytest.mark.parametrize("seed", range(4))
def test_bound_and_gap_with_the_lp(seed, either_path):
    visits, staff, absences = _random_week(seed)
    _consistent(solve(visits, staff, absences))


@pytest.mark.parametrize("seed", range(4))
def test_without_the_lp_the_bound_is_the_lagrangians_or_cp_sats(seed, monkeypatch):
    """GLOP may not finish the week's LP in its share of the time (it did not on a generated 300-visit week, 26,587
    candidate trips): with no time for it the plan is still made, its bound is at least the Lagrangian bound
    (lagrangian_bound.visit_bound) and at most the objective, and the gap is measured from it, never a crash of ``planner
    plan-week`` or a negative bound."""
    from planner.optimize import run
    from planner.optimize import solve as solve_module
    from planner.optimize.lagrangian_bound import visit_bound
    from planner.optimize.model import SCALE
    monkeypatch.setattr(solve_module, "LP_SHARE", 0)  # no time for the LP
    monkeypatch.setattr(solve_module, "LP_MIN_SECONDS", 0)
    monkeypatch.setattr(run, "PRICING_SHARE", 0)  # nor for pricing the trips outside the candidates (its own LP)
    visits, staff, absences = _random_week(seed)
    plan = solve(visits, staff, absences)
    assert plan["assignments"]
    _consistent(plan)
    inst, cands = _week(visits, staff, absences)
    assert plan["bound"] >= visit_bound(inst, cands, steps=0) / SCALE - 0.1


def test_week_lp_without_time_is_not_run():
    """A limit of no time is no LP (GLOP would read 0 as no limit at all)."""
    from planner.optimize.bound import week_lp
    assert week_lp(*_week(*_random_week(0)), time_limit=0) is None


@pytest.mark.parametrize("seed", range(2))
def test_plan_kept_without_a_search_has_a_valid_bound(seed, monkeypatch):
    """No time for the LP and too little for a search (this 30-visit week's every-trip candidates take most of the
    5 s): the greedy plan is kept with the Lagrangian bound and the gap measured from it (before, no bound)."""
    from planner.optimize import solve as solve_module
    from planner.optimize.lagrangian_bound import visit_bound
    from planner.optimize import run
    from planner.optimize.model import SCALE
    monkeypatch.setattr(solve_module, "LP_SHARE", 0)
    monkeypatch.setattr(solve_module, "LP_MIN_SECONDS", 0)
    monkeypatch.setattr(run, "PRICING_SHARE", 0)  # its bound is over the candidates
    visits, staff, absences = _random_week(seed, 10, 30)
    plan = solve(visits, staff, absences)
    assert plan["status"] in ("GREEDY", "FEASIBLE", "OPTIMAL")
    _consistent(plan)
    inst, cands = _week(visits, staff, absences)
    assert plan["bound"] >= visit_bound(inst, cands, steps=0) / SCALE - 0.1


@pytest.mark.parametrize("seed", range(2))
def test_search_without_a_plan_still_reports_the_bound(seed, monkeypatch):
    """Neither the LP nor the search finishes (no time for the LP, almost no work for CP-SAT; a 1,000-visit week
    with the defaults did this): no plan from the search, but the Lagrangian bound for the greedy plan kept,
    never CP-SAT's bound without a plan (-410,489,179 on a 300-visit week)."""
    from planner.optimize import solve as solve_module
    from planner.optimize.lagrangian_bound import visit_bound
    from planner.optimize.greedy import solve_greedy
    from planner.optimize.model import plan_value
    from planner.optimize.model import SCALE
    monkeypatch.setattr(solve_module, "LP_SHARE", 0)
    monkeypatch.setattr(solve_module, "LP_MIN_SECONDS", 0)
    inst, cands = _week(*_random_week(seed, 10, 30))
    greedy = solve_greedy(inst, cands)
    selection = solve_module.solve(inst, cands, 5, hint=greedy.chosen, work_seconds=0.001)
    assert selection.objective is None
    assert visit_bound(inst, cands, steps=0) / SCALE - 0.1 <= selection.bound <= plan_value(inst, cands, greedy.chosen) / SCALE
