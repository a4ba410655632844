"""The ``outbox`` table (migration 0014): email notices waiting to be sent, written in the same transaction as the
change they tell of, and what became of each.

A row gathers the changes of one kind for one person (``items``, a JSON list of codes and parameters, worded only
when sent) until ``due_at``, a short window after the first. States: ``waiting`` → ``sending`` (claimed by a sender)
→ ``sent``; back to ``waiting`` with a later ``next_try`` when the server could not take it; ``failed`` when it
never will; ``unsure`` when a sender stopped between sending and marking (it is never sent again: at most once);
``dropped`` when the person turned that kind of notice off or left before it was sent.
"""
from __future__ import annotations

import json

from sqlite_utils import Database

from .concurrency import write_transaction

STATES = ("waiting", "sending", "sent", "failed", "unsure", "dropped")


def enqueue(db: Database, user_id: int, kind: str, items: list[dict], now: float, window: float) -> int:
    """Add ``items`` (one change's) to the person's waiting notice of ``kind`` still gathering (due later than
    ``now``), or start one due ``window`` seconds from now. Returns the row's id. Call inside the change's own
    transaction."""
    row = next(db.query("""select id, items from outbox where user = ? and kind = ? and state = 'waiting'
                           and attempts = 0 and due_at > ? order by id desc limit 1""", [user_id, kind, now]), None)
    if row is not None:
        gathered = json.loads(row["items"]) + items
        db.execute("update outbox set items = ? where id = ?", [json.dumps(gathered, ensure_ascii=False), row["id"]])
        return row["id"]
    cursor = db.execute("""insert into outbox (user, kind, items, created_at, due_at, next_try)
                           values (?, ?, ?, ?, ?, 0)""",
                        [user_id, kind, json.dumps(items, ensure_ascii=False), now, now + window])
    return cursor.lastrowid


def due(db: Database, now: float) -> list[dict]:
    """Waiting rows whose window has closed and whose next try has come, oldest first."""
    return list(db.query("""select * from outbox where state = 'waiting' and due_at <= ? and next_try <= ?
                            order by id""", [now, now]))


def waiting_count(db: Database) -> int:
    return next(db.query("select count(*) as n from outbox where state = 'waiting'"))["n"]


def claim(db: Database, row_id: int, now: float) -> dict | None:
    """Take a waiting, due row for sending and return it as it is now (with any items added since it was listed);
    None when another sender took it first or it is no longer due."""
    with write_transaction(db):
        cursor = db.execute("""update outbox set state = 'sending', claimed_at = ?
                               where id = ? and state = 'waiting' and due_at <= ? and next_try <= ?""",
                            [now, row_id, now, now])
        if cursor.rowcount != 1:
            return None
        return next(db.query("select * from outbox where id = ?", [row_id]))


# What a sender does with a row it claimed: each only while the row is still claimed ('sending').

def mark_sent(db: Database, row_id: int, now: float) -> None:
    _set(db, row_id, "state = 'sent', sent_at = ?, last_error = null", [now])


def retry_later(db: Database, row_id: int, error: str, next_try: float) -> None:
    """Not taken this time (the server said 'later'): waiting again from ``next_try``."""
    _set(db, row_id, "state = 'waiting', attempts = attempts + 1, next_try = ?, last_error = ?", [next_try, error])


def mark_failed(db: Database, row_id: int, error: str) -> None:
    _set(db, row_id, "state = 'failed', attempts = attempts + 1, last_error = ?", [error])


def mark_unsure(db: Database, row_id: int, error: str) -> None:
    """The server may have it: never sent again."""
    _set(db, row_id, "state = 'unsure', last_error = ?", [error])


def mark_dropped(db: Database, row_id: int, why: str) -> None:
    _set(db, row_id, "state = 'dropped', last_error = ?", [why])


def give_up_unsure(db: Database, claimed_before: float) -> int:
    """Rows a sender claimed before ``claimed_before`` and never marked: it may have sent them, so they become
    'unsure' and are not sent again. Returns how many."""
    with write_transaction(db):
        cursor = db.execute("""update outbox set state = 'unsure',
                               last_error = 'the sender stopped between sending and marking'
                               where state = 'sending' and claimed_at < ?""", [claimed_before])
        return cursor.rowcount


def recent(db: Database, limit: int = 200) -> list[dict]:
    """The newest rows with their person's email and language, for the administrator's outbox page."""
    return list(db.query("""select o.*, u.email, u.language from outbox o join users u on u.id = o.user
                            order by o.id desc limit ?""", [limit]))


def counts(db: Database) -> dict[str, int]:
    return {r["state"]: r["n"] for r in db.query("select state, count(*) as n from outbox group by state")}


def _set(db: Database, row_id: int, assignments: str, params: list) -> None:
    with write_transaction(db):
        db.execute(f"update outbox set {assignments} where id = ? and state = 'sending'", [*params, row_id])
