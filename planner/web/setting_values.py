"""The settings page's values: its groups, each entry parsed from what an admin typed, and each value shown in the
page's language (a decimal comma in Finnish and Swedish, as the hints ask for it)."""
from __future__ import annotations

import math
import re
from datetime import time

from babel.numbers import get_decimal_symbol
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.settings import FIELD_RULES, to_text

SETTING_GROUPS = (
    (_l("Money"), ("mileage_eur_per_km", "daily_allowance_full_eur", "daily_allowance_partial_eur",
                   "allowance_min_distance_km", "hotel_night_eur", "train_eur_per_km", "train_min_fare_eur",
                   "flight_base_eur", "flight_eur_per_km", "rental_car_day_eur", "taxi_eur_per_km", "taxi_base_eur")),
    (_l("Time"), ("workday_start", "workday_end", "meeting_earliest", "meeting_latest_end", "longest_day_minutes",
                  "earliest_departure", "latest_return", "airport_before_minutes", "airport_after_minutes",
                  "station_before_minutes", "station_after_minutes", "public_transport_min_km")),
    (_l("Travel model"), ("taxi_max_km", "rental_fuel_eur_per_km", "working_time_eur_per_hour", "less_driving_margin",
                          "road_router_timeout_s")),
    (_l("Emissions"), ("co2_car_kg_per_km", "co2_train_kg_per_km", "co2_flight_kg_per_km", "co2_ferry_kg_per_km",
                       "co2_source", "emissions_eur_per_kg")),
    (_l("Geocoding"), ("geocoder", "geocoder_user_agent")),
)
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _number_text(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def parse_setting(key: str, text: str):
    """(value, None) for a valid entry of setting ``key``, else (None, the message to show next to it)."""
    kind, low, high = FIELD_RULES[key]
    text = (text or "").strip()
    if kind == "number":
        try:
            value = float(text.replace(",", ".").replace("\u2212", "-"))
        except ValueError:
            return None, _("Enter a number, e.g. 0.55.")
        if not math.isfinite(value):
            return None, _("Enter a number, e.g. 0.55.")
        if low is not None and value < low:
            return None, _("Must be at least %(n)s.", n=_number_text(low))
        if high is not None and value > high:
            return None, _("Must be at most %(n)s.", n=_number_text(high))
        return value, None
    if kind == "minutes":
        if not re.fullmatch(r"-?\d{1,6}", text):
            return None, _("Enter a whole number of minutes.")
        value = int(text)
        if not low <= value <= high:
            return None, _("Must be from %(low)s to %(high)s minutes.", low=low, high=high)
        return value, None
    if kind == "time":
        match = TIME_RE.match(text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            return None, _("Enter a time as HH:MM, e.g. 08:00.")
        return time(int(match[1]), int(match[2])), None
    if kind == "name":
        if not text:
            return None, None
        if not NAME_RE.match(text):
            return None, _("Enter a name in lower-case letters (e.g. nominatim), or leave it empty.")
        return text, None
    if not text or len(text) > 200:
        return None, _("Enter some text (at most 200 characters).")
    return text, None


def shown(key: str, value) -> str:
    """``value`` of setting ``key`` as the page shows it: a number with the language's decimal sign."""
    text = to_text(value)
    return text.replace(".", get_decimal_symbol(get_locale())) if FIELD_RULES[key][0] == "number" else text
