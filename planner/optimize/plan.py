"""The plan JSON (issue 3, item 5) from the chosen trips.

``week``, ``status`` (OPTIMAL | FEASIBLE | GREEDY), ``solver``, ``objective``, ``bound``, ``gap``, ``solve_seconds``;
``assignments`` (``visit``, ``staff``, ``date``, ``start``, ``end``, ``trips``, ``explanation``, ``pinned``);
``trips`` (``id``, ``staff``, ``office``, ``depart``, ``return``, ``travel_minutes`` summed over the people on it,
``distance_km`` of the route (people travelling together share it), ``cost_eur`` summed over the people,
``nights``, ``legs``, ``visits``); ``unassigned`` (``visit``, ``reason``). Every visit is in exactly one of
``assignments`` and ``unassigned``. Trip ids (``T01``…) are the plan's own; the database prefixes them with the
plan run.
"""
from __future__ import annotations

from datetime import timedelta

from ..core.timing import time_trip
from .candidates import Candidates, Column
from .explain import explain_assignment, unassigned_reason
from .instance import WeekInstance
from .selection import Selection


def person_trip(inst: WeekInstance, column: Column, starts: dict[str, int]) -> dict:
    """One person's trip with its real times: a single-visit trip is timed for the agreed start."""
    if column.kind == "single":
        visit = inst.visit_by_id[column.stops[0].visit]
        start = inst.moment(starts[visit.id])
        person = inst.staff_by_id[column.staff]
        hours = person.pattern.get(start.weekday())
        out, back = column.journeys
        timing = time_trip(start.date(), out.minutes, back.minutes, visit.duration_min, inst.settings,
                           work_start=hours[0] if hours else None, start=start)
        depart, ret, nights = timing.depart, timing.return_, timing.nights
        meetings = [(visit.id, start)]
    else:
        depart, ret, nights = inst.moment(column.depart), inst.moment(column.return_), column.nights
        meetings = [(s.visit, inst.moment(s.lo)) for s in column.stops]
    return {"staff": column.staff, "office": column.office, "depart": depart, "return": ret, "nights": nights,
            "meetings": meetings, "journeys": column.journeys, "travel_minutes": column.travel_minutes,
            "distance_km": column.distance_km, "cost_eur": column.cost_eur}


def build_plan(inst: WeekInstance, cands: Candidates, selection: Selection, solver: str) -> dict:
    """The plan JSON for ``selection`` (see the module docstring)."""
    people = [person_trip(inst, cands.columns[i], selection.starts) for i in selection.chosen]
    # People from one office on the same route at the same times travel together: one trip.
    groups: dict[tuple, list[dict]] = {}
    for p in people:
        key = (p["office"], p["depart"], p["return"], tuple(p["meetings"]))
        groups.setdefault(key, []).append(p)
    trips = []
    trip_of_meeting: dict[tuple[str, str], str] = {}
    for n, (key, members) in enumerate(sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[1][0]["staff"])), 1):
        office, depart, ret, meetings = key
        trip_id = f"T{n:02d}"
        first = members[0]
        trips.append({
            "id": trip_id, "staff": sorted(m["staff"] for m in members), "office": office,
            "depart": depart.isoformat(), "return": ret.isoformat(),
            "travel_minutes": sum(m["travel_minutes"] for m in members),
            "distance_km": round(first["distance_km"], 1),
            "cost_eur": round(sum(m["cost_eur"] for m in members), 2), "nights": first["nights"],
            "legs": [leg.to_dict() for j in first["journeys"] for leg in j.legs],
            "visits": [vid for vid, _ in meetings],
        })
        for m in members:
            trip_of_meeting[m["staff"], meetings[0][0]] = trip_id
            for vid, _ in meetings:
                trip_of_meeting[m["staff"], vid] = trip_id

    staff_of: dict[str, list[str]] = {}
    for p in people:
        for vid, _ in p["meetings"]:
            staff_of.setdefault(vid, []).append(p["staff"])
    pinned = {pin.visit for pin in inst.pins}
    assignments, unassigned = [], []
    for visit in inst.visits:
        if visit.id in staff_of:
            start = inst.moment(selection.starts[visit.id])
            staff = sorted(staff_of[visit.id])
            assignments.append({
                "visit": visit.id, "staff": staff, "date": start.date().isoformat(),
                "start": start.isoformat(), "end": (start + timedelta(minutes=visit.duration_min)).isoformat(),
                "trips": sorted({trip_of_meeting[s, visit.id] for s in staff}),
                "explanation": explain_assignment(inst, cands, selection, visit, staff),
                "pinned": visit.id in pinned and visit.id not in selection.pin_problems,
            })
        else:
            unassigned.append({"visit": visit.id, "reason": unassigned_reason(inst, cands, selection, visit)})
    return {
        "week": inst.week, "status": selection.status, "solver": solver,
        "objective": None if selection.objective is None else round(selection.objective, 1),
        "bound": None if selection.bound is None else round(selection.bound, 1),
        "gap": None if selection.gap is None else round(selection.gap, 4),
        "solve_seconds": round(selection.solve_seconds, 2),
        "assignments": assignments, "trips": trips, "unassigned": unassigned,
    }
