"""Ordered schema migrations: an old database upgrades in place (``planner init-db`` or app start-up).

Never edit a migration that has shipped; add a new one below it.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("planner")


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    db["offices"].create(
        {"id": str, "name": str, "place_id": str, "lat": float, "lon": float, "region": str},
        pk="id", not_null=["name", "lat", "lon"],
    )
    db["staff"].create(
        {
            "id": str, "name": str, "role": str, "office": str,
            "skills": str, "languages": str,  # JSON lists
            "active_from": str, "active_until": str,  # ISO dates, inclusive; NULL = open
            "region": str, "version": int,
        },
        pk="id", not_null=["name", "role", "office"], foreign_keys=[("office", "offices", "id")],
        defaults={"skills": "[]", "languages": "[]", "version": 1},
    )
    db["working_patterns"].create(
        {"staff": str, "weekday": int, "start": str, "end": str},  # weekday 0 = Monday; times HH:MM
        pk=("staff", "weekday"), foreign_keys=[("staff", "staff", "id")], not_null=["start", "end"],
    )
    db["absences"].create(
        {"id": int, "staff": str, "from_date": str, "to_date": str, "kind": str, "note": str},
        pk="id", not_null=["staff", "from_date", "to_date", "kind"], foreign_keys=[("staff", "staff", "id")],
    )
    db["places"].create(  # custom places (partner premises); the gazetteer ships with the code
        {"id": str, "name_fi": str, "name_sv": str, "kind": str, "municipality": str, "region": str,
         "lat": float, "lon": float},
        pk="id", not_null=["name_fi", "lat", "lon"],
    )
    db["visits"].create(
        {
            "id": str, "kind": str, "case_code": str,
            "place": str, "place_name": str, "lat": float, "lon": float, "on_aland": int, "region": str,
            "earliest": str, "latest": str, "duration_min": int, "staff_needed": int,
            "skills": str, "languages": str, "interpreter": int, "priority": str, "preferred_staff": str,
            "status": str, "version": int, "created_at": str, "updated_at": str,
        },
        pk="id",
        not_null=["kind", "lat", "lon", "earliest", "latest", "duration_min", "staff_needed", "priority", "status"],
        foreign_keys=[("preferred_staff", "staff", "id")],
        defaults={"skills": "[]", "languages": "[]", "interpreter": 0, "staff_needed": 1,
                  "priority": "normal", "status": "open", "version": 1, "on_aland": 0},
    )
    db["plan_runs"].create(
        {
            "id": int, "week": str, "created_at": str, "created_by": str, "solver": str, "status": str,
            "objective": float, "bound": float, "gap": float, "solve_seconds": float,
            "state": str,  # draft | published | superseded
            "result": str,  # the plan JSON as printed by plan-week (since 0012 its reasons as messages' JSON)
        },
        pk="id", not_null=["week", "created_at", "solver", "status", "state"], defaults={"state": "draft"},
    )
    db["trips"].create(
        {
            "id": str, "plan_run": int, "office": str, "depart": str, "return": str,
            "travel_minutes": int, "distance_km": float, "cost_eur": float, "nights": int,
            "legs": str, "state": str, "version": int,
        },
        pk="id", not_null=["office", "depart", "return"],
        foreign_keys=[("plan_run", "plan_runs", "id"), ("office", "offices", "id")],
        defaults={"legs": "[]", "state": "draft", "version": 1, "nights": 0},
    )
    db["trip_staff"].create(
        {"trip": str, "staff": str}, pk=("trip", "staff"),
        foreign_keys=[("trip", "trips", "id"), ("staff", "staff", "id")],
    )
    db["meetings"].create(  # a visit's meeting, reached by one or more trips
        {"id": int, "plan_run": int, "visit": str, "start": str, "end": str, "staff": str,
         "pinned": int, "explanation": str},
        pk="id", not_null=["visit", "start", "end"],
        foreign_keys=[("plan_run", "plan_runs", "id"), ("visit", "visits", "id")],
        defaults={"pinned": 0, "staff": "[]"},
    )
    db["meeting_trips"].create(
        {"meeting": int, "trip": str}, pk=("meeting", "trip"),
        foreign_keys=[("meeting", "meetings", "id"), ("trip", "trips", "id")],
    )
    db["users"].create(
        {"id": int, "email": str, "password_hash": str, "role": str, "staff": str, "active": int,
         "created_at": str},
        pk="id", not_null=["email", "password_hash", "role"], foreign_keys=[("staff", "staff", "id")],
        defaults={"active": 1},
    )
    db["users"].create_index(["email"], unique=True)
    db["audit_log"].create(
        {"id": int, "at": str, "actor": str, "action": str, "entity": str, "entity_id": str, "detail": str},
        pk="id", not_null=["at", "actor", "action"],
    )
    for table, column in [("staff", "office"), ("absences", "staff"), ("trip_staff", "staff"),
                          ("meetings", "visit"), ("trips", "plan_run"), ("visits", "earliest")]:
        db[table].create_index([column], if_not_exists=True)


@migrations(name="0003_web_planning_state")
def web_planning_state(db: Database) -> None:
    """What the browser needs beside the plan: withdrawn meetings, "I can't make this trip" answers, background
    plan jobs, what each person last saw of their schedule, and personal calendar feed tokens (hashed)."""
    db["meetings"].add_column("state", str, not_null_default="active")  # active | replaced
    db["users"].add_column("calendar_token", str)  # sha256 of the feed token; NULL = no feed
    db["trip_declines"].create(
        {"id": int, "trip": str, "staff": str, "reason": str, "created_at": str, "resolved_at": str},
        pk="id", not_null=["trip", "staff", "reason", "created_at"],
        foreign_keys=[("trip", "trips", "id"), ("staff", "staff", "id")],
    )
    db["plan_jobs"].create(
        {"id": int, "week": str, "started_by": str, "started_at": str, "finished_at": str, "state": str,
         "progress": str, "plan_run": int, "error": str, "pid": int},
        pk="id", not_null=["week", "started_at", "state"], defaults={"state": "running", "progress": ""},
    )
    db["schedule_seen"].create(
        {"user": int, "seen_at": str, "snapshot": str}, pk="user", foreign_keys=[("user", "users", "id")],
    )
    db["users"].create_index(["calendar_token"], if_not_exists=True)


# Tables whose changes can alter a page; every insert, update or delete on them bumps ``web_changes.n``.
WEB_WATCHED_TABLES = ("offices", "staff", "working_patterns", "absences", "places", "visits", "plan_runs", "trips",
                      "trip_staff", "meetings", "meeting_trips", "users", "trip_declines", "plan_jobs")


@migrations(name="0004_web_change_counter")
def web_change_counter(db: Database) -> None:
    """A counter that any write to the planning tables bumps (by triggers, so the CLI and the optimizer count too);
    the web app caches rendered pages per counter value and never serves a page older than the data."""
    db["web_changes"].create({"id": int, "n": int}, pk="id")
    db["web_changes"].insert({"id": 1, "n": 0})
    for table in WEB_WATCHED_TABLES:
        for event in ("insert", "update", "delete"):
            db.execute(f"create trigger if not exists web_changes_{table}_{event} after {event} on [{table}] "
                       f"begin update web_changes set n = n + 1 where id = 1; end")


@migrations(name="0005_settings_overrides")
def settings_overrides(db: Database) -> None:
    """Settings an administrator changed in the browser (``planner.core.settings.Settings`` field name → JSON value).
    They apply over the defaults and the instance's ``PLANNER_SETTINGS``; writes bump the change counter so cached
    pages and cached settings are never older than them."""
    db["settings_overrides"].create(
        {"key": str, "value": str, "updated_by": str, "updated_at": str},
        pk="key", not_null=["value", "updated_by", "updated_at"],
    )
    for event in ("insert", "update", "delete"):
        db.execute(f"create trigger if not exists web_changes_settings_overrides_{event} after {event} on "
                   f"[settings_overrides] begin update web_changes set n = n + 1 where id = 1; end")


# Columns whose change is an edit a person could be looking at; a write to any of them bumps the row's version.
VERSIONED_COLUMNS = {
    "visits": ("kind", "case_code", "place", "place_name", "lat", "lon", "on_aland", "region", "earliest", "latest",
               "duration_min", "staff_needed", "skills", "languages", "interpreter", "priority", "preferred_staff",
               "status"),
    "trips": ("office", "depart", "return", "travel_minutes", "distance_km", "cost_eur", "nights", "legs", "state"),
    "meetings": ("visit", "start", "end", "staff", "pinned", "explanation", "state"),
}


@migrations(name="0008_no_lost_work")
def no_lost_work(db: Database) -> None:
    """Optimistic concurrency: meetings get a version like visits and trips, and triggers bump the version of a
    visit, trip or meeting on any write to what a person sees of it (unless the statement sets the version itself),
    so every writer (web, CLI, optimizer) counts and an edit based on a stale page is always detected."""
    db["meetings"].add_column("version", int, not_null_default=1)
    for table, columns in VERSIONED_COLUMNS.items():
        cols = ", ".join(f"[{c}]" for c in columns)
        db.execute(f"create trigger if not exists {table}_version after update of {cols} on [{table}] "
                   f"when new.version is old.version "
                   f"begin update [{table}] set version = coalesce(old.version, 0) + 1 where id = new.id; end")


@migrations(name="0007_privacy")
def privacy(db: Database) -> None:
    """Indexes for the administrators' audit log viewer (filters by who, what, which record and when) and for the
    purge's date cut; the log grows by every view of a visit or plan."""
    for columns in (["actor"], ["action"], ["entity", "entity_id"], ["at"]):
        db["audit_log"].create_index(columns, if_not_exists=True)


