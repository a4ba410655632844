"""An old database upgrades in place: data written under the first schema survives every later migration."""
from sqlite_utils import Database

from planner.store.db import open_db
from planner.store.migrations import migrations


def test_old_database_upgrades_in_place_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.sqlite"
    old = Database(path)
    names = [m.name for m in migrations.pending(old)]
    assert names[0] == "0001_initial" and len(names) >= 2
    migrations.apply(old, stop_before=names[1])  # a database as the first release left it
    old["offices"].insert({"id": "helsinki", "name": "Helsinki", "lat": 60.2, "lon": 24.9})
    old["staff"].insert({"id": "s1", "name": "Inspector", "role": "inspector", "office": "helsinki"})
    old["visits"].insert({"id": "v1", "kind": "client", "lat": 65.7, "lon": 24.6, "earliest": "2026-12-07",
                          "latest": "2026-12-08", "duration_min": 60})
    old.close()

    db = open_db(path)
    assert [m.name for m in migrations.applied(db)] == names
    assert not migrations.pending(db)
    assert db["visits"].get("v1")["status"] == "open" and db["staff"].get("s1")["office"] == "helsinki"
    open_db(path)  # opening again applies nothing and fails on nothing
