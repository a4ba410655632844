"""The big board's generated data (benchmarks/board_data.py, measured by benchmarks/web_bench.py): a tiny team and
week goes in through the ``planner`` commands (init-db, import, plan-week) as a user's data would, and the lead's
week plan shows it."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from planner import store
from planner.store import plan_queries
from planner.store.db import open_db

from app_support import app_for_tests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from board_data import board_document, build_board  # noqa: E402

LEAD, PASSWORD = "lead@board.invalid", "amber kettle orbit lantern"


def test_the_same_seed_gives_the_same_week_and_another_seed_another():
    first = board_document(5, people=8, visits=20)
    assert first == board_document(5, people=8, visits=20)
    assert first["visits"] != board_document(6, people=8, visits=20)["visits"]
    assert len(first["staff"]) == 8 and len(first["visits"]) == 20
    assert {s["office"] for s in first["staff"]} == {"helsinki", "tampere", "lappeenranta", "oulu"}


def test_a_tiny_board_imports_plans_and_shows_on_the_week_plan(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_INSTANCE", str(tmp_path / "app-instance"))
    built = build_board(tmp_path / "board", 1, LEAD, PASSWORD, people=8, visits=20, solver="greedy", time_limit=5)
    db = open_db(built["database"])
    try:
        staff = store.load_staff(db)
        assert len(staff) == 8 and store.count_visits(db) == 20
        assert all(v.place for v in store.load_visits(db))  # every visit at a gazetteer place, found by its name
        trips = plan_queries.trips_of_week(db, built["week"])
        assert built["planned"] > 0 and trips and 0 < built["published"] < len(trips) + 1
        assert {t["state"] for t in trips} == ({"draft", "published"} if len(trips) > 1 else {"published"})
    finally:
        db.close()

    app = app_for_tests({"TESTING": True, "DATABASE": built["database"], "SECRET_KEY": "test-secret"})
    client = app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/sign-in").get_data(as_text=True))[1]
    signed_in = client.post("/sign-in", data={"email": LEAD, "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 302
    page = client.get(f"/plan?week={built['week']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for person in staff.values():
        if person.role != "trainee":  # the summer trainees are not employed in every week
            assert person.name in html, person.name
