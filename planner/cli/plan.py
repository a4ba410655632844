"""``planner plan-week``: plan every open visit of a week with OR-Tools (or the greedy baseline) and store it.

Progress goes to stderr (a line per step for cron mails and logs; at a terminal one status line rewritten in
place), the summary (or the plan JSON with ``--json``) to stdout. See docs/planning.md for the model and for cron
and systemd timer examples.
"""
from __future__ import annotations

import json
import logging
import shutil
import sys
import time

import click
from flask.cli import with_appcontext

from ..core.local_time import helsinki_today
from ..logging_setup import is_terminal, log_event
from ..core.messages import Message, english, english_tree, fmt_minutes, message
from ..context import get_db, get_settings
from ..core.weeks import next_week, parse_week


def _progress(progress: Message) -> None:
    """One line per step for cron mails and logs; at a terminal one status line, rewritten in place."""
    text = english(progress)
    line = f"plan-week: {text}"
    if is_terminal(sys.stderr):
        width = shutil.get_terminal_size().columns - 1
        end = "\n" if text == "done" else ""
        click.echo(f"\r\033[K{line[:width]}{end}", err=True, nl=False)
    else:
        click.echo(line, err=True)


def plan_summary(plan: dict, run_id: int | None) -> str:
    """A few lines for a person or a cron mail."""
    covered, total = len(plan["assignments"]), len(plan["assignments"]) + len(plan["unassigned"])
    travel = sum(t["travel_minutes"] for t in plan["trips"])
    cost = sum(t["cost_eur"] for t in plan["trips"])
    gap = "" if plan["gap"] is None else f", gap {plan['gap']:.1%} (bound {plan['bound']:,.0f})"
    over = {"all trips": ", optimal over every trip the rules allow",
            "candidates": ", optimal over the candidate trips only"}.get(plan.get("optimal_over") or "", "")
    lines = [f"Week {plan['week']}: {covered} of {total} visits planned, {len(plan['trips'])} trips, "
             f"{fmt_minutes(travel)} travel, €{cost:,.0f}; {plan['status']} objective {plan['objective']:,.0f}{gap}"
             f"{over}; {plan['solve_seconds']:.1f} s",
             f"Stored as plan run {run_id} (draft)." if run_id else "Dry run: nothing stored."]
    if plan.get("method"):
        stats = plan.get("stats") or {}
        seconds = ", ".join(f"{k} {v:.1f} s" for k, v in (stats.get("seconds") or {}).items())
        lines.insert(1, f"Path: {plan['method']} ({stats.get('why', '')}); {seconds}")
        if stats.get("meetings_before"):
            lines.insert(2, f"Changed {stats['meetings_changed']} of the {stats['meetings_before']} meetings the "
                            "week had before this run (moved to another person or day, or left out).")
    edits = plan.get("edits_during_run") or {}
    if edits.get("visits"):
        lines.append(f"{len(edits['visits'])} visit(s) changed during planning were left as edited: "
                     + ", ".join(edits["visits"]))
    if edits.get("not_planned"):
        lines.append(f"{len(edits['not_planned'])} visit(s) not planned because they shared a trip or a person's "
                     "time with those changes: " + ", ".join(edits["not_planned"]))
    for a in plan["assignments"]:
        lines.append(f"  {a['visit']:10} {a['start'][:16].replace('T', ' ')}  {', '.join(a['staff'])}  "
                     f"[{', '.join(a['trips'])}]")
    for u in plan["unassigned"]:
        lines.append(f"  {u['visit']:10} unassigned: {english(u['reason'])}")
    return "\n".join(lines)


@click.command("plan-week")
@click.option("--week", help="ISO week to plan, e.g. 2026-W50 (default: next week).")
@click.option("--time-limit", type=click.FloatRange(1, 3600), default=30.0, show_default=True,
              help="Seconds for the whole run, an upper bound on the wall clock (the search stops on "
                   "deterministic time, so the same data gives the same plan).")
@click.option("--solver", type=click.Choice(["cp-sat", "greedy"]), default="cp-sat", show_default=True,
              help="cp-sat: optimise and prove a bound; greedy: the by-hand baseline.")
@click.option("--dry-run", is_flag=True, help="Plan and print, but write nothing to the database.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan JSON instead of the summary.")
@with_appcontext
def plan_week_command(week: str | None, time_limit: float, solver: str, dry_run: bool, as_json: bool) -> None:
    """Plan every open visit whose window meets the week: who goes, from which office, when, on which trips."""
    import planner
    from ..optimize.run import InvalidPlan
    from ..planning.week_run import plan_and_store

    # --time-limit is the wall clock of the whole command, from the process's start (run inside another program,
    # such as a test's CliRunner, from here)
    started = planner.STARTED if planner.AS_COMMAND else time.perf_counter()
    week = week or next_week(helsinki_today())
    try:
        parse_week(week)
    except ValueError as exc:
        raise click.ClickException(f"--week: {exc}")
    def loaded(inst) -> None:  # structured events for the log (counts only; the progress lines are for people)
        log_event("plan run started", logger="planner.plan", week=week, solver=solver, time_limit_s=time_limit,
                  dry_run=dry_run, open_visits=len(inst.visits), staff=len(inst.staff), pinned=len(inst.pins))

    try:
        # edits made while it solves win; the audit entry is written in the plan run's transaction
        plan, run_id = plan_and_store(get_db(), week, get_settings(), solver=solver, time_limit=time_limit,
                                      actor="cli", created_by="plan-week", started=started, progress=_progress,
                                      dry_run=dry_run, loaded=loaded)
    except InvalidPlan as exc:
        log_event("plan run refused", logging.ERROR, logger="planner.plan", week=week, solver=solver,
                  reason="invalid plan")
        raise click.ClickException(f"the plan broke a rule and was not stored: {exc}")
    _progress(message("done"))
    edits = plan.get("edits_during_run") or {}
    log_event("plan run finished", logger="planner.plan", week=week, solver=solver, plan_run=run_id,
              planned=len(plan["assignments"]), unassigned=len(plan["unassigned"]), trips=len(plan["trips"]),
              status=plan["status"], solve_s=round(plan["solve_seconds"], 2),
              duration_s=round(time.perf_counter() - started, 2), kept_edited=len(edits.get("visits") or []),
              held_back=len(edits.get("not_planned") or []))
    if as_json:
        click.echo(json.dumps(english_tree(plan), ensure_ascii=False, indent=2))
    else:
        click.echo(plan_summary(plan, run_id))
    sys.stdout.flush()
