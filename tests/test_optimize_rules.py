"""Each hard rule of the weekly plan alone, on a tiny week built for it (travel from a fixed test matrix).

Every plan is checked by the planner's validator and by the independent test checker; each test also asserts
the one thing its rule decides, so it fails when the rule is broken.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest

from planner.availability import Availability
from planner.model import Absence, Office, StaffMember, Visit
from planner.optimize.instance import Pin, build_instance
from planner.optimize.run import plan_week
from planner.optimize.validate import check_plan, plan_objective
from planner.settings import Settings

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
    return next(u["reason"] for u in plan["unassigned"] if u["visit"] == vid)


def test_only_employed_people_are_sent():
    staff = [person("trainee", active_from=date(2026, 6, 1), active_until=date(2026, 8, 31)),
             person("far", office="north")]
    plan = solve([visit("v")], staff)
    assert assigned(plan, "v")["staff"] == ["far"]
    plan = solve([visit("v")], staff[:1])
    assert reason(plan, "v") == "nobody is free on 7 Dec"


def test_absent_people_are_not_sent_and_the_reason_names_the_skill():
    staff = [person("nurse", skills={"health"}), person("other", office="north")]
    absences = [Absence("nurse", MON, date(2026, 12, 8), "vacation")]
    plan = solve([visit("v", latest=date(2026, 12, 8), skills=frozenset({"health"}))], staff, absences)
    assert reason(plan, "v") == "nobody with skill health is free on 7-8 Dec"
    plan = solve([visit("v", latest=date(2026, 12, 9), skills=frozenset({"health"}))], staff, absences)
    assert assigned(plan, "v")["date"] == "2026-12-09"


def test_public_holiday_and_alands_own_holiday():
    monday = date(2026, 6, 8)  # 9 June 2026 is Åland's Autonomy Day, a working day elsewhere
    staff = [person("a", languages={"sv"})]
    on_aland = visit("aland", lat=60.1, lon=19.9, earliest=date(2026, 6, 9), on_aland=True)
    mainland = visit("mainland", earliest=date(2026, 6, 9))
    plan = solve([on_aland, mainland], staff, monday=monday, week="2026-W24")
    assert reason(plan, "aland") == "no working day in the window: 9 Jun 2026 is Åland's Autonomy Day"
    assert assigned(plan, "mainland")["date"] == "2026-06-09"
    ascension = visit("v", earliest=date(2027, 5, 6))
    plan = solve([ascension], staff, monday=date(2027, 5, 3), week="2027-W18")
    assert reason(plan, "v") == "no working day in the window: 6 May 2027 is Ascension Day"


def test_meeting_inside_its_window_on_a_working_day():
    staff = [person("a")]
    absences = [Absence("a", date(2026, 12, 9), date(2026, 12, 9))]
    plan = solve([visit("v", earliest=date(2026, 12, 9), latest=date(2026, 12, 10))], staff, absences)
    assert assigned(plan, "v")["date"] == "2026-12-10"
    weekend = visit("w", earliest=date(2026, 12, 12), latest=date(2026, 12, 13))
    assert reason(solve([weekend], staff), "w").startswith("no working day in the window this week: 12 Dec 2026 is a Saturday")


def test_meeting_between_configured_hours():
    settings = Settings(meeting_earliest=time(9, 0), meeting_latest_end=time(12, 0))
    plan = solve([visit("v", duration=150)], [person("a")], settings=settings)
    a = assigned(plan, "v")
    assert a["start"] >= "2026-12-07T09:00" and a["end"] <= "2026-12-07T12:00"
    plan = solve([visit("v", duration=240)], [person("a")], settings=settings)
    assert reason(plan, "v").startswith("nobody free can reach place-v for a 4 h meeting between 09.00 and 12.00")


@pytest.mark.parametrize("interpreter", [False, True])
def test_skills_and_languages_together_unless_interpreter(interpreter, either_path):
    staff = [person("nurse", skills={"health"}), person("near"),
             person("russian", office="north", languages={"fi", "ru"})]
    v = visit("v", staff_needed=2, skills=frozenset({"health"}), languages=frozenset({"ru"}), interpreter=interpreter)
    team = assigned(solve([v], staff), "v")["staff"]
    assert team == (["near", "nurse"] if interpreter else ["nurse", "russian"])


@pytest.fixture(params=["cp-sat model", "big-week path"])
def either_path(request, monkeypatch):
    """Run a test on the CP-SAT model and again on the big-week path (SCIP over the restricted master, with
    SCIP's root bound in its thread)."""
    if request.param == "big-week path":
        from planner.optimize import solve as solve_module
        monkeypatch.setattr(solve_module, "BIG_FROM", 0)
        monkeypatch.setattr(solve_module, "MASTER_ALL_VISITS", 0)
    return request.param


def test_team_meets_at_one_start_from_two_offices(either_path):
    staff = [person("s"), person("n", office="north")]
    plan = solve([visit("v", lat=61.0, staff_needed=2)], staff)
    a = assigned(plan, "v")
    assert a["staff"] == ["n", "s"] and len(a["trips"]) == 2
    trips = {t["id"]: t for t in plan["trips"]}
    assert {trips[t]["office"] for t in a["trips"]} == {"south", "north"}
    # both arrive in time for the one start
    assert all(trips[t]["depart"] < a["start"] for t in a["trips"])


def test_nobody_in_two_places_at_once(either_path):
    staff = [person("a")]
    urgent = visit("u", lat=60.0, lon=28.0, duration=240, priority="urgent")
    other = visit("o", lat=60.0, lon=22.0, duration=240)
    plan = solve([urgent, other], staff)
    assert assigned(plan, "u")["staff"] == ["a"]
    assert reason(plan, "o") == "everyone who could go on 7 Dec is needed for other visits (a on u)"


def test_too_long_day_becomes_an_overnight_stay(either_path):
    staff = [person("a")]
    travel = FakeTravel({("South", "far"): 300})
    plan = solve([visit("v", lat=63.0, duration=120, place="far", earliest=date(2026, 12, 8))], staff, travel=travel)
    (trip,) = plan["trips"]
    assert trip["nights"] >= 1
    travel = FakeTravel({("South", "far"): 120})
    plan = solve([visit("v", lat=63.0, duration=120, place="far", earliest=date(2026, 12, 8))], staff, travel=travel)
    assert plan["trips"][0]["nights"] == 0


def test_far_visit_takes_several_days():
    staff = [person("a")]
    travel = FakeTravel({("South", "very far"): 660})  # longer than the 10 h day each way
    v = visit("v", lat=68.0, place="very far", earliest=date(2026, 12, 9), duration=90)
    (trip,) = solve([v], staff, travel=travel)["trips"]
    assert trip["nights"] >= 3 and trip["depart"] < "2026-12-08"


def test_nearby_visits_are_chained_into_one_trip(either_path):
    staff = [person("a", office="north")]
    visits = [visit("k", lat=62.5), visit("t", lat=62.55)]
    plan = solve(visits, staff)
    assert len(plan["trips"]) == 1 and plan["trips"][0]["visits"] in (["k", "t"], ["t", "k"])


def test_pinned_assignment_is_kept(either_path):
    staff = [person("near"), person("far", office="north")]
    v = visit("v")
    assert assigned(solve([v], staff), "v")["staff"] == ["near"]
    pin = Pin("v", ("far",), datetime(2026, 12, 7, 13, 0))
    a = assigned(solve([v], staff, pins=[pin]), "v")
    assert a["staff"] == ["far"] and a["start"] == "2026-12-07T13:00:00" and a["pinned"]
    greedy = assigned(solve([v], staff, pins=[pin], solver="greedy"), "v")
    assert greedy["staff"] == ["far"] and greedy["start"] == "2026-12-07T13:00:00"


def test_a_person_who_declined_is_not_sent_to_that_visit_on_those_days_again(either_path):
    staff = [person("near"), person("far", office="north")]
    v = visit("v", latest=MON + timedelta(1))
    assert assigned(solve([v], staff), "v")["staff"] == ["near"]
    declined = {("near", "v", MON), ("near", "v", MON + timedelta(1))}  # "I can't make this trip" on Mon-Tue
    inst = build_instance(WEEK, MON, [v], staff, OFFICES, Availability(staff, []), Settings(), FakeTravel(),
                          declined=declined)
    plan = plan_week(inst, "cp-sat", 5)
    assert check_plan(plan, inst) == [] and assigned(plan, "v")["staff"] == ["far"]
    assert assigned(plan_week(inst, "greedy", 5), "v")["staff"] == ["far"]
    only_tuesday = build_instance(WEEK, MON, [v], staff, OFFICES, Availability(staff, []), Settings(), FakeTravel(),
                                  declined={("near", "v", MON)})
    a = assigned(plan_week(only_tuesday, "cp-sat", 5), "v")
    assert a["staff"] == ["near"] and a["date"] == "2026-12-08"
    wrong = {**plan, "assignments": [{**plan["assignments"][0], "staff": ["near"]}]}
    assert any("near said they can't make this visit on 2026-12-07" in e for e in check_plan(wrong, inst))


def test_validator_catches_broken_rules():
    staff = [person("a", skills={"health"}), person("b")]
    absences = [Absence("b", MON, MON)]
    visits = [visit("v", skills=frozenset({"health"}))]
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff, absences), Settings(), FakeTravel())
    plan = plan_week(inst, "cp-sat", 5)
    assert check_plan(plan, inst) == []

    def broken(change):
        import copy
        p = copy.deepcopy(plan)
        change(p)
        return check_plan(p, inst)

    assert any("lack skill health" in e for e in broken(lambda p: p["assignments"][0].update(staff=["b"])))
    assert any("outside 08:00-17:00" in e for e in broken(
        lambda p: p["assignments"][0].update(start="2026-12-07T16:30:00", end="2026-12-07T17:30:00")))
    assert any("neither assigned" in e for e in broken(lambda p: p["assignments"].clear()))
    assert any("without an overnight" in e for e in broken(
        lambda p: p["trips"][0].update(depart="2026-12-07T06:00:00", **{"return": "2026-12-07T21:00:00"})))
    assert any("cannot get from" in e for e in broken(
        lambda p: p["trips"][0].update(depart=p["assignments"][0]["start"])))


