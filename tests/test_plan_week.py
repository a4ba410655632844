"""``planner plan-week`` end to end: the demo week in a real SQLite file, through the CLI."""
from __future__ import annotations

import json
from datetime import date

import pytest

from planner.core.messages import english_tree
from planner.ops import importer
from planner.ops.demo import demo_document
from planner.planning.week_load import load_week
from planner.optimize.validate import check_plan
from planner.core.travel import NetworkTravelModel
from planner.core.settings import Settings

import plan_checker
from optimize_support import without_clock

TODAY = date(2026, 12, 2)
WEEK = "2026-W50"
LIMIT = "10"
DEFAULT_LIMIT = "30"  # plan-week's own default


@pytest.fixture
def demo_db(app, db):
    importer.apply(db, importer.check(demo_document(TODAY), db))
    return db


def run(runner, *args, limit: str = LIMIT):
    result = runner.invoke(args=["plan-week", "--week", WEEK, "--time-limit", limit, *args])
    assert result.exit_code == 0, result.output + (getattr(result, "stderr", "") or "")
    return result


def plan_of(result) -> dict:
    return json.loads(result.stdout if hasattr(result, "stdout") else result.output)


def checked(plan, db):
    inst = load_week(db, WEEK, Settings(), NetworkTravelModel(Settings()))
    inst.precompute_travel()
    # the plan's own run no longer blocks people, so the week reads as it did before the run
    assert check_plan(plan, inst) == []
    staff = inst.staff
    from planner import store
    assert plan_checker.check(plan, inst.visits, staff, store.load_absences(db)) == []
    ids = [a["visit"] for a in plan["assignments"]] + [u["visit"] for u in plan["unassigned"]]
    assert sorted(ids) == sorted(v.id for v in inst.visits) and len(ids) == 16
    return plan


def test_plan_week_end_to_end(demo_db, runner):
    # at the default limit, as a user runs it: at 10 s on a slow machine the pricing may not make the week's
    # chains in its time, and the plan is then optimal over the candidates only (CI once had one run of each)
    first = run(runner, "--json", limit=DEFAULT_LIMIT)
    plan = checked(plan_of(first), demo_db)
    assert plan["status"] in ("OPTIMAL", "FEASIBLE") and 0 <= plan["gap"] <= 0.01
    assert all(a["explanation"] for a in plan["assignments"])
    assert all(u["reason"] for u in plan["unassigned"])
    assert "plan-week: solving" in (getattr(first, "stderr", "") or "")
    runs = list(demo_db.query("select * from plan_runs where week = ?", [WEEK]))
    # stored with its reasons as messages (code and parameters), printed with them in English
    assert len(runs) == 1 and runs[0]["state"] == "draft" and english_tree(json.loads(runs[0]["result"])) == plan
    assert demo_db["trips"].count == len(plan["trips"])
    assert demo_db["meetings"].count == len(plan["assignments"])
    assert {r["status"] for r in demo_db.query("select status from visits")} == {"open"}

    # the same data gives the same plan; the earlier draft is superseded
    second = plan_of(run(runner, "--json", limit=DEFAULT_LIMIT))
    assert {k: v for k, v in without_clock(second).items() if k != "stats"} == \
        {k: v for k, v in without_clock(plan).items() if k != "stats"}
    # planned again over its own draft: it changes none of its meetings, and says so
    assert second["stats"]["meetings_before"] == len(plan["assignments"]) and second["stats"]["meetings_changed"] == 0
    states = [r["state"] for r in demo_db.query("select state from plan_runs order by id")]
    assert states == ["superseded", "draft"]

    # export returns the week as it stands: right after the run, the stored plan with the database's trip ids
    def exported():
        result = runner.invoke(args=["export", "--week", WEEK, "--format", "json"])
        assert result.exit_code == 0
        return json.loads(result.output)

    def meetings(p):
        return sorted((a["visit"], tuple(a["staff"]), a["start"], a["end"], a["pinned"]) for a in p["assignments"])

    doc = exported()
    run_id = next(demo_db.query("select id from plan_runs where state = 'draft'"))["id"]
    assert doc["edited"] is False and (doc["status"], doc["objective"], doc["gap"]) == \
        (second["status"], second["objective"], second["gap"])
    assert meetings(doc) == meetings(second) and doc["unassigned"] == second["unassigned"]
    assert sorted(t["id"] for t in doc["trips"]) == sorted(f"r{run_id}-{t['id']}" for t in second["trips"])
    assert {t["state"] for t in doc["trips"]} == {"draft"}
    # ... and after a lead's edit, the plan as edited
    from planner.store import plan_edits
    gone = doc["assignments"][0]
    meeting = next(demo_db.query("select id from meetings where visit = ? and plan_run = ?", [gone["visit"], run_id]))
    with demo_db.conn:
        plan_edits.withdraw_meeting(demo_db, meeting["id"])
    edited = exported()
    assert edited["edited"] is True and gone["visit"] in {u["visit"] for u in edited["unassigned"]}
    assert meetings(edited) == [m for m in meetings(doc) if m[0] != gone["visit"]]
    assert all(gone["visit"] not in t["visits"] for t in edited["trips"])

    # greedy works, is valid, and covers no more than CP-SAT with no less travel per visit
    greedy = checked(plan_of(run(runner, "--json", "--solver", "greedy", "--dry-run")), demo_db)
    assert greedy["status"] == "GREEDY" and greedy["gap"] is None
    assert len(plan["assignments"]) >= len(greedy["assignments"])
    assert plan["objective"] <= greedy["objective"]


def test_dry_run_writes_nothing_and_summary_is_text(demo_db, runner):
    result = run(runner, "--dry-run")
    assert "Dry run: nothing stored." in result.output and "visits planned" in result.output
    assert demo_db["plan_runs"].count == 0 and demo_db["trips"].count == 0


def test_pinned_meeting_survives_replanning(demo_db, runner):
    plan = plan_of(run(runner, "--json", "--solver", "greedy"))
    a = next(a for a in plan["assignments"] if a["visit"] == "demo-09")
    demo_db.execute("update meetings set pinned = 1 where visit = 'demo-09'")
    again = plan_of(run(runner, "--json"))
    b = next(x for x in again["assignments"] if x["visit"] == "demo-09")
    assert (b["staff"], b["start"], b["pinned"]) == (a["staff"], a["start"], True)
    row = next(demo_db.query("select pinned from meetings where visit = 'demo-09' order by id desc limit 1"))
    assert row["pinned"] == 1


def test_bad_week_is_one_line_error(demo_db, runner):
    result = runner.invoke(args=["plan-week", "--week", "2026-50"])
    assert result.exit_code != 0
    assert "is not a week" in (getattr(result, "stderr", "") or result.output)
