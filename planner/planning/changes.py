"""What changed: how the newest plan run changed the week's plan (for the lead), and how a person's schedule
changed since they last looked."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlite_utils import Database

from ..core.local_time import helsinki_today
from ..store import plan_queries

LOOK_BACK, LOOK_AHEAD = 7, 180  # days of trips that "what changed", the calendar feed and the notices cover


def upcoming_trips(db: Database, staff_id: str) -> list[dict]:
    """The person's published trips from a week ago to half a year ahead: their schedule as they see it."""
    today = helsinki_today()
    return plan_queries.trips_between(db, today - timedelta(LOOK_BACK), today + timedelta(LOOK_AHEAD), staff_id,
                                      published_only=True)


def plan_changes(db: Database, week: str) -> tuple[dict | None, list[dict]]:
    """How the newest plan run of the week changed the plan: per visit it planned or left out, who and when before
    (the visit's newest meeting in an earlier run of the week) and after. Visits the run did not plan (published
    ones it left as they are) are no change. Returns (the newest run, with its plan JSON's ``optimal_over``,
    changes)."""
    run = plan_queries.newest_optimizer_run(db, week)
    if run is None:
        return None, []
    new = _assignments_by_visit(plan_queries.meetings_of_run(db, run["id"]))
    result = json.loads(run["result"] or "{}")
    # what a plan proven optimal is optimal over (its JSON's): the page says "best possible" only of every trip
    run = {**run, "optimal_over": result.get("optimal_over")}
    scope = {a["visit"] for a in result.get("assignments", [])} | {u["visit"] for u in result.get("unassigned", [])}
    old = _assignments_by_visit(plan_queries.meetings_before_run(db, week, run["id"]))  # the newest meeting wins
    changes = []
    for visit in sorted(scope | set(new)):
        before, after = old.get(visit), new.get(visit)
        if before != after:
            changes.append({"visit": visit, "before": before, "after": after})
    return run, changes


def _assignments_by_visit(rows) -> dict[str, dict]:
    """Who goes and when, per visit, from meeting rows (a later row of the same visit wins)."""
    return {r["visit"]: {"start": r["start"], "staff": r["staff"]} for r in rows}


def schedule_snapshot(trips: list[dict]) -> dict[str, list]:
    """What a person saw of a trip: times, and where and when its meetings are."""
    return {t["id"]: [t["depart"], t["return"], [[m["place_name"], m["start"]] for m in t["meetings"]]]
            for t in trips}


def schedule_changes(before: dict | None, trips: list[dict]) -> list[dict]:
    """Trips added, changed or removed since ``before`` (a snapshot); none on the first look."""
    if before is None:
        return []
    now = schedule_snapshot(trips)
    out = []
    for trip_id in sorted(set(before) | set(now)):
        if trip_id not in before:
            out.append({"change": "added", "trip": trip_id, "now": now[trip_id]})
        elif trip_id not in now:
            out.append({"change": "removed", "trip": trip_id, "was": before[trip_id]})
        elif before[trip_id] != now[trip_id]:
            out.append({"change": "changed", "trip": trip_id, "was": before[trip_id], "now": now[trip_id]})
    return out
