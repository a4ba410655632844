"""Personal calendar feed tokens: a secret in the feed's URL, revocable, of which only the hash is stored."""
from __future__ import annotations

import hashlib
import secrets

from sqlite_utils import Database

from ..store import calendar_tokens
from ..store.db import audit


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_calendar_token(db: Database, user_id: int) -> str:
    """A new secret feed token for the user (the old one stops working); only its hash is stored."""
    token = secrets.token_urlsafe(24)
    calendar_tokens.set_token_hash(db, user_id, token_hash(token))
    audit(db, f"user:{user_id}", "calendar-token", "user", str(user_id))
    return token


def revoke_calendar_token(db: Database, user_id: int) -> None:
    calendar_tokens.set_token_hash(db, user_id, None)
    audit(db, f"user:{user_id}", "calendar-revoke", "user", str(user_id))


def user_by_calendar_token(db: Database, token: str) -> dict | None:
    if not token or len(token) > 100:
        return None
    return calendar_tokens.active_user_by_token_hash(db, token_hash(token))


def has_calendar_token(db: Database, user_id: int) -> bool:
    """Whether the user has a feed link that works."""
    return calendar_tokens.has_token(db, user_id)
