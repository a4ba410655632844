"""The planning board as a lead uses it, in Chromium: the demo week planned by the product's own plan run (drafts),
each test on a database of its own. The whole week fits one 1280x900 screen; selecting a trip opens its details
beside the board without leaving it; a meeting moves from the list, by drag and drop and from the keyboard; a
drop where it cannot go says why and saves nothing; publishing asks first; a published trip can be taken back to
draft and its people see that in their schedule. Without JavaScript every action returns to the same trip."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from planner.core.settings import DEFAULT_SETTINGS
from planner.planning.week_run import plan_and_store
from planner.store.db import open_db
from test_browser import expect, sign_in
from web_support import WEEK, browser_pages, serve


@pytest.fixture
def planned(demo_db_file, tmp_path):
    """A copy of the demo database with its week planned (drafts, as after `planner plan-week`)."""
    database = tmp_path / "planner.sqlite"
    shutil.copy(demo_db_file, database)
    db = open_db(database)
    plan_and_store(db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="test")
    db.close()
    return database


@pytest.fixture
def site(planned, tmp_path, chromium):
    """The planned demo week served; yields (make_page, database path)."""
    with serve(planned, tmp_path / "instance") as url, browser_pages(chromium, url) as make:
        yield make, planned


def lead_on_board(make, width=1280, height=900):
    page = make(width, height)
    sign_in(page, "lead")
    page.goto(f"/plan?week={WEEK}")
    page.evaluate("window.boardNotReloaded = true")  # gone if the page is loaded again
    return page


def rows(database, sql, params=()):
    db = open_db(database)
    try:
        return [dict(r) for r in db.query(sql, params)]
    finally:
        db.close()


def single_meeting_trips(database):
    """Draft trips to one meeting, each with its meeting, people and day."""
    return rows(database, """select t.id as trip, m.id as meeting, m.staff, substr(m.start, 1, 10) as day
                             from plan_trips t join meeting_trips mt on mt.trip = t.id
                             join plan_meetings m on m.id = mt.meeting
                             group by t.id having count(*) = 1 order by t.depart""")


def not_reloaded(page) -> bool:
    return page.evaluate("window.boardNotReloaded === true")


def test_the_demo_week_fits_one_screen_and_speaks_finnish(site, shot):
    make, database = site
    page = lead_on_board(make)
    people = rows(database, "select id from staff")
    trips = rows(database, "select id from plan_trips")
    for p in people:
        box = page.locator(f"#p-{p['id']} th.who").bounding_box()
        assert box and box["y"] + box["height"] <= 900, f"{p['id']} is below the fold: {box}"
    blocks = page.locator("#board a.block")
    assert blocks.count() >= len(trips) > 0
    for i in range(blocks.count()):
        block = blocks.nth(i)
        box = block.bounding_box()
        assert box["y"] + box["height"] <= 900, f"{block.inner_text()} is below the fold"
        # the whole label is shown: nothing cut off
        assert block.evaluate("b => b.scrollWidth <= b.clientWidth + 1 && b.scrollHeight <= b.clientHeight + 1")
        assert re.search(r"\d{1,2}\.\d{2}–\d{1,2}\.\d{2}", block.inner_text()), block.inner_text()
    unassigned = page.locator("#side-title").bounding_box()
    assert unassigned["y"] + unassigned["height"] <= 900
    assert page.locator("details.changes").get_attribute("open") is None   # "what changed" is folded
    text = page.locator("main").inner_text()
    for word in ("cp-sat", "OPTIMAL", "FEASIBLE", "greedy", "reception centre", "hel-", "r1-T"):
        assert word not in text, word
    assert "Vastaanottokeskus".lower() in text.lower()
    # draft and published differ by more than colour: the border style
    styles = {page.locator("#board a.block.draft").first.evaluate("b => getComputedStyle(b).borderTopStyle")}
    assert styles == {"dashed"}
    shot(page, "board-week")


def test_selecting_a_trip_opens_its_details_beside_the_board(site, shot):
    make, database = site
    page = lead_on_board(make)
    chain = rows(database, """select mt.trip from meeting_trips mt join plan_trips t on t.id = mt.trip
                              group by mt.trip order by count(*) desc, t.depart limit 1""")[0]["trip"]
    block = page.locator(f"#board a.block[data-trip='{chain}']").first
    block.click()
    panel = page.locator("#detail .trip-panel")
    expect(panel).to_be_visible()
    assert not_reloaded(page), "selecting a trip loaded the page again"
    assert f"trip={chain}" in page.url
    expect(page.locator("#detail-title")).to_be_focused()
    expect(panel.get_by_role("button", name="Hyväksy ja julkaise")).to_be_visible()
    expect(panel.locator("ol.options li").first).to_be_visible()   # where a meeting could move, best first
    expect(page.locator(f"#board a.block.selected[data-trip='{chain}']").first).to_be_visible()
    shot(page, "board-trip-selected")
    # accept it, in place: the block turns published and the panel stays on it
    panel.get_by_role("button", name="Hyväksy ja julkaise").click()
    expect(page.locator(".flash.success")).to_contain_text("julkaistu")
    assert not_reloaded(page)
    expect(page.locator(f"#board a.block.published[data-trip='{chain}']").first).to_be_visible()
    assert rows(database, "select state from trips where id = ?", [chain])[0]["state"] == "published"
    page.get_by_role("link", name=re.compile("Sulje")).click()
    expect(page.locator("#detail .trip-panel")).to_have_count(0)


def test_move_from_the_list_of_eligible_people_and_days(site):
    make, database = site
    page = lead_on_board(make)
    trip = single_meeting_trips(database)[0]
    page.locator(f"#board a.block[data-trip='{trip['trip']}']").first.click()
    option = page.locator("#detail ol.options button.option").first
    expect(option).to_be_visible()
    # each option says the change in travel time and cost
    assert re.search(r"[+−±]\s?\d", option.locator(".delta").inner_text()), option.inner_text()
    who = option.locator(".who").inner_text()
    option.click()
    expect(page.locator(".flash.success")).to_contain_text("Siirretty")
    assert not_reloaded(page)
    moved = rows(database, "select staff, start from plan_meetings where visit = (select visit from meetings "
                           "where id = ?)", [trip["meeting"]])
    names = {r["id"]: r["name"] for r in rows(database, "select id, name from staff")}
    assert ", ".join(names[s] for s in json.loads(moved[0]["staff"])) == who
    expect(page.locator("#detail .trip-panel")).to_be_visible()   # back on the moved meeting's trip


def _cell_centre(page, staff: str, day: str) -> dict:
    """Where to drop on (person, day): the x of the day's column and the y of the person's first row."""
    head = page.locator(f"#board thead th[data-day='{day}']").bounding_box()
    row = page.locator(f"#p-{staff}").bounding_box()
    return {"x": head["x"] + head["width"] / 2, "y": row["y"] + row["height"] / 2}


def _drag(page, source, staff: str, day: str) -> None:
    """Drag with the mouse as a person does (press, move, release): HTML5 drag and drop in Chromium."""
    box = source.bounding_box()
    page.mouse.move(box["x"] + 8, box["y"] + box["height"] / 2)
    page.mouse.down()
    target = _cell_centre(page, staff, day)
    page.mouse.move(target["x"], target["y"], steps=8)
    page.wait_for_timeout(300)   # the options arrive while the meeting is held over the board
    page.mouse.move(target["x"] + 2, target["y"], steps=2)
    page.mouse.up()


def _options(page, meeting) -> dict:
    response = page.request.get(f"/plan/meetings/{meeting}/options")
    assert response.ok
    return response.json()


def test_drag_to_an_eligible_cell_moves_and_to_an_impossible_one_says_why(site, shot):
    make, database = site
    page = lead_on_board(make)
    trip = next(t for t in single_meeting_trips(database) if len(json.loads(t["staff"])) == 1)
    found = _options(page, trip["meeting"])
    refused_key = next(iter(found["refused"]))
    staff, day = refused_key.split("|")
    before = rows(database, "select id, state, staff, start from meetings order by id")
    block = page.locator(f"#board a.block[data-meeting='{trip['meeting']}']").first
    _drag(page, block, staff, day)
    message = page.locator("#drop-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("Siihen ei voi siirtää")
    expect(message).to_contain_text(found["refused"][refused_key])
    assert rows(database, "select id, state, staff, start from meetings order by id") == before, "a refused drop saved"
    shot(page, "board-drop-refused")
    eligible = next(c for c in found["eligible"].values() if not c["current"])
    _drag(page, page.locator(f"#board a.block[data-meeting='{trip['meeting']}']").first, eligible["staff"][0],
          eligible["day"])
    expect(page.locator(".flash.success")).to_contain_text("Siirretty")
    assert not_reloaded(page)
    now = rows(database, "select staff, start from plan_meetings where visit = (select visit from meetings "
                         "where id = ?)", [trip["meeting"]])[0]
    assert json.loads(now["staff"]) == eligible["staff"] and now["start"].startswith(eligible["day"])


def test_move_from_the_keyboard(site):
    make, database = site
    page = lead_on_board(make)
    trip = next(t for t in single_meeting_trips(database) if len(json.loads(t["staff"])) == 1)
    found = _options(page, trip["meeting"])
    staff = json.loads(trip["staff"])[0]
    # an eligible person and day, reached with the arrow keys alone from where the meeting is
    days = [d.get_attribute("data-day") for d in page.locator("#board thead th[data-day]").all()]
    people = [r.get_attribute("data-staff") for r in page.locator("#board tbody tr[id^='p-']").all()]
    target = next(c for c in found["eligible"].values() if not c["current"])
    block = page.locator(f"#board a.block[data-meeting='{trip['meeting']}']").first
    block.focus()
    page.keyboard.press("Enter")                      # select: the details open beside the board
    start = page.locator(f"#km-{trip['meeting']}")
    expect(start).to_be_visible()
    start.focus()
    page.keyboard.press("Enter")                      # pick the meeting up
    expect(page.locator("#move-status")).to_contain_text("nuolinäppäimet")
    down = people.index(target["staff"][0]) - people.index(staff)
    right = days.index(target["day"]) - days.index(trip["day"])
    for key, steps in (("ArrowDown" if down > 0 else "ArrowUp", abs(down)),
                       ("ArrowRight" if right > 0 else "ArrowLeft", abs(right))):
        for _ in range(steps):
            page.keyboard.press(key)
    expect(page.locator("#move-status")).to_contain_text("voi siirtää tähän")
    page.keyboard.press("Enter")
    expect(page.locator(".flash.success")).to_contain_text("Siirretty")
    now = rows(database, "select staff, start from plan_meetings where visit = (select visit from meetings "
                         "where id = ?)", [trip["meeting"]])[0]
    assert now["start"].startswith(target["day"]) and json.loads(now["staff"]) == target["staff"]
    # Escape puts a picked-up meeting back, and nothing is saved
    page.locator("#detail button.keyboard-move").first.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Escape")
    expect(page.locator("#board.moving")).to_have_count(0)


def test_publish_asks_first_and_take_back_reaches_the_schedule(site, shot):
    make, database = site
    page = lead_on_board(make)
    drafts = rows(database, "select id from plan_trips where state = 'draft'")
    people = rows(database, "select distinct ts.staff from trip_staff ts join plan_trips t on t.id = ts.trip "
                            "where t.state = 'draft'")
    page.get_by_role("link", name=re.compile("Julkaise luonnokset")).click()
    dialog = page.locator("dialog#publish-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"Julkaise {len(drafts)} matkaa {len(people)} henkilölle")
    shot(page, "board-publish-confirm")
    dialog.get_by_role("link", name="Peruuta").click()           # cancel: nothing published
    expect(dialog).to_be_hidden()
    assert rows(database, "select count(*) as n from trips where state = 'published'")[0]["n"] == 0
    page.get_by_role("link", name=re.compile("Julkaise luonnokset")).click()
    dialog.get_by_role("button", name=f"Julkaise {len(drafts)} matkaa").click()
    expect(page.locator(".flash.success")).to_contain_text(f"{len(drafts)} matkaa julkaistu")
    # the Oulu staff member's published trip, taken back by the lead
    oulu_trip = rows(database, "select t.id from plan_trips t join trip_staff ts on ts.trip = t.id "
                               "where ts.staff = 'oulu-sc' order by t.depart limit 1")[0]["id"]
    staff = make(390, 844)
    sign_in(staff, "oulu")
    staff.goto("/schedule")                                     # the first look: the starting point
    page.goto(f"/plan?week={WEEK}&trip={oulu_trip}")
    page.get_by_role("button", name="Palauta luonnokseksi").click()
    expect(page.locator(".flash.success")).to_contain_text("Palautettu luonnokseksi")
    assert rows(database, "select state from trips where id = ?", [oulu_trip])[0]["state"] == "draft"
    staff.goto("/schedule")
    expect(staff.locator("main")).to_contain_text("Peruttu matka")   # what changed since they last looked
    shot(staff, "schedule-trip-taken-back")


def test_without_javascript_actions_return_to_the_same_trip(planned, tmp_path, chromium):
    database = planned
    with serve(database, tmp_path / "instance") as url:
        context = chromium.new_context(base_url=url, java_script_enabled=False, locale="fi-FI",
                                       viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            sign_in(page, "lead")
            page.goto(f"/plan?week={WEEK}")
            trip = single_meeting_trips(database)[0]
            page.locator(f"#board a.block[data-trip='{trip['trip']}']").first.click()
            assert f"trip={trip['trip']}" in page.url
            page.locator("#detail").get_by_role("button", name="Kiinnitä").click()
            assert f"trip={trip['trip']}" in page.url and page.url.endswith("#detail")
            expect(page.locator(".flash.success")).to_contain_text("Kiinnitetty")
            # publishing without script: the question on a page of its own
            page.get_by_role("link", name=re.compile("Julkaise luonnokset")).click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Julkaistaanko viikon luonnokset?")
            page.get_by_role("button", name=re.compile(r"Julkaise \d+ matka")).click()
            expect(page.locator(".flash.success")).to_contain_text("julkaistu")
        finally:
            context.close()
