"""Need to know: a staff member sees the case codes and meeting details of their own published trips only, in every
page, JSON answer and calendar feed they can reach."""
from __future__ import annotations

import re

from planner.planning import actions
from planner.store import plan_queries
from web_support import MONDAY, WEEK

def _plan_and_publish_the_demo_week(web_app, web_db) -> None:
    result = web_app.test_cli_runner().invoke(args=["plan-week", "--week", WEEK, "--solver", "greedy"])
    assert result.exit_code == 0, result.output
    assert actions.publish(web_db, WEEK, "test") > 0


def _meetings_by_staff(web_db) -> dict[str, set[str]]:
    """staff id -> case codes of the published meetings they travel to."""
    seen: dict[str, set[str]] = {}
    for t in plan_queries.trips_of_week(web_db, WEEK):
        for m in t["meetings"]:
            for staff in t["staff"]:
                if m["case_code"]:
                    seen.setdefault(staff, set()).add(m["case_code"])
    return seen


def _pages_a_staff_member_can_open(web_app, b) -> list[tuple[str, str]]:
    """Every GET route without URL arguments that answers this user with 200, plus the week views."""
    pages = []
    for rule in web_app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static":
            continue
        for query in ("", f"?week={WEEK}", f"?month={MONDAY:%Y-%m}"):
            response = b.get(rule.rule + query)
            if response.status_code == 200:
                pages.append((rule.rule + query, response.get_data(as_text=True)))
    return pages


def test_staff_see_only_their_own_case_codes(web_app, web_db, browser):
    _plan_and_publish_the_demo_week(web_app, web_db)
    by_staff = _meetings_by_staff(web_db)
    all_codes = {v["case_code"] for v in web_db["visits"].rows if v["case_code"]}
    own = by_staff.get("oulu-sc", set())
    assert own and all_codes - own, "the demo week should send oulu-sc to some visits and others elsewhere"
    oulu = browser("oulu")
    pages = _pages_a_staff_member_can_open(web_app, oulu)
    assert any(url.startswith("/schedule") for url, _ in pages)
    schedule = next(body for url, body in pages if url == f"/schedule?week={WEEK}")
    assert all(code in schedule for code in own)  # their own meetings: they need the code at the door
    for url, body in pages:
        leaked = sorted(code for code in all_codes - own if code in body)
        assert not leaked, f"{url} shows other people's case codes {leaked}"


def test_staff_get_no_plan_data_from_lead_pages_or_json(web_app, web_db, browser):
    _plan_and_publish_the_demo_week(web_app, web_db)
    oulu = browser("oulu")
    visit_id = next(web_db.query("select id from visits order by id"))["id"]
    meeting_id = next(web_db.query("select id from meetings order by id"))["id"]
    for url in (f"/plan?week={WEEK}", f"/visits/{visit_id}", "/visits/places?q=Oulu", "/overview",
                f"/map?week={WEEK}", "/plan/jobs/1"):
        response = oulu.get(url)
        assert response.status_code == 403, url
        assert "IK-" not in response.get_data(as_text=True)
    for url, data in ((f"/plan/meetings/{meeting_id}/move", {"day": MONDAY.isoformat()}),
                      (f"/plan/meetings/{meeting_id}/pin", {}), ("/visits/proposals", {"place": "Oulu"})):
        assert oulu.post(url, data).status_code == 403, url


def test_the_calendar_feed_never_carries_case_codes(web_app, web_db, browser):
    _plan_and_publish_the_demo_week(web_app, web_db)
    own = _meetings_by_staff(web_db)["oulu-sc"]
    oulu = browser("oulu")
    url = re.search(r'value="(http[^"]+\.ics)"', oulu.post("/schedule/calendar").get_data(as_text=True))[1]
    feed = browser().get(url.split("localhost", 1)[1])
    assert feed.status_code == 200 and "VEVENT" in feed.get_data(as_text=True)
    body = feed.get_data(as_text=True)
    assert not [code for code in own if code in body]
    assert not re.search(r"IK-\d", body)
