"""The map (issue 13, point 8) in Chromium: one line per trip of the week, its chain of places (office → place →
place → office), published trips solid and drafts dashed, each drawn like its key in the legend."""
from __future__ import annotations

import shutil

from playwright.sync_api import expect

from planner.core.settings import DEFAULT_SETTINGS
from planner.planning import actions
from planner.planning.week_run import plan_and_store
from planner.store import plan_queries
from planner.store.db import open_db
from test_browser import sign_in
from web_support import WEEK, browser_pages, serve

STYLE_JS = "el => { const s = getComputedStyle(el); return [s.stroke, s.strokeDasharray, s.fill]; }"


def test_the_map_draws_one_line_per_trip_in_the_legend_styles(chromium, demo_db_file, tmp_path, shot):
    database = tmp_path / "planner.sqlite"
    shutil.copy(demo_db_file, database)
    db = open_db(database)
    plan_and_store(db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="test")
    trips = plan_queries.trips_of_week(db, WEEK)
    half = [t["id"] for t in trips[: len(trips) // 2]]
    assert len(trips) >= 2 and actions.publish(db, WEEK, "test", trip_ids=half) == len(half)
    trips = {t["id"]: t for t in plan_queries.trips_of_week(db, WEEK)}
    db.close()
    with serve(database, tmp_path / "instance") as url, browser_pages(chromium, url) as make:
        lead = make()
        sign_in(lead, "lead")
        lead.goto(f"/map?week={WEEK}")
        lines = lead.locator("figure.map svg polyline.route")
        expect(lines).to_have_count(len(trips))
        drawn = {lines.nth(i).get_attribute("data-trip"): lines.nth(i) for i in range(lines.count())}
        assert set(drawn) == set(trips)
        published_key = lead.locator("figcaption svg.key-line .route.published").evaluate(STYLE_JS)
        draft_key = lead.locator("figcaption svg.key-line .route.draft").evaluate(STYLE_JS)
        assert published_key[1] == "none" and draft_key[1] != "none" and published_key[0] != draft_key[0]
        for trip_id, line in drawn.items():
            trip = trips[trip_id]
            places = [m["place_name"] for m in sorted(trip["meetings"], key=lambda m: m["start"])]
            chain = [p for i, p in enumerate(places) if i == 0 or places[i - 1] != p]
            points = line.get_attribute("points").split()
            assert len(points) == len(chain) + 2 and points[0] == points[-1]  # from the office and back
            assert line.get_attribute("class").split() == ["route", trip["state"]]
            style = line.evaluate(STYLE_JS)
            assert style == (published_key if trip["state"] == "published" else draft_key), (trip_id, style)
        # the list beside the map: one entry per trip, its chain in words, its state as a tag
        items = lead.locator("ul.map-trips li")
        expect(items).to_have_count(len(trips))
        expect(lead.locator("ul.map-trips li.draft .tag")).to_have_count(len(trips) - len(half))
        expect(lead.locator("ul.map-trips li.published .tag")).to_have_count(len(half))
        expect(items.first).to_contain_text("→")
        shot(lead, "map-trips")
        assert lead.errors == []
