"""Administration: the users (who may sign in, with which role), the offices and the settings. No client data here.

A user's page (``/admin/users/<id>``) shows their state and the admin's actions on the account: deactivate and
reactivate, set a new password, clear the sign-in lock-out of their email, turn off their two-step sign-in.

Every change is audited (``planner.store.db.audit``) with the admin's user id; settings overrides are stored in the
``settings_overrides`` table (migration 0005) and read back by ``planner.context.get_settings``.
"""
from __future__ import annotations

import difflib
import functools
from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ...accounts import lockout, totp
from ..auth import clock, failure_keys, password_problem_message, roles_required
from ...store import offices as office_store
from ...store import audit as audit_store
from ...store import users as user_store
from ...store.db import HELSINKI, audit
from ...store.settings_overrides import delete_override, save_override, stored_overrides
from ...ops.importer import ID_RE
from ..messages import render
from ...core.network_data import network_file, network_updated
from ...core.places import PlaceNotFound, PointOutside, get_gazetteer, locate
from ...core.settings import FIELD_RULES, ORDERED_TIMES, Settings, to_json, to_text
from ...accounts.users import (MIN_PASSWORD, USER_ROLES, BadPassword, Refused, UserError, create_user, user_problems,
                              deactivate_user, reactivate_user, set_password, unlock_account)
from ...context import forget_settings, get_db, get_settings
from ..setting_labels import SETTING_LABELS
from ..setting_values import SETTING_GROUPS, parse_setting, shown
from .common import choices

bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLE_LABELS = {"admin": _l("Administrator"), "lead": _l("Team lead"), "staff": _l("Staff")}


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)], render_kw={"autocomplete": "off"})
    role = SelectField(_l("Role"), choices=choices((r, ROLE_LABELS[r]) for r in USER_ROLES), default="staff")
    staff = SelectField(_l("Staff member"), choices=[])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(
        min=MIN_PASSWORD, max=1000, message=_l("At least %(min)d characters, at most %(max)d."))],
        render_kw={"autocomplete": "new-password"})


# where each of ``user_problems``' codes is shown
PROBLEM_FIELD = {"email_invalid": "email", "email_taken": "email", "role_unknown": "role", "staff_unknown": "staff",
                 "staff_user_needs_person": "staff"}


@bp.route("/users", methods=["GET", "POST"])
@roles_required("admin")
def users():
    db = get_db()
    form = UserForm()
    form.staff.choices = choices([("", _("None"))] + user_store.staff_choices(db))
    if form.is_submitted():
        valid = form.validate()
        problems = user_problems(db, (form.email.data or "").strip().lower(), form.role.data, form.staff.data or None)
        for problem in problems:    # all at once, beside their fields, with the fields' own
            getattr(form, PROBLEM_FIELD[problem.code]).errors.append(render(problem))
        if valid and not problems:
            try:
                create_user(db, form.email.data, form.password.data, form.role.data, form.staff.data or None,
                            actor=current_user.actor)
            except BadPassword as exc:  # the password policy (planner.accounts.passwords), in the admin's language
                form.password.errors.append(password_problem_message(exc.problem))
            except UserError as exc:
                form.email.errors.append(render(exc.problem) if exc.problem else str(exc))
            else:
                flash(_("User created."), "success")
                return redirect(url_for("admin.users"))
    rows = [dict(r, locked=_locked_until(db, r["email"]) is not None) for r in user_store.user_list(db)]
    return render_template("admin/users.html", form=form, users=rows, roles=ROLE_LABELS), 200 if not form.errors else 422


# One user: state and actions -------------------------------------------------------------------------------

class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1000)],
                             description=_l("At least 12 characters; not a common password and not their email "
                                            "address. Tell it to them in person or by phone, not by email."),
                             render_kw={"autocomplete": "new-password"})


def _locked_until(db, email: str) -> float | None:
    """When the lock on the account's email ends (the key as the sign-in computes it), or None."""
    return lockout.locked_until(db, {"account": failure_keys(email)["account"]}, clock())


def _user_row(db, user_id: int) -> dict:
    row = user_store.public_user(db, user_id)  # no hashes
    if row is None:
        abort(404)
    return row


