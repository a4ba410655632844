"""A "Plan again" job with CP-SAT, the solver production uses (PLAN_JOB_SOLVER's default): CP-SAT reports progress
from its own threads, and the job must still finish. (The other plan-job tests use the greedy solver, which calls
back from the main thread only; the deploy guide's smoke test found the difference.)"""
from __future__ import annotations

import threading

from planner import plan_jobs
from planner.settings import Settings
from web_support import WEEK, demo_db_file, web_app, web_db  # noqa: F401


def _job(web_db) -> int:
    return web_db["plan_jobs"].insert({"week": WEEK, "started_by": "user:1", "started_at": "2026-11-01T10:00:00",
                                       "state": "running", "progress": "starting"}).last_pk


def test_progress_from_another_thread_is_stored(web_app, web_db, monkeypatch):
    from planner.optimize import run
    real = run.plan_week
    threads = []

    def plan_week(inst, solver, time_limit, progress=None):
        worker = threading.Thread(target=progress, args=("solving: from a solver's thread",))
        worker.start()
        worker.join()
        threads.append(worker.ident)
        return real(inst, "greedy", time_limit, progress=progress)

    monkeypatch.setattr(run, "plan_week", plan_week)
    job_id = _job(web_db)
    plan_jobs.run_job(web_app.config["DATABASE"], job_id, "cp-sat", 5, Settings())
    job = web_db["plan_jobs"].get(job_id)
    assert threads and job["state"] == "done" and job["error"] is None and job["plan_run"]


def test_a_cp_sat_job_finishes(web_app, web_db):
    job_id = _job(web_db)
    plan_jobs.run_job(web_app.config["DATABASE"], job_id, "cp-sat", 10, Settings())
    job = web_db["plan_jobs"].get(job_id)
    assert (job["state"], job["error"]) == ("done", None) and job["plan_run"]
