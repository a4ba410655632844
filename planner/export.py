"""``planner export``: a week's visit requests with the newest plan for that week, as JSON or CSV."""
from __future__ import annotations

import csv
import io
import json

from sqlite_utils import Database

from . import store
from .weeks import parse_week

CSV_COLUMNS = ["visit", "kind", "place", "earliest", "latest", "duration_min", "staff_needed", "priority", "status",
               "date", "start", "end", "staff", "trips", "unassigned_reason"]


def visit_document(visit) -> dict:
    """A visit in the import format (so an export can be imported again)."""
    doc = {"id": visit.id, "kind": visit.kind, "earliest": visit.earliest.isoformat(),
           "latest": visit.latest.isoformat(), "duration_min": visit.duration_min,
           "staff_needed": visit.staff_needed, "skills": sorted(visit.skills), "languages": sorted(visit.languages),
           "interpreter": visit.interpreter, "priority": visit.priority}
    doc.update({"place": visit.place} if visit.place else {"lat": visit.lat, "lon": visit.lon})
    if visit.case_code:
        doc["case"] = visit.case_code
    if visit.preferred_staff:
        doc["preferred_staff"] = visit.preferred_staff
    return doc


def export_week(db: Database, week: str) -> dict:
    """The plan JSON of the newest plan run for ``week`` (status UNPLANNED with every visit unassigned when there
    is none), plus ``visits``: the week's requests in the import format."""
    monday, sunday = parse_week(week)
    visits = store.load_visits(db, monday, sunday)
    run = next(db.query("select * from plan_runs where week = ? and state != 'superseded' order by id desc limit 1",
                        [week]), None)
    if run and run["result"]:
        plan = json.loads(run["result"])
    else:
        plan = {"week": week, "status": "UNPLANNED", "objective": None, "bound": None, "gap": None,
                "solve_seconds": 0.0, "assignments": [], "trips": [],
                "unassigned": [{"visit": v.id, "reason": "not planned yet"} for v in visits]}
    plan["visits"] = [visit_document(v) for v in visits]
    return plan


def export_csv(plan: dict) -> str:
    """One row per visit: the request and its assignment, or why it is unassigned."""
    assigned = {a["visit"]: a for a in plan["assignments"]}
    reasons = {u["visit"]: u["reason"] for u in plan["unassigned"]}
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for v in plan["visits"]:
        a = assigned.get(v["id"], {})
        writer.writerow({
            "visit": v["id"], "kind": v["kind"], "place": v.get("place") or f"{v['lat']},{v['lon']}",
            "earliest": v["earliest"], "latest": v["latest"], "duration_min": v["duration_min"],
            "staff_needed": v["staff_needed"], "priority": v["priority"], "status": "assigned" if a else "unassigned",
            "date": a.get("date", ""), "start": a.get("start", ""), "end": a.get("end", ""),
            "staff": " ".join(a.get("staff", [])), "trips": " ".join(a.get("trips", [])),
            "unassigned_reason": reasons.get(v["id"], ""),
        })
    return out.getvalue()
