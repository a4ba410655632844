"""Structured logs (planner/logging_setup.py): one JSON line per request with its endpoint, status, time, user id
and request id; never case codes, places, emails, passwords or the calendar feed's token; an unhandled error is
logged by type and place and the browser gets a plain page. Also the production server of docs/deploy.md:
gunicorn with ``planner.wsgi:app`` behind a proxy (PROXY_FIX)."""
from __future__ import annotations

import json
import sqlite3
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner import logging_setup
from planner.wsgi import create_app
from web_support import PASSWORD, USERS, WEEK, file_and_assign


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "logs" / "planner.log"
    yield path
    logging_setup.configure(None)  # back to stderr for the tests that follow


@pytest.fixture
def web_app(demo_db_file, tmp_path, monkeypatch, log_file):
    """The web tests' app (web_support), logging to ``log_file``."""
    monkeypatch.setenv("PLANNER_INSTANCE", str(tmp_path / "instance"))
    database = tmp_path / "planner.sqlite"
    shutil.copy(demo_db_file, database)
    return create_app({"TESTING": True, "DATABASE": str(database), "SECRET_KEY": "test-secret",
                       "PLAN_JOB_SOLVER": "greedy", "PLAN_JOB_TIME_LIMIT": 5, "LOG_FILE": str(log_file)})


def lines(log_file: Path) -> list[dict]:
    """Every line of the log, each parsed as JSON (a line that is not JSON fails the test)."""
    text = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
    return [json.loads(line) for line in text.splitlines()]


def requests_logged(log_file: Path) -> list[dict]:
    return [line for line in lines(log_file) if line["event"] == "request"]


def test_a_request_logs_one_json_line_with_its_fields(web_app, log_file):
    response = web_app.test_client().get("/health")
    assert response.status_code == 200
    [line] = requests_logged(log_file)
    assert line["level"] == "info" and line["logger"] == "planner.request"
    assert line["method"] == "GET" and line["endpoint"] == "home.health" and line["status"] == 200
    assert isinstance(line["duration_ms"], (int, float)) and 0 <= line["duration_ms"] < 10_000
    assert line["user"] is None
    assert re.fullmatch(r"[0-9a-f]{32}", line["request_id"]) and response.headers["X-Request-Id"] == line["request_id"]
    stamp = datetime.fromisoformat(line["time"])
    assert stamp.utcoffset() == datetime.now(ZoneInfo("Europe/Helsinki")).utcoffset()
    assert abs(time.time() - stamp.timestamp()) < 60


def test_request_lines_name_the_user_by_id_and_the_view_not_the_path(browser, web_db, log_file):
    lead = browser("lead")
    visit = next(web_db.query("select id from visits where case_code is not null order by id"))["id"]
    assert lead.get(f"/visits/{visit}?week={WEEK}").status_code == 200
    lead_id = next(web_db.query("select id from users where email = ?", [USERS["lead"][0]]))["id"]
    line = requests_logged(log_file)[-1]
    assert line["endpoint"] == "visits.edit" and line["user"] == lead_id and line["status"] == 200
    assert visit not in json.dumps(lines(log_file)) and WEEK not in json.dumps(lines(log_file))


def test_no_client_data_or_secret_in_the_log(browser, web_db, log_file):
    """Sign in (and fail to), file and open visits, publish, make and use the calendar feed: the log holds none of
    the case codes, places, emails, passwords or the token."""
    wrong = "Wrong-horse-4711-battery"
    stranger = browser()
    stranger.client.post("/sign-in", data={"email": USERS["oulu"][0], "password": wrong,
                                           "csrf_token": stranger.token})
    stranger.client.post("/sign-in", data={"email": "nobody-here@test.invalid", "password": wrong,
                                           "csrf_token": stranger.token})
    lead, oulu = browser("lead"), browser("oulu")
    visit_id, _key = file_and_assign(lead, case_code="IK-2026-0999", place="Rovaniemi")
    demo = next(web_db.query("select id, case_code, place_name from visits where case_code is not null order by id"))
    lead.get(f"/visits/{demo['id']}")
    lead.get(f"/visits/{visit_id}")
    lead.get("/visits/places?q=Rovan")
    lead.post("/plan/publish", {"week": WEEK})
    page = oulu.post("/schedule/calendar").get_data(as_text=True)
    url = re.search(r'value="(http[^"]+\.ics)"', page)[1]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = browser().get(url.split("localhost", 1)[1])
    assert feed.status_code == 200 and "Rovaniemi" in feed.get_data(as_text=True)  # the data was there to leak
    assert browser().get("/calendar/not-a-real-token.ics").status_code == 404

    text = log_file.read_text(encoding="utf-8")
    logged = lines(log_file)
    endpoints = {line.get("endpoint") for line in logged}
    assert {"auth.sign_in", "visits.new", "visits.edit", "schedule.feed", "plan.publish"} <= endpoints
    assert any(line["endpoint"] == "schedule.feed" and line["status"] == 404 for line in logged)
    secrets = ["IK-2026-0999", demo["case_code"], "Rovaniemi", "Rovan", demo["place_name"], PASSWORD, wrong, token,
               "not-a-real-token", "nobody-here", "test.invalid", "@"]
    for secret in secrets:
        assert secret not in text, f"{secret!r} is in the log"


