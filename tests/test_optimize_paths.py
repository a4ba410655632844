"""Which path plans a week, and the plan JSON saying so (issue 14, point 2): ``method`` names the search that ran and
``stats`` why, with the run's sizes (candidate trips, master trips), its LP and its seconds per phase. A big week
whose LP does not finish is still solved by the master, over each visit's cheapest trips by cost, never by one
CP-SAT model over every trip."""
from __future__ import annotations

import time

import pytest

from optimize_support import OFFICES, WEEK, MON, FakeTravel, _random_week, _week, visit
from planner.core.availability import Availability
from planner.core.messages import english
from planner.core.settings import Settings
from planner.optimize import big_week
from planner.optimize.greedy import solve_greedy
from planner.optimize.instance import build_instance
from planner.optimize.model import PlanModel
from planner.optimize.plan import build_plan
from planner.optimize.run import plan_week
from planner.optimize.validate import check_plan

PHASES = {"matrix", "candidates", "greedy", "search", "plan"}


def _plan(seed: int, solver: str = "cp-sat") -> tuple[dict, object]:
    visits, staff, absences = _random_week(seed)
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff, absences), Settings(), FakeTravel())
    return plan_week(inst, solver, time_limit=5), inst


@pytest.mark.parametrize("solver, method", [("cp-sat", "cp-sat"), ("greedy", "greedy")])
def test_the_plan_says_which_path_ran_and_its_sizes_and_seconds(solver, method):
    plan, inst = _plan(0, solver)
    assert plan["method"] == method
    stats = plan["stats"]
    assert stats["why"] and stats["visits"] == len(inst.visits) and stats["people"] == len(inst.staff)
    assert stats["candidate_trips"] > 0 and 0 <= stats["chained_trips"] <= stats["candidate_trips"]
    assert set(stats["seconds"]) == PHASES and all(s >= 0 for s in stats["seconds"].values())
    assert sum(stats["seconds"].values()) <= plan["solve_seconds"] + 0.05
    assert stats["lp"] == ("optimal" if solver == "cp-sat" else "not run")


def test_a_big_week_says_it_ran_the_master(monkeypatch):
    monkeypatch.setattr(big_week, "BIG_FROM", 0)   # this small week takes the big-week path
    plan, inst = _plan(1)
    assert plan["method"] == "master" and plan["stats"]["lp"] == "optimal"
    assert 0 < plan["stats"]["master_trips"] <= plan["stats"]["candidate_trips"]
    assert "SCIP" in plan["stats"]["why"]
    assert check_plan(plan, inst) == []


