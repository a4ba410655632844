"""Privacy in the browser: views of visits and plans are audited, administrators read the audit log at
/admin/audit, free-text fields warn and their text stays out of feeds, logs and the audit log, and a case code
field refuses a name."""
from __future__ import annotations

import json
import logging
import re
from datetime import timedelta

import pytest

from planner.core.local_time import helsinki_today
from planner.store.db import audit
from web_support import MONDAY, USERS, WEEK, file_and_assign, visit_form

CASE = "IK-2026-0999"   # visit_form's case code
REASON = "Client Maija Virtanen asked me not to come"


def table(html: str) -> list[tuple[str, str, str, str]]:
    """The audit rows a page shows: (time, who, action, record id as text)."""
    body = html[html.index("<tbody>"):html.index("</tbody>")] if "<tbody>" in html else ""
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        at = re.search(r'datetime="([^"]+)"', cells[0])[1]
        record = ",".join(re.findall(r'(?:<a [^>]*>|<span class="record-id">)([^<]*)<', cells[3]))
        out.append((at, cells[1].strip(), cells[2].strip(), record))
    return out


def user_id(db, who: str) -> int:
    return next(db.query("select id from users where email = ?", [USERS[who][0]]))["id"]


def views(db, entity: str | None = None) -> list[dict]:
    sql = "select * from audit_log where action = 'view'" + (" and entity = ?" if entity else "") + " order by id"
    return list(db.query(sql, [entity] if entity else []))


@pytest.fixture
def every_view(web_app):
    """Write every view (no one-minute folding of repeats), as the tests count rows."""
    web_app.config["AUDIT_VIEW_REPEAT_SECONDS"] = 0
    return web_app


# Views are audited ---------------------------------------------------------------------------------------------

def test_opening_a_visit_and_its_proposals_is_audited(every_view, browser, web_db):
    b = browser("lead")
    assert b.get("/visits/demo-03").status_code == 200
    page = b.get("/visits/demo-03").get_data(as_text=True)
    form = visit_form(visit_id="demo-03", case_code="IK-2026-0103", place="Rovaniemi")
    assert b.post("/visits/proposals", form).status_code == 200
    b.post("/visits/proposals", visit_form())   # a request not saved yet: no record to audit
    rows = views(web_db, "visit")
    assert [(r["actor"], r["entity_id"]) for r in rows] == [(f"user:{user_id(web_db, 'lead')}", "demo-03")] * 3
    assert [json.loads(r["detail"]) for r in rows] == [{}, {}, {"what": "proposals"}]
    visit = next(web_db.query("select case_code, place_name from visits where id = 'demo-03'"))
    assert visit["place_name"] in page
    for r in rows:
        assert visit["case_code"] not in r["detail"] and visit["place_name"] not in r["detail"]


def test_week_plan_views_are_audited_per_request_even_from_the_cache(every_view, browser, web_db):
    b = browser("lead")
    first = b.get(f"/plan?week={WEEK}").get_data(as_text=True)
    second = b.get(f"/plan?week={WEEK}").get_data(as_text=True)
    # the second one came from the page cache: the same page, but for the CSRF token filled in per request (its
    # timestamp differs when the two requests fall in different seconds)
    token = re.compile(r'name="csrf[-_]token"[^>]*?(?:content|value)="[^"]*"')
    assert token.search(first) and token.sub("", first) == token.sub("", second)
    rows = views(web_db, "plan")
    assert [r["entity_id"] for r in rows] == [WEEK, WEEK]



def test_the_overview_and_the_map_are_audited_as_views_of_their_weeks(every_view, browser, web_db):
    from planner.core.weeks import week_of
    b = browser("lead")
    assert b.get("/overview").status_code == 200 and b.get(f"/map?week={WEEK}").status_code == 200
    rows = [(r["entity_id"], json.loads(r["detail"])) for r in views(web_db, "plan")]
    this, following = week_of(helsinki_today()), week_of(helsinki_today() + timedelta(7))
    assert rows == [(this, {"what": "overview"}), (following, {"what": "overview"}), (WEEK, {"what": "map"})]
    # the log's details in words: "mitä: kartta", not the keys the log stores
    page = browser("admin").get("/admin/audit").get_data(as_text=True)
    assert "<dt>mitä</dt><dd>kartta</dd>" in page and "<dt>mitä</dt><dd>yleiskatsaus</dd>" in page
    assert "<dt>what</dt>" not in page

