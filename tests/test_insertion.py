"""Insertion (optimize/insertion.py): a visit a big week's plan leaves out, added to a trip the plan already makes
though no candidate has it there; and the week's LP extended by such trips (bound.week_lp's ``extend``,
optimize/lp_rows.py), so that the bound stays valid for plans that use them."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from ortools.linear_solver import pywraplp

from planner.core.messages import english
from planner.core.records import Absence
from planner.optimize import big_week
from planner.optimize.bound import EXTEND_PRIMAL_UP_TO, week_lp, week_program
from planner.optimize.candidates import CandidateGenerator, Candidates
from planner.optimize.cores import CoverageCores
from planner.optimize.greedy import solve_greedy
from planner.optimize.insertion import insert_free_people, insert_left_out, insert_relieving
from planner.optimize.lagrangian_bound import visit_bound
from planner.optimize.lp_rows import LpRows
from planner.optimize.model import SCALE, PlanModel, plan_value
from planner.optimize.plan import build_plan
from planner.optimize.validate import check_plan

from optimize_support import MON, _random_week, _week, optimum, person, subset, visit


def singles_only(visits, staff, absences=()):
    inst, _ = _week(visits, staff, absences)
    return inst, CandidateGenerator(inst).generate(chains=False)


def test_a_visit_left_out_goes_on_the_trip_someone_makes_past_it_that_day():
    """One person, one day, two visits 5 km apart: as single trips only one fits the day; added to that trip,
    both are met on one outing, and the plan passes the validator."""
    staff = [person("p")]
    visits = [visit("a", lat=60.30, duration=90), visit("b", lat=60.345, duration=90)]
    inst, cands = singles_only(visits, staff)
    greedy = solve_greedy(inst, cands)
    assert len({v for i in greedy.chosen for v in cands.columns[i].visits}) == 1
    before = plan_value(inst, cands, greedy.chosen)
    chosen, added = insert_left_out(inst, cands, greedy.chosen, time.perf_counter() + 10)
    assert added == 1
    assert [cands.columns[i].visits for i in chosen] in ([("a", "b")], [("b", "a")])
    assert cands.columns[chosen[0]].kind == "chain"
    assert plan_value(inst, cands, chosen) < before - 9_000 * SCALE
    selection = big_week.Selection(chosen, big_week.starts_of(cands, chosen, {}), "FEASIBLE",
                                   plan_value(inst, cands, chosen) / SCALE, None, 0.0)
    assert check_plan(build_plan(inst, cands, selection, "cp-sat"), inst) == []


def test_nothing_is_inserted_where_it_does_not_fit():
    """Two full days' visits 300 km apart on one day for one person: no trip takes both, nothing changes."""
    staff = [person("p")]
    visits = [visit("a", lat=60.3, duration=300), visit("b", lat=62.9, duration=300)]
    inst, cands = singles_only(visits, staff)
    greedy = solve_greedy(inst, cands)
    columns = len(cands.columns)
    chosen, added = insert_left_out(inst, cands, greedy.chosen, time.perf_counter() + 10)
    assert (chosen, added, len(cands.columns)) == (sorted(greedy.chosen), 0, columns)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("teams", ["starts", "days"])
def test_the_lp_rows_price_each_trip_as_glop_does(seed, teams):
    """``LpRows.reduced_cost`` (how a trip made later is priced) against GLOP's own reduced costs of the trips in
    the program: for every trip of one-person visits, and where the LP writes the teams by day, for team visits'
    trips too (they enter their day's row)."""
    visits, staff, absences = _random_week(seed, people=4, visits=10)
    inst, cands = _week(visits, staff, absences)
    lp = pywraplp.Solver.CreateSolver("GLOP")
    rows = LpRows(team_starts=teams == "starts")
    x, _, _ = week_program(lp, inst, cands, range(len(cands.columns)), integer=False, rows=rows,
                           team_starts=teams == "starts")
    assert lp.Solve() == pywraplp.Solver.OPTIMAL
    priced = [i for i, c in enumerate(cands.columns)
              if teams == "days" or all(inst.visit_by_id[v].staff_needed == 1 for v in c.visits)]
    assert all(rows.addable(inst, cands.columns[i]) for i in priced) and len(priced) > 20
    if teams == "days":
        assert any(inst.visit_by_id[v].staff_needed > 1 for i in priced for v in cands.columns[i].visits)
    for i in priced:
        assert rows.reduced_cost(inst, cands, cands.columns[i]) == pytest.approx(x[i].reduced_cost(), abs=1e-3)


