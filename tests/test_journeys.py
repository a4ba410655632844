"""The main user journeys, taken exactly as users take them, on one fresh instance made with the real command line.

`planner init-db --demo` and `planner create-user` set the instance up; the app is served by the real `planner run`
(default settings: solver cp-sat, the default time limit of "plan again"); Chromium (Debian's, through Playwright)
does everything else, in Finnish. Nothing is monkeypatched: not the solver, not the clock, not the job's progress.
The tests read the SQLite file to find ids and to check outcomes, never to change state.

The journeys run in file order on the same instance, as a week of work goes: plan from the command line, plan
again in the browser, publish, move and pin, a staff member's "I can't make this trip", plan again after it, a new
visit request assigned with one click, an administrator's setting seen in the next proposal. Each one checks its
own starting point and fails saying so when an earlier journey left it unmet. A screenshot of each journey goes to
tests/artifacts/journeys/.

6b and 6c look closer at what plan again after a decline leaves on the page: the person who declined is not sent
to the same visits on the same days again, and "what changed" does not call planned visits unplanned.
"""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from web_support import browser_pages

from journeys_support import (ADMIN, ARTIFACTS, LEAD, MONDAY, STAFF, WEEK, Instance, euros, fi_day, page_problems,
                              press_plan_again, sign_in, wait_for_job)

from playwright.sync_api import expect


# fixtures ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def planner(tmp_path_factory):
    """A fresh instance made as a new deployment is: init-db --demo, a lead and an admin from the command line, and
    `planner run` serving it. Stopped at the end, whatever happened."""
    instance = Instance(tmp_path_factory.mktemp("journeys") / "instance")
    try:
        out = instance.cli_ok("init-db", "--demo").stdout
        assert "Demo data loaded" in out, out
        instance.create_user(LEAD, "lead")
        instance.create_user(ADMIN, "admin")
        instance.start_server()
        yield instance
    finally:
        instance.stop()


@pytest.fixture
def new_page(chromium, planner):
    """A page of its own per person, Finnish and in Helsinki time; errors on ``page.errors`` (conftest)."""
    with browser_pages(chromium, planner.base_url, timeout_ms=20000) as make:
        yield make


@pytest.fixture(scope="module")
def shot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return take


def need(condition, what: str) -> None:
    """A journey's starting point (left by the journeys before it); fail saying which one is missing."""
    if not condition:
        pytest.fail(f"starting point not met: {what}")


def meeting_item(page, planner: Instance, meeting_id: int):
    """The meeting's details and controls beside the board: selecting its trip's block opens them."""
    trip = planner.value("""select t.id from meeting_trips mt join trips t on t.id = mt.trip
                            where mt.meeting = ? and t.state != 'superseded'""", [meeting_id])
    page.locator(f"#board a.block[data-trip='{trip}']").first.click()
    expect(page.locator(f"#detail .trip-panel[data-trip='{trip}']")).to_be_visible()
    return page.locator(f"#detail section.meeting[aria-labelledby='m-{meeting_id}']")


def plan_again_and_wait(page, planner: Instance, shot, name: str) -> dict:
    runs_before = planner.value("select coalesce(max(id), 0) from plan_runs")
    job_id = press_plan_again(page)
    job = wait_for_job(page, planner, job_id)
    shot(page, name)
    # strict: the job must have planned, and the page must say so in Finnish with nothing English or broken
    assert job["state"] == "done", f"plan job {job_id} ended {job['state']!r}: {job['error']}"
    assert page_problems(page) == [], f"the week plan shows {page_problems(page)} after plan again"
    expect(page.locator("#job")).to_contain_text("Suunnittelu valmis")
    assert job["plan_run"] and job["plan_run"] > runs_before, f"no new plan run: job {job}"
    meetings = planner.value("select count(*) from meetings where plan_run = ?", [job["plan_run"]])
    assert meetings > 0, f"plan run {job['plan_run']} has no meetings"
    return job


# 1. the command line ----------------------------------------------------------------------------------------

