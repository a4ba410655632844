"""Signing in and out, the current user, and the role checks every view goes through.

Roles: ``admin`` (users), ``lead`` (all visits and plans), ``staff`` (their own schedule and availability).
A lead or admin may also be a staff member (``staff`` id) and then has a schedule of their own.

Sign-in security (docs/sign-in.md):
- one answer and one hashing path for an unknown email, a wrong password and an inactive account;
- attempts counted in the database per email typed and per address (``planner.accounts.lockout``) before the password or
  code is checked, so parallel guesses cannot pass the limit; a locked email or address is refused, even with the
  right password, with the same message whether or not the account exists;
- the session's user id carries ``users.session_generation``, so "sign out everywhere" and a password change end
  every other session and remember cookie, and the session's own id, kept on the server (``user_sessions``) until
  sign-out or the idle timeout, so a copy of the cookie dies with the sign-out;
- an idle timeout (``IDLE_TIMEOUT``) and an absolute session age (``PERMANENT_SESSION_LIFETIME``);
- an optional TOTP code as a second step (``planner.accounts.totp``): the password alone does not sign the user in.
"""
from __future__ import annotations

import hashlib
import math
import secrets
import time
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..accounts import lockout, totp
from ..store import sign_in as sign_in_store
from ..store import users as user_store
from ..store.db import audit
from ..accounts.users import hash_password
from ..context import get_db

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

SSO_SESSION_KEY = "sso_signed_in"   # the session was signed in with the organisation's account (``web.sso``)

# Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = hash_password("not a real password, only for timing")

# Sign-in settings; any of them can be set in the instance's config.py. Durations: timedelta or seconds.
DEFAULTS = {
    "IDLE_TIMEOUT": timedelta(minutes=30),          # no request for this long: signed out
    "SIGN_IN_MAX_FAILURES_ACCOUNT": 5,              # failures for one email within the window → email locked
    "SIGN_IN_MAX_FAILURES_ADDRESS": 20,             # failures from one address within the window → address locked
    "SIGN_IN_FAILURE_WINDOW": timedelta(minutes=15),
    "SIGN_IN_LOCKOUT": timedelta(minutes=15),
    "SIGN_IN_CODE_TIMEOUT": timedelta(minutes=5),   # between the password and the TOTP code
}


@bp.record_once
def _config_defaults(state) -> None:
    for key, value in DEFAULTS.items():
        state.app.config.setdefault(key, value)


def seconds(key: str) -> float:
    value = current_app.config[key]
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def clock() -> float:
    """Seconds since the epoch; tests set ``CLOCK`` in the config to move time without sleeping."""
    return current_app.config.get("CLOCK", time.time)()


def limits() -> lockout.Limits:
    config = current_app.config
    return lockout.Limits(account=int(config["SIGN_IN_MAX_FAILURES_ACCOUNT"]),
                          address=int(config["SIGN_IN_MAX_FAILURES_ADDRESS"]),
                          window=seconds("SIGN_IN_FAILURE_WINDOW"), lockout=seconds("SIGN_IN_LOCKOUT"))


def failure_keys(email: str) -> dict[str, str]:
    secret = current_app.config["SECRET_KEY"]
    return {"account": lockout.keyed(secret, "email:" + email.strip().lower()),
            "address": lockout.keyed(secret, "address:" + (request.remote_addr or ""))}


class User(UserMixin):
    def __init__(self, row: dict, sid: str = ""):
        self.id = row["id"]
        self.email = row["email"]
        self.role = row["role"]
        self.staff = row["staff"]
        self.active = bool(row["active"])
        self.generation = row["session_generation"]
        self.sid = sid  # this session's own id (``user_sessions``), set when it is signed in or loaded

    def get_id(self) -> str:
        """What the session and the remember cookie hold: the id, the session generation and the session's id."""
        return f"{self.id}:{self.generation}:{self.sid}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"

    @property
    def may_use_totp(self) -> bool:
        return self.role in ("lead", "admin")

    @property
    def actor(self) -> str:
        """How the audit log names this user (never by client data)."""
        return f"user:{self.id}"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a session: only while the account is active and the session's generation is the current one."""
    user, generation, sid = (user_id.split(":") + ["", ""])[:3]
    if not (user.isdigit() and generation.isdigit() and sid):
        return None
    row = user_store.user_of_session(get_db(), int(user), int(generation), _session_key(sid))
    return User(row, sid) if row else None


