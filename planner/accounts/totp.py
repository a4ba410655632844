"""The optional second factor: time-based one-time codes (TOTP, RFC 6238; 6 digits, 30-second steps) with pyotp.

Table ``totp`` (migration 0006): one row per user; ``confirmed_at`` NULL while set-up waits for the first code, so
a secret only counts once the person has shown their app makes the right codes. ``last_step`` is the time step of
the last code accepted: a code is accepted only for a later step, so a code seen over someone's shoulder cannot be
used again within its window. The secret is stored as it is (an authenticator needs the secret itself, a hash will
not do); at rest it is protected by the server's disk encryption and file permissions, like the rest of the database.
"""
from __future__ import annotations

import hmac

import pyotp
import segno
from sqlite_utils import Database

from ..store import totp as totp_store
from ..store.db import audit, now_iso

ISSUER = "Field-visit planner"
DRIFT_STEPS = 1  # a code from the step before or after also counts (clocks of phones drift; codes are typed slowly)


def get(db: Database, user_id: int) -> dict | None:
    return totp_store.get(db, user_id)


def enabled(db: Database, user_id: int) -> bool:
    row = get(db, user_id)
    return bool(row and row["confirmed_at"])


def start_setup(db: Database, user_id: int) -> str:
    """A new unconfirmed secret for the user (replacing an unconfirmed one); refuses when TOTP is already on."""
    row = get(db, user_id)
    if row and row["confirmed_at"]:
        raise ValueError("two-step sign-in is already on")
    secret = pyotp.random_base32()  # 160 bits
    totp_store.save_setup(db, user_id, secret, now_iso())
    return secret


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """A PNG of the QR code as a data: URI (the CSP allows data: images; no script, no request leaves the page)."""
    return segno.make(uri, error="m").png_data_uri(scale=5, border=4)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step whose code ``code`` is (the current one or one either side), or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(int(now))
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def check_code(db: Database, user_id: int, code: str, now: float) -> str:
    """'ok' (and the step is used up), 'reused' (right code, already used) or 'wrong', for a user with TOTP on."""
    row = get(db, user_id)
    step = matching_step(row["secret"], code, now) if row and row["confirmed_at"] else None
    if step is None:
        return "wrong"
    return "ok" if totp_store.use_step(db, user_id, step) else "reused"  # one statement: one winner of a race


def confirm(db: Database, user_id: int, code: str, now: float, actor: str) -> bool:
    """Turn TOTP on when ``code`` matches the unconfirmed secret; False (nothing changed) when it does not."""
    row = get(db, user_id)
    if not row or row["confirmed_at"]:
        return False
    step = matching_step(row["secret"], code, now)
    if step is None:
        return False
    with db.atomic():
        totp_store.confirm(db, user_id, now_iso(), step)
        audit(db, actor, "totp-enabled", "user", str(user_id))
    return True


def remove(db: Database, user_id: int, actor: str, action: str = "totp-disabled") -> bool:
    """Turn TOTP off (or drop an unfinished set-up); True when there was something to remove."""
    with db.atomic():
        gone = totp_store.delete(db, user_id)
        if gone:
            audit(db, actor, action, "user", str(user_id))
    return bool(gone)