def _action_form() -> None:
    """The action buttons carry only the CSRF token; a missing or stale one is refused (400) before anything."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)


def _user_page(db, row: dict, password_form: SetPasswordForm | None = None, status: int = 200):
    until = _locked_until(db, row["email"])
    two_step = totp.get(db, row["id"])
    return render_template("admin/user.html", user=row, roles=ROLE_LABELS,
                           staff_name=user_store.staff_name(db, row["staff"]),
                           password_form=password_form or SetPasswordForm(formdata=None),
                           locked_until=until and datetime.fromtimestamp(until, HELSINKI),
                           totp_on=bool(two_step and two_step["confirmed_at"]),
                           totp_pending=bool(two_step and not two_step["confirmed_at"]),
                           is_self=row["id"] == current_user.id), status


def _done(user_id: int, changed: bool, changed_message: str, unchanged_message: str):
    """Back to the user's page, saying what the action did (or that there was nothing to do)."""
    flash(changed_message if changed else unchanged_message, "success" if changed else "info")
    return redirect(url_for("admin.user", user_id=user_id))


def _refused(db, row: dict, message: str):
    """The user's page again with why the action was refused (409: nothing changed)."""
    flash(message, "error")
    return _user_page(db, row, status=409)


@bp.get("/users/<int:user_id>")
@roles_required("admin")
def user(user_id: int):
    db = get_db()
    return _user_page(db, _user_row(db, user_id))


@bp.post("/users/<int:user_id>/deactivate", endpoint="deactivate_user")
@roles_required("admin")
def deactivate_user_view(user_id: int):
    db = get_db()
    row = _user_row(db, user_id)
    _action_form()
    try:
        done = deactivate_user(db, user_id, current_user.id, current_user.actor)
    except Refused as exc:
        return _refused(db, row, _("You cannot deactivate your own account.") if exc.code == "self" else
                        _("%(email)s is the last active administrator: make another administrator first.",
                          email=row["email"]))
    return _done(user_id, done,
                 _("%(email)s is deactivated: every session of theirs has ended and they cannot sign in.",
                   email=row["email"]),
                 _("%(email)s was already deactivated.", email=row["email"]))


@bp.post("/users/<int:user_id>/reactivate", endpoint="reactivate_user")
@roles_required("admin")
def reactivate_user_view(user_id: int):
    db = get_db()
    row = _user_row(db, user_id)
    _action_form()
    return _done(user_id, reactivate_user(db, user_id, current_user.actor),
                 _("%(email)s can sign in again.", email=row["email"]),
                 _("%(email)s was already active.", email=row["email"]))


