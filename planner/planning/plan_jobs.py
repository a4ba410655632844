""""Plan again" from the browser: the weekly optimizer in a separate process, with its progress in ``plan_jobs``.

The web request only starts the job and returns; the page polls the job's status. A process of its own (not a
thread) keeps a long CP-SAT solve from holding the web server's interpreter, so other users are never blocked.

    python -m planner.planning.plan_jobs DATABASE JOB_ID   (the job row says the week, solver, time limit and settings)

Jobs wait in a queue: at most ``PLAN_JOBS_AT_ONCE`` run at once (``start_job`` and ``dispatch``; a job that ends
starts the next). A job's time limit is the wall clock of its whole run, loading included; one that overruns it by
more than ``overrun_margin`` is ended (by the kernel's alarm in the job itself, and by ``fail_stale_jobs`` in the
web app) and marked failed. Whatever ends a job, nothing of it is stored unless it finished.

Structured log events (``planner.plan`` logger, counts only, like ``planner plan-week``): ``plan job started``,
``plan job finished`` and ``plan job failed`` (by the child, with the error's type and place, never its message;
or by the web app when it finds the child's process gone). The child writes to the web app's log: the same
``LOG_FILE``, or a copy of the web app's stderr (its own stderr stays closed: nothing but these lines leaves it).
"""
from __future__ import annotations

import json
import logging
import math
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlite_utils import Database

from .. import STARTED, logging_setup
from ..store.concurrency import write_transaction
from ..store import jobs
from ..store.db import audit, connect, now_iso, open_db
from ..logging_setup import log_event
from ..core.messages import Message, english
from ..core.settings import Settings
from . import notices
from .notices import plan_job_ended


LOG = "planner.plan"
# Why a job failed (the ``error`` column; the page words it in the reader's language, the log has the details):
# the run raised, it overran its time limit and was ended, or its process stopped on its own.
ERROR, TIMEOUT, STOPPED = "error", "timeout", "stopped"
# A claimed job whose process never got its pid recorded (the starting request died) is failed after this long.
START_GRACE_SECONDS = 60


def overrun_margin(time_limit: float) -> float:
    """How long past its time limit a job may run (storing a big plan, a slow machine) before it is ended."""
    return max(15.0, 0.25 * time_limit)


