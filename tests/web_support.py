"""Shared fixtures for the web tests: an app over a copy of a demo database with users whose passwords we know.

The demo database is built once per test session and copied for each test (a real SQLite file each time).
"""
from __future__ import annotations

import os
import re
import shutil
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from planner.core.local_time import helsinki_today
from planner import store
from planner.store.db import open_db
from planner.ops.demo import load_demo, next_monday
from planner.accounts.users import create_user
from planner.core.weeks import week_of

from app_support import app_for_tests, create_app

PASSWORD = "amber kettle orbit lantern"  # passes the policy (zxcvbn score 4)
USERS = {
    "admin": ("admin@test.invalid", "admin", None),
    "lead": ("lead@test.invalid", "lead", "hel-sw"),
    "oulu": ("oulu@test.invalid", "staff", "oulu-sc"),
    "tampere": ("tampere@test.invalid", "staff", "tre-si1"),
}
MONDAY = next_monday(helsinki_today())   # the demo week
WEEK = week_of(MONDAY)


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_db(path)
    store.ensure_builtin_offices(db)
    load_demo(db, helsinki_today())
    for email, role, staff in USERS.values():
        create_user(db, email, PASSWORD, role, staff)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def web_app(demo_db_file, tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    monkeypatch.setenv("PLANNER_INSTANCE", str(instance))
    database = tmp_path / "planner.sqlite"
    shutil.copy(demo_db_file, database)
    return app_for_tests({"TESTING": True, "DATABASE": str(database), "SECRET_KEY": "test-secret",
                          "PLAN_JOB_SOLVER": "greedy", "PLAN_JOB_TIME_LIMIT": 5})


@pytest.fixture
def web_db(web_app):
    db = open_db(web_app.config["DATABASE"])
    yield db
    db.close()


def csrf_token(response) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', response.get_data(as_text=True))
    assert match, "page has no CSRF meta tag"
    return match.group(1)


class Browser:
    """A test client that signs in like a person and remembers the page's CSRF token."""

    def __init__(self, app):
        self.client = app.test_client()
        self.token = csrf_token(self.client.get("/sign-in"))

    def sign_in(self, who: str, next_url: str | None = None):
        email = USERS[who][0]
        url = "/sign-in" + (f"?next={next_url}" if next_url else "")
        response = self.client.post(url, data={"email": email, "password": PASSWORD, "csrf_token": self.token})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        # (the account page, not the home page: the lead's overview would be audited as a view)
        self.token = csrf_token(self.client.get("/account"))
        return response

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, data=None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kw)


@pytest.fixture
def browser(web_app):
    def make(who: str | None = None) -> Browser:
        b = Browser(web_app)
        if who:
            b.sign_in(who)
        return b
    return make


def visit_form(**overrides) -> dict:
    form = {"kind": "client", "case_code": "IK-2026-0999", "place": "Rovaniemi",
            "earliest": MONDAY.isoformat(), "latest": (MONDAY + timedelta(4)).isoformat(), "duration_min": "90",
            "staff_needed": "1", "languages": "", "priority": "normal", "preferred_staff": ""}
    form.update(overrides)
    return form


def assign_keys(html: str) -> list[str]:
    return re.findall(r'value="(assign:[^"]+)"', html)


def file_and_assign(b: Browser, **overrides) -> tuple[str, str]:
    """As a lead: file a visit request and assign its best option; returns (visit id, assign key)."""
    page = b.get("/visits/new").get_data(as_text=True)
    visit_id = re.search(r'name="visit_id" value="([^"]+)"', page).group(1)
    form = visit_form(visit_id=visit_id, **overrides)
    keys = assign_keys(b.post("/visits/proposals", form).get_data(as_text=True))
    assert keys, "no proposals"
    response = b.post("/visits/new", dict(form, action=keys[0]))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return visit_id, keys[0]


@contextmanager
def browser_pages(chromium, base_url: str, timeout_ms: int = 15000):
    """``make(width, height)`` opens a page in a browser context of its own (one person, one set of cookies),
    Finnish and in Helsinki time; script errors and console errors are kept on ``page.errors`` (console errors
    alone also on ``page.console_errors``). Every context is closed at the end."""
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = chromium.new_context(base_url=base_url, viewport={"width": width, "height": height},
                                       locale="fi-FI", timezone_id="Europe/Helsinki")
        context.set_default_timeout(timeout_ms)
        contexts.append(context)
        page = context.new_page()
        page.errors, page.console_errors = [], []
        page.on("pageerror", lambda e: page.errors.append(f"script error: {e}"))

        def console(message) -> None:
            if message.type == "error":
                page.errors.append(f"console: {message.text}")
                page.console_errors.append(message.text)
        page.on("console", console)
        return page
    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@contextmanager
def serve(database: Path, instance: Path, config: dict | None = None, port: int = 0):
    """The app on ``database`` (with ``config`` beside the tests' own), served by werkzeug in a thread on a loopback
    port (``port``, or any free one); yields its base URL."""
    from werkzeug.serving import make_server
    old = os.environ.get("PLANNER_INSTANCE")
    os.environ["PLANNER_INSTANCE"] = str(instance)
    app = create_app({"DATABASE": str(database), "SECRET_KEY": "browser-test", "PLAN_JOB_SOLVER": "greedy",
                      "PLAN_JOB_TIME_LIMIT": 5, **(config or {})})
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        if old is None:
            os.environ.pop("PLANNER_INSTANCE", None)
        else:
            os.environ["PLANNER_INSTANCE"] = old