def test_pair_without_a_route_is_never_travelled():
    class NoRoute(FakeTravel):
        def journey(self, a, b, mode="best"):
            if "island" in (a.name, b.name) and "South" in (a.name, b.name):
                raise ValueError(f"no route from {a.name} to {b.name}")
            return super().journey(a, b, mode)

    staff = [person("s"), person("n", office="north")]
    plan = solve([visit("v", place="island")], staff, travel=NoRoute())
    assert assigned(plan, "v")["staff"] == ["n"]


def test_lp_relaxation_bound_is_below_the_optimum():
    from planner.optimize.bound import lp_bound
    from planner.optimize.candidates import CandidateGenerator
    from planner.optimize.model import SCALE, PlanModel
    staff = [person("s", skills={"health"}), person("n", office="north"), person("m", office="north")]
    visits = [visit("a", lat=61.0, staff_needed=2, skills=frozenset({"health"})), visit("b", lat=61.9),
              visit("c", lat=61.95, priority="urgent"), visit("d", lat=60.2, latest=date(2026, 12, 8))]
    plan = solve(visits, staff)
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff), Settings(), FakeTravel())
    inst.precompute_travel()
    pm = PlanModel(inst, CandidateGenerator(inst).generate())
    assert plan["status"] == "OPTIMAL"
    assert (lp_bound(pm.model) + pm.constant) / SCALE <= plan["objective"] + 1e-6


