"""SQLite's side of ``planner backup`` and ``planner restore`` (``planner.ops.backup`` handles the files, the checks
of paths and the messages): connections to database files, the backup API, the integrity check and the counts.

The backup API copies one consistent snapshot while the app keeps writing (WAL: readers and the writer do not block
each other); into a live database it takes the write lock, so the running app sees all old or all new.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .migrations import migrations

COUNTED = ("staff", "visits", "plan_runs", "trips", "meetings", "users", "audit_log")


class PageSizeMismatch(Exception):
    """The backup API cannot change a WAL database's page size: ``incoming`` and ``live`` differ."""

    def __init__(self, incoming: int, live: int):
        super().__init__(f"pages of {incoming} bytes into a database of {live}")
        self.incoming, self.live = incoming, live


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
    conn.row_factory = sqlite3.Row
    return conn


def _integrity(conn: sqlite3.Connection) -> str:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    return "ok" if rows == ["ok"] else "; ".join(rows[:3])


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    tables = _tables(conn)
    return {t: conn.execute(f"select count(*) from [{t}]").fetchone()[0] for t in COUNTED if t in tables}


def copy_database(database: Path, target: Path) -> None:
    """One-step backup of ``database`` into the (existing, empty) file ``target``, made self-contained (rollback
    journal, no -wal)."""
    source = _connect(database)
    try:
        copy = sqlite3.connect(target, isolation_level=None)
        try:
            source.backup(copy)  # pages=-1: the whole database from one snapshot
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
    finally:
        source.close()


def check_copy(path: Path) -> tuple[str, dict[str, int]]:
    """The integrity check's verdict ('ok' or the first problems) and the counts of records of the copy at ``path``."""
    copy = _connect(path, readonly=True)
    try:
        return _integrity(copy), _counts(copy)
    finally:
        copy.close()


def inspect(path: Path) -> dict:
    """What a file offered for restoring is: {integrity}, and when that is 'ok' also {planner (has the planner's
    tables), migrations (applied, in order), counts}. sqlite3.DatabaseError for a file SQLite cannot read."""
    conn = _connect(path, readonly=True)
    try:
        integrity = _integrity(conn)
        if integrity != "ok":
            return {"integrity": integrity}
        tables = _tables(conn)
        planner = "_sqlite_migrations" in tables and {"visits", "plan_runs", "trips"} <= tables
        applied = [r[0] for r in conn.execute(
            "select name from _sqlite_migrations where migration_set = ? order by rowid", [migrations.name])
        ] if planner else []
        return {"integrity": integrity, "planner": planner, "migrations": applied, "counts": _counts(conn)}
    finally:
        conn.close()


def known_migrations() -> list[str]:
    return [m.name for m in migrations._migrations]


def overwrite(database: Path, source: Path) -> None:
    """Copy ``source`` into the live ``database`` with the backup API (under its write lock: others see all old or
    all new). PageSizeMismatch when the two differ in page size; sqlite3.Error when the copy fails."""
    live = _connect(database)
    incoming = _connect(source, readonly=True)
    try:
        before = _counter(live)
        if _page_size(live) != _page_size(incoming):
            raise PageSizeMismatch(_page_size(incoming), _page_size(live))
        incoming.backup(live)
        # Pages cached by a running app are keyed on the change counter: move it past every value seen before.
        if "web_changes" in _tables(live):
            live.execute("update web_changes set n = max(n, ?) + 1 where id = 1", [before])
    finally:
        incoming.close()
        live.close()


def _page_size(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA page_size").fetchone()[0]


def _counter(conn: sqlite3.Connection) -> int:
    try:
        return conn.execute("select n from web_changes where id = 1").fetchone()[0]
    except (sqlite3.Error, TypeError):
        return 0
