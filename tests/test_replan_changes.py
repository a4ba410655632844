"""Planning again keeps what it can (issue 14, point 6): with a current plan, every meeting a re-plan moves to
another person or day costs ``CHANGED``, so one person falling ill changes that person's meetings and only a few
others, and the plan says how many meetings changed."""
from __future__ import annotations

import shutil
from datetime import timedelta

from planner import store
from planner.core.records import Absence
from planner.core.settings import DEFAULT_SETTINGS
from planner.store import plan_queries
from planner.store.db import open_db
from planner.planning.week_run import plan_and_store
from web_support import MONDAY, WEEK


def _meetings(db) -> dict[str, tuple[frozenset, str]]:
    return {m["visit"]: (frozenset(m["staff"]), m["start"][:10]) for m in plan_queries.meetings_of_week(db, WEEK)}


def test_one_person_falling_ill_changes_their_meetings_and_at_most_three_more(demo_db_file, tmp_path):
    path = tmp_path / "planner.sqlite"
    shutil.copy(demo_db_file, path)
    db = open_db(path)
    plan_and_store(db, WEEK, DEFAULT_SETTINGS, solver="cp-sat", time_limit=10, actor="test")
    before = _meetings(db)
    # the person with the most meetings falls ill for the whole week
    counts: dict[str, int] = {}
    for staff, _day in before.values():
        for s in staff:
            counts[s] = counts.get(s, 0) + 1
    ill = max(sorted(counts), key=counts.get)
    store.add_absence(db, Absence(ill, MONDAY, MONDAY + timedelta(6), "sick_leave"))
    plan, _run = plan_and_store(db, WEEK, DEFAULT_SETTINGS, solver="cp-sat", time_limit=10, actor="test",
                                replan_conflicts=True)   # as "plan again" in the browser
    after = _meetings(db)
    theirs = {v for v, (staff, _day) in before.items() if ill in staff}
    others_changed = {v for v, was in before.items() if v not in theirs and after.get(v) != was}
    assert all(ill not in staff for staff, _day in after.values())
    assert len(others_changed) <= 3, f"{ill} fell ill; other meetings moved too: {sorted(others_changed)}"
    stats = plan["stats"]
    assert stats["meetings_before"] == len(before)
    assert stats["meetings_changed"] == len(theirs | others_changed)


def test_a_meeting_stays_with_its_person_and_day_unless_moving_it_saves_more_than_the_change_cost():
    """Two people at two offices, one visit nearer the south one. Planned from nothing, the south person goes on
    Monday; planned again over a draft that had the north person going on Tuesday, the draft stands (the north
    trip costs less than ``CHANGED`` more); with a draft far worse than that, the re-plan moves it."""
    from optimize_support import OFFICES, FakeTravel, MON, WEEK as W, person, visit
    from planner.core.availability import Availability
    from planner.core.settings import Settings
    from planner.optimize.instance import build_instance
    from planner.optimize.run import plan_week

    staff = [person("s", office="south"), person("n", office="north")]
    near_south = [visit("v", lat=60.9, earliest=MON, latest=MON + timedelta(1))]   # 100 km from south, 122 from north

    def plan(previous):
        inst = build_instance(W, MON, near_south, staff, OFFICES, Availability(staff), Settings(), FakeTravel(),
                              previous=previous)
        a = plan_week(inst, "cp-sat", time_limit=5)["assignments"][0]
        return a["staff"], a["date"]
    assert plan({}) == (["s"], MON.isoformat())
    # the north person's trip is 2 x 22 min longer, costs a little more and is a day later: under the change cost
    tuesday = MON + timedelta(1)
    assert plan({"v": (frozenset({"n"}), tuesday)})[0] == ["n"]
    # a draft that sent someone from far beyond is not kept: that costs far more than the change
    far = [visit("v", lat=63.5, earliest=MON, latest=MON + timedelta(1))]   # 389 km from south, 167 from north
    inst = build_instance(W, MON, far, staff, OFFICES, Availability(staff), Settings(), FakeTravel(),
                          previous={"v": (frozenset({"s"}), MON)})
    assert plan_week(inst, "cp-sat", time_limit=5)["assignments"][0]["staff"] == ["n"]


def _replanned_draft(demo_db_file, tmp_path):
    """The demo week planned by the optimizer, and the week as a re-plan reads it (its draft's trips)."""
    from planner.core.road_network import NetworkTravelModel
    from planner.planning.week_load import load_week
    path = tmp_path / "planner.sqlite"
    shutil.copy(demo_db_file, path)
    db = open_db(path)
    first, _run = plan_and_store(db, WEEK, DEFAULT_SETTINGS, solver="cp-sat", time_limit=10, actor="test")
    inst = load_week(db, WEEK, DEFAULT_SETTINGS, NetworkTravelModel(DEFAULT_SETTINGS))
    inst.precompute_travel()
    return db, first, inst


