"""Absences by staff (their days only in the years 2000-2100, like visits: a day in year 1 or 9999 is refused next
to its field, the form keeps what was typed, and nothing is stored), the team's month grid with holidays for leads."""
from __future__ import annotations

from datetime import timedelta

import pytest

from web_support import MONDAY


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


def test_a_lead_records_and_removes_a_colleagues_absence_on_the_team_month(browser, web_db):
    """A colleague calls in sick: the lead records it for them (the audit found no way to), sees it in the month
    and can remove it; staff cannot; a form with no person keeps the days typed."""
    lead, month = browser("lead"), MONDAY.strftime("%Y-%m")
    url = f"/availability/team?month={month}"
    page = lead.get(url).get_data(as_text=True)
    assert "Kirjaa jonkun poissaolo" in page and '<option value="oulu-sc">' in page
    typed = {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(1)).isoformat(), "kind": "sick_leave"}
    refused = lead.post(url, {**typed, "staff": ""})
    assert refused.status_code == 422 and f'value="{MONDAY.isoformat()}"' in refused.get_data(as_text=True)
    assert browser("oulu").post(url, {**typed, "staff": "tre-si1"}).status_code == 403
    assert lead.post(url, {**typed, "staff": "nobody-here"}).status_code == 422
    before = web_db["absences"].count
    response = lead.post(url, {**typed, "staff": "oulu-sc"})
    assert response.status_code == 302
    row = next(web_db.query("select * from absences where staff = 'oulu-sc' and kind = 'sick_leave'"))
    assert (row["from_date"], row["to_date"]) == (typed["start"], typed["end"])
    page = lead.get(url).get_data(as_text=True)
    assert "Sairausloma" in page and "Suunnittele viikko uudelleen" in page
    audit = next(web_db.query("select * from audit_log where action = 'add-absence' order by id desc"))
    lead_user = next(web_db.query("select id from users where email = ?", ["lead@test.invalid"]))["id"]
    assert (audit["entity_id"], audit["actor"]) == ("oulu-sc", f"user:{lead_user}")
    assert browser("oulu").post(f"/availability/team/{row['id']}/delete").status_code == 403
    assert lead.post(f"/availability/team/{row['id']}/delete").status_code == 302
    assert web_db["absences"].count == before


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
    lead.post("/language", {"lang": "sv", "next": "/availability/team"})
    page = lead.get("/availability/team?month=2026-12").get_data(as_text=True)
    assert "Självständighetsdagen" in page and "Juldagen" in page and "Independence Day" not in page
    assert lead.get("/availability/team?month=2026-13").status_code == 404
    assert browser("oulu").get("/availability/team").status_code == 403


def test_map_is_drawn_from_shipped_data_with_aland(browser):
    lead = browser("lead")
    page = lead.get("/map").get_data(as_text=True)
    from web_support import WEEK
    page = lead.get(f"/map?week={WEEK}").get_data(as_text=True)
    assert page.count('class="land"') >= 5  # mainland and islands
    assert "Maarianhamina" in page and "Ahvenanmaa" in page  # demo-05 is on Åland
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace('http://www.w3.org', '')


@pytest.mark.parametrize("start, end, wrong", [
    ("0001-01-01", "0001-01-02", {"start": "0001-01-01", "end": "0001-01-02"}),
    ("9999-12-30", "9999-12-31", {"start": "9999-12-30", "end": "9999-12-31"}),
    (MONDAY.isoformat(), "9999-12-31", {"end": "9999-12-31"}),
    ("1999-12-31", MONDAY.isoformat(), {"start": "1999-12-31"}),
])
def test_an_absence_outside_2000_2100_is_refused_next_to_its_field(browser, web_db, start, end, wrong):
    oulu = browser("oulu")
    before = web_db["absences"].count
    response = oulu.post("/availability", {"start": start, "end": end, "kind": "vacation"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field in ("start", "end"):
        if field in wrong:
            error = page.split(f'id="{field}-error"')[1].split("</ul>")[0]
            assert f"{wrong[field]} ei ole vuosien 2000–2100 välillä." in error
        else:  # the right day gets no message (not "at most a year" against a day in year 1 either)
            assert f'id="{field}-error"' not in page
    assert f'value="{start}"' in page and f'value="{end}"' in page  # the form keeps what was typed
    assert web_db["absences"].count == before


def test_the_years_2000_and_2100_themselves_are_fine(browser, web_db):
    oulu = browser("oulu")
    for day in ("2000-01-03", "2100-12-30"):
        response = oulu.post("/availability", {"start": day, "end": day, "kind": "training"})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert len(list(web_db.query("select 1 from absences where staff = 'oulu-sc' and from_date in "
                                 "('2000-01-03', '2100-12-30')"))) == 2


def test_the_message_in_swedish_and_english(browser):
    oulu = browser("oulu")
    form = {"start": "0001-01-01", "end": (MONDAY + timedelta(1)).isoformat(), "kind": "vacation"}
    oulu.post("/language", {"lang": "sv", "next": "/availability"})
    assert "0001-01-01 ligger inte inom åren 2000–2100." in oulu.post("/availability", form).get_data(as_text=True)
    oulu.post("/language", {"lang": "en", "next": "/availability"})
    assert "0001-01-01 is not in the years 2000–2100." in oulu.post("/availability", form).get_data(as_text=True)
