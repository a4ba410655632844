"""The week plan: drafts and publishing, accept, pin, move, conflicts and planning again in the background."""
from __future__ import annotations

import json
import re
import time
from datetime import timedelta

from planner.planning.conflicts import conflicts
from web_support import MONDAY, WEEK, file_and_assign


def _wait(b, job_url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        job = b.get(job_url).json
        if job["state"] != "running":
            return job
        time.sleep(0.3)
    raise AssertionError("the plan job did not finish")


def test_week_plan_shows_drafts_and_publishing_makes_them_visible(browser, web_db):
    lead, staff = browser("lead"), browser("oulu")
    file_and_assign(lead)
    page = lead.get(f"/plan?week={WEEK}").get_data(as_text=True)
    assert "Rovaniemi" in page and "luonnos" in page
    assert "Rovaniemi" not in staff.get(f"/schedule?week={WEEK}").get_data(as_text=True)
    assert lead.post("/plan/publish", {"week": WEEK}).status_code == 302
    assert "Rovaniemi" in staff.get(f"/schedule?week={WEEK}").get_data(as_text=True)
    assert {r["status"] for r in web_db.query("select status from visits where place_name = 'Rovaniemi' "
                                               "and id like 'v-%'")} == {"planned"}


def test_accept_one_trip_and_pin(browser, web_db):
    lead = browser("lead")
    visit_id, _ = file_and_assign(lead)
    meeting = next(web_db.query("select * from meetings where visit = ?", [visit_id]))
    trip = next(web_db.query("select trip from meeting_trips where meeting = ?", [meeting["id"]]))["trip"]
    assert lead.post(f"/plan/trips/{trip}/accept").status_code == 302
    assert web_db["trips"].get(trip)["state"] == "published"
    lead.post(f"/plan/meetings/{meeting['id']}/pin", {"pinned": "0"})
    assert web_db["meetings"].get(meeting["id"])["pinned"] == 0


def test_move_to_another_person_and_day(browser, web_db):
    lead = browser("lead")
    visit_id, _ = file_and_assign(lead, place="Tampere", case_code="")
    meeting = next(web_db.query("select * from meetings where visit = ? and state = 'active'", [visit_id]))
    day = (MONDAY + timedelta(3)).isoformat()
    response = lead.post(f"/plan/meetings/{meeting['id']}/move", {"day": day, "staff": "tre-si1"})
    assert response.status_code == 302
    moved = next(web_db.query("select * from meetings where visit = ? and state = 'active'", [visit_id]))
    assert moved["start"].startswith(day) and json.loads(moved["staff"]) == ["tre-si1"]
    assert web_db["meetings"].get(meeting["id"])["state"] == "replaced"
    refused = lead.post(f"/plan/meetings/{moved['id']}/move", {"day": "2000-01-03", "staff": "tre-si1"})
    assert refused.status_code == 422
    assert "ikkunan" in refused.get_data(as_text=True) or "window" in refused.get_data(as_text=True)


def test_absence_shows_as_conflict_and_plan_again_replans(browser, web_db):
    lead, staff = browser("lead"), browser("oulu")
    visit_id, key = file_and_assign(lead)
    assert key.endswith("|oulu-sc")
    lead.post("/plan/publish", {"week": WEEK})
    staff.post("/availability", {"start": MONDAY.isoformat(), "end": (MONDAY + timedelta(4)).isoformat(),
                                 "kind": "sick_leave"})
    overview = lead.get("/overview").get_data(as_text=True)
    assert "on poissa" in overview  # "... is absent (sick leave) during a planned trip"
    response = lead.post("/plan/again", {"week": WEEK})
    assert response.status_code == 302 and "job=" in response.location
    job_id = int(response.location.split("job=")[1])
    job = _wait(lead, f"/plan/jobs/{job_id}")
    assert job["state"] == "done", job
    assert not conflicts(web_db, MONDAY, MONDAY + timedelta(6))
    meeting = next(web_db.query("select m.* from meetings m join plan_runs r on r.id = m.plan_run where m.visit = ? "
                                "and m.state = 'active' and r.state != 'superseded'", [visit_id]), None)
    assert meeting is None or "oulu-sc" not in json.loads(meeting["staff"])
    page = lead.get(response.location).get_data(as_text=True)
    assert "Suunnittelu valmis" in page and "Mikä muuttui" in page


def _stand_in_job(web_db) -> tuple[int, "subprocess.Popen"]:
    """A running plan job whose process is a real one that would run on (as a long solve does)."""
    import subprocess
    import sys
    job_id = web_db["plan_jobs"].insert({"week": WEEK, "started_by": "user:1", "started_at": "2026-11-01T10:00:00",
                                         "state": "running", "progress": "solving"}).last_pk
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "planner.planning.plan_jobs", str(job_id)],
                            start_new_session=True)
    web_db.execute("update plan_jobs set pid = ? where id = ?", [proc.pid, job_id])
    return job_id, proc


