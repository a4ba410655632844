"""A small team over the four built-in offices and a visit factory, for proposer tests with the real gazetteer
and travel model."""
from __future__ import annotations

from datetime import date

from planner.core.records import StaffMember, Visit
from planner.core.offices import BUILTIN_OFFICES
from planner.core.places import get_gazetteer

OFFICES = {o.id: o for o in BUILTIN_OFFICES}
TEAM = [
    StaffMember("oulu", "Counsellor Oulu", "social_counsellor", "oulu", frozenset({"counselling"}), frozenset({"fi", "en"})),
    StaffMember("hel1", "Inspector Helsinki", "senior_inspector", "helsinki", frozenset({"identification"}),
                frozenset({"fi", "en", "ru"})),
    StaffMember("hel2", "Social worker Helsinki", "social_worker", "helsinki", frozenset({"social_work"}),
                frozenset({"fi", "sv"})),
    StaffMember("tre", "Inspector Tampere", "senior_inspector", "tampere", frozenset({"identification"}),
                frozenset({"fi", "en"})),
    StaffMember("lpr", "Nurse Lappeenranta", "public_health_nurse", "lappeenranta", frozenset({"health"}),
                frozenset({"fi"})),
    StaffMember("trainee", "Trainee", "trainee", "helsinki", active_from=date(2026, 6, 1), active_until=date(2026, 8, 31)),
]


def visit_at(place: str, earliest: str = "2026-12-08", latest: str = "2026-12-10", vid: str = "v", **kw) -> Visit:
    """A client visit at a gazetteer place, 90 minutes unless ``duration_min`` says otherwise."""
    p = get_gazetteer().resolve(place)
    return Visit(id=vid, kind="client", place_name=p.name, lat=p.lat, lon=p.lon, on_aland=p.on_aland,
                 region=p.region, earliest=date.fromisoformat(earliest), latest=date.fromisoformat(latest),
                 duration_min=kw.pop("duration_min", 90), **kw)
