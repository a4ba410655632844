"""Planning a week and storing the plan: one way for ``planner plan-week`` and the browser's "Plan again" job.

Nothing is written until the plan is stored. "Plan again" re-plans the meetings that have a conflict (an absence,
"I can't make this trip", a day outside the visit's window): while it solves, those visits are planned as if open
and their trips hold nobody, but the meetings are withdrawn and the visits re-opened only inside the transaction
that stores the plan run. A run that fails, is stopped or is killed leaves the plan and every schedule as they were.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from sqlite_utils import Database

from .. import store
from ..core.messages import message
from ..core.settings import Settings
from ..core.travel import travel_model
from ..core.weeks import parse_week
from ..optimize.instance import Progress, WeekInstance
from ..optimize.run import plan_week
from ..store import plan_edits, plan_queries
from ..store.db import audit
from ..store.plan_runs import ReadState, save_plan_run
from .conflicts import conflicts
from .week_load import load_week_for_run
from .notices import ScheduleWatch

# The wall clock kept back for storing the plan run after the search: 0.3 s and 0.5 ms per visit, at most this
# share of the time limit (measured on the 2-core machine: 0.11 s at 300 visits, 0.24 s at 1,000, where a flat 5 % kept
# 6 s back at 120 s); the rest goes to loading, the travel matrix and the search.
STORE_SECONDS, STORE_PER_VISIT, STORE_SHARE = 0.3, 0.0005, 0.05


@dataclass(frozen=True)
class Withdrawal:
    """The week's meetings with a conflict, which the run plans again (``conflicts_to_replan``)."""
    trips: frozenset[str]
    meetings: tuple[tuple[int, str, int], ...]  # (meeting id, visit, version read)

    @property
    def visits(self) -> frozenset[str]:
        return frozenset(visit for _id, visit, _version in self.meetings)


NO_WITHDRAWAL = Withdrawal(frozenset(), ())


def conflicts_to_replan(db: Database, week: str) -> Withdrawal:
    """The trips of the week that have a conflict and their active meetings (read only: nothing is changed); and
    with them every other trip to one of those meetings and its meetings, and so on: a trip's route and costs were
    made through all its meetings, so one that loses a meeting is planned again whole (a teammate's trip too)."""
    monday, sunday = parse_week(week)
    trips = frozenset(c["trip"] for c in conflicts(db, monday, sunday))
    if not trips:
        return NO_WITHDRAWAL
    while True:
        rows = plan_queries.meetings_reaching(db, trips)
        reached = trips | frozenset(plan_queries.trips_reaching(db, [r["id"] for r in rows]))
        if reached == trips:
            return Withdrawal(trips, tuple((r["id"], r["visit"], r["version"]) for r in rows))
        trips = reached


def withdraw(db: Database, withdrawal: Withdrawal, read: ReadState, actor: str, week: str) -> list[str]:
    """Inside the transaction that stores the run: withdraw the conflicting meetings that are still as the run read
    them, re-open their visits and resolve the "can't make it" answers. ``read`` is brought up to date with these
    writes, so the run does not take its own changes for a person's edit; a meeting someone changed meanwhile is
    left to ``merge_edits`` (their change wins). Returns the re-opened visit ids."""
    withdrawn: dict[int, str] = {}
    for meeting_id, visit, version in withdrawal.meetings:
        now = plan_queries.meeting_with_week(db, meeting_id)
        if now is not None and now["state"] == "active" and now["version"] == version:
            plan_edits.withdraw_meeting(db, meeting_id)
            withdrawn[meeting_id] = visit
    for trip in sorted(withdrawal.trips):  # withdraw_meeting superseded the trips it left without a meeting
        plan_edits.resolve_declines_if_superseded(db, trip)
    reopened = set(withdrawn.values())
    for visit in sorted(reopened):
        plan_edits.set_visit_status(db, visit, "open")
    # What the run itself just wrote is not an edit made while it ran.
    for meeting_id in withdrawn.keys() & read.meetings.keys():
        read.meetings[meeting_id] = plan_queries.meeting_with_week(db, meeting_id)["version"]
    for visit in reopened & read.visits.keys():
        read.visits[visit] = store.load_visit(db, visit).version
    if reopened:
        audit(db, actor, "reopen", "week", week, {"visits": sorted(reopened)})
    return sorted(reopened)


def plan_and_store(db: Database, week: str, settings: Settings, *, solver: str, time_limit: float, actor: str,
                   created_by: str | None = None, audit_detail: dict | None = None, started: float | None = None,
                   progress: Progress | None = None, phase: Callable[[str], None] | None = None,
                   replan_conflicts: bool = False, dry_run: bool = False,
                   loaded: Callable[[WeekInstance], None] | None = None,
                   then: Callable[[int], None] | None = None) -> tuple[dict, int | None]:
    """Plan ``week`` and store it as a draft plan run; returns the plan JSON and the run id (None on a dry run).

    ``time_limit`` is the wall clock of the whole run from ``started`` (``time.perf_counter()``; default now): loading,
    the travel matrix, the search and storing. ``replan_conflicts``: plan the meetings with a conflict again
    (``withdraw``, in the storing transaction). The audit entry (``actor``, with ``audit_detail``) and
    ``then(run_id)`` (a job marks itself done there) are written in that transaction too. ``loaded(instance)`` is
    told what was loaded, before the search; ``phase`` is told 'loading', 'planning' and 'storing'."""
    started = time.perf_counter() if started is None else started
    say = progress or (lambda _message: None)
    step = phase or (lambda _phase: None)
    step("loading")
    say(message("loading_week", week=week))
    withdrawal = conflicts_to_replan(db, week) if replan_conflicts else NO_WITHDRAWAL
    # the network as it runs that week (from its Monday: a link opening mid-week counts from the next week)
    travel = travel_model(settings, day=parse_week(week)[0])
    inst, read = load_week_for_run(db, week, settings, travel, withdrawal.visits, withdrawal.trips)
    say(message("loaded", visits=len(inst.visits), staff=len(inst.staff), pinned=len(inst.pins),
                replanned=len(withdrawal.visits) if withdrawal.meetings else None))
    if loaded is not None:
        loaded(inst)
    step("planning")
    deadline = started + time_limit - min(STORE_SHARE * time_limit, STORE_SECONDS + STORE_PER_VISIT * len(inst.visits))
    plan = plan_week(inst, solver, time_limit, progress=progress, deadline=deadline)
    if dry_run:
        return plan, None
    step("storing")
    say(message("writing_run"))

    # a published trip planned again: its people are told (every trip to a withdrawn meeting is withdrawn with it)
    watch = ScheduleWatch(db, {s for trip in withdrawal.trips for s in plan_queries.staff_of_trip(db, trip)})

    def before() -> None:  # first in the plan run's transaction
        if withdrawal.meetings:
            watch.start()
            withdraw(db, withdrawal, read, actor, week)

    def stored(run_id: int) -> None:  # last in the plan run's transaction
        audit(db, actor, "plan-week", "plan_run", str(run_id), {"week": week, "solver": solver, **(audit_detail or {})})
        watch.finish()
        if then is not None:
            then(run_id)

    run_id = save_plan_run(db, plan, created_by=created_by or actor, read=read, then=stored, before=before)
    return plan, run_id
