"""Privacy on the command line: ``planner purge`` (retention, one transaction, audited) and ``planner export-person``
(access requests by a staff member or a client), and free text kept out of ``planner export``."""
from __future__ import annotations

import json
import os
import stat
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from planner import store
from planner.store.db import audit
from planner.ops.demo import load_demo
from planner.core.records import Absence
from planner.ops.privacy import PrivacyError, cutoff_for, months_before
from planner.core.local_time import helsinki_today
from planner.core.weeks import week_of

# Set by the ``team`` fixture from Finland's today, just before each test (``purge`` takes its own today then: a
# suite that runs past midnight must not see two different days).
TODAY = OLD = RECENT = None
CASE_OLD, CASE_RECENT = "IK-2024-0777", "IK-2026-0888"
SECRET_NOTE = "Sister's wedding in Tornio"
SECRET_REASON = "My car broke down at Kemi"


def out(result) -> str:
    return result.output + (getattr(result, "stderr", "") or "")


def add_visit(db, visit_id: str, earliest: date, latest: date, case: str | None = None) -> None:
    db["visits"].insert({"id": visit_id, "kind": "client", "case_code": case, "place_name": "Kemi", "lat": 65.736,
                         "lon": 24.564, "earliest": earliest.isoformat(), "latest": latest.isoformat(),
                         "duration_min": 90, "staff_needed": 1, "status": "planned",
                         "created_at": f"{earliest}T09:00:00", "updated_at": f"{earliest}T09:00:00"})


def add_run(db, day: date) -> int:
    return db["plan_runs"].insert({"week": week_of(day), "created_at": f"{day}T07:00:00", "solver": "manual",
                                   "status": "MANUAL", "state": "published",
                                   "result": json.dumps({"week": week_of(day), "status": "MANUAL", "objective": None,
                                                         "bound": None, "gap": None, "solve_seconds": 0.0,
                                                         "assignments": [], "trips": [], "unassigned": []})}).last_pk


def add_trip(db, run: int, trip_id: str, day: date, staff: str = "oulu-sc", days: int = 1) -> str:
    db["trips"].insert({"id": trip_id, "plan_run": run, "office": "oulu", "depart": f"{day}T07:00:00",
                        "return": f"{day + timedelta(days - 1)}T18:00:00", "state": "published", "legs": "[]"})
    db["trip_staff"].insert({"trip": trip_id, "staff": staff})
    return trip_id


def add_meeting(db, run: int, visit_id: str, day: date, trips: list[str], staff: str = "oulu-sc") -> int:
    meeting = db["meetings"].insert({"plan_run": run, "visit": visit_id, "start": f"{day}T10:00:00",
                                     "end": f"{day}T11:30:00", "staff": json.dumps([staff]),
                                     "state": "active"}).last_pk
    db["meeting_trips"].insert_all([{"meeting": meeting, "trip": t} for t in trips])
    return meeting


@pytest.fixture
def team(db):
    global TODAY, OLD, RECENT
    TODAY = helsinki_today()
    OLD = TODAY - timedelta(days=400)      # well before a 12-month cutoff
    RECENT = TODAY - timedelta(days=10)
    load_demo(db, TODAY)
    return db


