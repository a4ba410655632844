"""Who is told what by email, written to the outbox in the change's own transaction (issue 16; the sender is
``planner.ops.mail_sender``, the wording ``planner.web.mail_text``).

* ``trips``: a person's published schedule changed (a trip published, moved or cancelled): to that person.
* ``decline``: someone can't make a trip: to every lead.
* ``plan-job``: a plan job ended or failed: to the lead who started it.

An item names days, times and places only (as the calendar feed does): never a case code, a client or free text such
as the reason given for a decline. Each person may turn each kind off (``users.notify_*``); several items of one
kind within ``GATHER_SECONDS`` go out as one message.
"""
from __future__ import annotations

import time

from sqlite_utils import Database

from ..store import outbox
from ..store import users as user_store
from .changes import schedule_changes, schedule_snapshot, upcoming_trips

GATHER_SECONDS = 300.0      # changes of one kind to one person within this many seconds make one message


def _item_of_trip(snapshot_entry: list) -> dict:
    depart, ret, meetings = snapshot_entry
    return {"depart": depart, "return": ret, "places": list(dict.fromkeys(place for place, _start in meetings))}


def _notice(db: Database, user_id: int, kind: str, items: list[dict]) -> None:
    """One change's items for one person: one message, and more within the window join it. A plan job's end is
    news of its own; trip changes and declines come in bursts and are gathered."""
    outbox.enqueue(db, user_id, kind, items, time.time(), 0.0 if kind == "plan-job" else GATHER_SECONDS)


class ScheduleWatch:
    """Tells each person whose published schedule a change alters: ``start()`` before the change and ``finish()``
    after it, both inside its transaction (or ``with ScheduleWatch(db):`` around it)."""

    def __init__(self, db: Database, staff_ids=None):
        self.db, self.staff_ids = db, staff_ids
        self.before: dict[int, tuple[str, dict]] = {}     # user id → (their staff id, what their schedule was)

    def start(self) -> None:
        for person in user_store.wanting_notice(self.db, "notify_trips", self.staff_ids):
            self.before[person["id"]] = (person["staff"], schedule_snapshot(upcoming_trips(self.db, person["staff"])))

    def finish(self) -> None:
        for user_id, (staff_id, before) in self.before.items():
            items = []
            for change in schedule_changes(before, upcoming_trips(self.db, staff_id)):
                item = {"change": change["change"], **_item_of_trip(change.get("now") or change["was"])}
                if change["change"] == "changed":
                    item["was"] = _item_of_trip(change["was"])
                items.append(item)
            if items:
                _notice(self.db, user_id, "trips", items)

    def __enter__(self) -> "ScheduleWatch":
        self.start()
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.finish()


def trip_declined(db: Database, trip: dict) -> None:
    """Someone can't make ``trip`` (``plan_queries.trip_details``): every lead who wants to know is told
    which trip, not who or why (the board shows both)."""
    item = _item_of_trip(schedule_snapshot([trip])[trip["id"]])
    for lead in user_store.wanting_notice(db, "notify_declines", role="lead"):
        _notice(db, lead["id"], "decline", [item])


def plan_job_ended(db: Database, started_by: str | None, week: str, outcome: str) -> None:
    """A plan job of ``week`` ended (``outcome``: 'done' or 'failed'): the lead who started it is told."""
    if not started_by or not started_by.startswith("user:") or not started_by[5:].isdigit():
        return
    for person in user_store.wanting_notice(db, "notify_plan_jobs", user_id=int(started_by[5:])):
        _notice(db, person["id"], "plan-job", [{"week": week, "outcome": outcome}])
