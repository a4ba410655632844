"""Who is free when: working patterns, absences, employment periods, public holidays and trips already planned.

Flask-free. Public holidays come from the ``holidays`` package: Finland's, plus Åland's own (Autonomy Day,
9 June) for work on Åland. Midsummer Eve and Christmas Eve are in Finland's list as days off.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Iterable

import holidays

from .records import Absence, StaffMember

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@lru_cache(maxsize=64)
def _holidays(year: int, on_aland: bool) -> dict[date, str]:
    calendar = holidays.country_holidays("FI", subdiv="01" if on_aland else None, years=year, language="en_US")
    return dict(calendar.items())


def holiday_name(day: date, on_aland: bool = False) -> str | None:
    """The public holiday on ``day`` (in English), Åland's own included when ``on_aland``; None on other days."""
    return _holidays(day.year, on_aland).get(day)


def is_working_day(day: date, on_aland: bool = False) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and holiday_name(day, on_aland) is None


def non_working_reason(day: date, on_aland: bool = False) -> str | None:
    """Why ``day`` is not a working day ('6 May 2027 is Ascension Day'), or None when it is one."""
    name = holiday_name(day, on_aland)
    if name:
        return f"{fmt_day(day)} is {name}"
    if day.weekday() >= 5:
        return f"{fmt_day(day)} is a {WEEKDAYS[day.weekday()]}"
    return None


def fmt_day(day: date) -> str:
    return f"{day.day} {day.strftime('%b')} {day.year}"


def fmt_range(start: date, end: date) -> str:
    """'7-8 Dec', '30 Nov-2 Dec', '7 Dec' for messages."""
    if start == end:
        return f"{start.day} {start.strftime('%b')}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{end.day} {end.strftime('%b')}"
    return f"{start.day} {start.strftime('%b')}-{end.day} {end.strftime('%b')}"


def days(start: date, end: date) -> list[date]:
    """Every date from ``start`` to ``end`` inclusive."""
    return [start + timedelta(n) for n in range((end - start).days + 1)]


def trip_days(trip: dict) -> list[date]:
    """The days a trip (a row with ISO ``depart`` and ``return``) is away, first to last."""
    return days(date.fromisoformat(trip["depart"][:10]), date.fromisoformat(trip["return"][:10]))


@dataclass(frozen=True)
class Busy:
    """Time a person is already committed (a planned trip), local Helsinki time."""
    staff: str
    start: datetime
    end: datetime
    label: str = "trip"


class Availability:
    """Answers who is free when, for one team."""

    def __init__(self, staff: Iterable[StaffMember], absences: Iterable[Absence] = (), busy: Iterable[Busy] = ()):
        self.staff = {s.id: s for s in staff}
        self._absences: dict[str, list[Absence]] = defaultdict(list)
        for absence in absences:
            self._absences[absence.staff].append(absence)
        self._busy: dict[str, list[Busy]] = defaultdict(list)
        for b in busy:
            self._busy[b.staff].append(b)

    def absence_on(self, staff_id: str, day: date) -> Absence | None:
        return next((a for a in self._absences[staff_id] if a.start <= day <= a.end), None)

    def unavailable_reason(self, staff_id: str, day: date, on_aland: bool = False) -> str | None:
        """Why the person cannot work on ``day`` at all (None when they can):
        not employed, absent, a day off in their pattern, a weekend or a public holiday."""
        person = self.staff[staff_id]
        if not person.employed_on(day):
            return f"not employed on {fmt_day(day)}"
        absence = self.absence_on(staff_id, day)
        if absence:
            return f"absent ({absence.kind.replace('_', ' ')}) {fmt_range(absence.start, absence.end)}"
        reason = non_working_reason(day, on_aland)
        if reason:
            return reason
        if day.weekday() not in person.pattern:
            return f"does not work on {WEEKDAYS[day.weekday()]}s"
        return None

    def busy_between(self, staff_id: str, start: datetime, end: datetime) -> list[Busy]:
        """Commitments overlapping [start, end)."""
        return [b for b in self._busy[staff_id] if b.start < end and start < b.end]

    def free_between(self, staff_id: str, start: datetime, end: datetime) -> str | None:
        """None when the person can be away from ``start`` to ``end`` (may span days); else why not.
        Every day of it, travel days included, must be one they can work; the meeting day's own
        holiday rules (Åland's) are the caller's to check with ``unavailable_reason``."""
        for day in days(start.date(), end.date()):
            reason = self.unavailable_reason(staff_id, day)
            if reason:
                return reason
        clash = self.busy_between(staff_id, start, end)
        if clash:
            b = clash[0]
            return f"busy ({b.label}) {b.start:%a %d %b %H:%M}-{b.end:%H:%M}"
        return None

