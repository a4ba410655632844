"""My schedule, what changed since the last look, "I can't make this trip", and the personal calendar feed; and
need to know: a staff member sees the case codes and meeting details of their own published trips only, in every
page, JSON answer and calendar feed they can reach."""
from __future__ import annotations

import re
from datetime import timedelta

from icalendar import Calendar

from planner.accounts import calendar_tokens
from planner.planning import actions
from planner.planning.conflicts import conflicts
from planner.store import plan_queries
from web_support import MONDAY, WEEK, file_and_assign, visit_form


def _published_trip_for_oulu(lead):
    file_and_assign(lead)
    lead.post("/plan/publish", {"week": WEEK})


def test_schedule_shows_only_own_published_trips_and_changes(browser):
    lead, oulu, tampere = browser("lead"), browser("oulu"), browser("tampere")
    first = oulu.get(f"/schedule?week={WEEK}").get_data(as_text=True)
    assert "Ei julkaistuja matkoja" in first and "Muuttunut" not in first
    _published_trip_for_oulu(lead)
    page = oulu.get(f"/schedule?week={WEEK}").get_data(as_text=True)
    assert "Rovaniemi" in page and "Muuttunut edellisen katselusi jälkeen" in page and "Uusi matka" in page
    oulu.post("/schedule/seen", {"shown": re.search(r'name="shown" value="([^"]+)"', page)[1], "week": WEEK})
    assert "Muuttunut edellisen" not in oulu.get(f"/schedule?week={WEEK}").get_data(as_text=True)  # seen now
    assert "Rovaniemi" not in tampere.get(f"/schedule?week={WEEK}").get_data(as_text=True)


def test_cant_make_it_becomes_a_conflict(browser, web_db):
    lead, oulu = browser("lead"), browser("oulu")
    _published_trip_for_oulu(lead)
    trip = re.search(r'/schedule/trips/([^/]+)/decline', oulu.get(f"/schedule?week={WEEK}").get_data(as_text=True))[1]
    empty = oulu.post(f"/schedule/trips/{trip}/decline", {"reason": " ", "week": WEEK})
    assert "Kerro, miksi" in oulu.get(empty.location).get_data(as_text=True)
    oulu.post(f"/schedule/trips/{trip}/decline", {"reason": "Car in service", "week": WEEK})
    found = conflicts(web_db, MONDAY, MONDAY + timedelta(6))
    assert [(c["kind"], c["staff"], c["detail"]) for c in found] == [("declined", "oulu-sc", "Car in service")]
    assert "Car in service" in lead.get(f"/plan?week={WEEK}").get_data(as_text=True)
    # someone else's trip cannot be declined
    assert browser("tampere").post(f"/schedule/trips/{trip}/decline", {"reason": "x"}).status_code == 404


def test_calendar_feed_has_times_and_places_but_no_case_codes(browser):
    lead, oulu = browser("lead"), browser("oulu")
    _published_trip_for_oulu(lead)
    page = oulu.post("/schedule/calendar").get_data(as_text=True)
    url = re.search(r'value="(http[^"]+\.ics)"', page)[1]
    path = url.split("localhost", 1)[1]
    anonymous = browser()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert "IK-" not in body and "client" not in body.lower()
    cal = Calendar.from_ical(response.data)
    events = [c for c in cal.walk("VEVENT")]
    assert any("Rovaniemi" in str(e["summary"]) for e in events)
    assert cal.walk("VTIMEZONE")  # Outlook needs the time zone
    assert events[0]["dtstart"].dt.tzinfo is not None
    # a new link revokes the old one; turning it off revokes both
    newer = re.search(r'value="(http[^"]+\.ics)"', oulu.post("/schedule/calendar").get_data(as_text=True))[1]
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(newer.split("localhost", 1)[1]).status_code == 200
    oulu.post("/schedule/calendar/revoke")
    assert anonymous.get(newer.split("localhost", 1)[1]).status_code == 404


def test_tokens_are_stored_hashed(browser, web_db):
    oulu = browser("oulu")
    url = re.search(r'value="(http[^"]+\.ics)"', oulu.post("/schedule/calendar").get_data(as_text=True))[1]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    stored = next(web_db.query("select calendar_token from users where email = 'oulu@test.invalid'"))["calendar_token"]
    assert stored and token not in stored and stored == calendar_tokens.token_hash(token)


