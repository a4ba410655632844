"""An independent checker of a plan JSON (``planner plan-week --json``) against the import document it was
planned from: a second, deliberately simple reading of the hard rules for the benchmark (issue 14).

It shares no code with the ``planner`` package: it reads the two JSON documents only, holidays come from the
``holidays`` package, working days from the document's ``working_pattern``. If the optimizer and the project's
validator agreed on a wrong reading of a rule, this one would still catch it. The meeting hours are the 2026
defaults of the README (08.00-17.00); the benchmark plans with the default settings.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import combinations_with_replacement

import holidays

MEETINGS = (time(8), time(17))
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@lru_cache(maxsize=None)
def _holidays(year: int):
    return holidays.country_holidays("FI", years=year)


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


class Team:
    """The document's staff and absences: who can work on which day."""

    def __init__(self, document: dict):
        self.staff = {s["id"]: s for s in document.get("staff", [])}
        self.absences = defaultdict(list)
        for a in document.get("absences", []):
            self.absences[a["staff"]].append((_day(a["from"]), _day(a["to"])))

    def working_days(self, sid: str) -> set[str]:
        pattern = self.staff[sid].get("working_pattern")
        if not pattern:
            return set(WEEKDAYS[:5])
        blocks = pattern if isinstance(pattern, list) else [pattern]
        return {d for block in blocks for d in block["days"]}

    def why_not(self, sid: str, day: date) -> str | None:
        """Why ``sid`` cannot work on ``day``, or None when they can."""
        s = self.staff.get(sid)
        if s is None:
            return "not in the team"
        if s.get("active_from") and day < _day(s["active_from"]) or s.get("active_until") and day > _day(
                s["active_until"]):
            return "not employed"
        if any(first <= day <= last for first, last in self.absences[sid]):
            return "absent"
        if WEEKDAYS[day.weekday()] not in self.working_days(sid) or day.weekday() >= 5:
            return "not a working day for them"
        if day in _holidays(day.year):
            return "a public holiday"
        return None


def _requirements(visit: dict) -> set[str]:
    needs = {f"skill:{s}" for s in visit.get("skills", [])}
    if not visit.get("interpreter"):
        needs |= {f"lang:{lang}" for lang in visit.get("languages", [])}
    return needs


def _offers(person: dict) -> set[str]:
    return {f"skill:{s}" for s in person.get("skills", [])} | {f"lang:{lang}" for lang in person.get("languages", [])}