def held_back(inst, cands) -> tuple[Candidates, list]:
    """The candidates without every third trip of one-person visits, and those trips (as the insertion's trips come
    after the LP); a visit left with no trip keeps its trips (it would have no cover row to add them to)."""
    late = [i for i, c in enumerate(cands.columns)
            if i % 3 == 0 and all(inst.visit_by_id[v].staff_needed == 1 for v in c.visits)]
    early = subset(cands, set(range(len(cands.columns))) - set(late))
    for vid, through in early.by_visit.items():
        if not through:
            late = [i for i in late if vid not in cands.columns[i].visits]
    return subset(cands, set(range(len(cands.columns))) - set(late)), [cands.columns[i] for i in late]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_lp_extended_by_trips_is_the_lp_built_with_them(seed):
    """The LP solved without a third of the one-person trips, then ``extend``ed by them, has the optimum of the
    LP built with every trip; without time to solve again, the priced bound is no higher than that optimum."""
    visits, staff, absences = _random_week(seed, people=4, visits=10)
    inst, cands = _week(visits, staff, absences)
    full = week_lp(inst, cands).bound
    early, added = held_back(inst, cands)
    assert added
    assert week_lp(inst, early).extend(added, 30) == (pytest.approx(full, abs=1), "optimal")
    priced, how = week_lp(inst, early).extend(added, 0)
    assert how == "priced" and priced <= full + 1


@pytest.mark.parametrize("seed", [1, 2])
def test_the_lp_extended_a_few_trips_at_a_time_is_the_lp_built_with_them(seed):
    """Extended by a few trips at a time (the primal simplex from the basis, ``EXTEND_PRIMAL_UP_TO``) as by many
    at once (the dual simplex): each call solved, and the last optimum that of the LP built with every trip."""
    visits, staff, absences = _random_week(seed, people=4, visits=10)
    inst, cands = _week(visits, staff, absences)
    full = week_lp(inst, cands).bound
    early, added = held_back(inst, cands)
    relax = week_lp(inst, early)
    few = EXTEND_PRIMAL_UP_TO // 2
    for k in range(0, len(added), few):
        bound, how = relax.extend(added[k:k + few], 30)
        assert how == "optimal"
    assert len(added) > 2 * few and bound == pytest.approx(full, abs=1)


def test_the_priced_bound_counts_one_new_trip_a_person_makes_a_day():
    """Without time to solve again, the new trips of one person beginning one day lower the priced bound by the
    lowest of their reduced costs, not by their sum (a person makes one trip a day): higher than the sum, and
    never above the LP built with every trip."""
    visits, staff, absences = _random_week(6, people=4, visits=10)
    inst, cands = _week(visits, staff, absences)
    full = week_lp(inst, cands).bound
    early, added = held_back(inst, cands)
    relax = week_lp(inst, early)
    summed = relax.value + sum(min(0.0, relax.rows.reduced_cost(inst, early, c)) for c in added)
    priced, how = relax.extend(added, 0)
    assert how == "priced" and summed + 1_000 < priced <= full + 1


def test_the_priced_bound_counts_the_trips_of_an_unfinished_solve_before():
    """Trips added in two calls, neither solved in its time: the second call's priced bound prices the first call's
    trips too (the LP has them), so it equals the bound of one call with all of them, never above the LP built with
    every trip. Solved in the end, the LP is the one built with every trip."""
    visits, staff, absences = _random_week(6, people=4, visits=10)
    inst, cands = _week(visits, staff, absences)
    full = week_lp(inst, cands).bound
    early, added = held_back(inst, cands)
    at_once, _ = week_lp(inst, early).extend(added, 0)
    relax = week_lp(inst, early)
    half = 40  # each part has a trip the LP's prices make worth taking
    for part in (added[:half], added[half:]):
        assert min(relax.rows.reduced_cost(inst, early, c) for c in part) < -500
    assert relax.extend(added[:half], 0)[1] == "priced"
    assert relax.extend(added[half:], 0) == (at_once, "priced") and at_once <= full + 1
    assert relax.extend([], 30) == (pytest.approx(full, abs=1), "optimal")