def _week(visits, staff, absences=()):
    from planner.optimize.candidates import CandidateGenerator
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff, absences), Settings(), FakeTravel())
    inst.precompute_travel()
    return inst, CandidateGenerator(inst).generate()


def _random_week(seed: int):
    import random
    rng = random.Random(seed)
    skills = ["health", "law"]
    staff = [person(f"p{k}", office=rng.choice(["south", "north"]), skills=set(rng.sample(skills, 1)),
                    languages=("fi",) + (("ru",) if rng.random() < 0.3 else ())) for k in range(3)]
    visits = []
    for k in range(6):
        first = MON + timedelta(rng.randrange(3))
        visits.append(visit(f"v{k}", lat=60.1 + 2 * rng.random(), lon=24 + 2 * rng.random(), earliest=first,
                            latest=first + timedelta(rng.randrange(2)), duration=rng.choice([60, 120, 240]),
                            staff_needed=2 if rng.random() < 0.3 else 1,
                            skills=frozenset(rng.sample(skills, 1)) if rng.random() < 0.4 else frozenset(),
                            priority=rng.choice(["urgent", "normal", "low"])))
    absences = [Absence("p0", MON + timedelta(1), MON + timedelta(1), "vacation")] if rng.random() < 0.5 else []
    return visits, staff, absences


