"""The absence form takes days of the years 2000-2100 only, like visits (planner/importer.py): a day in year 1 or
9999 is refused next to its field, the form keeps what was typed, and nothing is stored."""
from __future__ import annotations

from datetime import timedelta

import pytest

from web_support import MONDAY, browser, demo_db_file, web_app, web_db  # noqa: F401


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
