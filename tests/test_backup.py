"""``planner backup`` / ``planner restore``: a consistent copy while the app writes, and a restore that brings the
data back, keeps the old database, and refuses bad files with one line and no change."""
from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from planner import store
from planner.ops import importer
from planner.store.db import open_db
from planner.ops.demo import demo_document
from web_support import WEEK, file_and_assign


def out(result) -> str:
    return (getattr(result, "stderr", "") or "") or result.output


def dump(path) -> str:
    """Every table's rows, in order: two databases with the same dump hold the same data."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(line for line in conn.iterdump() if not line.startswith("INSERT INTO \"sqlite_sequence\""))
    finally:
        conn.close()


@pytest.fixture
def live(app, db):
    importer.apply(db, importer.check(demo_document(__import__("datetime").date(2026, 12, 2)), db))
    return Path(app.config["DATABASE"])


def test_backup_while_another_thread_writes_is_consistent_and_restorable(live, runner, tmp_path):
    stop, written = threading.Event(), []

    def writer():
        conn = sqlite3.connect(live, isolation_level=None, timeout=30)
        i = 0
        while not stop.is_set():  # each transaction writes a pair: a consistent copy never has half a pair
            conn.execute("BEGIN IMMEDIATE")
            for half in ("a", "b"):
                conn.execute("insert into audit_log (at, actor, action, entity_id) values ('2026-12-01', 'test', ?, ?)",
                             [f"pair-{half}", str(i)])
            conn.execute("COMMIT")
            written.append(i)
            i += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = []
        for n in range(3):
            while len(written) < 20 * (n + 1):
                threading.Event().wait(0.01)
            target = tmp_path / f"copy{n}.sqlite"
            result = runner.invoke(args=["backup", str(target)])
            assert result.exit_code == 0, out(result)
            assert "integrity ok" in result.output and "16 visits" in result.output
            copies.append(target)
    finally:
        stop.set()
        thread.join()
    sizes = []
    for target in copies:
        conn = sqlite3.connect(target)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        halves = conn.execute("select count(*) from audit_log where action like 'pair-%' group by entity_id "
                              "having count(*) != 2").fetchall()
        assert halves == []
        sizes.append(conn.execute("select count(*) from audit_log where action = 'pair-a'").fetchone()[0])
        conn.close()
    assert sizes[0] >= 20 and sizes == sorted(sizes)
    # the first copy, restored, is what the database held then
    expected = dump(copies[0])
    result = runner.invoke(args=["restore", str(copies[0]), "--yes"])
    assert result.exit_code == 0, out(result)
    db = open_db(live)
    assert db["audit_log"].count == sqlite3.connect(copies[0]).execute("select count(*) from audit_log").fetchone()[0]
    db.close()
    restored = dump(live)
    # the restore moves the page-cache counter on, so compare everything else
    strip = lambda text: "\n".join(line for line in text.splitlines() if "web_changes" not in line)  # noqa: E731
    assert strip(restored) == strip(expected)


def test_backup_refuses_to_overwrite_unless_forced(live, runner, tmp_path):
    target = tmp_path / "exists.sqlite"
    target.write_text("keep me")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0
    assert out(result).strip() == f"Error: {target} exists; use --force to overwrite it"
    assert target.read_text() == "keep me"
    result = runner.invoke(args=["backup", str(target), "--force"])
    assert result.exit_code == 0, out(result)
    assert sqlite3.connect(target).execute("select count(*) from visits").fetchone()[0] == 16


def test_restore_brings_back_the_data_and_keeps_the_old_database(live, runner, tmp_path):
    target = tmp_path / "monday.sqlite"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    db = open_db(live)
    db.execute("delete from visits where id = 'demo-01'")
    db.execute("update staff set name = 'Renamed' where id = 'oulu-sc'")
    db.close()
    changed = dump(live)
    refused = runner.invoke(args=["restore", str(target)])
    assert refused.exit_code != 0 and "--yes" in out(refused) and len(out(refused).strip().splitlines()) == 1
    assert dump(live) == changed
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, out(result)
    db = open_db(live)
    assert db["visits"].get("demo-01")["place_name"] == "Kemi"
    assert db["staff"].get("oulu-sc")["name"] != "Renamed"
    db.close()
    saved = list(live.parent.glob(f"{live.name}.before-restore-*"))
    assert len(saved) == 1 and str(saved[0]) in result.output
    old = sqlite3.connect(saved[0])
    assert old.execute("select name from staff where id = 'oulu-sc'").fetchone()[0] == "Renamed"
    assert old.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _not_sqlite(path: Path, good: Path) -> str:
    path.write_text("name,place\nx,Kemi\n")
    return "is not an SQLite database"


def _truncated(path: Path, good: Path) -> str:
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    return "not a readable SQLite database"


def _other_app(path: Path, good: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("create table notes (id integer primary key, text)")
    conn.commit()
    conn.close()
    return "is not a planner database"


def _newer_version(path: Path, good: Path) -> str:
    shutil.copy(good, path)
    conn = sqlite3.connect(path)
    conn.execute("insert into _sqlite_migrations (migration_set, name, applied_at) values ('planner', "
                 "'9999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    return "newer version of the planner"


@pytest.mark.parametrize("make", [_not_sqlite, _truncated, _other_app, _newer_version])
def test_bad_files_are_refused_with_one_line_and_nothing_changes(live, runner, tmp_path, make):
    good = tmp_path / "good.sqlite"
    assert runner.invoke(args=["backup", str(good)]).exit_code == 0
    bad = tmp_path / "bad.sqlite"
    expected = make(bad, good)
    before = dump(live)
    for args in (["restore", str(bad), "--yes"], ["restore", str(bad)]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0
        lines = out(result).strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0], lines
    assert dump(live) == before
    assert not list(live.parent.glob("*.before-restore-*"))


def test_a_running_app_sees_the_restored_data_at_once(web_app, browser, web_db, tmp_path):
    """The app keeps its connections open during a restore and never serves a cached page of the old data."""
    lead = browser("lead")
    before = tmp_path / "before.sqlite"
    runner = web_app.test_cli_runner()
    assert runner.invoke(args=["backup", str(before)]).exit_code == 0
    visit_id, _key = file_and_assign(lead)  # a new request, assigned: a draft trip on the board
    trip = next(web_db.query("select mt.trip from meeting_trips mt join meetings m on m.id = mt.meeting "
                             "where m.visit = ?", [visit_id]))["trip"]
    assert f'data-trip="{trip}"' in lead.get(f"/plan?week={WEEK}").get_data(as_text=True)
    result = runner.invoke(args=["restore", str(before), "--yes"])
    assert result.exit_code == 0, out(result)
    page = lead.get(f"/plan?week={WEEK}").get_data(as_text=True)
    assert f'data-trip="{trip}"' not in page and lead.get(f"/visits/{visit_id}").status_code == 404
    assert store.load_visits(web_db, statuses=["open"])  # the same open connection reads the restored data


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_a_backup_is_readable_by_its_owner_only_whatever_the_umask(live, runner, tmp_path, monkeypatch, umask):
    """It holds password hashes, two-step secrets and case codes: 0600, and so is the temporary file it is made in."""
    import os
    import stat

    from planner.ops import backup as backup_module
    real_copy, modes = backup_module._copy, []

    def copy_and_look(source, target_path):  # the real copy; then the temporary file's mode before the rename
        real_copy(source, target_path)
        modes.append(stat.S_IMODE(os.stat(target_path).st_mode))
    monkeypatch.setattr(backup_module, "_copy", copy_and_look)
    old = os.umask(umask)
    try:
        target = tmp_path / "private.sqlite"
        result = runner.invoke(args=["backup", str(target)])
        assert result.exit_code == 0, out(result)
        saved = runner.invoke(args=["restore", str(target), "--yes"])
        assert saved.exit_code == 0, out(saved)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert modes == [0o600, 0o600]  # the backup's temporary file, and the one of the copy kept before the restore
    kept = list(live.parent.glob("*.before-restore-*"))
    assert kept and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in kept)


@pytest.mark.parametrize("target", ["", "-wal", "-shm", "-journal", "link-to-wal", "dotted", "hard-link"])
def test_backup_refuses_the_live_database_and_its_own_files(live, runner, tmp_path, target):
    """Writing over the live database's -wal (or -shm, -journal, or the database itself, by any path: a symlink,
    '..', a hard link) would lose committed data: refused with one line, even with --force, and nothing changes."""
    import os
    wal = live.with_name(live.name + "-wal")
    assert wal.exists()  # the db fixture's connection keeps the WAL open
    if target == "link-to-wal":
        path = tmp_path / "innocent.sqlite"
        path.symlink_to(wal)
    elif target == "dotted":
        path = live.parent / ".." / live.parent.name / (live.name + "-wal")
    elif target == "hard-link":
        path = tmp_path / "same-file.sqlite"
        os.link(live, path)
    else:
        path = live.with_name(live.name + target)
    before = dump(live)
    files = {p: p.read_bytes() for p in live.parent.iterdir() if p.is_file()}
    result = runner.invoke(args=["backup", str(path), "--force"])
    assert result.exit_code != 0
    lines = out(result).strip().splitlines()
    assert len(lines) == 1 and "is the live database or one of its files" in lines[0], lines
    assert {p: p.read_bytes() for p in live.parent.iterdir() if p.is_file()} == files
    assert dump(live) == before
