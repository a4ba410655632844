"""User accounts: roles admin, lead and staff; passwords stored as salted scrypt hashes."""
from __future__ import annotations

import re

from sqlite_utils import Database
from werkzeug.security import generate_password_hash

from .db import audit, now_iso

USER_ROLES = ("admin", "lead", "staff")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")
MIN_PASSWORD = 12


class UserError(ValueError):
    pass


def create_user(db: Database, email: str, password: str, role: str, staff: str | None = None,
                actor: str = "cli") -> int:
    """Add a user; raises UserError with a specific message for a bad email, role, password or staff id."""
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise UserError(f"{email!r} is not an email address")
    if role not in USER_ROLES:
        raise UserError(f"role must be one of {', '.join(USER_ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must be at least {MIN_PASSWORD} characters")
    if staff is not None and not list(db.query("select 1 from staff where id = ?", [staff])):
        raise UserError(f"no staff member {staff!r}")
    if role == "staff" and staff is None:
        raise UserError("a staff user needs --staff ID (their own schedule)")
    if list(db.query("select 1 from users where email = ?", [email])):
        raise UserError(f"a user {email} already exists")
    with db.atomic():
        user_id = db["users"].insert({"email": email, "password_hash": generate_password_hash(password),
                                      "role": role, "staff": staff, "active": 1, "created_at": now_iso()}).last_pk
        audit(db, actor, "create-user", "user", str(user_id), {"role": role})
    return user_id