def test_a_repeated_view_is_written_once_a_minute(web_app, browser, web_db):
    b = browser("lead")
    for _ in range(3):
        b.get(f"/plan?week={WEEK}")
        b.get("/visits/demo-03")
    assert [r["entity"] for r in views(web_db)] == ["plan", "visit"]


def test_plan_job_progress_is_audited(every_view, browser, web_db):
    job = web_db["plan_jobs"].insert({"week": WEEK, "started_by": "user:1", "started_at": "2026-11-29T10:00:00",
                                      "state": "running", "progress": ""}).last_pk
    b = browser("lead")
    assert b.get(f"/plan/jobs/{job}").get_json()["state"] == "running"
    [row] = views(web_db, "plan")
    assert row["entity_id"] == WEEK and json.loads(row["detail"]) == {"job": job}


def test_staff_and_admins_cannot_view_and_leave_no_view_rows(every_view, browser, web_db):
    assert browser("oulu").get("/visits/demo-03").status_code == 403
    assert browser("admin").get(f"/plan?week={WEEK}").status_code == 403
    assert views(web_db, "visit") == views(web_db, "plan") == []


# The audit log viewer ------------------------------------------------------------------------------------------

def test_only_admins_see_the_audit_log_and_its_menu_link(browser):
    assert browser("admin").get("/admin/users").get_data(as_text=True).count('href="/admin/audit"') == 1
    for who in ("lead", "oulu"):
        b = browser(who)
        assert b.get("/admin/audit").status_code == 403
        assert 'href="/admin/audit"' not in b.get("/").get_data(as_text=True) + b.get(
            "/schedule").get_data(as_text=True)
    anonymous = browser().get("/admin/audit")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.location


def test_the_audit_log_shows_who_did_what_newest_first(every_view, browser, web_db):
    lead = browser("lead")
    lead.get("/visits/demo-03")
    lead.get(f"/plan?week={WEEK}")
    b = browser("admin")
    page = b.get("/admin/audit").get_data(as_text=True)
    # Newest first: the admin's sign-in, the lead's plan view, visit view and sign-in; users shown by email.
    lead_label = f"lead@test.invalid (user:{user_id(web_db, 'lead')})"
    shown = [(who, record) for _at, who, _action, record in table(page)]
    admin = user_id(web_db, "admin")
    assert shown[:4] == [(f"admin@test.invalid (user:{admin})", str(admin)), (lead_label, WEEK),
                         (lead_label, "demo-03"), (lead_label, str(user_id(web_db, "lead")))]
    assert "Tapahtumaloki" in page                              # Finnish by default
    assert CASE not in page and "IK-2026-0103" not in page
    b.post("/language", {"lang": "sv", "next": "/admin/audit"})
    assert "Händelselogg" in b.get("/admin/audit").get_data(as_text=True)
    b.post("/language", {"lang": "en", "next": "/admin/audit"})
    english = b.get("/admin/audit").get_data(as_text=True)
    assert "Audit log" in english and "viewed" in english and "week plan" in english


