"""User accounts: roles admin, lead and staff; passwords stored as salted scrypt hashes (werkzeug's default:
scrypt with a random 16-character salt per hash, so two users with the same password have different hashes).

Every password, from ``planner create-user``, the admin's users page or a user's own change, goes through the
policy in ``planner.passwords``. ``users.session_generation`` (migration 0006) is part of every session's user id:
bumping it ends every session and remember cookie of the user.

An admin's actions on another account (``/admin/users``): deactivate and reactivate, set a new password, clear the
sign-in lock-out of the account's email; each audited with the actor and the user's id only."""
from __future__ import annotations

import re

from sqlite_utils import Database
from werkzeug.security import generate_password_hash

from . import lockout
from ..core.messages import Message, english, message
from ..store import sign_in as sign_in_store
from ..store import users as user_store
from ..store.concurrency import write_transaction
from ..store.db import audit, now_iso
from .passwords import MIN_PASSWORD, PasswordProblem, check_password

__all__ = ["USER_ROLES", "EMAIL_RE", "MIN_PASSWORD", "UserError", "BadPassword", "create_user", "user_problems",
           "set_password",
           "new_session_generation", "hash_password", "check_policy", "Refused", "deactivate_user",
           "reactivate_user", "unlock_account"]

USER_ROLES = ("admin", "lead", "staff")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")


class UserError(ValueError):
    """A user that cannot be created or changed so; ``problem`` (a Message, when there is one) words it at the edge."""

    def __init__(self, problem: Message | str):
        super().__init__(english(problem) if isinstance(problem, Message) else problem)
        self.problem = problem if isinstance(problem, Message) else None


class BadPassword(UserError):
    """The password policy refused the password; ``problem`` (a PasswordProblem) has the code for translation."""

    def __init__(self, problem: PasswordProblem):
        super().__init__(str(problem))
        self.problem = problem


class Refused(UserError):
    """An admin action the rules forbid; ``code`` ('self', 'last-admin') says which rule, for translation."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def check_policy(password: str, email: str, names: tuple[str, ...] = ()) -> None:
    """The password policy for the account ``email``; ``names`` (the person's name) are context for the strength
    estimate."""
    try:
        check_password(password, email, names)
    except PasswordProblem as exc:
        raise BadPassword(exc) from None


def _names(db: Database, staff: str | None) -> tuple[str, ...]:
    """The staff member's name, a word an attacker who knows the person tries first."""
    name = user_store.staff_name(db, staff)
    return (name,) if name else ()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def user_problems(db: Database, email: str, role: str, staff: str | None) -> list[Message]:
    """Everything wrong with a new user's email, role and staff member, at once (the password is the policy's)."""
    problems = []
    if not EMAIL_RE.match(email):
        problems.append(message("email_invalid", email=email))
    elif user_store.email_taken(db, email):
        problems.append(message("email_taken", email=email))
    if role not in USER_ROLES:
        problems.append(message("role_unknown", roles=list(USER_ROLES)))
    if staff is not None and not user_store.staff_exists(db, staff):
        problems.append(message("staff_unknown", staff=staff))
    if role == "staff" and staff is None:
        problems.append(message("staff_user_needs_person"))
    return problems


def create_user(db: Database, email: str, password: str, role: str, staff: str | None = None,
                actor: str = "cli") -> int:
    """Add a user; raises UserError with a specific message for a bad email, role, staff id or password (a password
    the policy refuses raises BadPassword, a UserError)."""
    email = email.strip().lower()
    problems = user_problems(db, email, role, staff)
    if problems:
        raise UserError(problems[0])
    check_policy(password, email, _names(db, staff))
    with db.atomic():
        user_id = user_store.insert_user(db, {"email": email, "password_hash": hash_password(password),
                                              "role": role, "staff": staff, "active": 1, "created_at": now_iso()})
        audit(db, actor, "create-user", "user", str(user_id), {"role": role})
    return user_id


def new_session_generation(db: Database, user_id: int) -> int:
    """End every session of the user (the user loader refuses the old generation); returns the new generation."""
    return user_store.new_session_generation(db, user_id)


def set_password(db: Database, user_id: int, password: str, actor: str, action: str = "change-password") -> int:
    """Change a user's password (policy checked) and end all their sessions; returns the new session generation.
    ``action`` names it in the audit log: the user's own change, or an admin's ``set-password``."""
    row = user_store.get_user(db, user_id)
    check_policy(password, row["email"], _names(db, row["staff"]))
    with db.atomic():
        user_store.set_password_hash(db, user_id, hash_password(password))
        generation = new_session_generation(db, user_id)
        audit(db, actor, action, "user", str(user_id))
    return generation


def deactivate_user(db: Database, user_id: int, actor_id: int | None, actor: str) -> bool:
    """Stop ``user_id`` signing in: every session and remember cookie ends (new generation) and the calendar feed
    link stops working for good (it may be on a stolen phone; the person makes a new one once back). Refused for
    one's own account and for the last active admin (nobody could manage users then). False when already inactive.
    The check and the write hold the write lock together: two admins deactivating each other cannot both win."""
    with write_transaction(db):
        row = user_store.get_user(db, user_id)
        if not row["active"]:
            return False
        if user_id == actor_id:
            raise Refused("self", "you cannot deactivate your own account")
        if row["role"] == "admin" and user_store.other_active_admins(db, user_id) == 0:
            raise Refused("last-admin", f"{row['email']} is the last active admin")
        user_store.deactivate(db, user_id)
        audit(db, actor, "deactivate-user", "user", str(user_id))
    return True


def reactivate_user(db: Database, user_id: int, actor: str) -> bool:
    """Let ``user_id`` sign in again (with their password; sessions from before stay ended). False when active."""
    with db.atomic():
        if not user_store.reactivate(db, user_id):
            return False
        audit(db, actor, "reactivate-user", "user", str(user_id))
    return True


def unlock_account(db: Database, key: str, user_id: int, actor: str, now: float) -> bool:
    """End the lock of the account's email and forget its failed sign-ins (``key``: the email's keyed hash, as
    ``planner.lockout`` stores it). A lock on the person's address is left alone: it counts guesses at any account.
    True (and audited) when the email was locked at ``now``."""
    with db.atomic():
        locked = lockout.locked_until(db, {"account": key}, now) is not None
        sign_in_store.unlock_account(db, key)
        lockout.clear_account(db, key)
        if locked:
            audit(db, actor, "unlock-user", "user", str(user_id))
    return locked


def set_password_sign_in(db: Database, user_id: int, allowed: bool, actor: str) -> bool:
    """Let ``user_id`` sign in with a password, or only with the organisation's account (single sign-on). Turning
    it off ends every session of theirs (a session does not record how it began). False when it was so already."""
    with db.atomic():
        if not user_store.set_password_sign_in(db, user_id, allowed):
            return False
        if not allowed:
            new_session_generation(db, user_id)
        audit(db, actor, "password-sign-in-on" if allowed else "password-sign-in-off", "user", str(user_id))
    return True


def unlink_subject(db: Database, user_id: int, actor: str) -> bool:
    """Forget the account's link to a person at the identity provider (audited); False when it had none."""
    with db.atomic():
        if not user_store.link_subject(db, user_id, None):
            return False
        audit(db, actor, "sso-unlinked", "user", str(user_id))
    return True
