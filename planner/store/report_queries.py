"""What the reports read (``planner.planning.reports``): the visits asked for in a period, and why the newest plan
of their week left each one out."""
from __future__ import annotations

import json
from datetime import date

from sqlite_utils import Database


def visits_requested(db: Database, start: date, end: date) -> list[dict]:
    """Visits whose first possible day is in [start, end]: id, kind, region, on_aland, earliest and status."""
    return [dict(r) for r in db.query(
        """select id, kind, region, on_aland, earliest, status from visits
           where earliest >= ? and earliest <= ? order by earliest, id""", [start.isoformat(), end.isoformat()])]


def reasons_left_out(db: Database, weeks: list[str]) -> dict[str, dict]:
    """Per visit, the reason (a message as data) the newest plan run of its week gave for leaving it out."""
    out: dict[str, dict] = {}
    for week in weeks:
        run = next(db.query("""select result from plan_runs where week = ? and state != 'superseded'
                               and result is not null order by id desc limit 1""", [week]), None)
        for item in (json.loads(run["result"]).get("unassigned", []) if run else []):
            out[item["visit"]] = item.get("reason")
    return out


def newest_plan_runs(db: Database, weeks: list[str]) -> list[dict]:
    """Per week, its newest plan run made by the planner (not by hand): week, status, gap and the plan JSON."""
    out = []
    for week in weeks:
        run = next(db.query("""select week, status, gap, result from plan_runs where week = ? and solver != 'manual'
                               and result is not null order by id desc limit 1""", [week]), None)
        if run is not None:
            out.append({**dict(run), "result": json.loads(run["result"])})
    return out


def published_meeting_explanations(db: Database, start: date, end: date) -> list[dict | None]:
    """The explanations (messages as data) of the active meetings on published trips, meeting in [start, end]."""
    rows = db.query("""select distinct m.id, m.explanation from plan_meetings m
                       join meeting_trips mt on mt.meeting = m.id join trips t on t.id = mt.trip
                       where t.state = 'published' and substr(m.start, 1, 10) between ? and ?""",
                    [start.isoformat(), end.isoformat()])
    out = []
    for row in rows:
        try:
            out.append(json.loads(row["explanation"]) if row["explanation"] else None)
        except ValueError:
            out.append(None)
    return out
