"""The planning actions (``planner.planning.actions``, ``conflicts``, ``changes``) and the plan queries
(``planner.store.plan_queries``) called directly on a real database (the demo week, planned by the
greedy solver): conflicts, withdrawing, publishing and what a plan run changed."""
from __future__ import annotations

from datetime import date, timedelta

from planner import store

from planner.planning import actions
from planner.planning.changes import plan_changes
from planner.planning.conflicts import conflicts
from planner.store import plan_edits, plan_queries
from planner.core.records import Absence
from test_concurrent_edits import plan_now
from web_support import MONDAY, WEEK

SUNDAY = MONDAY + timedelta(6)


def test_an_absence_and_a_decline_are_conflicts_of_the_trips_they_touch(web_db):
    plan_now(web_db)
    first, second = plan_queries.trips_of_week(web_db, WEEK)[:2]
    assert conflicts(web_db, MONDAY, SUNDAY) == []
    day = date.fromisoformat(first["depart"][:10])
    store.add_absence(web_db, Absence(first["staff"][0], day, day, "sick_leave"))
    actions.decline_trip(web_db, second["id"], second["staff"][0], "koulutus")
    found = {(c["kind"], c["trip"]) for c in conflicts(web_db, MONDAY, SUNDAY)}
    assert ("absent", first["id"]) in found and ("declined", second["id"]) in found


def test_withdrawing_a_trips_only_meeting_supersedes_the_trip(web_db):
    plan_now(web_db)
    trips = plan_queries.trips_of_week(web_db, WEEK)
    # one person's meeting: a team's from two offices is on two trips, and withdrawing it supersedes both
    trip = next(t for t in trips if len(t["meetings"]) == 1 and len(t["meetings"][0]["staff"]) == 1)
    gone = plan_edits.withdraw_meeting(web_db, trip["meetings"][0]["id"])
    assert gone == [trip["id"]] and web_db["trips"].get(trip["id"])["state"] == "superseded"
    assert trip["id"] not in {t["id"] for t in plan_queries.trips_of_week(web_db, WEEK)}
    assert plan_queries.active_meetings_of_visit(web_db, trip["meetings"][0]["visit"]) == []


def test_publishing_marks_the_visits_planned_and_staff_see_only_published_trips(web_db):
    plan_now(web_db)
    trips = plan_queries.trips_of_week(web_db, WEEK)
    one = trips[0]
    assert actions.publish(web_db, WEEK, "lead", [one["id"]]) == 1
    person = one["staff"][0]
    seen = plan_queries.trips_between(web_db, MONDAY, SUNDAY, person, published_only=True)
    assert [t["id"] for t in seen] == [one["id"]]
    assert all(store.load_visit(web_db, m["visit"]).status == "planned" for m in one["meetings"])
    assert actions.publish(web_db, WEEK, "lead") == len(trips) - 1


def test_what_changed_lists_only_the_visits_the_newest_run_planned(web_db):
    plan_now(web_db)
    actions.publish(web_db, WEEK, "lead")
    published = {m["visit"] for m in plan_queries.meetings_of_week(web_db, WEEK)}
    trip = plan_queries.trips_of_week(web_db, WEEK)[0]
    plan_edits.withdraw_meeting(web_db, trip["meetings"][0]["id"])  # one visit open again
    reopened = trip["meetings"][0]["visit"]
    web_db.execute("update visits set status = 'open' where id = ?", [reopened])
    plan_now(web_db)  # plans only the open visit; the published ones stay as they are
    run, changes = plan_changes(web_db, WEEK)
    assert run is not None and {c["visit"] for c in changes} <= {reopened}
    assert not ({c["visit"] for c in changes} & (published - {reopened}))
