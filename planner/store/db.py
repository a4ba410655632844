"""The SQLite database: opening it (foreign keys on, WAL, migrations applied) and further connections to it."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from ..core.local_time import HELSINKI
from .migrations import migrations


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    db = Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 15000")
    if str(path) != ":memory:":
        db.enable_wal()
    migrations.apply(db)
    return db


def connect(path: str) -> Database:
    """A further connection to a database ``open_db`` has brought up to date; it may be handed between threads
    (a pool of request connections), never shared by two at once."""
    db = Database(sqlite3.connect(path, check_same_thread=False))
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 15000")  # wait for the write lock (5 s was too short at 100 users)
    return db


def ping(db: Database) -> None:
    """Raise unless the database answers (the health check)."""
    db.execute("select 1")


def now_iso() -> str:
    """The current Helsinki local time, to the second, as ISO text (for created_at/updated_at and the audit log)."""
    return datetime.now(HELSINKI).replace(microsecond=0, tzinfo=None).isoformat()


def audit(db: Database, actor: str, action: str, entity: str = "", entity_id: str = "", detail: dict | None = None) -> None:
    """Record who did what to which record. ``detail`` never holds client data (case codes stay out)."""
    db["audit_log"].insert({
        "at": now_iso(), "actor": actor, "action": action, "entity": entity, "entity_id": entity_id,
        "detail": json.dumps(detail or {}, ensure_ascii=False),
    })
