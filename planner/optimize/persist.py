"""Reading a week to plan from the database, and writing a plan run (all in one transaction).

A plan run is a draft until a lead publishes it (issue 4); a new run of a week supersedes the earlier drafts of
that week (their trips stop holding people). Visits stay 'open': publishing, not planning, changes them.
Pinned meetings of the newest run of the week are carried into the new one.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlite_utils import Database

from .. import store
from ..availability import Availability
from ..db import now_iso
from ..settings import Settings
from ..weeks import parse_week
from .instance import Pin, WeekInstance, build_instance


def load_pins(db: Database, week: str) -> list[Pin]:
    """Pinned meetings of the newest plan run of ``week``."""
    run = next(db.query("select id from plan_runs where week = ? order by id desc limit 1", [week]), None)
    if run is None:
        return []
    rows = db.query("select visit, staff, start from meetings where plan_run = ? and pinned = 1 order by visit",
                    [run["id"]])
    return [Pin(r["visit"], tuple(sorted(json.loads(r["staff"] or "[]"))), datetime.fromisoformat(r["start"]))
            for r in rows]


def load_week(db: Database, week: str, settings: Settings, travel_model) -> WeekInstance:
    """The open visits whose window meets ``week``, the team, and who is free (trips of other weeks' runs and of
    published runs hold people; this week's drafts are about to be replaced and do not)."""
    monday, sunday = parse_week(week)
    visits = store.load_visits(db, monday, sunday, statuses=["open"])
    staff = list(store.load_staff(db).values())
    replaced = {r["id"] for r in db.query(
        "select t.id from trips t join plan_runs r on t.plan_run = r.id where r.week = ? and r.state = 'draft'", [week])}
    busy = [b for b in store.load_busy(db) if b.label.removeprefix("trip ") not in replaced]
    open_ids = {v.id for v in visits}
    pins = [p for p in load_pins(db, week) if p.visit in open_ids]
    return build_instance(week, monday, visits, staff, store.load_offices(db),
                          Availability(staff, store.load_absences(db), busy), settings, travel_model, pins)


def save_plan_run(db: Database, plan: dict, created_by: str = "plan-week") -> int:
    """Store ``plan`` as a draft plan run with its trips and meetings; earlier drafts of the week are superseded.
    Returns the plan run id. Trip ids in the database are the plan's own prefixed with the run ('r12-T01')."""
    week = plan["week"]
    with db.atomic():
        old = [r["id"] for r in db.query("select id from plan_runs where week = ? and state = 'draft'", [week])]
        if old:
            marks = ",".join("?" * len(old))
            db.execute(f"update plan_runs set state = 'superseded' where id in ({marks})", old)
            db.execute(f"update trips set state = 'superseded' where plan_run in ({marks})", old)
        run_id = db["plan_runs"].insert({
            "week": week, "created_at": now_iso(), "created_by": created_by, "solver": plan.get("solver", ""),
            "status": plan["status"], "objective": plan["objective"], "bound": plan["bound"], "gap": plan["gap"],
            "solve_seconds": plan["solve_seconds"], "state": "draft",
            "result": json.dumps(plan, ensure_ascii=False),
        }).last_pk
        db_id = {t["id"]: f"r{run_id}-{t['id']}" for t in plan["trips"]}
        db["trips"].insert_all([{
            "id": db_id[t["id"]], "plan_run": run_id, "office": t["office"], "depart": t["depart"],
            "return": t["return"], "travel_minutes": t["travel_minutes"], "distance_km": t["distance_km"],
            "cost_eur": t["cost_eur"], "nights": t["nights"], "legs": json.dumps(t["legs"], ensure_ascii=False),
            "state": "draft", "version": 1} for t in plan["trips"]])
        db["trip_staff"].insert_all([{"trip": db_id[t["id"]], "staff": s} for t in plan["trips"] for s in t["staff"]])
        for a in plan["assignments"]:
            meeting = db["meetings"].insert({
                "plan_run": run_id, "visit": a["visit"], "start": a["start"], "end": a["end"],
                "staff": json.dumps(a["staff"]), "pinned": int(bool(a.get("pinned"))),
                "explanation": a.get("explanation", "")}).last_pk
            db["meeting_trips"].insert_all([{"meeting": meeting, "trip": db_id[t]} for t in a["trips"]])
    return run_id
