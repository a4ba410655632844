"""No lost work: an edit based on a stale page is refused (409, nothing changed); a plan run leaves alone what
people edited while it ran; a plan run killed mid-way leaves the database as it was; a job lost in a restart is
marked failed."""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from planner import store

from planner.web import page_cache

from planner.planning import actions
from planner.store import plan_queries
from planner.store.db import open_db
from planner.core.records import Absence
from planner.planning.week_load import load_week_for_run
from planner.store.plan_runs import save_plan_run
from planner.optimize.run import plan_week
from planner.core.settings import Settings
from planner.core.travel import travel_model
from web_support import MONDAY, WEEK, assign_keys, file_and_assign, visit_form

STALE_TRIP = "Joku muutti tätä matkaa sillä välin, kun katsoit sitä"
STALE_MEETING = "Joku muutti tätä tapaamista sillä välin, kun katsoit sitä"
STALE_PLAN = "Joku muutti viikon suunnitelmaa sillä välin, kun katsoit sitä"
STALE_VISIT = "Joku muutti tätä käyntiä sillä välin, kun katsoit sitä"
STALE_VISIT_FORM = "Joku muu muutti käyntiä muokkauksesi aikana"
PLANNER = str(Path(sys.executable).parent / "planner")


# Helpers ------------------------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def fresh_page_cache():
    """The page cache is per process and keyed on the change counter, which other tests' databases share."""
    page_cache.clear()
    yield
    page_cache.clear()


def plan_now(db) -> int:
    """A draft plan of the demo week, as ``planner plan-week --solver greedy`` would store it."""
    inst, read = load_week_for_run(db, WEEK, Settings(), travel_model(Settings()))
    return save_plan_run(db, plan_week(inst, "greedy", 5), read=read)


def hidden(html: str, action: str) -> dict:
    """The hidden fields of the page's form posting to ``action`` (what the browser would send)."""
    form = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>(.*?)</form>', html, re.S)
    assert form, f"no form for {action}"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)))
    fields.pop("csrf_token", None)
    return fields


def page(b, url: str | None = None) -> str:
    """The page at ``url``; by default the board with the week's first draft trip selected, whose actions (accept,
    pin, move) are beside the board."""
    if url is None:
        db = open_db(b.client.application.config["DATABASE"])
        try:
            trip = next(db.query("select id from plan_trips where week = ? and state = 'draft' order by depart, id",
                                 [WEEK]), None)
        finally:
            db.close()
        url = f"/plan?week={WEEK}" + (f"&trip={trip['id']}" if trip else "")
    response = b.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


PLAN_TABLES = ("visits", "plan_runs", "trips", "trip_staff", "meetings", "meeting_trips", "trip_declines", "absences")


def state(db) -> dict:
    """Everything a plan action could change, and the audit log's length."""
    out = {t: [dict(r) for r in db.query(f"select * from [{t}] order by rowid")] for t in PLAN_TABLES}
    out["audit"] = db["audit_log"].count
    return out


def active_meeting(db, visit_id: str) -> dict | None:
    return next(db.query("""select m.* from meetings m join plan_runs r on r.id = m.plan_run where m.visit = ?
                            and m.state = 'active' and r.state != 'superseded'""", [visit_id]), None)


def assert_nobody_double_booked(db) -> None:
    trips = plan_queries.trips_of_week(db, WEEK)
    for person in {s for t in trips for s in t["staff"]}:
        mine = sorted((t["depart"], t["return"], t["id"]) for t in trips if person in t["staff"])
        for (d1, r1, a), (d2, r2, b) in zip(mine, mine[1:]):
            assert r1 <= d2, f"{person} is on {a} and {b} at once"