def test_1_plan_week_from_the_command_line(planner):
    """`planner plan-week --week <demo week>` with the default options (cp-sat, 30 s) plans and stores a draft, and
    says over what its plan is optimal."""
    result = planner.cli("plan-week", "--week", WEEK)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    summary = re.search(rf"Week {WEEK}: (\d+) of (\d+) visits planned, (\d+) trips", result.stdout)
    assert summary, result.stdout
    planned, total, trips = map(int, summary.groups())
    assert total == planner.value("select count(*) from visits") and planned > 0 and trips > 0, result.stdout
    # the demo week is proven optimal over every trip the rules allow, and the summary says over what
    assert "OPTIMAL objective" in result.stdout and "optimal over every trip the rules allow" in result.stdout
    stored = re.search(r"Stored as plan run (\d+) \(draft\)\.", result.stdout)
    assert stored, result.stdout
    run = planner.row("select * from plan_runs where id = ?", [int(stored[1])])
    assert run and run["week"] == WEEK and run["state"] == "draft" and run["solver"] == "cp-sat", run
    assert planner.value("select count(*) from meetings where plan_run = ?", [run["id"]]) == planned
    assert planner.value("select count(*) from trips where plan_run = ? and state = 'draft'", [run["id"]]) == trips


# 2. plan again in the browser -------------------------------------------------------------------------------

def test_2_lead_signs_in_and_plans_again(planner, new_page, shot):
    """The lead signs in, opens next week's plan, presses "Suunnittele uudelleen" and waits until it is done.

    Fails on the code of 2026-12-03: the job fails with `ProgrammingError: SQLite objects created in a thread can
    only be used in that same thread` and the page says "Suunnittelu epäonnistui: ProgrammingError: ..."."""
    page = new_page()
    sign_in(page, LEAD)
    expect(page.get_by_role("heading", name="Yleiskatsaus")).to_be_visible()
    page.goto(f"/plan?week={WEEK}")
    expect(page.get_by_role("heading", name="Viikkosuunnitelma")).to_be_visible()
    expect(page.locator("form[action*='again'] button[type=submit]")).to_have_text("Suunnittele uudelleen")
    plan_again_and_wait(page, planner, shot, "2-plan-again")
    expect(page.locator("#board a.block").first).to_be_visible()
    assert page.errors == []


# 3. publish -------------------------------------------------------------------------------------------------

def test_3_lead_publishes_the_drafts(planner, new_page, shot):
    drafts = [t for t in planner.active_trips() if t["state"] == "draft"]
    need(drafts, f"draft trips in {WEEK} (journey 1 or 2)")
    page = new_page()
    sign_in(page, LEAD)
    page.goto(f"/plan?week={WEEK}")
    expect(page.locator("#board a.block.draft").first).to_be_visible()
    publish = page.locator("#publish-open")
    expect(publish).to_have_text("Julkaise luonnokset…")
    publish.click()   # it asks first, saying what will happen
    dialog = page.locator("dialog#publish-dialog")
    people = {s for t in drafts for s in planner.rows("select staff from trip_staff where trip = ?", [t["id"]])
              for s in [s["staff"]]}
    expected = (f"Julkaise {len(drafts)} matka" if len(drafts) == 1 else f"Julkaise {len(drafts)} matkaa") + \
        f" {len(people)} henkilölle."
    expect(dialog).to_contain_text(expected)
    with page.expect_navigation():
        dialog.locator("button[type=submit]").click()
    shot(page, "3-published")
    expect(page.get_by_role("heading", name="Viikkosuunnitelma")).to_be_visible()
    # a real plural, not "matka(a)"
    expected = f"{len(drafts)} matka julkaistu." if len(drafts) == 1 else f"{len(drafts)} matkaa julkaistu."
    expect(page.locator(".flash.success")).to_have_text(expected)
    expect(page.locator("#board a.block.draft")).to_have_count(0)
    expect(page.locator("#board a.block.published").first).to_be_visible()
    expect(page.get_by_role("button", name="Julkaise luonnokset")).to_be_disabled()   # nothing left to publish
    states = {t["id"]: t["state"] for t in planner.active_trips()}
    assert all(states.get(t["id"]) == "published" for t in drafts), states
    visits = {m["visit"] for m in planner.active_meetings()}
    assert planner.value(f"select count(*) from visits where status != 'planned' and id in "
                         f"({','.join('?' * len(visits))})", list(visits)) == 0
    assert page_problems(page) == [] and page.errors == []


