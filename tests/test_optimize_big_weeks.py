"""Big weeks: the restricted master and its growth, the repair of visits left out, the chains and the relevant
people that keep a big week's candidates tractable."""
from __future__ import annotations

from datetime import timedelta

import pytest

from planner.core.records import Absence

from optimize_support import MON, _random_week, _week, optimum, person, solve, visit, without_clock


def test_repair_frees_people_of_any_region_to_cover_a_left_out_visit():
    """The repair step (big_week.repair): a plan sends the only qualified person to a visit someone else could do and
    leaves out the visit only she can do; the neighbourhood of the left-out visit frees her, moves her trip to it
    and gives her old visit to the other person, and the whole week's objective improves."""
    from planner.optimize.model import PlanModel
    from planner.optimize.big_week import repair
    staff = [person("a", skills={"health"}), person("b", office="north")]
    visits = [visit("u", lat=60.3, skills=frozenset({"health"})), visit("w", lat=61.8)]
    inst, cands = _week(visits, staff)
    cols = cands.columns
    pm = PlanModel(inst, cands)
    given = [min((i for i in cands.by_visit["w"] if cols[i].staff == "a" and cols[i].kind == "single"),
                 key=lambda i: (cols[i].travel_minutes, i))]
    stats = {"deterministic_time": 0.0}
    chosen, value = repair(inst, cands, pm, given, 5.0, float("inf"), stats)
    assert value == pm.value(chosen) < pm.value(given)
    assert {v for i in chosen for v in cols[i].visits} == {"u", "w"}
    assert {cols[i].staff for i in chosen if "u" in cols[i].visits} == {"a"}
    assert {cols[i].staff for i in chosen if "w" in cols[i].visits} == {"b"}
    days = [(cols[i].staff, d) for i in chosen for d in cols[i].days]
    assert len(days) == len(set(days))
    # the same plan twice
    assert repair(inst, cands, pm, given, 5.0, float("inf"), {"deterministic_time": 0.0})[0] == chosen


def test_the_repair_takes_first_the_visits_the_lp_covers():
    """With the time for one step, the repair spends it on a visit the week's LP covers at least half before a more
    urgent one it covers less; without the LP, on the most urgent."""
    from planner.optimize.model import PlanModel
    from planner.optimize.big_week import repair
    staff = [person("a", skills={"health"}), person("c", office="north", skills={"counselling"})]
    inst, cands = _week([visit("u", lat=60.3, skills=frozenset({"health"})),
                         visit("x", lat=61.8, priority="urgent", skills=frozenset({"counselling"}))], staff)
    pm = PlanModel(inst, cands)

    def covered(lp_covered):
        chosen, _value = repair(inst, cands, pm, [], 0.05, float("inf"), {"deterministic_time": 0.0},
                                lp_covered=lp_covered)
        return {v for i in chosen for v in cands.columns[i].visits}
    assert covered(None) == {"x"}
    assert covered({"u"}) == {"u"}


def test_the_repair_makes_a_plan_that_leaves_nothing_out_cheaper():
    """With no visit left out, the repair turns to the visits the plan makes: a far person's trip goes to the near
    one, and the week's objective falls."""
    from planner.optimize.model import PlanModel
    from planner.optimize.big_week import repair
    inst, cands = _week([visit("w", lat=61.8)], [person("a"), person("b", office="north")])
    cols = cands.columns
    pm = PlanModel(inst, cands)
    given = [min((i for i in cands.by_visit["w"] if cols[i].staff == "a"), key=lambda i: (cols[i].travel_minutes, i))]
    stats = {"deterministic_time": 0.0}
    chosen, value = repair(inst, cands, pm, given, 5.0, float("inf"), stats)
    assert value == pm.value(chosen) < pm.value(given)
    assert [cols[i].staff for i in chosen] == ["b"] and stats["polished"] == 1 and "repaired" not in stats


