"""What-if (issue 17): the weeks of a period planned again with a change (an office added, a person added, a fixed
road link open) beside the plans as they were: visits covered, travel hours, costs and emissions, and the
difference. Nothing is stored: the plans are made in memory and thrown away (docs/reports.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Callable

from sqlite_utils import Database

from .. import store
from ..core.availability import Availability
from ..core.emissions import EmissionFactors
from ..core.journeys import haversine_km
from ..core.network_data import network_doc, network_file
from ..core.messages import Message
from ..core.places import PlaceNotFound, PointOutside, locate
from ..core.records import ROLES, Office, StaffMember
from ..core.settings import Settings
from ..core.travel import travel_model
from ..core.weeks import parse_week, weeks_between
from ..optimize.instance import build_instance
from ..optimize.run import plan_week
from ..store.journey_cache import JourneyCache
from .reports import published_trips
from .week_load import starting_trips


class WhatIfError(ValueError):
    """A change that cannot be made as asked (an unknown place, office or role); ``problem``, a Message when there
    is one, words it at the edge (a misspelt place with the names it may have meant)."""

    def __init__(self, text: str, problem: Message | None = None):
        super().__init__(text)
        self.problem = problem


@dataclass(frozen=True)
class Change:
    add_offices: tuple[str, ...] = ()               # places: a new office at each
    add_people: tuple[tuple[str, str], ...] = ()    # (office id or an added office's place, role)
    links: tuple[str, ...] = ()                     # a dated link's place ("Hailuoto"): as if open already
    close_offices: tuple[str, ...] = ()             # office ids: their people move to the nearest office left
    move_people: tuple[tuple[str, str], ...] = ()   # (staff id, office id or an added office's place)

    def __bool__(self) -> bool:
        return bool(self.add_offices or self.add_people or self.links or self.close_offices or self.move_people)


def parse_move(text: str) -> tuple[str, str]:
    """'oulu-sc:rovaniemi' → ('oulu-sc', 'rovaniemi')."""
    person, _, office = text.partition(":")
    if not person or not office:
        raise WhatIfError(f"--move-person {text!r}: give STAFF:OFFICE")
    return person.strip(), office.strip()


def parse_person(text: str) -> tuple[str, str]:
    """'oulu:social_counsellor' → ('oulu', 'social_counsellor')."""
    office, _, role = text.partition(":")
    if not office or role not in ROLES:
        raise WhatIfError(f"--add-person {text!r}: give OFFICE:ROLE, a role of {', '.join(ROLES)}")
    return office.strip(), role


def _slug(text: str) -> str:
    return "what-if-" + re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def changed_team(db: Database, change: Change, settings: Settings) -> tuple[dict[str, Office], list[StaffMember]]:
    """The offices and the staff with the change made."""
    offices = dict(store.load_offices(db))
    staff = list(store.load_staff(db).values())
    added = {}
    for place_text in change.add_offices:
        try:
            place = locate(place_text, settings)
        except (PlaceNotFound, PointOutside) as exc:
            raise WhatIfError(f"--add-office {place_text!r}: {exc}", exc.problem) from None
        except (LookupError, ValueError) as exc:
            raise WhatIfError(f"--add-office {place_text!r}: {exc}") from None
        office = Office(_slug(place.name), f"{place.name} (what-if)", place.lat, place.lon, place.region or "")
        offices[office.id] = added[place_text.lower()] = office

    def office_named(text: str, option: str) -> Office:
        office = offices.get(text) or added.get(text.lower())
        if office is None:
            raise WhatIfError(f"{option}: no office {text!r} (use an office id or a place given to --add-office)")
        return office
    for office_id in change.close_offices:
        if office_id not in offices:
            raise WhatIfError(f"--close-office {office_id!r}: no such office")
        closed = offices.pop(office_id)
        if not offices:
            raise WhatIfError("--close-office: no office would be left")
        nearest = min(offices.values(), key=lambda o: haversine_km(closed.lat, closed.lon, o.lat, o.lon))
        staff = [replace(s, office=nearest.id) if s.office == office_id else s for s in staff]
    for person_id, office_text in change.move_people:
        if not any(s.id == person_id for s in staff):
            raise WhatIfError(f"--move-person {person_id}:{office_text}: no staff member {person_id!r}")
        office = office_named(office_text, f"--move-person {person_id}:{office_text}")
        staff = [replace(s, office=office.id) if s.id == person_id else s for s in staff]
    for n, (office_text, role) in enumerate(change.add_people, 1):
        office = office_named(office_text, f"--add-person {office_text}:{role}")
        model = next((s for s in staff if s.role == role), None)    # a new person of the role can do what one does
        staff.append(StaffMember(id=f"what-if-{n}", name=f"({ROLES[role]}, what-if {n})", role=role,
                                 office=office.id, skills=model.skills if model else frozenset(),
                                 languages=model.languages if model else frozenset({"fi"})))
    return offices, staff


def link_shift(change: Change, settings: Settings, monday: date) -> timedelta:
    """How much later than the week its days travel: none, or, for a link named in the change that opens later,
    the whole weeks until it is open (each day of the week runs as the same weekday will then, so the link is
    open all week and each weekday keeps its own flights and sailings)."""
    doc = network_doc(network_file(settings.network_file))

    def names(link: dict) -> str:      # its ends' ids, names and zones ("huikku Huikku harbour hailuoto")
        ends = link.get("via") or [link.get("from"), link.get("to")]
        known = doc["nodes"]
        nodes = [known[n] for n in ends if n in known]
        return " ".join([*map(str, ends), *(n.get("name", "") for n in nodes), *(n.get("zone", "") for n in nodes),
                         str(link.get("ref", ""))]).lower()
    day = monday
    for name in change.links:
        opening = [date.fromisoformat(link["opens"]) for section in ("roads", "ferries", "flights", "trains")
                   for link in doc[section] if link.get("opens") and name.lower() in names(link)]
        if not opening:
            raise WhatIfError(f"--link {name!r}: no link with an opening date names it in the network data")
        day = max(day, max(opening))
    return timedelta(weeks=-(-(day - monday).days // 7))


def week_figures(trips: list[dict], covered: int, factors: EmissionFactors) -> dict:
    """Visits covered, travel hours, costs and emissions of a week's trips (stored or planned)."""
    kg = sum(factors.leg_kg(leg["mode"], leg["km"], len(t["staff"])) for t in trips for leg in t["legs"])
    return {"covered": covered, "trips": len(trips),
            "travel_hours": round(sum(t["travel_minutes"] for t in trips) / 60, 1),
            "cost_eur": round(sum(t["cost_eur"] for t in trips), 2), "kg_co2e": round(kg, 1)}