@pytest.fixture
def failing_app(web_app):
    """The app as in production: an unhandled error becomes a 500 page (tests otherwise re-raise it)."""
    web_app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        raise LookupError("IK-2026-0777 at Kemi, password hunter2")  # what a careless message could hold
    web_app.add_url_rule("/broken", "broken", broken)
    return web_app


def test_an_unhandled_error_is_logged_by_type_and_place_and_the_page_is_plain(failing_app, log_file):
    response = failing_app.test_client().get("/broken")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Traceback" not in body and "LookupError" not in body and "IK-2026-0777" not in body
    request_id = response.headers["X-Request-Id"]
    assert request_id in body  # the reference a user can report
    text = log_file.read_text(encoding="utf-8")
    assert "IK-2026-0777" not in text and "Kemi" not in text and "hunter2" not in text and "Traceback" not in text
    [error] = [line for line in lines(log_file) if line["event"] == "unhandled error"]
    assert error["level"] == "error" and error["request_id"] == request_id and error["endpoint"] == "broken"
    assert error["error"]["type"] == "LookupError" and "test_logging.py" in error["error"]["where"]
    [request_line] = requests_logged(log_file)
    assert request_line["status"] == 500 and request_line["level"] == "error"


def test_an_error_in_the_planner_names_the_planner_frame(browser, web_app, web_db, log_file):
    lead = browser("lead")
    web_app.config["PROPAGATE_EXCEPTIONS"] = False
    web_db.execute("alter table visits rename to visits_elsewhere")  # the database is broken under the app
    web_db.conn.commit()
    response = lead.get("/visits/demo-01")
    assert response.status_code == 500 and "Traceback" not in response.get_data(as_text=True)
    [error] = [line for line in lines(log_file) if line["event"] == "unhandled error"]
    assert error["error"]["type"] == "sqlite3.OperationalError"
    assert error["error"]["where"].startswith("planner/") and error["error"]["stack"]
    assert all(frame.startswith("planner/") for frame in error["error"]["stack"])


def test_plan_week_logs_start_and_end_with_counts(app, runner, log_file):
    """The weekly batch: its human progress lines stay, and two structured events carry the counts."""
    app.config["LOG_FILE"] = str(log_file)
    logging_setup.configure(str(log_file))
    runner.invoke(args=["init-db", "--demo"])
    result = runner.invoke(args=["plan-week", "--solver", "greedy", "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "plan-week: loading week" in (getattr(result, "stderr", "") or result.output)
    events = {line["event"]: line for line in lines(log_file) if line["logger"] == "planner.plan"}
    started, finished = events["plan run started"], events["plan run finished"]
    assert started["open_visits"] == 16 and started["solver"] == "greedy" and started["dry_run"] is False
    assert finished["planned"] + finished["unassigned"] == 16 and finished["plan_run"] == 1
    assert finished["trips"] > 0 and finished["duration_s"] >= 0
    assert "IK-" not in log_file.read_text(encoding="utf-8")


def test_a_forwarded_https_request_gets_hsts_only_behind_the_proxy(demo_db_file, tmp_path, monkeypatch, log_file):
    monkeypatch.setenv("PLANNER_INSTANCE", str(tmp_path / "instance"))
    config = {"TESTING": True, "DATABASE": str(demo_db_file), "SECRET_KEY": "x" * 40, "LOG_FILE": str(log_file)}
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9",
                 "X-Request-Id": "0123456789abcdef0123456789abcdef"}
    direct = create_app(config).test_client().get("/health", headers=forwarded)
    assert "Strict-Transport-Security" not in direct.headers  # a browser cannot claim HTTPS by a header
    assert direct.headers["X-Request-Id"] != forwarded["X-Request-Id"]
    proxied = create_app(dict(config, PROXY_FIX=1)).test_client().get("/health", headers=forwarded)
    assert proxied.headers["Strict-Transport-Security"].startswith("max-age=")
    assert proxied.headers["X-Request-Id"] == forwarded["X-Request-Id"]  # the proxy's id, so both logs match


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_the_app_as_documented(demo_db_file, tmp_path):
    """docs/deploy.md's command: gunicorn planner.wsgi:app, production settings, behind the proxy."""
    pytest.importorskip("gunicorn")
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copy(demo_db_file, instance / "planner.sqlite")
    (instance / "secret_key").write_text("s" * 64)
    (instance / "config.py").write_text("PROXY_FIX = 1\n")
    port = _free_port()
    env = dict(os.environ, PLANNER_INSTANCE=str(instance), PLANNER_ENV="production")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--threads", "2", "--no-control-socket", "planner.wsgi:app"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/health",
                                                 headers={"X-Forwarded-Proto": "https"})
                with urllib.request.urlopen(request, timeout=5) as response:
                    body, headers = json.loads(response.read()), response.headers
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert body == {"status": "ok"} and "Strict-Transport-Security" in headers
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=30)
    logged = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(line["event"] == "request" and line["endpoint"] == "home.health" and line["status"] == 200
               for line in logged), err


