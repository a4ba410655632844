"""The team's working hours: leads and administrators see each person's working days and hours and change them
(part-time days, shorter or later hours). The planner and the proposer read the same pattern
(``planner.core.working_pattern``; the import file's ``working_pattern`` says the same in JSON).

Every change is audited (``working-pattern``, the pattern before and after in the import file's words).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ... import store
from ...store.concurrency import write_transaction
from ...store.db import audit
from ...context import get_db
from ...core.records import DEFAULT_PATTERN
from ...core.working_pattern import WEEKDAYS, pattern_blocks, typed_clock
from ..auth import roles_required
from ..i18n import format_clock, format_pattern
from .common import team

bp = Blueprint("team", __name__, url_prefix="/team")

MAX_TYPED = 20  # characters kept of a typed time


@bp.get("")
@roles_required("lead", "admin")
def index():
    staff, offices, grouped = team(get_db())
    return render_template("team/index.html", grouped=grouped, default=DEFAULT_PATTERN)


def _shown(pattern) -> str:
    """The pattern as the form carries it, to notice a change made by someone else meanwhile."""
    return ";".join(f"{d}={s.strftime('%H:%M')}-{e.strftime('%H:%M')}" for d, (s, e) in sorted(pattern.items()))


def _rows(pattern) -> list[dict]:
    """The form's seven rows as the stored pattern fills them (a day off shows the usual hours, ready to tick)."""
    usual = next(iter(pattern.values()), DEFAULT_PATTERN[0])
    return [{"day": name, "index": d, "works": d in pattern,
             "start": format_clock(pattern.get(d, usual)[0]), "end": format_clock(pattern.get(d, usual)[1]),
             "errors": []} for d, name in enumerate(WEEKDAYS)]


def _read_form() -> tuple[list[dict], dict | None, list[str]]:
    """The rows as typed, the pattern they describe (None when something is wrong) and the errors about the whole
    form; each row carries its own errors."""
    ticked = set(request.form.getlist("days"))
    rows, pattern, general = [], {}, []
    for d, name in enumerate(WEEKDAYS):
        row = {"day": name, "index": d, "works": name in ticked, "errors": [],
               "start": request.form.get(f"start-{name}", "")[:MAX_TYPED],
               "end": request.form.get(f"end-{name}", "")[:MAX_TYPED]}
        rows.append(row)
        if not row["works"]:
            continue
        start, end = typed_clock(row["start"]), typed_clock(row["end"])
        for key, value, empty in (("start", start, _("Enter the start time, for example 8.00.")),
                                  ("end", end, _("Enter the end time, for example 16.15."))):
            if value is None and not row[key].strip():
                row["errors"].append((key, empty))
            elif value is None:
                row["errors"].append((key, _("%(value)s is not a time of day: write hours and minutes, for example "
                                            "8.00 or 16.15.", value=row[key])))
        if start and end and end <= start:
            row["errors"].append(("end", _("The end %(end)s is not after the start %(start)s.",
                                           end=format_clock(end), start=format_clock(start))))
        if not row["errors"]:
            pattern[d] = (start, end)
    if not ticked & set(WEEKDAYS):
        general.append(_("Choose at least one working day."))
    return rows, (pattern if not general and not any(r["errors"] for r in rows) else None), general


@bp.route("/<staff_id>/hours", methods=["GET", "POST"])
@roles_required("lead", "admin")
def hours(staff_id: str):
    db = get_db()
    person = store.load_staff(db).get(staff_id)
    if person is None:
        abort(404)
    if request.method == "GET":
        return render_template("team/hours.html", person=person, rows=_rows(person.pattern),
                               shown=_shown(person.pattern), general=[])
    if not FlaskForm().validate_on_submit():  # the CSRF token
        abort(400)
    rows, pattern, general = _read_form()
    status = 422
    if pattern is not None:
        with write_transaction(db):
            current = store.load_staff(db)[staff_id].pattern
            if request.form.get("shown", _shown(current)) != _shown(current):
                general.append(_("Someone changed %(name)s's working hours after you opened this page. They are "
                                 "now %(now)s; check the days and save again.", name=person.name,
                                 now=format_pattern(current)))
                status = 409
            else:
                if pattern != current:
                    store.set_working_pattern(db, staff_id, pattern)
                    audit(db, current_user.actor, "working-pattern", "staff", staff_id,
                          {"before": pattern_blocks(current), "after": pattern_blocks(pattern)})
        if status != 409:
            flash(_("Working hours of %(name)s saved.", name=person.name) if pattern != current else
                  _("The working hours of %(name)s were already these; nothing changed.", name=person.name),
                  "success" if pattern != current else "info")
            return redirect(url_for("team.index") + f"#s-{staff_id}")
        person = store.load_staff(db)[staff_id]
    return render_template("team/hours.html", person=person, rows=rows, shown=_shown(person.pattern),
                           general=general), status