def what_if(db: Database, settings: Settings, factors: EmissionFactors, start: date, end: date, change: Change,
            time_limit: float = 30.0, say: Callable[[str], None] = lambda _text: None) -> dict:
    """Each week of the period as it was (its published trips) and planned again with ``change``; and the
    totals. The visits of a week are those whose first possible day is in it."""
    offices, staff = changed_team(db, change, settings)
    absences = store.load_absences(db)
    rows = []
    for week in weeks_between(start, end):
        monday, sunday = parse_week(week)
        visits = [v for v in store.load_visits(db, monday, sunday) if monday <= v.earliest <= sunday]
        was = published_trips(db, monday, sunday)
        reached = {m["visit"] for t in was for m in t["meetings"]} & {v.id for v in visits}
        say(f"{week}: {len(visits)} visits, planning again ...")
        # the week's published trips are candidates and a start (with no cost for changing them): a change that
        # helps no trip leaves the week as it was, not a plan the search happened to find worse
        inst = build_instance(week, monday, visits, staff, offices, Availability(staff, absences), settings,
                              travel_model(settings, day=monday, later=link_shift(change, settings, monday)),
                              journey_cache=JourneyCache(db), previous_trips=starting_trips(was))
        plan = plan_week(inst, "cp-sat", time_limit)
        rows.append({"week": week, "visits": len(visits),
                     "as_was": week_figures(was, len(reached), factors),
                     "what_if": week_figures(plan["trips"], len(plan["assignments"]), factors)})
    keys = ("covered", "trips", "travel_hours", "cost_eur", "kg_co2e")
    total = {side: {k: round(sum(r[side][k] for r in rows), 2) for k in keys} for side in ("as_was", "what_if")}
    return {"from": start.isoformat(), "to": end.isoformat(), "change": _describe(change), "weeks": rows,
            "total": {**total, "difference": {k: round(total["what_if"][k] - total["as_was"][k], 2) for k in keys}},
            "emission_source": factors.source}


def _describe(change: Change) -> dict:
    return {"add_offices": list(change.add_offices), "add_people": [f"{o}:{r}" for o, r in change.add_people],
            "links": list(change.links), "close_offices": list(change.close_offices),
            "move_people": [f"{p}:{o}" for p, o in change.move_people]}

