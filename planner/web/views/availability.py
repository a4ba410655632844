"""Availability: staff enter their own absences; leads see the team's month with holidays, absences and trips."""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired, ValidationError

from ...core.local_time import helsinki_today
from ... import store

from ...store import plan_queries
from ..auth import roles_required, staff_member_required

from ...store.db import audit
from ...core.availability import trip_days
from ...core.public_holidays import holiday_name
from ...core.records import ABSENCE_KINDS, DEFAULT_PATTERN, Absence
from ...context import get_db
from ..i18n import current_language
from ..messages import HOLIDAY_LANGUAGE, place
from ...core.weeks import FIRST_YEAR, LAST_YEAR
from .common import choices, people_choices, team

bp = Blueprint("availability", __name__, url_prefix="/availability")

KIND_LABELS = {"vacation": _l("Vacation"), "sick_leave": _l("Sick leave"), "training": _l("Training"),
               "other": _l("Other")}
MAX_ABSENCE_DAYS = 366


def in_years(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _check_year(day: date | None) -> None:
    """The visits' rule (planner.ops.importer): days of the years 2000-2100, so the calendar around a day exists."""
    if day and not in_years(day):
        raise ValidationError(_("%(day)s is not in the years %(first)d–%(last)d.", day=day.isoformat(),
                                first=FIRST_YEAR, last=LAST_YEAR))


class AbsenceForm(FlaskForm):
    start = DateField(_l("From"), validators=[DataRequired(message=_l("Give the first day (a date)."))])
    end = DateField(_l("To (inclusive)"), validators=[DataRequired(message=_l("Give the last day (a date)."))])
    kind = SelectField(_l("Kind"), choices=choices((k, KIND_LABELS[k]) for k in ABSENCE_KINDS), default="vacation")

    def validate_start(self, field):
        _check_year(field.data)

    def validate_end(self, field):
        _check_year(field.data)
        if self.start.data and field.data and in_years(self.start.data):
            if field.data < self.start.data:
                raise ValidationError(_l("The last day is before the first day."))
            if (field.data - self.start.data).days >= MAX_ABSENCE_DAYS:
                raise ValidationError(_l("An absence can be at most a year; enter a longer one in parts."))


@bp.route("", methods=["GET", "POST"])
@staff_member_required
def mine():
    db = get_db()
    form = AbsenceForm()
    if form.validate_on_submit():
        absence = Absence(current_user.staff, form.start.data, form.end.data, form.kind.data)
        if store.add_absence(db, absence):
            audit(db, current_user.actor, "add-absence", "staff", current_user.staff,
                  {"from": absence.start.isoformat(), "to": absence.end.isoformat(), "kind": absence.kind})
            flash(_("Absence saved."), "success")
        else:
            flash(_("That absence was already recorded."), "info")
        return redirect(url_for("availability.mine"))
    absences = store.absences_of_staff(db, current_user.staff)
    return render_template("availability/mine.html", form=form, absences=absences, kinds=KIND_LABELS), \
        200 if not form.errors else 422


@bp.post("/<int:absence_id>/delete")
@staff_member_required
def delete(absence_id: int):
    db = get_db()
    row = store.absence_of_staff(db, absence_id, current_user.staff)
    if row is None:
        abort(404)
    store.delete_absence(db, absence_id)
    audit(db, current_user.actor, "delete-absence", "staff", current_user.staff, {"id": absence_id})
    flash(_("Absence removed."), "success")
    return redirect(url_for("availability.mine"))


class TeamAbsenceForm(AbsenceForm):
    """A lead records someone's absence (a colleague calls in sick): the person, then the days."""
    staff = SelectField(_l("Person"), choices=[], validators=[DataRequired(message=_l("Choose the person."))])


def _team_absence_form(grouped) -> TeamAbsenceForm:
    form = TeamAbsenceForm()
    form.staff.choices = people_choices(grouped, ("", _("Choose…")))
    return form


@bp.route("/team", methods=["GET", "POST"])
@roles_required("lead")
def team_month():
    db = get_db()
    month_arg = request.args.get("month") or helsinki_today().strftime("%Y-%m")
    try:
        first = date.fromisoformat(month_arg + "-01")
    except ValueError:
        abort(404)
    if not FIRST_YEAR <= first.year <= LAST_YEAR:  # the months around it must exist too
        abort(404)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    days = [first + timedelta(n) for n in range(last.day)]
    staff, offices, grouped = team(db)
    form = _team_absence_form(grouped)
    if form.validate_on_submit():
        absence = Absence(form.staff.data, form.start.data, form.end.data, form.kind.data)
        if store.add_absence(db, absence):
            audit(db, current_user.actor, "add-absence", "staff", absence.staff,
                  {"from": absence.start.isoformat(), "to": absence.end.isoformat(), "kind": absence.kind})
            flash(_("Absence saved for %(name)s. Plan the week again to move their trips.",
                    name=staff[absence.staff].name), "success")
        else:
            flash(_("That absence was already recorded."), "info")
        return redirect(url_for("availability.team_month", month=absence.start.strftime("%Y-%m")))
    absences = store.load_absences(db)
    trips = plan_queries.trips_between(db, first, last)
    cells: dict[str, dict[date, dict]] = {s: {} for s in staff}
    for a in absences:
        for d in days:
            if a.start <= d <= a.end and a.staff in cells:
                cells[a.staff][d] = {"kind": "absent", "label": KIND_LABELS.get(a.kind, a.kind)}
    for t in trips:
        for d in trip_days(t):
            for s in t["staff"]:
                if first <= d <= last and s in cells and d not in cells[s]:
                    cells[s][d] = {"kind": "trip" if t["state"] == "published" else "draft",
                                   "label": ", ".join(place(m["place_name"]) for m in t["meetings"]),
                                   "trip": t["id"], "week": t["week"]}
    for s, person in staff.items():
        for d in days:
            if d not in cells[s] and not person.employed_on(d):
                cells[s][d] = {"kind": "inactive", "label": _("not employed")}
    language = HOLIDAY_LANGUAGE[current_language()]
    holidays = {d: name for d in days if (name := holiday_name(d, language=language))}
    previous = (first - timedelta(1)).strftime("%Y-%m")
    following = (last + timedelta(1)).strftime("%Y-%m")
    recorded = [dict(row, name=staff[row["staff"]].name) for row in store.absence_rows_between(db, first, last)
                if row["staff"] in staff]
    return render_template("availability/team.html", first=first, days=days, grouped=grouped, cells=cells,
                           holidays=holidays, previous=previous, following=following,
                           default_pattern=DEFAULT_PATTERN, form=form, recorded=recorded,
                           kinds=KIND_LABELS), 200 if not form.errors else 422


@bp.post("/team/<int:absence_id>/delete")
@roles_required("lead")
def delete_for_team(absence_id: int):
    """A lead removes an absence recorded by mistake (anyone's)."""
    db = get_db()
    row = store.absence_row(db, absence_id)
    if row is None:
        abort(404)
    store.delete_absence(db, absence_id)
    audit(db, current_user.actor, "delete-absence", "staff", row["staff"], {"id": absence_id})
    flash(_("Absence removed."), "success")
    return redirect(url_for("availability.team_month", month=row["from_date"][:7]))
