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


def test_allowance_edges_follow_the_tax_administration_wording():
    """More than 6 h for a partial, more than 10 h for a full one; past the last full 24 h, at least 2 h more adds a
    partial allowance and more than 6 h a full one."""
    assert daily_allowance(6, 100, S) == 0
    assert daily_allowance(6 + 1 / 60, 100, S) == 25
    assert daily_allowance(10, 100, S) == 25
    assert daily_allowance(10 + 1 / 60, 100, S) == 54
    assert daily_allowance(24, 100, S) == 54
    assert daily_allowance(24 + 119 / 60, 100, S) == 54
    assert daily_allowance(26, 100, S) == 54 + 25     # exactly 2 h past the full day: was 54 before issue 15
    assert daily_allowance(30, 100, S) == 54 + 25     # exactly 6 h past: still partial
    assert daily_allowance(30 + 1 / 60, 100, S) == 54 + 54
    assert daily_allowance(48 + 2, 100, S) == 2 * 54 + 25
