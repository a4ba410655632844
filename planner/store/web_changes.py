"""The change counter (``web_changes``, migrations 0004/0005): triggers bump it on every write a page or the
settings depend on, so one small query tells a process whether what it cached is still current."""
from __future__ import annotations

from sqlite_utils import Database


def change_counter(db: Database) -> int:
    return next(db.query("select n from web_changes where id = 1"))["n"]
