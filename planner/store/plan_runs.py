"""Storing a plan run, and what a run reads to notice edits made while it solves (all SQL of the weekly planner).

A plan run is a draft until a lead publishes it (issue 4); a new run of a week supersedes the earlier drafts of
that week (their trips stop holding people). Visits stay 'open': publishing, not planning, changes them.
Pinned meetings of the newest run of the week are carried into the new one.

Edits made while a run solves win (docs/planning.md, "Edits during a run"): the run notes what it read
(``read_state``, in the same snapshot as the week: ``planner.planning.week_load``); ``save_plan_run`` compares it
inside its write transaction, leaves every visit that changed meanwhile as it is now, with its meetings and trips,
and drops the run's own trips that would clash.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

from sqlite_utils import Database

from ..core.messages import json_tree, message, stored
from ..core.weeks import parse_week
from .concurrency import write_transaction
from .db import now_iso

SHARED_WITH_EDIT = message("shared_with_edit")


@dataclass
class ReadState:
    """What a plan run read when it started: versions of the week's visits and meetings, every active trip (who
    was busy) and every absence. Compared at commit, so a change made while the run solved is never overwritten."""
    week: str
    visits: dict[str, int] = field(default_factory=dict)
    meetings: dict[int, int] = field(default_factory=dict)
    trips: dict[str, int] = field(default_factory=dict)
    absences: frozenset = frozenset()
    draft_runs: frozenset = frozenset()  # the week's draft runs, which the run is about to replace


def _week_meetings(db: Database, week: str) -> dict[int, dict]:
    """Every meeting of the week's runs that are not superseded (any state), by id."""
    return {r["id"]: dict(r) for r in db.query(
        """select m.id, m.version, m.visit, m.state, m.plan_run, r.state as run_state from meetings m
           join plan_runs r on r.id = m.plan_run where r.week = ? and r.state != 'superseded'""", [week])}


def _active_trips(db: Database) -> dict[str, dict]:
    return {r["id"]: dict(r) for r in db.query(
        "select id, version, depart, [return] as ret, plan_run from plan_trips")}


def _absences(db: Database) -> frozenset:
    return frozenset((r["id"], r["staff"], r["from_date"], r["to_date"]) for r in db.query(
        "select id, staff, from_date, to_date from absences"))


def _draft_runs(db: Database, week: str) -> list[int]:
    return [r["id"] for r in db.query("select id from plan_runs where week = ? and state = 'draft'", [week])]


def read_state(db: Database, week: str) -> ReadState:
    monday, sunday = parse_week(week)
    visits = {r["id"]: r["version"] for r in db.query(
        "select id, version from visits where latest >= ? and earliest <= ?", [monday.isoformat(), sunday.isoformat()])}
    drafts = frozenset(_draft_runs(db, week))
    return ReadState(week, visits, {k: m["version"] for k, m in _week_meetings(db, week).items()},
                     {k: t["version"] for k, t in _active_trips(db).items()}, _absences(db), drafts)


def draft_trips_of_week(db: Database, week: str) -> set[str]:
    """The trips of the week's draft runs (any state): a new run is about to replace them."""
    return {r["id"] for r in db.query(
        "select t.id from trips t join plan_runs r on t.plan_run = r.id where r.week = ? and r.state = 'draft'", [week])}


def pinned_meetings_of_run(db: Database, run_id: int) -> list[dict]:
    """Visit, start and staff JSON of the run's pinned meetings, by visit."""
    return list(db.query("select visit, staff, start from meetings where plan_run = ? and pinned = 1 order by visit",
                         [run_id]))


def _test_pause(point: str) -> None:
    """Only for tests (tests/test_concurrent_edits.py): with PLANNER_TEST_PAUSE=<point>:<file>, the run writes <file>
    at <point> ('before-save': solved, nothing written; 'in-save': everything written, not committed) and waits
    until the file is removed (60 s at most)."""
    where, _, path = os.environ.get("PLANNER_TEST_PAUSE", "").partition(":")
    if where != point or not path:
        return
    Path(path).write_text(str(os.getpid()))
    deadline = time.monotonic() + 60
    while Path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def _overlaps(a_start: str, a_end: str, b_start: str, b_end: str) -> bool:
    return a_start < b_end and b_start < a_end


