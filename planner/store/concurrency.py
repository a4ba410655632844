"""Optimistic concurrency: an edit carries the version of what the person saw, and is refused when it is stale.

Visits, trips and meetings have a ``version`` that triggers bump on every write to what a person sees of them
(migration ``0008_no_lost_work``), whoever writes: the web app, the CLI or the optimizer. A check and the write it
guards run in one ``write_transaction`` (``BEGIN IMMEDIATE``: the write lock is taken first, so nobody can commit
between the check and the write).
"""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from typing import Iterator

from sqlite_utils import Database


class StaleEdit(Exception):
    """Someone changed the record (``entity`` ``key``) after the page was shown; nothing was saved."""

    def __init__(self, entity: str, key: str):
        super().__init__(f"{entity} {key} changed since it was shown")
        self.entity, self.key = entity, key


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """A transaction that holds the write lock from its first statement (a savepoint when one is already open)."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


@contextmanager
def read_snapshot(db: Database) -> Iterator[Database]:
    """Reads that see one consistent state of the database (a transaction, unless one is open already)."""
    begun = not db.conn.in_transaction
    if begun:
        db.execute("BEGIN")
    try:
        yield db
    finally:
        if begun and db.conn.in_transaction:
            db.conn.execute("COMMIT")


def parse_version(text: str | None) -> int | None:
    """The version a form sent: None when it sent none (no check); a malformed one never matches."""
    if text is None or str(text).strip() == "":
        return None
    text = str(text).strip()
    # ASCII digits only ("²" is a digit to str.isdigit but not to int), and no longer than SQLite's integers
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else -1


def check_version(db: Database, table: str, key, expected: int | None, entity: str | None = None) -> dict | None:
    """The row, after checking it still has version ``expected`` (no check when None); StaleEdit when it does
    not, or when the row is gone."""
    row = next(db.query(f"select * from [{table}] where id = ?", [key]), None)
    if expected is not None and (row is None or row["version"] != expected):
        raise StaleEdit(entity or table.rstrip("s"), str(key))
    return row


def week_plan_version(db: Database, week: str) -> str:
    """A short fingerprint of the week's plan as a lead sees it: every trip and meeting of the week's runs with
    its state and version. Any change to the plan changes it; other writes (a login, an absence elsewhere) do not."""
    rows = [f"t{r['id']}:{r['state']}:{r['version']}:{r['run_state']}" for r in db.query(
        """select t.id, t.state, t.version, r.state as run_state from trips t join plan_runs r on r.id = t.plan_run
           where r.week = ? order by t.id""", [week])]
    rows += [f"m{r['id']}:{r['state']}:{r['version']}:{r['plan_run']}" for r in db.query(
        """select m.id, m.state, m.version, m.plan_run from meetings m join plan_runs r on r.id = m.plan_run
           where r.week = ? order by m.id""", [week])]
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