# 4. move and pin --------------------------------------------------------------------------------------------

def test_4_lead_moves_a_meeting_and_pins_another(planner, new_page, shot):
    """The lead looks up who else could go on another day (the request's proposals), moves the meeting there with
    the week plan's move form, and pins another meeting; the week plan shows the new draft trip and the pins."""
    meetings = planner.active_meetings()
    movable = [m for m in meetings if m["staff_needed"] == 1 and not m["pinned"] and m["earliest"] < m["latest"]]
    need(movable, f"an unpinned one-person meeting with a window of several days in {WEEK}")
    page = new_page()
    sign_in(page, LEAD)
    chosen = None
    for meeting in movable:
        was_staff, was_day = json.loads(meeting["staff"])[0], meeting["start"][:10]
        # the request page's proposals: who could go, and when
        page.goto(f"/visits/{meeting['visit']}")
        with page.expect_navigation():
            page.locator("button[name=action][value=propose]").click()
        keys = [b.get_attribute("value") for b in page.locator("li.option button.assign").all()]
        for key in keys:
            start, people = key.removeprefix("assign:").split("|")
            if start[:10] != was_day and people != was_staff and start[:10] <= meeting["latest"]:
                chosen = meeting, people, start[:10]
                break
        if chosen:
            break
    need(chosen, "a meeting whose request proposes another person on another day")
    meeting, person, day = chosen
    was_staff = json.loads(meeting["staff"])[0]

    page.goto(f"/plan?week={WEEK}")
    item = meeting_item(page, planner, meeting["id"])
    # the board offers that person and day among the meeting's eligible moves, with the change in travel and cost
    option = item.locator(f"form[action$='/plan/meetings/{meeting['id']}/move']").filter(
        has=page.locator(f"input[name=day][value='{day}']")).filter(
        has=page.locator(f"input[name=staff][value='{person}']"))
    expect(option).to_have_count(1)
    if not option.is_visible():
        item.locator("details.more summary").click()
    expect(option.locator(".delta")).to_contain_text(re.compile(r"[+−±]"))
    option.locator("button[type=submit]").click()
    expect(page.locator(".flash.success")).to_have_text("Siirretty. Uusi matka on luonnos, kunnes se julkaistaan.")
    shot(page, "4-moved")
    now = [m for m in planner.active_meetings() if m["visit"] == meeting["visit"]]
    assert len(now) == 1 and now[0]["id"] != meeting["id"], now
    moved = now[0]
    assert json.loads(moved["staff"]) == [person] and moved["start"][:10] == day and moved["pinned"] == 1, moved
    assert planner.value("select state from meetings where id = ?", [meeting["id"]]) == "replaced"
    # on the board: the new person's draft trip with the meeting, on that day, pinned (a lead's choice is kept)
    new_trip = planner.value("""select t.id from meeting_trips mt join trips t on t.id = mt.trip
                                where mt.meeting = ? and t.state != 'superseded'""", [moved["id"]])
    block = page.locator(f"#board tr[data-staff='{person}'] a.block[data-trip='{new_trip}']")
    expect(block).to_have_class(re.compile(r"\bdraft\b"))
    expect(block).to_contain_text(meeting["place_name"])
    item = page.locator(f"#detail section.meeting[aria-labelledby='m-{moved['id']}']")
    expect(item.locator("h3")).to_contain_text(meeting["place_name"])
    expect(item.locator("h3")).to_contain_text(fi_day(day))
    expect(item.locator("span.tag.pinned")).to_have_text("kiinnitetty")
    # the person it was taken from no longer has it
    old_trip = planner.value("select trip from meeting_trips where meeting = ?", [meeting["id"]])
    expect(page.locator(f"#board tr[data-staff='{was_staff}'] a.block[data-trip='{old_trip}']")
           .filter(has_text=meeting["place_name"])).to_have_count(0)

    # pin another meeting
    others = [m for m in planner.active_meetings() if not m["pinned"] and m["visit"] != meeting["visit"]]
    need(others, "another unpinned meeting")
    other = others[0]
    item = meeting_item(page, planner, other["id"])
    expect(item.locator("span.tag.pinned")).to_have_count(0)
    pin = item.locator(f"form[action$='/meetings/{other['id']}/pin'] button[type=submit]")
    expect(pin).to_have_text("Kiinnitä")
    pin.click()
    expect(page.locator(".flash.success")).to_have_text("Kiinnitetty: uusi suunnittelu säilyttää tämän tapaamisen.")
    shot(page, "4-pinned")
    expect(item.locator("span.tag.pinned")).to_have_text("kiinnitetty")
    expect(item.locator(f"form[action$='/meetings/{other['id']}/pin'] button[type=submit]")) \
        .to_have_text("Poista kiinnitys")
    assert planner.value("select pinned from meetings where id = ?", [other["id"]]) == 1
    assert page_problems(page) == [] and page.errors == []


