"""What a lead or a person does to the plan: assign an option, move a meeting, pin, publish, "I can't make this
trip". Flask-free: every function takes the database (and settings) and returns plain values.

A trip is a draft until a lead publishes it; staff see only published trips. Publishing marks the visits
'planned', so the weekly optimizer leaves them alone; a conflict (an absence, "I can't make this trip", a visit
moved out of its window) re-opens them when the lead plans again. Each action checks the version of what the
person saw and writes in one transaction (``planner.store.concurrency``).
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Iterable

from sqlite_utils import Database

from .. import store
from ..core.messages import Message, as_message, keep, message, stored
from ..core.reasons import reasons
from ..core.records import Visit
from ..core.settings import Settings
from ..core.weeks import week_of
from ..store import plan_edits, plan_queries
from ..store.concurrency import StaleEdit, check_version, week_plan_version, write_transaction
from ..store.db import audit, now_iso
from .notices import ScheduleWatch, trip_declined
from .proposals import make_proposer, own_trips


def _draft_run(db: Database, week: str, actor: str) -> int:
    """The week's newest draft plan run, or a new empty one for assignments made by hand."""
    run_id = plan_edits.newest_draft_run(db, week)
    if run_id is not None:
        return run_id
    empty = {"week": week, "status": "MANUAL", "solver": "manual", "objective": None, "bound": None, "gap": None,
             "solve_seconds": 0.0, "assignments": [], "trips": [], "unassigned": []}
    return plan_edits.add_plan_run(db, {
        "week": week, "created_at": now_iso(), "created_by": actor, "solver": "manual", "status": "MANUAL",
        "solve_seconds": 0.0, "state": "draft", "result": json.dumps(empty)})


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
        earlier = plan_queries.active_meetings_of_visit(db, visit.id)
        watch = ScheduleWatch(db, {s for m in earlier for s in json.loads(m["staff"] or "[]")})
        watch.start()       # a meeting of a published trip moved: its people are told
        for m in earlier:
            plan_edits.withdraw_meeting(db, m["id"])
        run_id = _draft_run(db, week, actor)
        meeting_id = plan_edits.add_meeting(db, {
            "plan_run": run_id, "visit": visit.id, "start": option["start"], "end": option["end"],
            "staff": json.dumps(sorted(option["staff"])), "pinned": int(pinned),
            "explanation": stored(explanation or as_message(option.get("reason"))), "state": "active"})
        groups: dict[tuple, list[dict]] = {}
        for p in option["people"]:
            groups.setdefault((p["office"], p["depart"], p["return"]), []).append(p)
        for n, ((office, depart, ret), people) in enumerate(sorted(groups.items()), 1):
            first = people[0]
            trip_id = f"r{run_id}-M{meeting_id}-{n}"
            legs = first["travel_out"]["legs"] + first["travel_back"]["legs"]
            plan_edits.add_trip(db, {
                "id": trip_id, "plan_run": run_id, "office": office, "depart": depart, "return": ret,
                "travel_minutes": sum(p["travel_minutes"] for p in people), "distance_km": first["distance_km"],
                "cost_eur": round(sum(p["cost_eur"] for p in people), 2), "nights": first["nights"],
                "legs": json.dumps(legs, ensure_ascii=False), "state": "draft", "version": 1},
                [p["staff"] for p in people], meeting_id)
        plan_edits.set_visit_status(db, visit.id, "open")
        watch.finish()
        audit(db, actor, "assign", "visit", visit.id, {"meeting": meeting_id, "staff": sorted(option["staff"]),
                                                        "date": option["date"]})
    return meeting_id


def move_meeting(db: Database, meeting_id: int, day: date, staff_ids: list[str], settings: Settings,
                 actor: str, version: int | None = None) -> tuple[int | None, Message | None]:
    """Move a meeting to ``day`` with ``staff_ids``: the best option the proposer finds for exactly them on that
    day. Returns (new meeting id, None) or (None, why it cannot be done); StaleEdit when the meeting is no longer at
    ``version`` (the one the lead saw)."""
    meeting = check_version(db, "meetings", meeting_id, version, "meeting")
    if meeting is None or meeting["state"] != "active":
        return None, message("no_meeting")
    visit = store.load_visit(db, meeting["visit"])
    if len(staff_ids) != visit.staff_needed:
        return None, message("choose_people", n=visit.staff_needed)
    if not visit.earliest <= day <= visit.latest:
        return None, message("window_is", start=visit.earliest.isoformat(), end=visit.latest.isoformat())
    proposer = make_proposer(db, settings, staff_ids, exclude_trips=own_trips(db, [meeting_id]))
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
        plan_edits.set_pinned(db, meeting_id, pinned)
        audit(db, actor, "pin" if pinned else "unpin", "meeting", str(meeting_id))


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
        drafts = [t for t in plan_queries.trips_of_week(db, week) if t["state"] == "draft"]
        if trip_ids is not None:
            wanted = set(trip_ids)
            drafts = [t for t in drafts if t["id"] in wanted]
        with ScheduleWatch(db, {s for t in drafts for s in t["staff"]}):     # each person on them is told
            for t in drafts:
                plan_edits.publish_trip(db, t["id"], t["plan_run"])
                for m in t["meetings"]:
                    plan_edits.set_visit_status(db, m["visit"], "planned")
        if drafts:
            audit(db, actor, "publish", "plan_run", ",".join(sorted({str(t["plan_run"]) for t in drafts})),
                  {"week": week, "trips": len(drafts)})
    return len(drafts)


def take_back(db: Database, trip_id: str, actor: str, version: int | None = None) -> bool:
    """A published trip back to draft: it leaves its people's schedules (they see it under what changed) and its
    visits are open again, so plan again may plan them anew. False when the trip was not published; StaleEdit
    (nothing written) when it is no longer at ``version``."""
    with write_transaction(db):
        trip = check_version(db, "trips", trip_id, version, "trip")
        if trip is None or trip["state"] != "published":
            return False
        with ScheduleWatch(db, plan_queries.staff_of_trip(db, trip_id)):     # its people are told it is off
            plan_edits.unpublish_trip(db, trip_id)
        for m in plan_queries.meetings_reaching(db, [trip_id]):
            plan_edits.set_visit_status(db, m["visit"], "open")
        audit(db, actor, "take-back", "trip", trip_id)
    return True


def decline_trip(db: Database, trip_id: str, staff_id: str, reason: str, version: int | None = None) -> None:
    """Record "I can't make this trip" from ``staff_id``; it shows as a conflict until planned again. StaleEdit
    (nothing written) when the trip is no longer at ``version``; an answer bumps the trip's version."""
    with write_transaction(db):
        check_version(db, "trips", trip_id, version, "trip")
        plan_edits.add_decline(db, trip_id, staff_id, reason.strip()[:500])
        trip = plan_queries.trip_details(db, trip_id)
        if trip is not None:
            trip_declined(db, trip)
        audit(db, f"staff:{staff_id}", "decline", "trip", trip_id)
