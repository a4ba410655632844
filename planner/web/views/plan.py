"""The planning board (``/plan?week=…``): people by office against the week's days, each trip a labelled block;
selecting one opens its details and actions beside the board (``trip=``), so an action returns to the same block.
Accept, take back to draft, pin, move (to an eligible person and day, by list, drag or keyboard), publish with a
confirmation, and "plan again", which runs the weekly optimizer in a background process."""
from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ... import store
from ...context import effective_overrides, get_db, get_settings
from ...core.availability import Availability
from ...core.weeks import parse_week
from ...planning import actions, plan_jobs
from ...planning.changes import plan_changes
from ...planning.conflicts import conflicts
from ...planning.moves import move_options
from ...store import plan_queries
from ...store.concurrency import StaleEdit, parse_version, week_plan_version
from ..auth import roles_required
from ..board import build_board, shown_days
from ..i18n import format_reason
from ..page_cache import cached_page
from .audit import audit_view
from .common import neighbour_weeks, team, week_arg
from .plan_jobs import job_view
from .stale import stale_page

bp = Blueprint("plan", __name__, url_prefix="/plan")


def _week_from_form() -> str:
    week = request.form.get("week", "")
    try:
        parse_week(week)
    except ValueError:
        abort(400)
    return week


def _board_url(week: str, trip: str | None = None) -> str:
    """The board, at the trip's block when there is one: where an action without JavaScript returns."""
    if trip:
        return url_for("plan.index", week=week, trip=trip, _anchor="detail")
    return url_for("plan.index", week=week)


@bp.get("")
@roles_required("lead")
def index():
    """The board; cached per data version (the page is the heaviest and the most often reloaded). The view is
    audited per request, so a page served from the cache counts too."""
    week = week_arg()[0]
    audit_view("plan", week)
    return cached_page(_render_week, week)  # the week in the key: without ``week=`` it follows the day


def _render_week(week: str | None = None, problem: str | None = None, selected: str | None = None) -> str:
    """The board of ``week`` (default: the query's); ``problem``: why an action was refused, said in the panel."""
    db = get_db()
    if week is None:
        week, monday, sunday = week_arg()
    else:
        monday, sunday = parse_week(week)
    staff, offices, grouped = team(db)
    trips = plan_queries.trips_of_week(db, week)
    found = conflicts(db, monday, sunday)
    kinds: dict[str, set[str]] = {}
    for c in found:
        kinds.setdefault(c["trip"], set()).add(c["kind"])
    availability = Availability(staff.values(), store.load_absences(db))
    board = build_board(monday, grouped, trips, kinds, availability.unavailable_reason)
    selected = selected or request.args.get("trip")
    trip = next((t for t in trips if t["id"] == selected), None)
    run, changes = plan_changes(db, week)
    previous, following = neighbour_weeks(monday)
    return render_template(
        "plan/week.html", week=week, monday=monday, sunday=sunday, previous=previous, following=following,
        staff=staff, board=board, trips=trips, conflicts=found, run=run, changes=changes, job=_job_of(db, week),
        unassigned=plan_queries.unassigned_of_week(db, week), plan_version=week_plan_version(db, week),
        left_as_edited=_left_as_edited(run), **_to_publish(trips),
        trip=trip, moves=_moves(db, trip, board.days) if trip else {}, problem=problem)


def _to_publish(trips: list[dict]) -> dict:
    """What "Publish drafts" will do: how many draft trips, for how many people."""
    drafts = [t for t in trips if t["state"] == "draft"]
    return {"drafts": len(drafts), "draft_people": len({s for t in drafts for s in t["staff"]})}


def _job_of(db, week: str) -> dict | None:
    job = plan_jobs.running_job(db, week)
    job_arg = request.args.get("job", "")
    if job is None and job_arg.isascii() and job_arg.isdigit() and len(job_arg) <= 18:  # an id SQLite can hold
        job = plan_jobs.job_status(db, int(job_arg))
    return job_view(job) if job is not None and job["week"] == week else None


def _moves(db, trip: dict, board_days: list[date]) -> dict[int, dict]:
    """Per meeting of the selected trip: where it could move (the move list beside the board)."""
    return {m["id"]: options for m in trip["meetings"]
            if (options := move_options(db, get_settings(), m["id"], board_days)) is not None}


def _left_as_edited(run: dict | None) -> list[str]:
    """Visits a plan run left as a person edited them while it ran (store.plan_runs.save_plan_run)."""
    if not run or not run.get("result"):
        return []
    return json.loads(run["result"]).get("edits_during_run", {}).get("visits", [])


@bp.get("/publish")
@roles_required("lead")
def confirm_publish():
    """What publishing will do, to confirm (the board opens the same question in a dialog)."""
    week, _monday, _sunday = week_arg()
    db = get_db()
    return render_template("plan/publish.html", week=week, **_to_publish(plan_queries.trips_of_week(db, week)),
                           plan_version=week_plan_version(db, week))


@bp.post("/publish")
@roles_required("lead")
def publish():
    week = _week_from_form()
    try:
        count = actions.publish(get_db(), week, current_user.actor,
                                plan_version=request.form.get("plan_version") or None)
    except StaleEdit as exc:
        return stale_page(exc, _board_url(week))
    flash(ngettext("%(num)d trip published.", "%(num)d trips published.", count) if count
          else _("There were no drafts to publish."), "success")
    return redirect(_board_url(week))


