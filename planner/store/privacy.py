"""What ``planner purge`` deletes and what ``planner export-person`` reads: the SQL of ``planner.ops.privacy``,
which decides the cutoffs, checks the input and frames the exports.

Every function takes the database and returns plain values; the purge is one transaction, audited.
"""
from __future__ import annotations

import json
from datetime import date, datetime, time

from sqlite_utils import Database

from ..core.weeks import parse_week
from .db import HELSINKI, audit
from .audit import about_visits_sql

# Tables of the sign-in lock-out (migration 0006) and their time column, purged when present. The times may be
# Unix seconds (as there) or ISO text; the purge compares each by its type.
SIGN_IN_FAILURE_TABLES = {"sign_in_failures": "at", "sign_in_locks": "until"}


# Purge ---------------------------------------------------------------------------------------------------------

class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls back after counting."""


def _ids(db: Database, sql: str, params: list) -> list:
    return [r["id"] for r in db.query(sql, params)]


def _delete(db: Database, sql: str, params: list) -> int:
    return db.execute(sql, params).rowcount


def _json(values) -> str:
    return json.dumps(list(values))


def delete_older_than(db: Database, cutoff: date, actor: str, audit_cutoff: date | None = None,
                      dry_run: bool = False) -> dict:
    """Delete what is older than ``cutoff`` (``planner.ops.privacy`` says what goes) in ONE transaction and audit it; return the
    count per kind of record. ``audit_cutoff``: also delete audit rows before that date (the purge's own row is
    written afterwards, so it stays). ``dry_run``: count, then roll everything back."""
    c = cutoff.isoformat()
    counts: dict[str, int] = {}
    # Deleted rows are overwritten with zeros rather than left in free pages of the file.
    secure = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        with db.atomic():
            # A visit goes when its window ended before the cutoff and no meeting of it is on or after the cutoff.
            visits = _ids(db, """select id from visits v where v.latest < ? and not exists
                                 (select 1 from meetings m where m.visit = v.id and m.start >= ?)""", [c, c])
            meetings = _ids(db, "select id from meetings where visit in (select value from json_each(?))",
                            [_json(visits)])
            # A trip goes when it ended before the cutoff and every meeting it reaches goes too (a trip that also
            # reached a kept meeting stays, so the kept visit keeps its history).
            trips = _ids(db, """select id from trips t where t.[return] < ? and not exists
                                (select 1 from meeting_trips mt where mt.trip = t.id
                                 and mt.meeting not in (select value from json_each(?)))""", [c, _json(meetings)])
            m_json, t_json = _json(meetings), _json(trips)
            counts["meeting_trips"] = _delete(
                db, """delete from meeting_trips where meeting in (select value from json_each(?))
                       or trip in (select value from json_each(?))""", [m_json, t_json])
            counts["trip_declines"] = _delete(db, "delete from trip_declines where trip in (select value from "
                                                  "json_each(?))", [t_json])
            counts["trip_staff"] = _delete(db, "delete from trip_staff where trip in (select value from json_each(?))",
                                           [t_json])
            counts["trips"] = _delete(db, "delete from trips where id in (select value from json_each(?))", [t_json])
            counts["meetings"] = _delete(db, "delete from meetings where id in (select value from json_each(?))",
                                         [m_json])
            counts["visits"] = _delete(db, "delete from visits where id in (select value from json_each(?))",
                                       [_json(visits)])
            # A plan run goes when its week ended before the cutoff and nothing of it is left.
            empty_runs = [r["id"] for r in db.query(
                """select id, week from plan_runs r where not exists (select 1 from trips t where t.plan_run = r.id)
                   and not exists (select 1 from meetings m where m.plan_run = r.id)""")
                if _week_end(r["week"]) < cutoff]
            counts["plan_jobs"] = _delete(
                db, """delete from plan_jobs where (started_at < ? and state != 'running')
                       or plan_run in (select value from json_each(?))""", [c, _json(empty_runs)])
            counts["plan_runs"] = _delete(db, "delete from plan_runs where id in (select value from json_each(?))",
                                          [_json(empty_runs)])
            counts["absences"] = _delete(db, "delete from absences where to_date < ?", [c])
            counts["schedule_seen"] = _delete(db, "delete from schedule_seen where seen_at < ?", [c])
            # Kept journeys name no one, but their ends are visits' coordinates: all go (the next plan run rebuilds).
            counts["journey_cache"] = _delete(db, "delete from journey_cache", [])
            epoch = datetime.combine(cutoff, time.min, HELSINKI).timestamp()
            for table, column in SIGN_IN_FAILURE_TABLES.items():
                if db[table].exists():
                    col = f"[{column}]"
                    counts[table] = _delete(db, f"""delete from [{table}]
                        where (typeof({col}) in ('integer', 'real') and {col} < ?)
                        or (typeof({col}) = 'text' and {col} < ?)""", [epoch, c])
            if audit_cutoff is not None:
                counts["audit_log"] = _delete(db, "delete from audit_log where at < ?", [audit_cutoff.isoformat()])
            detail = {"cutoff": c, "counts": counts}
            if audit_cutoff is not None:
                detail["audit_cutoff"] = audit_cutoff.isoformat()
            audit(db, actor, "purge", "database", "", detail)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    finally:
        db.execute(f"PRAGMA secure_delete = {int(secure)}")
    if not dry_run:  # copy the zeroed pages into the file and empty the write-ahead log of the old ones
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts


def _week_end(week: str) -> date:
    try:
        return parse_week(week)[1]
    except ValueError:  # a malformed week is never "old": keep the run rather than guess
        return date.max


# Export of one person's data -----------------------------------------------------------------------------------

def _rows(db: Database, sql: str, params: list) -> list[dict]:
    return [dict(r) for r in db.query(sql, params)]


def _decode(row: dict, *columns: str) -> dict:
    for column in columns:
        if isinstance(row.get(column), str):
            try:
                row[column] = json.loads(row[column])
            except ValueError:
                pass
    return row


def _audit_rows(db: Database, where: str, params: list) -> list[dict]:
    return [_decode(r, "detail") for r in _rows(
        db, f"select id, at, actor, action, entity, entity_id, detail from audit_log where {where} order by id",
        params)]


def staff_names(db: Database) -> dict[str, str]:
    return {r["id"]: r["name"] for r in db.query("select id, name from staff")}


def staff_data(db: Database, staff_id: str) -> dict | None:
    """Everything the planner holds about staff member ``staff_id``; None when there is no such staff member."""
    person = next(db.query("select * from staff where id = ?", [staff_id]), None)
    if person is None:
        return None
    users = _rows(db, """select id, email, role, active, created_at, calendar_token is not null as has_calendar_feed
                         from users where staff = ? order by id""", [staff_id])
    actors = [f"staff:{staff_id}"] + [f"user:{u['id']}" for u in users]
    trips = _rows(db, """select t.id, t.office, t.depart, t.[return], t.state, t.nights, t.travel_minutes,
                                t.distance_km, t.cost_eur, t.legs, r.week
                         from trips t join trip_staff ts on ts.trip = t.id join plan_runs r on r.id = t.plan_run
                         where ts.staff = ? order by t.depart, t.id""", [staff_id])
    for t in trips:
        _decode(t, "legs")
        t["travelling_with"] = [r["staff"] for r in db.query(
            "select staff from trip_staff where trip = ? and staff != ? order by staff", [t["id"], staff_id])]
        # The meetings the trip reached: when and where, never the client's case code or the visit id.
        t["meetings"] = _rows(db, """select m.start, m.[end], m.state, v.kind, v.place_name
                                     from meeting_trips mt join meetings m on m.id = mt.meeting
                                     join visits v on v.id = m.visit where mt.trip = ? order by m.start""", [t["id"]])
    return {
        "staff": _decode(dict(person), "skills", "languages"),
        "working_pattern": _rows(db, "select weekday, start, [end] from working_patterns where staff = ? "
                                     "order by weekday", [staff_id]),
        "absences": _rows(db, "select id, from_date, to_date, kind, note from absences where staff = ? "
                              "order by from_date", [staff_id]),
        "trips": trips,
        "declined_trips": _rows(db, "select trip, reason, created_at, resolved_at from trip_declines where staff = ? "
                                    "order by id", [staff_id]),
        "user_accounts": users,
        "schedule_seen": _rows(db, "select seen_at from schedule_seen where user in (select value from json_each(?))",
                               [_json(u["id"] for u in users)]),
        "audit": _audit_rows(db, "actor in (select value from json_each(?)) or (entity = 'staff' and entity_id = ?)"
                                 " or (entity = 'user' and entity_id in (select value from json_each(?)))",
                             [_json(actors), staff_id, _json(str(u["id"]) for u in users)]),
    }


def case_visits(db: Database, code: str) -> list[dict]:
    """The visits with case code ``code``, each with its meetings (who met the client, on which trips)."""
    visits = [_decode(r, "skills", "languages") for r in _rows(
        db, """select id, kind, case_code, place_name, lat, lon, on_aland, region, earliest, latest, duration_min,
                      staff_needed, skills, languages, interpreter, priority, status, created_at, updated_at
               from visits where case_code = ? order by earliest, id""", [code])]
    names = staff_names(db) if visits else {}
    for v in visits:
        v["meetings"] = []
        for m in _rows(db, "select id, start, [end], state, staff from meetings where visit = ? order by start",
                       [v["id"]]):
            _decode(m, "staff")
            m["met_by"] = [{"staff": s, "name": names.get(s, s)} for s in m.pop("staff") or []]
            m["trips"] = _rows(db, """select t.id, t.office, t.depart, t.[return], t.state from meeting_trips mt
                                      join trips t on t.id = mt.trip where mt.meeting = ? order by t.depart""",
                               [m["id"]])
            v["meetings"].append(m)
    return visits


def visits_audit(db: Database, visit_ids: list) -> list[dict]:
    """The audit rows about the visits ``visit_ids`` (``about_visits_sql``)."""
    return _audit_rows(db, about_visits_sql(), [_json(visit_ids)] * 3)
