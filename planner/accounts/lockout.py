"""Failed sign-ins counted in the database, per account and per address, and the lock-outs they lead to.

Kept in SQLite (migration 0006) rather than in memory so every WSGI worker sees the same counts. The keys are
HMAC-SHA256 of the email as typed (lower case) and of the client address, keyed with the app's secret: the tables
never hold what was typed (an unknown email may be a typo of a real one, or a password typed in the wrong field),
and an unknown email is counted and locked exactly like a real one, so a lock-out says nothing about whether the
account exists. Rows older than the counting window are deleted whenever an attempt is recorded.

An attempt is counted *before* its password or code is checked (:func:`admit`), in the same write transaction
that reads the count: guesses sent in parallel cannot all pass a check of the count made before any of them was
recorded. A right attempt then takes its rows back (:func:`succeeded`); a wrong one leaves them (:func:`failed`).
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from sqlite_utils import Database

from ..store import sign_in as sign_in_store
from ..store.concurrency import write_transaction


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
    ends = [until for scope, key in keys.items() for until in sign_in_store.lock_ends(db, scope, key, now)]
    return max(ends) if ends else None


@dataclass
class Admission:
    """What :func:`admit` decided about one attempt: ``rows`` count it (one per scope) when it may go on to the
    check; ``locked_until`` is set when it is refused; ``started`` holds the locks it started ({scope: until})."""
    rows: list[int] = field(default_factory=list)
    locked_until: float | None = None
    started: dict[str, float] = field(default_factory=dict)


def _lock(db: Database, scope: str, key: str, now: float, limits: Limits) -> float:
    """Lock ``key`` for the lock-out time. The lock resets its count: after it ends, a full number of tries."""
    until = now + limits.lockout
    sign_in_store.lock(db, scope, key, until)
    return until


def _count(db: Database, scope: str, key: str, now: float, limits: Limits) -> int:
    return sign_in_store.count_failures(db, scope, key, now - limits.window)


def admit(db: Database, keys: dict[str, str], now: float, limits: Limits) -> Admission:
    """Count an attempt *before* its password or code is checked, and say whether it may be checked at all.

    In one write transaction (BEGIN IMMEDIATE): a lock in force refuses it; otherwise a row per scope records it
    and the counts are read. An attempt that finds more attempts in the window than the limit (the others still
    being checked, in parallel) is refused and locks that scope. So however many guesses arrive at once, no more
    than the limit reach the check. The rows stay as failures unless :func:`succeeded` removes them."""
    with write_transaction(db):
        sign_in_store.forget_expired(db, failures_before=now - limits.window, locks_before=now)
        until = locked_until(db, keys, now)
        if until:
            return Admission(locked_until=until)
        rows, started = [], {}
        for scope, key in keys.items():
            rows.append(sign_in_store.add_failure(db, scope, key, now))
            if _count(db, scope, key, now, limits) > getattr(limits, scope):
                started[scope] = _lock(db, scope, key, now, limits)
        if started:
            return Admission(locked_until=max(started.values()), started=started)
        return Admission(rows=rows)


def failed(db: Database, keys: dict[str, str], now: float, limits: Limits) -> dict[str, float]:
    """The admitted attempt was wrong: its rows stay counted; returns {scope: until} for the locks this failure
    started (a scope that has reached its limit)."""
    started = {}
    with write_transaction(db):
        for scope, key in keys.items():
            if _count(db, scope, key, now, limits) >= getattr(limits, scope):
                started[scope] = _lock(db, scope, key, now, limits)
    return started


def succeeded(db: Database, admission: Admission, account_key: str | None = None) -> None:
    """The admitted attempt was right: it no longer counts; with ``account_key`` (a sign-in) the account's failures
    are forgotten too."""
    if not admission.rows and account_key is None:
        return
    with write_transaction(db):
        sign_in_store.delete_failures(db, admission.rows)
        if account_key is not None:
            clear_account(db, account_key)


def clear_account(db: Database, key: str) -> None:
    """A successful sign-in forgets the account's failures (the address keeps its count: one good account must not
    wipe out the count of an address that is guessing others)."""
    sign_in_store.clear_account_failures(db, key)
