"""Plan jobs as the week plan shows them: the state in words of the page's language, where a job waits, how long
it has run (never the run's English progress or an error's text: those are in the log, by the job's number)."""
from __future__ import annotations

import time

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ...context import get_db
from ...planning import plan_jobs
from ...store import jobs


JOB_PHASES = {"starting": _l("starting"), "loading": _l("reading the week"),
              "planning": _l("working out travel and searching for the best plan"), "storing": _l("storing the plan")}


def job_message(job: dict, position: int | None) -> str:
    """One sentence on the job for the lead, in the page's language."""
    state = job["state"]
    if state == "queued":
        ahead = (position or 1) - 1
        return (ngettext("Waiting to start: %(num)d plan run is ahead of this one.",
                         "Waiting to start: %(num)d plan runs are ahead of this one.", ahead)
                if ahead else _("Waiting to start: this plan run is next."))
    if state == "running":
        return _("Planning: %(phase)s.", phase=JOB_PHASES.get(job["phase"] or "starting", JOB_PHASES["starting"]))
    if state == "done":
        return _("Planning finished.")
    if state == "cancelled":
        return _("Planning was stopped; nothing of it was stored.")
    unchanged = _("Nothing was changed: the plan and everyone's schedule are as they were.")
    reference = _("Reference for the log: plan job %(id)d.", id=job["id"])
    if job["error"] == plan_jobs.TIMEOUT:
        return " ".join((_("Planning took longer than its time limit and was stopped."), unchanged, reference))
    return " ".join((_("Planning failed."), unchanged, reference))


def job_view(job: dict) -> dict:
    """The job as the page shows it: its state in words of the page's language (never the run's English progress
    or an error's text: those are in the log, found by the job's number), where it waits, how long it has run."""
    db = get_db()
    # dispatch fails the jobs that can no longer finish and starts waiting ones: the row is read again after it
    plan_jobs.dispatch(db, current_app.config["DATABASE"], int(current_app.config["PLAN_JOBS_AT_ONCE"]))
    job = dict(jobs.job(db, job["id"]))
    elapsed = (max(0, round(time.time() - job["started_ts"])) if job["state"] == "running" and job["started_ts"]
               else None)
    position = plan_jobs.queue_position(db, job)
    return {**job, "queue_position": position, "elapsed_s": elapsed,
            "time_limit_s": round(job["time_limit"]) if job["time_limit"] else None,
            "message": job_message(job, position)}
