"""Reports for leads (a director has the lead role): a period's visits, travel, costs and emissions as charts, each
with its figures in a table and the whole as CSV (``planner.planning.reports``; definitions: docs/reports.md)."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _

from ...core.local_time import helsinki_today
from ...context import get_db, get_settings
from ...core.emissions import EmissionFactors
from ...core.records import ROLES
from ...planning.reports import csv_rows, period, report
from ...core.weeks import weeks_between
from ...planning.what_if import Change, WhatIfError, parse_person, what_if
from .. import charts
from ..auth import roles_required
from ..i18n import format_month, format_week
from ..messages import MODE_NAMES, place, render
from .common import short_office, team
from .visits import KIND_LABELS

bp = Blueprint("reports", __name__, url_prefix="/reports")
MODES = ("car", "taxi", "train", "flight", "ferry")
# An image may style itself, never run anything (pygal writes its styles inside the SVG).
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _period() -> tuple[date, date, str | None]:
    """The period asked for (``from`` and ``to``, or a ``preset``), this year so far by default; and why the
    typed one was refused, if it was."""
    today = helsinki_today()
    preset = request.args.get("preset", "")
    if preset in ("month", "quarter", "year"):
        first = {"month": today.replace(day=1), "year": today.replace(month=1, day=1),
                 "quarter": today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)}[preset]
        return first, today, None
    if request.args.get("from") or request.args.get("to"):
        try:
            start, end = period(request.args.get("from", ""), request.args.get("to", ""))
            return start, end, None
        except ValueError:
            problem = _("Give the first and the last day, the first not after the last (at most five years).")
            return today.replace(month=1, day=1), today, problem
    return today.replace(month=1, day=1), today, None


def _office_names() -> dict[str, str]:
    """Office id → its place name in the reader's language ('Helsinki', 'Lappeenranta'): no ids on a page."""
    return {office_id: place(short_office(office.name)) for office_id, office in team(get_db())[1].items()}


def _figures(start: date, end: date) -> dict:
    settings = get_settings()
    return report(get_db(), settings, EmissionFactors.from_settings(settings), start, end)


@bp.get("")
@roles_required("lead")
def index():
    start, end, problem = _period()
    figures = _figures(start, end)
    months = sorted({row["month"] for row in figures["visits"]["by_group"]})
    return render_template("reports/index.html", figures=figures, start=start, end=end, problem=problem,
                           months=months, modes=MODES, mode_names=MODE_NAMES, kind_names=KIND_LABELS,
                           office_names=_office_names(),
                           what_if_query={"from": max(start, end - timedelta(27)).isoformat(), "to": end.isoformat()},
                           query={"from": start.isoformat(), "to": end.isoformat()}), 422 if problem else 200


@bp.get("/report.csv")
@roles_required("lead")
def download():
    start, end, problem = _period()
    if problem:     # a file of another period than the one asked for would mislead: the reason instead
        return Response(problem + "\n", status=422, mimetype="text/plain")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(csv_rows(_figures(start, end)))
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=planner-{start.isoformat()}-{end.isoformat()}.csv"})


@bp.get("/charts/<name>.svg")
@roles_required("lead")
def chart(name: str):
    start, end, _problem = _period()
    figures = _figures(start, end)
    if name == "visits":
        months = sorted({row["month"] for row in figures["visits"]["by_group"]})
        per = {m: [r for r in figures["visits"]["by_group"] if r["month"] == m] for m in months}
        svg = charts.stacked_bars(
            _("Visits by month"), [format_month(date.fromisoformat(m + "-01")) for m in months],
            {_("done"): [sum(r["done"] for r in per[m]) for m in months],
             _("left out"): [sum(r["unassigned"] for r in per[m]) for m in months],
             _("not yet planned"): [sum(r["requested"] - r["done"] - r["unassigned"] for r in per[m]) for m in months]})
    elif name in ("km", "emissions"):
        offices = list(figures["offices"])
        key = "km_{}" if name == "km" else "kg_{}"
        if name == "km":
            series = {str(MODE_NAMES.get(m, m)): [figures["offices"][o].get(key.format(m), 0) for o in offices]
                      for m in MODES}
        else:
            series = {_("kg CO₂e"): [figures["offices"][o].get("kg_co2e", 0) for o in offices]}
        names = _office_names()
        svg = charts.stacked_bars(_("Kilometres by mode, per office") if name == "km" else
                                  _("Emissions per office, kg CO₂e"), [names.get(o, o) for o in offices], series,
                                  horizontal=True)
    elif name == "plans":
        weeks = figures["plans"]["weeks"]
        svg = charts.lines(_("The plans: visits covered and the gap, per cent"),
                           [format_week(w["week"]) for w in weeks],
                           {_("covered"): [None if w["coverage"] is None else round(100 * w["coverage"], 1)
                                           for w in weeks],
                            _("gap"): [None if w["gap"] is None else round(100 * w["gap"], 1) for w in weeks]})
    else:
        return Response(status=404)
    return Response(svg, mimetype="image/svg+xml", headers={"Content-Security-Policy": SVG_CSP})



PAGE_WEEKS = 8                  # what-if on the page: at most this many weeks (the command does any period)
PAGE_SECONDS_PER_WEEK = 3.0


def _cannot(exc: WhatIfError) -> str:
    """Why the change cannot be made: the place as the visit form says it ("did you mean …"), else in general."""
    if exc.problem is not None:
        return _("That change cannot be made: %(why)s", why=render(exc.problem))
    return _("That change cannot be made: check the place, the office and the role.")


@bp.get("/what-if")
@roles_required("lead")
def what_if_page():
    """The period's weeks planned again with a change (``planner what-if``), for a short period."""
    start, end, problem = _period()
    args = {key: request.args.get(key, "").strip()[:200]
            for key in ("add_office", "person_office", "role", "link", "close_office", "move_person", "move_to")}
    change, result = None, None
    if not problem and any(args[k] for k in args if k != "person_office"):    # opened without a change: the form
        try:
            office = args["add_office"] if args["person_office"] == "new" else args["person_office"]
            people = ((office, args["role"]),) if args["role"] else ()
            move_to = args["add_office"] if args["move_to"] == "new" else args["move_to"]
            change = Change((args["add_office"],) if args["add_office"] else (), tuple(
                parse_person(f"{office}:{role}") for office, role in people), (args["link"],) if args["link"] else (),
                (args["close_office"],) if args["close_office"] else (),
                ((args["move_person"], move_to),) if args["move_person"] and move_to else ())
            if not change:
                problem = _("Choose a change: an office, a person or a link.")
            elif len(weeks_between(start, end)) > PAGE_WEEKS:
                problem = _("At most %(n)d weeks here; the command planner what-if plans any period.", n=PAGE_WEEKS)
        except WhatIfError as exc:
            problem = _cannot(exc)
    if change and not problem:
        settings = get_settings()
        try:
            result = what_if(get_db(), settings, EmissionFactors.from_settings(settings), start, end, change,
                             PAGE_SECONDS_PER_WEEK)
        except WhatIfError as exc:
            problem = _cannot(exc)
    _staff, _offices, grouped = team(get_db())
    people = [(s.id, s.name) for members in grouped.values() for s in members]
    return render_template("reports/what_if.html", start=start, end=end, args=args, result=result,
                           problem=problem, offices=_office_names(), roles=ROLES, page_weeks=PAGE_WEEKS, people=people,
                           query={"from": start.isoformat(), "to": end.isoformat()}), 422 if problem else 200
