"""The offices as the administrator edits them (``offices``); reading them as ``core.records.Office`` is
``store.records.load_offices``."""
from __future__ import annotations

from sqlite_utils import Database


def office(db: Database, office_id: str) -> dict | None:
    return next(db.query("select * from offices where id = ?", [office_id]), None)


def office_exists(db: Database, office_id: str) -> bool:
    return bool(db["offices"].count_where("id = ?", [office_id]))


def offices_with_headcount(db: Database) -> list[dict]:
    """Every office by name, with ``people``: how many staff members belong to it."""
    return list(db.query("select o.*, (select count(*) from staff s where s.office = o.id) as people "
                         "from offices o order by o.name"))


def add_office(db: Database, row: dict) -> None:
    db["offices"].insert(row, pk="id")


def update_office(db: Database, office_id: str, changes: dict) -> None:
    db["offices"].update(office_id, changes)