@pytest.mark.parametrize("lp", [True, False])
@pytest.mark.parametrize("seed", [1, 2, 4, 5, 7])  # the random weeks where insertion finds a better plan
def test_a_big_week_with_inserted_trips_keeps_a_valid_bound(seed, lp):
    """The big-week path on single trips only: what insertion adds makes a better plan than the candidates allow,
    and the bound (the LP extended by the new trips; without the LP, as when GLOP does not finish, the Lagrangian
    bound taken again over them) is still no higher than the proven best plan over the candidates and the new
    trips together. (Without the LP the insertion was skipped: a 1,000-visit week at 60 s covered 829 visits
    where planning it again at 20 s without a search covered 891.)"""
    visits, staff, absences = _random_week(seed, people=3, visits=9)
    for k in range(4):  # neighbours of the first visits, the same days: chains worth making
        near = visits[k]
        visits.append(visit(f"n{k}", lat=near.lat + 0.03, lon=near.lon, earliest=near.earliest, latest=near.latest))
    inst, cands = singles_only(visits, staff, absences)
    before = optimum(inst, cands)
    greedy = solve_greedy(inst, cands)
    pm = PlanModel(inst, cands)
    if lp:
        relax = week_lp(inst, cands)
    else:
        floor = visit_bound(inst, cands, 1.0, upper=pm.value(greedy.chosen) + pm.constant) - pm.constant
        relax = big_week.cost_prices(inst, cands)._replace(bound=floor)
    started = time.perf_counter()
    said = []
    selection = big_week.solve_big(inst, cands, pm, relax, set(greedy.chosen), 5.0, 10.0, started + 10.0, started,
                                   lambda m: said.append(english(m)), None)
    assert check_plan(build_plan(inst, cands, selection, "cp-sat"), inst) == []
    assert any("left out added to trips of the plan" in line for line in said)
    assert said[-1].endswith("(the whole week's LP with the trips the insertion made)" if lp
                             else "(the Lagrangian bound: the LP did not finish)")
    after = optimum(inst, cands)  # over the candidates and the trips insertion added
    assert selection.bound <= after + 1e-6
    # with the LP, the trips of the first insertion were solved with it beside the repair (no cores, no root bound)
    assert selection.stats.get("lp_with_inserted_beside") is (True if lp else None)
    assert selection.bound <= selection.objective
    assert selection.stats["inserted"] >= 1 and selection.stats["inserted_trips"] >= 1
    assert selection.objective < before - 9_000


def test_insertion_keeps_to_a_person_s_other_days():
    """A person away on Tuesday on a plan trip is not given a Monday-to-Tuesday tour that overlaps it."""
    staff = [person("p")]
    visits = [visit("a", lat=60.3, duration=240), visit("b", lat=60.33, duration=240, earliest=MON,
                                                           latest=MON + timedelta(1)),
              visit("c", lat=62.5, earliest=MON + timedelta(1), duration=60)]
    inst, cands = singles_only(visits, staff)
    greedy = solve_greedy(inst, cands)
    chosen, _ = insert_left_out(inst, cands, greedy.chosen, time.perf_counter() + 10)
    days = [d for i in chosen for d in cands.columns[i].days]
    assert len(days) == len(set(days))
    selection = big_week.Selection(chosen, big_week.starts_of(cands, chosen, {}), "FEASIBLE", 0.0, None, 0.0)
    assert check_plan(build_plan(inst, cands, selection, "cp-sat"), inst) == []


def test_a_visit_without_any_candidate_trip_is_not_inserted():
    """The week's LP has no row for a visit no candidate reaches, so no trip through it could be priced: the
    insertion leaves it out (its reason stays the candidates')."""
    staff = [person("p")]
    visits = [visit("a", lat=60.30, duration=90), visit("b", lat=60.345, duration=90)]
    inst, cands = singles_only(visits, staff)
    cands = subset(cands, {i for i, c in enumerate(cands.columns) if "b" not in c.visits})
    greedy = solve_greedy(inst, cands)
    chosen, added = insert_left_out(inst, cands, greedy.chosen, time.perf_counter() + 10)
    assert added == 0 and [cands.columns[i].visits for i in chosen] == [("a",)]


