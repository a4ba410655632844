from planner.core.costs import daily_allowance, trip_extras
from planner.core.settings import Settings

S = Settings()


def test_daily_allowance_2026_rates():
    assert daily_allowance(5, 100, S) == 0
    assert daily_allowance(8, 100, S) == 25
    assert daily_allowance(11, 100, S) == 54
    assert daily_allowance(11, 10, S) == 0  # within 15 km of the workplace
    assert daily_allowance(30, 200, S) == 54 + 25
    assert daily_allowance(32, 200, S) == 54 + 54


def test_hotel_nights_and_settings_override():
    assert trip_extras(30, 200, 1, S) == 79 + 120
    assert trip_extras(30, 200, 1, Settings.from_mapping({"hotel_night_eur": 90})) == 79 + 90
