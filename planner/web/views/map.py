"""A map of Finland drawn from shipped data: offices, the week's visits and the trips to them, Åland included."""
from __future__ import annotations

from flask import Blueprint, render_template

from ... import store

from ...store import plan_queries
from ..auth import roles_required
from ...core.geo import frame, outline_paths, project
from ...context import get_db
from .audit import audit_view
from .common import neighbour_weeks, short_office, week_arg

bp = Blueprint("map", __name__, url_prefix="/map")


@bp.get("")
@roles_required("lead")
def index():
    db = get_db()
    week, monday, sunday = week_arg()
    audit_view("plan", week, {"what": "map"})  # the week's visits and trips, drawn
    offices = store.load_offices(db)
    visits = store.load_visits(db, monday, sunday)
    trips = plan_queries.trips_of_week(db, week)
    planned = {m["visit"] for t in trips for m in t["meetings"]}
    office_points = [{"id": o.id, "name": short_office(o.name), "xy": project(o.lat, o.lon)} for o in offices.values()]
    visit_points = [{"visit": v, "xy": project(v.lat, v.lon), "planned": v.id in planned} for v in visits]
    lines = []
    for t in trips:
        if t["office"] not in offices:
            continue
        o = offices[t["office"]]
        for m in t["meetings"]:
            lines.append({"from": project(o.lat, o.lon), "to": project(m["lat"], m["lon"]), "state": t["state"],
                          "office": short_office(o.name), "place": m["place_name"], "staff": t["staff"]})
    width, height = frame()
    previous, following = neighbour_weeks(monday)
    return render_template("map/index.html", week=week, monday=monday, sunday=sunday, paths=outline_paths(),
                           width=width, height=height, offices=office_points, visits=visit_points, lines=lines,
                           previous=previous, following=following)
