"""What a trip costs beyond the tickets and mileage: daily allowances and hotel nights (2026 rules)."""
from __future__ import annotations

from .settings import Settings


def daily_allowance(hours_away: float, distance_km: float, settings: Settings) -> float:
    """Tax-free daily allowance for one person's trip of ``hours_away`` reaching ``distance_km`` from the workplace.

    Over 6 h: partial, over 10 h: full; past the last full 24 h, more than 6 h more adds a full allowance and at
    least 2 h more a partial one (the Tax Administration's wording: "vähintään 2 tunnilla"). Nothing for trips
    within ``allowance_min_distance_km``.
    """
    if distance_km <= settings.allowance_min_distance_km or hours_away <= 6:
        return 0.0
    if hours_away <= 10:
        return settings.daily_allowance_partial_eur
    full_days, rest = divmod(hours_away, 24)
    total = max(full_days, 1) * settings.daily_allowance_full_eur
    if full_days >= 1:
        if rest > 6:
            total += settings.daily_allowance_full_eur
        elif rest >= 2:
            total += settings.daily_allowance_partial_eur
    return total


def trip_extras(hours_away: float, distance_km: float, nights: int, settings: Settings) -> float:
    """Allowance plus hotel nights for one person."""
    return daily_allowance(hours_away, distance_km, settings) + nights * settings.hotel_night_eur
