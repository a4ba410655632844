"""A solver-independent check of a plan JSON against every hard rule, and its objective recomputed.

It reads only the plan and the week's inputs (visits, staff, offices, who is free, settings, the travel model):
nothing from the candidate generator or the CP-SAT model, so a bug there cannot hide here. Every test runs it on
every plan; ``planner plan-week`` runs it before writing and refuses to store a plan that breaks a rule.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from ..core.availability import days as days_between, non_working_reason
from ..core.messages import english, missing_text
from ..core.propose import covers_region
from ..core.reasons import missing
from .instance import WeekInstance
from .model import (FAIR_DAY_STEP, LATE_PER_DAY, NIGHT, NOT_PREFERRED, OTHER_REGION, TRAVEL_PER_MINUTE,
                    UNCOVERED, COST_PER_EUR, CHANGED, moved)


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _window_days(inst: WeekInstance, visit) -> list:
    first, last = max(visit.earliest, inst.monday), min(visit.latest, inst.monday + timedelta(6))
    return [d for d in days_between(first, last) if non_working_reason(d, visit.on_aland) is None]


def check_plan(plan: dict, inst: WeekInstance) -> list[str]:
    """Every broken rule as a sentence; an empty list for a valid plan."""
    s = inst.settings
    longest = timedelta(minutes=s.longest_day_minutes)
    problems: list[str] = []
    bad = problems.append
    visits = inst.visit_by_id

    # Every visit exactly once.
    seen = [a["visit"] for a in plan["assignments"]] + [u["visit"] for u in plan["unassigned"]]
    for vid in sorted(set(seen) ^ set(visits)):
        bad(f"{vid}: {'not a visit of the week' if vid not in visits else 'neither assigned nor unassigned'}")
    for vid in sorted({v for v in seen if seen.count(v) > 1}):
        bad(f"{vid}: appears more than once")
    for u in plan["unassigned"]:
        if not u.get("reason"):
            bad(f"{u['visit']}: unassigned without a reason")

    trips = {t["id"]: t for t in plan["trips"]}
    meetings_of_trip: dict[str, list] = defaultdict(list)
    for a in plan["assignments"]:
        visit = visits.get(a["visit"])
        if visit is None:
            continue
        start, end = _t(a["start"]), _t(a["end"])
        day = start.date()
        where = f"{visit.id}"
        if a["date"] != day.isoformat() or end.date() != day:
            bad(f"{where}: date, start and end disagree")
        if day not in _window_days(inst, visit):
            bad(f"{where}: {day} is not a working day of the week in its window")
        if end - start != timedelta(minutes=visit.duration_min):
            bad(f"{where}: meeting is not {visit.duration_min} min")
        if start.time() < s.meeting_earliest or end.time() > s.meeting_latest_end:
            bad(f"{where}: meeting {start:%H:%M}-{end:%H:%M} outside {s.meeting_earliest:%H:%M}-{s.meeting_latest_end:%H:%M}")
        staff = a["staff"]
        if len(set(staff)) != len(staff) or len(staff) != visit.staff_needed:
            bad(f"{where}: {len(set(staff))} people sent, {visit.staff_needed} needed")
        if any(p not in inst.staff_by_id for p in staff):
            bad(f"{where}: unknown staff in {staff}")
            continue
        for p in sorted(staff):
            if (p, visit.id, day) in inst.declined:
                bad(f"{where}: {p} said they can't make this visit on {day}")
        gap = missing(visit, [inst.staff_by_id[p] for p in staff])
        if gap:
            bad(f"{where}: the people sent lack {missing_text(gap)}")
        for p in staff:
            reason = inst.availability.unavailable_reason(p, day, visit.on_aland)
            if reason:
                bad(f"{where}: {p} cannot work on {day}: {english(reason)}")
        carried = []
        for tid in a["trips"]:
            trip = trips.get(tid)
            if trip is None:
                bad(f"{where}: no trip {tid}")
                continue
            carried += trip["staff"]
            meetings_of_trip[tid].append((start, end, visit))
        if sorted(carried) != sorted(staff):
            bad(f"{where}: trips {a['trips']} carry {sorted(carried)}, not {sorted(staff)}")

    # Trips: timing, reachability, day length, availability.
    away: dict[str, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    for tid, trip in trips.items():
        depart, ret = _t(trip["depart"]), _t(trip["return"])
        office = inst.offices.get(trip["office"])
        if office is None:
            bad(f"{tid}: unknown office {trip['office']}")
            continue
        for p in trip["staff"]:
            person = inst.staff_by_id.get(p)
            if person is None or person.office != office.id:
                bad(f"{tid}: {p} does not work at {office.id}")
                continue
            away[p].append((depart, ret, tid))
            reason = inst.availability.free_between(p, depart, ret)
            if reason:
                bad(f"{tid}: {p} is not free {depart:%a %H:%M}-{ret:%a %H:%M}: {english(reason)}")
        nights = (ret.date() - depart.date()).days
        if trip["nights"] != nights or ret <= depart:
            bad(f"{tid}: {trip['nights']} nights recorded for a trip over {nights + 1} days")
        meetings = sorted(meetings_of_trip.get(tid, []), key=lambda m: m[0])
        if not meetings:
            bad(f"{tid}: carries nobody to a meeting")
            continue
        if [m[2].id for m in meetings] != trip.get("visits", [m[2].id for m in meetings]):
            bad(f"{tid}: visits {trip.get('visits')} differ from its meetings")
        route = [office] + [m[2] for m in meetings] + [office]
        # each hop as the network runs on the day of the meeting it leads to, the way home on the last meeting's day
        on = [m[0].date() for m in meetings] + [meetings[-1][0].date()]
        hops = [inst.travel_on(d).minutes(a, b) for (a, b), d in zip(zip(route, route[1:]), on)]
        times = [depart] + [t for m in meetings for t in (m[0], m[1])] + [ret]
        # depart + hop0 <= start1; end_i + hop_i <= start_{i+1}; end_last + hop_last <= return
        for k, hop in enumerate(hops):
            leave, arrive = times[2 * k], times[2 * k + 1]
            if leave + timedelta(minutes=hop) > arrive:
                bad(f"{tid}: cannot get from {route[k].name} to {route[k + 1].name} ({hop} min) "
                    f"between {leave:%a %H:%M} and {arrive:%a %H:%M}")
        if trip["travel_minutes"] != len(trip["staff"]) * sum(hops):
            bad(f"{tid}: travel {trip['travel_minutes']} min, the travel model says {len(trip['staff'])} × {sum(hops)}")
        if sum(leg["minutes"] for leg in trip["legs"]) != sum(hops):
            bad(f"{tid}: legs add up to {sum(leg['minutes'] for leg in trip['legs'])} min, not {sum(hops)}")
        if nights == 0:
            if ret - depart > longest:
                bad(f"{tid}: a {(ret - depart) / timedelta(hours=1):.1f} h day without an overnight stay")
            if depart.time() < s.earliest_departure or ret.time() > s.latest_return:
                bad(f"{tid}: leaves {depart:%H:%M} or returns {ret:%H:%M}, outside "
                    f"{s.earliest_departure:%H:%M}-{s.latest_return:%H:%M}")
        for day in days_between(depart.date(), ret.date()):
            moments = [t for t in times if t.date() == day]
            if moments and max(moments) - min(moments) > longest:
                bad(f"{tid}: the day {day} is longer than {s.longest_day_minutes} min")

    # Nobody in two places at once.
    for p, spans in away.items():
        spans.sort()
        for (a0, a1, ta), (b0, b1, tb) in zip(spans, spans[1:]):
            if b0 < a1:
                bad(f"{p}: trips {ta} and {tb} overlap")
            if any(d in days_between(a0.date(), a1.date()) for d in days_between(b0.date(), b1.date())):
                bad(f"{p}: two trips on one day ({ta}, {tb})")
    return problems


def plan_objective(plan: dict, inst: WeekInstance) -> float:
    """The plan's objective in minutes, by the weights documented in ``planner.optimize.model``."""
    total = 0.0
    for u in plan["unassigned"]:
        total += UNCOVERED[inst.visit_by_id[u["visit"]].priority]
    for trip in plan["trips"]:
        total += (TRAVEL_PER_MINUTE * trip["travel_minutes"] + COST_PER_EUR * trip["cost_eur"]
                  + NIGHT * trip["nights"] * len(trip["staff"]))
    days_away: dict[str, int] = defaultdict(int)
    for trip in plan["trips"]:
        n = (_t(trip["return"]).date() - _t(trip["depart"]).date()).days + 1
        for p in trip["staff"]:
            days_away[p] += n
    total += sum(FAIR_DAY_STEP * k * (k - 1) / 2 for k in days_away.values())
    for a in plan["assignments"]:
        visit = inst.visit_by_id[a["visit"]]
        day = _t(a["start"]).date()
        total += LATE_PER_DAY[visit.priority] * sum(1 for d in _window_days(inst, visit) if d < day)
        for p in a["staff"]:
            person = inst.staff_by_id[p]
            if not covers_region(person, inst.offices[person.office], visit):
                total += OTHER_REGION
        if visit.preferred_staff and visit.preferred_staff not in a["staff"]:
            total += NOT_PREFERRED
        total += CHANGED * sum(moved(inst, visit.id, p, day) for p in a["staff"])
    return total
