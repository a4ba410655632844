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


def trip_line(trip: dict, offices: dict, staff: dict) -> dict | None:
    """One trip as one line: its chain of places, office → place → place → office (meetings in time order, a
    place met twice in a row once), with its state (draft or published) and the people on it. None for a trip
    that reaches no place."""
    office = offices.get(trip["office"])
    stops = []
    for m in sorted(trip["meetings"], key=lambda m: m["start"]):
        if not stops or stops[-1]["name"] != m["place_name"]:
            stops.append({"name": m["place_name"], "xy": project(m["lat"], m["lon"])})
    if not stops:
        return None
    if office is not None:
        home = {"name": short_office(office.name), "xy": project(office.lat, office.lon)}
        stops = [home, *stops, home]
    return {"trip": trip["id"], "state": trip["state"], "depart": trip["depart"],
            "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in (stop["xy"] for stop in stops)),
            "places": [stop["name"] for stop in stops],
            "people": [staff[s].name if s in staff else s for s in trip["staff"]]}


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
    staff = store.load_staff(db)
    lines = [line for line in (trip_line(t, offices, staff) for t in trips) if line is not None]
    width, height = frame()
    previous, following = neighbour_weeks(monday)
    return render_template("map/index.html", week=week, monday=monday, sunday=sunday, paths=outline_paths(),
                           width=width, height=height, offices=office_points, visits=visit_points, lines=lines,
                           previous=previous, following=following)