def test_the_repair_polishes_the_dearest_trips_first():
    """The visits the plan makes are taken in the order of their trip's price per visit: the LP's reduced cost when
    given (a trip made after the LP counts 0), else the trip's score."""
    from planner.optimize.big_week import _polish_order
    from planner.optimize.model import column_score
    inst, cands = _week([visit("u", lat=60.3), visit("w", lat=61.8), visit("y", lat=61.0)], [person("a"), person("b")])
    cols = cands.columns
    plan = [min(cands.by_visit[v], key=lambda i: (cols[i].kind != "single", i)) for v in ("u", "w", "y")]
    prices = [0.0] * len(cols)
    prices[plan[0]], prices[plan[1]] = 5.0, -3.0
    assert _polish_order(inst, cands, plan, prices) == ["u", "y", "w"]
    assert _polish_order(inst, cands, plan, prices[:min(plan)]) == ["u", "w", "y"]  # none priced: by name
    by_score = sorted(("u", "w", "y"), key=lambda v: -column_score(inst, cands, cols[plan[("u", "w", "y").index(v)]]))
    assert _polish_order(inst, cands, plan, None) == by_score


def test_the_visits_the_lp_covers_at_least_half():
    from planner.optimize.big_week import _lp_covered
    staff = [person("a"), person("b")]
    inst, cands = _week([visit("u"), visit("t", staff_needed=2), visit("y", lat=61.0)], staff)
    values = [0.0] * len(cands.columns)
    cols = cands.columns
    for vid, share in (("u", 0.5), ("t", 0.5), ("y", 0.4)):
        singles = [i for i in cands.by_visit[vid] if cols[i].kind == "single"]
        for i in singles[:inst.visit_by_id[vid].staff_needed]:   # a team's share is its people's trips'
            values[i] = share
    assert _lp_covered(inst, cands, values) == {"u", "t"}


@pytest.mark.parametrize("seed", range(3))
def test_restricted_master_solved_to_optimality_grows_to_the_optimum(seed, monkeypatch):
    """A restricted master that SCIP solves to optimality is solved again with twice the trips per visit: from
    one trip per visit it grows until it has every trip, and so reaches the proven optimum over those trips."""
    from planner.optimize import big_week
    from planner.optimize.greedy import solve_greedy
    visits, staff, absences = _random_week(seed)
    monkeypatch.setattr(big_week, "BIG_FROM", 0)
    monkeypatch.setattr(big_week, "MASTER_PER_VISIT", 1)
    inst, cands = _week(visits, staff, absences)
    best = optimum(inst, cands)  # CP-SAT's
    from planner.optimize.solve import solve as solve_week
    selection = solve_week(inst, cands, 10, hint=solve_greedy(inst, cands).chosen)
    assert selection.stats["master_columns"] == len(cands.columns)
    assert selection.objective == pytest.approx(best, abs=1)


def test_master_columns_keep_the_lp_support_each_visits_cheapest_and_the_given():
    from planner.optimize.candidates import Candidates
    from planner.optimize.master import master_columns
    values = [0.0, 0.5, 0.0, 0.0, 1.0, 0.0, 0.0]
    reduced = [9.0, 0.0, 1.0, 7.0, 0.0, 2.0, 8.0]
    # visit a's trips are all cheap, b's all dear: b still gets its cheapest
    cands = Candidates([], {"a": [0, 1, 2, 4, 5], "b": [3, 6]}, {}, {}, {})
    assert master_columns(cands, values, reduced, set(), per_visit=1) == [1, 3, 4]
    assert master_columns(cands, values, reduced, {6}, per_visit=3) == [1, 2, 3, 4, 6]


@pytest.mark.parametrize("seed", [1, 4])
def test_big_week_path_gives_a_valid_repeatable_plan(seed, monkeypatch):
    """Forced onto the big-week path (SCIP over the restricted master, then the repair), a week still gets a plan
    that keeps every rule (``solve`` checks it with both checkers), covers at least what greedy covers, and is the
    same plan twice."""
    from planner.optimize import big_week
    monkeypatch.setattr(big_week, "BIG_FROM", 0)
    visits, staff, absences = _random_week(seed)
    first, second = solve(visits, staff, absences), solve(visits, staff, absences)
    greedy = solve(visits, staff, absences, solver="greedy")
    assert without_clock(first) == without_clock(second)
    assert len(first["assignments"]) >= len(greedy["assignments"])
    assert first["status"] in ("OPTIMAL", "FEASIBLE") and first["bound"] <= first["objective"] + 1e-6
    assert first["method"] == "master" and first["stats"]["repair_wider"] in (None, 2, 4)