def _trip(trip_id: str) -> dict:
    trip = plan_queries.trip_with_week(get_db(), trip_id)
    if trip is None:
        abort(404)
    return trip


@bp.post("/trips/<trip_id>/accept")
@roles_required("lead")
def accept(trip_id: str):
    trip = _trip(trip_id)
    try:
        count = actions.publish(get_db(), trip["week"], current_user.actor, [trip_id],
                                versions={trip_id: parse_version(request.form.get("version"))})
    except StaleEdit as exc:
        return stale_page(exc, _board_url(trip["week"], trip_id))
    flash(_("Trip accepted and published.") if count else _("The trip was already published."), "success")
    return redirect(_board_url(trip["week"], trip_id))


@bp.post("/trips/<trip_id>/take-back")
@roles_required("lead")
def take_back(trip_id: str):
    """A published trip back to draft: it leaves its people's schedules, who see it under what changed."""
    trip = _trip(trip_id)
    try:
        done = actions.take_back(get_db(), trip_id, current_user.actor, parse_version(request.form.get("version")))
    except StaleEdit as exc:
        return stale_page(exc, _board_url(trip["week"], trip_id))
    flash(_("Taken back to draft: the people on it no longer see it in their schedule.") if done
          else _("The trip was not published."), "success" if done else "info")
    return redirect(_board_url(trip["week"], trip_id))


def _meeting(meeting_id: int) -> dict:
    row = plan_queries.meeting_with_week(get_db(), meeting_id)
    if row is None:
        abort(404)
    return row


def _trip_of_meeting(meeting_id: int, person: str | None = None) -> str | None:
    """The trip to return to for the meeting: the one the lead had selected (the form's ``trip``) when it still
    reaches the meeting, else ``person``'s (a team's meeting is on a trip per office), else its first."""
    db = get_db()
    trips = plan_queries.trips_of_meeting(db, meeting_id)
    selected = request.form.get("trip")
    if selected in trips:
        return selected
    mine = [t for t in trips if person and plan_queries.trip_of_staff(db, t, person) is not None]
    return (mine or trips or [None])[0]


@bp.post("/meetings/<int:meeting_id>/pin")
@roles_required("lead")
def pin(meeting_id: int):
    meeting = _meeting(meeting_id)
    pinned = request.form.get("pinned") == "1"
    back = _board_url(meeting["week"], _trip_of_meeting(meeting_id))
    try:
        actions.set_pinned(get_db(), meeting_id, pinned, current_user.actor,
                           parse_version(request.form.get("version")))
    except StaleEdit as exc:
        return stale_page(exc, back)
    flash(_("Pinned: planning again keeps this meeting.") if pinned else _("Unpinned."), "success")
    return redirect(back)


@bp.get("/meetings/<int:meeting_id>/options")
@roles_required("lead")
def options(meeting_id: int):
    """Where the meeting can go, for the board's drag and drop and keyboard move: the eligible cells, and for every
    other cell of the board why not, in the page's language (checked again on the server when it is moved)."""
    meeting = _meeting(meeting_id)
    db = get_db()
    board_days, _folded = shown_days(parse_week(meeting["week"])[0], plan_queries.trips_of_week(db, meeting["week"]))
    found = move_options(db, get_settings(), meeting_id, board_days)
    if found is None:
        abort(404)
    cells: dict[str, dict] = {}
    for o in found["options"]:
        for person in o["staff"]:
            key = f"{person}|{o['day'].isoformat()}"
            cells.setdefault(key, {"staff": o["staff"], "day": o["day"].isoformat(), "current": o["current"]})
    return jsonify({"meeting": meeting_id, "version": found["meeting"]["version"], "eligible": cells,
                    "refused": {f"{p}|{d.isoformat()}": format_reason(why)
                                for (p, d), why in found["refusals"].items()}})


@bp.post("/meetings/<int:meeting_id>/move")
@roles_required("lead")
def move(meeting_id: int):
    meeting = _meeting(meeting_id)
    back = _board_url(meeting["week"], _trip_of_meeting(meeting_id))
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        return _refused(meeting, _("Choose a day."))
    people = [s for s in request.form.getlist("staff") if s]
    try:
        new_id, why = actions.move_meeting(get_db(), meeting_id, day, people, get_settings(), current_user.actor,
                                           parse_version(request.form.get("version")))
    except StaleEdit as exc:
        return stale_page(exc, back)
    if new_id is None:
        return _refused(meeting, _("Could not move the meeting: %(why)s", why=format_reason(why)))
    flash(_("Moved. The new trip is a draft until published."), "success")
    return redirect(_board_url(meeting["week"], _trip_of_meeting(new_id, people[0] if people else None)))


def _refused(meeting: dict, problem: str):
    """The board as it was, the meeting's trip still selected, with why the move was refused. Said in this page,
    not flashed: a flash travels in the session cookie, which is signed but not encrypted, and the reason can name a
    person's absence (its kind and dates)."""
    return _render_week(meeting["week"], problem, _trip_of_meeting(meeting["id"])), 422


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
