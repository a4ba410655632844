"""The reports page (issue 17, first part): a lead sees the period's figures as charts and tables and downloads the
same figures as CSV; the charts are SVG images without script; staff cannot open it."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest

from planner.planning import actions

from test_concurrent_edits import plan_now
from web_support import MONDAY, WEEK

QUERY = f"from={MONDAY.isoformat()}&to={(MONDAY + timedelta(27)).isoformat()}"


@pytest.fixture
def published(web_db):
    plan_now(web_db)
    actions.publish(web_db, WEEK, "lead")


def test_the_page_shows_the_figures_the_command_gives(web_app, browser, published):
    page = browser("lead").get(f"/reports?{QUERY}").get_data(as_text=True)
    result = web_app.test_cli_runner().invoke(args=["report", "--from", MONDAY.isoformat(), "--to",
                                                    (MONDAY + timedelta(27)).isoformat()])
    figures = json.loads(result.output)
    v = figures["visits"]
    assert f"{v['requested']} pyydetty, {v['done']} tehty, {v['unassigned']} jätetty pois" in page
    assert page.count("<img src=\"/reports/charts/") == 4 and "<table" in page
    assert "julkaistusta tapaamisesta 100 % pysyi" in page
    for office in ("Helsinki", "Lappeenranta"):        # office names, not ids
        assert f'<th scope="row">{office}</th>' in page
    assert '<th scope="row">helsinki</th>' not in page
    # weeks and months as people write them, not ISO codes (the audit found "2026-W50" and "2026-12")
    year, number = WEEK.split("-W")
    assert f'<th scope="row">viikko {int(number)}/{year}</th>' in page and f'<th scope="row">{WEEK}</th>' not in page
    month = MONDAY.strftime("%Y-%m")
    assert f"<td>{month}</td>" not in page and f" {MONDAY.year}</td>" in page
    travel = page.split("Matkat ja kustannukset toimipisteittäin")[-1].split("</table>")[0]   # after the caption
    for office_id, name in (("helsinki", "Helsinki"), ("lappeenranta", "Lappeenranta")):   # the table says what
        row = re.search(f'<th scope="row">{name}</th><td>(\\d+)</td><td>(\\d+)</td>', travel)  # the CSV says
        assert row and (int(row[1]), int(row[2])) == (figures["offices"][office_id]["trips"],
                                                     figures["offices"][office_id]["days_away"])
    total = re.search(r'<tfoot><tr><th scope="row">Yhteensä</th><td>(\d+)</td><td>(\d+)</td>', travel)
    assert total and (int(total[1]), int(total[2])) == (figures["totals"]["trips"], figures["totals"]["days_away"])


def test_the_csv_download_is_the_commands_csv(web_app, browser, published):
    response = browser("lead").get(f"/reports/report.csv?{QUERY}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    cli = web_app.test_cli_runner().invoke(args=["report", "--from", MONDAY.isoformat(), "--to",
                                                 (MONDAY + timedelta(27)).isoformat(), "--format", "csv"])
    assert list(csv.reader(io.StringIO(response.get_data(as_text=True)))) == list(csv.reader(io.StringIO(cli.output)))


@pytest.mark.parametrize("name", ["visits", "km", "emissions", "plans"])
def test_the_charts_are_svg_images_without_script(browser, published, name):
    response = browser("lead").get(f"/reports/charts/{name}.svg?{QUERY}")
    svg = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml" and svg.startswith("<svg")
    assert "<script" not in svg and "script-src" not in response.headers["Content-Security-Policy"]
    assert re.search(r"<title[^>]*>|class=\"title\"", svg)


def test_a_bad_period_keeps_the_page_and_says_why(browser, web_db):
    response = browser("lead").get("/reports?from=2027-02-01&to=2027-01-01")
    assert response.status_code == 422 and "ensimmäinen ei myöhemmin kuin viimeinen" in response.get_data(as_text=True)


def test_a_csv_of_a_bad_period_is_refused_not_another_periods(browser, web_db):
    response = browser("lead").get("/reports/report.csv?from=x&to=2026-12-31")
    assert response.status_code == 422 and "attachment" not in response.headers.get("Content-Disposition", "")
    assert "ensimmäinen ei myöhemmin kuin viimeinen" in response.get_data(as_text=True)


def test_the_charts_speak_the_readers_language_empty_or_not(browser, published):
    lead = browser("lead")
    empty = lead.get("/reports/charts/plans.svg?from=2020-01-01&to=2020-01-31").get_data(as_text=True)
    assert "Ei tietoja" in empty and "No data" not in empty
    plans = lead.get(f"/reports/charts/plans.svg?{QUERY}").get_data(as_text=True)
    assert f"viikko {int(WEEK[-2:])}/{WEEK[:4]}" in plans and WEEK not in plans


def test_staff_cannot_open_the_reports(browser, web_db):
    assert browser("oulu").get("/reports").status_code == 403



def test_what_if_on_the_page_plans_the_weeks_again_and_keeps_what_was_typed(browser, web_db, published):
    lead = browser("lead")
    page = lead.get("/reports/what-if").get_data(as_text=True)
    assert 'name="add_office"' in page and "role=\"alert\"" not in page           # the form alone at first
    week = f"from={MONDAY.isoformat()}&to={(MONDAY + timedelta(6)).isoformat()}"
    answer = lead.get(f"/reports/what-if?{week}&add_office=Rovaniemi&person_office=new&role=social_counsellor")
    html = answer.get_data(as_text=True)
    year, number = WEEK.split("-W")
    assert answer.status_code == 200 and "Viikoittain" in html and f"viikko {int(number)}/{year}" in html
    assert "Ero" in html
    difference = html.split('id="wi-result"', 1)[1].split("</p>", 1)[0]
    assert re.search(r"[+−±]\d", difference) and not re.search(r"(?<![\w])-\d", difference)  # signs, no hyphens
    misspelt = lead.get(f"/reports/what-if?{week}&add_office=Rovanemi&person_office=new&role=social_counsellor")
    assert misspelt.status_code == 422
    assert ("Muutosta ei voi tehdä: paikkaa ”Rovanemi” ei löydy: tarkoititko Rovaniemi?"
            in misspelt.get_data(as_text=True))
    # what the command line can do, the page can too: close an office, move a person
    closed = lead.get(f"/reports/what-if?{week}&close_office=oulu")
    assert closed.status_code == 200 and "Ero" in closed.get_data(as_text=True)
    moved = lead.get(f"/reports/what-if?{week}&move_person=oulu-sc&move_to=tampere")
    assert moved.status_code == 200 and 'value="oulu-sc" selected' in moved.get_data(as_text=True)
    bad = lead.get(f"/reports/what-if?{week}&add_office=Atlantis&person_office=new&role=social_counsellor")
    assert bad.status_code == 422 and "Muutosta ei voi tehdä" in bad.get_data(as_text=True)
    assert 'value="Atlantis"' in bad.get_data(as_text=True)                      # what was typed stays
    long = lead.get("/reports/what-if?from=2026-01-01&to=2026-06-30&link=Hailuoto")
    assert long.status_code == 422 and "enintään 8 viikkoa" in long.get_data(as_text=True)
