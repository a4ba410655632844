"""Door-to-door travel between two points: time, distance, cost and legs.

The planner asks one question of this module: how does a person get from point A to point B, how long does it take,
how far is it and what does it cost? Points are anything with ``name``, ``lat`` and ``lon`` (:class:`Located`).

INTERFACE:

    class Located(Protocol): name: str; lat: float; lon: float

    @dataclass(frozen=True)
    class Leg: mode ("car"|"ferry"|"flight"|"train"|"taxi"|"walk"), from_name, to_name, minutes, km, cost_eur
        to_dict() -> {"mode","from","to","minutes","km","cost_eur"}

    @dataclass(frozen=True)
    class Journey: legs: tuple[Leg, ...]; minutes; distance_km; cost_eur; mode (main mode)
        to_dict() -> {"mode","minutes","distance_km","cost_eur","legs":[...]}

    class TravelModel(Protocol):
        def journey(self, a: Located, b: Located, mode: str = "best") -> Journey

    class NetworkTravelModel(TravelModel): the built-in model (road graph + ferries + flights + trains)
        __init__(settings: Settings = DEFAULT_SETTINGS)
        journey_matrix(points, mode) -> list[list[Journey]]; zone_of(point) -> str

    class OsrmTravelModel(TravelModel): driving from a local OSRM server, the built-in model for the rest
    travel_model(settings, day=None) -> TravelModel: OSRM when ``settings.road_router_url`` is set, else the built-in
        model; the network as it runs on ``day`` (links open and close on dates: Hailuoto's fixed link)
    on_day(model, day) -> TravelModel: the same model on another day

Modes: ``"car"`` is the fastest drive, with ferries where there is sea; ``"best"`` is the fastest door to door over car,
ferry, train and flight, public transport being considered only when the drive is at least
``settings.public_transport_min_km`` long.

How the built-in model works (details and measured accuracy in docs/travel.md): ``data/road_network.json`` holds about
390 nodes (towns, junctions, harbours, airports) joined by chains along Finland's main roads, each edge as long as the
great circle times its road class's detour factor and driven at the class's average speed. Every node lies in a zone
("mainland", "aland", "foglo", "hailuoto", ...); roads never join two zones, only ferries (and flights) do, so the model
never drives across the sea. A point joins the graph through the nearest nodes of its own zone (the zone of its nearest
node). Shortest paths are Dijkstra searches on a small state graph (own car, on a train, on a plane, after public
transport), computed once per source node and cached per process, so a journey is a few table look-ups.

Leg conventions: a leg's minutes include its waits (ferry: average wait for a departure; train and flight: getting to
the platform or gate early, the schedule wait and getting out). Minutes are whole (rounded up per leg), km one decimal.
Costs: own car at ``mileage_eur_per_km``; ferries at the fare in the network data (car fare when a car is aboard);
trains at ``train_eur_per_km`` (at least ``train_min_fare_eur``); flights at ``flight_base_eur + flight_eur_per_km``
× great-circle km; at either end of public transport a taxi up to ``taxi_max_km`` and beyond that (far end only) a
rental car: half of ``rental_car_day_eur`` per one-way journey plus ``rental_fuel_eur_per_km``. A journey's ``mode`` is
the public-transport or ferry mode that takes the most minutes, or "car" when there is none.
"""
from __future__ import annotations

from datetime import date, timedelta

from .journeys import LEG_MODES, MODES, Journey, Leg, Located, Point, TravelModel, haversine_km, main_mode
from .osrm import OsrmTravelModel
from .network_data import NETWORK_FILE
from .road_network import NetworkTravelModel, NoRoute
from .settings import DEFAULT_SETTINGS, Settings

# The travel API in one import (the types live in ``journeys``, the models in ``road_network`` and ``osrm``).
__all__ = ["LEG_MODES", "MODES", "NETWORK_FILE", "Journey", "Leg", "Located", "NetworkTravelModel", "NoRoute",
           "OsrmTravelModel",
           "Point", "TravelModel", "haversine_km", "main_mode", "on_day", "travel_model"]


def travel_model(settings: Settings = DEFAULT_SETTINGS, day: date | None = None,
                 later: timedelta = timedelta(0)) -> TravelModel:
    """The travel model the settings ask for: OSRM at ``road_router_url`` with the built-in fallback, or built-in;
    the network as it runs on ``day`` (today by default), or ``later`` than each day (``NetworkTravelModel``)."""
    if settings.road_router_url:
        return OsrmTravelModel(settings.road_router_url, settings, NetworkTravelModel(settings, day=day, later=later))
    return NetworkTravelModel(settings, day=day, later=later)


def on_day(model: TravelModel, day: date) -> TravelModel:
    """``model`` as the network runs on ``day`` (a model without dated links is the same every day)."""
    on = getattr(model, "on", None)
    return on(day) if on is not None else model
