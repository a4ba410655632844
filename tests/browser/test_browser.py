"""The main journeys in a real browser: a lead files a request for Rovaniemi, assigns and publishes it; the
assigned person sees it in My schedule and the calendar feed, then adds an absence; the lead sees the conflict and
plans again. Also: the language switch, keyboard-only sign-in and a phone-sized screen."""
from __future__ import annotations

import re
from datetime import timedelta

from web_support import MONDAY, PASSWORD, USERS, WEEK

sync_api = __import__("playwright.sync_api", fromlist=["expect"])
expect = sync_api.expect


def sign_in(page, who: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Sähköposti").fill(USERS[who][0])
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Kirjaudu ulos").click()
    expect(page.get_by_role("heading", name="Kirjaudu sisään")).to_be_visible()


def test_keyboard_only_sign_in(new_page, shot):
    page = new_page()
    page.goto("/sign-in")
    assert page.evaluate("document.activeElement.id") == "email"  # autofocus: no mouse needed
    page.keyboard.type(USERS["lead"][0])
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Yleiskatsaus")).to_be_visible()
    # the skip link is the first stop for keyboard users
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    shot(page, "overview")


def test_language_switch(new_page, shot):
    page = new_page()
    sign_in(page, "lead")
    expect(page.get_by_role("heading", name="Yleiskatsaus")).to_be_visible()
    page.get_by_role("button", name="Svenska").click()
    expect(page.get_by_role("heading", name="Översikt")).to_be_visible()
    assert page.get_attribute("html", "lang") == "sv"
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    shot(page, "overview-en")
    page.get_by_role("button", name="Suomi").click()
    expect(page.get_by_role("heading", name="Yleiskatsaus")).to_be_visible()


def test_request_assign_publish_schedule_feed_absence_and_plan_again(new_page, shot):
    lead = new_page()
    sign_in(lead, "lead")
    lead.get_by_role("link", name="Uusi käyntipyyntö").first.click()
    lead.get_by_label("Asiatunnus").fill("IK-2026-0777")
    place = lead.get_by_label("Paikka")
    place.press_sequentially("Rovan", delay=30)
    expect(lead.locator("#place-options option").first).to_have_attribute("value", "Rovaniemi")
    place.fill("Rovaniemi")
    lead.get_by_label("Aikaisintaan").fill(MONDAY.isoformat())
    lead.get_by_label("Viimeistään").fill((MONDAY + timedelta(4)).isoformat())
    lead.get_by_label("Toivottu henkilö").select_option("oulu-sc")
    assign = lead.locator("button.assign").first
    expect(assign).to_be_visible()
    expect(lead.locator("#proposals")).to_contain_text("Aila Keskitalo")
    shot(lead, "visit-request")
    assert lead.console_errors == []
    assign.click()
    expect(lead.get_by_role("heading", name="Viikkosuunnitelma")).to_be_visible()
    expect(lead.locator(".flash").first).to_contain_text("luonnoksena")
    lead.get_by_role("link", name="Julkaise luonnokset…").click()   # it asks first, in a dialog
    lead.locator("dialog#publish-dialog").get_by_role("button", name=re.compile(r"^Julkaise \d+ matka")).click()
    expect(lead.locator(".flash").first).to_contain_text("julkaistu")
    shot(lead, "week-plan")
    lead.goto(f"/map?week={WEEK}")
    expect(lead.locator("svg path.land").first).to_be_visible()
    shot(lead, "map")
    sign_out(lead)

    staff = new_page()
    sign_in(staff, "oulu")
    expect(staff.get_by_role("heading", name="Oma aikataulu")).to_be_visible()
    staff.goto(f"/schedule?week={WEEK}")
    expect(staff.locator(".trip-card")).to_contain_text("Rovaniemi")
    shot(staff, "my-schedule")
    staff.context.grant_permissions(["clipboard-read", "clipboard-write"])
    staff.get_by_role("button", name="Tee kalenterilinkki").click()
    url = staff.get_by_label("Kalenterin osoite").input_value()
    # one tap adds the feed to the phone's calendar app (webcal:), or the address is copied with one click
    assert staff.get_by_role("link", name="Lisää kalenteriini").get_attribute("href") == \
        url.replace("http://", "webcal://", 1)
    staff.get_by_role("button", name="Kopioi").click()
    expect(staff.get_by_role("status")).to_have_text("Kopioitu.")
    assert staff.evaluate("navigator.clipboard.readText()") == url
    feed = staff.request.get(url)
    body = feed.text()
    assert feed.status == 200 and "Rovaniemi" in body and "IK-2026-0777" not in body
    staff.goto("/availability")
    staff.get_by_label("Alkaen").fill(MONDAY.isoformat())
    staff.get_by_label("Päättyen (mukaan lukien)").fill((MONDAY + timedelta(4)).isoformat())
    staff.get_by_label("Laji").select_option("sick_leave")
    staff.get_by_role("button", name="Tallenna poissaolo").click()
    expect(staff.locator(".flash").first).to_contain_text("Poissaolo tallennettu")

    lead2 = new_page()
    sign_in(lead2, "lead")
    expect(lead2.locator(".conflicts").first).to_contain_text("on poissa")
    lead2.goto(f"/plan?week={WEEK}")
    lead2.get_by_role("button", name="Suunnittele uudelleen").click()
    expect(lead2.locator("#job")).to_contain_text("Suunnittelu valmis", timeout=60000)
    expect(lead2.locator("#conflicts-title")).to_have_count(0)
    expect(lead2.get_by_role("heading", name="Mikä muuttui uusimmassa suunnitteluajossa")).to_be_visible()
    shot(lead2, "plan-again")
    lead2.goto("/availability/team?month=" + MONDAY.strftime("%Y-%m"))
    shot(lead2, "team-availability")


def test_a_lead_stops_planning_in_the_browser(new_page, shot, live_database):
    """While a plan job runs the week plan shows it working and a Stop button; stopping it ends the job's process
    and the page says nothing was stored."""
    import subprocess
    import sys
    from planner.store.db import open_db
    from planner.core.weeks import week_of
    week = week_of(MONDAY + timedelta(14))  # a week of its own: the journey above plans WEEK again
    db = open_db(live_database)
    job_id = db["plan_jobs"].insert({"week": week, "started_by": "user:1", "started_at": "2026-11-01T10:00:00",
                                     "state": "running", "progress": "solving", "phase": "planning"}).last_pk
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "planner.planning.plan_jobs", str(job_id)],
                            start_new_session=True)
    db.execute("update plan_jobs set pid = ? where id = ?", [proc.pid, job_id])
    try:
        page = new_page()
        sign_in(page, "lead")
        page.goto(f"/plan?week={week}")
        expect(page.locator("#job .message")).to_have_text(
            "Suunnitellaan: lasketaan matkat ja etsitään paras suunnitelma.")
        expect(page.locator("#job")).not_to_contain_text("solving")  # the run's English progress stays in the log
        shot(page, "plan-job-running")
        page.get_by_role("button", name="Pysäytä suunnittelu").click()
        expect(page.locator("#job")).to_contain_text("Suunnittelu pysäytettiin; siitä ei tallennettu mitään.")
        expect(page.get_by_role("button", name="Pysäytä suunnittelu")).to_have_count(0)
        expect(page.get_by_role("button", name="Suunnittele uudelleen")).to_be_enabled()
        assert proc.wait(timeout=10) is not None
        assert db["plan_jobs"].get(job_id)["state"] == "cancelled"
        assert page.console_errors == []
    finally:
        if proc.poll() is None:
            proc.kill()
        db.close()