def test_audit_filters(every_view, browser, web_db):
    lead_actor = f"user:{user_id(web_db, 'lead')}"
    lead = browser("lead")
    lead.get("/visits/demo-03")
    lead.get("/visits/demo-05")
    audit(web_db, "user:999", "view", "visit", "demo-03")
    web_db["audit_log"].insert({"at": "2020-01-15T10:00:00", "actor": lead_actor, "action": "view",
                                "entity": "visit", "entity_id": "demo-03", "detail": "{}"})
    b = browser("admin")

    def shown(**args) -> list[tuple[str, str]]:
        html = b.get("/admin/audit", query_string=args).get_data(as_text=True)
        body = html[html.index("<tbody>"):html.index("</tbody>")] if "<tbody>" in html else ""
        return re.findall(r"<tr>\s*<td><time datetime=\"([^\"]+)\">.*?</td>\s*<td>([^<]*)</td>", body, re.S)

    by_lead = shown(actor=lead_actor, action="view", entity="visit")
    assert len(by_lead) == 3 and all(who.startswith("lead@test.invalid") for _, who in by_lead)
    assert len(shown(actor=lead_actor, entity="visit", entity_id="demo-03")) == 2
    assert len(shown(entity="visit", entity_id="demo-03")) == 3
    assert [at for at, _ in shown(entity_id="demo-03", start="2020-01-01", end="2020-01-31")] == ["2020-01-15T10:00:00"]
    assert len(shown(entity_id="demo-03", start=helsinki_today().isoformat())) == 2
    bad = b.get("/admin/audit", query_string={"start": "15.1.2020"})
    assert bad.status_code == 422 and "15.1.2020" in bad.get_data(as_text=True)
    assert "<tbody>" not in bad.get_data(as_text=True)
    backwards = b.get("/admin/audit", query_string={"start": "2020-02-01", "end": "2020-01-01"})
    assert backwards.status_code == 422


def test_everything_about_one_visit(every_view, browser, web_db):
    lead = browser("lead")
    visit_id, _key = file_and_assign(lead)
    lead.get(f"/visits/{visit_id}")
    meeting = next(web_db.query("select id, version from meetings where visit = ?", [visit_id]))
    audit(web_db, "user:1", "unpin", "meeting", str(meeting["id"]))   # as actions.set_pinned records it
    audit(web_db, "user:1", "reopen", "week", WEEK, {"visits": [visit_id, "demo-01"]})
    audit(web_db, "user:1", "view", "visit", "demo-01")
    b = browser("admin")
    b.post("/language", {"lang": "en", "next": "/admin/audit"})
    page = b.get("/admin/audit", query_string={"entity": "visit", "entity_id": visit_id}).get_data(as_text=True)
    assert f'href="/admin/audit?visit={visit_id}"' in page
    about = b.get(f"/admin/audit?visit={visit_id}").get_data(as_text=True)
    body = about[about.index("<tbody>"):]
    actions = re.findall(r"</time></td>\s*<td>[^<]*</td>\s*<td>([^<]+)</td>", body)
    assert set(actions) == {"visit added", "assigned", "unpinned", "re-opened for planning", "viewed"}
    assert "demo-01</a>" not in body                       # another visit's own rows stay out


def test_the_audit_log_is_paged(every_view, browser, web_db):
    web_db["audit_log"].insert_all([{"at": f"2026-01-01T10:{n // 60:02d}:{n % 60:02d}", "actor": "cli",
                                     "action": "propose", "entity": "visit", "entity_id": f"v-{n:03d}",
                                     "detail": "{}"} for n in range(230)])
    b = browser("admin")
    first = b.get("/admin/audit?action=propose").get_data(as_text=True)
    assert "v-229" in first and "v-130" in first and "v-129" not in first
    assert len(table(first)) == 100 and 'href="/admin/audit?page=2&amp;action=propose" rel="next"' in first
    third = b.get("/admin/audit?action=propose&page=3").get_data(as_text=True)
    assert [r[3] for r in table(third)] == [f"v-{n:03d}" for n in range(29, -1, -1)]
    assert b.get("/admin/audit?page=x").status_code == 404


def test_the_audit_log_is_read_only(browser, web_db):
    b = browser("admin")
    before = web_db["audit_log"].count
    assert b.post("/admin/audit", {"actor": "x"}).status_code == 405
    assert web_db["audit_log"].count == before


# Free text: a warning, and the text stays out of feeds, logs and the audit log ---------------------------------

def _published_trip(db, staff: str = "oulu-sc") -> dict:
    from planner.planning import actions
    from planner.store import plan_queries
    trips = [t for t in plan_queries.trips_of_week(db, WEEK) if staff in t["staff"]]
    if not trips:
        return {}
    actions.publish(db, WEEK, "user:1", [trips[0]["id"]])
    return trips[0]


