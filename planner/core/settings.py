"""Figures that change every year or per deployment, in one place.

Defaults are the 2026 values (Tax Administration's tax-free maximums, state office hours). An administrator
overrides any of them in the instance folder's ``config.py`` with ``PLANNER_SETTINGS = {"mileage_eur_per_km": 0.57}``,
or in the browser (``/admin/settings``, stored in the ``settings_overrides`` table, applied over the config file),
except those in ``CONFIG_ONLY`` (the road router's address), which only the config file sets.
Domain code receives a :class:`Settings` object and never reads Flask's config itself.
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import time


@dataclass(frozen=True)
class Settings:
    # Money (2026 tax-free maximums, Verohallinto)
    mileage_eur_per_km: float = 0.55
    daily_allowance_full_eur: float = 54.0      # trip over 10 h
    daily_allowance_partial_eur: float = 25.0   # trip over 6 h
    allowance_min_distance_km: float = 15.0     # allowances apply only beyond this from the workplace
    hotel_night_eur: float = 120.0
    train_eur_per_km: float = 0.11
    train_min_fare_eur: float = 9.0
    flight_base_eur: float = 110.0
    flight_eur_per_km: float = 0.25
    rental_car_day_eur: float = 70.0
    taxi_eur_per_km: float = 2.1
    taxi_base_eur: float = 8.0

    # Time
    workday_start: time = time(8, 0)
    workday_end: time = time(16, 15)
    meeting_earliest: time = time(8, 0)
    meeting_latest_end: time = time(17, 0)
    longest_day_minutes: int = 600          # beyond this a trip gets an overnight stay
    earliest_departure: time = time(6, 0)
    latest_return: time = time(22, 0)
    airport_before_minutes: int = 60        # be at the airport before departure
    airport_after_minutes: int = 20
    station_before_minutes: int = 15
    station_after_minutes: int = 5
    # Rail and air are only worth it for long legs; below this the car is used.
    public_transport_min_km: float = 150.0
    # "best" travel (planner.core.travel_choice): the least fares or mileage plus working time at this value, the
    # plan's own weighing (half a euro weighs a minute: €120 an hour); within this share of the least, less driving.
    working_time_eur_per_hour: float = 120.0
    less_driving_margin: float = 0.10

    # Travel model (planner.core.travel). A leg to or from a station or airport up to this long goes by taxi; a longer
    # one at the far end of a flight or train is a rental car (half a day's rental per one-way journey plus fuel).
    taxi_max_km: float = 30.0
    rental_fuel_eur_per_km: float = 0.12    # fuel for a rental car, 2026 pump prices, ~6.5 l/100 km
    # Base URL of a road router with OSRM's HTTP API (e.g. "http://localhost:5000"); None = the built-in network.
    road_router_url: str | None = None
    road_router_timeout_s: float = 2.0
    # The built-in model's network data (planner/data/road_network.json by default): an instance's own
    # road_network.json, updated by an administrator (roads, ferries, flights, trains and their dates), replaces it.
    network_file: str | None = None

    # Emissions (planner/core/emissions.py, docs/reports.md): kg CO2e per vehicle-km (car, taxi) or passenger-km
    # (train, flight, ferry), and where the factors come from; the plan and the proposals weigh each kg at
    # emissions_eur_per_kg (0, the default: not at all, so plans stay as they were).
    co2_car_kg_per_km: float = 0.17
    co2_train_kg_per_km: float = 0.035
    co2_flight_kg_per_km: float = 0.27
    co2_ferry_kg_per_km: float = 0.019
    co2_source: str = ("UK DESNZ greenhouse gas conversion factors 2023 (average car, national rail, domestic flight "
                       "with radiative forcing, ferry foot passenger), rounded")
    emissions_eur_per_kg: float = 0.0

    # Geocoding of street addresses through geopy: off by default (no network at run time).
    geocoder: str | None = None
    geocoder_user_agent: str = "planner"

    @classmethod
    def from_mapping(cls, overrides: dict | None) -> "Settings":
        """Defaults updated from ``overrides``; unknown keys raise ValueError naming the key."""
        if not overrides:
            return cls()
        known = {f.name: f for f in fields(cls)}
        clean = {}
        for key, value in overrides.items():
            if key not in known:
                raise ValueError(f"unknown setting {key!r}")
            default = getattr(cls, key)
            if isinstance(default, time) and isinstance(value, str):
                value = time.fromisoformat(value)
            clean[key] = value
        return replace(cls(), **clean)


DEFAULT_SETTINGS = Settings()

# Settings only the operator sets, in the instance's config.py: never on /admin/settings, and an override stored in
# the database is ignored. The road router receives the coordinates of every meeting, so pointing it elsewhere
# would hand the whole schedule to whoever runs that address.
CONFIG_ONLY = frozenset({"road_router_url", "network_file"})

# How each setting is checked when an administrator types it: (kind, lowest, highest). Kinds: "number" (a decimal
# number), "minutes" (a whole number), "time" (HH:MM), "name" (a short word or empty = none), "text" (non-empty).
# The settings in CONFIG_ONLY have no rule: the page neither shows nor takes them.
FIELD_RULES: dict[str, tuple[str, float | None, float | None]] = {
    **{f.name: ("number", 0, None) for f in fields(Settings) if f.type in (float, "float")},
    **{f.name: ("minutes", 0, 24 * 60) for f in fields(Settings) if f.type in (int, "int")},
    **{f.name: ("time", None, None) for f in fields(Settings) if f.type in (time, "time")},
    "longest_day_minutes": ("minutes", 240, 960),
    "road_router_timeout_s": ("number", 0.1, 60),
    "less_driving_margin": ("number", 0, 1),
    "geocoder": ("name", None, None),
    "geocoder_user_agent": ("text", None, None),
    "co2_source": ("text", None, None),
}
# Pairs that must be in order (first before second).
ORDERED_TIMES = (("workday_start", "workday_end"), ("meeting_earliest", "meeting_latest_end"),
                 ("earliest_departure", "latest_return"))


def to_json(value):
    """A setting's value as JSON-able data (times as "HH:MM")."""
    return value.strftime("%H:%M") if isinstance(value, time) else value


def to_text(value) -> str:
    """A setting's value as a form shows it."""
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return str(value)
