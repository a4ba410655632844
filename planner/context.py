"""What a command or a request runs with: the instance folder and its secret key, the app context's database
connection (one per request on ``g``, returned at teardown) and the effective settings. Shared by ``cli`` and ``web``.

The first connection a process opens to a database brings its schema up to date (migrations, WAL). Connections
are then kept in a small pool and reused by later requests: a new SQLite connection parses the whole schema on its
first statement, which would otherwise be most of the time a cached page takes. A connection is only ever used
by one request at a time, and goes back to the pool with no transaction open.
"""
from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path
from queue import Empty, Full, LifoQueue
from threading import Lock

from flask import Flask, current_app, g
from sqlite_utils import Database

from .store.db import connect, open_db
from .store.settings_overrides import stored_overrides
from .store.web_changes import change_counter
from .core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
POOL_SIZE = 8


def instance_folder() -> Path:
    """PLANNER_INSTANCE if set; else the checkout's ``instance/`` (or ./instance for a non-editable install)."""
    if os.environ.get("PLANNER_INSTANCE"):
        return Path(os.environ["PLANNER_INSTANCE"]).resolve()
    if (ROOT / "pyproject.toml").exists():
        return ROOT / "instance"
    return Path.cwd() / "instance"


def ensure_secret_key(app: Flask) -> None:
    """Generate the instance's secret key once (kept out of git with the rest of instance/)."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
_pools: dict[str, LifoQueue] = {}
_lock = Lock()


def _pool(path: str) -> LifoQueue:
    with _lock:
        if path not in _pools:
            open_db(path).close()  # migrations and WAL, once per process and database
            _pools[path] = LifoQueue(POOL_SIZE)
        return _pools[path]



def get_db() -> Database:
    if "db" not in g:
        path = current_app.config["DATABASE"]
        pool = _pool(path)
        try:
            g.db = pool.get_nowait()
        except Empty:
            g.db = connect(path)
        g.db_pool = pool
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    pool = g.pop("db_pool", None)
    if db is None:
        return
    try:
        if db.conn.in_transaction:
            db.conn.rollback()
        pool.put_nowait(db)
    except (Full, sqlite3.Error):
        db.close()


def effective_overrides() -> dict:
    """Everything that differs from the defaults: the instance's ``PLANNER_SETTINGS``, then the database's."""
    return {**current_app.config["PLANNER_SETTINGS"],
            **{k: v["value"] for k, v in stored_overrides(get_db()).items()}}


def get_settings() -> Settings:
    """The effective settings: defaults, then the instance's ``PLANNER_SETTINGS``, then the overrides stored in the
    database. Kept for the request on ``g`` and per process keyed on the change counter (migrations 0004/0005), so
    a change by any process is seen on the next request and an unchanged database costs one small query."""
    if "planner_settings" in g:
        return g.planner_settings
    db = get_db()
    version = change_counter(db)
    cached = current_app.extensions.get("planner_settings_cache")
    if cached is not None and cached[0] == version:
        settings = cached[1]
    else:
        settings = Settings.from_mapping(effective_overrides())
        current_app.extensions["planner_settings_cache"] = (version, settings)
    g.planner_settings = settings
    return settings


def forget_settings() -> None:
    """Drop this request's settings (after a change, so the rest of the request sees the new ones)."""
    g.pop("planner_settings", None)


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