# 5. a staff member can't make a trip ------------------------------------------------------------------------

def _published_trip_to_decline(planner: Instance) -> tuple[str, dict] | None:
    """A staff member with a published trip next week whose meetings are not pinned (so planning again may
    change them), the lead's own team lead excepted."""
    for trip in planner.active_trips():
        if trip["state"] != "published":
            continue
        meetings = planner.rows("""select m.* from meeting_trips mt join meetings m on m.id = mt.meeting
                                   where mt.trip = ? and m.state = 'active'""", [trip["id"]])
        if not meetings or any(m["pinned"] for m in meetings):
            continue
        staff = [r["staff"] for r in planner.rows("select staff from trip_staff where trip = ? order by staff",
                                                  [trip["id"]])]
        return staff[0], trip
    return None


def test_5_staff_member_cant_make_a_published_trip(planner, new_page, shot):
    found = _published_trip_to_decline(planner)
    need(found, f"a published trip with unpinned meetings in {WEEK} (journey 3)")
    staff_id, trip = found
    name = planner.value("select name from staff where id = ?", [staff_id])
    planner.create_user(STAFF, "staff", staff_id)   # the command line, as an admin adds a person

    page = new_page()
    sign_in(page, STAFF)
    expect(page.get_by_role("heading", name="Oma aikataulu")).to_be_visible()
    for _ in range(3):   # the trip is next week: go there with the week navigation
        if f"week={WEEK}" in page.url:
            break
        with page.expect_navigation():
            page.locator("nav.weeknav a[rel=next]").click()
    assert f"week={WEEK}" in page.url, page.url
    card = page.locator("li.trip-card").filter(has=page.locator(f"form[action$='/schedule/trips/{trip['id']}/decline']"))
    expect(card).to_be_visible()
    places = [m["place_name"] for m in planner.rows(
        """select v.place_name from meeting_trips mt join meetings m on m.id = mt.meeting join visits v on v.id = m.visit
           where mt.trip = ? and m.state = 'active'""", [trip["id"]])]
    for place in places:
        expect(card.locator("h2")).to_contain_text(place)
    card.locator("details.decline > summary").click()
    expect(card.locator("details.decline > summary")).to_have_text("En pääse tälle matkalle")
    reason = "Olen koko viikon koulutuksessa Tampereella."
    card.get_by_label("Miksi (tiiminvetäjä näkee tämän)").fill(reason)
    with page.expect_navigation():
        card.locator("form button[type=submit]").click()
    shot(page, "5-declined")
    expect(page.locator(".flash.success")).to_have_text(
        "Lähetetty. Tiiminvetäjä näkee sen ristiriitana ja suunnittelee uudelleen.")
    assert f"week={WEEK}" in page.url, f"after sending, the schedule left the week: {page.url}"
    card = page.locator("li.trip-card").filter(has_text=places[0])
    expect(card.locator("p.tag.bad")).to_have_text("Ilmoitit tiiminvetäjälle, ettet pääse tälle matkalle.")
    decline = planner.row("select * from trip_declines where trip = ? and staff = ? and resolved_at is null",
                          [trip["id"], staff_id])
    assert decline and decline["reason"] == reason, decline
    assert page_problems(page) == [] and page.errors == []

    lead = new_page()
    sign_in(lead, LEAD)
    lead.goto(f"/plan?week={WEEK}")
    conflicts = lead.locator("section:has(#conflicts-title)")
    expect(conflicts.locator("h2")).to_contain_text("Ristiriidat")
    line = conflicts.locator("li").filter(has_text=name)
    expect(line).to_contain_text("ei pääse")
    expect(line).to_contain_text(f"{name} ei pääse matkalle: {reason}")
    shot(lead, "5-lead-sees-the-conflict")
    assert page_problems(lead) == [] and lead.errors == []


