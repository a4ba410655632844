"""The signed-in user's own account: sign out everywhere, change the password, and (leads and admins) the optional
two-step sign-in with an authenticator app (TOTP)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ...accounts import lockout, totp
from ..auth import (admit_attempt, clock, count_failure, failure_keys, keep_this_session, lock_message,
                    password_problem_message, roles_required)
from ...store import users as user_store
from ...store.db import audit
from ...accounts.users import BadPassword, new_session_generation, set_password
from ...context import get_db
from ..i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES
from .common import choices

bp = Blueprint("account", __name__, url_prefix="/account")


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1000)],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1000)],
                        description=_l("At least 12 characters; not a common password and not your email address. "
                                       "A few unrelated words make a good one."),
                        render_kw={"autocomplete": "new-password"})
    repeat = PasswordField(_l("New password again"), validators=[DataRequired(), Length(max=1000)],
                           render_kw={"autocomplete": "new-password"})


class TurnOffForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1000)],
                            render_kw={"autocomplete": "current-password"})


class ConfirmPasswordForm(FlaskForm):
    """The password again before an action on the account's security (sign out everywhere, turning two-step sign-in
    on): a session left open or stolen must not take the account over by itself."""
    current = PasswordField(_l("Current password"),
                            validators=[DataRequired(message=_l("Enter your current password.")), Length(max=1000)],
                            render_kw={"autocomplete": "current-password"})


class ConfirmCodeForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app"), validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})


class NoticesForm(FlaskForm):
    """Which email notices the person wants, and in which language (docs/deploy.md, "Email notices")."""
    notify_trips = BooleanField(_l("When a trip of mine is published, moved or cancelled"))
    notify_declines = BooleanField(_l("When someone can't make a trip"))
    notify_plan_jobs = BooleanField(_l("When a plan I started is ready or fails"))
    language = SelectField(_l("Language of the messages"), choices=choices(LANGUAGE_NAMES.items()))


def _notices_form(formdata=None) -> NoticesForm:
    row = user_store.notice_settings(get_db(), current_user.id)
    form = NoticesForm(formdata=formdata, prefix="notices", data={
        **{c: bool(row[c]) for c in user_store.NOTICE_COLUMNS}, "language": row["language"] or DEFAULT_LANGUAGE})
    if not current_user.staff:
        del form.notify_trips        # no trips of their own
    if current_user.role != "lead":
        del form.notify_declines, form.notify_plan_jobs
    return form


def _user_row() -> dict:
    return user_store.get_user(get_db(), current_user.id)


def _page(password_form=None, off_form=None, everywhere_form=None, start_form=None, notices_form=None,
          status: int = 200):
    db = get_db()
    row = totp.get(db, current_user.id)
    return render_template("account/index.html", password_form=password_form or PasswordForm(formdata=None),
                           notices_form=notices_form or _notices_form(),
                           password_sign_in=bool(_user_row()["password_sign_in"]),
                           off_form=off_form or TurnOffForm(formdata=None, prefix="off"),
                           everywhere_form=everywhere_form or ConfirmPasswordForm(formdata=None, prefix="everywhere"),
                           start_form=start_form or ConfirmPasswordForm(formdata=None, prefix="start"),
                           totp_on=bool(row and row["confirmed_at"]),
                           totp_since=row and row["confirmed_at"] and date.fromisoformat(row["confirmed_at"][:10]),
                           totp_pending=bool(row and not row["confirmed_at"])), status


def _check_current_password(field) -> bool:
    """The current password, counted like a sign-in: a stolen session cannot guess it without being locked out."""
    db = get_db()
    keys = failure_keys(current_user.email)
    admission = admit_attempt(db, keys, current_user.id, actor=current_user.actor)
    if admission.locked_until:
        field.errors.append(lock_message(admission.locked_until))
        return False
    if check_password_hash(_user_row()["password_hash"], field.data or ""):
        lockout.succeeded(db, admission)  # only this attempt stops counting; the account's failures stay
        return True
    until = count_failure(db, keys, current_user.id, "current-password", actor=current_user.actor)
    field.errors.append(lock_message(until) if until else _("The current password is wrong."))
    return False


@bp.get("")
@login_required
def index():
    return _page()


@bp.post("/notices")
@login_required
def notices():
    form = _notices_form(request.form)
    if not form.validate():
        return _page(notices_form=form, status=422)
    # a kind the person cannot get is left on: it takes effect if their role changes, until they say otherwise
    wanted = {c: bool(form[c].data) if c in form else True for c in user_store.NOTICE_COLUMNS}
    db = get_db()
    user_store.set_notice_settings(db, current_user.id, wanted, form.language.data)
    audit(db, current_user.actor, "notice-settings", "user", str(current_user.id),
          {**{c: wanted[c] for c in wanted}, "language": form.language.data})
    flash(_("Saved: your email notices."), "success")
    return redirect(url_for("account.index"))


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    form = ConfirmPasswordForm(prefix="everywhere")
    # an account that signs in only with the organisation's account has no password to ask for
    if _user_row()["password_sign_in"] and (not form.validate() or not _check_current_password(form.current)):
        return _page(everywhere_form=form, status=422)
    db = get_db()
    new_session_generation(db, current_user.id)
    audit(db, current_user.actor, "sign-out-everywhere", "user", str(current_user.id))
    keep_this_session()
    flash(_("Your other sessions have been signed out, in every browser and on every device."), "success")
    return redirect(url_for("account.index"))


@bp.post("/password")
@login_required
def change_password():
    if not _user_row()["password_sign_in"]:
        abort(403)      # signs in with the organisation's account only: no password here to change
    form = PasswordForm()
    if not form.validate():
        return _page(password_form=form, status=422)
    if not _check_current_password(form.current):
        return _page(password_form=form, status=422)
    if form.new.data != form.repeat.data:
        form.repeat.errors.append(_("The new passwords are not the same."))
    elif form.new.data == form.current.data:
        form.new.errors.append(_("The new password must differ from the current one."))
    else:
        try:
            set_password(get_db(), current_user.id, form.new.data, actor=current_user.actor)
        except BadPassword as exc:
            form.new.errors.append(password_problem_message(exc.problem))
        else:
            keep_this_session()
            flash(_("Password changed. Your other sessions have been signed out."), "success")
            return redirect(url_for("account.index"))
    return _page(password_form=form, status=422)


# Two-step sign-in ------------------------------------------------------------------------------------------

@bp.post("/two-step/start")
@roles_required("lead", "admin")
def totp_start():
    db = get_db()
    if totp.enabled(db, current_user.id):
        flash(_("Two-step sign-in is already on."), "info")
        return redirect(url_for("account.index"))
    form = ConfirmPasswordForm(prefix="start")
    if not form.validate() or not _check_current_password(form.current):
        return _page(start_form=form, status=422)
    totp.start_setup(db, current_user.id)
    return redirect(url_for("account.totp_setup"))


@bp.route("/two-step", methods=["GET", "POST"])
@roles_required("lead", "admin")
def totp_setup():
    db = get_db()
    row = totp.get(db, current_user.id)
    if not row or row["confirmed_at"]:
        return redirect(url_for("account.index"))
    form = ConfirmCodeForm()
    status = 200
    if form.validate_on_submit():
        if totp.confirm(db, current_user.id, form.code.data, clock(), actor=current_user.actor):
            flash(_("Two-step sign-in is on. From now on you sign in with your password and a code."), "success")
            return redirect(url_for("account.index"))
        form.code.errors.append(_("Wrong code. Check that your phone's clock is right and use the newest code."))
        status = 422
    uri = totp.provisioning_uri(row["secret"], current_user.email)
    return render_template("account/totp.html", form=form, uri=uri, qr=totp.qr_data_uri(uri),
                           secret=totp.grouped(row["secret"])), status


@bp.post("/two-step/off")
@login_required
def totp_disable():
    """Turn two-step sign-in off (or drop an unfinished set-up): the current password is asked for."""
    db = get_db()
    row = totp.get(db, current_user.id)
    if not row:
        abort(404)
    if not row["confirmed_at"]:  # an unfinished set-up protects nothing yet: dropping it needs no password
        totp.remove(db, current_user.id, actor=current_user.actor, action="totp-setup-cancelled")
        flash(_("Set-up cancelled."), "info")
        return redirect(url_for("account.index"))
    form = TurnOffForm(prefix="off")
    if not form.validate() or not _check_current_password(form.current):
        return _page(off_form=form, status=422)
    totp.remove(db, current_user.id, actor=current_user.actor)
    flash(_("Two-step sign-in is off."), "success")
    return redirect(url_for("account.index"))
