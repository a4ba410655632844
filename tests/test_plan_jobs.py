""""Plan again" jobs: a failed, stopped or killed job changes nothing and says so in the page's language; jobs wait
in a queue (``PLAN_JOBS_AT_ONCE``); one job per week, atomically; a job that overruns its time limit is ended; its
progress reaches the job row from any thread, and a CP-SAT job (production's solver) finishes."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest

from planner.planning import actions, plan_jobs
from planner.planning.conflicts import conflicts
from planner.store import plan_queries
from planner.store.db import open_db
from planner.core.weeks import week_of
from test_concurrent_edits import PLAN_TABLES, _wait_for, _wait_job, fresh_page_cache, page, plan_now  # noqa: F401
from web_support import MONDAY, WEEK

NEXT_WEEK = week_of(MONDAY + timedelta(7))
ENGLISH = ("Error", "Traceback", "failed", "Planning", "nothing")


def _rows(db) -> dict:
    return {t: sorted(repr(sorted(r.items())) for r in db.query(f"select * from [{t}]")) for t in PLAN_TABLES}


def _job_section(html: str) -> str:
    """What the job's box says (its words, not its markup)."""
    return html.split('id="job"')[1].split("</div>")[0].split('<span class="message">')[1].split("</span>")[0]


def _published_with_a_decline(db) -> dict:
    """The demo week planned and published, and one person saying "I can't make this trip": a conflict."""
    plan_now(db)
    actions.publish(db, WEEK, "lead")
    trip = plan_queries.trips_of_week(db, WEEK)[0]
    actions.decline_trip(db, trip["id"], trip["staff"][0], "sairaana")
    return trip


def test_a_killed_plan_again_leaves_the_conflict_and_every_schedule_as_they_were(browser, web_db, tmp_path,
                                                                                 monkeypatch):
    trip = _published_with_a_decline(web_db)
    lead = browser("lead")
    pause = tmp_path / "job-solved"
    monkeypatch.setenv("PLANNER_TEST_PAUSE", f"before-save:{pause}")
    before = _rows(web_db)
    job_id = int(lead.post("/plan/again", {"week": WEEK}).location.split("job=")[1])
    _wait_for(pause)  # solved: on today's main the conflict was already withdrawn here
    assert _rows(web_db) == before
    os.kill(int(pause.read_text()), signal.SIGKILL)
    job = _wait_job(lead, job_id)
    assert (job["state"], job["error"]) == ("failed", "stopped")
    assert _rows(web_db) == before
    assert web_db["trips"].get(trip["id"])["state"] == "published"
    assert any(c["trip"] == trip["id"] for c in conflicts(web_db, MONDAY, MONDAY + timedelta(6)))
    text = _job_section(page(lead, f"/plan?week={WEEK}&job={job_id}"))
    assert "Suunnittelu epäonnistui." in text and "Mitään ei muutettu" in text
    assert f"suunnitteluajo {job_id}" in text
    assert not any(word in text for word in ENGLISH), text


def test_plan_again_withdraws_the_conflict_when_it_stores_the_plan(browser, web_db):
    trip = _published_with_a_decline(web_db)
    lead = browser("lead")
    job = _wait_job(lead, int(lead.post("/plan/again", {"week": WEEK}).location.split("job=")[1]))
    assert job["state"] == "done", job
    assert web_db["trips"].get(trip["id"])["state"] == "superseded"
    assert not any(c["trip"] == trip["id"] for c in conflicts(web_db, MONDAY, MONDAY + timedelta(6)))
    reopen = [r for r in web_db.query("select * from audit_log where action = 'reopen'")]
    assert len(reopen) == 1 and reopen[0]["actor"].startswith("user:")
    text = _job_section(page(lead, f"/plan?week={WEEK}&job={job['id']}"))
    assert "Suunnittelu valmis." in text


@pytest.mark.parametrize("lang, words", [("fi", "Suunnittelu kesti aikarajaa kauemmin"),
                                         ("sv", "Planeringen tog längre tid än sin tidsgräns"),
                                         ("en", "Planning took longer than its time limit")])
def test_a_job_that_overruns_its_time_limit_is_ended_and_marked_failed(browser, web_db, lang, words):
    lead = browser("lead")
    lead.post("/language", {"lang": lang, "next": "/account"})
    job_id = web_db["plan_jobs"].insert({
        "week": WEEK, "started_by": "user:1", "started_at": "2026-11-01T10:00:00", "state": "running",
        "progress": "solving", "phase": "planning", "solver": "cp-sat", "time_limit": 5.0,
        "started_ts": time.time() - 5 - plan_jobs.overrun_margin(5.0) - 1}).last_pk
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "planner.planning.plan_jobs", str(job_id)],
                            start_new_session=True)
    web_db.execute("update plan_jobs set pid = ? where id = ?", [proc.pid, job_id])
    try:
        job = lead.get(f"/plan/jobs/{job_id}").json
        assert (job["state"], job["error"]) == ("failed", "timeout")
        assert proc.wait(timeout=10) is not None  # ended, not left running
        assert words in job["message"] and str(job_id) in job["message"]
    finally:
        if proc.poll() is None:
            proc.kill()


