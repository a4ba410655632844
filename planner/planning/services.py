"""Planning actions shared by the web views and the CLI: proposals from the database, assigning an option,
the week's active plan, publishing, conflicts and re-opening, and what changed.

Flask-free: every function takes the database (and settings) and returns plain values.

The week's plan is the union of the active parts of its plan runs: a run that is not superseded, its meetings whose
state is 'active' and its trips that are not superseded, written once as the SQL views ``plan_meetings`` and
``plan_trips`` (migration ``0011_plan_views``). A trip is a draft until a lead publishes it; staff see
only published trips. Publishing marks the visits 'planned', so the weekly optimizer leaves them alone; a conflict
(an absence, "I can't make this trip", a visit moved out of its window) re-opens them when the lead plans again.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import replace
from datetime import date, timedelta
from typing import Iterable

from sqlite_utils import Database

from .. import store
from ..core.availability import Availability, days
from ..core.messages import Message, as_message, keep, message, stored
from ..core.reasons import reasons
from ..store.concurrency import StaleEdit, check_version, week_plan_version, write_transaction
from ..store.db import audit, now_iso
from ..core.records import Visit
from ..core.propose import Proposer
from ..core.settings import Settings
from ..core.travel import travel_model
from ..core.weeks import parse_week, week_of


# Proposals ---------------------------------------------------------------------------------------------------

def make_proposer(db: Database, settings: Settings, staff_ids: Iterable[str] | None = None,
                  exclude_trips: Iterable[str] = ()) -> Proposer:
    """A Proposer over the team (or only ``staff_ids``) with everyone's absences and the trips already planned,
    except ``exclude_trips`` (the trips an assignment being moved is about to give up)."""
    staff = store.load_staff(db)
    people = [staff[s] for s in staff_ids if s in staff] if staff_ids is not None else list(staff.values())
    skip = set(exclude_trips)
    busy = [b for b in store.load_busy(db) if b.label.removeprefix("trip ") not in skip]
    availability = Availability(staff.values(), store.load_absences(db), busy)
    return Proposer(people, store.load_offices(db), availability, travel_model(settings), settings)


def option_key(option: dict) -> str:
    """A stable key for a proposal option (its day, start and people), so a click assigns what was shown."""
    return f"{option['start']}|{','.join(sorted(option['staff']))}"


# The week's active plan --------------------------------------------------------------------------------------

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
            for v in store.load_visits(db, monday, sunday, statuses=["open"]) if v.id not in planned]


# Assigning, moving, pinning -----------------------------------------------------------------------------------

def _draft_run(db: Database, week: str, actor: str) -> int:
    """The week's newest draft plan run, or a new empty one for assignments made by hand."""
    row = next(db.query("select id from plan_runs where week = ? and state = 'draft' order by id desc limit 1",
                        [week]), None)
    if row:
        return row["id"]
    empty = {"week": week, "status": "MANUAL", "solver": "manual", "objective": None, "bound": None, "gap": None,
             "solve_seconds": 0.0, "assignments": [], "trips": [], "unassigned": []}
    return db["plan_runs"].insert({
        "week": week, "created_at": now_iso(), "created_by": actor, "solver": "manual", "status": "MANUAL",
        "solve_seconds": 0.0, "state": "draft", "result": json.dumps(empty)}).last_pk


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


def active_meetings_of_visit(db: Database, visit_id: str) -> list[dict]:
    return [dict(r) for r in db.query("select * from plan_meetings where visit = ?", [visit_id])]


def assign_option(db: Database, visit: Visit, option: dict, actor: str, explanation: Message | None = None,
                  pinned: bool = True, visit_version: int | None = None,
                  replaces: tuple[int, int | None] | None = None) -> int:
    """Make ``option`` (one of ``Proposal.to_dict()['options']``) the visit's assignment: draft trips (one per
    office and times, people travelling together share it) and a meeting in the week's draft plan run. Any earlier
    assignment of the visit is withdrawn. Pinned by default: a lead chose it, so planning again keeps it.
    ``visit_version`` / ``replaces`` (meeting id, version): what the lead saw; StaleEdit, and nothing written, when
    either changed meanwhile. Returns the meeting id."""
    day = date.fromisoformat(option["date"])
    week = week_of(day)
    with write_transaction(db):
        check_version(db, "visits", visit.id, visit_version, "visit")
        if replaces is not None:
            row = check_version(db, "meetings", replaces[0], replaces[1], "meeting")
            if row is None or row["state"] != "active":
                raise StaleEdit("meeting", str(replaces[0]))
        for m in active_meetings_of_visit(db, visit.id):
            withdraw_meeting(db, m["id"])
        run_id = _draft_run(db, week, actor)
        meeting_id = db["meetings"].insert({
            "plan_run": run_id, "visit": visit.id, "start": option["start"], "end": option["end"],
            "staff": json.dumps(sorted(option["staff"])), "pinned": int(pinned),
            "explanation": stored(explanation or as_message(option.get("reason"))), "state": "active"}).last_pk
        groups: dict[tuple, list[dict]] = {}
        for p in option["people"]:
            groups.setdefault((p["office"], p["depart"], p["return"]), []).append(p)
        for n, ((office, depart, ret), people) in enumerate(sorted(groups.items()), 1):
            first = people[0]
            trip_id = f"r{run_id}-M{meeting_id}-{n}"
            legs = first["travel_out"]["legs"] + first["travel_back"]["legs"]
            db["trips"].insert({
                "id": trip_id, "plan_run": run_id, "office": office, "depart": depart, "return": ret,
                "travel_minutes": sum(p["travel_minutes"] for p in people), "distance_km": first["distance_km"],
                "cost_eur": round(sum(p["cost_eur"] for p in people), 2), "nights": first["nights"],
                "legs": json.dumps(legs, ensure_ascii=False), "state": "draft", "version": 1})
            db["trip_staff"].insert_all([{"trip": trip_id, "staff": p["staff"]} for p in people])
            db["meeting_trips"].insert({"meeting": meeting_id, "trip": trip_id})
        db.execute("update visits set status = 'open', updated_at = ? where id = ?", [now_iso(), visit.id])
        audit(db, actor, "assign", "visit", visit.id, {"meeting": meeting_id, "staff": sorted(option["staff"]),
                                                        "date": option["date"]})
    return meeting_id


