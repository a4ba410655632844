"""The period's figures (issue 17, first round): `planner report` over the demo week planned and published; its
totals are the sums over the stored trips and legs, the CSV says what the JSON says, emissions follow the factors."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest

from planner.planning import actions
from planner.store import plan_queries

from test_concurrent_edits import plan_now
from web_support import MONDAY, WEEK

FROM, TO = MONDAY.isoformat(), (MONDAY + timedelta(27)).isoformat()     # four weeks from the demo week


@pytest.fixture
def published(web_db):
    plan_now(web_db)
    actions.publish(web_db, WEEK, "lead")
    return [t for t in plan_queries.trips_of_week(web_db, WEEK) if t["state"] == "published"]


def factors(app, **settings) -> None:
    """The instance's own emission factors (its PLANNER_SETTINGS), seen from the next command on."""
    app.config["PLANNER_SETTINGS"] = {**app.config["PLANNER_SETTINGS"], **settings}
    app.extensions.pop("planner_settings_cache", None)


def run(app, *args) -> str:
    result = app.test_cli_runner().invoke(args=["report", "--from", FROM, "--to", TO, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_totals_are_the_sums_over_the_stored_trips_and_legs(web_app, published):
    figures = json.loads(run(web_app))
    totals = figures["totals"]
    assert totals["trips"] == len(published) > 0
    seats = sum(len(t["staff"]) for t in published)
    assert totals["hotel_nights"] == sum(t["nights"] * len(t["staff"]) for t in published)
    for mode in ("car", "train", "flight"):
        km = sum(leg["km"] * len(t["staff"]) for t in published for leg in t["legs"] if leg["mode"] == mode)
        assert totals.get(f"km_{mode}", 0) == pytest.approx(km, abs=0.05 * seats), mode
    days = sum(((datetime.fromisoformat(t["return"]).date() - datetime.fromisoformat(t["depart"]).date()).days + 1)
               * len(t["staff"]) for t in published)
    assert totals["days_away"] == days
    assert sum(p["days_away"] for p in figures["people"].values()) == days
    assert len(figures["trips"]) == len(published)
    assert sum(t["kg_co2e"] for t in figures["trips"]) == pytest.approx(totals["kg_co2e"], abs=0.05)
    visits = figures["visits"]
    reached = {m["visit"] for t in published for m in t["meetings"]}
    assert visits["done"] == len(reached) and visits["requested"] >= visits["done"] + visits["unassigned"]
    assert sum(r["requested"] for r in visits["by_group"]) == visits["requested"]


def test_the_csv_says_what_the_json_says(web_app, published):
    figures = json.loads(run(web_app))
    rows = list(csv.reader(io.StringIO(run(web_app, "--format", "csv"))))
    assert rows[0] == ["section", "group", "measure", "value"]
    by_key = {(s, g, m): v for s, g, m, v in rows[1:]}
    assert float(by_key[("totals", "all", "kg_co2e")]) == figures["totals"]["kg_co2e"]
    for office, values in figures["offices"].items():
        for measure, value in values.items():
            assert float(by_key[("offices", office, measure)]) == pytest.approx(value)
    assert int(by_key[("visits", "all", "done")]) == figures["visits"]["done"]


def test_emissions_follow_the_documented_factors(web_app, published):
    factors(web_app, co2_car_kg_per_km=0.0, co2_train_kg_per_km=0.0, co2_ferry_kg_per_km=0.0,
            co2_flight_kg_per_km=1.0, co2_source="a test: one kilogram per flown passenger-km")
    figures = json.loads(run(web_app))
    flown = sum(leg["km"] * len(t["staff"]) for t in published for leg in t["legs"] if leg["mode"] == "flight")
    assert figures["totals"]["kg_co2e"] == pytest.approx(flown, abs=0.05)
    assert figures["emission_source"] == "a test: one kilogram per flown passenger-km"
    factors(web_app, co2_car_kg_per_km=2.0, co2_flight_kg_per_km=0.0)
    driven = sum(leg["km"] for t in published for leg in t["legs"] if leg["mode"] in ("car", "taxi"))  # shared: once
    assert json.loads(run(web_app))["totals"]["kg_co2e"] == pytest.approx(2 * driven, abs=0.05)


@pytest.mark.parametrize("args, words", [
    (["--from", "2027-02-01", "--to", "2027-01-01"], "--to is before --from"),
    (["--from", "1.1.2027", "--to", "2027-01-31"], "give days as YYYY-MM-DD"),
])
def test_a_bad_period_is_one_clear_error(web_app, web_db, args, words):
    result = web_app.test_cli_runner().invoke(args=["report", *args])
    assert result.exit_code != 0 and words in result.output


def test_the_factors_are_settings_an_admin_sees(browser, web_db):
    page = browser("admin").get("/admin/settings").get_data(as_text=True)
    for key in ("co2_car_kg_per_km", "co2_flight_kg_per_km", "co2_source", "emissions_eur_per_kg"):
        assert f'name="{key}"' in page


def test_the_plans_quality_per_week(web_app, published):
    plans = json.loads(run(web_app))["plans"]
    week = next(w for w in plans["weeks"] if w["week"] == WEEK)
    assert week["covered"] + week["left_out"] > 0 and 0 <= week["coverage"] <= 1
    assert plans["meetings"] > 0 and plans["kept_as_planned"] == 1.0     # nothing was moved by hand


def test_a_generated_year_adds_up(web_app, web_db):
    """A year of weeks like the demo's (its visits moved one week on each time, planned and published week by
    week): the year's report says what the stored trips say, visit by visit and leg by leg."""
    from dataclasses import replace as moved
    from planner import store
    from planner.core.settings import DEFAULT_SETTINGS
    from planner.core.weeks import week_of
    from planner.planning.week_run import plan_and_store
    demo = store.load_visits(web_db, MONDAY, MONDAY + timedelta(6))
    weeks = 52
    for n in range(1, weeks):
        for v in demo:
            store.upsert_visit(web_db, moved(v, id=f"{v.id}-w{n}", earliest=v.earliest + timedelta(7 * n),
                                             latest=v.latest + timedelta(7 * n), status="open"))
    for n in range(weeks):
        week = week_of(MONDAY + timedelta(7 * n))
        plan_and_store(web_db, week, DEFAULT_SETTINGS, solver="greedy", time_limit=5, actor="test")
        actions.publish(web_db, week, "lead")
    last = MONDAY + timedelta(7 * weeks - 1)
    result = web_app.test_cli_runner().invoke(args=["report", "--from", MONDAY.isoformat(), "--to", last.isoformat()])
    figures = json.loads(result.output)
    trips = [t for t in plan_queries.trips_between(web_db, MONDAY, last, published_only=True)
             if MONDAY <= datetime.fromisoformat(t["depart"]).date() <= last]
    assert figures["totals"]["trips"] == len(trips) > weeks
    assert figures["visits"]["requested"] == len(demo) * weeks
    assert figures["visits"]["done"] == len({m["visit"] for t in trips for m in t["meetings"]})
    assert figures["totals"]["hotel_nights"] == sum(t["nights"] * len(t["staff"]) for t in trips)
    seats_flown = sum(leg["km"] * len(t["staff"]) for t in trips for leg in t["legs"] if leg["mode"] == "flight")
    assert figures["totals"].get("km_flight", 0) == pytest.approx(seats_flown, rel=1e-4)
    assert len(figures["plans"]["weeks"]) == weeks
