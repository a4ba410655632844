"""Reading and writing the planner's records (``planner.core.records``) in the SQLite database."""
from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Iterable

from sqlite_utils import Database

from ..core.availability import Busy, days
from .db import now_iso
from ..core.records import DEFAULT_PATTERN, Absence, Office, StaffMember, Visit
from ..core.offices import BUILTIN_OFFICES


__all__ = ["ensure_builtin_offices", "office_row", "save_office", "load_offices", "staff_row", "save_staff_member",
           "load_staff", "set_working_pattern", "load_absences", "add_absence", "visit_row", "visit_from_row",
           "upsert_visit", "load_visit", "load_visits", "load_busy", "load_declined", "count_staff", "absences_of_staff",
           "absence_of_staff", "absence_rows_between", "absence_row", "delete_absence", "count_visits"]


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


# Offices ---------------------------------------------------------------------------------------------------

def ensure_builtin_offices(db: Database) -> None:
    """Add the four offices when the database has none."""
    if not db["offices"].count:
        db["offices"].insert_all([office_row(o) for o in BUILTIN_OFFICES], pk="id")


def office_row(office: Office) -> dict:
    return {"id": office.id, "name": office.name, "place_id": office.place_id, "lat": office.lat,
            "lon": office.lon, "region": office.region}


def save_office(db: Database, office: Office) -> None:
    """Add the office, or replace the one with its id."""
    db["offices"].upsert(office_row(office), pk="id")


def load_offices(db: Database) -> dict[str, Office]:
    return {r["id"]: Office(r["id"], r["name"], r["lat"], r["lon"], r["region"] or "", r["place_id"] or "")
            for r in db.query("select * from offices order by id")}


# Staff ----------------------------------------------------------------------------------------------------

def staff_row(person: StaffMember) -> dict:
    return {"id": person.id, "name": person.name, "role": person.role, "office": person.office,
            "skills": json.dumps(sorted(person.skills)), "languages": json.dumps(sorted(person.languages)),
            "active_from": person.active_from.isoformat() if person.active_from else None,
            "active_until": person.active_until.isoformat() if person.active_until else None,
            "region": person.region}


def save_staff_member(db: Database, person: StaffMember) -> None:
    """Add the staff member, or replace the one with their id (their working pattern is kept apart)."""
    db["staff"].upsert(staff_row(person), pk="id")


def load_staff(db: Database) -> dict[str, StaffMember]:
    patterns: dict[str, dict[int, tuple[time, time]]] = {}
    for r in db.query("select * from working_patterns"):
        patterns.setdefault(r["staff"], {})[r["weekday"]] = (time.fromisoformat(r["start"]), time.fromisoformat(r["end"]))
    return {
        r["id"]: StaffMember(
            id=r["id"], name=r["name"], role=r["role"], office=r["office"],
            skills=frozenset(json.loads(r["skills"] or "[]")), languages=frozenset(json.loads(r["languages"] or "[]")),
            active_from=_date(r["active_from"]), active_until=_date(r["active_until"]), region=r["region"],
            pattern=patterns.get(r["id"], dict(DEFAULT_PATTERN)))
        for r in db.query("select * from staff order by id")
    }


def count_staff(db: Database) -> int:
    return db["staff"].count


def set_working_pattern(db: Database, staff_id: str, pattern: dict[int, tuple[time, time]]) -> None:
    db.execute("delete from working_patterns where staff = ?", [staff_id])
    db["working_patterns"].insert_all(
        [{"staff": staff_id, "weekday": d, "start": s.strftime("%H:%M"), "end": e.strftime("%H:%M")}
         for d, (s, e) in sorted(pattern.items())])


# Absences -------------------------------------------------------------------------------------------------

def load_absences(db: Database) -> list[Absence]:
    return [Absence(r["staff"], date.fromisoformat(r["from_date"]), date.fromisoformat(r["to_date"]), r["kind"])
            for r in db.query("select * from absences order by staff, from_date")]


def add_absence(db: Database, absence: Absence, note: str | None = None) -> bool:
    """Insert unless the same absence is already recorded; True when inserted."""
    key = [absence.staff, absence.start.isoformat(), absence.end.isoformat(), absence.kind]
    exists = list(db.query("select 1 from absences where staff=? and from_date=? and to_date=? and kind=?", key))
    if exists:
        return False
    db["absences"].insert({"staff": absence.staff, "from_date": key[1], "to_date": key[2], "kind": absence.kind,
                           "note": note})
    return True


def absences_of_staff(db: Database, staff_id: str) -> list[dict]:
    """The person's absence rows, the latest first."""
    return list(db.query("select * from absences where staff = ? order by from_date desc", [staff_id]))


def absence_of_staff(db: Database, absence_id: int, staff_id: str) -> dict | None:
    """The absence row when it is the person's own."""
    return next(db.query("select * from absences where id = ? and staff = ?", [absence_id, staff_id]), None)


