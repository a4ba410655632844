"""The week plan: a timeline per person grouped by office; accept (publish), move, pin; publish the drafts; and
"plan again", which runs the weekly optimizer in a background process and shows its progress and what changed."""
from __future__ import annotations

import json
import time
from datetime import date, datetime

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from ... import store

from ...planning import plan_jobs, services
from ..auth import roles_required
from ...store.concurrency import StaleEdit, parse_version, week_plan_version
from ..page_cache import cached_page
from ...core.availability import days, is_working_day
from ..i18n import format_reason
from ...context import effective_overrides, get_db, get_settings
from ...core.weeks import parse_week
from .audit import audit_view
from .common import neighbour_weeks, team, week_arg
from .stale import stale_page

bp = Blueprint("plan", __name__, url_prefix="/plan")

HOUR_PX = 5  # timeline scale: one hour is 5 SVG units, a week 840


def timeline(trips: list[dict], monday: date) -> list[dict]:
    """SVG geometry for a person's trips in the week: a bar from departure to return, the meetings on it."""
    start = datetime.combine(monday, datetime.min.time())
    width = 7 * 24 * HOUR_PX

    def x(text: str) -> float:
        hours = (datetime.fromisoformat(text) - start).total_seconds() / 3600
        return max(0.0, min(width, hours * HOUR_PX))

    bars = []
    for t in trips:
        x0, x1 = x(t["depart"]), x(t["return"])
        bars.append({"trip": t, "x": round(x0, 1), "w": round(max(2.0, x1 - x0), 1),
                     "meetings": [{"x": round(x(m["start"]), 1), "w": round(max(2.0, x(m["end"]) - x(m["start"])), 1)}
                                  for m in t["meetings"]]})
    return bars


def _week_from_form() -> str:
    week = request.form.get("week", "")
    try:
        parse_week(week)
    except ValueError:
        abort(400)
    return week


@bp.get("")
@roles_required("lead")
def index():
    """The week plan; cached per data version (the page is the heaviest and the most often reloaded). The view is
    audited per request, so a page served from the cache counts too."""
    audit_view("plan", week_arg()[0])
    return cached_page(_render_week)


def _render_week() -> str:
    db = get_db()
    week, monday, sunday = week_arg()
    staff, offices, grouped = team(db)
    trips = services.trips_of_week(db, week)
    by_person: dict[str, list[dict]] = {}
    for t in trips:
        for s in t["staff"]:
            by_person.setdefault(s, []).append(t)
    meetings = services.meetings_of_week(db, week)
    found = services.conflicts(db, monday, sunday)
    conflict_trips = {c["trip"] for c in found}
    run, changes = services.plan_changes(db, week)
    job = plan_jobs.running_job(db, week)
    job_arg = request.args.get("job", "")
    if job is None and job_arg.isascii() and job_arg.isdigit() and len(job_arg) <= 18:  # an id SQLite can hold
        job = plan_jobs.job_status(db, int(job_arg))
    if job is not None and job["week"] == week:
        job = job_view(job)
    else:
        job = None
    visits = {v.id: v for v in store.load_visits(db, monday, sunday)}
    for m in meetings:
        if m["visit"] not in visits:
            visits[m["visit"]] = store.load_visit(db, m["visit"])
    move_days = {m["id"]: [d for d in days(visits[m["visit"]].earliest, visits[m["visit"]].latest)
                           if is_working_day(d, visits[m["visit"]].on_aland)] for m in meetings}
    previous, following = neighbour_weeks(monday)
    return render_template(
        "plan/week.html", week=week, monday=monday, sunday=sunday, previous=previous, following=following,
        staff=staff, offices=offices, grouped=grouped, by_person=by_person,
        bars={s: timeline(ts, monday) for s, ts in by_person.items()}, trips=trips, meetings=meetings,
        visits=visits, conflicts=found, conflict_trips=conflict_trips, run=run, changes=changes, job=job,
        unassigned=services.unassigned_of_week(db, week), move_days=move_days,
        plan_version=week_plan_version(db, week), left_as_edited=_left_as_edited(run),
        drafts=sum(t["state"] == "draft" for t in trips), day_list=days(monday, sunday), hour_px=HOUR_PX)


def _left_as_edited(run: dict | None) -> list[str]:
    """Visits a plan run left as a person edited them while it ran (persist.save_plan_run)."""
    if not run or not run.get("result"):
        return []
    return json.loads(run["result"]).get("edits_during_run", {}).get("visits", [])


@bp.post("/publish")
@roles_required("lead")
def publish():
    week = _week_from_form()
    try:
        count = services.publish(get_db(), week, current_user.actor,
                                 plan_version=request.form.get("plan_version") or None)
    except StaleEdit as exc:
        return stale_page(exc, url_for("plan.index", week=week))
    flash(ngettext("%(num)d trip published.", "%(num)d trips published.", count) if count else _("There were no drafts to publish."), "success")
    return redirect(url_for("plan.index", week=week))


@bp.post("/trips/<trip_id>/accept")
@roles_required("lead")
def accept(trip_id: str):
    db = get_db()
    trip = next(db.query("select t.id, r.week from trips t join plan_runs r on r.id = t.plan_run where t.id = ?",
                         [trip_id]), None)
    if trip is None:
        abort(404)
    try:
        count = services.publish(db, trip["week"], current_user.actor, [trip_id],
                                 versions={trip_id: parse_version(request.form.get("version"))})
    except StaleEdit as exc:
        return stale_page(exc, url_for("plan.index", week=trip["week"]))
    flash(_("Trip accepted and published.") if count else _("The trip was already published."), "success")
    return redirect(url_for("plan.index", week=trip["week"]))


