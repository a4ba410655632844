"""Reading the audit log for the administrators' viewer (``audit()`` in ``store.db`` writes it): a page of rows by
who, what, which record and when, and the names to show beside the actors."""
from __future__ import annotations

import json
from datetime import date, timedelta

from sqlite_utils import Database


def about_visits_sql(prefix: str = "") -> str:
    """SQL condition (one JSON list of visit ids as its parameter, three times) for the audit rows about those
    visits: rows on a visit, on one of its meetings, or naming the visit id in their detail."""
    return (f"(({prefix}entity = 'visit' and {prefix}entity_id in (select value from json_each(?)))"
            f" or ({prefix}entity = 'meeting' and {prefix}entity_id in (select cast(id as text) from meetings "
            f"where visit in (select value from json_each(?))))"
            f" or exists (select 1 from json_each(?) j where instr({prefix}detail, '\"' || j.value || '\"') > 0))")


def log_page(db: Database, equal: dict[str, str], visit: str | None, start: date | None, end: date | None,
             limit: int, offset: int) -> tuple[int, list[dict]]:
    """How many rows match, and ``limit`` of them from ``offset``, newest first. ``equal``: exact values of the
    columns actor, action, entity and entity_id; ``visit``: rows about that visit; ``start``/``end``: days."""
    where, params = [], []
    for column in ("actor", "action", "entity", "entity_id"):
        if equal.get(column):
            where.append(f"{column} = ?")
            params.append(equal[column])
    if visit:
        where.append(about_visits_sql())
        params += [json.dumps([visit])] * 3
    if start:
        where.append("at >= ?")
        params.append(start.isoformat())
    if end and end < date.max:  # the last day there is has no day after it (and no row after it either)
        where.append("at < ?")
        params.append((end + timedelta(1)).isoformat())
    condition = " and ".join(where) or "1"
    total = next(db.query(f"select count(*) as n from audit_log where {condition}", params))["n"]
    rows = list(db.query(f"select * from audit_log where {condition} order by id desc limit ? offset ?",
                         params + [limit, offset]))
    return total, rows


def actors(db: Database) -> list[str]:
    """Everyone who is in the log."""
    return [r["actor"] for r in db.query("select distinct actor from audit_log")]


def actor_names(db: Database) -> tuple[dict[str, str], dict[str, str]]:
    """Users' emails by their actor ('user:7') and staff members' names by theirs ('staff:hel-pm')."""
    emails = {f"user:{r['id']}": r["email"] for r in db.query("select id, email from users")}
    names = {f"staff:{r['id']}": r["name"] for r in db.query("select id, name from staff")}
    return emails, names


def logged_actions(db: Database) -> list[str]:
    return [r["action"] for r in db.query("select distinct action from audit_log")]


def logged_entities(db: Database) -> list[str]:
    return [r["entity"] for r in db.query("select distinct entity from audit_log")]