@pytest.fixture
def declined(browser, web_db, caplog):
    """oulu-sc has a published trip and answers "I can't make this trip" with a reason naming a client."""
    lead = browser("lead")
    file_and_assign(lead, preferred_staff="oulu-sc", place="Kemi", kind="partner", case_code="")
    trip = _published_trip(web_db)
    assert trip, "no trip for oulu-sc"
    b = browser("oulu")
    page = b.get(f"/schedule?week={WEEK}").get_data(as_text=True)
    caplog.set_level(logging.DEBUG)
    version = next(web_db.query("select version from trips where id = ?", [trip["id"]]))["version"]
    response = b.post(f"/schedule/trips/{trip['id']}/decline", {"reason": REASON, "week": WEEK,
                                                                  "version": str(version)})
    assert response.status_code == 302
    return {"browser": b, "page": page, "trip": trip}


def test_the_decline_form_warns_about_client_details(declined):
    page = declined["page"]
    field = re.search(r'<textarea id="(reason-\d+)"[^>]*aria-describedby="([^"]+)"', page)
    assert field, "the reason field is not described by the warning"
    warning = re.search(rf'id="{field[2]}">([^<]+)<', page)[1]
    assert warning == "Älä koskaan kirjoita tähän asiakkaiden nimiä tai muita asiakkaan tietoja."


def test_a_decline_reason_stays_out_of_the_feed_logs_and_audit(declined, web_db, caplog, browser):
    assert next(web_db.query("select reason from trip_declines"))["reason"] == REASON   # stored for the lead
    assert "Maija" not in json.dumps(list(web_db.query("select * from audit_log")))
    assert all("Maija" not in r.getMessage() + repr(vars(r)) for r in caplog.records)   # message and fields
    b = declined["browser"]
    b.post("/schedule/calendar")
    html = b.post("/schedule/calendar").get_data(as_text=True)
    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", html)[1]
    feed = b.get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert "BEGIN:VEVENT" in feed and "Maija" not in feed and "Kemi" in feed
    # The lead sees it as a conflict: that is what it is for.
    assert "Maija" in browser("lead").get(f"/plan?week={WEEK}").get_data(as_text=True)


def test_an_absence_note_stays_out_of_the_feed_and_the_lead_s_pages(browser, web_db):
    from planner import store
    from planner.core.records import Absence
    note = "Hospital visit with client IK-2026-0555"
    store.add_absence(web_db, Absence("oulu-sc", MONDAY + timedelta(14), MONDAY + timedelta(15), "other"), note=note)
    b = browser("oulu")
    html = b.post("/schedule/calendar").get_data(as_text=True)
    token = re.search(r"/calendar/([A-Za-z0-9_-]+)\.ics", html)[1]
    assert note not in b.get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert note not in b.get("/availability").get_data(as_text=True)
    month = (MONDAY + timedelta(14)).strftime("%Y-%m")
    assert note not in browser("lead").get(f"/availability/team?month={month}").get_data(as_text=True)


# A case code, never a name -------------------------------------------------------------------------------------

@pytest.mark.parametrize("case_code", ["Maija Virtanen", "Virtanen", "M. Virtanen 1990"])
def test_the_visit_form_refuses_a_name_as_case_code(browser, web_db, case_code):
    b = browser("lead")
    page = b.get("/visits/new").get_data(as_text=True)
    visit_id = re.search(r'name="visit_id" value="([^"]+)"', page)[1]
    before = web_db["visits"].count
    response = b.post("/visits/new", visit_form(visit_id=visit_id, case_code=case_code, action="save"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Asiatunnus on viite, kuten IK-2026-014" in html and 'id="case_code-error"' in html
    assert web_db["visits"].count == before


def test_every_audited_action_has_a_label_in_the_viewer():
    """An action the code writes to the audit log without a label would show raw in the admins' viewer."""
    import re
    from pathlib import Path
    from planner.web.views.audit import ACTIONS
    root = Path(__file__).resolve().parent.parent / "planner"
    written = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'\baudit\(\s*[^,()]+(?:\([^()]*\))?,\s*[^,()]+,\s*"([a-z-]+)"', text))
        written |= set(re.findall(r'\baction(?:: str)?\s*=\s*"([a-z-]+)"', text))
    assert {"view", "publish", "purge", "set-password", "totp-disabled"} <= written  # the scan finds them
    assert sorted(written - set(ACTIONS)) == []
