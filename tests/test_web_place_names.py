"""Places by their name in the page's language (issue 13, point 9): on Swedish pages the visits list, the overview,
the map, My schedule, the team month and the visit form say 'Vasa', 'Åbo', 'Mariehamn' where the data says Vaasa,
Turku, Maarianhamina; travel legs name airports and harbours in the page's language ('Helsinki-Vantaan
lentoasema' in Finnish, not 'Helsinki-Vantaa airport')."""
from __future__ import annotations

import re

import pytest

from planner.core.settings import DEFAULT_SETTINGS
from planner.planning import actions
from planner.planning.week_run import plan_and_store
from web_support import MONDAY, WEEK, visit_form

SWEDISH = {"Vaasa": "Vasa", "Turku": "Åbo", "Maarianhamina": "Mariehamn", "Porvoo": "Borgå", "Tornio": "Torneå"}


def _text(page: str) -> str:
    """The page's visible text and titles (no URLs, ids or attribute values but title)."""
    body = page.split("<main", 1)[1]
    return re.sub(r"<[^>]+>", " ", body)


def _in_swedish(b) -> None:
    b.post("/language", {"lang": "sv", "next": "/account"})


@pytest.fixture
def planned(web_db):
    plan_and_store(web_db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="test")
    trips = list(web_db.query("select id from plan_trips where week = ? order by id", [WEEK]))
    assert actions.publish(web_db, WEEK, "test") > 0
    return trips


def test_swedish_pages_name_places_in_swedish(browser, web_db, planned):
    lead = browser("lead")
    _in_swedish(lead)
    planned_places = {r["place_name"] for r in web_db.query(
        "select v.place_name from plan_meetings m join visits v on v.id = m.visit where m.week = ?", [WEEK])}
    pages = {"map": lead.get(f"/map?week={WEEK}"), "overview": lead.get("/overview"),
             "visit": lead.get("/visits/demo-12"), "team": lead.get(f"/availability/team?month={MONDAY:%Y-%m}")}
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = _text(response.get_data(as_text=True))
        for finnish, swedish in SWEDISH.items():
            assert not re.search(rf"\b{finnish}\b", text), (name, finnish)
        if name == "map":
            assert all(re.search(rf"\b{s}\b", text) for s in SWEDISH.values()), name
            assert "Helsingfors" in text  # the office
        if name == "visit":
            assert "Vasa" in text
        if name == "team":
            for finnish, swedish in SWEDISH.items():
                if finnish in planned_places:
                    assert swedish in text, (name, swedish)
    board = _text(lead.get(f"/plan?week={WEEK}").get_data(as_text=True))
    assert "Helsingfors (Böle)" in board and "(Pasila)" not in board     # the office's district too


def test_swedish_overview_lists_open_requests_and_drafts_in_swedish(browser, web_db):
    lead = browser("lead")
    _in_swedish(lead)
    text = _text(lead.get("/overview").get_data(as_text=True))
    # the demo week is next week: its open requests are listed
    assert "Vasa" in text and "Åbo" in text and not re.search(r"\bVaasa\b|\bTurku\b", text)
    plan_and_store(web_db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="test")
    text = _text(lead.get("/overview").get_data(as_text=True))
    assert not re.search(r"\bVaasa\b|\bTurku\b|\bMaarianhamina\b", text)


def test_my_schedule_in_swedish(browser, web_db, planned):
    oulu = browser("oulu")
    _in_swedish(oulu)
    text = _text(oulu.get(f"/schedule?week={WEEK}").get_data(as_text=True))
    assert "Uleåborg" in text  # the office she leaves from
    assert not re.search(r"\bOulu\b", text)


@pytest.mark.parametrize("lang, airport, english", [("fi", "Helsinki-Vantaan lentoasema", "airport"),
                                                    ("sv", "Helsingfors-Vanda flygplats", "airport"),
                                                    ("en", "Helsinki-Vantaa airport", "lentoasema")])
def test_travel_legs_name_airports_in_the_page_language(browser, lang, airport, english):
    lead = browser("lead")
    lead.post("/language", {"lang": lang, "next": "/account"})
    page = lead.post("/visits/proposals", visit_form(place="Ivalo")).get_data(as_text=True)
    assert airport in page, re.findall(r"<li><span class=\"mode[^<]*</span>[^<]*", page)[:10]
    assert english not in page