@pytest.fixture
def history(team):
    """An old visit (with meeting, trip, a "can't make it" answer), a recent one, an old visit whose meeting was
    moved after the cutoff, an old trip shared with a visit whose window reaches past the cutoff, absences."""
    db = team
    old_run = add_run(db, OLD)
    add_visit(db, "old-1", OLD - timedelta(3), OLD, CASE_OLD)
    add_trip(db, old_run, "old-T1", OLD)
    add_meeting(db, old_run, "old-1", OLD, ["old-T1"])
    db["trip_declines"].insert({"trip": "old-T1", "staff": "oulu-sc", "reason": SECRET_REASON,
                                "created_at": f"{OLD}T08:00:00", "resolved_at": f"{OLD}T09:00:00"})
    # An old window, but its meeting was moved to a recent day: kept.
    add_visit(db, "old-moved", OLD, OLD + timedelta(2))
    recent_run = add_run(db, RECENT)
    add_trip(db, recent_run, "moved-T1", RECENT)
    add_meeting(db, recent_run, "old-moved", RECENT, ["moved-T1"])
    # An old trip that also reached a visit whose window runs until recently: the trip and that meeting stay,
    # the old visit on the same trip goes.
    shared_run = add_run(db, OLD)
    add_visit(db, "old-2", OLD, OLD)
    add_visit(db, "long-window", OLD, RECENT)
    add_trip(db, shared_run, "shared-T1", OLD)
    add_meeting(db, shared_run, "old-2", OLD, ["shared-T1"])
    add_meeting(db, shared_run, "long-window", OLD, ["shared-T1"])
    # A recent visit, planned.
    add_visit(db, "recent-1", RECENT, RECENT, CASE_RECENT)
    add_trip(db, recent_run, "recent-T1", RECENT)
    add_meeting(db, recent_run, "recent-1", RECENT, ["recent-T1"])
    store.add_absence(db, Absence("oulu-sc", OLD, OLD + timedelta(4), "vacation"), note=SECRET_NOTE)
    store.add_absence(db, Absence("oulu-sc", RECENT, RECENT + timedelta(1), "sick_leave"))
    db["audit_log"].insert({"at": f"{OLD}T10:00:00", "actor": "user:1", "action": "view", "entity": "visit",
                            "entity_id": "old-1", "detail": "{}"})
    for day in (OLD, TODAY):   # the sign-in lock-out's failures, in Unix time
        db["sign_in_failures"].insert({"scope": "address", "key": f"hash-{day}",
                                       "at": datetime.combine(day, time(12)).timestamp()})
    return db


def counts(db) -> dict[str, int]:
    return {t: db[t].count for t in ("visits", "meetings", "meeting_trips", "trips", "trip_staff", "trip_declines",
                                     "plan_runs", "absences", "audit_log")}


def ids(db, table: str) -> set:
    return {r["id"] for r in db.query(f"select id from [{table}]")}


# Cutoffs -------------------------------------------------------------------------------------------------------

def test_cutoffs_in_months_and_days():
    assert cutoff_for("12m", date(2026, 11, 29)) == date(2025, 11, 29)
    assert cutoff_for("1m", date(2026, 3, 31)) == date(2026, 2, 28)
    assert cutoff_for("400d", date(2026, 11, 29)) == date(2025, 10, 25)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    for age in ("2d", "0m", "27d", "12", "12y", "", "m"):
        with pytest.raises(PrivacyError):
            cutoff_for(age, date(2026, 11, 29))


# Purge ---------------------------------------------------------------------------------------------------------

def test_purge_removes_old_data_keeps_recent_and_audits_itself(history, runner):
    db = history
    result = runner.invoke(args=["purge", "--older-than", "12m"])
    assert result.exit_code == 0, out(result)
    assert "visits" in result.output and "audit log kept" in result.output
    assert ids(db, "visits") == {"old-moved", "long-window", "recent-1"} | {f"demo-{n:02d}" for n in range(1, 17)}
    assert ids(db, "trips") == {"moved-T1", "shared-T1", "recent-T1"}
    assert {r["visit"] for r in db.query("select visit from meetings")} == {"old-moved", "long-window", "recent-1"}
    assert db["trip_declines"].count == 0
    assert list(db.query("select trip from meeting_trips where trip = 'shared-T1'")) == [{"trip": "shared-T1"}]
    assert db["absences"].count_where("to_date < ?", [months_before(TODAY, 12).isoformat()]) == 0
    assert db["absences"].count_where("from_date = ? and kind = 'sick_leave'", [RECENT.isoformat()]) == 1
    # The first old run had nothing left; the shared one still has a trip and a meeting.
    assert db["plan_runs"].count == 2
    assert [r["key"] for r in db.query("select key from sign_in_failures")] == [f"hash-{TODAY}"]
    assert list(db.execute("PRAGMA foreign_key_check").fetchall()) == []
    rows = list(db.query("select * from audit_log where action = 'purge'"))
    assert len(rows) == 1 and rows[0]["actor"].startswith("cli")
    detail = json.loads(rows[0]["detail"])
    cutoff = months_before(TODAY, 12).isoformat()
    assert detail["cutoff"] == cutoff
    assert detail["counts"]["visits"] == 2 and detail["counts"]["trips"] == 1 and detail["counts"]["absences"] == 1
    # Without --audit-older-than the audit log keeps its old rows (its retention is separate).
    assert db["audit_log"].count_where("at < ?", [cutoff]) == 1
    assert CASE_OLD not in rows[0]["detail"]


