"""Working hours in the browser (issue 13, point 7): a lead or an administrator sets a person's working days and
hours on /team/<id>/hours; wrong input is refused next to its field and the form keeps what was typed; the change is
audited; staff may not; the team list shows each pattern in the page's language ('ma–to 8.00–16.15')."""
from __future__ import annotations

import json
from datetime import time

import pytest

from planner import store

FOUR_DAYS = {"days": ["mon", "tue", "wed", "thu"], "start-mon": "8.00", "end-mon": "16.15", "start-tue": "8:00",
             "end-tue": "16.15", "start-wed": "08:00", "end-wed": "16:15", "start-thu": "8", "end-thu": "16.15",
             "start-fri": "8.00", "end-fri": "16.15"}


def _form(**changes) -> dict:
    form = dict(FOUR_DAYS)
    form.update(changes)
    return form


@pytest.mark.parametrize("who", ["lead", "admin"])
def test_a_lead_or_an_admin_sets_a_four_day_week(browser, web_db, who):
    b = browser(who)
    page = b.get("/team/oulu-sc/hours").get_data(as_text=True)
    assert 'name="days" value="fri"' in page and "ma–pe 8.00–16.15" in page
    response = b.post("/team/oulu-sc/hours", _form())
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert store.load_staff(web_db)["oulu-sc"].pattern == {d: (time(8), time(16, 15)) for d in range(4)}
    [row] = web_db.query("select * from audit_log where action = 'working-pattern'")
    assert row["entity"] == "staff" and row["entity_id"] == "oulu-sc" and row["actor"].startswith("user:")
    detail = json.loads(row["detail"])
    assert detail["before"] == [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "16:15"}]
    assert detail["after"] == [{"days": ["mon", "tue", "wed", "thu"], "start": "08:00", "end": "16:15"}]
    listing = b.get(response.location).get_data(as_text=True)
    assert "tallennettu" in listing and "ma–to 8.00–16.15" in listing
    # saving the same again changes nothing and audits nothing more
    assert b.post("/team/oulu-sc/hours", _form()).status_code == 302
    assert web_db["audit_log"].count_where("action = 'working-pattern'") == 1


def test_days_with_their_own_hours_and_the_pattern_in_each_language(browser, web_db):
    lead = browser("lead")
    form = _form(days=["mon", "tue", "wed", "fri"], **{"start-fri": "9.30", "end-fri": "12.00"})
    assert lead.post("/team/oulu-sc/hours", form).status_code == 302
    assert store.load_staff(web_db)["oulu-sc"].pattern == {0: (time(8), time(16, 15)), 1: (time(8), time(16, 15)),
                                                           2: (time(8), time(16, 15)), 4: (time(9, 30), time(12))}
    shown = {"fi": "ma–ke 8.00–16.15; pe 9.30–12.00", "sv": "mån–ons 8.00–16.15; fre 9.30–12.00",
             "en": "Mon–Wed 08:00–16:15; Fri 09:30–12:00"}
    for lang, text in shown.items():
        lead.post("/language", {"lang": lang, "next": "/team"})
        assert text in lead.get("/team").get_data(as_text=True), lang
    # two days apart are listed, not a range
    assert lead.post("/team/oulu-sc/hours", _form(days=["mon", "wed"])).status_code == 302
    assert "Mon, Wed 08:00–16:15" in lead.get("/team").get_data(as_text=True)


@pytest.mark.parametrize("changes, status, message, kept", [
    ({"end-tue": "7.45"}, 422, "Päättymisaika 7.45 ei ole alkamisajan 8.00 jälkeen.", 'value="7.45"'),
    ({"days": []}, 422, "Valitse vähintään yksi työpäivä.", None),
    ({"start-wed": "25.00"}, 422, "25.00 ei ole kellonaika", 'value="25.00"'),
    ({"end-mon": "kahdeksan"}, 422, "kahdeksan ei ole kellonaika", 'value="kahdeksan"'),
    ({"start-thu": ""}, 422, "Anna alkamisaika, esimerkiksi 8.00.", None),
])
def test_wrong_hours_are_refused_next_to_their_field_and_kept(browser, web_db, changes, status, message, kept):
    lead = browser("lead")
    before = store.load_staff(web_db)["oulu-sc"].pattern
    response = lead.post("/team/oulu-sc/hours", _form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == status and message in page, page[page.find("<main"):][:3000]
    if kept:
        assert kept in page
    assert 'aria-invalid="true"' in page or "hours-error" in page
    # what was typed stays: the ticked days and the other times
    for day in changes.get("days", FOUR_DAYS["days"]):
        assert f'value="{day}" id="day-{day}" checked' in page
    assert store.load_staff(web_db)["oulu-sc"].pattern == before
    assert not web_db["audit_log"].count_where("action = 'working-pattern'")


def test_an_unticked_day_may_hold_anything(browser, web_db):
    """Only a ticked day's hours are read: a day off with a half-typed time is no error."""
    lead = browser("lead")
    assert lead.post("/team/oulu-sc/hours", _form(**{"start-fri": "zz", "end-sat": "99"})).status_code == 302
    assert sorted(store.load_staff(web_db)["oulu-sc"].pattern) == [0, 1, 2, 3]


def test_a_change_made_meanwhile_is_not_overwritten(browser, web_db):
    lead, admin = browser("lead"), browser("admin")
    page = lead.get("/team/oulu-sc/hours").get_data(as_text=True)
    shown = page.split('name="shown" value="', 1)[1].split('"', 1)[0]
    assert admin.post("/team/oulu-sc/hours", _form(days=["mon", "tue"])).status_code == 302
    response = lead.post("/team/oulu-sc/hours", _form(shown=shown))
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "ma, ti 8.00–16.15" in page
    assert sorted(store.load_staff(web_db)["oulu-sc"].pattern) == [0, 1]
    # the page now carries the current pattern: saving again is the lead's choice and goes through
    shown = page.split('name="shown" value="', 1)[1].split('"', 1)[0]
    assert lead.post("/team/oulu-sc/hours", _form(shown=shown)).status_code == 302
    assert sorted(store.load_staff(web_db)["oulu-sc"].pattern) == [0, 1, 2, 3]


def test_staff_may_not_change_hours_and_unknown_people_are_404(browser, web_db):
    oulu = browser("oulu")
    assert oulu.get("/team").status_code == 403
    assert oulu.get("/team/oulu-sc/hours").status_code == 403
    assert oulu.post("/team/oulu-sc/hours", _form()).status_code == 403
    assert sorted(store.load_staff(web_db)["oulu-sc"].pattern) == [0, 1, 2, 3, 4]
    lead = browser("lead")
    assert lead.get("/team/nobody/hours").status_code == 404
    assert lead.post("/team/nobody/hours", _form()).status_code == 404
    assert "Työajat" not in oulu.get("/schedule").get_data(as_text=True)  # not in a staff member's menu
    assert 'href="/team"' in lead.get("/account").get_data(as_text=True)


def test_the_team_list_shows_every_person_by_office(browser, web_db):
    page = browser("admin").get("/team").get_data(as_text=True)
    for person in store.load_staff(web_db).values():
        assert f'id="s-{person.id}"' in page and person.name in page


def test_the_team_month_shows_a_part_timers_hours_under_the_name(browser):
    lead = browser("lead")
    assert lead.post("/team/oulu-sc/hours", _form()).status_code == 302
    page = lead.get("/availability/team").get_data(as_text=True)
    assert page.count('class="grid-hours"') == 1 and "ma–to 8.00–16.15" in page
