"""My schedule, what changed since the last look, "I can't make this trip", and the personal calendar feed."""
from __future__ import annotations

import re
from datetime import timedelta

from icalendar import Calendar

from planner import services
from web_support import MONDAY, WEEK, browser, demo_db_file, file_and_assign, web_app, web_db  # noqa: F401


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
    assert "Muuttunut edellisen" not in oulu.get(f"/schedule?week={WEEK}").get_data(as_text=True)  # seen now
    assert "Rovaniemi" not in tampere.get(f"/schedule?week={WEEK}").get_data(as_text=True)


def test_cant_make_it_becomes_a_conflict(browser, web_db):
    lead, oulu = browser("lead"), browser("oulu")
    _published_trip_for_oulu(lead)
    trip = re.search(r'/schedule/trips/([^/]+)/decline', oulu.get(f"/schedule?week={WEEK}").get_data(as_text=True))[1]
    empty = oulu.post(f"/schedule/trips/{trip}/decline", {"reason": " ", "week": WEEK})
    assert "Kerro, miksi" in oulu.get(empty.location).get_data(as_text=True)
    oulu.post(f"/schedule/trips/{trip}/decline", {"reason": "Car in service", "week": WEEK})
    found = services.conflicts(web_db, MONDAY, MONDAY + timedelta(6))
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
    assert stored and token not in stored and stored == services.token_hash(token)
