"""Trip timing: same-day trips, overnight stays when a day would be too long, and a fixed team start."""
from datetime import date, datetime

from planner.core.settings import Settings
from planner.core.timing import time_trip

DAY = date(2026, 12, 8)
S = Settings()


def test_short_trip_leaves_at_the_start_of_the_day():
    t = time_trip(DAY, 120, 120, 90, S)
    assert (t.depart, t.meeting_start, t.return_, t.nights) == (
        datetime(2026, 12, 8, 8), datetime(2026, 12, 8, 10), datetime(2026, 12, 8, 13, 30), 0)


def test_meeting_stays_inside_the_meeting_window():
    t = time_trip(DAY, 30, 30, 60, S)
    assert t.meeting_start >= datetime(2026, 12, 8, 8) and t.meeting_end <= datetime(2026, 12, 8, 17)


def test_too_long_a_day_becomes_an_overnight_stay():
    t = time_trip(DAY, 300, 300, 120, S)
    assert t.nights == 1
    assert t.depart.date() == date(2026, 12, 7)
    assert (t.return_ - t.meeting_start).total_seconds() / 60 <= S.longest_day_minutes


def test_longest_day_is_configurable():
    assert time_trip(DAY, 300, 300, 120, Settings(longest_day_minutes=13 * 60)).nights == 0


def test_very_long_legs_take_several_days():
    t = time_trip(DAY, 800, 800, 60, S)
    assert t.nights >= 3
    assert t.depart < datetime(2026, 12, 7)


def test_fixed_start_is_kept_or_refused():
    t = time_trip(DAY, 60, 60, 60, S, start=datetime(2026, 12, 8, 13))
    assert t.meeting_start == datetime(2026, 12, 8, 13) and t.depart == datetime(2026, 12, 8, 12)
    assert time_trip(DAY, 60, 60, 120, S, start=datetime(2026, 12, 8, 16)) is None  # would end after 17.00
