"""An independent checker of plan JSON for the tests: a second, deliberately simple reading of the hard rules.

It shares no code with ``planner.optimize`` (not even the validator): holidays come straight from the
``holidays`` package, availability from the raw staff and absence records. If the optimiser and its validator
agreed on a wrong reading of a rule, this one would still catch it.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

import holidays


def _holiday(day: date, on_aland: bool) -> bool:
    return day in holidays.country_holidays("FI", subdiv="01" if on_aland else None, years=day.year)


def check(plan: dict, visits, staff, absences=(), meeting=(time(8), time(17)), longest_minutes=600) -> list[str]:
    visits = {v.id: v for v in visits}
    staff = {s.id: s for s in staff}
    errors = []
    ids = [a["visit"] for a in plan["assignments"]] + [u["visit"] for u in plan["unassigned"]]
    if sorted(ids) != sorted(visits):
        errors.append(f"visits not exactly once: {sorted(ids)} vs {sorted(visits)}")

    def absent(sid: str, day: date) -> bool:
        return any(a.staff == sid and a.start <= day <= a.end for a in absences)

    def can_work(sid: str, day: date, on_aland: bool = False) -> bool:
        s = staff[sid]
        employed = (s.active_from is None or s.active_from <= day) and (s.active_until is None or day <= s.active_until)
        return employed and not absent(sid, day) and day.weekday() < 5 and not _holiday(day, on_aland)

    trips = {t["id"]: t for t in plan["trips"]}
    for a in plan["assignments"]:
        v = visits[a["visit"]]
        start, end = datetime.fromisoformat(a["start"]), datetime.fromisoformat(a["end"])
        day = start.date()
        if not (v.earliest <= day <= v.latest) or day.weekday() >= 5 or _holiday(day, v.on_aland):
            errors.append(f"{v.id}: {day} outside its window or not a working day")
        if start.time() < meeting[0] or end.time() > meeting[1] or end.date() != day:
            errors.append(f"{v.id}: meeting {start}-{end} outside the meeting hours")
        if len(set(a["staff"])) != v.staff_needed:
            errors.append(f"{v.id}: {len(a['staff'])} people for {v.staff_needed}")
        have_skills = set().union(*(staff[s].skills for s in a["staff"]))
        have_langs = set().union(*(staff[s].languages for s in a["staff"]))
        if not v.skills <= have_skills:
            errors.append(f"{v.id}: skills {set(v.skills) - have_skills} missing")
        if not v.interpreter and not v.languages <= have_langs:
            errors.append(f"{v.id}: languages {set(v.languages) - have_langs} missing")
        for s in a["staff"]:
            if not can_work(s, day, v.on_aland):
                errors.append(f"{v.id}: {s} cannot work on {day}")
        on_trips = sorted(p for t in a["trips"] for p in trips[t]["staff"])
        if on_trips != sorted(a["staff"]):
            errors.append(f"{v.id}: trips carry {on_trips}")
        for t in a["trips"]:
            if not datetime.fromisoformat(trips[t]["depart"]) <= start < end <= datetime.fromisoformat(trips[t]["return"]):
                errors.append(f"{v.id}: meeting outside trip {t}")
    per_person = defaultdict(list)
    for t in plan["trips"]:
        dep, ret = datetime.fromisoformat(t["depart"]), datetime.fromisoformat(t["return"])
        if t["nights"] != (ret.date() - dep.date()).days:
            errors.append(f"{t['id']}: nights {t['nights']}")
        if t["nights"] == 0 and ret - dep > timedelta(minutes=longest_minutes):
            errors.append(f"{t['id']}: {ret - dep} day without a night away")
        for s in t["staff"]:
            if staff[s].office != t["office"]:
                errors.append(f"{t['id']}: {s} is not from {t['office']}")
            per_person[s].append((dep, ret))
            d = dep.date()
            while d <= ret.date():
                if not can_work(s, d):
                    errors.append(f"{t['id']}: {s} away on {d}, not a working day for them")
                d += timedelta(1)
    for s, spans in per_person.items():
        spans.sort()
        for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
            if b0 < a1:
                errors.append(f"{s}: two trips overlap")
    return errors