def test_the_development_servers_access_line_with_the_path_is_dropped(web_app, caplog):
    """``planner run`` (werkzeug) would print '... "GET /calendar/<token>.ics ..."': our request line replaces it."""
    import logging
    caplog.set_level(logging.INFO)
    werkzeug = logging.getLogger("werkzeug")
    werkzeug.info('127.0.0.1 - - [29/Nov/2026 07:51:07] "%s" %s %s', "GET /calendar/s3cret-token.ics HTTP/1.1",
                  404, "-")
    werkzeug.info(" * Running on http://127.0.0.1:5000")
    messages = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert messages == [" * Running on http://127.0.0.1:5000"]


# "Plan again" in the browser: the background job logs like ``planner plan-week`` -------------------------------

def _wait_for_job(db, job_id: int, seconds: float = 60) -> dict:
    from planner.planning import plan_jobs
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = plan_jobs.job_status(db, job_id)
        if job["state"] not in ("queued", "running"):
            return job
        time.sleep(0.2)
    raise AssertionError("the plan job did not finish")


def _wait_for_event(read, event: str, seconds: float = 30) -> list[dict]:
    """The JSON lines ``read()`` gives, once one of them is ``event`` (the child logs just after the job row is
    marked done)."""
    found: list[dict] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found += [json.loads(line) for line in read().splitlines() if line.startswith("{")]
        if any(line["event"] == event for line in found):
            return found
        time.sleep(0.1)
    raise AssertionError(f"no {event!r} line: {found}")


def test_a_plan_again_job_logs_start_and_end_with_counts(browser, web_db, log_file):
    lead = browser("lead")
    job_id = int(lead.post("/plan/again", {"week": WEEK}).location.split("job=")[1])
    job = _wait_for_job(web_db, job_id)
    assert job["state"] == "done", job
    logged = _wait_for_event(lambda: log_file.read_text(encoding="utf-8"), "plan job finished")
    events = {line["event"]: line for line in logged if line["logger"] == "planner.plan"}
    started, finished = events["plan job started"], events["plan job finished"]
    assert started["job"] == finished["job"] == job_id and started["week"] == WEEK and started["solver"] == "greedy"
    assert started["open_visits"] > 0 and started["staff"] > 0
    assert finished["planned"] + finished["unassigned"] == started["open_visits"]
    assert finished["plan_run"] == job["plan_run"] and finished["trips"] > 0 and finished["duration_s"] >= 0
    assert "plan job failed" not in events
    text = log_file.read_text(encoding="utf-8")
    assert "IK-" not in text and "@" not in text and "Rovaniemi" not in text


def test_a_plan_job_logs_to_the_web_apps_stderr_when_there_is_no_log_file(web_app, web_db, capfd):
    """As under systemd: the web app logs to stderr (journald) and so does its planning process."""
    from planner.planning import plan_jobs
    logging_setup.configure(None)
    job_id = plan_jobs.start_job(web_db, web_app.config["DATABASE"], {}, WEEK, "user:1", "greedy", 5)
    assert _wait_for_job(web_db, job_id)["state"] == "done"
    logged = _wait_for_event(lambda: capfd.readouterr().err, "plan job finished")
    assert [line["job"] for line in logged if line["event"] in ("plan job started", "plan job finished")] == [
        job_id, job_id]


def test_a_failing_plan_job_logs_the_error_by_type_and_place(web_app, web_db, log_file):
    from planner.planning import plan_jobs
    job_id = web_db["plan_jobs"].insert({"week": WEEK, "started_by": "user:1", "started_at": "2026-11-01T10:00:00",
                                         "state": "running", "progress": "starting", "solver": "greedy",
                                         "time_limit": 5}).last_pk
    web_db.execute("alter table visits rename to visits_elsewhere")  # the database is broken under the job
    with pytest.raises(sqlite3.OperationalError):
        plan_jobs.run_job(web_app.config["DATABASE"], job_id)
    assert web_db["plan_jobs"].get(job_id)["state"] == "failed"
    [failed] = [line for line in lines(log_file) if line["event"] == "plan job failed"]
    assert failed["level"] == "error" and failed["logger"] == "planner.plan" and failed["job"] == job_id
    assert failed["error"]["type"] == "sqlite3.OperationalError" and failed["error"]["where"].startswith("planner/")
    assert "no such table" not in log_file.read_text(encoding="utf-8")  # the message is never logged


def test_a_plan_job_whose_process_is_gone_is_logged_as_failed_once(web_app, web_db, log_file):
    from planner.planning import plan_jobs
    job_id = web_db["plan_jobs"].insert({"week": WEEK, "started_by": "user:1", "started_at": "2026-11-01T10:00:00",
                                         "state": "running", "progress": "solving", "pid": 2 ** 22 + 12345}).last_pk
    assert plan_jobs.fail_stale_jobs(web_db) == [job_id]
    plan_jobs.fail_stale_jobs(web_db)
    failed = [line for line in lines(log_file) if line["event"] == "plan job failed"]
    assert [(line["job"], line["reason"], line["level"]) for line in failed] == [(job_id, "process stopped", "error")]
