"""Reading the week's plan as it stands: the views ``plan_trips`` and ``plan_meetings`` (migration
``0011_plan_views``) with their people, legs, meetings and visits, and the plan runs that made them."""
from __future__ import annotations

import json
from datetime import date, timedelta

from sqlite_utils import Database

from ..core.messages import as_message
from ..core.weeks import parse_week
from .records import load_visits


def _loads(text: str | None, default):
    return json.loads(text) if text else default


def newest_run(db: Database, week: str) -> dict | None:
    return next(db.query("select * from plan_runs where week = ? order by id desc limit 1", [week]), None)


def trips_between(db: Database, start: date, end: date, staff_id: str | None = None,
                  published_only: bool = False) -> list[dict]:
    """Active trips that overlap [start, end] (whole days), with ``staff`` (ids), ``legs`` and ``meetings``
    (active meetings they reach, each with its visit row); oldest departure first."""
    where = ["t.depart < ?", "t.[return] >= ?"]
    params: list = [(end + timedelta(1)).isoformat(), start.isoformat()]
    if published_only:
        where.append("t.state = 'published'")
    if staff_id:
        where.append("t.id in (select trip from trip_staff where staff = ?)")
        params.append(staff_id)
    rows = list(db.query(
        f"select * from plan_trips t where {' and '.join(where)} order by t.depart, t.id", params))
    return _with_details(db, rows)


def trips_of_week(db: Database, week: str) -> list[dict]:
    """Active trips of the week's plan runs (drafts and published), with staff, legs and meetings."""
    rows = list(db.query(
        "select * from plan_trips where week = ? order by depart, id", [week]))
    return _with_details(db, rows)


def _with_details(db: Database, rows: list[dict]) -> list[dict]:
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    marks = ",".join("?" * len(ids))
    staff: dict[str, list[str]] = {}
    for r in db.query(f"select trip, staff from trip_staff where trip in ({marks}) order by staff", ids):
        staff.setdefault(r["trip"], []).append(r["staff"])
    meetings: dict[str, list[dict]] = {}
    for r in db.query(
            f"""select mt.trip, m.*, v.place_name, v.kind, v.case_code, v.earliest, v.latest, v.duration_min,
                       v.lat, v.lon, v.on_aland, v.status as visit_status
                from meeting_trips mt join plan_meetings m on m.id = mt.meeting join visits v on v.id = m.visit
                where mt.trip in ({marks}) order by m.start""", ids):
        r = dict(r)
        r["staff"] = _loads(r["staff"], [])
        meetings.setdefault(r.pop("trip"), []).append(r)
    out = []
    for r in rows:
        r = dict(r)
        r["staff"] = staff.get(r["id"], [])
        r["legs"] = _loads(r["legs"], [])
        r["meetings"] = meetings.get(r["id"], [])
        out.append(r)
    return out


def meetings_of_week(db: Database, week: str) -> list[dict]:
    """Active meetings of the week's active runs, with their visit's place and window and their trip ids."""
    rows = [dict(r) for r in db.query(
        """select m.*, v.place_name, v.kind, v.case_code, v.earliest, v.latest, v.duration_min, v.staff_needed,
                  v.priority, v.status as visit_status
           from plan_meetings m join visits v on v.id = m.visit where m.week = ? order by m.start""", [week])]
    for r in rows:
        r["staff"] = _loads(r["staff"], [])
        r["trips"] = [t["trip"] for t in db.query(
            "select mt.trip from meeting_trips mt join plan_trips t on t.id = mt.trip where mt.meeting = ? "
            "order by mt.trip", [r["id"]])]
    return rows


def unassigned_of_week(db: Database, week: str) -> list[dict]:
    """Open visits of the week with no active meeting, each with the newest plan run's reason when it gave one."""
    monday, sunday = parse_week(week)
    planned = {m["visit"] for m in meetings_of_week(db, week)}
    run = newest_run(db, week)
    why = {u["visit"]: as_message(u["reason"]) for u in _loads(run["result"], {}).get("unassigned", [])} if run else {}
    return [{"visit": v, "reason": why.get(v.id)}
            for v in load_visits(db, monday, sunday, statuses=["open"]) if v.id not in planned]


def active_meetings_of_visit(db: Database, visit_id: str) -> list[dict]:
    return [dict(r) for r in db.query("select * from plan_meetings where visit = ?", [visit_id])]


def trips_of_meeting(db: Database, meeting_id: int) -> list[str]:
    """The ids of every trip linked to the meeting (superseded ones too)."""
    return [r["trip"] for r in db.query("select trip from meeting_trips where meeting = ?", [meeting_id])]


