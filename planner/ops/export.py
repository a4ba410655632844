"""``planner export``: a week's visit requests with its plan as it stands (the newest run with the edits made
since), as JSON or CSV."""
from __future__ import annotations

import csv
import io
import json

from sqlite_utils import Database

from .. import store
from ..core.messages import english
from ..core.weeks import parse_week

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
    """The week's plan as it stands, in the plan JSON format, plus ``visits``: the week's requests in the import
    format.

    ``status``, ``objective``, ``bound``, ``gap`` and ``solve_seconds`` are the newest plan run's, as solved
    (UNPLANNED with every visit unassigned when there is none). ``assignments``, ``trips`` and ``unassigned`` are
    read from the database, so a lead's edits since the run (moves, hand assignments, pins, withdrawn meetings,
    published trips) are in them; trip ids are the database's (``r12-T01``), each trip also carries its ``state``
    (draft or published). ``edited`` says whether the assignments differ from the run's own plan (then its
    objective and gap describe the plan as solved, not as edited)."""
    from ..store.plan_queries import meetings_of_week, newest_run, trips_of_week

    monday, sunday = parse_week(week)
    visits = store.load_visits(db, monday, sunday)
    run = newest_run(db, week)  # never superseded: a run supersedes only the drafts before it
    solved = json.loads(run["result"]) if run and run["result"] else None
    plan = {"week": week, "status": "UNPLANNED", "solver": None, "objective": None, "bound": None, "gap": None,
            "solve_seconds": 0.0}
    if solved:
        plan.update({key: solved.get(key) for key in ("status", "solver", "objective", "bound", "gap",
                                                      "solve_seconds")})
    week_ids = {v.id for v in visits}
    meetings = [m for m in meetings_of_week(db, week) if m["visit"] in week_ids]
    plan["assignments"] = [{
        "visit": m["visit"], "staff": sorted(m["staff"]), "date": m["start"][:10], "start": m["start"],
        "end": m["end"], "trips": m["trips"], "explanation": english(m["explanation"]), "pinned": bool(m["pinned"]),
    } for m in meetings]
    plan["trips"] = [{
        "id": t["id"], "staff": t["staff"], "office": t["office"], "depart": t["depart"], "return": t["return"],
        "travel_minutes": t["travel_minutes"], "distance_km": t["distance_km"], "cost_eur": t["cost_eur"],
        "nights": t["nights"], "legs": t["legs"], "visits": [m["visit"] for m in t["meetings"]], "state": t["state"],
    } for t in trips_of_week(db, week)]
    planned = {a["visit"] for a in plan["assignments"]}
    reasons = {u["visit"]: english(u["reason"]) for u in (solved or {}).get("unassigned", [])}
    plan["unassigned"] = [{"visit": v.id, "reason": reasons.get(v.id, "not planned yet")}
                          for v in visits if v.id not in planned]
    as_solved = {(a["visit"], tuple(sorted(a["staff"])), a["start"]) for a in (solved or {}).get("assignments", [])}
    plan["edited"] = {(a["visit"], tuple(a["staff"]), a["start"]) for a in plan["assignments"]} != as_solved
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
