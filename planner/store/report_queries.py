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