@migrations(name="0006_sign_in_security")
def sign_in_security(db: Database) -> None:
    """Sign-in security: a session generation per user (bumped by "sign out everywhere" and a password change, so
    every older session dies), the optional TOTP second factor, and failed sign-ins counted in the database (so the
    lock-out holds across WSGI workers). Failures store keyed hashes of the email typed and of the address, never
    the text, and rows older than the counting window are deleted as new ones come in."""
    db["users"].add_column("session_generation", int, not_null_default=0)
    db["totp"].create(
        {"user": int, "secret": str, "confirmed_at": str, "last_step": int, "created_at": str},
        pk="user", not_null=["secret", "created_at"], foreign_keys=[("user", "users", "id")],
        defaults={"last_step": 0},
    )
    db["sign_in_failures"].create({"id": int, "scope": str, "key": str, "at": float}, pk="id",
                                  not_null=["scope", "key", "at"])
    db["sign_in_failures"].create_index(["scope", "key", "at"])
    db["sign_in_locks"].create({"scope": str, "key": str, "until": float}, pk=("scope", "key"),
                               not_null=["until"])


@migrations(name="0009_server_side_sessions")
def server_side_sessions(db: Database) -> None:
    """Each signed-in session has an id the server keeps (as a SHA-256, never the id itself): signing out or an idle
    timeout deletes the row, so a copy of the session cookie stops working at once rather than when it expires."""
    db["user_sessions"].create({"id": str, "user": int, "created_at": float}, pk="id",
                               not_null=["user", "created_at"], foreign_keys=[("user", "users", "id")])
    db["user_sessions"].create_index(["user"])
    db["user_sessions"].create_index(["created_at"])