def _team_week(teams: int, visits: int = 50):
    """``visits`` one-person visits over the south but ``teams`` of them for two, and eight people."""
    from optimize_support import person
    staff = [person(f"p{k}", office="south" if k % 2 else "north") for k in range(8)]
    week = [visit(f"v{k}", lat=60.1 + 0.04 * (k % 25), lon=24 + 0.05 * (k // 25), staff_needed=2 if k < teams else 1)
            for k in range(visits)]
    return build_instance(WEEK, MON, week, staff, OFFICES, Availability(staff), Settings(), FakeTravel())


def test_a_week_of_many_team_visits_is_solved_by_the_master():
    """From a quarter of 50 visits or more for two people, one CP-SAT model is too slow to search: such a week
    goes to the master whatever its number of trips, and its plan says so and why; a week just below either
    figure stays with CP-SAT."""
    from planner.optimize.candidates import CandidateGenerator
    for teams, visits, big in ((13, 50, True), (12, 50, False), (12, 49, False)):
        inst = _team_week(teams, visits)
        inst.precompute_travel()
        cands = CandidateGenerator(inst).generate()
        assert len(cands.columns) < big_week.BIG_FROM
        assert (big_week.why_big(inst, cands) is not None) is big
    plan = plan_week(_team_week(13), "cp-sat", time_limit=10)
    assert plan["method"] == "master" and "13 of 50 visits for two people or more" in plan["stats"]["why"]
    assert check_plan(plan, _team_week(13)) == []


@pytest.mark.parametrize("limit, root", [(10.0, False), (60.0, True)])
def test_scips_root_bound_runs_beside_a_busy_week_from_a_minute(monkeypatch, limit, root):
    """SCIP's root bound of the whole week (its own thread) runs only when the limit leaves its root node time to
    finish (solve.ROOT_BOUND_FROM); either way the bound is valid and at least the LP's."""
    from planner.optimize import solve as solve_module
    monkeypatch.setattr(big_week, "BIG_FROM", 0)   # this small week takes the big-week path
    visits, staff, absences = _random_week(1)
    inst, cands = _week(visits, staff, absences)
    greedy = solve_greedy(inst, cands)
    selection = solve_module.solve(inst, cands, limit, hint=greedy.chosen, work_seconds=2.0)
    assert ("root_bound" in selection.stats) is root
    assert selection.stats["lp"] == "optimal" and selection.bound <= selection.objective


@pytest.mark.parametrize("seed", range(3))
def test_a_big_week_without_the_lp_is_solved_by_a_master_over_trips_priced_by_cost(seed, monkeypatch):
    """What `solve` does when the LP does not finish: the restricted master over each visit's cheapest trips by
    cost per visit and the greedy plan's trips, then the fill and the repair. The plan is valid, at least as good
    as the greedy start, and claims no bound it does not have."""
    monkeypatch.setattr(big_week, "MASTER_PER_VISIT", 2)
    monkeypatch.setattr(big_week, "MASTER_PER_VISIT_MAX", 2)   # kept restricted, as on a 1,000-visit week
    visits, staff, absences = _random_week(seed)
    inst, cands = _week(visits, staff, absences)
    greedy = solve_greedy(inst, cands)
    pm = PlanModel(inst, cands)
    pm.hint(set(greedy.chosen))
    prices = big_week.cost_prices(inst, cands)
    assert prices[0] is None and len(prices[2]) == len(cands.columns)
    started = time.perf_counter()
    selection = big_week.solve_big(inst, cands, pm, prices, set(greedy.chosen), 5.0, 10.0, started + 10.0, started,
                                   None, None)
    assert pm.value(selection.chosen) <= pm.value(greedy.chosen)
    covered = {v for i in selection.chosen for v in cands.columns[i].visits}
    assert len(covered) >= len({v for i in greedy.chosen for v in cands.columns[i].visits})
    assert selection.stats["master_columns"] < len(cands.columns)
    assert selection.bound is None and selection.status == "FEASIBLE"   # no LP, no root bound: no bound claimed
    assert check_plan(build_plan(inst, cands, selection, "cp-sat"), inst) == []
    # with the Lagrangian bound ``solve`` gives it instead, the progress names that bound, not the LP
    said = []
    big_week.solve_big(inst, cands, pm, prices._replace(bound=0), set(greedy.chosen), 5.0, 10.0,
                       time.perf_counter() + 10.0, time.perf_counter(), lambda m: said.append(english(m)), None)
    assert said[-1].endswith("(the Lagrangian bound: the LP did not finish)")


def test_a_small_week_gets_every_trip_and_its_optimum_holds_over_all_trips():
    """Up to EVERY_TRIP_UP_TO visits every person and neighbour get trips: a plan proven optimal over them is
    optimal over every trip the planner's trip shapes allow (`optimal_over: "all trips"`)."""
    plan, inst = _plan(2)
    assert plan["stats"]["candidate_settings"] == "every trip"
    assert plan["status"] == "OPTIMAL" and plan["optimal_over"] == "all trips"
    # given settings of its own (a benchmark's, a test's), the optimum holds over those candidates only
    from planner.optimize.candidates import CandidateGenerator
    visits, staff, absences = _random_week(2)
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff, absences), Settings(), FakeTravel())
    given = plan_week(inst, "cp-sat", time_limit=5, generator=CandidateGenerator(inst, max_people=1))
    assert given["stats"]["candidate_settings"] == "given"
    assert given["optimal_over"] == ("candidates" if given["status"] == "OPTIMAL" else None)
    greedy, _inst = _plan(2, "greedy")
    assert greedy["optimal_over"] is None   # no proof, no claim


