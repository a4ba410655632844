"""The overview's numbers agree with the planning board (issue 13, point 8): for a week, its trips, drafts,
published trips, unassigned visits and people travelling are what ``plan_queries.trips_of_week`` and
``unassigned_of_week`` (the board's reads) give."""
from __future__ import annotations

import re

from planner.core.settings import DEFAULT_SETTINGS
from planner.planning import actions
from planner.planning.week_run import plan_and_store
from planner.store import plan_queries
from web_support import WEEK, visit_form


def overview_counts(page: str, week: str) -> dict[str, int]:
    section = page.split(f'data-week="{week}"', 1)[1].split("</section>", 1)[0]
    return {name: int(n) for name, n in re.findall(r'data-count="(\w+)"[^>]*>(\d+)', section)}


def board_counts(db, week: str) -> dict[str, int]:
    trips = plan_queries.trips_of_week(db, week)
    return {"trips": len(trips), "drafts": len([t for t in trips if t["state"] == "draft"]),
            "published": len([t for t in trips if t["state"] == "published"]),
            "unassigned": len(plan_queries.unassigned_of_week(db, week)),
            "people": len({s for t in trips for s in t["staff"]})}


def _check(lead, db) -> dict[str, int]:
    shown = overview_counts(lead.get("/overview").get_data(as_text=True), WEEK)
    expected = board_counts(db, WEEK)
    assert {k: shown[k] for k in expected} == expected
    assert shown["trips"] == shown["drafts"] + shown["published"]
    return shown


def test_the_overview_counts_what_the_board_counts(browser, web_db):
    lead = browser("lead")
    before = _check(lead, web_db)
    assert before["trips"] == 0 and before["unassigned"] == web_db["visits"].count_where("status = 'open'")

    plan_and_store(web_db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="test")
    drafts = [t["id"] for t in plan_queries.trips_of_week(web_db, WEEK)]
    assert len(drafts) >= 2
    assert actions.publish(web_db, WEEK, "test", trip_ids=drafts[: len(drafts) // 2]) == len(drafts) // 2
    shown = _check(lead, web_db)
    assert shown["published"] == len(drafts) // 2 and shown["drafts"] == len(drafts) - len(drafts) // 2
    assert shown["people"] > 0

    # a new request no plan has looked at yet counts among the unassigned, as on the board
    page = lead.get("/visits/new").get_data(as_text=True)
    visit_id = re.search(r'name="visit_id" value="([^"]+)"', page).group(1)
    assert lead.post("/visits/new", visit_form(visit_id=visit_id, action="save")).status_code == 302
    after = _check(lead, web_db)
    assert after["unassigned"] == shown["unassigned"] + 1