@pytest.mark.parametrize("seed", range(6))
def test_week_lp_is_a_valid_bound_at_least_the_proto_lp(seed):
    """The LP with the teams' common start (bound.week_lp) never exceeds the proven optimum, and never falls below
    the LP read off the CP-SAT model (which drops the common start)."""
    from planner.optimize.bound import lp_bound, week_lp
    from planner.optimize.model import SCALE, PlanModel
    visits, staff, absences = _random_week(seed)
    inst, cands = _week(visits, staff, absences)
    pm = PlanModel(inst, cands)
    plan = solve(visits, staff, absences)
    assert plan["status"] == "OPTIMAL"
    new = (week_lp(inst, cands)[0] + pm.constant) / SCALE
    old = (lp_bound(pm.model) + pm.constant) / SCALE
    assert new <= plan["objective"] + 1e-6
    assert new >= old - 1


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
    optimum = (solver.objective_value + pm.constant) / SCALE
    assert optimum == UNCOVERED["normal"]  # nobody goes
    new = (week_lp(inst, cands)[0] + pm.constant) / SCALE
    old = (lp_bound(pm.model) + pm.constant) / SCALE
    assert old < UNCOVERED["normal"] / 2 and optimum - 1 <= new <= optimum


def test_repair_frees_people_of_any_region_to_cover_a_left_out_visit():
    """The repair step (solve.repair): a plan sends the only qualified person to a visit someone else could do and
    leaves out the visit only she can do; the neighbourhood of the left-out visit frees her, moves her trip to it
    and gives her old visit to the other person, and the whole week's objective improves."""
    from planner.optimize.model import PlanModel
    from planner.optimize.solve import repair
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


@pytest.mark.parametrize("seed", range(6))
def test_master_program_over_all_trips_reaches_the_proven_optimum(seed):
    """The exact program SCIP solves for big weeks (bound.week_program with 0/1 variables) is the same model as
    CP-SAT's: over every candidate trip it finds a plan with the proven optimum's objective, keeping every rule."""
    from planner.optimize.master import solve_master
    from planner.optimize.model import SCALE, PlanModel
    visits, staff, absences = _random_week(seed)
    inst, cands = _week(visits, staff, absences)
    pm = PlanModel(inst, cands)
    plan = solve(visits, staff, absences)
    assert plan["status"] == "OPTIMAL"
    chosen, status, bound = solve_master(inst, cands, list(range(len(cands.columns))), set(), seconds=30)
    assert status == "OPTIMAL"
    assert (pm.value(chosen) + pm.constant) / SCALE == pytest.approx(plan["objective"], abs=1)
    # over every trip SCIP's bound is the week's: proven optimal, it meets the optimum
    assert (bound + pm.constant) / SCALE == pytest.approx(plan["objective"], abs=1)
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
    optimum = solve(visits, staff, absences)
    assert optimum["status"] == "OPTIMAL"
    hint = solve_greedy(inst, cands).chosen
    first, second = (RootBound(inst, cands, hint, seconds=30).result() for _ in range(2))
    assert first == second
    assert week_lp(inst, cands)[0] - 1 <= first
    assert (first + pm.constant) / SCALE <= optimum["objective"] + 1e-6
    if not inst.pins:
        assert RootBound(inst, cands, [], seconds=30).result() in (None, first)