def test_a_lead_stops_a_running_plan_job_and_nothing_is_stored(browser, web_db):
    from planner.planning import plan_jobs
    lead, staff = browser("lead"), browser("oulu")
    job_id, proc = _stand_in_job(web_db)
    try:
        runs = web_db["plan_runs"].count
        page = lead.get(f"/plan?week={WEEK}").get_data(as_text=True)
        assert f'action="/plan/jobs/{job_id}/cancel"' in page and "Pysäytä suunnittelu" in page
        assert staff.post(f"/plan/jobs/{job_id}/cancel").status_code == 403
        assert plan_jobs.job_status(web_db, job_id)["state"] == "running"
        response = lead.post(f"/plan/jobs/{job_id}/cancel")
        assert response.status_code == 302 and f"job={job_id}" in response.location
        job = lead.get(f"/plan/jobs/{job_id}").json
        assert job["state"] == "cancelled" and job["error"].startswith("cancelled by user:")
        assert proc.wait(timeout=10) is not None and not plan_jobs._job_alive(proc.pid, job_id)
        assert web_db["plan_runs"].count == runs
        assert [r["entity_id"] for r in web_db.query("select * from audit_log where action = "
                                                     "'plan-job-cancelled' and entity = 'plan_job'")] == [str(job_id)]
        page = lead.get(response.location).get_data(as_text=True)
        assert "Suunnittelu pysäytettiin" in page and "Pysäytä suunnittelu" not in page
        # a second stop, like one on a finished job, changes nothing
        lead.post(f"/plan/jobs/{job_id}/cancel")
        assert "Suunnittelu oli jo päättynyt" in lead.get(response.location).get_data(as_text=True)
        assert plan_jobs.job_status(web_db, job_id)["state"] == "cancelled"
        assert lead.post("/plan/jobs/999/cancel").status_code == 404
    finally:
        if proc.poll() is None:
            proc.kill()


def test_job_status_is_json_and_unknown_job_is_404(browser):
    lead = browser("lead")
    assert lead.get("/plan/jobs/999").status_code == 404


def test_bad_week_is_refused(browser):
    lead = browser("lead")
    assert lead.get("/plan?week=2026-W99").status_code == 404
    assert lead.post("/plan/publish", {"week": "nope"}).status_code == 400


def test_cached_week_plan_follows_every_write_and_keeps_forms_valid(browser, web_db):
    lead = browser("lead")
    first = lead.get(f"/plan?week={WEEK}").get_data(as_text=True)
    second = lead.get(f"/plan?week={WEEK}").get_data(as_text=True)
    assert first == second  # served from the cache
    other = browser("lead")
    page = other.get(f"/plan?week={WEEK}").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    assert token != re.search(r'name="csrf-token" content="([^"]+)"', first)[1]  # each session its own token
    assert other.client.post("/plan/publish", data={"week": WEEK, "csrf_token": token}).status_code == 302
    # a write outside the web app (as the CLI or the optimizer would) shows at once
    web_db.execute("update offices set name = 'Tampere (renamed)' where id = 'tampere'")
    assert "Tampere (renamed)" in lead.get(f"/plan?week={WEEK}").get_data(as_text=True)


def _session_data(app, client) -> str:
    """The session cookie decoded (it is signed, not encrypted: anyone holding it can read it)."""
    cookie = client.get_cookie("session")
    return json.dumps(app.session_interface.get_signing_serializer(app).loads(cookie.value), default=str,
                      ensure_ascii=False)


def test_absence_details_never_travel_in_the_session_cookie(web_app, browser, web_db):
    """Flashed messages live in the signed session cookie: they carry no absence kind or dates. A move refused
    because someone is absent says why in the page itself, from the server's data."""
    lead, oulu = browser("lead"), browser("oulu")
    visit_id, _key = file_and_assign(lead)
    day = MONDAY + timedelta(2)
    oulu.post("/availability", {"start": day.isoformat(), "end": day.isoformat(), "kind": "sick_leave"})
    cookie = _session_data(web_app, oulu.client)
    assert "sairaus" not in cookie and day.isoformat() not in cookie and f"{day.day}.{day.month}." not in cookie
    meeting = next(web_db.query("select * from meetings where visit = ? and state = 'active'", [visit_id]))
    refused = lead.post(f"/plan/meetings/{meeting['id']}/move", {"day": day.isoformat(), "staff": "oulu-sc"})
    cookie = _session_data(web_app, lead.client)
    for detail in ("poissa", "sairaus", f"{day.day}.{day.month}.", day.isoformat()):
        assert detail not in cookie, (detail, cookie)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Tapaamista ei voitu siirtää" in page and "poissa (sairausloma)" in page  # the reason, in the page
    assert f"/plan?week={WEEK}" in page  # the way back to the week