def trips_reaching(db: Database, meeting_ids) -> list[str]:
    """The trips of the plan as it stands (not superseded) that reach any of the meetings, by id."""
    meetings = sorted(meeting_ids)
    marks = ",".join("?" * len(meetings))
    return [r["trip"] for r in db.query(
        f"""select distinct mt.trip from meeting_trips mt join plan_trips t on t.id = mt.trip
            where mt.meeting in ({marks}) order by mt.trip""", meetings)]


def lost_meetings(db: Database, trip_ids) -> dict[str, list[str]]:
    """Trip → the places of the meetings it reached that were moved or withdrawn since (its route still goes
    there), for the trips that have any."""
    trips = sorted(trip_ids)
    marks = ",".join("?" * len(trips))
    out: dict[str, list[str]] = {}
    for r in db.query(f"""select mt.trip, v.place_name from meeting_trips mt join meetings m on m.id = mt.meeting
                          join visits v on v.id = m.visit
                          where m.state = 'replaced' and mt.trip in ({marks}) order by mt.trip, m.start""", trips):
        out.setdefault(r["trip"], []).append(r["place_name"])
    return out


def meetings_reaching(db: Database, trip_ids) -> list[dict]:
    """The active meetings the trips reach: id, visit and version, by id."""
    trips = sorted(trip_ids)
    marks = ",".join("?" * len(trips))
    return [dict(r) for r in db.query(
        f"""select distinct m.id, m.visit, m.version from meeting_trips mt join plan_meetings m on m.id = mt.meeting
            where mt.trip in ({marks}) order by m.id""", trips)]


def meeting_with_week(db: Database, meeting_id: int) -> dict | None:
    """The meeting's row (any state) with its run's week."""
    return next(db.query(
        "select m.*, r.week from meetings m join plan_runs r on r.id = m.plan_run where m.id = ?", [meeting_id]), None)


def trip_with_week(db: Database, trip_id: str) -> dict | None:
    """The trip's id and its run's week (any state)."""
    return next(db.query("select t.id, r.week from trips t join plan_runs r on r.id = t.plan_run where t.id = ?",
                         [trip_id]), None)


def trip_details(db: Database, trip_id: str) -> dict | None:
    """One trip (any state) with its ``staff``, ``legs`` and ``meetings`` as ``trips_between`` gives them."""
    rows = _with_details(db, list(db.query("select * from trips where id = ?", [trip_id])))
    return rows[0] if rows else None


def staff_of_trip(db: Database, trip_id: str) -> list[str]:
    return [r["staff"] for r in db.query("select staff from trip_staff where trip = ? order by staff", [trip_id])]


def trip_of_staff(db: Database, trip_id: str, staff_id: str) -> dict | None:
    """The trip's row (any state) when ``staff_id`` travels on it."""
    return next(db.query(
        """select t.* from trips t join trip_staff ts on ts.trip = t.id
           where t.id = ? and ts.staff = ?""", [trip_id, staff_id]), None)


def open_declines(db: Database) -> list[dict]:
    """"I can't make this trip" answers not resolved yet, oldest first."""
    return list(db.query("select * from trip_declines where resolved_at is null order by id"))


def open_declined_trips(db: Database, staff_id: str) -> set[str]:
    """The trips ``staff_id`` said they can't make, not resolved yet."""
    return {r["trip"] for r in db.query(
        "select trip from trip_declines where staff = ? and resolved_at is null", [staff_id])}


def newest_optimizer_run(db: Database, week: str) -> dict | None:
    """The week's newest plan run made by the optimizer (not by hand)."""
    return next(db.query("select * from plan_runs where week = ? and solver != 'manual' order by id desc limit 1",
                         [week]), None)


def meetings_of_run(db: Database, run_id: int) -> list[dict]:
    """Who goes and when (visit, start, staff ids) for every meeting the run made, in the order it made them."""
    return _with_staff(db.query("select visit, start, staff from meetings where plan_run = ? order by id", [run_id]))


def meetings_before_run(db: Database, week: str, run_id: int) -> list[dict]:
    """Visit, start and staff ids of every meeting of the week's runs older than ``run_id``, oldest first."""
    return _with_staff(db.query(
        """select m.visit, m.start, m.staff from meetings m join plan_runs r on r.id = m.plan_run
           where r.week = ? and r.id < ? order by m.id""", [week, run_id]))


def _with_staff(rows) -> list[dict]:
    return [{**r, "staff": _loads(r["staff"], [])} for r in rows]
