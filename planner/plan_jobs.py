""""Plan again" from the browser: the weekly optimizer in a separate process, with its progress in ``plan_jobs``.

The web request only starts the job and returns; the page polls the job's status. A process of its own (not a
thread) keeps a long CP-SAT solve from holding the web server's interpreter, so other users are never blocked.

    python -m planner.plan_jobs DATABASE JOB_ID   (settings overrides as JSON in PLANNER_SETTINGS_JSON)

Structured log events (``planner.plan`` logger, counts only, like ``planner plan-week``): ``plan job started``,
``plan job finished`` and ``plan job failed`` (by the child, with the error's type and place, never its message;
or by the web app when it finds the child's process gone). The child writes to the web app's log: the same
``LOG_FILE``, or a copy of the web app's stderr (its own stderr stays closed: nothing but these lines leaves it).
"""
from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlite_utils import Database

from . import logging_setup
from .db import audit, now_iso, open_db
from .logging_setup import log_event
from .settings import Settings


STOPPED = "the planning process stopped unexpectedly (nothing of it was stored)"
LOG = "planner.plan"


def fail_stale_jobs(db: Database) -> list[int]:
    """Mark failed every 'running' job whose process is gone: killed, crashed, or lost in a restart of the
    machine (its pid may then belong to another process, so the process must be this job's). The run wrote
    nothing: it stores its plan in one transaction at the very end. Returns the job ids marked."""
    stale = [job["id"] for job in db.query("select * from plan_jobs where state = 'running'")
             if job["pid"] and not _job_alive(job["pid"], job["id"])]
    for job_id in stale:
        marked = db.execute("update plan_jobs set state = 'failed', error = ?, finished_at = ? where id = ? "
                            "and state = 'running'", [STOPPED, now_iso(), job_id]).rowcount
        if marked:  # once, even when two requests find the same dead job
            log_event("plan job failed", logging.ERROR, LOG, job=job_id, reason="process stopped")
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
    log_fd = _log_target(env)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "planner.plan_jobs", database, str(job_id), solver, str(time_limit)],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, pass_fds=(log_fd,) if log_fd is not None else ())
    finally:
        if log_fd is not None:
            os.close(log_fd)
    db.execute("update plan_jobs set pid = ? where id = ?", [proc.pid, job_id])
    # Reap the child when it ends so it leaves no zombie behind.
    threading.Thread(target=proc.wait, daemon=True, name=f"plan-job-{job_id}").start()
    return job_id


def cancel_job(db: Database, job_id: int, actor: str) -> bool:
    """Stop a running job: its process (and anything it started) is ended, and the job is marked 'cancelled'.
    The run stores its plan in one transaction at the very end, so a process ended before that stored nothing;
    one that already committed is 'done' and stays so. Returns whether this call cancelled the job."""
    job = job_status(db, job_id)
    if job is None or job["state"] != "running":
        return False
    if job["pid"] and _job_alive(job["pid"], job_id):
        try:
            os.killpg(job["pid"], signal.SIGTERM)  # its own session (start_job): the whole group
        except ProcessLookupError:
            pass
        _wait_gone(job["pid"], job_id)
    cancelled = db.execute("update plan_jobs set state = 'cancelled', error = ?, finished_at = ? where id = ? "
                           "and state = 'running'", [f"cancelled by {actor}", now_iso(), job_id]).rowcount
    if cancelled:
        audit(db, actor, "plan-job-cancelled", "plan_job", str(job_id), {"week": job["week"]})
        log_event("plan job cancelled", logger=LOG, job=job_id, week=job["week"])
    return bool(cancelled)


def _wait_gone(pid: int, job_id: int, seconds: float = 5.0) -> None:
    """Wait until the ended process is gone (so its transaction, if any, is over), at most ``seconds``."""
    until = time.monotonic() + seconds
    while _job_alive(pid, job_id) and time.monotonic() < until:
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:  # our own child: reap it
                return
        except ChildProcessError:
            pass
        time.sleep(0.05)


def _log_target(env: dict) -> int | None:
    """Tell the child where this process logs: ``PLANNER_LOG_FILE``, or a copy of our stderr's descriptor
    (returned, to pass to the child and close after) in ``PLANNER_LOG_FD``; and the level."""
    logger = logging.getLogger(logging_setup.LOGGER)
    env["PLANNER_LOG_LEVEL"] = logging.getLevelName(logger.getEffectiveLevel())
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler):
            env["PLANNER_LOG_FILE"] = handler.baseFilename
            return None
    try:
        fd = os.dup(sys.stderr.fileno())
    except (AttributeError, OSError, ValueError):  # no real stderr (an embedded server): the child stays silent
        return None
    env["PLANNER_LOG_FD"] = str(fd)
    return fd