def default_at_once() -> int:
    """Plan jobs at once by default: one per two cores (each solve uses up to two), at least one."""
    return max(1, (os.cpu_count() or 2) // 2)


def _fail(db: Database, job_id: int, code: str, reason: str, log: bool = True) -> bool:
    """Mark the job failed and tell the lead who started it (once, even when two requests find the same dead job);
    ``log``: log it here (the job's own process logs its failure with more to say)."""
    with write_transaction(db):
        marked = jobs.mark_failed(db, job_id, code)
        if marked:
            job = jobs.job(db, job_id)
            plan_job_ended(db, job["started_by"], job["week"], "failed")
    if marked and log:
        log_event("plan job failed", logging.ERROR, LOG, job=job_id, reason=reason)
    return marked


def fail_stale_jobs(db: Database) -> list[int]:
    """End the running jobs that can no longer finish well, and mark them failed: a job whose process is gone
    (killed, crashed, lost in a restart of the machine: its pid may then belong to another process, so the process
    must be this job's), one that overran its time limit by more than ``overrun_margin`` (its process group is
    ended first), and one whose process never started. Such a run wrote nothing: it stores its plan in one
    transaction at the very end. Returns the job ids marked."""
    marked = []
    now = time.time()
    for job in jobs.running_jobs(db):
        overran = (job["started_ts"] is not None and job["time_limit"] is not None
                   and now > job["started_ts"] + job["time_limit"] + overrun_margin(job["time_limit"]))
        if job["pid"] is None:
            if job["started_ts"] is not None and now > job["started_ts"] + START_GRACE_SECONDS:
                marked += [job["id"]] if _fail(db, job["id"], STOPPED, "process never started") else []
            continue
        alive = _job_alive(job["pid"], job["id"])
        if alive and overran:
            _end_process(job["pid"], job["id"])
        if overran or not alive:
            code, reason = (TIMEOUT, "time limit overrun") if overran else (STOPPED, "process stopped")
            marked += [job["id"]] if _fail(db, job["id"], code, reason) else []
    return marked


def running_job(db: Database, week: str) -> dict | None:
    """The week's job waiting or running (jobs that can no longer finish are marked failed first)."""
    fail_stale_jobs(db)
    job = jobs.waiting_or_running(db, week)
    return dict(job) if job else None


def queue_position(db: Database, job: dict) -> int | None:
    """1 for the next job to start, 2 for the one after it...; None when the job is not waiting."""
    if job["state"] != "queued":
        return None
    return jobs.queue_position(db, job["id"])


def _job_alive(pid: int, job_id: int) -> bool:
    """Is ``pid`` still this job's planning process? (/proc where there is one, else only whether it exists.)"""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if Path("/proc/self/cmdline").exists():
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            return False
        return b"planner.planning.plan_jobs" in args and str(job_id).encode() in args
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_job(db: Database, database: str, settings_overrides: dict, week: str, actor: str,
              solver: str = "cp-sat", time_limit: float = 20.0, at_once: int | None = None) -> int:
    """Ask to plan ``week``: a job is queued, unless the week has one waiting or running already (that one's id is
    returned; one per week, atomically: two presses at the same instant make one job), then as many queued jobs
    start as ``at_once`` allows (default ``default_at_once``). Returns the job id."""
    at_once = at_once or default_at_once()
    with write_transaction(db):
        existing = jobs.waiting_or_running(db, week)
        now = now_iso()
        job_id = existing["id"] if existing else jobs.add_job(db, {
            "week": week, "started_by": actor, "started_at": now, "queued_at": now, "state": "queued",
            "progress": "waiting", "phase": "queued", "solver": solver, "time_limit": float(time_limit),
            "settings": json.dumps(settings_overrides or {}, default=str)})
    dispatch(db, database, at_once)
    return job_id


def dispatch(db: Database, database: str, at_once: int) -> list[int]:
    """Start queued jobs, oldest first, while fewer than ``at_once`` run (jobs that can no longer finish are
    failed first, so they free their place). Claiming is atomic, so two processes never start the same job.
    Returns the job ids started."""
    fail_stale_jobs(db)
    with write_transaction(db):
        claimed = jobs.claim_queued(db, at_once)
    for job_id in claimed:
        _spawn(db, database, job_id, at_once)
    return claimed


def _spawn(db: Database, database: str, job_id: int, at_once: int) -> None:
    """The job's own process: a session of its own (so stopping it ends everything it started)."""
    env = dict(os.environ, PLANNER_PLAN_JOBS_AT_ONCE=str(at_once),
               PLANNER_NOTICE_GATHER_SECONDS=str(notices.GATHER_SECONDS))   # the app's window, for its notices
    log_fd = _log_target(env)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "planner.planning.plan_jobs", database, str(job_id)],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, pass_fds=(log_fd,) if log_fd is not None else ())
    finally:
        if log_fd is not None:
            os.close(log_fd)
    jobs.set_pid(db, job_id, proc.pid)
    # Reap the child when it ends so it leaves no zombie behind.
    threading.Thread(target=proc.wait, daemon=True, name=f"plan-job-{job_id}").start()


def cancel_job(db: Database, job_id: int, actor: str) -> bool:
    """Stop a job: a waiting one leaves the queue; a running one's process (and anything it started) is ended.
    Either is marked 'cancelled'. The run stores its plan in one transaction at the very end, so a process ended
    before that stored nothing; one that already committed is 'done' and stays so. Returns whether this call
    cancelled the job."""
    job = job_status(db, job_id)
    if job is None or job["state"] not in ("queued", "running"):
        return False
    if job["state"] == "running" and job["pid"] and _job_alive(job["pid"], job_id):
        _end_process(job["pid"], job_id)
    cancelled = jobs.mark_cancelled(db, job_id, f"cancelled by {actor}")
    if cancelled:
        audit(db, actor, "plan-job-cancelled", "plan_job", str(job_id), {"week": job["week"]})
        log_event("plan job cancelled", logger=LOG, job=job_id, week=job["week"])
    return cancelled


def _end_process(pid: int, job_id: int) -> None:
    """End the job's process group (its own session: ``_spawn``) and wait until it is gone."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    _wait_gone(pid, job_id)


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
    """The job's row (a running job that can no longer finish is marked failed first); None when unknown."""
    if jobs.job_state(db, job_id) == "running":
        fail_stale_jobs(db)
    job = jobs.job(db, job_id)
    return dict(job) if job else None