def move_meeting(db: Database, meeting_id: int, day: date, staff_ids: list[str], settings: Settings,
                 actor: str, version: int | None = None) -> tuple[int | None, Message | None]:
    """Move a meeting to ``day`` with ``staff_ids``: the best option the proposer finds for exactly them on that
    day. Returns (new meeting id, '') or (None, why it cannot be done); StaleEdit when the meeting is no longer at
    ``version`` (the one the lead saw)."""
    meeting = check_version(db, "meetings", meeting_id, version, "meeting")
    if meeting is None or meeting["state"] != "active":
        return None, message("no_meeting")
    visit = store.load_visit(db, meeting["visit"])
    if len(staff_ids) != visit.staff_needed:
        return None, message("choose_people", n=visit.staff_needed)
    if not visit.earliest <= day <= visit.latest:
        return None, message("window_is", start=visit.earliest.isoformat(), end=visit.latest.isoformat())
    own_trips = [r["trip"] for r in db.query("select trip from meeting_trips where meeting = ?", [meeting_id])]
    proposer = make_proposer(db, settings, staff_ids, exclude_trips=own_trips)
    proposal = proposer.propose(replace(visit, earliest=day, latest=day), limit=1).to_dict(word=keep)
    if not proposal["options"]:
        people = [message("person_reason", staff=e["staff"], reason=e["reason"]) for e in proposal["excluded"]]
        return None, reasons(people) if people else proposal["reason"]
    option = proposal["options"][0]
    new_id = assign_option(db, visit, option, actor, explanation=message("moved_by_lead", reason=option["reason"]),
                           replaces=(meeting_id, meeting["version"]))
    return new_id, None


def set_pinned(db: Database, meeting_id: int, pinned: bool, actor: str, version: int | None = None) -> None:
    """Pin or unpin; StaleEdit (nothing written) when the meeting is no longer at ``version``."""
    with write_transaction(db):
        check_version(db, "meetings", meeting_id, version, "meeting")
        db.execute("update meetings set pinned = ? where id = ?", [int(pinned), meeting_id])
        audit(db, actor, "pin" if pinned else "unpin", "meeting", str(meeting_id))


# Publishing ---------------------------------------------------------------------------------------------------

def publish(db: Database, week: str, actor: str, trip_ids: Iterable[str] | None = None,
            versions: dict[str, int | None] | None = None, plan_version: str | None = None) -> int:
    """Publish the week's draft trips (all, or only ``trip_ids``); their runs become published and the visits they
    reach 'planned'. Returns how many trips were published. StaleEdit, and nothing published, when a trip is no
    longer at the version in ``versions`` or the week's plan no longer has ``plan_version`` (what the lead saw)."""
    with write_transaction(db):
        if plan_version is not None and plan_version != week_plan_version(db, week):
            raise StaleEdit("plan", week)
        for trip_id, version in (versions or {}).items():
            check_version(db, "trips", trip_id, version, "trip")
        drafts = [t for t in trips_of_week(db, week) if t["state"] == "draft"]
        if trip_ids is not None:
            wanted = set(trip_ids)
            drafts = [t for t in drafts if t["id"] in wanted]
        for t in drafts:
            db.execute("update trips set state = 'published', version = version + 1 where id = ?", [t["id"]])
            db.execute("update plan_runs set state = 'published' where id = ?", [t["plan_run"]])
            for m in t["meetings"]:
                db.execute("update visits set status = 'planned', updated_at = ? where id = ?",
                           [now_iso(), m["visit"]])
        if drafts:
            audit(db, actor, "publish", "plan_run", ",".join(sorted({str(t["plan_run"]) for t in drafts})),
                  {"week": week, "trips": len(drafts)})
    return len(drafts)


# Conflicts ----------------------------------------------------------------------------------------------------