@migrations(name="0010_plan_job_queue")
def plan_job_queue(db: Database) -> None:
    """Plan jobs wait in a queue (at most ``PLAN_JOBS_AT_ONCE`` run at once): a job keeps what it was asked
    (solver, time limit, the settings of that moment, which phase it is in) and when it started as a Unix time,
    so a job that overruns its time limit is found whatever the time zone. At most one unfinished job per week,
    enforced by the database itself (two presses at the same instant start one job)."""
    for column, kind in (("queued_at", str), ("started_ts", float), ("solver", str), ("time_limit", float),
                         ("settings", str), ("phase", str)):
        db["plan_jobs"].add_column(column, kind)
    db.execute("update plan_jobs set queued_at = started_at")
    # Older copies of the same week's unfinished job (never expected, but the index below needs them gone).
    db.execute("""update plan_jobs set state = 'failed', error = 'stopped' where state in ('queued', 'running')
                  and id not in (select max(id) from plan_jobs where state in ('queued', 'running') group by week)""")
    db.execute("create unique index if not exists plan_jobs_one_unfinished_per_week on plan_jobs(week) "
               "where state in ('queued', 'running')")


@migrations(name="0011_plan_views")
def plan_views(db: Database) -> None:
    """The week's plan as it stands, written once: ``plan_trips`` (trips that are not superseded, of runs that are
    not superseded: drafts and published) and ``plan_meetings`` (active meetings of those runs), each with its
    run's ``week`` and ``run_state``. Every reader of the plan (the views, export, the schedule, the optimizer's
    busy times and edits during a run) selects from these."""
    db.execute("""create view if not exists plan_trips as
                  select t.*, r.week, r.state as run_state from trips t join plan_runs r on r.id = t.plan_run
                  where t.state != 'superseded' and r.state != 'superseded'""")
    db.execute("""create view if not exists plan_meetings as
                  select m.*, r.week, r.state as run_state from meetings m join plan_runs r on r.id = m.plan_run
                  where m.state = 'active' and r.state != 'superseded'""")