def merge_edits(db: Database, plan: dict, read: ReadState, old_runs: list[int]) -> tuple[list[int], list[str]]:
    """Inside the write transaction: what changed since ``read`` wins. Returns the meetings and trips of the old
    drafts to keep (moved into the new run), and removes from ``plan`` the assignments and trips that would
    overwrite or clash with a change; ``plan['edits_during_run']`` says what was left as edited and what was not
    planned because of it."""
    now_visits = {r["id"]: r["version"] for r in db.query(
        f"select id, version from visits where id in ({','.join('?' * len(read.visits))})", list(read.visits))}
    touched = {v for v, version in read.visits.items() if now_visits.get(v) != version}
    meetings = _week_meetings(db, read.week)
    touched |= {m["visit"] for k, m in meetings.items() if read.meetings.get(k) != m["version"]}
    # A draft the run meant to replace that was published meanwhile stays: all of its visits are left as they are.
    escaped = read.draft_runs - set(old_runs)
    touched |= {m["visit"] for m in meetings.values() if m["plan_run"] in escaped and m["state"] == "active"}
    # Old drafts: keep every active meeting of a touched visit, its trips, and what shares those trips.
    links: dict[int, set[str]] = {}
    reached: dict[str, set[int]] = {}
    if old_runs:
        marks = ",".join("?" * len(old_runs))
        for r in db.query(
                f"""select mt.meeting, mt.trip from meeting_trips mt join plan_meetings m on m.id = mt.meeting
                    join plan_trips t on t.id = mt.trip where m.plan_run in ({marks})""", old_runs):
            links.setdefault(r["meeting"], set()).add(r["trip"])
            reached.setdefault(r["trip"], set()).add(r["meeting"])
    in_old = {k for k, m in meetings.items() if m["plan_run"] in old_runs and m["state"] == "active"}
    keep_meetings = {k for k in in_old if meetings[k]["visit"] in touched}
    keep_trips: set[str] = set()
    while True:
        trips = {t for k in keep_meetings for t in links.get(k, ())}
        more = {k for t in trips for k in reached.get(t, ())} - keep_meetings
        keep_trips |= trips
        if not more:
            break
        keep_meetings |= more
        touched |= {meetings[k]["visit"] for k in more}
    # Who became busy while the run solved: trips made or changed since (and the kept ones), new absences.
    active = _active_trips(db)
    busy: dict[str, list[tuple[str, str]]] = {}
    new_trips = {t for t, row in active.items() if row["plan_run"] not in old_runs and (
        read.trips.get(t) != row["version"] or row["plan_run"] in escaped)} | keep_trips
    if new_trips:
        marks = ",".join("?" * len(new_trips))
        for r in db.query(f"""select ts.staff, t.depart, t.[return] as ret from trip_staff ts join trips t
                              on t.id = ts.trip where t.id in ({marks})""", sorted(new_trips)):
            busy.setdefault(r["staff"], []).append((r["depart"], r["ret"]))
    for _id, staff, first, last in _absences(db) - read.absences:  # whole days: up to the day after the last
        busy.setdefault(staff, []).append((first, (date.fromisoformat(last) + timedelta(1)).isoformat()))

    def clashes(trip: dict) -> bool:
        return any(_overlaps(trip["depart"], trip["return"], a, b) for s in trip["staff"] for a, b in busy.get(s, ()))

    dropped = {a["visit"] for a in plan["assignments"] if a["visit"] in touched}
    dropped_trips = {t["id"] for t in plan["trips"] if clashes(t)}
    while True:
        dropped_trips |= {t for a in plan["assignments"] if a["visit"] in dropped for t in a["trips"]}
        more = {a["visit"] for a in plan["assignments"] if set(a["trips"]) & dropped_trips} - dropped
        if not more:
            break
        dropped |= more
    scope = {a["visit"] for a in plan["assignments"]} | {u["visit"] for u in plan["unassigned"]}
    left = sorted((touched & scope) | {meetings[k]["visit"] for k in keep_meetings})
    not_planned = sorted(dropped - touched)
    plan["assignments"] = [a for a in plan["assignments"] if a["visit"] not in dropped]
    plan["trips"] = [t for t in plan["trips"] if t["id"] not in dropped_trips]
    plan["unassigned"] = [u for u in plan["unassigned"] if u["visit"] not in touched] + [
        {"visit": v, "reason": SHARED_WITH_EDIT} for v in not_planned]
    if left or not_planned:
        plan["edits_during_run"] = {"visits": left, "not_planned": not_planned,
                                    "kept_meetings": sorted(keep_meetings), "kept_trips": sorted(keep_trips)}
    return sorted(keep_meetings), sorted(keep_trips)


def save_plan_run(db: Database, plan: dict, created_by: str = "plan-week", read: ReadState | None = None,
                  then: Callable[[int], None] | None = None, before: Callable[[], object] | None = None) -> int:
    """Store ``plan`` as a draft plan run with its trips and meetings; earlier drafts of the week are superseded.
    Returns the plan run id. Trip ids in the database are the plan's own prefixed with the run ('r12-T01').

    ``read``: what the run read when it started; whatever changed since wins (``merge_edits``, which edits ``plan``
    to match what is stored). ``before()`` runs first inside the transaction (the run's own withdrawals) and
    ``then(run_id)`` last (the audit entry, the job row), so a process killed at any point leaves either all of it
    or none of it."""
    _test_pause("before-save")
    week = plan["week"]
    with write_transaction(db):
        if before is not None:
            before()
        old = _draft_runs(db, week)
        keep_meetings, keep_trips = merge_edits(db, plan, read, old) if read is not None else ([], [])
        run_id = db["plan_runs"].insert({
            "week": week, "created_at": now_iso(), "created_by": created_by, "solver": plan.get("solver", ""),
            "status": plan["status"], "objective": plan["objective"], "bound": plan["bound"], "gap": plan["gap"],
            "solve_seconds": plan["solve_seconds"], "state": "draft",
            "result": json.dumps(json_tree(plan), ensure_ascii=False),
        }).last_pk
        if keep_meetings:  # edits made while the run solved move into the new run, untouched
            db.execute(f"update meetings set plan_run = ? where id in ({','.join('?' * len(keep_meetings))})",
                       [run_id, *keep_meetings])
        if keep_trips:
            db.execute(f"update trips set plan_run = ? where id in ({','.join('?' * len(keep_trips))})",
                       [run_id, *keep_trips])
        if old:
            marks = ",".join("?" * len(old))
            db.execute(f"update plan_runs set state = 'superseded' where id in ({marks})", old)
            db.execute(f"update trips set state = 'superseded' where plan_run in ({marks})", old)
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
                "explanation": stored(a.get("explanation"))}).last_pk
            db["meeting_trips"].insert_all([{"meeting": meeting, "trip": db_id[t]} for t in a["trips"]])
        if then is not None:
            then(run_id)
        _test_pause("in-save")
    return run_id
