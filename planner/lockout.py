"""Failed sign-ins counted in the database, per account and per address, and the lock-outs they lead to.

Kept in SQLite (migration 0006) rather than in memory so every WSGI worker sees the same counts. The keys are
HMAC-SHA256 of the email as typed (lower case) and of the client address, keyed with the app's secret: the tables
never hold what was typed (an unknown email may be a typo of a real one, or a password typed in the wrong field),
and an unknown email is counted and locked exactly like a real one, so a lock-out says nothing about whether the
account exists. Rows older than the counting window are deleted whenever a failure is recorded.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from sqlite_utils import Database

SCOPES = ("account", "address")


@dataclass(frozen=True)
class Limits:
    account: int = 5          # failures for one email within the window before that email is refused
    address: int = 20         # failures from one address within the window before that address is refused
    window: float = 15 * 60   # seconds over which failures are counted
    lockout: float = 15 * 60  # seconds a locked email or address is refused, even with the right password


def keyed(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def locked_until(db: Database, keys: dict[str, str], now: float) -> float | None:
    """The time the latest lock on any of ``keys`` ({scope: key}) ends, or None when none is in force."""
    ends = [row["until"] for scope, key in keys.items()
            for row in db.query("select until from sign_in_locks where scope = ? and key = ? and until > ?",
                                [scope, key, now])]
    return max(ends) if ends else None


def record_failure(db: Database, keys: dict[str, str], now: float, limits: Limits) -> dict[str, float]:
    """Count one failure for each of ``keys``; returns {scope: until} for the locks this failure started. A lock
    resets its key's count, so after it ends the email or address has its full number of tries again."""
    started = {}
    with db.atomic():
        db.execute("delete from sign_in_failures where at <= ?", [now - limits.window])
        db.execute("delete from sign_in_locks where until <= ?", [now])
        for scope, key in keys.items():
            db["sign_in_failures"].insert({"scope": scope, "key": key, "at": now})
            count = db.execute("select count(*) from sign_in_failures where scope = ? and key = ? and at > ?",
                               [scope, key, now - limits.window]).fetchone()[0]
            if count >= getattr(limits, scope):
                until = now + limits.lockout
                db["sign_in_locks"].upsert({"scope": scope, "key": key, "until": until}, pk=("scope", "key"))
                db.execute("delete from sign_in_failures where scope = ? and key = ?", [scope, key])
                started[scope] = until
    return started


def clear_account(db: Database, key: str) -> None:
    """A successful sign-in forgets the account's failures (the address keeps its count: one good account must not
    wipe out the count of an address that is guessing others)."""
    # Look first: a DELETE takes the database's write lock even when nothing matches, and sign-ins are many.
    if next(db.query("select 1 from sign_in_failures where scope = 'account' and key = ? limit 1", [key]), None):
        db.execute("delete from sign_in_failures where scope = 'account' and key = ?", [key])