def _session_key(sid: str) -> str:
    """How ``user_sessions`` stores a session id: its SHA-256, so the table holds nothing a cookie could carry."""
    return hashlib.sha256(sid.encode()).hexdigest()


def end_session() -> None:
    """Sign the current user out here and on the server: the session's row goes, so a copy of the cookie is dead."""
    if current_user.is_authenticated and current_user.sid:
        sign_in_store.end_session(get_db(), _session_key(current_user.sid))
    logout_user()


def roles_required(*roles: str):
    """The view needs a signed-in user with one of ``roles`` (401 → sign-in page; wrong role → 403)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        wrapped.roles = roles  # read by the test that walks every route
        return wrapped
    return decorator


def staff_member_required(view):
    """The view is about the user's own schedule: any role, as long as the user is a staff member."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.staff:
            abort(403)
        return view(*args, **kwargs)
    wrapped.roles = ("staff-member",)
    return wrapped


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site ('/plan?week=…'); None for other hosts or odd schemes, and for any
    control character: a CR or LF cannot go into a Location header (it was a 500 after the sign-in was recorded), and
    browsers drop tabs and newlines from URLs, so '/\\t/evil.example' would become '//evil.example'."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_for(user) -> str:
    if user.role == "lead":
        return url_for("overview.index")
    if user.role == "admin":
        return url_for("admin.users")
    return url_for("schedule.index")


def fresh_session() -> None:
    """Empty the session (nothing carried over from before signing in or out) but keep the language choice."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def start_session(user: User, signed_in_at: float | None = None) -> None:
    """Sign ``user`` in on this session; ``signed_in_at`` is kept when the same session re-signs (new generation).
    The session gets a new id, kept on the server until sign-out; rows past the longest session age are dropped."""
    now = int(clock())
    db = get_db()
    user.sid = secrets.token_urlsafe(32)
    sign_in_store.forget_sessions_before(db, now - seconds("PERMANENT_SESSION_LIFETIME"))
    sign_in_store.add_session(db, _session_key(user.sid), user.id, now)
    login_user(user)
    session["signed_in_at"] = int(signed_in_at if signed_in_at is not None else now)
    session["seen"] = now


def keep_this_session() -> None:
    """Keep this session signed in after the user's session generation changed (which ended all the others)."""
    row = user_store.get_user(get_db(), current_user.id)
    sign_in_store.end_session(get_db(), _session_key(current_user.sid))
    start_session(User(row), session.get("signed_in_at"))


def password_problem_message(problem) -> str:
    """The policy's refusal (``planner.accounts.passwords.PasswordProblem``) in the reader's language."""
    messages = {
        "too-short": lambda: _("The password must be at least %(min)d characters.", min=problem.params.get("min")),
        "too-long": lambda: _("The password must be at most %(max)d characters.", max=problem.params.get("max")),
        "email": lambda: _("The password must not contain the email address or a name in it."),
        "common": lambda: _("This is one of the most common passwords. Choose another."),
        "common-variant": lambda: _("This is a common password with digits or symbols added, or repeated. "
                                    "Choose another."),
        "pattern": lambda: _("This is a keyboard or alphabet sequence or a short repeat. Choose another."),
        "no-letters": lambda: _("Use letters too, not only digits and symbols."),
        "guessable": lambda: guessable_message(problem.params.get("hint")),
    }
    return messages[problem.code]() if problem.code in messages else str(problem)