def check(plan: dict, document: dict) -> list[str]:
    """Every broken rule of ``plan`` as a line; empty when the plan keeps them all."""
    team = Team(document)
    visits = {v["id"]: v for v in document["visits"]}
    errors = []
    seen = Counter([a["visit"] for a in plan["assignments"]] + [u["visit"] for u in plan["unassigned"]])
    errors += [f"{vid}: in the plan {n} times" for vid, n in seen.items() if n > 1]
    errors += [f"{vid}: not a visit of the document" for vid in seen if vid not in visits]
    errors += [f"{vid}: neither assigned nor unassigned" for vid in visits if vid not in seen]

    trips = {t["id"]: t for t in plan["trips"]}
    meetings = defaultdict(list)  # person: (start, end, visit)
    for a in plan["assignments"]:
        v = visits.get(a["visit"])
        if v is None:
            continue
        start, end = datetime.fromisoformat(a["start"]), datetime.fromisoformat(a["end"])
        day = start.date()
        if not _day(v["earliest"]) <= day <= _day(v["latest"]):
            errors.append(f"{v['id']}: on {day}, outside its window {v['earliest']}..{v['latest']}")
        if end - start != timedelta(minutes=v["duration_min"]):
            errors.append(f"{v['id']}: meeting {start:%H:%M}-{end:%H:%M} is not {v['duration_min']} min")
        if start.time() < MEETINGS[0] or end.time() > MEETINGS[1] or end.date() != day:
            errors.append(f"{v['id']}: meeting {start}-{end} outside the meeting hours")
        people = a["staff"]
        if len(set(people)) != len(people) or len(people) != v.get("staff_needed", 1):
            errors.append(f"{v['id']}: {people} for {v.get('staff_needed', 1)} people")
        offered = set().union(*(_offers(team.staff.get(s, {})) for s in people)) if people else set()
        if missing := _requirements(v) - offered:
            errors.append(f"{v['id']}: {sorted(missing)} not covered by {people}")
        for s in people:
            if why := team.why_not(s, day):
                errors.append(f"{v['id']}: {s} cannot go on {day}: {why}")
            meetings[s].append((start, end, v["id"]))
        carried = sorted(p for t in a["trips"] for p in trips.get(t, {}).get("staff", []))
        if carried != sorted(people):
            errors.append(f"{v['id']}: its trips {a['trips']} carry {carried}, not {sorted(people)}")
        for tid in a["trips"]:
            t = trips.get(tid)
            if t is None:
                errors.append(f"{v['id']}: no trip {tid}")
            elif not datetime.fromisoformat(t["depart"]) <= start < end <= datetime.fromisoformat(t["return"]):
                errors.append(f"{v['id']}: meeting outside its trip {tid}")
            elif v["id"] not in t["visits"]:
                errors.append(f"{v['id']}: trip {tid} does not list it")

    away = defaultdict(list)  # person: (depart, return, trip)
    for t in plan["trips"]:
        depart, back = datetime.fromisoformat(t["depart"]), datetime.fromisoformat(t["return"])
        if back <= depart:
            errors.append(f"{t['id']}: returns before it leaves")
        for s in t["staff"]:
            if team.staff.get(s, {}).get("office") != t["office"]:
                errors.append(f"{t['id']}: {s} does not work at {t['office']}")
            away[s].append((depart, back, t["id"]))
            day = depart.date()
            while day <= back.date():
                if why := team.why_not(s, day):
                    errors.append(f"{t['id']}: {s} away on {day}: {why}")
                day += timedelta(1)
    for s, spans in list(away.items()) + list(meetings.items()):
        spans.sort()
        for (_a0, a1, first), (b0, _b1, second) in zip(spans, spans[1:]):
            if b0 < a1:
                errors.append(f"{s}: in two places at once ({first} and {second})")
    return errors


def leg_labels(plan: dict, document: dict) -> list[str]:
    """Where the legs' place names do not read as one chain from the trip's office and back. Kept apart from
    ``check``: legs carry names, not coordinates, and two places at one point (an office in a town and a visit in
    that town, Inari and Ivalo) can be named either way, so a mismatch here is a wrong label, not a broken rule
    (the trip's ``office`` is checked against each person's in ``check``)."""
    offices = {o["id"]: o for o in document.get("offices", [])}
    out = []
    for t in plan["trips"]:
        legs = t.get("legs") or []
        if any(a["to"] != b["from"] for a, b in zip(legs, legs[1:])):
            out.append(f"{t['id']}: its legs are not one chain: "
                       + " | ".join(f"{leg['from']} -> {leg['to']}" for leg in legs))
        elif legs and legs[0]["from"] != legs[-1]["to"]:
            out.append(f"{t['id']}: starts at {legs[0]['from']} and ends at {legs[-1]['to']}")
        office = offices.get(t["office"])
        if office and legs and legs[0]["from"] != office["name"]:
            out.append(f"{t['id']}: starts at {legs[0]['from']}, not at {office['name']}")
    return out


def doable_alone(document: dict) -> set[str]:
    """The visits some free team could do if it had nothing else to do: on some day of the window, enough
    people who can work that day and together have its skills and languages. Travel is not considered (a
    visit anywhere in Finland can be reached in a day or a tour with hotel nights), so this can only count
    too many visits, which makes a coverage target measured against it stricter, never easier."""
    team = Team(document)
    out = set()
    for v in document["visits"]:
        needs, size = _requirements(v), v.get("staff_needed", 1)
        day, last = _day(v["earliest"]), _day(v["latest"])
        while day <= last and v["id"] not in out:
            free = Counter(frozenset(_offers(p) & needs) for sid, p in team.staff.items()
                           if team.why_not(sid, day) is None)
            for kinds in combinations_with_replacement(sorted(free, key=sorted), size):
                if all(free[k] >= kinds.count(k) for k in kinds) and set().union(*kinds) >= needs:
                    out.add(v["id"])
                    break
            day += timedelta(1)
    return out
