"""Browser tests: the app served on a loopback port (werkzeug in a thread) over a real SQLite file with the demo
team, driven by Playwright in Debian's Chromium (never a downloaded browser). Screenshots go to tests/artifacts/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.core.settings import DEFAULT_SETTINGS
from planner.planning import actions
from planner.planning.week_run import plan_and_store
from planner.store.db import open_db
from web_support import WEEK, browser_pages, serve


ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


LIVE: dict[str, str] = {}  # the live server's database file, for tests that set up state behind the pages


@pytest.fixture(scope="session")
def live_database(live_server) -> str:
    return LIVE["database"]


@pytest.fixture(scope="session")
def live_server(demo_db_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    database = folder / "planner.sqlite"
    shutil.copy(demo_db_file, database)
    LIVE["database"] = str(database)
    with serve(database, folder / "instance") as url:
        yield url


@pytest.fixture
def new_page(chromium, live_server):
    with browser_pages(chromium, live_server) as make:
        yield make


@pytest.fixture(scope="session")
def shot():
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return take


@pytest.fixture(scope="session")
def planned_site(demo_db_file, tmp_path_factory):
    """The demo week planned by the product's own plan run and published, served on its own database."""
    folder = tmp_path_factory.mktemp("accessible")
    database = folder / "planner.sqlite"
    shutil.copy(demo_db_file, database)
    db = open_db(database)
    plan_and_store(db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="test")
    assert actions.publish(db, WEEK, "test") > 0
    ids = {"visit": next(db.query("select id from visits order by id"))["id"],
           "user": next(db.query("select id from users where role = 'staff' order by id"))["id"],
           "office": next(db.query("select id from offices order by id"))["id"],
           "trip": next(db.query("select id from plan_trips order by depart, id"))["id"]}
    db.close()
    with serve(database, folder / "instance") as url:
        yield url, ids