def test_root_bound_without_time_reports_nothing():
    """With less than a second left the root bound is not started: no bound rather than a half-computed one."""
    from planner.optimize.bound import RootBound
    from planner.optimize.greedy import solve_greedy
    visits, staff, absences = _random_week(0)
    inst, cands = _week(visits, staff, absences)
    assert RootBound(inst, cands, solve_greedy(inst, cands).chosen, seconds=0.5).result() is None


@pytest.mark.parametrize("seed", range(3))
def test_restricted_master_solved_to_optimality_grows_to_the_optimum(seed, monkeypatch):
    """A restricted master that SCIP solves to optimality is solved again with twice the trips per visit: from
    one trip per visit it grows until it has every trip, and so reaches the week's proven optimum."""
    from planner.optimize import solve as solve_module
    from planner.optimize.greedy import solve_greedy
    visits, staff, absences = _random_week(seed)
    optimum = solve(visits, staff, absences)  # CP-SAT's
    assert optimum["status"] == "OPTIMAL"
    monkeypatch.setattr(solve_module, "BIG_FROM", 0)
    monkeypatch.setattr(solve_module, "MASTER_ALL_VISITS", 0)
    monkeypatch.setattr(solve_module, "MASTER_PER_VISIT", 1)
    inst, cands = _week(visits, staff, absences)
    selection = solve_module.solve(inst, cands, 10, hint=solve_greedy(inst, cands).chosen)
    assert selection.stats["master_columns"] == len(cands.columns)
    assert selection.objective == pytest.approx(optimum["objective"], abs=1)


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
    from planner.optimize import solve as solve_module
    monkeypatch.setattr(solve_module, "BIG_FROM", 0)
    monkeypatch.setattr(solve_module, "MASTER_ALL_VISITS", 0)  # the root bound's thread runs too
    visits, staff, absences = _random_week(seed)
    first, second = solve(visits, staff, absences), solve(visits, staff, absences)
    greedy = solve(visits, staff, absences, solver="greedy")
    strip = lambda plan: {k: v for k, v in plan.items() if k != "solve_seconds"}  # noqa: E731
    assert strip(first) == strip(second)
    assert len(first["assignments"]) >= len(greedy["assignments"])
    assert first["status"] in ("OPTIMAL", "FEASIBLE") and first["bound"] <= first["objective"] + 1e-6


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
    from planner.optimize.solve import _repair_people
    staff = [person("a", skills={"health"}), person("b", office="north")]
    visits = [visit("u", lat=60.3, skills=frozenset({"health"})), visit("w", lat=61.8)]
    inst, cands = _week(visits, staff)
    cols = cands.columns
    assert {cols[i].staff for i in cands.by_visit["u"]} == {"a"}
    given = [min((i for i in cands.by_visit["w"] if cols[i].staff == "a" and cols[i].kind == "single"),
                 key=lambda i: (cols[i].travel_minutes, i))]
    assert _repair_people(cands, given, "u") == {"a", "b"}
    assert _repair_people(cands, [], "u") == {"a"}  # nothing to take over


def test_relevant_people_spread_over_an_office_and_leave_out_the_absent():
    """Colleagues at one office are equally near: which of them are relevant differs from visit to visit (so
    every one of them gets visits), and someone absent on every day of a visit is never among them."""
    from planner.optimize.candidates import relevant_people
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
