"""A "Plan again" job with CP-SAT, the solver production uses (PLAN_JOB_SOLVER's default): CP-SAT reports progress
from its own threads, and an SQLite connection belongs to the thread that made it. The job's progress is handed to a
writer thread with a connection of its own (``plan_jobs.JobProgress``)."""
from __future__ import annotations

import threading

from planner import plan_jobs
from web_support import WEEK, demo_db_file, web_app, web_db  # noqa: F401


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