def test_trips_made_after_the_cores_cuts_are_priced_under_them():
    """The big-week order: the LP solved again with the coverage cores' cuts, then the trips the insertion made
    added to it. Solved with them, it is the LP built with every trip and the cuts; priced without time to solve
    again, the bound keeps most of what the cuts raised (under the first solve's duals it would lose it) and is
    no higher than that optimum."""
    visits, staff, absences = _random_week(26, people=4, visits=10)  # a week with a core the LP does not meet
    inst, cands = _week(visits, staff, absences)
    cores = CoverageCores(inst, cands, seconds=10).result()
    early, added = held_back(inst, cands)
    with_cuts = week_lp(inst, cands).tighten(cores, 30)
    assert with_cuts > week_lp(inst, cands).bound + 1_000 * SCALE
    relax = week_lp(inst, early)
    assert relax.tighten(cores, 30) is not None
    assert relax.extend(added, 30) == (pytest.approx(with_cuts, abs=1), "optimal")
    relax = week_lp(inst, early)
    relax.tighten(cores, 30)
    priced, how = relax.extend(added, 0)
    uncut, _ = week_lp(inst, early).extend(added, 0)
    assert how == "priced" and uncut + 1_000 * SCALE < priced <= with_cuts + 1


def near_office_full():
    """Two three-hour team visits near the south office on Monday, the south office's two people, and two people
    free in the north office, 200 km away; the candidates (each visit's two nearest people, as a big week's
    nearest only) give both visits to the south office, which can make one."""
    staff = [person("s1"), person("s2"), person("n1", office="north"), person("n2", office="north")]
    visits = [visit("a", lat=60.3, duration=180, staff_needed=2, priority="urgent"),
              visit("b", lat=60.2, lon=25.3, duration=180, staff_needed=2)]
    inst, _ = _week(visits, staff)
    return inst, CandidateGenerator(inst, max_people=2, skill_people=0).generate(chains=False)


def test_a_team_visit_left_out_goes_to_people_free_in_a_farther_office():
    """The plan makes the urgent visit with the south office's people and leaves the other out; the north office's
    people, who have no candidate trip to it, go there together at one start, and the plan passes the
    validator."""
    inst, cands = near_office_full()
    assert {cands.columns[i].staff for i in cands.by_visit["b"]} == {"s1", "s2"}
    greedy = solve_greedy(inst, cands)
    assert {v for i in greedy.chosen for v in cands.columns[i].visits} == {"a"}
    before, columns = plan_value(inst, cands, greedy.chosen), len(cands.columns)
    chosen, added = insert_free_people(inst, cands, greedy.chosen, time.perf_counter() + 10)
    assert added == 1 and len(cands.columns) == columns + 2
    on_b = [cands.columns[i] for i in chosen if "b" in cands.columns[i].visits]
    assert sorted(c.staff for c in on_b) == ["n1", "n2"]
    assert plan_value(inst, cands, chosen) < before - 8_000 * SCALE  # a normal visit's weight, 10,000 min
    selection = big_week.Selection(chosen, big_week.starts_of(cands, chosen, {}), "FEASIBLE", 0.0, None, 0.0)
    plan = build_plan(inst, cands, selection, "cp-sat")
    assert check_plan(plan, inst) == []
    b = next(a for a in plan["assignments"] if a["visit"] == "b")
    assert sorted(b["staff"]) == ["n1", "n2"]