def test_chains_combine_a_seed_with_any_of_its_nearest_neighbours():
    """A seed visit is tried with any one, two or three of its nearest neighbours (not only the nearest-neighbour
    path), and ``max_combined=1`` keeps only the pairs and the path."""
    from planner.optimize.candidates import CandidateGenerator
    visits = [visit(f"v{k}", lat=60.30 + 0.02 * k, lon=25.0) for k in range(5)]
    inst, cands = _week(visits, [person("s")])
    seed = inst.visit_by_id["v0"]
    allowed = {v.id for v in visits}
    near = inst.chain_neighbours["v0"][:4]
    assert near == ["v1", "v2", "v3", "v4"]
    sets = {frozenset(s) for s in CandidateGenerator(inst, chain_seeds_neighbours=4)._sequences(seed, allowed, MON, cands.days)}
    assert {"v0", "v2", "v4"} <= set().union(*sets)
    assert frozenset({"v0", "v1", "v3"}) in sets and frozenset({"v0", "v2", "v3", "v4"}) in sets
    assert all(len(s) <= 4 for s in sets)
    pairs_and_path = {frozenset(s) for s in CandidateGenerator(inst, chain_seeds_neighbours=4, max_combined=1)
                      ._sequences(seed, allowed, MON, cands.days)}
    assert frozenset({"v0", "v1", "v3"}) not in pairs_and_path
    assert {frozenset({"v0", w}) for w in near} <= pairs_and_path
    assert frozenset({"v0", "v1", "v2"}) in pairs_and_path  # the path
    # and so real chained trips the pairs-and-path set does not have
    def chains(gen):
        return {frozenset(c.visits) for c in gen.generate().columns if c.kind == "chain"}
    thin = chains(CandidateGenerator(inst, chain_seeds_neighbours=4, max_combined=1))
    rich = chains(CandidateGenerator(inst, chain_seeds_neighbours=4))
    assert thin < rich and frozenset({"v0", "v1", "v3"}) in rich


def test_repair_also_frees_who_could_take_over_the_freed_peoples_visits():
    """Only a can do u; a does w that day. The repair's neighbourhood for u frees a and also the nearest people
    for w (b), who has no trip through u at all, so w can pass to b while a takes u."""
    from planner.optimize.big_week import _repair_people
    staff = [person("a", skills={"health"}), person("b", office="north")]
    visits = [visit("u", lat=60.3, skills=frozenset({"health"})), visit("w", lat=61.8)]
    inst, cands = _week(visits, staff)
    cols = cands.columns
    assert {cols[i].staff for i in cands.by_visit["u"]} == {"a"}
    given = [min((i for i in cands.by_visit["w"] if cols[i].staff == "a" and cols[i].kind == "single"),
                 key=lambda i: (cols[i].travel_minutes, i))]
    assert _repair_people(inst, cands, given, "u") == {"a", "b"}
    assert _repair_people(inst, cands, [], "u") == {"a"}  # nothing to take over


def test_the_repair_frees_the_nearest_people_and_a_holder_of_each_skill_not_everyone():
    """A neighbourhood small enough for its step: of the ten people with a trip through the visit, the
    REPAIR_PEOPLE nearest and the nearest who speaks the language it needs (farther away than they are)."""
    from planner.optimize import big_week
    staff = [person(f"n{k}") for k in range(8)] + [person("far", office="north", languages=("fi", "sv")),
                                                    person("far2", office="north")]
    inst, cands = _week([visit("u", lat=60.3, languages=frozenset({"sv"}), staff_needed=2)],
                        staff)
    cols = cands.columns
    assert {cols[i].staff for i in cands.by_visit["u"]} == {p.id for p in staff}
    freed = big_week._repair_people(inst, cands, [], "u")
    nearest = [p for p in cands.relevant["u"] if p.startswith("n")][:big_week.REPAIR_PEOPLE]
    assert freed == set(nearest) | {"far"}
    # once the passes improve nothing more, they go on with twice as many people: here everyone
    assert big_week._repair_people(inst, cands, [], "u", wider=2) == {p.id for p in staff}