# 6. plan again after the decline ----------------------------------------------------------------------------

def test_6_lead_plans_again_after_the_decline(planner, new_page, shot):
    """Fails on the code of 2026-12-03 like journey 2 (the job fails with the ProgrammingError)."""
    declined = planner.rows("select * from trip_declines where resolved_at is null")
    need(declined, "an unanswered \"I can't make this trip\" (journey 5)")
    decline = declined[0]
    visits = [r["visit"] for r in planner.rows(
        "select m.visit from meeting_trips mt join meetings m on m.id = mt.meeting where mt.trip = ? "
        "and m.state = 'active'", [decline["trip"]])]
    page = new_page()
    sign_in(page, LEAD)
    page.goto(f"/plan?week={WEEK}")
    expect(page.locator("#conflicts-title")).to_be_visible()
    job = plan_again_and_wait(page, planner, shot, "6-plan-again-after-decline")
    expect(page.locator("#conflicts-title")).to_have_count(0)
    trip = planner.row("select * from trips where id = ?", [decline["trip"]])
    assert trip["state"] == "superseded", trip
    holding = planner.rows("""select m.id, m.visit from meeting_trips mt join meetings m on m.id = mt.meeting
                              where mt.trip = ? and m.state = 'active'""", [decline["trip"]])
    assert holding == [], f"the declined trip still holds {holding}"
    assert planner.value("select count(*) from trip_declines where resolved_at is null") == 0
    # every visit of that trip was planned again: in the new run, or listed as unassigned with its reason
    result = json.loads(planner.value("select result from plan_runs where id = ?", [job["plan_run"]]))
    considered = {a["visit"] for a in result["assignments"]} | {u["visit"] for u in result["unassigned"]}
    assert set(visits) <= considered, (visits, considered)
    assert page.errors == []


def test_6b_plan_again_does_not_send_back_the_person_who_declined(planner, new_page, shot):
    """What the person who said "I can't make this trip" would notice: the new plan does not send them to the same
    visits on the days of the trip they declined. (The lead sees it on the week plan before publishing.)"""
    decline = planner.row("select * from trip_declines where resolved_at is not null order by id desc limit 1")
    need(decline, "an answered \"I can't make this trip\" (journey 6)")
    job = planner.row("select * from plan_jobs order by id desc limit 1")
    need(job and job["state"] == "done", f"plan again after the decline finished (journey 6); the job: {job}")
    trip = planner.row("select * from trips where id = ?", [decline["trip"]])
    days = {d.isoformat() for d in (date.fromordinal(n) for n in range(
        date.fromisoformat(trip["depart"][:10]).toordinal(), date.fromisoformat(trip["return"][:10]).toordinal() + 1))}
    declined_visits = {r["visit"] for r in planner.rows(
        "select m.visit from meeting_trips mt join meetings m on m.id = mt.meeting where mt.trip = ?", [trip["id"]])}
    again = [m for m in planner.active_meetings() if m["visit"] in declined_visits
             and decline["staff"] in json.loads(m["staff"]) and m["start"][:10] in days]
    page = new_page()
    sign_in(page, LEAD)
    page.goto(f"/plan?week={WEEK}")
    shot(page, "6b-after-decline")
    row = page.locator(f"#board tr[data-staff='{decline['staff']}']")
    for m in again:   # what the lead sees: the same person, the same place, the same days
        expect(row.locator("a.block").filter(has_text=m["place_name"]).first).to_be_visible()
    assert again == [], (f"{decline['staff']} said they can't make trip {trip['id']} ({trip['depart']} – "
                         f"{trip['return']}: {decline['reason']!r}), and the new plan sends them again to "
                         + ", ".join(f"{m['visit']} ({m['place_name']}) {m['start']}" for m in again))


