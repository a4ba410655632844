"""Who is free when: patterns, absences, employment periods, holidays (Åland's own) and planned trips."""
from datetime import date, datetime, time

from planner.core.availability import Availability, Busy, holiday_name, is_working_day, non_working_reason
from planner.core.messages import english
from planner.core.records import Absence, StaffMember

ANNA = StaffMember("anna", "Senior inspector", "senior_inspector", "helsinki")
TRAINEE = StaffMember("trainee", "Trainee", "trainee", "helsinki", active_from=date(2026, 6, 1),
                      active_until=date(2026, 8, 31))
PART_TIME = StaffMember("pt", "Part-time", "inspector", "tampere",
                        pattern={0: (time(8), time(16, 15)), 1: (time(8), time(16, 15)), 2: (time(9), time(13))})


def team(absences=(), busy=()):
    return Availability([ANNA, TRAINEE, PART_TIME], absences, busy)


def test_finnish_public_holidays_and_days_off():
    assert holiday_name(date(2026, 12, 6)) == "Independence Day"
    assert holiday_name(date(2026, 6, 19)) == "Midsummer Eve"
    assert holiday_name(date(2026, 12, 24)) == "Christmas Eve"
    assert not is_working_day(date(2026, 12, 24))
    assert not is_working_day(date(2026, 12, 5))  # a Saturday
    assert is_working_day(date(2026, 12, 7))
    assert english(non_working_reason(date(2027, 5, 6))) == "6 May 2027 is Ascension Day"


def test_aland_autonomy_day_only_on_aland():
    day = date(2026, 6, 9)
    assert is_working_day(day)
    assert not is_working_day(day, on_aland=True)
    assert english(team().unavailable_reason("anna", day, on_aland=True)) == "9 Jun 2026 is Åland's Autonomy Day"
    assert team().unavailable_reason("anna", day) is None


def test_employment_period():
    assert english(team().unavailable_reason("trainee", date(2026, 12, 8))) == "not employed on 8 Dec 2026"
    assert team().unavailable_reason("trainee", date(2026, 6, 2)) is None


def test_absence_blocks_every_day_of_it():
    t = team([Absence("anna", date(2026, 12, 7), date(2026, 12, 8), "vacation")])
    assert english(t.unavailable_reason("anna", date(2026, 12, 7))) == "absent (vacation) 7-8 Dec"
    assert english(t.unavailable_reason("anna", date(2026, 12, 8))) == "absent (vacation) 7-8 Dec"
    assert t.unavailable_reason("anna", date(2026, 12, 9)) is None
    assert t.unavailable_reason("pt", date(2026, 12, 7)) is None


def test_working_pattern_days_off():
    t = team()
    assert english(t.unavailable_reason("pt", date(2026, 12, 10))) == "does not work on Thursdays"
    assert t.unavailable_reason("pt", date(2026, 12, 9)) is None


def test_planned_trips_make_people_busy():
    trip = Busy("anna", datetime(2026, 12, 8, 7), datetime(2026, 12, 8, 15), "trip T1")
    t = team(busy=[trip])
    busy = t.free_between("anna", datetime(2026, 12, 8, 14), datetime(2026, 12, 8, 18))
    assert english(busy).startswith("busy (trip T1)")
    assert t.free_between("anna", datetime(2026, 12, 8, 15), datetime(2026, 12, 8, 18)) is None
    assert t.free_between("anna", datetime(2026, 12, 8, 6), datetime(2026, 12, 8, 7)) is None


def test_multi_day_trip_needs_every_day_free():
    t = team([Absence("anna", date(2026, 12, 9), date(2026, 12, 9), "training")])
    assert english(t.free_between("anna", datetime(2026, 12, 8, 9), datetime(2026, 12, 9, 12))) == \
        "absent (training) 9 Dec"
    # Over a weekend: Saturday is not a working day.
    assert english(t.free_between("anna", datetime(2026, 12, 11, 9), datetime(2026, 12, 12, 12))) == \
        "12 Dec 2026 is a Saturday"