def guessable_message(hint: str | None) -> str:
    """The strength estimator's refusal (``planner.accounts.passwords``, code 'guessable') with what made it
    guessable."""
    more = _("Add another word or two; uncommon words are better.")
    hints = {
        "context": lambda: _("The password is too easy to guess: it is built on your email address or name, or on "
                             "words of this service."),
        "common": lambda: _("The password is too easy to guess: it is close to a common password.") + " " + more,
        "names": lambda: _("The password is too easy to guess: names are among the first guesses.") + " " + more,
        "words": lambda: _("The password is too easy to guess: a common word or two is not enough.") + " " + more,
        "keyboard": lambda: _("The password is too easy to guess: keyboard patterns are tried early.") + " " + more,
        "pattern": lambda: _("The password is too easy to guess: repeats and sequences (aaa, abcabc, 1234) are "
                             "tried early.") + " " + more,
        "dates": lambda: _("The password is too easy to guess: years and dates are tried early.") + " " + more,
    }
    return hints[hint]() if hint in hints else _("The password is too easy to guess.") + " " + more


def lock_message(until: float) -> str:
    minutes = max(1, math.ceil((until - clock()) / 60))
    return ngettext("Too many failed sign-in attempts. Try again in %(num)d minute.",
                    "Too many failed sign-in attempts. Try again in %(num)d minutes.", minutes)


def _audit_locks(db, started: dict[str, float], user_id: int | None, actor: str) -> None:
    for scope in started:
        audit(db, actor, "sign-in-locked", "user", str(user_id or ""),
              {"address": request.remote_addr, "scope": scope, "minutes": round(limits().lockout / 60)})


def admit_attempt(db, keys: dict[str, str], user_id: int | None, actor: str = "anonymous") -> lockout.Admission:
    """Count an attempt at a password or code before it is checked (``lockout.admit``); the caller checks only
    when ``locked_until`` is None. A lock it started (attempts in parallel beyond the limit) is audited."""
    admission = lockout.admit(db, keys, clock(), limits())
    _audit_locks(db, admission.started, user_id, actor)
    return admission


def count_failure(db, keys: dict[str, str], user_id: int | None, step: str, actor: str = "anonymous") -> float | None:
    """The admitted attempt was wrong (audited, never with what was typed); returns the end of a lock it started."""
    started = lockout.failed(db, keys, clock(), limits())
    audit(db, actor, "sign-in-failed", "user", str(user_id or ""), {"address": request.remote_addr, "step": step})
    _audit_locks(db, started, user_id, actor)
    return max(started.values()) if started else None


# Idle timeout ----------------------------------------------------------------------------------------------

