"""Signing in and out, the current user, and the role checks every view goes through.

Roles: ``admin`` (users), ``lead`` (all visits and plans), ``staff`` (their own schedule and availability).
A lead or admin may also be a staff member (``staff`` id) and then has a schedule of their own.
"""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from .db import audit
from .web_db import get_db

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "strong"

# Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password, only for timing")


class User(UserMixin):
    def __init__(self, row: dict):
        self.id = row["id"]
        self.email = row["email"]
        self.role = row["role"]
        self.staff = row["staff"]
        self.active = bool(row["active"])

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"

    @property
    def actor(self) -> str:
        """How the audit log names this user (never by client data)."""
        return f"user:{self.id}"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    row = next(get_db().query("select * from users where id = ? and active = 1", [int(user_id)]), None)
    return User(row) if row else None


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
    """``target`` when it is a path on this site ('/plan?week=…'); None for other hosts or odd schemes."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
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


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Sign in"))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = SignInForm()
    if form.validate_on_submit():
        db = get_db()
        email = form.email.data.strip().lower()
        row = next(db.query("select * from users where email = ? and active = 1", [email]), None)
        ok = check_password_hash(row["password_hash"] if row else _DUMMY_HASH, form.password.data)
        if row and ok:
            next_url = safe_next(request.args.get("next"))
            lang = session.get("lang")
            session.clear()  # a fresh session on sign-in: nothing carried over from before
            if lang:
                session["lang"] = lang
            user = User(row)
            login_user(user)
            audit(db, user.actor, "sign-in", "user", str(user.id))
            return redirect(next_url or home_for(user))
        audit(db, "anonymous", "sign-in-failed", "user", "", {"address": request.remote_addr})
        form.password.errors.append(_("Wrong email or password."))
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        audit(get_db(), current_user.actor, "sign-out", "user", str(current_user.id))
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.sign_in"))
