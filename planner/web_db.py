"""Flask glue for the database: one connection per request on ``g``, returned at teardown.

The first connection a process opens to a database brings its schema up to date (migrations, WAL). Connections
are then kept in a small pool and reused by later requests: a new SQLite connection parses the whole schema on its
first statement, which would otherwise be most of the time a cached page takes. A connection is only ever used
by one request at a time, and goes back to the pool with no transaction open.
"""
from __future__ import annotations

import sqlite3
from queue import Empty, Full, LifoQueue
from threading import Lock

from flask import Flask, current_app, g
from sqlite_utils import Database

from .db import open_db

POOL_SIZE = 8
_pools: dict[str, LifoQueue] = {}
_lock = Lock()


def _pool(path: str) -> LifoQueue:
    with _lock:
        if path not in _pools:
            open_db(path).close()  # migrations and WAL, once per process and database
            _pools[path] = LifoQueue(POOL_SIZE)
        return _pools[path]


def _connect(path: str) -> Database:
    conn = sqlite3.connect(path, check_same_thread=False)  # handed between request threads, never shared
    db = Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    return db


def get_db() -> Database:
    if "db" not in g:
        path = current_app.config["DATABASE"]
        pool = _pool(path)
        try:
            g.db = pool.get_nowait()
        except Empty:
            g.db = _connect(path)
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


def get_settings():
    return current_app.extensions["planner_settings"]


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