def move_a_meeting(lead, db, avoid: tuple[str, ...] = ()) -> tuple[str, int]:
    """As a lead, move some meeting of the week (not of the visits in ``avoid``) to the first place the board offers
    it; returns (visit id, the new meeting's id)."""
    # (a list: an open query would keep this connection's view of the database from before the move)
    for trip in list(db.query("select id from plan_trips where week = ? order by depart, id", [WEEK])):
        html = page(lead, f"/plan?week={WEEK}&trip={trip['id']}")
        tried = set()
        for meeting_id, form in re.findall(r'<form method="post" action="/plan/meetings/(\d+)/move">(.*?)</form>',
                                           html, re.S):
            meeting = db["meetings"].get(int(meeting_id))
            visit = store.load_visit(db, meeting["visit"])
            if visit.id in avoid or meeting_id in tried:   # each meeting's first option: the best
                continue
            tried.add(meeting_id)
            fields = dict(re.findall(r'<input type="hidden" name="(version|day)" value="([^"]*)"', form))
            fields["staff"] = re.findall(r'<input type="hidden" name="staff" value="([^"]*)"', form)
            assert lead.post(f"/plan/meetings/{meeting_id}/move", fields).status_code in (302, 422)
            moved = active_meeting(db, visit.id)
            if moved and moved["id"] != int(meeting_id):
                return visit.id, moved["id"]
    raise AssertionError("no meeting could be moved")


# 1. Optimistic concurrency: two leads, one stale page ----------------------------------------------------------

def test_accept_from_a_stale_page_is_refused_and_a_fresh_one_publishes(browser, web_db):
    plan_now(web_db)
    first, second = browser("lead"), browser("lead")
    seen_first, seen_second = page(first), page(second)
    trip = re.search(r'action="/plan/trips/([^"]+)/accept"', seen_first)[1]
    version = web_db["trips"].get(trip)["version"]
    accept = f"/plan/trips/{trip}/accept"
    assert second.post(accept, hidden(seen_second, accept)).status_code == 302
    assert web_db["trips"].get(trip)["state"] == "published"
    assert web_db["trips"].get(trip)["version"] == version + 1
    before = state(web_db)
    response = first.post(accept, hidden(seen_first, accept))
    assert response.status_code == 409
    assert STALE_TRIP in response.get_data(as_text=True)
    assert state(web_db) == before


def test_pin_from_a_stale_page_is_refused(browser, web_db):
    plan_now(web_db)
    first, second = browser("lead"), browser("lead")
    seen_first, seen_second = page(first), page(second)
    meeting = int(re.search(r'action="/plan/meetings/(\d+)/pin"', seen_first)[1])
    pin = f"/plan/meetings/{meeting}/pin"
    version = web_db["meetings"].get(meeting)["version"]
    assert second.post(pin, hidden(seen_second, pin)).status_code == 302
    assert web_db["meetings"].get(meeting)["pinned"] == 1 and web_db["meetings"].get(meeting)["version"] == version + 1
    before = state(web_db)
    response = first.post(pin, hidden(seen_first, pin))  # would have pinned it again, on what it no longer is
    assert response.status_code == 409 and STALE_MEETING in response.get_data(as_text=True)
    assert state(web_db) == before
    # the fresh page unpins
    assert first.post(pin, hidden(page(first), pin)).status_code == 302
    assert web_db["meetings"].get(meeting)["pinned"] == 0


def test_move_from_a_stale_page_is_refused(browser, web_db):
    plan_now(web_db)
    first, second = browser("lead"), browser("lead")
    seen_first = page(first)
    visit_id, new_meeting = move_a_meeting(second, web_db)
    old = [m for m in re.findall(r'action="/plan/meetings/(\d+)/move"', seen_first)
           if web_db["meetings"].get(int(m))["visit"] == visit_id and int(m) != new_meeting][0]
    before = state(web_db)
    form = dict(hidden(seen_first, f"/plan/meetings/{old}/move"), day=MONDAY.isoformat(),
                staff=json.loads(web_db["meetings"].get(int(old))["staff"]))
    response = first.post(f"/plan/meetings/{old}/move", form)
    assert response.status_code == 409 and STALE_MEETING in response.get_data(as_text=True)
    assert state(web_db) == before
    assert active_meeting(web_db, visit_id)["id"] == new_meeting


