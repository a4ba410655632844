"""Flask glue for the database: one connection per request on ``g``, closed at teardown."""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlite_utils import Database

from .db import open_db


def get_db() -> Database:
    if "db" not in g:
        g.db = open_db(current_app.config["DATABASE"])
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def get_settings():
    return current_app.extensions["planner_settings"]


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
