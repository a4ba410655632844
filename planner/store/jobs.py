"""The ``plan_jobs`` table: the queue and progress of "Plan again" jobs (``planner.planning.plan_jobs`` runs them)."""
from __future__ import annotations

import time

from sqlite_utils import Database

from .db import now_iso


def job(db: Database, job_id: int) -> dict | None:
    return next(db.query("select * from plan_jobs where id = ?", [job_id]), None)


def job_state(db: Database, job_id: int) -> str | None:
    row = next(db.query("select state from plan_jobs where id = ?", [job_id]), None)
    return row["state"] if row else None


def running_jobs(db: Database) -> list[dict]:
    return list(db.query("select * from plan_jobs where state = 'running'"))


def waiting_or_running(db: Database, week: str) -> dict | None:
    """The week's job that is queued or running (there is at most one), or None."""
    return next(db.query("select * from plan_jobs where week = ? and state in ('queued', 'running') "
                         "order by id desc", [week]), None)


def queue_position(db: Database, job_id: int) -> int:
    """How many queued jobs start before this one, plus one."""
    return next(db.query("select count(*) as n from plan_jobs where state = 'queued' and id <= ?", [job_id]))["n"]


def add_job(db: Database, row: dict) -> int:
    return db["plan_jobs"].insert(row).last_pk


def claim_queued(db: Database, at_once: int) -> list[int]:
    """Mark the oldest queued jobs running while fewer than ``at_once`` run; returns their ids. Call it inside a
    write transaction, so two processes never claim the same job."""
    running = next(db.query("select count(*) as n from plan_jobs where state = 'running'"))["n"]
    claimed = [r["id"] for r in db.query("select id from plan_jobs where state = 'queued' order by id limit ?",
                                         [max(0, at_once - running)])]
    for job_id in claimed:
        db.execute("update plan_jobs set state = 'running', started_at = ?, started_ts = ?, phase = 'starting', "
                   "progress = 'starting' where id = ?", [now_iso(), time.time(), job_id])
    return claimed


def set_pid(db: Database, job_id: int, pid: int) -> None:
    db.execute("update plan_jobs set pid = ? where id = ?", [pid, job_id])


def set_progress(db: Database, job_id: int, fields: dict[str, str]) -> None:
    """Write ``fields`` (progress, phase) to a running job's row."""
    db.execute(f"update plan_jobs set {', '.join(f'{k} = ?' for k in fields)} "
               "where id = ? and state = 'running'", [*fields.values(), job_id])


def mark_done(db: Database, job_id: int, run_id: int) -> None:
    db.execute("update plan_jobs set state = 'done', plan_run = ?, progress = ?, phase = ?, finished_at = ? "
               "where id = ?", [run_id, "done", "done", now_iso(), job_id])


def mark_failed(db: Database, job_id: int, code: str) -> bool:
    """Mark a running job failed with the error code; False when it was no longer running."""
    return bool(db.execute("update plan_jobs set state = 'failed', error = ?, finished_at = ? where id = ? "
                           "and state = 'running'", [code, now_iso(), job_id]).rowcount)


def mark_cancelled(db: Database, job_id: int, error: str) -> bool:
    """Mark a waiting or running job cancelled; False when it had ended already."""
    return bool(db.execute("update plan_jobs set state = 'cancelled', error = ?, finished_at = ? where id = ? "
                           "and state in ('queued', 'running')", [error, now_iso(), job_id]).rowcount)
