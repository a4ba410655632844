"""My schedule: a staff member's published trips for a week, what changed since they last looked, "I can't make
this trip", and their personal iCalendar feed (a secret, revocable token; times and places only)."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from icalendar import Calendar, Event

from ...core.local_time import helsinki_today
from ...accounts import calendar_tokens
from ...planning import actions
from ...planning.changes import schedule_changes, schedule_snapshot, upcoming_trips
from ...store import plan_queries, schedule_seen
from ..auth import staff_member_required
from ...store.concurrency import StaleEdit, parse_version
from ..i18n import HELSINKI
from ..messages import MODE_NAMES, minutes, place
from ...context import get_db
from ...core.weeks import week_of
from .common import neighbour_weeks, short_office, team, week_arg
from .stale import stale_page

bp = Blueprint("schedule", __name__)

COMING_DAYS = 14  # My schedule opens on these days from today


@bp.get("/schedule")
@staff_member_required
def index():
    db = get_db()
    if request.args.get("week"):
        week, first, last = week_arg()
    else:  # staff start where their work is: the coming days, next trip first
        week, first = "", helsinki_today()
        last = first + timedelta(COMING_DAYS - 1)
    trips = plan_queries.trips_between(db, first, last, current_user.staff, published_only=True)
    seen = schedule_seen.last_seen(db, current_user.id)
    upcoming = upcoming_trips(db, current_user.staff)
    changes = schedule_changes(json.loads(seen["snapshot"]) if seen else None, upcoming)
    if seen is None:  # the first look is the starting point; later looks change nothing (a GET can come from a link)
        _mark_seen(db, upcoming)
    declined = plan_queries.open_declined_trips(db, current_user.staff)
    staff, offices, _ = team(db)
    has_feed = calendar_tokens.has_calendar_token(db, current_user.id)
    # a week's arrows lead to its neighbours; from the coming days, to this week and the next
    previous, following = neighbour_weeks(first) if week else (week_of(first), week_of(first + timedelta(7)))
    return render_template("schedule/index.html", week=week, first=first, last=last, trips=trips,
                           changes=changes, seen_at=seen["seen_at"] if seen else None, declined=declined,
                           shown=_fingerprint(upcoming),
                           me=staff.get(current_user.staff), offices=offices, has_feed=has_feed,
                           previous=previous, following=following, short_office=short_office)


def _fingerprint(upcoming: list[dict]) -> str:
    """A short digest of what the page shows of the upcoming trips, sent back by "Mark as seen"."""
    text = json.dumps(schedule_snapshot(upcoming), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _mark_seen(db, upcoming: list[dict]) -> None:
    schedule_seen.mark_seen(db, current_user.id, schedule_snapshot(upcoming))


@bp.post("/schedule/seen")
@staff_member_required
def mark_seen():
    """"Mark as seen": what changed is cleared only by this POST (CSRF-protected), and only when the schedule is
    still what the page showed; a change that came after the page was drawn stays listed."""
    db = get_db()
    week = request.form.get("week", "")
    upcoming = upcoming_trips(db, current_user.staff)
    if request.form.get("shown") == _fingerprint(upcoming):
        _mark_seen(db, upcoming)
    else:
        flash(_("Your schedule changed again after the page was shown: the changes below include the new ones."),
              "info")
    return redirect(url_for("schedule.index", week=week) if week else url_for("schedule.index"))


@bp.post("/schedule/trips/<trip_id>/decline")
@staff_member_required
def decline(trip_id: str):
    db = get_db()
    trip = plan_queries.trip_of_staff(db, trip_id, current_user.staff)
    version = parse_version(request.form.get("version"))
    week = request.form.get("week", "")
    if trip is None or (trip["state"] != "published" and version is None):
        abort(404)
    if trip["state"] != "published":  # withdrawn or re-planned since the page was shown
        return stale_page(StaleEdit("trip", trip_id),
                          url_for("schedule.index", week=week) if week else url_for("schedule.index"))
    reason = request.form.get("reason", "").strip()
    if not reason:
        flash(_("Say why you can't make the trip, so the lead can plan around it."), "error")
    else:
        try:
            actions.decline_trip(db, trip_id, current_user.staff, reason, version)
        except StaleEdit as exc:
            return stale_page(exc, url_for("schedule.index", week=week) if week else url_for("schedule.index"))
        flash(_("Sent. The team lead sees it as a conflict and will plan again."), "success")
    return redirect(url_for("schedule.index", week=week) if week else url_for("schedule.index"))


@bp.post("/schedule/calendar")
@staff_member_required
def new_feed():
    """Make a new feed link (the old one stops working) and show it once."""
    token = calendar_tokens.new_calendar_token(get_db(), current_user.id)
    url = url_for("schedule.feed", token=token, _external=True)
    return render_template("schedule/feed_created.html", url=url)


@bp.post("/schedule/calendar/revoke")
@staff_member_required
def revoke_feed():
    calendar_tokens.revoke_calendar_token(get_db(), current_user.id)
    flash(_("The calendar link no longer works."), "success")
    return redirect(url_for("schedule.index"))


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """The person's published trips and meetings as iCalendar: times, places and travel legs, no case codes."""
    db = get_db()
    user = calendar_tokens.user_by_calendar_token(db, token)
    if user is None or not user["staff"]:
        abort(404)
    _staff, offices, _grouped = team(db)
    cal = Calendar()
    cal.add("prodid", "-//planner//field visits//FI")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Field trips"))
    cal.add("x-wr-timezone", "Europe/Helsinki")
    stamp = datetime.now(HELSINKI)
    for t in upcoming_trips(db, user["staff"]):
        office = place(short_office(offices[t["office"]].name)) if t["office"] in offices else t["office"]
        places = ", ".join(dict.fromkeys(place(m["place_name"]) for m in t["meetings"]))
        trip = Event()
        trip.add("uid", f"trip-{t['id']}@planner")
        trip.add("dtstamp", stamp)
        trip.add("dtstart", datetime.fromisoformat(t["depart"]).replace(tzinfo=HELSINKI))
        trip.add("dtend", datetime.fromisoformat(t["return"]).replace(tzinfo=HELSINKI))
        trip.add("summary", _("Trip: %(office)s → %(places)s", office=office, places=places))
        legs = [f"{MODE_NAMES.get(leg['mode'], leg['mode'])}: {place(leg['from'])} → {place(leg['to'])} "
                f"({minutes(leg['minutes'])})" for leg in t["legs"]]
        nights = [_("Nights away: %(n)d", n=t["nights"])] if t["nights"] else []
        trip.add("description", "\n".join(legs + nights))
        trip.add("transp", "OPAQUE")
        cal.add_component(trip)
        for m in t["meetings"]:
            meeting = Event()
            meeting.add("uid", f"meeting-{m['id']}-{t['id']}@planner")
            meeting.add("dtstamp", stamp)
            meeting.add("dtstart", datetime.fromisoformat(m["start"]).replace(tzinfo=HELSINKI))
            meeting.add("dtend", datetime.fromisoformat(m["end"]).replace(tzinfo=HELSINKI))
            meeting.add("summary", _("Meeting in %(place)s", place=place(m["place_name"])))
            meeting.add("location", place(m["place_name"]))
            cal.add_component(meeting)
    cal.add_missing_timezones()  # VTIMEZONE for Europe/Helsinki, which Outlook needs
    return Response(cal.to_ical(), mimetype="text/calendar",
                    headers={"Content-Disposition": "inline; filename=planner.ics"})
