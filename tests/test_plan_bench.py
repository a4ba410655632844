"""The plan benchmark's plumbing (benchmarks/plan_bench.py, issue 14): a tiny generated week goes in through
``planner init-db`` and ``import``, is planned by ``planner plan-week --solver greedy`` in a subprocess, and the
independent checker (benchmarks/plan_check.py) accepts the plan and rejects broken copies of it. Timed targets
stay in the benchmark."""
from __future__ import annotations

import copy
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from plan_bench import iso_week, measure_week  # noqa: E402
from plan_check import check, doable_alone  # noqa: E402
from week_data import visits_in, week_document  # noqa: E402

from planner.core.local_time import helsinki_today
from planner.ops.demo import next_monday  # noqa: E402

TODAY = date(2026, 12, 3)


def test_each_seed_gives_its_own_office_layout_and_the_same_seed_the_same_week():
    first = week_document(1, offices=8, people=20, visits=30, today=TODAY)
    assert first == week_document(1, offices=8, people=20, visits=30, today=TODAY)
    second = week_document(2, offices=8, people=20, visits=30, today=TODAY)
    assert {o["place"] for o in first["offices"]} != {o["place"] for o in second["offices"]}
    assert len(first["offices"]) == 8 and len({o["place"] for o in first["offices"]}) == 8
    assert {s["office"] for s in first["staff"]} == {o["id"] for o in first["offices"]}  # nobody's office empty
    assert len(first["staff"]) == 20 and len(first["visits"]) == 30


def test_the_team_heavy_size_makes_about_half_the_visits_for_two_and_the_others_keep_their_weeks():
    from plan_bench import SIZES
    teams = SIZES["pairs"]
    week = week_document(1, teams.offices, teams.people, teams.visits, today=TODAY, team_share=teams.team_share)
    share = sum(v["staff_needed"] == 2 for v in week["visits"]) / len(week["visits"])
    assert 0.4 <= share <= 0.65
    usual = week_document(1, offices=8, people=20, visits=30, today=TODAY)
    assert usual == week_document(1, offices=8, people=20, visits=30, today=TODAY, team_share=0.15)


def test_a_crowded_week_moves_every_visit_into_the_region_and_keeps_the_rest():
    from planner.core.places import get_gazetteer
    usual = week_document(3, offices=8, people=20, visits=40, today=TODAY)
    crowded = visits_in(copy.deepcopy(usual), "Lappi", 3)
    gazetteer = get_gazetteer()
    assert {gazetteer.resolve(v["place"]).region for v in crowded["visits"]} == {"Lappi"}
    assert len({v["place"] for v in crowded["visits"]}) > 5  # spread over the region, not one town
    assert [{**v, "place": None} for v in crowded["visits"]] == [{**v, "place": None} for v in usual["visits"]]
    assert crowded["offices"] == usual["offices"] and crowded["staff"] == usual["staff"]
    with pytest.raises(SystemExit, match="Atlantis"):
        visits_in(copy.deepcopy(usual), "Atlantis", 3)


def test_a_tiny_week_is_imported_planned_by_the_command_and_checked(tmp_path):
    document = week_document(3, offices=2, people=6, visits=8)
    week = iso_week(next_monday(helsinki_today()))
    measured = measure_week(tmp_path, document, week, 10, solvers=("greedy",), keep_plans=True)
    greedy = measured["greedy"]
    assert greedy["error"] is None and greedy["status"] == "GREEDY"
    assert greedy["invalid"] == 0, greedy["problems"]
    assert 0 < greedy["covered"] <= measured["doable"] <= 8 and greedy["peak_mb"] > 0
    assert 0 < greedy["wall_s"] and greedy["travel_per_visit"] > 0

    plan = greedy["plan"]
    assert check(plan, document) == []
    twice = copy.deepcopy(plan)
    twice["assignments"].append(twice["assignments"][0])
    assert any("in the plan 2 times" in e for e in check(twice, document))

    two_places = copy.deepcopy(plan)  # the same person on a second trip at the same time
    trip = copy.deepcopy(two_places["trips"][0])
    trip["id"] = "T-copy"
    two_places["trips"].append(trip)
    assert any("in two places at once" in e for e in check(two_places, document))

    absent = copy.deepcopy(document)  # the person on the first trip is absent that week
    person, day = plan["trips"][0]["staff"][0], plan["trips"][0]["depart"][:10]
    absent["absences"].append({"staff": person, "from": day, "to": day, "kind": "sick_leave"})
    assert any(f"{person} away on {day}: absent" in e for e in check(plan, absent))


def test_a_visit_nobody_free_can_do_is_not_counted_as_doable():
    document = week_document(4, offices=2, people=4, visits=6, today=TODAY)
    document["visits"][0].update(skills=["no-such-skill"], interpreter=False)
    assert document["visits"][0]["id"] not in doable_alone(document)
