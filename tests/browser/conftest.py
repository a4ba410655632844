"""Browser tests: the app served on a loopback port (werkzeug in a thread) over a real SQLite file with the demo
team, driven by Playwright in Debian's Chromium (never a downloaded browser). Screenshots go to tests/artifacts/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from web_support import browser_pages, serve


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
