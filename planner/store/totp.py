"""The ``totp`` table (migration 0006): one row per user with their authenticator secret, when it was confirmed
(NULL while set-up waits for the first code) and the last time step accepted. Checking codes is
``planner.accounts.totp``'s."""
from __future__ import annotations

from sqlite_utils import Database


def get(db: Database, user_id: int) -> dict | None:
    return next(db.query("select * from totp where user = ?", [user_id]), None)


def save_setup(db: Database, user_id: int, secret: str, created_at: str) -> None:
    """A new unconfirmed secret, replacing an unconfirmed one."""
    db["totp"].upsert({"user": user_id, "secret": secret, "confirmed_at": None, "last_step": 0,
                       "created_at": created_at}, pk="user")


def use_step(db: Database, user_id: int, step: int) -> bool:
    """Use up time step ``step``; False when it (or a later one) was used already. One statement: two requests
    racing with the same code cannot both win."""
    return db.execute("update totp set last_step = ? where user = ? and last_step < ?",
                      [step, user_id, step]).rowcount == 1


def confirm(db: Database, user_id: int, confirmed_at: str, step: int) -> None:
    db["totp"].update(user_id, {"confirmed_at": confirmed_at, "last_step": step})


def delete(db: Database, user_id: int) -> bool:
    """True when there was a row to delete."""
    return bool(db.execute("delete from totp where user = ?", [user_id]).rowcount)
