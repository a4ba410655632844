"""Where a planned meeting could move: the eligible person and day pairs (teams, for a visit of two or more), each
with its change in travel time and cost against the meeting as it is, best first; and, for every person and day of
the board, why a meeting dropped there could not be made. The board's move list, drag and drop, and keyboard move
all read this, so they offer and refuse the same things."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Iterable

from sqlite_utils import Database

from .. import store
from ..core.availability import non_working_reason
from ..core.messages import Message, message
from ..core.propose import Option
from ..core.settings import Settings
from ..store import plan_queries
from .proposals import make_proposer, own_trips

ALL_OPTIONS = 500  # every eligible pair: the team is about 15 people over a week's window


def move_options(db: Database, settings: Settings, meeting_id: int, board_days: Iterable[date]) -> dict | None:
    """``options``: each eligible (people, day), best first, with ``delta_minutes`` and ``delta_eur`` against the
    meeting as it is (None when it can no longer be made as it is) and ``current`` for the pair it has now; a trip
    that goes on to other meetings keeps holding its people (no option books them twice), and the meeting is then
    weighed as a trip of its own;
    ``refusals``: (person, day) -> why a drop there cannot be made, for every person and each of ``board_days``;
    ``excluded``: person -> why they are in no option. None when the meeting is not active."""
    meeting = plan_queries.meeting_with_week(db, meeting_id)
    if meeting is None or meeting["state"] != "active":
        return None
    staff_now = sorted(json.loads(meeting["staff"] or "[]"))
    day_now = date.fromisoformat(meeting["start"][:10])
    visit = store.load_visit(db, meeting["visit"])
    proposer = make_proposer(db, settings, exclude_trips=own_trips(db, [meeting_id]))
    proposal = proposer.propose(visit, limit=ALL_OPTIONS)
    now = next((o for o in proposal.options if o.day == day_now and _people(o) == staff_now), None)
    if now is None:     # a trip that goes on to other meetings holds its people: the meeting as a trip of its own
        alone = make_proposer(db, settings, staff_now, exclude_trips=plan_queries.trips_of_meeting(db, meeting_id))
        now = next((o for o in alone.propose(replace(visit, earliest=day_now, latest=day_now)).options
                    if _people(o) == staff_now), None)
    options = [_option(o, now, o is now) for o in proposal.options]
    refusals: dict[tuple[str, date], Message] = {}
    for person in proposer.staff:
        for day in board_days:
            if any(o.day == day and person.id in _people(o) for o in proposal.options):
                continue
            refusals[person.id, day] = _refusal(visit, person.id, day, proposal, staff_now, day_now)
    return {"meeting": meeting, "visit": visit, "staff": staff_now, "day": day_now, "options": options,
            "refusals": refusals, "excluded": proposal.excluded, "reason": proposal.reason}


def _people(option: Option) -> list[str]:
    return sorted(p.staff.id for p in option.people)


def _option(option: Option, now: Option | None, current: bool) -> dict:
    return {"day": option.day, "staff": [p.staff.id for p in option.people], "start": option.start,
            "end": option.end, "travel_minutes": option.travel_minutes, "cost_eur": round(option.cost_eur, 2),
            "nights": option.nights, "current": current,
            "delta_minutes": None if now is None else option.travel_minutes - now.travel_minutes,
            "delta_eur": None if now is None else round(option.cost_eur - now.cost_eur, 2)}


def _refusal(visit, person: str, day: date, proposal, staff_now: list[str], day_now: date) -> Message:
    """Why the meeting cannot go to ``person`` on ``day``: the most specific reason the proposer gave."""
    if day == day_now and person in staff_now:
        return message("meeting_is_here")
    if not visit.earliest <= day <= visit.latest:
        return message("window_is", start=visit.earliest.isoformat(), end=visit.latest.isoformat())
    return (non_working_reason(day, visit.on_aland) or proposal.unavailable.get((person, day))
            or (message("no_team_on_day", day=day.isoformat()) if visit.staff_needed > 1 else None)
            or proposal.excluded.get(person) or message("free_not_chosen"))