class JobProgress:
    """The job's progress, written to its row by a thread of its own with its own connection. The optimizer reports
    from any thread (CP-SAT's solution callbacks run in the solver's), and an SQLite connection belongs to the
    thread that made it: a report only hands its text over (the newest wins), so the search never waits for the
    database and never touches a connection of another thread."""

    INTERVAL = 0.5  # seconds between writes at most: the page polls about once a second

    def __init__(self, database: str, job_id: int):
        self.database, self.job_id = database, job_id
        self._lock = threading.Lock()
        self._pending: dict[str, str] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._write_loop, daemon=True, name=f"plan-job-{job_id}-progress")
        self._thread.start()

    def __call__(self, message: Message | str) -> None:
        """Hand over a progress message; the row keeps its English line (the job JSON's ``progress``)."""
        self._hand_over(progress=english(message)[:300])

    def phase(self, phase: str) -> None:
        """Where the run is: loading, planning or storing (the page words it in the reader's language)."""
        self._hand_over(phase=phase)

    def _hand_over(self, **fields: str) -> None:
        with self._lock:
            self._pending.update(fields)
        self._wake.set()

    def close(self) -> None:
        """Write what is pending and stop the thread."""
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=30)

    def _write_loop(self) -> None:
        db = connect(self.database)  # this thread's own connection
        try:
            while True:
                self._wake.wait()
                stopping = self._stop.is_set()
                with self._lock:
                    fields, self._pending = self._pending, {}
                    self._wake.clear()
                if fields:
                    try:
                        jobs.set_progress(db, self.job_id, fields)
                    except sqlite3.Error:  # progress is a courtesy: a busy database never fails the run
                        pass
                if stopping:
                    return
                self._stop.wait(self.INTERVAL)
        finally:
            db.close()


def run_job(database: str, job_id: int, started: float | None = None) -> None:
    """Plan the job's week with what the job asked for (solver, time limit, settings) and store the plan run; the
    progress and the outcome go to the job row. The time limit runs from ``started`` (``time.perf_counter()``;
    ``main`` gives the start of the job's process; default now)."""
    from ..optimize.run import InvalidPlan
    from ..planning.week_run import plan_and_store

    started = time.perf_counter() if started is None else started
    db = open_db(database)
    job = dict(jobs.job(db, job_id))
    solver, time_limit = job["solver"] or "cp-sat", float(job["time_limit"] or 20.0)
    # The kernel ends this process if it is still here well past its limit, even inside the solver's C++ code.
    signal.alarm(math.ceil(time_limit + overrun_margin(time_limit)))
    progress = JobProgress(database, job_id)
    actor = job["started_by"] or "web"

    def loaded(inst) -> None:
        log_event("plan job started", logger=LOG, job=job_id, week=job["week"], solver=solver,
                  time_limit_s=time_limit, open_visits=len(inst.visits), staff=len(inst.staff), pinned=len(inst.pins))

    def finish(run_id: int) -> None:  # in the plan run's transaction: all of it is stored, or none
        jobs.mark_done(db, job_id, run_id)
        plan_job_ended(db, job["started_by"], job["week"], "done")

    try:
        plan, run_id = plan_and_store(
            db, job["week"], Settings.from_mapping(json.loads(job["settings"] or "{}")), solver=solver,
            time_limit=time_limit, actor=actor, audit_detail={"job": job_id}, started=started, progress=progress,
            phase=progress.phase, replan_conflicts=True, loaded=loaded, then=finish)
    except Exception as exc:  # noqa: BLE001 - the job row and the log must say it failed, whatever happened
        progress.close()
        _fail(db, job_id, ERROR, "invalid plan" if isinstance(exc, InvalidPlan) else "error", log=False)
        log_event("plan job failed", logging.ERROR, LOG, job=job_id, week=job["week"], solver=solver,
                  duration_s=round(time.perf_counter() - started, 2),
                  reason="invalid plan" if isinstance(exc, InvalidPlan) else "error",
                  error=logging_setup.describe_exception(sys.exc_info()))
        raise
    else:
        progress.close()
        edits = plan.get("edits_during_run") or {}
        log_event("plan job finished", logger=LOG, job=job_id, week=job["week"], solver=solver, plan_run=run_id,
                  planned=len(plan["assignments"]), unassigned=len(plan["unassigned"]), trips=len(plan["trips"]),
                  status=plan["status"], solve_s=round(plan["solve_seconds"], 2),
                  duration_s=round(time.perf_counter() - started, 2), kept_edited=len(edits.get("visits") or []),
                  held_back=len(edits.get("not_planned") or []))
    finally:
        signal.alarm(0)
        try:  # the next waiting job starts now that this one's place is free
            dispatch(db, database, int(os.environ.get("PLANNER_PLAN_JOBS_AT_ONCE") or default_at_once()))
        finally:
            db.close()


def main(argv: list[str]) -> int:
    database, job_id = argv[0], int(argv[1])
    _log_to_parent()
    notices.GATHER_SECONDS = float(os.environ.get("PLANNER_NOTICE_GATHER_SECONDS") or notices.GATHER_SECONDS)
    try:
        run_job(database, job_id, STARTED)
    except Exception:  # noqa: BLE001 - logged and in the job row; a traceback would only go to a closed stderr
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