def test_phone_screen(new_page, shot):
    page = new_page(390, 844)
    sign_in(page, "oulu")
    expect(page.get_by_role("heading", name="Oma aikataulu")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    shot(page, "phone-schedule")


def test_a_leads_pages_fit_a_small_phone_and_show_the_whole_menu(new_page, shot):
    """375 px wide: no page is wider than the screen (a hidden label far right in a wide table used to widen the
    team month to 968 px), and every menu item is in sight (the menu wraps; it used to scroll out of sight)."""
    page = new_page(375, 812)
    sign_in(page, "lead")
    for path in (f"/plan?week={WEEK}", f"/availability/team?month={MONDAY:%Y-%m}", "/reports", "/overview"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways on a phone ({width}px)"
        beyond = page.evaluate("Array.from(document.querySelectorAll('header.top nav a'))"
                               ".filter(a => a.getBoundingClientRect().right > 375).map(a => a.textContent.trim())")
        assert beyond == [], f"{path}: menu items out of sight: {beyond}"
        if path.startswith("/availability/team"):   # the lead's list of the month's absences, with its buttons
            expect(page.locator("caption", has_text="Tämän kuukauden poissaolot")).to_be_visible()
    shot(page, "phone-overview-lead")


def test_a_date_field_repeats_its_date_in_the_page_language(new_page, shot):
    """The browser's date picker may speak English; beside the field the date reads in Finnish (or Swedish)."""
    page = new_page()
    sign_in(page, "lead")
    page.goto("/visits/new")
    page.get_by_label("Aikaisintaan").fill(MONDAY.isoformat())
    expect(page.locator("#earliest-echo")).to_have_text(f"ma {MONDAY.day}.{MONDAY.month}.{MONDAY.year}")
    assert "earliest-echo" in page.get_by_label("Aikaisintaan").get_attribute("aria-describedby")
    shot(page, "date-echo-fi")
    page.get_by_role("button", name="Svenska").click()
    page.goto("/visits/new")
    page.get_by_label("Tidigast").fill(MONDAY.isoformat())
    expect(page.locator("#earliest-echo")).to_contain_text(f"{MONDAY.day}.{MONDAY.month}.{MONDAY.year}")
    expect(page.locator("#earliest-echo")).to_contain_text("mån")


def test_the_team_grid_keeps_names_and_weeks_in_view_and_opens_the_plan(chromium, planned_site, shot):
    """The month grid: Finnish letters and symbols explained in the legend (no English initials), a trip shows its
    first place and opens the week plan at that person; scrolling the month keeps the names and the week and day
    headings in view."""
    from web_support import browser_pages
    base, _ids = planned_site
    with browser_pages(chromium, base) as make:
        page = make(900, 500)
        sign_in(page, "lead")
        page.goto(f"/availability/team?month={MONDAY:%Y-%m}")
        assert "pyhäpäivä" in page.locator("ul.legend").inner_text()   # "arkipyhä" would be wrong on a Sunday
        legend = page.locator("ul.legend .cell").all_inner_texts()
        assert "P" in legend and not {"A", "T", "D", "H"} & set(legend), legend
        iso = MONDAY.isocalendar()
        expect(page.locator("tr.weeks")).to_contain_text(f"vk {iso[1]}")
        trip = page.locator("td.trip a").first
        label = trip.locator("[aria-hidden=true]").inner_text()
        assert 1 <= len(label) <= 3 and label[0].isupper(), label
        frame = page.locator(".grid-frame")
        name_cell = page.locator("table.grid th[scope=row]").first
        left = name_cell.bounding_box()["x"]
        frame.evaluate("el => { el.scrollLeft = 500; el.scrollTop = 300; }")
        assert frame.evaluate("el => el.scrollLeft") > 100 and frame.evaluate("el => el.scrollTop") > 100  # it scrolled
        assert abs(name_cell.bounding_box()["x"] - left) < 1          # the names stay
        corner = page.locator("tr.days th").first.bounding_box()
        assert abs(corner["x"] - left) < 1                              # and the heading above them
        office = page.locator("tr.office-row th span").last.bounding_box()
        assert office["x"] >= frame.bounding_box()["x"]                 # an office's name is not cut
        header = page.locator("tr.days th").first.bounding_box()
        assert abs(header["y"] - frame.bounding_box()["y"]) < 40       # the day headings stay at the top
        shot(page, "team-grid-scrolled")
        frame.evaluate("el => { el.scrollLeft = 0; el.scrollTop = 0; }")
        href = trip.get_attribute("href")
        assert href.startswith(f"/plan?week={iso[0]}-W") and "#p-" in href
        trip.click()
        expect(page).to_have_url(re.compile(r"/plan\?week="))
        expect(page.locator(f"#board tr#{href.split('#')[1]}")).to_be_in_viewport()   # the person's row
        expect(page.locator("#board a.block.selected").first).to_be_visible()       # and the trip, its details
        expect(page.locator("#detail .trip-panel")).to_be_visible()                 # beside the board


def test_on_a_phone_my_schedule_opens_with_the_next_trip_above_the_fold(chromium, planned_site, shot):
    """390×844, the published demo week: My schedule (the coming 14 days) shows the next trip without scrolling."""
    from web_support import browser_pages
    base, _ids = planned_site
    with browser_pages(chromium, base) as make:
        page = make(390, 844)
        sign_in(page, "oulu")
        expect(page.get_by_role("heading", name="Oma aikataulu")).to_be_visible()
        card = page.locator(".trip-card").first
        expect(card).to_be_visible()
        box = card.locator("h2").bounding_box()
        assert box["y"] + box["height"] <= 844, box
        shot(page, "phone-schedule-coming-days")