def _log_to_parent() -> None:
    """In the child: send the ``planner`` loggers where the web app's go (see ``_log_target``)."""
    level = os.environ.get("PLANNER_LOG_LEVEL") or "INFO"
    if os.environ.get("PLANNER_LOG_FILE"):
        logging_setup.configure(os.environ["PLANNER_LOG_FILE"], level)
        return
    logger = logging.getLogger(logging_setup.LOGGER)
    logger.setLevel(level)
    try:
        stream = os.fdopen(int(os.environ["PLANNER_LOG_FD"]), "w", buffering=1, encoding="utf-8")
    except (KeyError, ValueError, OSError):
        logger.addHandler(logging.NullHandler())  # nowhere to write: the job row still says how it went
        logger.propagate = False
        return
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging_setup.JsonFormatter())
    logger.addHandler(handler)


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

    owner = threading.get_ident()
    side_lock = threading.Lock()

    def progress(message: str) -> None:
        """CP-SAT calls this from its own threads too, and a sqlite3 connection serves only the thread that opened
        it: those calls write through a short connection of their own. Progress is only a hint on the page, so a
        busy database skips that update rather than failing the job."""
        row = [message[:300], job_id]
        if threading.get_ident() == owner:
            db.execute("update plan_jobs set progress = ? where id = ?", row)
            return
        with side_lock:
            try:
                side = sqlite3.connect(database, timeout=5, isolation_level=None)
                try:
                    side.execute("update plan_jobs set progress = ? where id = ?", row)
                finally:
                    side.close()
            except sqlite3.OperationalError:
                pass

    started = time.monotonic()
    try:
        progress("loading the week")
        inst, read = load_week_for_run(db, job["week"], settings, travel_model(settings))
        log_event("plan job started", logger=LOG, job=job_id, week=job["week"], solver=solver,
                  time_limit_s=time_limit, open_visits=len(inst.visits), staff=len(inst.staff), pinned=len(inst.pins))
        plan = plan_week(inst, solver, time_limit, progress=progress)
        progress("writing the plan run")

        def finish(run_id: int) -> None:  # in the plan run's transaction: all of it is stored, or none
            audit(db, job["started_by"] or "web", "plan-week", "plan_run", str(run_id),
                  {"week": job["week"], "solver": solver, "job": job_id})
            db.execute("update plan_jobs set state = 'done', plan_run = ?, progress = ?, finished_at = ? "
                       "where id = ?", [run_id, "done", now_iso(), job_id])

        # edits made in the browser while it solved win (``read``)
        run_id = save_plan_run(db, plan, created_by=job["started_by"] or "web", read=read, then=finish)
    except Exception as exc:  # noqa: BLE001 - the job row and the log must say it failed, whatever happened
        db.execute("update plan_jobs set state = 'failed', error = ?, finished_at = ? where id = ?",
                   [f"{type(exc).__name__}: {exc}"[:500], now_iso(), job_id])
        log_event("plan job failed", logging.ERROR, LOG, job=job_id, week=job["week"], solver=solver,
                  duration_s=round(time.monotonic() - started, 2),
                  error=logging_setup.describe_exception(sys.exc_info()))
        raise
    else:
        edits = plan.get("edits_during_run") or {}
        log_event("plan job finished", logger=LOG, job=job_id, week=job["week"], solver=solver, plan_run=run_id,
                  planned=len(plan["assignments"]), unassigned=len(plan["unassigned"]), trips=len(plan["trips"]),
                  status=plan["status"], solve_s=round(plan["solve_seconds"], 2),
                  duration_s=round(time.monotonic() - started, 2), kept_edited=len(edits.get("visits") or []),
                  held_back=len(edits.get("not_planned") or []))
    finally:
        db.close()


def main(argv: list[str]) -> int:
    database, job_id, solver, time_limit = argv[0], int(argv[1]), argv[2], float(argv[3])
    _log_to_parent()
    settings = Settings.from_mapping(json.loads(os.environ.get("PLANNER_SETTINGS_JSON") or "{}"))
    try:
        run_job(database, job_id, solver, time_limit, settings)
    except Exception:  # noqa: BLE001 - logged and in the job row; a traceback would only go to a closed stderr
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