def test_6c_what_changed_agrees_with_the_week_plan(planner, new_page, shot):
    """After plan again, "what changed in the newest plan run" must not tell the lead that a visit is no longer
    planned while the week plan still has it (a published trip the new run left alone)."""
    job = planner.row("select * from plan_jobs order by id desc limit 1")
    need(job and job["state"] == "done", f"plan again after the decline finished (journey 6); the job: {job}")
    page = new_page()
    sign_in(page, LEAD)
    page.goto(f"/plan?week={WEEK}")
    page.locator("details.changes summary").click()   # folded by default
    changes = page.locator("details.changes li")
    still_planned = {m["place_name"]: m for m in planner.active_meetings()}
    wrong = []
    for line in changes.all():
        text = " ".join(line.inner_text().split())
        place = text.split(":", 1)[0]
        if text.endswith("→ ei suunniteltu") and place in still_planned:
            m = still_planned[place]
            wrong.append(f"{text!r} while {m['visit']} ({place}) is planned {m['start']} with "
                         f"{', '.join(json.loads(m['staff']))}")
    if wrong:
        shot(page, "6c-what-changed")
    assert wrong == [], "the week plan says planned visits are not planned:\n" + "\n".join(wrong)

# 7. a new visit request, assigned with one click ------------------------------------------------------------

def test_7_lead_files_a_visit_request_and_assigns_a_proposal(planner, new_page, shot):
    page = new_page()
    sign_in(page, LEAD)
    page.locator("header nav a[href$='/visits/new']").click()
    expect(page.get_by_role("heading", name="Uusi käyntipyyntö")).to_be_visible()
    page.get_by_label("Asiatunnus").fill("IK-2026-0901")
    place = page.get_by_label("Paikka")
    place.press_sequentially("Kajaa", delay=40)
    expect(page.locator("#place-options option").first).to_have_attribute("value", "Kajaani")
    place.fill("Kajaani")
    page.get_by_label("Aikaisintaan").fill(MONDAY.isoformat())
    page.get_by_label("Viimeistään").fill(date.fromordinal(MONDAY.toordinal() + 4).isoformat())
    page.get_by_label("Kesto (minuuttia)").fill("90")
    page.locator("input[name=skills][value=counselling]").check()
    page.get_by_label("Kielet").fill("en")
    assign = page.locator("#proposals li.option button.assign").first
    expect(assign).to_be_visible()
    expect(assign).to_have_text("Valitse vaihtoehto 1")
    key = assign.get_attribute("value").removeprefix("assign:")
    start, people = key.split("|")
    option_text = page.locator("#proposals li.option").first.inner_text()
    shot(page, "7-proposals")
    with page.expect_navigation():
        assign.click()
    shot(page, "7-assigned")
    expect(page.get_by_role("heading", name="Viikkosuunnitelma")).to_be_visible()
    assert f"week={WEEK}" in page.url, page.url
    expect(page.locator(".flash.success")).to_have_text(
        "Osoitettu luonnoksena. Julkaise viikon suunnitelma, jotta henkilöt näkevät sen.")
    visit = planner.row("select * from visits where case_code = ?", ["IK-2026-0901"])
    assert visit and visit["place_name"] == "Kajaani" and visit["duration_min"] == 90, visit
    assert json.loads(visit["skills"]) == ["counselling"] and json.loads(visit["languages"]) == ["en"], visit
    meeting = next((m for m in planner.active_meetings() if m["visit"] == visit["id"]), None)
    assert meeting and meeting["start"] == start and json.loads(meeting["staff"]) == sorted(people.split(","))
    trips = planner.rows("select t.* from meeting_trips mt join trips t on t.id = mt.trip where mt.meeting = ?",
                         [meeting["id"]])
    assert trips and all(t["state"] == "draft" for t in trips), trips
    # on the week plan: the person's draft trip to Kajaani on the day the option said
    first = sorted(people.split(","))[0]
    block = page.locator(f"#board tr[data-staff='{first}'] a.block").filter(has_text="Kajaani")
    expect(block).to_have_class(re.compile(r"\bdraft\b"))
    item = meeting_item(page, planner, meeting["id"])
    expect(item.locator("h3")).to_contain_text("Kajaani")
    expect(item.locator("h3")).to_contain_text(fi_day(start))
    assert fi_day(start) in option_text, (fi_day(start), option_text)
    assert page_problems(page) == [] and page.errors == []


