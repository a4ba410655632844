"""Coverage cores (optimize/cores.py): sets of visits no plan covers all together, found by CP-SAT beside a big
week's search, and the LP cuts they give (bound.LpRelaxation.tighten). Each core is checked to be real, and the
tightened bound against CP-SAT's proven optimum."""
from __future__ import annotations

from datetime import date

import pytest
from ortools.sat.python import cp_model

from planner.optimize.bound import week_lp
from planner.optimize.cores import CoverageCores, confirmed
from planner.optimize.model import SCALE, PlanModel

from optimize_support import _random_week, _week, optimum, person, subset, visit


def cannot_all_be_covered(inst, cands, core) -> bool:
    pm = PlanModel(inst, cands)
    for vid in core:
        pm.model.add(pm.covered[vid] == 1)
    pm.model.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 30
    return solver.solve(pm.model) == cp_model.INFEASIBLE


def test_two_visits_only_one_person_can_do_on_one_day_are_a_core():
    day = date(2026, 12, 8)
    staff = [person("nurse", skills={"health"}), person("other")]
    visits = [visit("a", skills=frozenset({"health"}), earliest=day, duration=300),
              visit("b", lat=60.35, skills=frozenset({"health"}), earliest=day, duration=300),
              visit("c", lat=60.4)]
    inst, cands = _week(visits, staff)
    cores = CoverageCores(inst, cands, seconds=30).result()
    assert cores == [["a", "b"]]
    assert cannot_all_be_covered(inst, cands, cores[0])


def two_nurses():
    """Two long Tuesday visits needing a nurse, a short one anyone can make, two nurses and someone else: the
    week and every trip of it (the tests leave the second nurse's out of the candidates)."""
    day = date(2026, 12, 8)
    staff = [person("nurse", skills={"health"}), person("nurse2", skills={"health"}), person("other")]
    visits = [visit("a", skills=frozenset({"health"}), earliest=day, duration=300),
              visit("b", lat=60.35, skills=frozenset({"health"}), earliest=day, duration=300),
              visit("c", lat=60.4, earliest=day)]
    return _week(visits, staff)


def test_a_core_touched_by_a_trip_made_after_it_stands_only_when_proven_again():
    """The insertion gives visits trips outside the candidates a core was proven on (``cores.confirmed``): a
    trip of the one nurse again leaves the core standing, the second nurse's trip (she had none) ends it."""
    import time
    inst, every = two_nurses()
    later = next(c for c in every.columns if c.staff == "nurse" and "b" in c.visits and len(c.visits) > 1)
    cands = subset(every, {i for i, c in enumerate(every.columns) if c.staff != "nurse2" and c != later})
    core = CoverageCores(inst, cands, seconds=30).result()[0]
    assert core == ["a", "b"]
    until = time.perf_counter() + 30
    cands.add(later)  # the nurse's chain through b and c, a trip the core was not proven with
    assert confirmed(inst, cands, [core], until) == [core]
    cands.add(next(c for c in every.columns if c.staff == "nurse2" and c.visits == ("b",)))
    assert confirmed(inst, cands, [core], until) == []
    assert not cannot_all_be_covered(inst, cands, core)


@pytest.mark.parametrize("seed", [1, 5, 7, 8, 9, 11])  # the random weeks of 9 visits that have a core
def test_cores_are_real_disjoint_repeatable_and_their_cuts_keep_the_bound_valid(seed):
    visits, staff, absences = _random_week(seed, people=3, visits=9)
    inst, cands = _week(visits, staff, absences)
    pm = PlanModel(inst, cands)
    cores = CoverageCores(inst, cands, seconds=30).result()
    assert cores == CoverageCores(inst, cands, seconds=30).result()
    assert cores
    seen = [vid for core in cores for vid in core]
    assert len(seen) == len(set(seen))
    for core in cores:
        assert cannot_all_be_covered(inst, cands, core)
    best = optimum(inst, cands)
    relax = week_lp(inst, cands)
    tightened = relax.tighten(cores, 30)
    assert tightened is not None and tightened >= relax.bound - 1
    if seed == 1:  # the LP covered all three of v1, v2 and v5 in part, where a plan covers two
        assert tightened > relax.bound + 1_000 * SCALE
    assert (tightened + pm.constant) / SCALE <= best + 1e-6


