"""Working hours in the browser (issue 13, point 7): a lead gives a person a four-day week, and the visit form's
proposals for a Friday no longer offer them but say why under 'not proposed, and why'. On a server of its own
(the change would otherwise reach the other browser tests)."""
from __future__ import annotations

import re
import shutil
from datetime import timedelta

from playwright.sync_api import expect

from test_browser import sign_in
from web_support import MONDAY, browser_pages, serve


def test_a_lead_sets_a_four_day_week_and_friday_is_no_longer_proposed(chromium, demo_db_file, tmp_path, shot):
    database = tmp_path / "planner.sqlite"
    shutil.copy(demo_db_file, database)
    friday = MONDAY + timedelta(4)
    with serve(database, tmp_path / "instance") as url, browser_pages(chromium, url) as make:
        lead = make()
        sign_in(lead, "lead")

        def friday_proposals():
            lead.goto("/visits/new")
            lead.get_by_label("Asiatunnus").fill("IK-2026-0778")
            lead.get_by_label("Paikka").fill("Rovaniemi")
            lead.get_by_label("Aikaisintaan").fill(friday.isoformat())
            lead.get_by_label("Viimeistään").fill(friday.isoformat())
            expect(lead.locator("button.assign").first).to_be_visible()
            return lead.locator("#proposals")

        expect(friday_proposals().locator("ol.options")).to_contain_text("Aila Keskitalo")

        lead.get_by_role("link", name="Työajat").click()
        expect(lead.locator("#s-oulu-sc")).to_contain_text("ma–pe 8.00–16.15")
        lead.get_by_role("link", name=re.compile("^Muuta.*Aila Keskitalo$")).click()
        lead.get_by_label("perjantai", exact=True).uncheck()
        lead.get_by_label("torstai: päättyy").fill("15.15")
        lead.get_by_label("torstai: alkaa").fill("16.00")  # a mistake first: the end before the start
        lead.get_by_role("button", name="Tallenna työajat").click()
        expect(lead.get_by_label("torstai: päättyy")).to_have_attribute("aria-invalid", "true")
        expect(lead.locator("#end-thu-error")).to_have_text("Päättymisaika 15.15 ei ole alkamisajan 16.00 jälkeen.")
        expect(lead.get_by_label("perjantai", exact=True)).not_to_be_checked()  # what was typed stays
        shot(lead, "working-hours-error")
        lead.get_by_label("torstai: alkaa").fill("8.00")
        lead.get_by_label("torstai: päättyy").fill("16.15")
        lead.get_by_role("button", name="Tallenna työajat").click()
        expect(lead.locator(".flash").first).to_contain_text("Henkilön Aila Keskitalo työajat tallennettu.")
        expect(lead.locator("#s-oulu-sc")).to_contain_text("ma–to 8.00–16.15")
        shot(lead, "working-hours")

        proposals = friday_proposals()
        expect(proposals.locator("ol.options")).not_to_contain_text("Aila Keskitalo")
        proposals.get_by_text("Ei ehdotettu, ja miksi").click()
        expect(proposals.locator(".excluded")).to_contain_text("Aila Keskitalo: ei työskentele perjantaisin")
        # (the refused form answered 422, which the browser logs as a failed load; nothing else went wrong)
        assert [e for e in lead.errors if "status of 422" not in e] == []