def absence_rows_between(db: Database, first: date, last: date) -> list[dict]:
    """Absence rows overlapping [first, last], by person and first day."""
    return list(db.query("select * from absences where from_date <= ? and to_date >= ? order by staff, from_date",
                         [last.isoformat(), first.isoformat()]))


def absence_row(db: Database, absence_id: int) -> dict | None:
    return next(db.query("select * from absences where id = ?", [absence_id]), None)


def delete_absence(db: Database, absence_id: int) -> None:
    db.execute("delete from absences where id = ?", [absence_id])


# Visits ---------------------------------------------------------------------------------------------------

def visit_row(visit: Visit) -> dict:
    return {
        "id": visit.id, "kind": visit.kind, "case_code": visit.case_code, "place": visit.place,
        "place_name": visit.place_name, "lat": visit.lat, "lon": visit.lon, "on_aland": int(visit.on_aland),
        "region": visit.region,
        "earliest": visit.earliest.isoformat(), "latest": visit.latest.isoformat(),
        "duration_min": visit.duration_min, "staff_needed": visit.staff_needed,
        "skills": json.dumps(sorted(visit.skills)), "languages": json.dumps(sorted(visit.languages)),
        "interpreter": int(visit.interpreter), "priority": visit.priority, "preferred_staff": visit.preferred_staff,
        "status": visit.status,
    }


def visit_from_row(r: dict) -> Visit:
    return Visit(
        id=r["id"], kind=r["kind"], case_code=r["case_code"], place=r["place"], place_name=r["place_name"],
        lat=r["lat"], lon=r["lon"], on_aland=bool(r["on_aland"]), region=r["region"],
        earliest=date.fromisoformat(r["earliest"]), latest=date.fromisoformat(r["latest"]),
        duration_min=r["duration_min"], staff_needed=r["staff_needed"],
        skills=frozenset(json.loads(r["skills"] or "[]")), languages=frozenset(json.loads(r["languages"] or "[]")),
        interpreter=bool(r["interpreter"]), priority=r["priority"], preferred_staff=r["preferred_staff"],
        status=r["status"], version=r["version"])


def upsert_visit(db: Database, visit: Visit) -> str:
    """Insert or update a visit by id; returns 'added', 'updated' or 'unchanged'. Updates bump the version."""
    row = visit_row(visit)
    old = next(db.query("select * from visits where id = ?", [visit.id]), None)
    if old is None:
        db["visits"].insert({**row, "version": 1, "created_at": now_iso(), "updated_at": now_iso()})
        return "added"
    if all(old[k] == v for k, v in row.items()):
        return "unchanged"
    db["visits"].update(visit.id, {**row, "version": old["version"] + 1, "updated_at": now_iso()})
    return "updated"


def count_visits(db: Database) -> int:
    return db["visits"].count


def load_visit(db: Database, visit_id: str) -> Visit | None:
    row = next(db.query("select * from visits where id = ?", [visit_id]), None)
    return visit_from_row(row) if row else None


def load_visits(db: Database, start: date | None = None, end: date | None = None,
                statuses: Iterable[str] | None = None) -> list[Visit]:
    """Visits whose date window meets [start, end] (all when not given), optionally by status."""
    where, params = ["1=1"], []
    if start:
        where.append("latest >= ?")
        params.append(start.isoformat())
    if end:
        where.append("earliest <= ?")
        params.append(end.isoformat())
    if statuses:
        statuses = list(statuses)
        where.append(f"status in ({','.join('?' * len(statuses))})")
        params += statuses
    return [visit_from_row(r) for r in db.query(f"select * from visits where {' and '.join(where)} order by id", params)]


# Trips already planned ------------------------------------------------------------------------------------

def load_busy(db: Database, exclude_plan_run: int | None = None) -> list[Busy]:
    """Every person's time on trips that are not superseded (drafts count: they hold the person)."""
    rows = db.query(
        """select ts.staff, t.depart, t.[return] as ret, t.id from plan_trips t join trip_staff ts on ts.trip = t.id
           where ? is null or t.plan_run != ?""",
        [exclude_plan_run, exclude_plan_run])
    return [Busy(r["staff"], datetime.fromisoformat(r["depart"]), datetime.fromisoformat(r["ret"]), f"trip {r['id']}")
            for r in rows]


def load_declined(db: Database) -> set[tuple[str, str, date]]:
    """(person, visit, day) for every "I can't make this trip" answer, resolved or not: the person is not sent to
    the trip's visits on any of the trip's days again."""
    out = set()
    for r in db.query("""select distinct d.staff, m.visit, t.depart, t.[return] as ret from trip_declines d
                         join trips t on t.id = d.trip join meeting_trips mt on mt.trip = d.trip
                         join meetings m on m.id = mt.meeting"""):
        trip_days = days(date.fromisoformat(r["depart"][:10]), date.fromisoformat(r["ret"][:10]))
        out.update((r["staff"], r["visit"], day) for day in trip_days)
    return out
