"""Shared fixtures: a real app on a temporary instance folder with a real SQLite file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner import create_app
from planner.db import open_db

DATA = Path(__file__).parent / "data"


@pytest.fixture
def instance(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "instance"
    monkeypatch.setenv("PLANNER_INSTANCE", str(folder))
    return folder


@pytest.fixture
def app(instance):
    return create_app({"TESTING": True, "DATABASE": str(instance / "planner.sqlite")})


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
