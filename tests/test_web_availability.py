"""Absences by staff, the team's month grid with holidays for leads."""
from __future__ import annotations

from datetime import timedelta

from web_support import MONDAY, browser, demo_db_file, web_app, web_db  # noqa: F401


def test_staff_add_and_remove_their_own_absences(browser, web_db):
    oulu = browser("oulu")
    response = oulu.post("/availability", {"start": MONDAY.isoformat(), "end": MONDAY.isoformat(), "kind": "vacation"})
    assert response.status_code == 302
    rows = list(web_db.query("select * from absences where staff = 'oulu-sc'"))
    assert len(rows) == 1
    assert "Loma" in oulu.get("/availability").get_data(as_text=True)
    # another person's absence cannot be removed
    other = next(web_db.query("select id from absences where staff != 'oulu-sc'"))["id"]
    assert oulu.post(f"/availability/{other}/delete").status_code == 404
    assert oulu.post(f"/availability/{rows[0]['id']}/delete").status_code == 302
    assert not list(web_db.query("select * from absences where staff = 'oulu-sc'"))


def test_absence_errors_keep_the_input(browser):
    oulu = browser("oulu")
    response = oulu.post("/availability", {"start": MONDAY.isoformat(),
                                           "end": (MONDAY - timedelta(3)).isoformat(), "kind": "vacation"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Viimeinen päivä on ennen ensimmäistä päivää." in page
    assert f'value="{MONDAY.isoformat()}"' in page


def test_team_month_marks_holidays_and_absences(browser):
    lead = browser("lead")
    page = lead.get("/availability/team?month=2026-12").get_data(as_text=True)
    assert "Itsenäisyyspäivä" in page and "Joulupäivä" in page
    assert lead.get("/availability/team?month=2026-13").status_code == 404
    assert browser("oulu").get("/availability/team").status_code == 403


def test_map_is_drawn_from_shipped_data_with_aland(browser):
    lead = browser("lead")
    page = lead.get(f"/map").get_data(as_text=True)
    from web_support import WEEK
    page = lead.get(f"/map?week={WEEK}").get_data(as_text=True)
    assert page.count('class="land"') >= 5  # mainland and islands
    assert "Maarianhamina" in page and "Ahvenanmaa" in page  # demo-05 is on Åland
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace('http://www.w3.org', '')