@bp.before_app_request
def end_stale_session():
    """Sign out a session idle for longer than ``IDLE_TIMEOUT`` or older than ``PERMANENT_SESSION_LIFETIME``."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = clock()
    seen, started = session.get("seen", now), session.get("signed_in_at", now)
    idle, longest = seconds("IDLE_TIMEOUT"), seconds("PERMANENT_SESSION_LIFETIME")
    if now - seen > idle:
        message = ngettext("You were signed out after %(num)d minute without activity.",
                           "You were signed out after %(num)d minutes without activity.", round(idle / 60))
    elif now - started > longest:
        message = ngettext("You were signed out %(num)d hour after signing in. Sign in again.",
                           "You were signed out %(num)d hours after signing in. Sign in again.", round(longest / 3600))
    else:
        session["seen"] = int(now)
        return None
    audit(get_db(), current_user.actor, "signed-out-idle" if now - seen > idle else "signed-out-expired",
          "user", str(current_user.id))
    end_session()
    fresh_session()
    flash(message, "info")
    target = safe_next(request.full_path.rstrip("?")) if request.method == "GET" else None
    return redirect(url_for("auth.sign_in", next=target) if target else url_for("auth.sign_in"))


# Sign-in ---------------------------------------------------------------------------------------------------

class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Sign in"))


class CodeForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app"), validators=[DataRequired(), Length(max=20)],
                       description=_l("Six digits; a new code every 30 seconds."),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True})


def complete_sign_in(db, row: dict, keys: dict[str, str], admission: lockout.Admission, next_url: str | None):
    fresh_session()  # a fresh session on sign-in: nothing carried over from before
    user = User(row)
    start_session(user)
    lockout.succeeded(db, admission, keys["account"])
    audit(db, user.actor, "sign-in", "user", str(user.id))
    return redirect(next_url or home_for(user))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        db = get_db()
        email = form.email.data.strip().lower()
        keys = failure_keys(email)
        row = user_store.active_user_by_email(db, email)
        admission = admit_attempt(db, keys, row["id"] if row else None)
        if admission.locked_until:
            # Refused before the password is looked at, the same way for every email, known or not.
            form.password.errors.append(lock_message(admission.locked_until))
            return render_template("auth/sign_in.html", form=form), 429
        ok = check_password_hash(row["password_hash"] if row else _DUMMY_HASH, form.password.data)
        ok = ok and bool(row["password_sign_in"])     # an account may sign in only with the organisation's
        next_url = safe_next(request.args.get("next"))
        if row and ok and totp.enabled(db, row["id"]):
            lockout.succeeded(db, admission)  # the password was right; the code step counts its own attempts
            fresh_session()  # the password alone signs no one in: the code step finishes it
            session["pending_sign_in"] = {"user": row["id"], "generation": row["session_generation"],
                                          "at": int(clock()), "next": next_url}
            return redirect(url_for("auth.sign_in_code"))
        if row and ok:
            return complete_sign_in(db, row, keys, admission, next_url)
        until = count_failure(db, keys, row["id"] if row else None, "password")
        form.password.errors.append(lock_message(until) if until else _("Wrong email or password."))
        status = 429 if until else 200
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/sign-in/code", methods=["GET", "POST"])
def sign_in_code():
    """The second step for a user with TOTP on: the password was right; the code finishes the sign-in."""
    pending = session.get("pending_sign_in")
    db = get_db()
    row = None
    if pending and clock() - pending["at"] <= seconds("SIGN_IN_CODE_TIMEOUT"):
        row = user_store.active_user_of_generation(db, pending["user"], pending["generation"])
    if row is None:
        session.pop("pending_sign_in", None)
        minutes = round(seconds("SIGN_IN_CODE_TIMEOUT") / 60)
        flash(ngettext("Sign in again: the code was not given within %(num)d minute.",
                       "Sign in again: the code was not given within %(num)d minutes.", minutes)
              if pending else _("Sign in first."), "info")
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        keys = failure_keys(row["email"])
        admission = admit_attempt(db, keys, row["id"])
        if admission.locked_until:
            session.pop("pending_sign_in", None)
            form.code.errors.append(lock_message(admission.locked_until))
            return render_template("auth/sign_in_code.html", form=form), 429
        result = totp.check_code(db, row["id"], form.code.data, clock())
        if result == "ok":
            return complete_sign_in(db, row, keys, admission, pending.get("next"))
        until = count_failure(db, keys, row["id"], "code-reused" if result == "reused" else "code")
        if until:
            session.pop("pending_sign_in", None)
            form.code.errors.append(lock_message(until))
            status = 429
        elif result == "reused":
            form.code.errors.append(_("That code has been used already. Wait for the next code."))
        else:
            form.code.errors.append(_("Wrong code. Check that your phone's clock is right and use the newest code."))
    return render_template("auth/sign_in_code.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        audit(get_db(), current_user.actor, "sign-out", "user", str(current_user.id))
    from_provider = bool(session.get(SSO_SESSION_KEY))
    end_session()  # the server forgets this session: a copy of the cookie no longer signs anyone in
    fresh_session()
    flash(_("You have signed out."), "info")
    # signed in with the organisation's account: the sign-in page offers to end that session too
    return redirect(url_for("auth.sign_in", provider="1") if from_provider else url_for("auth.sign_in"))
