"""Browser tests: the app served on a loopback port (werkzeug in a thread) over a real SQLite file with the demo
team, driven by Playwright in Debian's Chromium (never a downloaded browser). Screenshots go to tests/artifacts/."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from planner.wsgi import create_app
from web_support import browser_pages


ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


LIVE: dict[str, str] = {}  # the live server's database file, for tests that set up state behind the pages


@pytest.fixture(scope="session")
def live_database(live_server) -> str:
    return LIVE["database"]


@pytest.fixture(scope="session")
def live_server(demo_db_file, tmp_path_factory):
    from werkzeug.serving import make_server
    folder = tmp_path_factory.mktemp("live")
    database = folder / "planner.sqlite"
    shutil.copy(demo_db_file, database)
    LIVE["database"] = str(database)
    old = os.environ.get("PLANNER_INSTANCE")
    os.environ["PLANNER_INSTANCE"] = str(folder / "instance")
    app = create_app({"DATABASE": str(database), "SECRET_KEY": "browser-test", "PLAN_JOB_SOLVER": "greedy",
                      "PLAN_JOB_TIME_LIMIT": 5})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    if old is None:
        os.environ.pop("PLANNER_INSTANCE", None)
    else:
        os.environ["PLANNER_INSTANCE"] = old


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