@bp.post("/users/<int:user_id>/password")
@roles_required("admin")
def set_user_password(user_id: int):
    db = get_db()
    row = _user_row(db, user_id)
    form = SetPasswordForm()
    if not form.validate():
        if form.csrf_token.errors:
            abort(400)
        return _user_page(db, row, form, 422)
    if row["id"] == current_user.id:
        form.password.errors.append(_("Change your own password on your account page (it asks for the current one)."))
        return _user_page(db, row, form, 409)
    try:
        set_password(db, user_id, form.password.data, actor=current_user.actor, action="set-password")
    except BadPassword as exc:  # the policy's rule, next to the field, in the admin's language
        form.password.errors.append(password_problem_message(exc.problem))
        return _user_page(db, row, form, 422)
    flash(_("New password set for %(email)s. Every session of theirs has ended; they sign in with the new password.",
            email=row["email"]), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/unlock")
@roles_required("admin")
def unlock_user(user_id: int):
    db = get_db()
    row = _user_row(db, user_id)
    _action_form()
    return _done(user_id, unlock_account(db, failure_keys(row["email"])["account"], user_id, current_user.actor,
                                         clock()),
                 _("%(email)s is unlocked: they can try to sign in again now.", email=row["email"]),
                 _("%(email)s was not locked.", email=row["email"]))


@bp.post("/users/<int:user_id>/two-step/off")
@roles_required("admin")
def reset_user_totp(user_id: int):
    """What ``planner reset-totp EMAIL`` does, for a lost or replaced phone."""
    db = get_db()
    row = _user_row(db, user_id)
    _action_form()
    return _done(user_id, totp.remove(db, user_id, actor=current_user.actor, action="totp-reset"),
                 _("Two-step sign-in is off for %(email)s: they sign in with their password alone until they set "
                   "it up again.", email=row["email"]),
                 _("%(email)s has no two-step sign-in.", email=row["email"]))


# Offices ---------------------------------------------------------------------------------------------------

class OfficeForm(FlaskForm):
    office_id = StringField(_l("Id"), validators=[Length(max=64)],
                            description=_l("Letters, digits, dots, dashes; cannot be changed later."))
    name = StringField(_l("Name"), validators=[Length(max=200)])
    place = StringField(_l("Place"), validators=[Length(max=200)],
                        description=_l("A place name in Finnish or Swedish, or lat,lon (e.g. 65.01,25.47)."))
    region = StringField(_l("Regions covered first"), validators=[Length(max=1000)],
                         description=_l("Regions (maakunta) in Finnish, separated by commas."))


@functools.cache
def known_regions() -> tuple[str, ...]:
    return tuple(sorted({p.region for p in get_gazetteer() if p.region}))


def _office_place_text(office) -> str:
    """How the form shows an office's place: the gazetteer name when the office stands on it, else lat,lon."""
    if office["place_id"]:
        try:
            place = get_gazetteer().get(office["place_id"])
        except (KeyError, LookupError):
            place = None
        if place is not None and (round(place.lat, 5), round(place.lon, 5)) == (round(office["lat"], 5),
                                                                                round(office["lon"], 5)):
            return place.name
    return f"{office['lat']:.5f},{office['lon']:.5f}"


def _check_office(form: OfficeForm, db, old: dict | None) -> dict | None:
    """The office row the form describes, or None after putting each problem next to its field."""
    form.validate()
    if form.csrf_token.errors:
        abort(400)
    row = {}
    office_id = old["id"] if old else (form.office_id.data or "").strip()
    if not old:
        if not office_id:
            form.office_id.errors.append(_("Enter an id."))
        elif not ID_RE.match(office_id):
            form.office_id.errors.append(_("Use letters, digits, dots, dashes and underscores (at most 64)."))
        elif office_store.office_exists(db, office_id):
            form.office_id.errors.append(_("There is already an office %(id)s.", id=office_id))
    row["id"] = office_id
    row["name"] = (form.name.data or "").strip()
    if not row["name"]:
        form.name.errors.append(_("Enter a name."))
    text = (form.place.data or "").strip()
    if old and text == _office_place_text(old):
        row.update(place_id=old["place_id"], lat=old["lat"], lon=old["lon"])  # unchanged: keep the exact point
    elif not text:
        form.place.errors.append(_("Enter a place or lat,lon."))
    elif form.place.errors:  # over the form's length limit: not parsed at all
        pass
    else:
        try:
            place = locate(text, get_settings(), get_gazetteer())
        except (PlaceNotFound, PointOutside) as exc:  # 'paikkaa ”Rovanemi” ei löydy: tarkoititko Rovaniemi?'
            form.place.errors.append(render(exc.problem))
        except ValueError as exc:  # coordinates out of range: English only, rare
            form.place.errors.append(str(exc))
        else:
            row.update(place_id=None if place.kind == "point" else place.id, lat=place.lat, lon=place.lon)
    regions = [r.strip() for r in (form.region.data or "").split(",") if r.strip()]
    by_key = {r.casefold(): r for r in known_regions()}
    for region in regions:
        if region.casefold() not in by_key:
            near = difflib.get_close_matches(region, known_regions(), n=1, cutoff=0.6)
            form.region.errors.append(_("No region %(name)s - did you mean %(near)s?", name=region, near=near[0])
                                      if near else _("No region %(name)s.", name=region))
    row["region"] = ",".join(by_key.get(r.casefold(), r) for r in regions)
    if any(f.errors for f in form):
        return None
    return row


@bp.get("/offices")
@roles_required("admin")
def offices():
    rows = office_store.offices_with_headcount(get_db())
    return render_template("admin/offices.html", offices=rows, place_text=_office_place_text)


@bp.route("/offices/new", methods=["GET", "POST"])
@roles_required("admin")
def new_office():
    db = get_db()
    form = OfficeForm()
    if request.method == "POST":
        row = _check_office(form, db, None)
        if row is not None:
            office_store.add_office(db, row)
            audit(db, current_user.actor, "office-add", "office", row["id"], {k: row[k] for k in row if k != "id"})
            flash(_("Office added."), "success")
            return redirect(url_for("admin.offices"))
        return render_template("admin/office.html", form=form, office=None), 422
    return render_template("admin/office.html", form=form, office=None)


@bp.route("/offices/<office_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_office(office_id: str):
    db = get_db()
    old = office_store.office(db, office_id)
    if old is None:
        abort(404)
    form = OfficeForm(data={"office_id": old["id"], "name": old["name"], "place": _office_place_text(old),
                            "region": ", ".join(r for r in (old["region"] or "").split(",") if r)})
    if request.method == "POST":
        row = _check_office(form, db, old)
        if row is not None:
            changed = {k: row[k] for k in row if k != "id" and row[k] != old[k]}
            if changed:
                office_store.update_office(db, office_id, changed)
                audit(db, current_user.actor, "office-edit", "office", office_id, changed)
                flash(_("Office saved."), "success")
            else:
                flash(_("Nothing changed."), "info")
            return redirect(url_for("admin.offices"))
        return render_template("admin/office.html", form=form, office=old), 422
    return render_template("admin/office.html", form=form, office=old)


# Settings --------------------------------------------------------------------------------------------------

class SettingsForm(FlaskForm):
    """Only the CSRF token: the settings' inputs are read by name (one per field of Settings)."""


@bp.route("/settings", methods=["GET", "POST"])
@roles_required("admin")
def settings():
    db = get_db()
    form = SettingsForm()
    base = current_app.extensions["planner_settings"]  # defaults and the instance's PLANNER_SETTINGS
    stored = stored_overrides(db)
    current = get_settings()
    typed, errors = {}, {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        reset = request.form.get("reset")
        if reset:
            if reset not in FIELD_RULES:
                abort(400)
            if reset in stored:
                delete_override(db, reset)
                audit(db, current_user.actor, "settings-reset", "setting", reset,
                      {"from": stored[reset]["value"], "to": to_json(getattr(base, reset))})
                forget_settings()
            flash(_("%(key)s is back to its default.", key=SETTING_LABELS[reset]), "success")
            return redirect(url_for("admin.settings"))
        values = {}
        for key in FIELD_RULES:
            typed[key] = request.form.get(key, "")
            value, message = parse_setting(key, typed[key])
            if message:
                errors[key] = message
            else:
                values[key] = value
        for first, second in ORDERED_TIMES:
            if first in values and second in values and values[second] <= values[first]:
                errors[second] = _("Must be later than %(key)s (%(time)s).", key=SETTING_LABELS[first],
                                   time=to_text(values[first]))
        if not errors:
            changes = 0
            for key, value in values.items():
                if value == getattr(current, key):
                    continue
                changes += 1
                if value == getattr(base, key):
                    delete_override(db, key)
                else:
                    save_override(db, key, to_json(value), current_user.actor)
                audit(db, current_user.actor, "settings-change", "setting", key,
                      {"from": to_json(getattr(current, key)), "to": to_json(value)})
            forget_settings()
            flash(_("Settings saved.") if changes else _("Nothing changed."), "success" if changes else "info")
            return redirect(url_for("admin.settings"))
    defaults = Settings()
    config = current_app.config["PLANNER_SETTINGS"]
    emails, _names = audit_store.actor_names(db)
    rows = [(title, [{"key": key, "label": SETTING_LABELS[key], "kind": FIELD_RULES[key][0],
                      "value": typed[key] if key in typed else shown(key, getattr(current, key)),
                      "default": shown(key, getattr(defaults, key)), "error": errors.get(key),
                      "config": to_text(getattr(base, key)) if key in config else None,
                      "stored": stored.get(key) and dict(stored[key], who=emails.get(stored[key]["updated_by"],
                                                                                     stored[key]["updated_by"]))}
                     for key in keys])
            for title, keys in SETTING_GROUPS]
    network = {"own": current.network_file is not None,
               "updated": network_updated(network_file(current.network_file))}
    wrong = [(key, SETTING_LABELS[key], errors[key])
             for _title, keys in SETTING_GROUPS for key in keys if key in errors]
    return (render_template("admin/settings.html", form=form, groups=rows, network=network, wrong=wrong),
            422 if errors else 200)
