"""What each person last saw of their schedule (``schedule_seen``), so "what changed" can be shown."""
from __future__ import annotations

import json

from sqlite_utils import Database

from .db import now_iso


def last_seen(db: Database, user_id: int) -> dict | None:
    """The user's row (``seen_at`` and the ``snapshot`` JSON they saw), or None before their first look."""
    return next(db.query("select * from schedule_seen where user = ?", [user_id]), None)


def mark_seen(db: Database, user_id: int, snapshot: dict) -> None:
    db["schedule_seen"].upsert({"user": user_id, "seen_at": now_iso(), "snapshot": json.dumps(snapshot)}, pk="user")
