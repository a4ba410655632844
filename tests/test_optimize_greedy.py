"""The greedy plan (issue 14, point 3): the simple nearest-free-team baseline, and the project's greedy, which never
covers fewer visits than it and is a valid plan on its own (it is the search's start and its fallback)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.optimize.greedy import covered_count, plan_value, solve_greedy
from planner.optimize.model import SCALE, PlanModel
from planner.optimize.plan import build_plan
from planner.optimize.simple_greedy import solve_simple_greedy
from planner.optimize.validate import check_plan, plan_objective

from optimize_support import _random_week, _week, person, visit


def _valid(inst, cands, selection) -> dict:
    plan = build_plan(inst, cands, selection, "greedy")
    assert check_plan(plan, inst) == []
    return plan


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), people=st.integers(2, 8), visits=st.integers(3, 24))
def test_greedy_covers_at_least_what_the_simple_baseline_covers(seed, people, visits):
    """On generated weeks of every shape (people scarce or plenty, teams, skills, an absence) both plans keep every
    rule, and the project's greedy covers at least as many visits as the nearest-free-team baseline."""
    inst, cands = _week(*_random_week(seed, people, visits))
    simple, greedy = solve_simple_greedy(inst, cands), solve_greedy(inst, cands)
    _valid(inst, cands, simple)
    plan = _valid(inst, cands, greedy)
    assert covered_count(cands, greedy.chosen) >= covered_count(cands, simple.chosen)
    assert len(plan["assignments"]) == covered_count(cands, greedy.chosen)


def test_plan_value_is_the_models_objective():
    """The greedy plans are compared by ``plan_value``: the model's objective (PlanModel.value with its constant),
    the same as the validator's formula on the plan JSON."""
    inst, cands = _week(*_random_week(3, 6, 16))
    pm = PlanModel(inst, cands)
    for selection in (solve_greedy(inst, cands), solve_simple_greedy(inst, cands)):
        value = plan_value(inst, cands, selection.chosen)
        assert value == pm.value(selection.chosen) + pm.constant
        plan = _valid(inst, cands, selection)  # the validator rounds each trip's cost apart
        assert value / SCALE == pytest.approx(plan_objective(plan, inst), abs=1 + len(plan["trips"]))


def test_simple_baseline_sends_the_nearest_free_team():
    """Urgent first: of two visits near the south office on one day, the urgent one (later by id) takes the south
    person and the other goes to the north; a team of two with a skill is the two nearest who hold it together."""
    inst, cands = _week([visit("a-normal", lat=60.3), visit("b-urgent", lat=60.35, priority="urgent")],
                        [person("s"), person("n", office="north")])
    who = {a["visit"]: a["staff"] for a in _valid(inst, cands, solve_simple_greedy(inst, cands))["assignments"]}
    assert who == {"b-urgent": ["s"], "a-normal": ["n"]}
    inst, cands = _week([visit("t", lat=60.3, staff_needed=2, skills=frozenset({"health"}))],
                        [person("s1"), person("s2", skills={"health"}), person("n", office="north", skills={"health"})])
    who = {a["visit"]: a["staff"] for a in _valid(inst, cands, solve_simple_greedy(inst, cands))["assignments"]}
    assert who == {"t": ["s1", "s2"]}


def test_chained_greedy_covers_more_when_days_are_scarce():
    """One person, one day, three nearby visits: trips of one visit each cover one; the chained greedy covers all
    three on one trip, and the greedy plan kept is that one."""
    staff = [person("a")]
    visits = [visit("v1", lat=60.30, duration=60), visit("v2", lat=60.32, duration=60),
              visit("v3", lat=60.34, duration=60)]
    inst, cands = _week(visits, staff)
    assert covered_count(cands, solve_simple_greedy(inst, cands).chosen) == 1
    greedy = solve_greedy(inst, cands)
    assert covered_count(cands, greedy.chosen) == 3
    _valid(inst, cands, greedy)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), people=st.integers(2, 6), visits=st.integers(3, 16))
def test_the_lps_plan_rounded_keeps_every_rule_and_every_trip_the_lp_takes_whole(seed, people, visits):
    """A big week's master may start from the week's LP rounded (``greedy.lp_rounded``): a valid plan, with each trip
    the LP takes whole through one-person visits (those never clash with each other), the rest as the greedy plan
    would do them."""
    from planner.optimize.bound import week_lp
    from planner.optimize.greedy import lp_rounded
    from planner.optimize.selection import Selection, starts_of
    inst, cands = _week(*_random_week(seed, people, visits))
    relax = week_lp(inst, cands, time_limit=10)
    chosen = lp_rounded(inst, cands, relax.values)
    _valid(inst, cands, Selection(chosen, starts_of(cands, chosen, {}), "FEASIBLE", 0.0, None, 0.0))
    alone = {v.id for v in inst.visits if v.staff_needed == 1}
    whole = {i for i, x in enumerate(relax.values) if x > 1 - 1e-6 and set(cands.columns[i].visits) <= alone}
    assert whole <= set(chosen)


def test_planning_again_the_greedy_plans_as_new_too_where_keeping_a_hurried_draft_leaves_a_visit_out():
    """The draft sent the nurse (from the north office) to x; keeping her there costs less than moving the
    meeting (``model.CHANGED``) visit by visit, and then y, which only she can do, is left out on the one day both
    can be. Planned as new, x goes to the nearer person and both are covered; the greedy plan kept covers both."""
    from planner.optimize import greedy
    from planner.optimize.model import CHANGED
    staff = [person("nurse", office="north", skills={"health"}), person("other")]
    visits = [visit("x", lat=60.8, duration=300),
              visit("y", lat=61.5, duration=300, priority="low", skills=frozenset({"health"}))]
    inst, cands = _week(visits, staff)
    inst.previous = {"x": (frozenset({"nurse"}), inst.monday)}
    cands.scores.clear()  # the scores now count the change from the draft
    score = greedy._scorer(inst, cands)
    as_new = greedy._scorer_as_new(inst, cands, score)
    for i, column in enumerate(cands.columns):
        moves = column.staff != "nurse" or inst.moment(column.stops[0].lo).date() != inst.monday
        assert score(i) - as_new(i) == (SCALE * CHANGED if column.visits == ("x",) and moves else 0)

    def who(chosen):
        return {v: cands.columns[i].staff for i in chosen for v in cands.columns[i].visits}
    assert who(greedy._in_order(inst, cands, score, chains=False)) == {"x": "nurse"}
    assert who(greedy._in_order(inst, cands, as_new, chains=False)) == {"x": "other", "y": "nurse"}
    kept = solve_greedy(inst, cands)
    assert who(kept.chosen) == {"x": "other", "y": "nurse"}
