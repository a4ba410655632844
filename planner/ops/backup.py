"""``planner backup FILE`` and ``planner restore FILE``: consistent online copies of the database.

A backup goes through SQLite's backup API in one step: it reads one consistent snapshot while the app keeps
writing (WAL mode: readers and the writer do not block each other). It is written to a temporary file beside
FILE, checked (``PRAGMA integrity_check``), switched to a single self-contained file (no -wal) and then renamed
into place, so FILE is never half written. FILE and its temporary file are readable by their owner only (0600,
whatever the umask): a backup holds password hashes, two-step secrets and case codes. FILE may not be the live
database or one of its -wal, -shm or -journal files, by any path, even with --force.

A restore first checks the file: SQLite, intact, a planner database whose migrations this version knows. It then
saves the live database as ``<db>.before-restore-<timestamp>`` (a backup like the above) and copies the file into
the live database with the backup API, which takes the database's write lock: the running app sees either the
old data or the new, never a mix, and keeps working (no file is swapped under its open connections).
"""
from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..store import backup as backup_store

HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A one-line reason the backup or restore was refused; nothing was changed."""


def _private_file(path: Path) -> None:
    """Create ``path`` empty, readable and writable by its owner only, whatever the umask: a backup holds password
    hashes, two-step secrets and case codes. (SQLite gives its journal the database file's mode.)"""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the umask may have taken bits off; 0600 is wanted, no more and no less
    finally:
        os.close(fd)


def _copy(database: Path, target: Path) -> None:
    """A new private file ``target`` holding a one-step copy of ``database``, self-contained (no -wal)."""
    _private_file(target)
    backup_store.copy_database(database, target)


LABELS = {"plan_runs": "plan runs", "audit_log": "audit entries"}


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {LABELS.get(t, t)}" for t, n in counts.items())


LIVE_SUFFIXES = ("", "-wal", "-shm", "-journal")  # the database and the files SQLite keeps beside it


def _is_live_file(path: Path, database: Path) -> bool:
    """Whether ``path`` is, by any name (symlinks, '..', a hard link), the live database or its -wal, -shm or
    -journal file: writing there would lose committed data."""
    target, base = path.resolve(), database.resolve()
    for suffix in LIVE_SUFFIXES:
        live = base.with_name(base.name + suffix)
        if target == live or (target.exists() and live.exists() and os.path.samefile(target, live)):
            return True
    return False


def backup(database: Path, destination: Path, force: bool = False) -> dict:
    """Copy the live ``database`` to ``destination`` (created 0600); returns {file, bytes, integrity, counts}."""
    database, destination = Path(database), Path(destination)
    if not database.is_file():
        raise BackupError(f"no database at {database}")
    if _is_live_file(destination, database):
        raise BackupError(f"{destination} is the live database or one of its files (-wal, -shm, -journal); "
                          "choose another file")
    if destination.exists() and not force:
        raise BackupError(f"{destination} exists; use --force to overwrite it")
    if not destination.parent.is_dir():
        raise BackupError(f"{destination.parent}: no such folder")
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        _copy(database, temporary)
        integrity, counts = backup_store.check_copy(temporary)
        if integrity != "ok":
            raise BackupError(f"the copy failed its integrity check ({integrity}); {destination} not written")
        os.replace(temporary, destination)
    except sqlite3.Error as exc:
        raise BackupError(f"could not copy {database}: {exc}") from None
    finally:
        temporary.unlink(missing_ok=True)
    return {"file": str(destination), "bytes": destination.stat().st_size, "integrity": "ok", "counts": counts}


def check_backup(path: Path) -> dict:
    """That ``path`` is an intact planner database this version can open; returns {migrations, counts}."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as fh:
        if fh.read(16) != HEADER:
            raise BackupError(f"{path} is not an SQLite database")
    try:
        found = backup_store.inspect(path)
    except sqlite3.DatabaseError as exc:  # a truncated or scrambled file fails here
        raise BackupError(f"{path} is not a readable SQLite database ({exc})") from None
    if found["integrity"] != "ok":
        raise BackupError(f"{path} is damaged (integrity check: {found['integrity']})")
    applied, counts, known = found["migrations"], found["counts"], backup_store.known_migrations()
    if not applied:  # no planner tables, or none of the planner's migrations
        raise BackupError(f"{path} is not a planner database")
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise BackupError(f"{path} was made by a newer version of the planner (migration {unknown[0]}); "
                          "upgrade the planner first")
    return {"migrations": applied, "counts": counts}


def restore(database: Path, source: Path, now: datetime | None = None) -> dict:
    """Replace the live ``database`` with ``source`` (checked first); the old one is kept beside it.
    Returns {saved_as, counts}."""
    database, source = Path(database), Path(source)
    if source.resolve() == database.resolve():
        raise BackupError(f"{source} is the live database")
    checked = check_backup(source)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    saved = database.with_name(f"{database.name}.before-restore-{stamp}")
    if database.exists():
        backup(database, saved)
    try:
        backup_store.overwrite(database, source)  # under its write lock: others see all old or all new
    except backup_store.PageSizeMismatch as exc:  # the backup API cannot change a WAL database's page size
        raise BackupError(f"{source} has pages of {exc.incoming} bytes and {database} of {exc.live}; stop the app "
                          "and copy the file over the database instead") from None
    except sqlite3.Error as exc:
        raise BackupError(f"could not restore into {database}: {exc} (the old database is in {saved})") from None
    from ..store.db import open_db  # migrations bring an older backup up to this version's schema
    open_db(database).close()
    return {"saved_as": str(saved) if saved.exists() else None, "counts": checked["counts"]}


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} kB"


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def backup_command(file: str, force: bool, as_json: bool) -> None:
    """Copy the database to FILE while the app keeps running (a consistent snapshot, checked)."""
    try:
        result = backup(Path(current_app.config["DATABASE"]), Path(file), force)
    except BackupError as exc:
        raise click.ClickException(str(exc))
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(f"Backup written: {file} ({_size(result['bytes'])}), integrity ok: {describe(result['counts'])}")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Confirm: every record in the database is replaced by FILE's.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def restore_command(file: str, yes: bool, as_json: bool) -> None:
    """Replace the database with the backup FILE (the current database is saved beside it first)."""
    database = Path(current_app.config["DATABASE"])
    try:
        if not yes:
            check_backup(Path(file))  # a bad file is named before asking for confirmation
            raise BackupError(f"restoring replaces every record in {database} with those in {file}; "
                              "run again with --yes to do it")
        result = restore(database, Path(file))
    except BackupError as exc:
        raise click.ClickException(str(exc))
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(f"Restored {file} into {database}: {describe(result['counts'])}."
                   + (f" The previous database is saved as {result['saved_as']}." if result["saved_as"] else ""))


BACKUP_COMMANDS = [backup_command, restore_command]