def test_a_visits_people_reach_beyond_the_nearest_office_when_asked():
    """Where visits crowd near one office, its colleagues alone were a visit's nearest people, and the farther
    offices' got no trips there (decision 0027): with ``other_offices`` the nearest of the offices none of the
    nearest are from come too, after them."""
    from planner.optimize.relevance import relevant_people
    near = [person(f"s{k}") for k in range(6)]
    far = [person(f"n{k}", office="north") for k in range(3)]
    v = visit("v", lat=60.1)
    inst, _ = _week([v], near + far)

    def offices(**kw) -> list[str]:
        return [inst.staff_by_id[p.id].office for p in relevant_people(inst, v, max_people=4, skill_people=1, **kw)]
    assert offices() == ["south"] * 4
    assert offices(other_offices=2) == ["south"] * 4 + ["north"] * 2   # the nearest first, all still there
    assert offices(other_offices=5) == ["south"] * 4 + ["north"] * 3   # as many as there are
    # the nearest 7 hold an office of each: no other office is left to add from
    assert len(relevant_people(inst, v, max_people=7, skill_people=1, other_offices=2)) == 7
    team = visit("t", lat=60.1, staff_needed=2)
    inst, _ = _week([team], near + far)
    chosen = relevant_people(inst, team, max_people=4, skill_people=1, other_offices=2)
    assert sorted(p.office for p in chosen) == ["north"] * 2 + ["south"] * 4


def test_a_hint_is_a_whole_plan_cp_sat_can_start_from():
    """PlanModel.hint gives every variable its value in the plan (trips, coverage, a team's common start, travel
    days, a missing preferred person): with every variable held at its hint the model is feasible and its objective
    is the plan's value, so a repair step starts from that plan instead of first having to complete it."""
    from ortools.sat.python import cp_model
    from planner.optimize.greedy import solve_greedy
    from planner.optimize.model import PlanModel
    visits, staff, absences = _random_week(2)
    inst, cands = _week(visits, staff, absences)
    chosen = solve_greedy(inst, cands).chosen
    assert any(v.staff_needed > 1 for v in inst.visits if v.id in {w for i in chosen for w in cands.columns[i].visits})
    pm = PlanModel(inst, cands)
    pm.hint(set(chosen))
    hinted = pm.model.proto.solution_hint.vars
    assert len(hinted) == len(set(hinted)) == len(pm.model.proto.variables)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(pm.model) == cp_model.OPTIMAL
    assert solver.objective_value == pm.value(chosen)


def test_relevant_people_spread_over_an_office_and_leave_out_the_absent():
    """Colleagues at one office are equally near: which of them are relevant differs from visit to visit (so
    every one of them gets visits), and someone absent on every day of a visit is never among them."""
    from planner.optimize.relevance import relevant_people
    staff = [person(f"s{k}") for k in range(5)]
    visits = [visit(f"v{k}", lat=60.3 + 0.01 * k) for k in range(12)]
    inst, _ = _week(visits, staff, [Absence("s0", MON, MON + timedelta(4), "vacation")])
    chosen = {v.id: [p.id for p in relevant_people(inst, v, max_people=2, skill_people=1)] for v in visits}
    assert all(len(people) == 2 for people in chosen.values())
    assert {p for people in chosen.values() for p in people} == {"s1", "s2", "s3", "s4"}
    monday_only = visit("m", latest=MON)
    inst, _ = _week([monday_only], staff, [Absence("s0", MON, MON, "vacation")])
    assert "s0" not in [p.id for p in relevant_people(inst, monday_only, max_people=5, skill_people=1)]
    team = visit("t", staff_needed=4)
    assert len(relevant_people(inst, team, max_people=2, skill_people=1)) == 4  # at least as many as it needs
