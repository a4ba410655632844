"""User accounts: roles admin, lead and staff; passwords stored as salted scrypt hashes (werkzeug's default:
scrypt with a random 16-character salt per hash, so two users with the same password have different hashes).

Every password, from ``planner create-user``, the admin's users page or a user's own change, goes through the
policy in ``planner.passwords``. ``users.session_generation`` (migration 0006) is part of every session's user id:
bumping it ends every session and remember cookie of the user."""
from __future__ import annotations

import re

from sqlite_utils import Database
from werkzeug.security import generate_password_hash

from .db import audit, now_iso
from .passwords import MIN_PASSWORD, PasswordProblem, check_password

__all__ = ["USER_ROLES", "EMAIL_RE", "MIN_PASSWORD", "UserError", "BadPassword", "create_user", "set_password",
           "new_session_generation", "hash_password", "check_policy"]

USER_ROLES = ("admin", "lead", "staff")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")


class UserError(ValueError):
    pass


class BadPassword(UserError):
    """The password policy refused the password; ``problem`` (a PasswordProblem) has the code for translation."""

    def __init__(self, problem: PasswordProblem):
        super().__init__(str(problem))
        self.problem = problem


def check_policy(password: str, email: str) -> None:
    try:
        check_password(password, email)
    except PasswordProblem as exc:
        raise BadPassword(exc) from None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def create_user(db: Database, email: str, password: str, role: str, staff: str | None = None,
                actor: str = "cli") -> int:
    """Add a user; raises UserError with a specific message for a bad email, role, staff id or password (a password
    the policy refuses raises BadPassword, a UserError)."""
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise UserError(f"{email!r} is not an email address")
    if role not in USER_ROLES:
        raise UserError(f"role must be one of {', '.join(USER_ROLES)}")
    check_policy(password, email)
    if staff is not None and not list(db.query("select 1 from staff where id = ?", [staff])):
        raise UserError(f"no staff member {staff!r}")
    if role == "staff" and staff is None:
        raise UserError("a staff user needs --staff ID (their own schedule)")
    if list(db.query("select 1 from users where email = ?", [email])):
        raise UserError(f"a user {email} already exists")
    with db.atomic():
        user_id = db["users"].insert({"email": email, "password_hash": hash_password(password),
                                      "role": role, "staff": staff, "active": 1, "created_at": now_iso()}).last_pk
        audit(db, actor, "create-user", "user", str(user_id), {"role": role})
    return user_id


def new_session_generation(db: Database, user_id: int) -> int:
    """End every session of the user (the user loader refuses the old generation); returns the new generation."""
    db.execute("update users set session_generation = session_generation + 1 where id = ?", [user_id])
    return db.execute("select session_generation from users where id = ?", [user_id]).fetchone()[0]


def set_password(db: Database, user_id: int, password: str, actor: str) -> int:
    """Change a user's password (policy checked) and end all their sessions; returns the new session generation."""
    row = db["users"].get(user_id)
    check_policy(password, row["email"])
    with db.atomic():
        db["users"].update(user_id, {"password_hash": hash_password(password)})
        generation = new_session_generation(db, user_id)
        audit(db, actor, "change-password", "user", str(user_id))
    return generation
