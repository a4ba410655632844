"""The sign-in tables (migration 0006): failed attempts and locks per scope ('account' or 'address') and keyed
hash (``sign_in_failures``, ``sign_in_locks``), and the sessions kept on the server (``user_sessions``).

Only storage: what counts as too many and for how long is ``planner.accounts.lockout``'s."""
from __future__ import annotations

from sqlite_utils import Database


# Failures and locks ----------------------------------------------------------------------------------------

def lock_ends(db: Database, scope: str, key: str, now: float) -> list[float]:
    """When the locks on ``key`` in force at ``now`` end."""
    return [row["until"] for row in db.query(
        "select until from sign_in_locks where scope = ? and key = ? and until > ?", [scope, key, now])]


def forget_expired(db: Database, failures_before: float, locks_before: float) -> None:
    db.execute("delete from sign_in_failures where at <= ?", [failures_before])
    db.execute("delete from sign_in_locks where until <= ?", [locks_before])


def add_failure(db: Database, scope: str, key: str, at: float) -> int:
    """Count an attempt; returns its row id (so a right attempt can take it back)."""
    return db["sign_in_failures"].insert({"scope": scope, "key": key, "at": at}).last_rowid


def count_failures(db: Database, scope: str, key: str, since: float) -> int:
    return db.execute("select count(*) from sign_in_failures where scope = ? and key = ? and at > ?",
                      [scope, key, since]).fetchone()[0]


def lock(db: Database, scope: str, key: str, until: float) -> None:
    """Lock ``key`` until ``until`` and reset its count."""
    db["sign_in_locks"].upsert({"scope": scope, "key": key, "until": until}, pk=("scope", "key"))
    db.execute("delete from sign_in_failures where scope = ? and key = ?", [scope, key])


def delete_failures(db: Database, ids: list[int]) -> None:
    db.execute(f"delete from sign_in_failures where id in ({','.join('?' * len(ids))})", ids)


def clear_account_failures(db: Database, key: str) -> None:
    # Look first: a DELETE takes the database's write lock even when nothing matches, and sign-ins are many.
    if next(db.query("select 1 from sign_in_failures where scope = 'account' and key = ? limit 1", [key]), None):
        db.execute("delete from sign_in_failures where scope = 'account' and key = ?", [key])


def unlock_account(db: Database, key: str) -> None:
    db.execute("delete from sign_in_locks where scope = 'account' and key = ?", [key])


# Sessions --------------------------------------------------------------------------------------------------

def add_session(db: Database, session_key: str, user_id: int, created_at: int) -> None:
    db["user_sessions"].insert({"id": session_key, "user": user_id, "created_at": created_at})


def end_session(db: Database, session_key: str) -> None:
    db.execute("delete from user_sessions where id = ?", [session_key])


def forget_sessions_before(db: Database, created_before: float) -> None:
    db.execute("delete from user_sessions where created_at < ?", [created_before])