# 8. an administrator's setting in the next proposal ---------------------------------------------------------

def _proposal_costs(page) -> dict[str, float]:
    """Each option's cost as the proposals show it, by the option's key (its start and people)."""
    costs = {}
    for option in page.locator("#proposals li.option").all():
        key = option.locator("button.assign").get_attribute("value")
        figure = option.locator("p").filter(has_text="kustannus").first.inner_text()
        costs[key] = euros(figure.split("kustannus", 1)[1])
    return costs


def _fill_lahti_request(page) -> None:
    page.goto("/visits/new")
    page.get_by_label("Paikka").fill("Lahti")
    page.get_by_label("Aikaisintaan").fill(MONDAY.isoformat())
    page.get_by_label("Viimeistään").fill(date.fromordinal(MONDAY.toordinal() + 4).isoformat())
    page.get_by_label("Kesto (minuuttia)").fill("60")
    with page.expect_navigation():
        page.locator("button[name=action][value=propose]").click()   # "Näytä ehdotukset"
    expect(page.locator("#proposals li.option").first).to_be_visible()


def test_8_admin_changes_the_mileage_rate_and_the_next_proposal_uses_it(planner, new_page, shot):
    lead = new_page()
    sign_in(lead, LEAD)
    _fill_lahti_request(lead)
    before = _proposal_costs(lead)
    shot(lead, "8-proposal-before")

    admin = new_page()
    sign_in(admin, ADMIN)
    admin.locator("header nav a[href$='/admin/settings']").click()
    expect(admin.get_by_role("heading", name="Asetukset")).to_be_visible()
    rate = admin.locator("input[name=mileage_eur_per_km]")
    expect(rate).to_have_value("0,55")     # shown as the hint writes it, with a decimal comma
    rate.fill("1,10")   # a Finnish decimal comma, as a person types it
    with admin.expect_navigation():
        admin.locator("form button.primary[type=submit]").first.click()
    shot(admin, "8-settings-saved")
    expect(admin.locator(".flash.success")).to_have_text("Asetukset tallennettu.")
    expect(admin.locator("input[name=mileage_eur_per_km]")).to_have_value("1,1")
    stored = planner.row("select * from settings_overrides where key = 'mileage_eur_per_km'")
    assert stored and json.loads(stored["value"]) == 1.1, stored
    assert page_problems(admin) == [] and admin.errors == []

    _fill_lahti_request(lead)   # the same request, proposed again
    after = _proposal_costs(lead)
    shot(lead, "8-proposal-after")
    same = sorted(set(before) & set(after))
    assert same, f"no option proposed both times: {before} / {after}"
    # Lahti is a drive from every office: every option costs more at twice the mileage rate
    assert all(after[k] > before[k] for k in same), {k: (before[k], after[k]) for k in same}
    assert page_problems(lead) == [] and lead.errors == []

    # the administrator puts it back
    with admin.expect_navigation():
        admin.locator("button[name=reset][value=mileage_eur_per_km]").click()
    expect(admin.locator("input[name=mileage_eur_per_km]")).to_have_value("0,55")
    assert planner.row("select * from settings_overrides where key = 'mileage_eur_per_km'") is None