def test_the_candidate_settings_follow_the_weeks_size_and_time_limit():
    from optimize_support import person, visit
    from planner.optimize.sizing import EVERY_TRIP_PAIRS, EVERY_TRIP_UP_TO, OTHER_OFFICES, THIN_FROM, size_week

    def sized(n_visits: int, limit: float, people: int = 5) -> str:
        staff = [person(f"p{k}") for k in range(people)]
        visits = [visit(f"v{k}") for k in range(n_visits)]
        inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff), Settings(), FakeTravel())
        return size_week(inst, limit).name
    assert sized(EVERY_TRIP_UP_TO, 30) == "every trip"
    assert sized(EVERY_TRIP_UP_TO + 1, 30) == "default"
    assert sized(10, 30, people=EVERY_TRIP_PAIRS // 10 + 1) == "default"   # a big team: not every trip
    assert sized(THIN_FROM, 120) == "thin" and sized(THIN_FROM, 30) == "thin"
    assert sized(THIN_FROM, 600) == "default"   # a long limit affords the full set
    staff = [person(f"p{k}") for k in range(5)]
    inst = build_instance(WEEK, MON, [visit(f"v{k}") for k in range(EVERY_TRIP_UP_TO + 1)], staff, OFFICES,
                          Availability(staff), Settings(), FakeTravel())
    assert size_week(inst, 30).generator.other_offices == OTHER_OFFICES   # crowded weeks: farther offices' trips


def test_places_at_one_point_share_a_journey_but_keep_their_own_names():
    """An office and a visit in the same town share their travel (one journey per pair of points); each trip's legs
    still name its own ends (found by the independent checker: "Kuopio office -> Jyväskylä" on a Jyväskylä trip)."""
    from planner.core.records import Office
    from planner.optimize.instance import TravelMatrix
    matrix = TravelMatrix(FakeTravel())
    office = Office("kuopio", "Kuopio office", 62.89, 27.68)
    town = visit("v", lat=62.89, lon=27.68, place="Kuopio")
    other = visit("w", lat=62.24, lon=25.75, place="Jyväskylä")
    first = matrix.journey(town, other)
    assert (first.legs[0].from_name, first.legs[-1].to_name) == ("Kuopio", "Jyväskylä")
    shared = matrix.journey(office, other)
    assert (shared.legs[0].from_name, shared.legs[-1].to_name) == ("Kuopio office", "Jyväskylä")
    back = matrix.journey(other, office)
    assert back.legs[-1].to_name == "Kuopio office" and matrix.journey(other, town).legs[-1].to_name == "Kuopio"
    assert shared.minutes == first.minutes and len(matrix.by_key) == 2   # one journey each way, shared


def test_a_deadline_cuts_the_single_trips_short_round_by_round_leaving_every_visit_its_nearest(monkeypatch):
    """Single trips are made in rounds, by each visit's nearest people first (as many as it needs). The first round
    is made whatever the clock says (a deadline already past left a 1,500-visit week at --time-limit 10 with no
    trip at all); wherever a deadline falls after it, a later round's trips exist only when every earlier round is
    complete, and a visit left without trips says that time ran out. The clock is a counter of its own (one tick a
    check) so that the deadline falls at the same step on every machine."""
    import itertools
    from types import SimpleNamespace
    from planner.optimize import candidates
    from planner.optimize.candidates import TIME_RAN_OUT, CandidateGenerator
    visits, staff, absences = _random_week(4, people=6, visits=12)
    inst, full = _week(visits, staff, absences)

    def rounds(vid: str) -> list[list[str]]:
        people, needed = full.relevant[vid], max(1, inst.visit_by_id[vid].staff_needed)
        return [people[:needed]] + [[p] for p in people[needed:]]

    whole = {(c.visits[0], c.staff) for c in full.columns if c.kind == "single"}
    for ticks in (-1, 0, len(visits) - 1, len(visits) + 3):
        counter = itertools.count()
        monkeypatch.setattr(candidates, "clock", SimpleNamespace(perf_counter=lambda: next(counter)))
        generator = CandidateGenerator(inst)
        cut = generator.generate(chains=False, deadline=ticks)
        made = {(c.visits[0], c.staff) for c in cut.columns}
        assert made <= whole and generator.complete is False
        assert all((v.id, p) in made for v in inst.visits for p in rounds(v.id)[0] if (v.id, p) in whole)
        done = max((k for v in inst.visits for k, group in enumerate(rounds(v.id))
                    if any((v.id, p) in made for p in group)), default=-1)
        for v in inst.visits:
            for group in rounds(v.id)[:done]:  # every round before the last one reached is complete
                assert {(v.id, p) for p in group} & whole <= made
            if not any(vid == v.id for vid, _ in made) and any(vid == v.id for vid, _ in whole):
                assert cut.no_day[v.id] == TIME_RAN_OUT
        if ticks < 0:  # a deadline already past: exactly the first round
            assert done == 0


def test_single_trips_may_go_on_past_the_deadline_until_their_own_when_no_chain_is_made_after_them():
    """``generate(singles_until=...)``: a week whose single trips outlast the search's deadline (it will get no
    search) still gets every single trip while ``singles_until`` is ahead, and no chained trip."""
    from planner.optimize.candidates import CandidateGenerator
    visits, staff, absences = _random_week(4, people=6, visits=12)
    inst, full = _week(visits, staff, absences)
    generator = CandidateGenerator(inst)
    late = generator.generate(deadline=time.perf_counter() - 1, singles_until=time.perf_counter() + 600)
    assert set(late.columns) == {c for c in full.columns if c.kind == "single"} != set(full.columns)
    assert generator.complete is False


def test_a_week_with_no_time_for_a_search_puts_the_visits_the_greedy_plan_leaves_out_on_its_trips():
    """No time for a search (1 s): the greedy plan is kept, and a visit it leaves out that fits on one of its trips
    is put there (``insertion``), said in ``stats.inserted``; the plan passes the validator and keeps a bound."""
    from optimize_support import person
    from planner.optimize.candidates import CandidateGenerator
    staff = [person("p")]
    visits = [visit("a", lat=60.30, duration=90), visit("b", lat=60.345, duration=90)]
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff, ()), Settings(), FakeTravel())
    inst.precompute_travel()
    singles = CandidateGenerator(inst, max_chain=1)  # as single trips only one of them fits the day
    plan = plan_week(inst, "cp-sat", time_limit=1, generator=singles)
    assert plan["method"] == "greedy" and plan["stats"]["inserted"] == 1
    assert sorted(a["visit"] for a in plan["assignments"]) == ["a", "b"]
    assert check_plan(plan, inst) == []
    assert plan["bound"] is not None and 0 <= plan["bound"] <= plan["objective"]