@migrations(name="0012_messages_as_data")
def messages_as_data(db: Database) -> None:
    """Reasons and explanations become messages (a code and parameters, as JSON; issue 12, point 3): the English
    text stored before is read back into messages once, here (planner/store/legacy_messages.py); text it cannot
    read is kept as a ``text`` message and shown as it is."""
    import json

    from ..core.weeks import parse_week
    from .legacy_messages import parse

    def converted(text, year: int):
        if not isinstance(text, str) or not text or text.startswith("{"):
            return text
        return parse(text, year).to_json()

    for row in list(db.query("select id, start, explanation from meetings where explanation != ''")):
        new = converted(row["explanation"], int(row["start"][:4]))
        if new is not row["explanation"]:
            db.execute("update meetings set explanation = ? where id = ?",
                       [json.dumps(new, ensure_ascii=False), row["id"]])
    for row in list(db.query("select id, week, result from plan_runs where result is not null and result != ''")):
        plan = json.loads(row["result"])
        year = parse_week(row["week"])[0].year
        for u in plan.get("unassigned", []):
            u["reason"] = converted(u.get("reason"), year)
        for a in plan.get("assignments", []):
            a["explanation"] = converted(a.get("explanation"), year)
        db.execute("update plan_runs set result = ? where id = ?", [json.dumps(plan, ensure_ascii=False), row["id"]])


@migrations(name="0013_journey_cache")
def journey_cache(db: Database) -> None:
    """Journeys of the travel model kept between plan runs (issue 14, point 5; ``store.journey_cache``): one row per
    ordered pair of end points (``lat,lon`` to five decimals) under the fingerprint of the model's data and
    settings. ``legs`` is NULL for the common journey of one car leg, else the legs as JSON."""
    db.execute("""create table if not exists journey_cache (
                      fingerprint text not null, origin text not null, destination text not null,
                      minutes integer not null, km real not null, cost_eur real not null, mode text not null,
                      legs text,
                      primary key (fingerprint, origin, destination)) without rowid""")


@migrations(name="0014_notices_and_sign_in")
def notices_and_sign_in(db: Database) -> None:
    """Email notices (issue 16): each person's language and the kinds of notice they want, and the outbox the
    notices wait in (``store.outbox``); and whether an account may sign in with a password at all (an account that
    signs in only with the organisation's account has this off), and which person at the provider the account is
    linked to (``oidc_subject``, set at the first single sign-on: a reassigned email does not inherit the account)."""
    for column in ("notify_trips", "notify_declines", "notify_plan_jobs", "password_sign_in"):
        db["users"].add_column(column, int, not_null_default=1)
    db["users"].add_column("language", str)       # fi | sv | en; NULL: the default (fi)
    db["users"].add_column("oidc_subject", str)   # "issuer|sub" of the first sign-in with the organisation's account
    db.execute("""create table if not exists outbox (
                      id integer primary key, user integer not null references users(id), kind text not null,
                      items text not null, created_at real not null, due_at real not null,
                      state text not null default 'waiting', attempts integer not null default 0,
                      next_try real not null default 0, claimed_at real, sent_at real, last_error text)""")
    db.execute("create index if not exists outbox_due on outbox(state, due_at)")