def test_the_job_process_itself_ends_when_it_overruns(web_app, web_db, tmp_path, monkeypatch):
    """Held past its limit (here: paused before storing), the job's own alarm ends it, even in a solver's code."""
    pause = tmp_path / "held"
    monkeypatch.setenv("PLANNER_TEST_PAUSE", f"before-save:{pause}")
    job_id = plan_jobs.start_job(web_db, web_app.config["DATABASE"], {}, WEEK, "user:1", "greedy", 1, at_once=1)
    _wait_for(pause)
    pid = int(pause.read_text())
    started = time.monotonic()
    while plan_jobs._job_alive(pid, job_id) and time.monotonic() - started < 40:
        time.sleep(0.2)
    assert not plan_jobs._job_alive(pid, job_id), "the overrunning job is still running"
    job = plan_jobs.job_status(web_db, job_id)
    assert (job["state"], job["error"], job["plan_run"]) == ("failed", "timeout", None)


def test_two_presses_at_the_same_instant_start_one_job(web_app, web_db):
    database = web_app.config["DATABASE"]
    barrier, ids = threading.Barrier(4), []

    def press():
        db = open_db(database)  # each press its own connection, as two web workers have
        barrier.wait()
        ids.append(plan_jobs.start_job(db, database, {}, WEEK, "user:1", "greedy", 5, at_once=1))
        db.close()

    presses = [threading.Thread(target=press) for _ in range(4)]
    for t in presses:
        t.start()
    for t in presses:
        t.join()
    assert len(set(ids)) == 1 and web_db["plan_jobs"].count == 1
    with pytest.raises(sqlite3.IntegrityError):  # and the database itself refuses a second one
        web_db["plan_jobs"].insert({"week": WEEK, "started_at": "2026-12-01T10:00:00", "state": "queued"})
    until = time.monotonic() + 60
    while plan_jobs.job_status(web_db, ids[0])["state"] in ("queued", "running") and time.monotonic() < until:
        time.sleep(0.2)
    assert plan_jobs.job_status(web_db, ids[0])["state"] == "done"


def test_jobs_beyond_the_limit_wait_in_a_queue_the_page_shows(web_app, browser, web_db, tmp_path, monkeypatch):
    web_app.config["PLAN_JOBS_AT_ONCE"] = 1
    lead = browser("lead")
    pause = tmp_path / "first-held"
    monkeypatch.setenv("PLANNER_TEST_PAUSE", f"before-save:{pause}")
    first = int(lead.post("/plan/again", {"week": WEEK}).location.split("job=")[1])
    _wait_for(pause)
    monkeypatch.delenv("PLANNER_TEST_PAUSE")
    second = int(lead.post("/plan/again", {"week": NEXT_WEEK}).location.split("job=")[1])
    job = lead.get(f"/plan/jobs/{second}").json
    assert (job["state"], job["queue_position"]) == ("queued", 1)
    html = page(lead, f"/plan?week={NEXT_WEEK}")
    assert "Odottaa vuoroaan: tämä suunnitteluajo on seuraavana." in _job_section(html)
    assert 'disabled>' in html.split('action="/plan/again"')[1].split("</form>")[0]
    pause.unlink()  # the first finishes, and its place goes to the second
    assert _wait_job(lead, first)["state"] == "done"
    until = time.monotonic() + 60
    while time.monotonic() < until:
        if pause.exists():  # the second inherited the pause when the first started it: let it go too
            pause.unlink()
        state = plan_jobs.job_status(web_db, second)["state"]
        if state not in ("queued", "running"):
            break
        time.sleep(0.2)
    assert plan_jobs.job_status(web_db, second)["state"] == "done"


# Progress from the solver's threads (CP-SAT reports from its own; a connection belongs to the thread that made it)

def _job(web_db, solver: str = "cp-sat", time_limit: float = 20.0) -> int:
    return web_db["plan_jobs"].insert({"week": WEEK, "started_by": "user:1", "started_at": "2026-11-01T10:00:00",
                                       "state": "running", "progress": "starting", "solver": solver,
                                       "time_limit": time_limit}).last_pk


def test_progress_from_any_thread_reaches_the_job_row(web_app, web_db):
    job_id = _job(web_db)
    progress = plan_jobs.JobProgress(web_app.config["DATABASE"], job_id)
    workers = [threading.Thread(target=progress, args=(f"solving: report {n} from a solver's thread",))
               for n in range(5)]
    for worker in workers:
        worker.start()
        worker.join()
    progress.phase("planning")
    progress.close()
    job = web_db["plan_jobs"].get(job_id)
    assert job["progress"] == "solving: report 4 from a solver's thread" and job["phase"] == "planning"


def test_progress_never_touches_a_finished_job(web_app, web_db):
    job_id = _job(web_db)
    web_db.execute("update plan_jobs set state = 'done', progress = 'done' where id = ?", [job_id])
    progress = plan_jobs.JobProgress(web_app.config["DATABASE"], job_id)
    progress("solving: late")
    progress.close()
    assert web_db["plan_jobs"].get(job_id)["progress"] == "done"


def test_a_cp_sat_job_finishes_with_the_default_time_limit(web_app, web_db):
    job_id = _job(web_db)
    plan_jobs.run_job(web_app.config["DATABASE"], job_id)
    job = web_db["plan_jobs"].get(job_id)
    assert (job["state"], job["error"], job["phase"]) == ("done", None, "done") and job["plan_run"]
    assert web_db["plan_runs"].get(job["plan_run"])["solver"] == "cp-sat"