def conflicts(db: Database, start: date, end: date) -> list[dict]:
    """Problems with the active plan between ``start`` and ``end``: a person absent on a day of their trip, a
    meeting outside its visit's window (after an edit), and "I can't make this trip" answers not yet resolved.
    Each: kind ('absent' | 'window' | 'declined'), trip, meeting, visit, staff, detail."""
    out = []
    absences = store.load_absences(db)
    by_staff: dict[str, list] = {}
    for a in absences:
        by_staff.setdefault(a.staff, []).append(a)
    declines = {(r["trip"], r["staff"]): r for r in db.query(
        "select * from trip_declines where resolved_at is null order by id")}
    for t in trips_between(db, start, end):
        first, last = date.fromisoformat(t["depart"][:10]), date.fromisoformat(t["return"][:10])
        visits = [m["visit"] for m in t["meetings"]]
        for s in t["staff"]:
            for a in by_staff.get(s, []):
                if a.start <= last and first <= a.end:
                    out.append({"kind": "absent", "trip": t["id"], "staff": s, "visits": visits,
                                "detail": message("absence", kind=a.kind, start=a.start.isoformat(),
                                                  end=a.end.isoformat()),
                                "state": t["state"]})
                    break
            d = declines.get((t["id"], s))
            if d:
                out.append({"kind": "declined", "trip": t["id"], "staff": s, "visits": visits, "detail": d["reason"],
                            "state": t["state"]})
        for m in t["meetings"]:
            day = m["start"][:10]
            if not m["earliest"] <= day <= m["latest"]:
                out.append({"kind": "window", "trip": t["id"], "staff": ",".join(m["staff"]), "visits": [m["visit"]],
                            "detail": message("outside_window", day=day, earliest=m["earliest"], latest=m["latest"]),
                            "state": t["state"]})
    # One line per (kind, trip, staff) even when a trip reaches a meeting twice
    seen, unique = set(), []
    for c in out:
        key = (c["kind"], c["trip"], c["staff"])
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique


def decline_trip(db: Database, trip_id: str, staff_id: str, reason: str, version: int | None = None) -> None:
    """Record "I can't make this trip" from ``staff_id``; it shows as a conflict until planned again. StaleEdit
    (nothing written) when the trip is no longer at ``version``; an answer bumps the trip's version."""
    with write_transaction(db):
        check_version(db, "trips", trip_id, version, "trip")
        db.execute("update trips set version = version + 1 where id = ?", [trip_id])
        db["trip_declines"].insert({"trip": trip_id, "staff": staff_id, "reason": reason.strip()[:500],
                                    "created_at": now_iso()})
        audit(db, f"staff:{staff_id}", "decline", "trip", trip_id)


# What changed -------------------------------------------------------------------------------------------------

def plan_changes(db: Database, week: str) -> tuple[dict | None, list[dict]]:
    """How the newest plan run of the week changed the plan: per visit it planned or left out, who and when before
    (the visit's newest meeting in an earlier run of the week) and after. Visits the run did not plan (published
    ones it left as they are) are no change. Returns (the newest run, changes)."""
    run = next(db.query("select * from plan_runs where week = ? and solver != 'manual' order by id desc limit 1",
                        [week]), None)
    if run is None:
        return None, []
    new = _assignments_by_visit(db.query("select visit, start, staff from meetings where plan_run = ? order by id",
                                         [run["id"]]))
    result = _loads(run["result"], {})
    scope = {a["visit"] for a in result.get("assignments", [])} | {u["visit"] for u in result.get("unassigned", [])}
    old = _assignments_by_visit(db.query(  # the newest meeting of each visit wins
        """select m.visit, m.start, m.staff from meetings m join plan_runs r on r.id = m.plan_run
           where r.week = ? and r.id < ? order by m.id""", [week, run["id"]]))
    changes = []
    for visit in sorted(scope | set(new)):
        before, after = old.get(visit), new.get(visit)
        if before != after:
            changes.append({"visit": visit, "before": before, "after": after})
    return run, changes


def _assignments_by_visit(rows) -> dict[str, dict]:
    """Who goes and when, per visit, from meeting rows (a later row of the same visit wins)."""
    return {r["visit"]: {"start": r["start"], "staff": _loads(r["staff"], [])} for r in rows}


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


# Calendar feed tokens -----------------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_calendar_token(db: Database, user_id: int) -> str:
    """A new secret feed token for the user (the old one stops working); only its hash is stored."""
    token = secrets.token_urlsafe(24)
    db.execute("update users set calendar_token = ? where id = ?", [token_hash(token), user_id])
    audit(db, f"user:{user_id}", "calendar-token", "user", str(user_id))
    return token


def revoke_calendar_token(db: Database, user_id: int) -> None:
    db.execute("update users set calendar_token = null where id = ?", [user_id])
    audit(db, f"user:{user_id}", "calendar-revoke", "user", str(user_id))


def user_by_calendar_token(db: Database, token: str) -> dict | None:
    if not token or len(token) > 100:
        return None
    return next(db.query("select * from users where calendar_token = ? and active = 1", [token_hash(token)]), None)


def trip_days(trip: dict) -> list[date]:
    return days(date.fromisoformat(trip["depart"][:10]), date.fromisoformat(trip["return"][:10]))