def test_purged_text_is_gone_from_the_files_too(history, runner, app):
    """Deleted rows are zeroed (secure_delete) and the write-ahead log emptied, so the old case code and the
    "can't make it" text cannot be read back from the database files."""
    def raw() -> bytes:
        return b"".join(p.read_bytes() for p in Path(app.config["DATABASE"]).parent.glob("planner.sqlite*"))
    assert CASE_OLD.encode() in raw() and SECRET_REASON.encode() in raw()
    result = runner.invoke(args=["purge", "--older-than", "12m"])
    assert result.exit_code == 0, out(result)
    assert CASE_OLD.encode() not in raw() and SECRET_REASON.encode() not in raw() and SECRET_NOTE.encode() not in raw()
    assert CASE_RECENT.encode() in raw()


def test_dry_run_counts_and_changes_nothing(history, runner):
    db = history
    before = counts(db)
    dry = runner.invoke(args=["purge", "--older-than", "12m", "--dry-run", "--json"])
    assert dry.exit_code == 0, out(dry)
    assert counts(db) == before
    report = json.loads(dry.output)
    assert report["dry_run"] is True and report["counts"]["visits"] == 2 and report["counts"]["meetings"] == 2
    real = json.loads(runner.invoke(args=["purge", "--older-than", "12m", "--json"]).output)
    assert real["counts"] == report["counts"]


def test_audit_retention_is_separate_and_the_purge_row_stays(history, runner):
    db = history
    result = runner.invoke(args=["purge", "--older-than", "12m", "--audit-older-than", "12m"])
    assert result.exit_code == 0, out(result)
    assert db["audit_log"].count_where("at < ?", [months_before(TODAY, 12).isoformat()]) == 0
    row = next(db.query("select detail from audit_log where action = 'purge'"))
    assert json.loads(row["detail"])["counts"]["audit_log"] == 1


@pytest.mark.parametrize("args, message", [
    (["--older-than", "2d"], "less than 1 month"),
    (["--older-than", "12x"], "is not an age"),
    (["--older-than", "12m", "--audit-older-than", "1d"], "--audit-older-than: 1d is less than 1 month"),
])
def test_bad_cutoffs_are_refused_and_change_nothing(history, runner, args, message):
    before = counts(history)
    result = runner.invoke(args=["purge", *args])
    assert result.exit_code != 0 and message in out(result)
    assert len(getattr(result, "stderr", result.output).strip().splitlines()) == 1
    assert counts(history) == before


def test_a_failure_mid_way_leaves_everything_as_it_was(history, runner):
    db = history
    # A real SQLite error after visits, meetings and trips are already deleted in the transaction.
    db.execute("create trigger fail_purge before delete on plan_runs begin select raise(abort, 'injected'); end")
    before = counts(db)
    result = runner.invoke(args=["purge", "--older-than", "12m"])
    assert result.exit_code != 0
    assert "purge stopped, nothing was removed: injected" in out(result)
    assert counts(db) == before
    assert db["audit_log"].count_where("action = 'purge'") == 0


# Export of one person's data -----------------------------------------------------------------------------------