def test_nobody_away_or_busy_that_day_is_given_the_visit():
    """With the north office's people away on Monday, nobody is free for the visit left out: nothing changes."""
    inst, _ = near_office_full()
    away, _ = _week(list(inst.visits), list(inst.staff), [Absence(p, MON, MON, "vacation") for p in ("n1", "n2")])
    cands = CandidateGenerator(away, max_people=2, skill_people=0).generate(chains=False)
    greedy = solve_greedy(away, cands)
    columns = len(cands.columns)
    chosen, added = insert_free_people(away, cands, greedy.chosen, time.perf_counter() + 10)
    assert (chosen, added, len(cands.columns)) == (sorted(greedy.chosen), 0, columns)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_lp_extended_by_team_trips_stays_a_bound(seed):
    """Trips of team visits held back and added later enter no row of the team's common start: the LP with them is
    no higher than the LP built with every trip (it relaxes that rule for them alone), and so no higher than the
    best plan over every trip. An LP that writes the teams by day takes them into their days' rows: extended, it is
    the LP by day built with every trip; without time to solve again, its priced bound is no higher."""
    visits, staff, absences = _random_week(seed, people=4, visits=10)
    inst, cands = _week(visits, staff, absences)
    late = [i for i, c in enumerate(cands.columns)
            if i % 3 == 0 and any(inst.visit_by_id[v].staff_needed > 1 for v in c.visits)]
    early = subset(cands, set(range(len(cands.columns))) - set(late))
    late = [i for i in late if all(early.by_visit[v] for v in cands.columns[i].visits)]
    early = subset(cands, set(range(len(cands.columns))) - set(late))
    added = [cands.columns[i] for i in late]
    assert added
    full = week_lp(inst, cands).bound
    extended, how = week_lp(inst, early).extend(added, 30)
    assert how == "optimal" and extended <= full + 1 and extended <= week_lp(inst, early).bound + 1
    assert (extended + PlanModel(inst, cands).constant) / SCALE <= optimum(inst, cands) + 1e-6
    by_day = week_lp(inst, cands, teams="days").bound
    assert week_lp(inst, early, teams="days").extend(added, 30) == (pytest.approx(by_day, abs=1), "optimal")
    priced, how = week_lp(inst, early, teams="days").extend(added, 0)
    assert how == "priced" and priced <= by_day + 1


def test_a_big_week_gives_a_team_visit_left_out_to_people_free_and_keeps_a_valid_bound():
    """The big-week path on ``near_office_full``: both visits are made, the second by the north office's people,
    and the bound (the LP with their new trips) is no higher than the best plan over every trip made."""
    inst, cands = near_office_full()
    pm = PlanModel(inst, cands)
    greedy = solve_greedy(inst, cands)
    started = time.perf_counter()
    said = []
    selection = big_week.solve_big(inst, cands, pm, week_lp(inst, cands), set(greedy.chosen), 5.0, 10.0,
                                   started + 10.0, started, lambda m: said.append(english(m)), None)
    assert selection.stats["free_people_trips"] == 1
    assert any("visits left out given trips of people free that day" in line for line in said)
    plan = build_plan(inst, cands, selection, "cp-sat")
    assert check_plan(plan, inst) == [] and len(plan["assignments"]) == 2
    assert selection.bound <= optimum(inst, cands) + 1e-6 and selection.bound <= selection.objective


def busy_holder(team: bool, a: dict | None = None, h: dict | None = None):
    """The one nurse has the plan's trip to a long Monday visit anyone could make; a long Monday visit needing a
    nurse (``team``: a nurse and one more) is left out, and two people with nothing to do are free that day.
    ``a`` and ``h``: more fields of the two visits."""
    staff = [person("nurse", skills={"health"}), person("o1"), person("o2")]
    visits = [visit("a", duration=300, **(a or {})),
              visit("h", lat=60.35, duration=300, skills=frozenset({"health"}), staff_needed=2 if team else 1,
                    **(h or {}))]
    inst, _ = _week(visits, staff)
    cands = CandidateGenerator(inst).generate(chains=False)
    on_a = next(i for i in cands.by_visit["a"] if cands.columns[i].staff == "nurse"
                and cands.columns[i].days == (MON,))
    return inst, cands, [on_a]


@pytest.mark.parametrize("team", [False, True])
def test_a_busy_holder_hands_her_trip_over_and_takes_the_visit_only_she_can(team):
    """Nobody free holds the skill, so neither earlier insertion covers the visit; the nurse hands her visit to
    someone free that day and takes it (with a second free person for a team), and the plan passes the
    validator."""
    inst, cands, plan = busy_holder(team)
    deadline = time.perf_counter() + 10
    assert insert_left_out(inst, cands, plan, deadline)[1] == 0
    assert insert_free_people(inst, cands, plan, deadline)[1] == 0
    before = plan_value(inst, cands, plan)
    chosen, added = insert_relieving(inst, cands, plan, deadline)
    assert added == 1
    assert plan_value(inst, cands, chosen) < before - 8_000 * SCALE
    staff = {v: sorted(cands.columns[i].staff for i in chosen if v in cands.columns[i].visits) for v in ("a", "h")}
    assert "nurse" in staff["h"] and len(staff["h"]) == (2 if team else 1)
    assert len(staff["a"]) == 1 and staff["a"] != ["nurse"] and not set(staff["a"]) & set(staff["h"])
    selection = big_week.Selection(chosen, big_week.starts_of(cands, chosen, {}), "FEASIBLE", 0.0, None, 0.0)
    assert check_plan(build_plan(inst, cands, selection, "cp-sat"), inst) == []


