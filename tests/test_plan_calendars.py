"""The weekly plan travels as the network runs on each day: a week in which a seasonal ferry stops plans its island
visit only on the days it still runs, and says why not after (issue 15, point 1)."""
from __future__ import annotations

from datetime import date

from planner.core.availability import Availability
from planner.core.messages import english
from planner.core.places import get_gazetteer
from planner.core.records import Visit
from planner.core.settings import Settings
from planner.core.travel import NetworkTravelModel
from planner.optimize.instance import build_instance
from planner.optimize.run import plan_week
from planner.optimize.validate import check_plan

from team_support import OFFICES, TEAM

MONDAY = date(2027, 9, 13)   # the Vallisaari waterbus runs until Wednesday 15 Sep


def vallisaari(vid: str, earliest: date, latest: date) -> Visit:
    p = get_gazetteer().resolve("Vallisaari")
    return Visit(vid, "client", p.name, p.lat, p.lon, earliest, latest, 60, region=p.region)


def test_a_week_the_seasonal_ferry_stops_plans_the_island_only_while_it_runs():
    visits = [vallisaari("in-season", MONDAY, date(2027, 9, 17)),
              vallisaari("after", date(2027, 9, 16), date(2027, 9, 17))]
    team = [p for p in TEAM if p.id in ("hel1", "hel2")]
    inst = build_instance("2027-W37", MONDAY, visits, team, OFFICES, Availability(team), Settings(),
                          NetworkTravelModel(day=MONDAY))
    inst.precompute_travel()
    plan = plan_week(inst, "cp-sat", time_limit=5)
    assert check_plan(plan, inst) == []
    placed = {a["visit"]: a["date"] for a in plan["assignments"]}
    assert placed["in-season"] <= "2027-09-15" and "after" not in placed
    assert "Vallisaari" in english(next(u["reason"] for u in plan["unassigned"] if u["visit"] == "after"))
    ferries = [leg for trip in plan["trips"] for leg in trip["legs"] if leg["mode"] == "ferry"]
    assert ferries and all("Vallisaari" in leg["from"] + leg["to"] for leg in ferries)