def test_publishing_the_week_from_a_stale_page_is_refused(browser, web_db):
    plan_now(web_db)
    first, second = browser("lead"), browser("lead")
    seen_first, seen_second = page(first), page(second)
    meeting = int(re.search(r'action="/plan/meetings/(\d+)/pin"', seen_second)[1])
    pin = f"/plan/meetings/{meeting}/pin"
    assert second.post(pin, hidden(seen_second, pin)).status_code == 302  # the plan changed after first looked
    before = state(web_db)
    response = first.post("/plan/publish", dict(hidden(seen_first, "/plan/publish")))
    assert response.status_code == 409 and STALE_PLAN in response.get_data(as_text=True)
    assert state(web_db) == before
    first.post("/language", {"lang": "sv", "next": "/plan"})  # the message is in the page's language
    response = first.post("/plan/publish", dict(hidden(seen_first, "/plan/publish")))
    assert response.status_code == 409 and "Någon ändrade veckans plan" in response.get_data(as_text=True)
    assert state(web_db) == before
    assert not [t for t in plan_queries.trips_of_week(web_db, WEEK) if t["state"] == "published"]
    # a fresh page publishes, and the version changes with it
    fresh = hidden(page(first), "/plan/publish")
    assert fresh["plan_version"] != hidden(seen_first, "/plan/publish")["plan_version"]
    assert first.post("/plan/publish", fresh).status_code == 302
    assert {t["state"] for t in plan_queries.trips_of_week(web_db, WEEK)} == {"published"}


def test_cant_make_it_on_a_stale_schedule_is_refused(browser, web_db):
    plan_now(web_db)
    actions.publish(web_db, WEEK, "test")
    tab1, tab2 = browser("oulu"), browser("oulu")
    url = f"/schedule?week={WEEK}"
    seen1, seen2 = page(tab1, url), page(tab2, url)
    trip = re.search(r'action="/schedule/trips/([^"]+)/decline"', seen1)[1]
    decline = f"/schedule/trips/{trip}/decline"
    version = web_db["trips"].get(trip)["version"]
    assert tab1.post(decline, dict(hidden(seen1, decline), reason="Ill")).status_code == 302
    assert web_db["trips"].get(trip)["version"] == version + 1
    before = state(web_db)
    response = tab2.post(decline, dict(hidden(seen2, decline), reason="Something else"))
    assert response.status_code == 409 and STALE_TRIP in response.get_data(as_text=True)
    assert state(web_db) == before


def test_assigning_a_proposal_to_a_visit_someone_else_just_assigned_is_refused(browser, web_db):
    first, second = browser("lead"), browser("lead")
    visit_id, key = file_and_assign(first)
    url = f"/visits/{visit_id}"
    seen_first, seen_second = page(first, url), page(second, url)
    version = re.search(r'name="version" type="hidden" value="(\d+)"|type="hidden" name="version" value="(\d+)"|'
                        r'id="version" name="version" type="hidden" value="(\d+)"', seen_first)
    version = next(v for v in version.groups() if v)
    assert version == re.search(r'name="version"[^>]*value="(\d+)"', seen_second)[1]
    form = visit_form(visit_id=visit_id, version=version)
    form["action"] = assign_keys(second.post("/visits/proposals", form).get_data(as_text=True))[0]
    assert second.post(url, form).status_code == 302
    assigned = active_meeting(web_db, visit_id)
    before = state(web_db)
    response = first.post(url, form)
    assert response.status_code == 409
    assert STALE_VISIT_FORM in response.get_data(as_text=True)
    assert state(web_db) == before and active_meeting(web_db, visit_id)["id"] == assigned["id"]


# 2. A plan run leaves alone what people edited while it ran ----------------------------------------------------

def _edit_visit(db, visit_id: str) -> int:
    """Another connection edits a visit (as the visit form does); returns its new duration."""
    visit = store.load_visit(db, visit_id)
    store.upsert_visit(db, replace(visit, duration_min=visit.duration_min + 15))
    return visit.duration_min + 15