def _meeting(meeting_id: int) -> dict:
    row = next(get_db().query(
        "select m.*, r.week from meetings m join plan_runs r on r.id = m.plan_run where m.id = ?", [meeting_id]), None)
    if row is None:
        abort(404)
    return row


@bp.post("/meetings/<int:meeting_id>/pin")
@roles_required("lead")
def pin(meeting_id: int):
    meeting = _meeting(meeting_id)
    pinned = request.form.get("pinned") == "1"
    try:
        services.set_pinned(get_db(), meeting_id, pinned, current_user.actor,
                            parse_version(request.form.get("version")))
    except StaleEdit as exc:
        return stale_page(exc, url_for("plan.index", week=meeting["week"]))
    flash(_("Pinned: planning again keeps this meeting.") if pinned else _("Unpinned."), "success")
    return redirect(url_for("plan.index", week=meeting["week"]))


@bp.post("/meetings/<int:meeting_id>/move")
@roles_required("lead")
def move(meeting_id: int):
    meeting = _meeting(meeting_id)
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        flash(_("Choose a day."), "error")
        return redirect(url_for("plan.index", week=meeting["week"]))
    people = [s for s in request.form.getlist("staff") if s]
    try:
        new_id, why = services.move_meeting(get_db(), meeting_id, day, people, get_settings(), current_user.actor,
                                            parse_version(request.form.get("version")))
    except StaleEdit as exc:
        return stale_page(exc, url_for("plan.index", week=meeting["week"]))
    if new_id is None:
        # Said in this page, not flashed: a flash travels in the session cookie, which is signed but not encrypted,
        # and the reason can name a person's absence (its kind and dates).
        return render_template("plan/stale.html", title=_("Could not move the meeting"),
                               message=_("Could not move the meeting: %(why)s", why=format_reason(why)),
                               back=url_for("plan.index", week=meeting["week"])), 422
    else:
        flash(_("Moved. The new trip is a draft until published."), "success")
    return redirect(url_for("plan.index", week=meeting["week"]))


@bp.post("/again")
@roles_required("lead")
def again():
    """Plan the week again in the background: pins are kept, and visits with conflicts are planned again (withdrawn
    only when the new plan is stored, so a failed run changes nothing)."""
    week = _week_from_form()
    job_id = plan_jobs.start_job(get_db(), current_app.config["DATABASE"], effective_overrides(), week,
                                 current_user.actor, current_app.config["PLAN_JOB_SOLVER"],
                                 float(current_app.config["PLAN_JOB_TIME_LIMIT"]),
                                 int(current_app.config["PLAN_JOBS_AT_ONCE"]))
    return redirect(url_for("plan.index", week=week, job=job_id))


def _job(job_id: int) -> dict:
    status = plan_jobs.job_status(get_db(), job_id)
    if status is None:
        abort(404)
    return status


@bp.post("/jobs/<int:job_id>/cancel")
@roles_required("lead")
def cancel_job(job_id: int):
    """Stop planning: the job's process is ended and nothing of it is stored."""
    status = _job(job_id)
    if plan_jobs.cancel_job(get_db(), job_id, current_user.actor):
        flash(_("Planning stopped: nothing of it was stored."), "info")
    else:
        flash(_("Planning had already ended."), "info")
    return redirect(url_for("plan.index", week=status["week"], job=job_id))


@bp.get("/jobs/<int:job_id>")
@roles_required("lead")
def job(job_id: int):
    status = job_view(_job(job_id))
    audit_view("plan", status["week"], {"job": job_id})
    return jsonify({k: status[k] for k in ("id", "week", "state", "progress", "plan_run", "error", "phase",
                                           "queue_position", "elapsed_s", "time_limit_s", "message")})


JOB_PHASES = {"starting": _l("starting"), "loading": _l("reading the week"),
              "planning": _l("working out travel and searching for the best plan"), "storing": _l("storing the plan")}


def job_message(job: dict, position: int | None) -> str:
    """One sentence on the job for the lead, in the page's language."""
    state = job["state"]
    if state == "queued":
        ahead = (position or 1) - 1
        return (ngettext("Waiting to start: %(num)d plan run is ahead of this one.",
                         "Waiting to start: %(num)d plan runs are ahead of this one.", ahead)
                if ahead else _("Waiting to start: this plan run is next."))
    if state == "running":
        return _("Planning: %(phase)s.", phase=JOB_PHASES.get(job["phase"] or "starting", JOB_PHASES["starting"]))
    if state == "done":
        return _("Planning finished.")
    if state == "cancelled":
        return _("Planning was stopped; nothing of it was stored.")
    unchanged = _("Nothing was changed: the plan and everyone's schedule are as they were.")
    reference = _("Reference for the log: plan job %(id)d.", id=job["id"])
    if job["error"] == plan_jobs.TIMEOUT:
        return " ".join((_("Planning took longer than its time limit and was stopped."), unchanged, reference))
    return " ".join((_("Planning failed."), unchanged, reference))


def job_view(job: dict) -> dict:
    """The job as the page shows it: its state in words of the page's language (never the run's English progress
    or an error's text: those are in the log, found by the job's number), where it waits, how long it has run."""
    db = get_db()
    # dispatch fails the jobs that can no longer finish and starts waiting ones: the row is read again after it
    plan_jobs.dispatch(db, current_app.config["DATABASE"], int(current_app.config["PLAN_JOBS_AT_ONCE"]))
    job = dict(db["plan_jobs"].get(job["id"]))
    elapsed = (max(0, round(time.time() - job["started_ts"])) if job["state"] == "running" and job["started_ts"]
               else None)
    position = plan_jobs.queue_position(db, job)
    return {**job, "queue_position": position, "elapsed_s": elapsed,
            "time_limit_s": round(job["time_limit"]) if job["time_limit"] else None,
            "message": job_message(job, position)}
