"""Who is free when: working patterns, absences, employment periods, public holidays and trips already planned.

Flask-free. Public holidays come from the ``holidays`` package: Finland's, plus Åland's own (Autonomy Day,
9 June) for work on Åland. Midsummer Eve and Christmas Eve are in Finland's list as days off.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable

from .public_holidays import holiday_name
from .records import Absence, StaffMember
from .messages import Message, message


def is_working_day(day: date, on_aland: bool = False) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and holiday_name(day, on_aland) is None


def non_working_reason(day: date, on_aland: bool = False) -> Message | None:
    """Why ``day`` is not a working day (a holiday, a weekend), or None when it is one."""
    if holiday_name(day, on_aland):
        return message("holiday", day=day.isoformat(), aland=on_aland)
    if day.weekday() >= 5:
        return message("weekend", day=day.isoformat())
    return None


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

    def unavailable_reason(self, staff_id: str, day: date, on_aland: bool = False) -> Message | None:
        """Why the person cannot work on ``day`` at all (None when they can):
        not employed, absent, a day off in their pattern, a weekend or a public holiday."""
        person = self.staff[staff_id]
        if not person.employed_on(day):
            return message("not_employed_on", day=day.isoformat())
        absence = self.absence_on(staff_id, day)
        if absence:
            return message("absent", kind=absence.kind, start=absence.start.isoformat(), end=absence.end.isoformat())
        reason = non_working_reason(day, on_aland)
        if reason:
            return reason
        if day.weekday() not in person.pattern:
            return message("day_off", weekday=day.weekday())
        return None

    def has_commitments(self, staff_id: str) -> bool:
        """Whether the person has any commitment (``busy_between`` finds none otherwise, whenever asked)."""
        return bool(self._busy.get(staff_id))

    def busy_between(self, staff_id: str, start: datetime, end: datetime) -> list[Busy]:
        """Commitments overlapping [start, end)."""
        return [b for b in self._busy[staff_id] if b.start < end and start < b.end]

    def free_between(self, staff_id: str, start: datetime, end: datetime) -> Message | None:
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
            return message("busy", trip=b.label.removeprefix("trip").strip(), start=b.start.isoformat(),
                           end=b.end.isoformat())
        return None

