"""What a journey is, whatever model computes it: points, legs, journeys, the travel-model protocol and the modes
(the models are ``road_network`` and ``osrm``; ``travel`` chooses one)."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Iterable, Protocol, Sequence, runtime_checkable

import numpy as np

MODES = ("best", "car", "public", "fastest")
LEG_MODES = ("car", "ferry", "flight", "train", "taxi", "walk")
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def haversine_many(lat1, lon1, lat2, lon2, radius: float = EARTH_RADIUS_KM) -> np.ndarray:
    """``haversine_km`` over arrays (equal to it within a few units in the last place); ``radius``: the earth's in
    km, for a caller that measures with another."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.subtract(lon2, lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * radius * np.arcsin(np.minimum(1.0, np.sqrt(h)))


@runtime_checkable
class Located(Protocol):
    """Anything with a name and WGS84 coordinates: a place, an office, a visit."""
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Point:
    """A plain :class:`Located` for callers and tests that have only coordinates."""
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Leg:
    mode: str           # one of LEG_MODES
    from_name: str
    to_name: str
    minutes: int
    km: float
    cost_eur: float

    def to_dict(self) -> dict:
        return {"mode": self.mode, "from": self.from_name, "to": self.to_name, "minutes": self.minutes,
                "km": self.km, "cost_eur": self.cost_eur}


def named_ends(journey, start: str, end: str):
    """The same journey with its ends named ``start`` and ``end``: places at one point share a journey (an office
    and a visit in the same town), and each is named by whoever asks. Between two places at one point the journey is
    a walk of no minutes, so a trip's legs still read as one chain from its office and back."""
    legs = journey.legs
    if not legs:
        return journey if start == end else replace(journey, legs=(Leg("walk", start, end, 0, 0.0, 0.0),))
    if legs[0].from_name == start and legs[-1].to_name == end:
        return journey
    legs = list(legs)
    legs[0] = replace(legs[0], from_name=start)
    legs[-1] = replace(legs[-1], to_name=end)
    return replace(journey, legs=tuple(legs))


@dataclass(frozen=True, slots=True)
class Journey:
    legs: tuple[Leg, ...]
    minutes: int
    distance_km: float
    cost_eur: float
    mode: str           # main mode: flight/train/ferry when used (the one with most minutes), else car

    @classmethod
    def from_legs(cls, legs: Iterable[Leg]) -> "Journey":
        legs = tuple(legs)
        minutes = sum(leg.minutes for leg in legs)
        km = round(sum(leg.km for leg in legs), 1)
        cost = round(sum(leg.cost_eur for leg in legs), 2)
        return cls(legs, minutes, km, cost, main_mode(legs))

    def to_dict(self) -> dict:
        return {"mode": self.mode, "minutes": self.minutes, "distance_km": self.distance_km,
                "cost_eur": self.cost_eur, "legs": [leg.to_dict() for leg in self.legs]}


def main_mode(legs: Sequence[Leg]) -> str:
    """The flight, train or ferry mode with the most minutes in ``legs``; "car" when there is none."""
    totals: dict[str, int] = {}
    for leg in legs:
        if leg.mode in ("flight", "train", "ferry"):
            totals[leg.mode] = totals.get(leg.mode, 0) + leg.minutes
    if not totals:
        return "car"
    return max(totals, key=lambda m: (totals[m], ("ferry", "train", "flight").index(m)))


class TravelModel(Protocol):
    """What the planner needs from a travel model. Any object with this method can replace the built-in one."""

    def journey(self, a: Located, b: Located, mode: str = "best") -> Journey:
        ...


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"unknown travel mode {mode!r}; use one of {', '.join(MODES)}")
