"""When one person's out-and-back trip to a meeting leaves and returns, and how many hotel nights it takes.

A day of work and travel may last at most ``Settings.longest_day_minutes`` between ``earliest_departure`` and
``latest_return``; a longer trip travels the day before and/or returns the day after, with a hotel night
each time. Flask-free.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .settings import Settings

SLOT = 15  # meetings start on a quarter hour


@dataclass(frozen=True)
class Timing:
    depart: datetime
    meeting_start: datetime
    meeting_end: datetime
    return_: datetime
    nights: int

    @property
    def hours_away(self) -> float:
        return (self.return_ - self.depart).total_seconds() / 3600


def round_up(moment: datetime, minutes: int = SLOT) -> datetime:
    """The first quarter hour at or after ``moment``."""
    extra = (-(moment.minute % minutes)) % minutes
    return (moment + timedelta(minutes=extra)).replace(second=0, microsecond=0)


def _at(day: date, t: time) -> datetime:
    return datetime.combine(day, t)


def meeting_window(day: date, settings: Settings) -> tuple[datetime, datetime]:
    """The earliest start and the latest end of a meeting on ``day``."""
    return _at(day, settings.meeting_earliest), _at(day, settings.meeting_latest_end)


def time_trip(day: date, out_min: int, back_min: int, duration_min: int, settings: Settings,
              work_start: time | None = None, start: datetime | None = None) -> Timing | None:
    """The best timing of a trip to a ``duration_min`` meeting on ``day``: fewest nights, then least time
    leaving before the usual start of the day, then shortest time away.

    ``out_min``/``back_min`` are door-to-door travel minutes; ``work_start`` is when the person's day normally
    starts (they leave then when they can); ``start`` fixes the meeting start (a team meets at one time).
    Returns None when no timing fits the meeting window and the day limits.
    """
    work_start = work_start or settings.workday_start
    longest = timedelta(minutes=settings.longest_day_minutes)
    win_start, win_end = meeting_window(day, settings)
    duration = timedelta(minutes=duration_min)
    out, back = timedelta(minutes=out_min), timedelta(minutes=back_min)
    earliest_departure = _at(day, settings.earliest_departure)
    latest_return = _at(day, settings.latest_return)

    if start is not None:
        starts = [start]
    else:
        # Leave at the usual start of the day when possible, else early; or stay the night before.
        starts = sorted({round_up(max(win_start, _at(day, work_start) + out)),
                         round_up(max(win_start, earliest_departure + out)),
                         round_up(max(win_start, _at(day, work_start)))})
    options: list[Timing] = []
    for s in starts:
        end = s + duration
        if s < win_start or end > win_end:
            continue
        same_day_depart = s - out
        arrive_options = []
        if same_day_depart >= earliest_departure:
            arrive_options.append((same_day_depart, 0))
        # Travel the day(s) before: arrive by 18.00 the evening before when the leg fits in a day.
        nights_before = max(1, math.ceil(out / longest))
        if nights_before == 1:
            evening = _at(day - timedelta(1), time(18, 0))
            leave = max(_at(day - timedelta(1), work_start), evening - out)
        else:
            leave = _at(day - timedelta(nights_before), work_start)
        arrive_options.append((leave, nights_before))

        for depart, n_before in arrive_options:
            day_began = depart if n_before == 0 else s
            ret = end + back
            if ret <= latest_return and ret - day_began <= longest:
                options.append(Timing(depart, s, end, ret, n_before))
                continue
            if n_before == 0 and end - depart > longest:
                continue  # even the outward day is too long
            nights_after = max(1, math.ceil(back / longest))
            remaining = back - (nights_after - 1) * longest
            ret = _at(day + timedelta(nights_after), work_start) + remaining
            options.append(Timing(depart, s, end, ret, n_before + nights_after))
    if not options:
        return None
    def early(t: Timing) -> timedelta:  # leaving before the usual start of the day is a last resort
        return max(timedelta(0), _at(t.depart.date(), work_start) - t.depart)
    return min(options, key=lambda t: (t.nights, early(t), t.return_ - t.depart, t.meeting_start))
