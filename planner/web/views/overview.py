"""The lead's overview: this and next week at a glance (open requests, drafts waiting, conflicts, unassigned)."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template

from ...core.local_time import helsinki_today
from ...planning.conflicts import conflicts
from ...store import plan_queries
from ..auth import roles_required
from ...context import get_db
from ...core.weeks import parse_week, week_of
from .audit import audit_view
from .common import team

bp = Blueprint("overview", __name__, url_prefix="/overview")


def week_summary(db, week: str) -> dict:
    monday, sunday = parse_week(week)
    trips = plan_queries.trips_of_week(db, week)
    meetings = plan_queries.meetings_of_week(db, week)
    waiting = plan_queries.unassigned_of_week(db, week)
    return {
        "week": week, "monday": monday, "sunday": sunday, "counts": week_counts(trips, waiting),
        # Open requests no plan run has looked at yet; unassigned ones carry the newest run's reason.
        "open": [u["visit"] for u in waiting if not u["reason"]],
        "unassigned": [u for u in waiting if u["reason"]],
        "drafts": [t for t in trips if t["state"] == "draft"],
        "published": [t for t in trips if t["state"] == "published"],
        "conflicts": conflicts(db, monday, sunday),
        "meetings": len(meetings),
    }


def week_counts(trips: list[dict], waiting: list[dict]) -> dict[str, int]:
    """The week's numbers as the planning board counts them, from the same reads (``plan_queries.trips_of_week``
    and ``unassigned_of_week``): trips, drafts, published trips, unassigned visits (open requests no plan has
    looked at yet included) and the people travelling."""
    return {"trips": len(trips), "drafts": sum(t["state"] == "draft" for t in trips),
            "published": sum(t["state"] == "published" for t in trips), "unassigned": len(waiting),
            "people": len({s for t in trips for s in t["staff"]})}


@bp.get("")
@roles_required("lead")
def index():
    db = get_db()
    today = helsinki_today()
    weeks = [week_summary(db, week_of(today)), week_summary(db, week_of(today + timedelta(7)))]
    for week in (week_of(today), week_of(today + timedelta(7))):  # it lists both weeks' visits and plans
        audit_view("plan", week, {"what": "overview"})
    staff, offices, _ = team(db)
    return render_template("overview/index.html", weeks=weeks, staff=staff, offices=offices)