def test_a_week_with_no_time_for_a_search_gives_a_team_visit_left_out_to_people_free_that_day():
    """No time for a search (1 s), and candidates for each visit's two nearest people only: the south office's pair
    makes the urgent team visit, and the other team visit goes to the north office's pair, free that day though
    no candidate has them there (``stats.free_people_trips``); a valid plan with its bound."""
    from optimize_support import person
    from planner.optimize.candidates import CandidateGenerator
    staff = [person("s1"), person("s2"), person("n1", office="north"), person("n2", office="north")]
    visits = [visit("a", lat=60.3, duration=180, staff_needed=2, priority="urgent"),
              visit("b", lat=60.2, lon=25.3, duration=180, staff_needed=2)]
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff, ()), Settings(), FakeTravel())
    inst.precompute_travel()
    plan = plan_week(inst, "cp-sat", time_limit=1, generator=CandidateGenerator(inst, max_people=2, skill_people=0))
    assert plan["method"] == "greedy" and plan["stats"]["free_people_trips"] == 1
    made = {a["visit"]: sorted(a["staff"]) for a in plan["assignments"]}
    assert made == {"a": ["s1", "s2"], "b": ["n1", "n2"]}
    assert check_plan(plan, inst) == []
    assert plan["bound"] is not None and 0 <= plan["bound"] <= plan["objective"]


@pytest.mark.parametrize("step", ["relieved", "repaired"])
def test_a_week_with_no_time_for_a_search_has_its_left_out_visits_repaired(monkeypatch, step):
    """No time for a search (its setup made too slow), but seconds left: the greedy plan sends the one nurse to
    the visit that prefers her, and the visit only she can do is left out, with no room on her day. The nurse is
    relieved of her visit, which goes to the other person free that day (``insertion.insert_relieving``), and she
    takes the second; without that step, the repair (``big_week.repair``, a part of the week at a time) does the
    same: both covered, said in ``stats.relieved`` or ``stats.repaired``, a valid plan with its bound."""
    from optimize_support import person
    from planner.optimize import run
    monkeypatch.setattr(run, "SETUP_PER_TRIP", 10.0)
    if step == "repaired":
        monkeypatch.setattr(run, "insert_relieving", lambda inst, cands, chosen, until: (chosen, 0))
    staff = [person("nurse", skills={"health"}), person("other")]
    visits = [visit("x", duration=300, preferred_staff="nurse"),
              visit("y", lat=60.32, duration=300, priority="low", skills=frozenset({"health"}))]
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff, ()), Settings(), FakeTravel())
    greedy = plan_week(inst, "greedy", time_limit=5)
    assert [a["visit"] for a in greedy["assignments"]] == ["x"]
    plan = plan_week(inst, "cp-sat", time_limit=5)
    assert plan["method"] == "greedy" and plan["stats"][step] >= 1
    assert {a["visit"]: a["staff"] for a in plan["assignments"]} == {"x": ["other"], "y": ["nurse"]}
    assert check_plan(plan, inst) == []
    assert plan["bound"] is not None and 0 <= plan["bound"] <= plan["objective"]