def _wait_for(path: Path, proc: subprocess.Popen | None = None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, "the run never reached its pause"
        assert proc is None or proc.poll() is None, proc.communicate()[1] if proc else ""
        time.sleep(0.05)
    time.sleep(0.1)  # the file is written before the pause loop starts


def _plan_week_process(web_app, tmp_path: Path, pause: str | None) -> subprocess.Popen:
    """``planner plan-week`` in a process of its own on the test's database file."""
    instance = tmp_path / "cli-instance"
    instance.mkdir(exist_ok=True)
    (instance / "config.py").write_text(f"DATABASE = {web_app.config['DATABASE']!r}\nSECRET_KEY = 'test'\n")
    env = dict(os.environ, PLANNER_INSTANCE=str(instance))
    env.pop("PLANNER_TEST_PAUSE", None)
    if pause:
        env["PLANNER_TEST_PAUSE"] = pause
    return subprocess.Popen([PLANNER, "plan-week", "--week", WEEK, "--solver", "greedy", "--time-limit", "5"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_plan_week_leaves_edits_made_while_it_ran_and_reports_them(web_app, browser, web_db, tmp_path):
    plan_now(web_db)
    lead = browser("lead")
    pause = tmp_path / "paused"
    proc = _plan_week_process(web_app, tmp_path, f"before-save:{pause}")
    _wait_for(pause, proc)  # solved, nothing written yet
    duration = _edit_visit(web_db, "demo-05")
    kept_05 = active_meeting(web_db, "demo-05")
    moved_visit, moved_meeting = move_a_meeting(lead, web_db, avoid=("demo-05",))
    moved_row = dict(web_db["meetings"].get(moved_meeting))
    pause.unlink()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    # the edits are as the lead made them
    assert store.load_visit(web_db, "demo-05").duration_min == duration
    assert active_meeting(web_db, "demo-05")["id"] == kept_05["id"]  # nothing re-planned on the old request
    now = active_meeting(web_db, moved_visit)
    assert now["id"] == moved_meeting and now["start"] == moved_row["start"] and now["staff"] == moved_row["staff"]
    assert now["pinned"] == 1
    assert len([m for m in plan_queries.meetings_of_week(web_db, WEEK) if m["visit"] == moved_visit]) == 1
    # and reported
    line = next(x for x in out.splitlines() if "changed during planning were left as edited" in x)
    assert "demo-05" in line and moved_visit in line
    run = plan_queries.newest_run(web_db, WEEK)
    assert set(json.loads(run["result"])["edits_during_run"]["visits"]) >= {"demo-05", moved_visit}
    assert_nobody_double_booked(web_db)
    # the next run plans from the edits: the moved (pinned) meeting stays where the lead put it
    proc = _plan_week_process(web_app, tmp_path, None)
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    after = active_meeting(web_db, moved_visit)
    assert after["start"] == moved_row["start"] and after["staff"] == moved_row["staff"]


def _wait_job(b, job_id: int, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = b.get(f"/plan/jobs/{job_id}").json
        if job["state"] not in ("queued", "running"):
            return job
        time.sleep(0.2)
    raise AssertionError("the plan job did not finish")


def test_plan_again_in_the_browser_leaves_edits_made_while_it_ran(web_app, browser, web_db, tmp_path, monkeypatch):
    plan_now(web_db)
    lead, other = browser("lead"), browser("lead")
    pause = tmp_path / "job-paused"
    monkeypatch.setenv("PLANNER_TEST_PAUSE", f"before-save:{pause}")
    response = lead.post("/plan/again", {"week": WEEK})
    job_id = int(response.location.split("job=")[1])
    _wait_for(pause)
    duration = _edit_visit(web_db, "demo-09")
    moved_visit, moved_meeting = move_a_meeting(other, web_db, avoid=("demo-09",))
    moved_row = dict(web_db["meetings"].get(moved_meeting))
    pause.unlink()
    job = _wait_job(lead, job_id)
    assert job["state"] == "done", job
    assert store.load_visit(web_db, "demo-09").duration_min == duration
    now = active_meeting(web_db, moved_visit)
    assert now["id"] == moved_meeting and now["start"] == moved_row["start"]
    assert_nobody_double_booked(web_db)
    html = page(lead, f"/plan?week={WEEK}&job={job_id}")
    assert "Muutettu suunnittelun aikana, jätetty muutetuksi" in html
    assert "/visits/demo-09" in html.split('id="edited-title"')[1].split("</section>")[0]


# 3. Killed mid-way: the database is as it was ------------------------------------------------------------------

def dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return list(conn.iterdump())
    finally:
        conn.close()


def test_plan_week_killed_inside_its_write_leaves_the_database_as_it_was(web_app, web_db, tmp_path):
    plan_now(web_db)
    database = web_app.config["DATABASE"]
    before = dump(database)
    pause = tmp_path / "in-save"
    proc = _plan_week_process(web_app, tmp_path, f"in-save:{pause}")
    _wait_for(pause, proc)  # every row written, the transaction not committed
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert dump(database) == before
    # and it opens and plans fine afterwards
    proc = _plan_week_process(web_app, tmp_path, None)
    proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert len(dump(database)) > len(before)


def test_plan_job_killed_inside_its_write_stores_nothing_and_is_marked_failed(web_app, browser, web_db, tmp_path,
                                                                              monkeypatch):
    plan_now(web_db)
    lead = browser("lead")
    pause = tmp_path / "job-in-save"
    monkeypatch.setenv("PLANNER_TEST_PAUSE", f"in-save:{pause}")
    job_id = int(lead.post("/plan/again", {"week": WEEK}).location.split("job=")[1])
    _wait_for(pause)
    # (the job's own row, the change counter, page-view audit entries and the notice of the failure aside)
    keep = lambda rows: [r for r in rows if "plan_jobs" not in r and "web_changes" not in r  # noqa: E731
                         and not ('INSERT INTO "audit_log"' in r and "'view'" in r)
                         and not r.startswith('INSERT INTO "outbox"')]
    before = keep(dump(web_app.config["DATABASE"]))
    os.kill(int(pause.read_text()), signal.SIGKILL)
    job = _wait_job(lead, job_id, 30)
    assert job["state"] == "failed" and job["error"] == "stopped" and f"{job_id}" in job["message"]
    assert keep(dump(web_app.config["DATABASE"])) == before
    told = list(web_db.query("select kind, items from outbox"))     # the lead who started it is told it failed
    assert [(r["kind"], '"outcome": "failed"' in r["items"]) for r in told] == [("plan-job", True)]
    html = page(lead)
    assert 'disabled>' not in html.split('action="/plan/again"')[1].split("</form>")[0]  # plan again is possible


def test_a_job_left_running_by_a_restart_is_marked_failed(browser, web_db):
    """After a restart the old pid may belong to another process (here: this test's own)."""
    lead = browser("lead")
    ids = [web_db["plan_jobs"].insert({"week": week, "started_by": "user:1", "started_at": "2026-11-01T10:00:00",
                                       "state": "running", "progress": "solving", "pid": pid}).last_pk
           for week, pid in ((WEEK, os.getpid()), ("2026-W01", 2 ** 22 + 12345))]
    html = page(lead)
    assert 'disabled>' not in html.split('action="/plan/again"')[1].split("</form>")[0]  # plan again is possible
    for job_id in ids:
        job = lead.get(f"/plan/jobs/{job_id}").json
        assert job["state"] == "failed" and job["error"] == "stopped"


def test_publishing_and_an_absence_during_a_run_never_double_book_anyone(web_db):
    """In one process, step by step: the run reads, solves, then a lead publishes a trip of the draft the run was
    going to replace and a person reports sick; the run's commit keeps both and books nobody twice."""
    plan_now(web_db)
    inst, read = load_week_for_run(web_db, WEEK, Settings(), travel_model(Settings()))
    plan = plan_week(inst, "greedy", 5)
    draft = [t for t in plan_queries.trips_of_week(web_db, WEEK) if t["state"] == "draft"]
    published = draft[0]
    actions.publish(web_db, WEEK, "lead", [published["id"]])  # its run is published: it will not be superseded
    sick = next(t for t in plan["trips"] if published["id"] not in t["id"])["staff"][0]
    store.add_absence(web_db, Absence(sick, MONDAY, MONDAY + timedelta(4), "sick_leave"))
    save_plan_run(web_db, plan, read=read)
    assert_nobody_double_booked(web_db)
    assert web_db["trips"].get(published["id"])["state"] == "published"
    active = plan_queries.meetings_of_week(web_db, WEEK)
    visits = [m["visit"] for m in active]
    assert len(visits) == len(set(visits)), "a visit has two active meetings"
    new_run = plan_queries.newest_run(web_db, WEEK)["id"]
    assert not [t for t in plan_queries.trips_of_week(web_db, WEEK) if t["id"].startswith(f"r{new_run}-T")
                and sick in t["staff"]], "the run sent someone who reported sick while it ran"
    edits = json.loads(plan_queries.newest_run(web_db, WEEK)["result"])["edits_during_run"]
    assert {m["visit"] for m in published["meetings"]} <= set(edits["visits"])
