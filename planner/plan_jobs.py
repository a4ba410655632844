""""Plan again" from the browser: the weekly optimizer in a separate process, with its progress in ``plan_jobs``.

The web request only starts the job and returns; the page polls the job's status. A process of its own (not a
thread) keeps a long CP-SAT solve from holding the web server's interpreter, so other users are never blocked.

    python -m planner.plan_jobs DATABASE JOB_ID   (settings overrides as JSON in PLANNER_SETTINGS_JSON)
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from sqlite_utils import Database

from .db import audit, now_iso, open_db
from .settings import Settings


STOPPED = "the planning process stopped unexpectedly (nothing of it was stored)"


def fail_stale_jobs(db: Database) -> list[int]:
    """Mark failed every 'running' job whose process is gone: killed, crashed, or lost in a restart of the
    machine (its pid may then belong to another process, so the process must be this job's). The run wrote
    nothing: it stores its plan in one transaction at the very end. Returns the job ids marked."""
    stale = [job["id"] for job in db.query("select * from plan_jobs where state = 'running'")
             if job["pid"] and not _job_alive(job["pid"], job["id"])]
    for job_id in stale:
        db.execute("update plan_jobs set state = 'failed', error = ?, finished_at = ? where id = ? "
                   "and state = 'running'", [STOPPED, now_iso(), job_id])
    return stale


def running_job(db: Database, week: str) -> dict | None:
    """The week's job still running (jobs whose process died are marked failed first)."""
    fail_stale_jobs(db)
    job = next(db.query("select * from plan_jobs where week = ? and state = 'running' order by id desc", [week]),
               None)
    return dict(job) if job else None


def _job_alive(pid: int, job_id: int) -> bool:
    """Is ``pid`` still this job's planning process? (/proc where there is one, else only whether it exists.)"""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if Path("/proc/self/cmdline").exists():
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            return False
        return b"planner.plan_jobs" in args and str(job_id).encode() in args
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_job(db: Database, database: str, settings_overrides: dict, week: str, actor: str,
              solver: str = "cp-sat", time_limit: float = 20.0) -> int:
    """Start planning ``week`` in a child process (unless one is already running for it); returns the job id."""
    existing = running_job(db, week)
    if existing:
        return existing["id"]
    job_id = db["plan_jobs"].insert({"week": week, "started_by": actor, "started_at": now_iso(), "state": "running",
                                     "progress": "starting"}).last_pk
    env = dict(os.environ, PLANNER_SETTINGS_JSON=json.dumps(settings_overrides or {}, default=str))
    proc = subprocess.Popen(
        [sys.executable, "-m", "planner.plan_jobs", database, str(job_id), solver, str(time_limit)],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    db.execute("update plan_jobs set pid = ? where id = ?", [proc.pid, job_id])
    # Reap the child when it ends so it leaves no zombie behind.
    threading.Thread(target=proc.wait, daemon=True, name=f"plan-job-{job_id}").start()
    return job_id


def job_status(db: Database, job_id: int) -> dict | None:
    job = next(db.query("select * from plan_jobs where id = ?", [job_id]), None)
    if job and job["state"] == "running" and job["pid"] and not _job_alive(job["pid"], job["id"]):
        fail_stale_jobs(db)
        job = next(db.query("select * from plan_jobs where id = ?", [job_id]), None)
    return dict(job) if job else None


def run_job(database: str, job_id: int, solver: str, time_limit: float, settings: Settings) -> None:
    """Plan the job's week with the optimizer and store the plan run; progress and the outcome go to the job row."""
    from .optimize.persist import load_week_for_run, save_plan_run
    from .optimize.run import plan_week
    from .travel import travel_model

    db = open_db(database)
    job = next(db.query("select * from plan_jobs where id = ?", [job_id]))

    def progress(message: str) -> None:
        db.execute("update plan_jobs set progress = ? where id = ?", [message[:300], job_id])

    try:
        progress("loading the week")
        inst, read = load_week_for_run(db, job["week"], settings, travel_model(settings))
        plan = plan_week(inst, solver, time_limit, progress=progress)
        progress("writing the plan run")

        def finish(run_id: int) -> None:  # in the plan run's transaction: all of it is stored, or none
            audit(db, job["started_by"] or "web", "plan-week", "plan_run", str(run_id),
                  {"week": job["week"], "solver": solver, "job": job_id})
            db.execute("update plan_jobs set state = 'done', plan_run = ?, progress = ?, finished_at = ? "
                       "where id = ?", [run_id, "done", now_iso(), job_id])

        # edits made in the browser while it solved win (``read``)
        save_plan_run(db, plan, created_by=job["started_by"] or "web", read=read, then=finish)
    except Exception as exc:  # noqa: BLE001 - the job row must say it failed, whatever happened
        db.execute("update plan_jobs set state = 'failed', error = ?, finished_at = ? where id = ?",
                   [f"{type(exc).__name__}: {exc}"[:500], now_iso(), job_id])
        raise
    finally:
        db.close()


def main(argv: list[str]) -> int:
    database, job_id, solver, time_limit = argv[0], int(argv[1]), argv[2], float(argv[3])
    settings = Settings.from_mapping(json.loads(os.environ.get("PLANNER_SETTINGS_JSON") or "{}"))
    run_job(database, job_id, solver, time_limit, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
