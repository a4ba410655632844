"""Each hard rule of the weekly plan alone, on a tiny week built for it (travel from a fixed test matrix).

Every plan is checked by the planner's validator and by the independent test checker; each test also asserts
the one thing its rule decides, so it fails when the rule is broken.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from planner.core.availability import Availability
from planner.core.records import Absence
from planner.optimize.instance import Pin, build_instance
from planner.optimize.run import plan_week
from planner.optimize.validate import check_plan
from planner.core.settings import Settings

from optimize_support import MON, OFFICES, WEEK, FakeTravel, assigned, person, reason, solve, visit


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


def test_a_commitment_takes_away_only_the_trips_it_overlaps():
    """A planned trip elsewhere (a commitment) removes the candidate trips that would overlap it and no other: one
    in another week changes nothing, one on Monday morning leaves that person Monday afternoon's trips."""
    from planner.core.availability import Busy
    from planner.optimize.candidates import CandidateGenerator

    staff = [person("a"), person("b")]
    visits = [visit("v1", earliest=MON, latest=MON + timedelta(2)), visit("v2", lat=60.4, lon=25.3),
              visit("v3", lat=60.45, lon=25.35)]

    def trips(*busy):
        inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff, busy=busy), Settings(),
                              FakeTravel())
        inst.precompute_travel()
        return inst, [(c, c.cost_eur, c.journeys) for c in CandidateGenerator(inst).generate().columns]

    inst, free = trips()
    _, elsewhere = trips(Busy("a", datetime(2026, 11, 2, 8), datetime(2026, 11, 2, 16), "trip T1"))
    assert elsewhere == free
    noon = inst.minute(datetime.combine(MON, time(12)))
    _, morning = trips(Busy("a", datetime.combine(MON, time(6)), datetime.combine(MON, time(12)), "trip T2"))
    kept = [c for c, *_ in morning if c.staff == "a" and MON in c.days]
    assert kept and all(c.depart >= noon for c in kept)
    assert {c for c, *_ in free if c.staff == "a" and MON in c.days and c.depart >= noon} <= set(kept)
    assert len(kept) < len([c for c, *_ in free if c.staff == "a" and MON in c.days])

    def untouched(t):
        return t[0].staff == "b" or MON not in t[0].days
    assert [t for t in morning if untouched(t)] == [t for t in free if untouched(t)]


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


def test_a_big_week_s_model_without_cp_sat_values_plans_and_pins_as_the_built_one():
    """A big week's search builds models of its own, so its ``PlanModel`` is not built (``build=False``): its
    constant, a plan's value and the pins it cannot keep are those of the built model."""
    from planner.optimize.candidates import CandidateGenerator
    from planner.optimize.greedy import solve_greedy
    from planner.optimize.model import PlanModel
    staff = [person("near"), person("far", office="north")]
    visits = [visit("v"), visit("w", lat=60.35), visit("lonely", lat=65.0, earliest=date(2026, 12, 12))]
    pins = [Pin("v", ("far",), datetime(2026, 12, 7, 13, 0)), Pin("w", ("nobody",), datetime(2026, 12, 7, 9, 0)),
            Pin("lonely", ("near",), datetime(2026, 12, 12, 9, 0))]
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff, []), Settings(), FakeTravel(), pins)
    inst.precompute_travel()
    cands = CandidateGenerator(inst).generate()
    built, light = PlanModel(inst, cands), PlanModel(inst, cands, build=False)
    assert built.constant == light.constant > 0  # "lonely" is on a Saturday: no trip
    assert sorted(light.pin_problems) == sorted(built.pin_problems) == ["lonely", "w"]
    assert [light.pin_problems[v].code for v in ("lonely", "w")] == ["pin_nobody", "pin_person"]
    plan = solve_greedy(inst, cands).chosen
    assert plan and light.value(plan) == built.value(plan)


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