def test_the_drafts_trips_are_candidates_again_whatever_the_settings_leave_out(demo_db_file, tmp_path):
    from planner.optimize.candidates import CandidateGenerator
    db, first, inst = _replanned_draft(demo_db_file, tmp_path)
    travelling = sum(len(t["staff"]) for t in first["trips"])  # people going together share a trip
    assert len(inst.previous_trips) == travelling > 0
    # settings that make no chain and consider one person per visit
    cands = CandidateGenerator(inst, max_people=1, skill_people=0, max_chain=1).generate()
    assert len(cands.draft) == travelling and all(cands.draft)
    for (person, meetings), options in zip(inst.previous_trips, cands.draft):
        trip = cands.columns[options[0]]
        assert trip.staff == person and trip.visits == tuple(v for v, _start in meetings)
        assert trip.stops[0].lo <= inst.minute(meetings[0][1]) <= trip.stops[0].hi
    assert any(cands.columns[o[0]].kind == "chain" for o in cands.draft), "the demo draft chains some visits"


def test_planning_again_with_nothing_changed_starts_from_the_draft_and_keeps_it(demo_db_file, tmp_path):
    """Even the greedy solver, whose own plans differ from the optimizer's, gives the draft back unchanged."""
    db, first, _inst = _replanned_draft(demo_db_file, tmp_path)
    before = _meetings(db)
    again, _run = plan_and_store(db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="test")
    assert again["stats"]["start"] == "draft"
    assert again["stats"]["meetings_changed"] == 0 and _meetings(db) == before
    assert again["objective"] <= first["objective"] + 0.1


def test_the_draft_kept_loses_a_sick_persons_trips_and_the_team_visits_they_were_in(demo_db_file, tmp_path):
    from planner.core.road_network import NetworkTravelModel
    from planner.optimize.candidates import CandidateGenerator
    from planner.optimize.greedy import draft_kept
    from planner.planning.week_load import load_week
    db, first, _inst = _replanned_draft(demo_db_file, tmp_path)
    teams = [a for a in first["assignments"] if len(a["staff"]) > 1]
    assert teams, "the demo week has a team visit"
    ill = teams[0]["staff"][0]
    store.add_absence(db, Absence(ill, MONDAY, MONDAY + timedelta(6), "sick_leave"))
    inst = load_week(db, WEEK, DEFAULT_SETTINGS, NetworkTravelModel(DEFAULT_SETTINGS))
    inst.precompute_travel()
    cands = CandidateGenerator(inst).generate()
    kept = [cands.columns[i] for i in draft_kept(inst, cands)]
    kept_visits = {v for c in kept for v in c.visits}
    assert all(c.staff != ill for c in kept)
    assert teams[0]["visit"] not in kept_visits
    theirs = {a["visit"] for a in first["assignments"] if ill in a["staff"]}
    # everything else is kept but for the other visits of a trip that reached one of theirs
    along = {v for t in first["trips"] if theirs & set(t["visits"]) for v in t["visits"]}
    planned = {a["visit"] for a in first["assignments"]}
    assert planned - theirs - along <= kept_visits <= planned - theirs


def _visit_places_on_the_way(trip: dict, places: set[str]) -> set[str]:
    """The visits' places a trip's legs go to (its stations and airports are not visits' places)."""
    return {leg["to"] for leg in trip["legs"]} & places


def test_a_trip_that_loses_a_shared_meeting_is_planned_again_whole(demo_db_file, tmp_path):
    """A published trip goes on from a meeting shared with a colleague's trip to meetings of its own. The colleague
    declines their trip and the lead plans again: the shared meeting is planned again, and so is the trip that went
    on from it (before, it kept its route and costs through the meeting it no longer had)."""
    from planner.planning import actions
    path = tmp_path / "planner.sqlite"
    shutil.copy(demo_db_file, path)
    db = open_db(path)
    plan_and_store(db, WEEK, DEFAULT_SETTINGS, solver="cp-sat", time_limit=10, actor="test")
    actions.publish(db, WEEK, "lead")
    trips = plan_queries.trips_of_week(db, WEEK)
    shared = [(first, second) for first in trips for second in trips
              if first["staff"] != second["staff"] and len(second["meetings"]) >= 2
              and {m["id"] for m in first["meetings"]} & {m["id"] for m in second["meetings"]}]
    assert shared, "the demo plan has a trip going on from a meeting shared with another trip"
    declined, going_on = shared[0]
    actions.decline_trip(db, declined["id"], declined["staff"][0], "sick child")
    places = {v.place_name for v in store.load_visits(db, MONDAY, MONDAY + timedelta(6))}
    plan_and_store(db, WEEK, DEFAULT_SETTINGS, solver="cp-sat", time_limit=10, actor="lead", replan_conflicts=True)
    now = plan_queries.trips_of_week(db, WEEK)
    assert going_on["id"] not in {t["id"] for t in now}
    for trip in now:    # every trip's route goes to its own meetings and no others
        assert _visit_places_on_the_way(trip, places) <= {m["place_name"] for m in trip["meetings"]}, trip["id"]