def test_opening_my_schedule_does_not_clear_what_changed_only_mark_as_seen_does(browser, web_db):
    """A GET (a link from another site, a prefetch) changes nothing; "Mark as seen" is a POST with the CSRF token,
    and marks only what the page showed: a change that came after the page was drawn stays listed."""
    lead, oulu = browser("lead"), browser("oulu")
    oulu.get(f"/schedule?week={WEEK}")  # the first look: the starting point
    _published_trip_for_oulu(lead)
    for _ in range(2):
        page = oulu.get(f"/schedule?week={WEEK}").get_data(as_text=True)
        assert "Muuttunut edellisen katselusi jälkeen" in page and "Uusi matka" in page
    assert oulu.client.post("/schedule/seen", data={"week": WEEK}).status_code == 400  # no CSRF token
    shown = re.search(r'name="shown" value="([^"]+)"', page)[1]
    assert "Muuttunut edellisen" in oulu.get(f"/schedule?week={WEEK}").get_data(as_text=True)
    file_and_assign(lead, place="Kemi", case_code="", preferred_staff="oulu-sc")  # after the page was drawn
    lead.post("/plan/publish", {"week": WEEK})
    stale = oulu.post("/schedule/seen", {"shown": shown, "week": WEEK})
    assert stale.status_code == 302
    after = oulu.get(stale.location).get_data(as_text=True)
    assert "Muuttunut edellisen katselusi jälkeen" in after and "Aikataulusi muuttui" in after
    done = oulu.post("/schedule/seen", {"shown": re.search(r'name="shown" value="([^"]+)"', after)[1],
                                        "week": WEEK})
    assert done.status_code == 302 and done.location == f"/schedule?week={WEEK}"
    assert "Muuttunut edellisen" not in oulu.get(done.location).get_data(as_text=True)


# Need to know ----------------------------------------------------------------------------------------------------

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


def test_a_declined_trip_is_not_proposed_again_and_the_proposals_say_why(web_app, browser, web_db):
    """Declines count (issue 13): after Oulu's counsellor says they can't make the Monday trip to Rovaniemi and the
    lead plans again (the trip is withdrawn), the proposals for that visit and day leave them out, under "not
    proposed, and why", in the lead's language."""
    import json
    from planner.core.settings import DEFAULT_SETTINGS
    from planner.planning.week_run import plan_and_store
    lead, oulu = browser("lead"), browser("oulu")
    visit_id, _key = file_and_assign(lead, earliest=MONDAY.isoformat(), latest=MONDAY.isoformat())
    lead.post("/plan/publish", {"week": WEEK})
    page = oulu.get(f"/schedule?week={WEEK}").get_data(as_text=True)
    assert "Rovaniemi" in page   # the nearest person got it
    trip = re.search(r'/schedule/trips/([^/]+)/decline', page)[1]
    oulu.post(f"/schedule/trips/{trip}/decline", {"reason": "Car in service", "week": WEEK})
    plan_and_store(web_db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="test",
                   replan_conflicts=True)
    after = json.loads(web_app.test_cli_runner().invoke(args=["propose", visit_id, "--json"]).stdout)
    assert not any("oulu-sc" in o["staff"] for o in after["options"]), after["options"]
    excluded = {e["staff"]: e["reason"] for e in after["excluded"]}
    assert "said they can't make this visit on" in excluded["oulu-sc"], excluded
    form = visit_form(visit_id=visit_id, earliest=MONDAY.isoformat(), latest=MONDAY.isoformat())
    fragment = lead.post("/visits/proposals", form).get_data(as_text=True)
    assert "ilmoitti, ettei pääse tälle käynnille" in fragment, fragment


def test_my_schedule_opens_on_the_coming_days_with_the_next_trip_first(browser):
    """Staff start where their work is (issue 13): without a week, My schedule shows the coming 14 days, so a trip
    published for next week is there on Thursday; the arrows lead to this week and the next."""
    lead, oulu = browser("lead"), browser("oulu")
    _published_trip_for_oulu(lead)   # the demo week: next Monday to Friday, within 14 days of today
    page = oulu.get("/schedule").get_data(as_text=True)
    assert "Tulevat 14 päivää" in page and "Rovaniemi" in page, page[:3000]
    assert f'href="/schedule?week={WEEK}"' in page   # next week, one click
    assert "Ei julkaistuja matkoja" not in page
    assert "Ei julkaistuja matkoja tulevina päivinä" in browser("tampere").get("/schedule").get_data(as_text=True)
