"""Writing a lead's or a person's edits to the plan: runs made by hand, meetings and their trips, withdrawing,
pinning, publishing and "I can't make this trip". The rules (what may change, in which transaction, what is
audited) are ``planner.planning.actions``'; these only write."""
from __future__ import annotations

from sqlite_utils import Database

from .db import now_iso


def newest_draft_run(db: Database, week: str) -> int | None:
    row = next(db.query("select id from plan_runs where week = ? and state = 'draft' order by id desc limit 1",
                        [week]), None)
    return row["id"] if row else None


def add_plan_run(db: Database, row: dict) -> int:
    return db["plan_runs"].insert(row).last_pk


def withdraw_meeting(db: Database, meeting_id: int) -> list[str]:
    """Mark a meeting replaced and supersede its trips that reach no other active meeting; returns those trips.
    A replaced meeting is never a pin (the optimizer reads pins by ``pinned`` alone)."""
    db.execute("update meetings set state = 'replaced', pinned = 0 where id = ?", [meeting_id])
    gone = []
    for r in db.query("select trip from meeting_trips where meeting = ?", [meeting_id]):
        others = next(db.query(
            "select count(*) as n from meeting_trips mt join plan_meetings m on m.id = mt.meeting where mt.trip = ?",
            [r["trip"]]))["n"]
        if not others:
            db.execute("update trips set state = 'superseded' where id = ?", [r["trip"]])
            gone.append(r["trip"])
    return gone


def add_meeting(db: Database, row: dict) -> int:
    return db["meetings"].insert(row).last_pk


def add_trip(db: Database, row: dict, staff_ids: list[str], meeting_id: int) -> None:
    """A trip with the people on it, reaching the meeting."""
    db["trips"].insert(row)
    db["trip_staff"].insert_all([{"trip": row["id"], "staff": s} for s in staff_ids])
    db["meeting_trips"].insert({"meeting": meeting_id, "trip": row["id"]})


def set_visit_status(db: Database, visit_id: str, status: str) -> None:
    db.execute("update visits set status = ?, updated_at = ? where id = ?", [status, now_iso(), visit_id])


def set_pinned(db: Database, meeting_id: int, pinned: bool) -> None:
    db.execute("update meetings set pinned = ? where id = ?", [int(pinned), meeting_id])


def publish_trip(db: Database, trip_id: str, plan_run: int) -> None:
    """The trip is published, and so is its run."""
    db.execute("update trips set state = 'published', version = version + 1 where id = ?", [trip_id])
    db.execute("update plan_runs set state = 'published' where id = ?", [plan_run])


def unpublish_trip(db: Database, trip_id: str) -> None:
    """The trip is a draft again (its run keeps its state: its other trips may stay published)."""
    db.execute("update trips set state = 'draft', version = version + 1 where id = ?", [trip_id])


def add_decline(db: Database, trip_id: str, staff_id: str, reason: str) -> None:
    """Record "I can't make this trip"; the answer bumps the trip's version."""
    db.execute("update trips set version = version + 1 where id = ?", [trip_id])
    db["trip_declines"].insert({"trip": trip_id, "staff": staff_id, "reason": reason, "created_at": now_iso()})


def resolve_declines_if_superseded(db: Database, trip_id: str) -> None:
    """The trip's open "can't make it" answers are resolved once the trip is superseded."""
    db.execute("""update trip_declines set resolved_at = ? where trip = ? and resolved_at is null
                  and trip in (select id from trips where state = 'superseded')""", [now_iso(), trip_id])