def test_cores_without_time_are_none():
    visits, staff, absences = _random_week(0)
    inst, cands = _week(visits, staff, absences)
    assert CoverageCores(inst, cands, seconds=0.2).result() == []


def test_a_big_week_s_bound_takes_the_cores_cuts():
    """What `solve` does on a big week from 20 s: the cores found beside the master and the repair raise the
    bound by their cuts, and the plan is as valid as without them."""
    import time

    from planner.optimize import big_week
    from planner.optimize.greedy import solve_greedy
    from planner.optimize.plan import build_plan
    from planner.optimize.validate import check_plan
    visits, staff, absences = _random_week(1, people=3, visits=9)
    inst, cands = _week(visits, staff, absences)
    greedy = solve_greedy(inst, cands)
    pm = PlanModel(inst, cands)
    relax = week_lp(inst, cands)
    started = time.perf_counter()
    selection = big_week.solve_big(inst, cands, pm, relax, set(greedy.chosen), 5.0, 10.0, started + 10.0, started,
                                   None, None, CoverageCores(inst, cands, seconds=5))
    assert selection.stats["coverage_cores"] == 1
    assert selection.bound >= (relax.bound + pm.constant) / SCALE + 1_000
    assert selection.bound <= selection.objective
    assert check_plan(build_plan(inst, cands, selection, "cp-sat"), inst) == []


def test_a_big_week_drops_the_core_a_new_trip_breaks():
    """The big-week path where the candidates have no trip of the second nurse: the core ``a, b`` is found, the
    visit left out goes to her (the insertion's single trip, outside the candidates), and the core no longer
    holds: proven again, it is dropped, so the bound does not count it, and both visits are made."""
    import time

    from planner.optimize import big_week
    from planner.optimize.greedy import solve_greedy
    from planner.optimize.plan import build_plan
    from planner.optimize.validate import check_plan
    inst, every = two_nurses()
    cands = subset(every, {i for i, c in enumerate(every.columns) if c.staff != "nurse2"})
    pm = PlanModel(inst, cands)
    cores = CoverageCores(inst, cands, seconds=5)
    started = time.perf_counter()
    selection = big_week.solve_big(inst, cands, pm, week_lp(inst, cands), set(solve_greedy(inst, cands).chosen),
                                   5.0, 10.0, started + 10.0, started, None, None, cores)
    assert cores.result() == [["a", "b"]]
    assert selection.stats.get("inserted", 0) + selection.stats.get("free_people_trips", 0) == 1
    assert "coverage_cores" not in selection.stats
    plan = build_plan(inst, cands, selection, "cp-sat")
    assert check_plan(plan, inst) == [] and len(plan["assignments"]) == 3
    assert selection.bound <= optimum(inst, cands) + 1e-6  # the best plan over the candidates and the new trip


def test_visits_needing_a_language_few_speak_are_asked_alone(monkeypatch):
    """The visits needing Spanish, which one person speaks, are a group of their own (``cores._need_groups``): its
    core is found in a model of its trips alone, with no budget left for the whole week's question."""
    from planner.optimize import cores
    day = date(2026, 12, 8)
    staff = [person("speaker", languages=("fi", "es")), person("other"), person("third")]
    spanish = [visit(f"es{k}", lat=60.3 + 0.05 * k, languages=frozenset({"es"}), earliest=day, duration=300)
               for k in range(3)]
    others = [visit(f"v{k}", lat=60.2 + 0.02 * k, earliest=day, latest=date(2026, 12, 10)) for k in range(6)]
    inst, cands = _week(spanish + others, staff)
    assert [[v.id for v in group] for group in cores._need_groups(inst, cands)] == [["es0", "es1", "es2"]]
    monkeypatch.setattr(cores, "CORE_WORK", 0.4)  # one group question; none of the whole week
    found = CoverageCores(inst, cands, seconds=30).result()
    assert len(found) == 1 and set(found[0]) <= {"es0", "es1", "es2"} and len(found[0]) >= 2
    assert cannot_all_be_covered(inst, cands, found[0])
