"""What-if (issue 17, point 3): the demo week planned again with a change beside the plan as it was; no change
gives the stored figures, an office where visits cluster saves travel, and nothing stored changes."""
from __future__ import annotations

import json

import pytest

from planner.core.emissions import EmissionFactors
from planner.core.settings import DEFAULT_SETTINGS
from planner.planning import actions
from planner.planning.week_run import plan_and_store
from planner.planning.what_if import Change, what_if

from web_support import MONDAY, WEEK



@pytest.fixture
def published(web_db):
    plan_and_store(web_db, WEEK, DEFAULT_SETTINGS, solver="cp-sat", time_limit=20, actor="test")
    actions.publish(web_db, WEEK, "lead")


def _week(db, change: Change) -> dict:
    """The demo week planned again with ``change``, with the what-if's default time limit, as a director runs it
    (at 10 s the chains the pricing adds may not be made in time, and the week's plan is then the best of the
    candidates only)."""
    from datetime import timedelta
    return what_if(db, DEFAULT_SETTINGS, EmissionFactors(), MONDAY, MONDAY + timedelta(6), change)


def _stored(db) -> list:
    return [list(db.query(f"select * from {table} order by 1")) for table in ("plan_runs", "trips", "meetings")]


def test_no_change_gives_the_stored_figures_and_stores_nothing(web_db, published):
    before = _stored(web_db)
    result = _week(web_db, Change())
    week = result["weeks"][0]
    assert week["week"] == WEEK and week["as_was"]["covered"] == week["visits"] > 0
    assert week["what_if"]["covered"] == week["as_was"]["covered"]
    assert week["what_if"]["cost_eur"] == pytest.approx(week["as_was"]["cost_eur"], rel=0.01)
    assert week["what_if"]["kg_co2e"] == pytest.approx(week["as_was"]["kg_co2e"], rel=0.02)
    assert _stored(web_db) == before


def test_a_short_what_if_without_change_starts_from_the_week_as_it_was(web_db, published):
    """At 5 s the week planned from nothing need not reach the published plan; started from its trips it does."""
    from datetime import timedelta
    result = what_if(web_db, DEFAULT_SETTINGS, EmissionFactors(), MONDAY, MONDAY + timedelta(6), Change(),
                     time_limit=5)
    week = result["weeks"][0]
    assert week["what_if"]["covered"] == week["as_was"]["covered"] == week["visits"]
    assert week["what_if"]["travel_hours"] <= week["as_was"]["travel_hours"] * 1.01
    assert week["what_if"]["cost_eur"] <= week["as_was"]["cost_eur"] * 1.01


def test_an_office_where_visits_cluster_saves_travel(web_db, published):
    """Three of the demo week's visits are in Lapland (Kemi, Tornio, Rovaniemi, Ivalo ...): a counsellor in
    Rovaniemi reaches them with less travel than from Oulu or the south."""
    result = _week(web_db, Change(add_offices=("Rovaniemi",), add_people=(("Rovaniemi", "social_counsellor"),)))
    total = result["total"]
    assert total["what_if"]["covered"] >= total["as_was"]["covered"]
    assert total["difference"]["cost_eur"] < 0 and total["difference"]["travel_hours"] <= 0


@pytest.mark.parametrize("args, words", [
    (["--add-person", "oulu:wizard"], "give OFFICE:ROLE"),
    (["--add-person", "nowhere:social_counsellor"], "no office 'nowhere'"),
    (["--add-office", "Atlantis"], "--add-office 'Atlantis'"),
    (["--link", "Narnia"], "no link with an opening date names it"),
    (["--close-office", "atlantis"], "--close-office 'atlantis': no such office"),
    (["--move-person", "ghost:oulu"], "no staff member 'ghost'"),
    (["--move-person", "oulu-sc"], "give STAFF:OFFICE"),
])
def test_a_change_that_cannot_be_made_is_one_clear_error(web_app, web_db, args, words):
    result = web_app.test_cli_runner().invoke(args=["what-if", "--from", MONDAY.isoformat(), "--to",
                                                    MONDAY.isoformat(), *args])
    assert result.exit_code != 0 and words in result.output and "Traceback" not in result.output


def test_the_command_prints_the_weeks_and_the_difference(web_app, web_db, published):
    result = web_app.test_cli_runner().invoke(args=["what-if", "--from", MONDAY.isoformat(), "--to",
                                                    MONDAY.isoformat(), "--link", "Hailuoto", "--time-limit", "5",
                                                    "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["change"]["links"] == ["Hailuoto"] and [w["week"] for w in data["weeks"]] == [WEEK]
    assert set(data["total"]) == {"as_was", "what_if", "difference"}


def test_closing_an_office_moves_its_people_to_the_nearest_and_costs_money(web_db, published):
    """Without the Tampere office its people work from the nearest office left (Helsinki): the demo week still
    covers every visit and costs more money (not always more hours: the plan weighs hours, nights and days away
    together, and on this week it drives 3.5 h less at €122 more), and nothing stored changes."""
    from planner.planning.what_if import changed_team
    before = _stored(web_db)
    offices, staff = changed_team(web_db, Change(close_offices=("tampere",)), DEFAULT_SETTINGS)
    assert "tampere" not in offices and {p.office for p in staff if p.id.startswith("tre-")} == {"helsinki"}
    result = _week(web_db, Change(close_offices=("tampere",)))
    assert result["change"]["close_offices"] == ["tampere"]
    week = result["weeks"][0]
    assert week["what_if"]["covered"] == week["as_was"]["covered"] == week["visits"]
    assert result["total"]["difference"]["cost_eur"] > 0
    assert _stored(web_db) == before


def test_a_road_link_open_already_shortens_the_trips_to_it_on_every_day_of_the_week(web_db, published):
    """Hailuoto's fixed link opens on 1 January 2027; in December the island is reached by ferry. "As if open"
    runs every day of the week as the same weekday will once it is open (before, only the Monday did, and the
    week's trip to Hailuoto, on another day, was planned by ferry: no difference)."""
    from planner.store import plan_queries
    to_island = [t for t in plan_queries.trips_of_week(web_db, WEEK) if any(m["place_name"] == "Hailuoto"
                                                                           for m in t["meetings"])]
    assert to_island and to_island[0]["depart"][:10] != MONDAY.isoformat(), "the demo week's Hailuoto trip"
    assert any(leg["mode"] == "ferry" for leg in to_island[0]["legs"])
    week = _week(web_db, Change(links=("Hailuoto",)))["weeks"][0]
    assert week["what_if"]["covered"] >= week["as_was"]["covered"]
    assert week["what_if"]["travel_hours"] < week["as_was"]["travel_hours"]


def test_a_model_later_runs_each_day_as_that_weekday_will():
    from datetime import date, timedelta
    from planner.core.places import get_gazetteer
    from planner.core.road_network import NetworkTravelModel
    g = get_gazetteer()
    oulu, island = g.resolve("Oulu"), g.resolve("Hailuoto")
    wednesday = date(2026, 12, 9)
    now, later = NetworkTravelModel(day=MONDAY), NetworkTravelModel(day=MONDAY, later=timedelta(weeks=4))
    assert "ferry" in {leg.mode for leg in now.on(wednesday).journey(oulu, island).legs}
    assert "ferry" not in {leg.mode for leg in later.on(wednesday).journey(oulu, island).legs}
    assert later.on(wednesday).journey(oulu, island).minutes < now.on(wednesday).journey(oulu, island).minutes