def test_nobody_is_relieved_when_nobody_free_can_take_over():
    """With the two others away on Monday, the nurse's visit has nobody to go to: the plan stays as it is, though
    the visit only she can do is urgent (taking it and leaving hers out would lower the objective)."""
    inst, _, _ = busy_holder(False, h={"priority": "urgent"})
    away, _ = _week(list(inst.visits), list(inst.staff), [Absence(p, MON, MON, "vacation") for p in ("o1", "o2")])
    cands = CandidateGenerator(away).generate(chains=False)
    plan = [next(i for i in cands.by_visit["a"] if cands.columns[i].days == (MON,))]
    assert insert_relieving(away, cands, plan, time.perf_counter() + 10) == (plan, 0)


def test_a_big_week_relieves_the_busy_holder_and_keeps_a_valid_bound():
    """The big-week path where the candidates give the urgent visit to the nurse alone (as a big week's thin ones
    may): the master sends her there, and she is relieved of it for the visit only she can do; the bound (the LP
    with the new trips) is no higher than the best plan over every trip."""
    inst, every, _ = busy_holder(False, a={"priority": "urgent"})
    cands = subset(every, {i for i, c in enumerate(every.columns) if c.staff == "nurse"})
    pm = PlanModel(inst, cands)
    started = time.perf_counter()
    said = []
    selection = big_week.solve_big(inst, cands, pm, week_lp(inst, cands), set(solve_greedy(inst, cands).chosen),
                                   5.0, 10.0, started + 10.0, started, lambda m: said.append(english(m)), None)
    assert selection.stats["relieved"] == 1
    assert any("visits left out taken by people relieved of a trip" in line for line in said)
    plan = build_plan(inst, cands, selection, "cp-sat")
    assert check_plan(plan, inst) == [] and len(plan["assignments"]) == 2
    assert selection.bound <= optimum(inst, every) + 1e-6 and selection.bound <= selection.objective


@pytest.mark.parametrize("why", ["pinned", "declined", "team"])
def test_a_pinned_visit_a_team_s_or_one_declined_is_not_handed_over(why):
    """The nurse keeps her trip when its visit is pinned to her, when both who are free said they cannot make
    it, or when it is a team's (a team's start stays): the visit only she can do stays left out."""
    from datetime import datetime

    from planner.optimize.instance import Pin
    inst, cands, plan = busy_holder(False, a={"staff_needed": 2} if why == "team" else None)
    if why == "team":  # the nurse and o1 on a together
        plan += [next(i for i in cands.by_visit["a"] if cands.columns[i].staff == "o1")]
    if why == "pinned":
        inst.pins = [Pin("a", ("nurse",), datetime(2026, 12, 7, 9, 0))]
    if why == "declined":
        inst.declined = frozenset({("o1", "a", MON), ("o2", "a", MON)})
    assert insert_relieving(inst, cands, plan, time.perf_counter() + 10) == (sorted(plan), 0)


def test_a_big_week_s_bound_is_never_below_what_every_plan_pays(monkeypatch):
    """A bound from the LP's prices may be far below 0 when many new trips are priced (issue 14, point 4: never a
    negative bound): the week's bound is then what every plan pays, the visits no trip reaches, and not less. (No
    master, so that its own bound does not stand in; the greedy plan covers the one visit a trip reaches.)"""
    monkeypatch.setattr(big_week, "solve_master", lambda *args: None)
    inst, cands = singles_only([visit("a"), visit("far", lat=69.0, lon=27.0, duration=480)], [person("p")])
    pm = PlanModel(inst, cands)
    assert pm.constant > 0 and not cands.by_visit.get("far")
    low = big_week.cost_prices(inst, cands)._replace(bound=-10**9)  # a valid bound, however weak
    started = time.perf_counter()
    selection = big_week.solve_big(inst, cands, pm, low, set(solve_greedy(inst, cands).chosen), 5.0, 10.0,
                                   started + 10.0, started, None, None)
    assert selection.bound == pm.constant / SCALE
    assert 0 <= selection.bound <= selection.objective
