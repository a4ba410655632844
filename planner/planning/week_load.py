"""What a plan run reads: the week to plan as the optimizer's ``WeekInstance`` (open visits, the team, who is free,
pins and "can't make it" answers), and, from the same snapshot, what the run read to notice edits made meanwhile."""
from __future__ import annotations

import json
from datetime import date, datetime

from sqlite_utils import Database

from .. import store
from ..core.availability import Availability
from ..core.settings import Settings
from ..core.weeks import parse_week
from ..optimize.instance import Pin, WeekInstance, build_instance
from ..store import plan_queries
from ..store.concurrency import read_snapshot
from ..store.journey_cache import JourneyCache
from ..store.plan_runs import ReadState, draft_trips_of_week, pinned_meetings_of_run, read_state


def load_week_for_run(db: Database, week: str, settings: Settings, travel_model, reopen: frozenset[str] = frozenset(),
                      freed_trips: frozenset[str] = frozenset()) -> tuple[WeekInstance, ReadState]:
    """``load_week`` and the ``ReadState`` it was built from, read in one transaction (one consistent snapshot)."""
    with read_snapshot(db):
        inst = load_week(db, week, settings, travel_model, reopen, freed_trips)
        state = read_state(db, week)
    return inst, state


def load_pins(db: Database, week: str) -> list[Pin]:
    """Pinned meetings of the newest plan run of ``week``."""
    run = plan_queries.newest_run(db, week)
    if run is None:
        return []
    return [Pin(r["visit"], tuple(sorted(json.loads(r["staff"] or "[]"))), datetime.fromisoformat(r["start"]))
            for r in pinned_meetings_of_run(db, run["id"])]


def load_week(db: Database, week: str, settings: Settings, travel_model, reopen: frozenset[str] = frozenset(),
              freed_trips: frozenset[str] = frozenset()) -> WeekInstance:
    """The open visits whose window meets ``week``, the team, and who is free (trips of other weeks' runs and of
    published runs hold people; this week's drafts are about to be replaced and do not).

    ``reopen`` / ``freed_trips``: visits planned as if open and trips that hold nobody, because the run withdraws
    them when it is stored (``planner.planning.week_run``); until then the database keeps them as they are."""
    monday, sunday = parse_week(week)
    visits = [v for v in store.load_visits(db, monday, sunday) if v.status == "open" or v.id in reopen]
    staff = list(store.load_staff(db).values())
    replaced = draft_trips_of_week(db, week) | freed_trips
    busy = [b for b in store.load_busy(db) if b.label.removeprefix("trip ") not in replaced]
    open_ids = {v.id for v in visits}
    pins = [p for p in load_pins(db, week) if p.visit in open_ids and p.visit not in reopen]
    return build_instance(week, monday, visits, staff, store.load_offices(db),
                          Availability(staff, store.load_absences(db), busy), settings, travel_model, pins,
                          store.load_declined(db), previous_meetings(db, week), journey_cache=JourneyCache(db),
                          previous_trips=replaced_trips(db, week, replaced))


def previous_meetings(db: Database, week: str) -> dict[str, tuple[frozenset, date]]:
    """Each visit's people and day in the week's plan as it stands (its active meetings): planning again pays for
    every meeting it moves (``planner.optimize.model.CHANGED``), so a small change changes little."""
    return {m["visit"]: (frozenset(m["staff"]), date.fromisoformat(m["start"][:10]))
            for m in plan_queries.meetings_of_week(db, week)}


def replaced_trips(db: Database, week: str, replaced: set[str]) -> list[tuple[str, tuple[tuple[str, datetime], ...]]]:
    """The trips this run replaces, as ``starting_trips`` gives them: planning again makes them candidates once
    more and starts from them, so it keeps the draft where nothing better is found."""
    return starting_trips([t for t in plan_queries.trips_of_week(db, week) if t["id"] in replaced])


def starting_trips(trips: list[dict]) -> list[tuple[str, tuple[tuple[str, datetime], ...]]]:
    """Stored trips (``plan_queries``' rows) as a run's ``WeekInstance.previous_trips``: (person, their meetings
    in order: visit and start), one per person on the trip."""
    return [(person, tuple((m["visit"], datetime.fromisoformat(m["start"])) for m in trip["meetings"]))
            for trip in trips if trip["meetings"] for person in trip["staff"]]
