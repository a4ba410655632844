"""Driving times from a road router with OSRM's HTTP API, the built-in model for everything else."""
from __future__ import annotations

from datetime import date

import json
import math
import urllib.parse
import urllib.request
from typing import Callable

from .journeys import Journey, Leg, Located, check_mode
from .travel_choice import choose
from .road_network import NetworkTravelModel
from .settings import DEFAULT_SETTINGS, Settings


class OsrmTravelModel:
    """Driving from a road router with OSRM's HTTP API (``GET {base_url}/route/v1/driving/lon,lat;lon,lat``).

    The router answers for drives that stay on one land mass; journeys across the sea, public transport and any
    router failure (not running, timeout, no route) fall back to the built-in :class:`NetworkTravelModel`.
    ``opener(url, timeout) -> bytes`` can be replaced (tests, authentication).
    """

    def __init__(self, base_url: str, settings: Settings = DEFAULT_SETTINGS,
                 fallback: NetworkTravelModel | None = None,
                 opener: Callable[[str, float], bytes] | None = None):
        self.base_url = base_url.rstrip("/")
        self.settings = settings
        self.fallback = fallback or NetworkTravelModel(settings)
        self.opener = opener or _http_get
        self.failures = 0
        self._other_days: dict[int, OsrmTravelModel] = {}

    def on(self, day: date) -> "OsrmTravelModel":
        """The same router with the built-in model as it runs on ``day`` (ferries, flights, fixed links)."""
        fallback = self.fallback.on(day)
        if fallback is self.fallback:
            return self
        if id(fallback) not in self._other_days:    # one router model per set of running links, like the fallback's
            self._other_days[id(fallback)] = OsrmTravelModel(self.base_url, self.settings, fallback, self.opener)
        return self._other_days[id(fallback)]

    def route(self, a: Located, b: Located) -> tuple[float, float] | None:
        """(km, minutes) by road from the router, or None when it cannot answer."""
        coords = f"{a.lon:.6f},{a.lat:.6f};{b.lon:.6f},{b.lat:.6f}"
        url = f"{self.base_url}/route/v1/driving/{urllib.parse.quote(coords, safe=',;.')}?overview=false"
        try:
            doc = json.loads(self.opener(url, self.settings.road_router_timeout_s))
            if doc.get("code") != "Ok" or not doc.get("routes"):
                raise ValueError(doc.get("code"))
            route = doc["routes"][0]
            return float(route["distance"]) / 1000.0, float(route["duration"]) / 60.0
        except (OSError, ValueError, KeyError, TypeError):
            self.failures += 1
            return None

    def journey(self, a: Located, b: Located, mode: str = "best", depart: float | None = None) -> Journey:
        """As the built-in model's ``journey``; the drive from the router (timetables are the built-in model's)."""
        check_mode(mode)
        builtin = self.fallback.journey(a, b, mode, depart)
        if not builtin.legs or self.fallback.zone_of(a) != self.fallback.zone_of(b):
            return builtin      # same place, or sea between: ferries and flights are the built-in model's
        routed = self.route(a, b)
        if routed is None:
            return builtin
        km, minutes = routed
        leg = Leg("car", a.name, b.name, math.ceil(minutes - 1e-9), round(km, 1),
                  round(km * self.settings.mileage_eur_per_km, 2))
        drive = Journey.from_legs([leg])
        if mode == "public" and builtin.mode != "car":
            return builtin
        if mode == "car" or builtin.mode == "car":
            return drive
        if mode == "fastest":
            return drive if drive.minutes <= builtin.minutes else builtin
        return choose([drive, builtin], self.settings)      # the "best" policy over the routed drive


def _http_get(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:     # noqa: S310 (configured local router)
        return response.read()
