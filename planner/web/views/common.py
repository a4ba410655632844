"""Small helpers the blueprints share: the week from the query string, staff names, offices in order."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, request

from ...core.local_time import helsinki_today
from ... import store
from ...core.weeks import parse_week, week_of


def planning_day(today: date) -> date:
    """The day whose week the pages open on: today, or on a weekend the coming Monday (the week just worked is
    over; a lead looking on Saturday plans the next one)."""
    return today + timedelta(7 - today.weekday()) if today.weekday() >= 5 else today


def week_arg(default: date | None = None) -> tuple[str, date, date]:
    """The ``week`` query argument ('2026-W50'; default: the week of ``default`` or of ``planning_day``) with its
    Monday and Sunday; 404 for a malformed week."""
    week = request.args.get("week") or week_of(default or planning_day(helsinki_today()))
    try:
        monday, sunday = parse_week(week)
    except ValueError:
        abort(404)
    return week, monday, sunday


def neighbour_weeks(monday: date) -> tuple[str, str]:
    return week_of(monday - timedelta(7)), week_of(monday + timedelta(7))


def team(db):
    """Staff by id, offices by id, and staff grouped by office (offices in name order)."""
    staff = store.load_staff(db)
    offices = store.load_offices(db)
    grouped = {}
    for office in sorted(offices.values(), key=lambda o: o.name):
        members = [s for s in staff.values() if s.office == office.id]
        if members:
            grouped[office] = members
    return staff, offices, grouped


def people_choices(grouped, first: tuple[str, str]) -> list:
    """A person picker's options: ``first`` (the empty choice), then the team by office (``team``'s grouping)."""
    return choices([first]) + [c for office, members in grouped.items()
                               for c in choices(((p.id, p.name) for p in members), optgroup=short_office(office.name))]


def short_office(name: str) -> str:
    """'Lappeenranta' from 'Lappeenranta (Joutseno reception centre)'."""
    return name.split(" (")[0]


def choices(pairs, optgroup: str | None = None) -> list:
    """WTForms select choices from (value, label) pairs."""
    from wtforms import SelectChoice
    return [SelectChoice(value, label, optgroup=optgroup) for value, label in pairs]
