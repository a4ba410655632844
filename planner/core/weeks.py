"""ISO weeks as the planner names them: '2026-W50'."""
from __future__ import annotations

import re
from datetime import date, timedelta

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
# The years the planner plans in: a date outside them is a typing error (and one near date.min or date.max would
# overflow the week or month before or after it).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_week(text: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week '2026-W50'; ValueError with a clear message otherwise."""
    match = WEEK_RE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a week (use YYYY-Www, e.g. 2026-W50)")
    if not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise ValueError(f"{text!r} is not a week of the years {FIRST_YEAR}-{LAST_YEAR}")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValueError(f"{text!r} is not a week of {match[1]}") from None
    return monday, monday + timedelta(6)


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_between(start: date, end: date) -> list[str]:
    """The ISO weeks that meet [start, end], in order."""
    monday = start - timedelta(start.weekday())
    return [week_of(monday + timedelta(7 * n)) for n in range((end - monday).days // 7 + 1)]


def next_week(today: date) -> str:
    return week_of(today + timedelta(7))