def test_export_staff_member(history, runner):
    db = history
    user = next(db.query("select id from users where staff = 'oulu-sc'"))["id"]
    audit(db, f"user:{user}", "sign-in", "user", str(user))
    result = runner.invoke(args=["export-person", "--staff", "oulu-sc"])
    assert result.exit_code == 0, out(result)
    data = json.loads(result.output)
    assert data["staff"]["name"] == "Aila Keskitalo"
    assert {a["note"] for a in data["absences"]} == {SECRET_NOTE, None}   # their own notes are theirs
    assert {t["id"] for t in data["trips"]} == {"old-T1", "moved-T1", "shared-T1", "recent-T1"}
    assert {m["place_name"] for t in data["trips"] for m in t["meetings"]} == {"Kemi"}
    assert data["declined_trips"][0]["reason"] == SECRET_REASON
    assert data["user_accounts"][0]["email"] == "oulu@demo.invalid"
    assert any(a["action"] == "sign-in" for a in data["audit"])
    # Other people's data stays out: the clients' case codes and visit ids; no password hash or feed token.
    for secret in (CASE_OLD, CASE_RECENT, "old-1", "recent-1", "password_hash", "calendar_token", "scrypt"):
        assert secret not in result.output
    row = next(db.query("select * from audit_log where action = 'export-person'"))
    assert (row["entity"], row["entity_id"]) == ("staff", "oulu-sc")


def test_export_client_by_case_code(history, runner):
    db = history
    audit(db, "user:2", "view", "visit", "recent-1")
    result = runner.invoke(args=["export-person", "--case", CASE_RECENT])
    assert result.exit_code == 0, out(result)
    data = json.loads(result.output)
    assert [v["id"] for v in data["visits"]] == ["recent-1"]
    meeting = data["visits"][0]["meetings"][0]
    assert meeting["met_by"] == [{"staff": "oulu-sc", "name": "Aila Keskitalo"}]
    assert data["visits"][0]["place_name"] == "Kemi" and meeting["start"].startswith(RECENT.isoformat())
    assert [(a["action"], a["entity_id"]) for a in data["audit"]] == [("view", "recent-1")]
    assert CASE_OLD not in result.output and SECRET_REASON not in result.output and SECRET_NOTE not in result.output
    # Audited by visit id; the case code never enters the audit log.
    row = next(db.query("select * from audit_log where action = 'export-person'"))
    assert row["entity_id"] == "recent-1" and json.loads(row["detail"])["visits"] == ["recent-1"]
    assert db["audit_log"].count_where("detail like ? or entity_id like ?", [f"%{CASE_RECENT}%"] * 2) == 0


def test_export_to_a_new_private_file(history, runner, tmp_path):
    target = tmp_path / "request.json"
    result = runner.invoke(args=["export-person", "--case", CASE_OLD, "--output", str(target)])
    assert result.exit_code == 0, out(result)
    assert CASE_OLD not in result.output
    assert json.loads(target.read_text())["visits"][0]["id"] == "old-1"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    again = runner.invoke(args=["export-person", "--case", CASE_OLD, "--output", str(target)])
    assert again.exit_code != 0 and "the file exists" in out(again)


@pytest.mark.parametrize("args, message", [
    ([], "exactly one of --staff ID or --case CODE"),
    (["--staff", "oulu-sc", "--case", "IK-1"], "exactly one of"),
    (["--staff", "ghost"], "no staff member 'ghost'"),
    (["--case", "Maija Virtanen"], "not a case code"),
    (["--case", "IK-1999-0001"], "no visit has that case code"),
])
def test_export_person_errors(history, runner, args, message):
    before = counts(history)
    result = runner.invoke(args=["export-person", *args])
    assert result.exit_code != 0 and message in out(result)
    assert "Maija" not in out(result)
    assert counts(history) == before


# Free text never leaves: planner export ------------------------------------------------------------------------

def test_free_text_stays_out_of_the_week_export(history, runner):
    db = history
    db["trip_declines"].insert({"trip": "recent-T1", "staff": "oulu-sc", "reason": SECRET_REASON,
                                "created_at": f"{RECENT}T08:00:00"})
    for week in (week_of(RECENT), week_of(OLD)):
        for fmt in ("json", "csv"):
            result = runner.invoke(args=["export", "--week", week, "--format", fmt])
            assert result.exit_code == 0, out(result)
            assert SECRET_REASON not in result.output and SECRET_NOTE not in result.output
