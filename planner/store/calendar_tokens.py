"""The users' calendar feed tokens, stored as hashes only (``planner.accounts.calendar_tokens`` makes them)."""
from __future__ import annotations

from sqlite_utils import Database


def set_token_hash(db: Database, user_id: int, digest: str | None) -> None:
    """Store the hash of the user's new token, or None: no feed."""
    db.execute("update users set calendar_token = ? where id = ?", [digest, user_id])


def active_user_by_token_hash(db: Database, digest: str) -> dict | None:
    return next(db.query("select * from users where calendar_token = ? and active = 1", [digest]), None)


def has_token(db: Database, user_id: int) -> bool:
    return bool(next(db.query("select calendar_token from users where id = ?", [user_id]))["calendar_token"])
