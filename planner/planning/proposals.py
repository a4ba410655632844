"""Proposals from the database: a ``Proposer`` over the team as it is now, and the key that names an option."""
from __future__ import annotations

from typing import Iterable

from sqlite_utils import Database

from .. import store
from ..store import plan_queries
from ..core.availability import Availability
from ..core.propose import Proposer
from ..core.settings import Settings
from ..core.travel import travel_model


def make_proposer(db: Database, settings: Settings, staff_ids: Iterable[str] | None = None,
                  exclude_trips: Iterable[str] = ()) -> Proposer:
    """A Proposer over the team (or only ``staff_ids``) with everyone's absences, the trips already planned, except
    ``exclude_trips`` (the trips an assignment being moved is about to give up), and the trips people declined."""
    staff = store.load_staff(db)
    people = [staff[s] for s in staff_ids if s in staff] if staff_ids is not None else list(staff.values())
    skip = set(exclude_trips)
    busy = [b for b in store.load_busy(db) if b.label.removeprefix("trip ") not in skip]
    availability = Availability(staff.values(), store.load_absences(db), busy)
    return Proposer(people, store.load_offices(db), availability, travel_model(settings), settings,
                    declined=store.load_declined(db))


def proposer_for_visit(db: Database, settings: Settings, visit_id: str) -> Proposer:
    """``make_proposer`` for proposing the visit afresh: the trips of its own assignment are not counted as its
    people's busy time (choosing an option withdraws that assignment; without this an assigned visit whose only
    qualified person has it said that nobody is free). A trip that also reaches another visit's meeting stays
    busy: choosing an option keeps it."""
    mine = plan_queries.active_meetings_of_visit(db, visit_id)
    return make_proposer(db, settings, exclude_trips=own_trips(db, [m["id"] for m in mine]))


def own_trips(db: Database, meeting_ids: Iterable[int]) -> list[str]:
    """The trips to these meetings that reach no other meeting: what moving them frees. A trip that goes on to
    another meeting holds its people still (freeing it offered them a second trip over its other meetings)."""
    meetings = set(meeting_ids)
    trips = {trip for meeting in meetings for trip in plan_queries.trips_of_meeting(db, meeting)}
    return [trip for trip in sorted(trips)
            if all(m["id"] in meetings for m in plan_queries.meetings_reaching(db, [trip]))]


def option_key(option: dict) -> str:
    """A stable key for a proposal option (its day, start and people), so a click assigns what was shown."""
    return f"{option['start']}|{','.join(sorted(option['staff']))}"