def test_the_plan_says_its_quality_in_words_not_the_solver_words(web_app, browser):
    """A lead reads "the best possible plan" or "a quick plan", never `cp-sat`, `OPTIMAL` or `GREEDY` (issue 13):
    the demo week planned with the defaults is proven optimal; the greedy plan is a quick one."""
    lead = browser("lead")
    runner = web_app.test_cli_runner()
    assert runner.invoke(args=["plan-week", "--week", WEEK, "--solver", "greedy"]).exit_code == 0
    page = lead.get(f"/plan?week={WEEK}").get_data(as_text=True)
    assert "on nopea suunnitelma" in page
    result = runner.invoke(args=["plan-week", "--week", WEEK, "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["status"] == "OPTIMAL", result.output[-300:]
    page = lead.get(f"/plan?week={WEEK}").get_data(as_text=True)
    assert "on paras mahdollinen" in page
    toolbar = page[page.index('class="toolbar"'):page.index("</section>", page.index('class="toolbar"'))]
    assert not re.search(r"cp-sat|OPTIMAL|FEASIBLE|GREEDY|greedy", toolbar), toolbar


def test_a_plan_optimal_over_its_candidates_only_does_not_say_best_possible(web_app, browser, monkeypatch):
    """A plan proven optimal over the trips it weighed, whose pricing could not make every chain the rules allow
    (as on a generated week of the real team's size whose search runs out of time: ``optimal_over: "candidates"``),
    is not called the best possible: the page says what it is, in the page's language."""
    from planner.optimize import chain_bound, pricing

    def out_of_time(*args):
        raise chain_bound.TimeUp

    # as on a week with more chains than the pricing makes, whose search does not end in the time
    monkeypatch.setattr(pricing, "MAX_CHAIN_STEPS", 0)
    monkeypatch.setattr(chain_bound.ChainSearch, "below", out_of_time)
    result = web_app.test_cli_runner().invoke(args=["plan-week", "--week", WEEK, "--json"])
    plan = json.loads(result.stdout)
    assert plan["status"] == "OPTIMAL" and plan["optimal_over"] == "candidates"
    lead = browser("lead")
    page = lead.get(f"/plan?week={WEEK}").get_data(as_text=True)
    assert "on paras punnituista matkoista" in page and "paras mahdollinen" not in page
    lead.post("/language", {"lang": "sv", "next": f"/plan?week={WEEK}"})
    page = lead.get(f"/plan?week={WEEK}").get_data(as_text=True)
    assert "är den bästa av de resor som vägdes" in page and "bästa möjliga" not in page


def test_the_plan_opens_on_the_coming_week_at_the_weekend(browser):
    """On Saturday the week just worked is over: /plan without a week opens on the next one (the audit found the
    demo's Saturday page empty, its visits one click away)."""
    from datetime import date
    from planner.core.local_time import helsinki_today
    from planner.core.weeks import week_of
    from planner.web.views.common import planning_day
    assert planning_day(date(2026, 12, 5)) == planning_day(date(2026, 12, 6)) == date(2026, 12, 7)
    assert planning_day(date(2026, 12, 4)) == date(2026, 12, 4)
    expected = week_of(planning_day(helsinki_today()))
    response = browser("lead").get("/plan")
    assert response.status_code == 200 and f'name="week" value="{expected}"' in response.get_data(as_text=True)


def test_a_conflict_after_the_newest_run_is_said_beside_its_quality(browser, web_db):
    """The audit found "Conflicts (1)" beside "the newest plan is the best possible": that sentence is about the data
    the run had, so the page names the conflict beside it."""
    from planner.core.records import Absence
    from planner.store.records import add_absence
    from test_concurrent_edits import plan_now
    plan_now(web_db)
    lead = browser("lead")
    quality = re.compile(r'<p class="quality">(.*?)</p>', re.S)
    before = quality.search(lead.get(f"/plan?week={WEEK}").get_data(as_text=True))[1]
    assert "suunnitelma" in before and "ristiriita" not in before
    with web_db.conn:
        add_absence(web_db, Absence("hel-sw", MONDAY, MONDAY, "training"))
    after = quality.search(lead.get(f"/plan?week={WEEK}").get_data(as_text=True))[1]
    assert "Suunnitelmassa on 1 ristiriita: suunnittele uudelleen" in after
