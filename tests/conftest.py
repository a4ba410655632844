"""Shared fixtures: a real app on a temporary instance folder with a real SQLite file."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from planner.store.db import open_db
from app_support import app_for_tests

# Shared fixtures for every test module, without imports: the web tests' (demo_db_file, web_app, web_db, browser)
# and the optimizer's (either_path).
pytest_plugins = ["web_support", "optimize_support"]

DATA = Path(__file__).parent / "data"
CHROMIUM = os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def instance(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "instance"
    monkeypatch.setenv("PLANNER_INSTANCE", str(folder))
    return folder


@pytest.fixture
def app(instance):
    return app_for_tests({"TESTING": True, "DATABASE": str(instance / "planner.sqlite")})


@pytest.fixture
def runner(app):
    return app.test_cli_runner(mix_stderr=False) if "mix_stderr" in app.test_cli_runner.__code__.co_varnames \
        else app.test_cli_runner()


@pytest.fixture
def db(app, runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    database = open_db(app.config["DATABASE"])
    yield database
    database.close()


@pytest.fixture
def write_json(tmp_path):
    """Write a document to a JSON file and return its path."""
    def write(doc, name="import.json") -> str:
        path = tmp_path / name
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        return str(path)
    return write


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, one for the whole session (the browser tests and the journeys: two
    Playwright drivers in one process conflict), never a downloaded browser."""
    from playwright import sync_api
    if not Path(CHROMIUM).exists():
        # A skipped browser test would hide a broken page: fail, and say how to get the browser.
        pytest.fail(f"no Chromium at {CHROMIUM}: run bash .ci/test (installs Debian's chromium) or set PLANNER_CHROMIUM")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()

