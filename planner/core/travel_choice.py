"""Which journey "best" travel takes (``planner travel --mode best``, proposals and plans): the documented policy.

Among the drive, the fastest way with trains or planes, and trains or planes from the nearest station or airport,
the one of least *generalised cost*: fares or mileage (with taxis, rental cars and ferries), the journey's share of
allowances and hotel (``trip_share``), its emissions when they are weighed (``emissions_eur_per_kg``, off by
default), plus the time on the way valued at ``working_time_eur_per_hour`` (by default €120 an hour, the weighing of
the plan itself, where half a euro weighs as much as a minute). Within
``less_driving_margin`` (10 %) of the least, the one with the fewest kilometres behind the wheel wins: a train that
costs a little more than driving is taken. A trip's own allowances and nights depend on the whole trip: the plan
weighs them again when it builds trips.
"""
from __future__ import annotations

from typing import Sequence

from .costs import trip_extras
from .emissions import EmissionFactors
from .journeys import Journey
from .settings import Settings


def trip_share(journey: Journey, settings: Settings) -> float:
    """Euros: the journey's half of the daily allowance and hotel of a trip there and back at its length, with a
    night when the two journeys alone pass ``longest_day_minutes``. So a faster way that keeps a trip under an
    allowance's threshold, or within one day, is worth that much more."""
    return share_of(journey.minutes, journey.distance_km, settings)


def share_of(minutes: float, distance_km: float, settings: Settings) -> float:
    """``trip_share`` of a journey of ``minutes`` and ``distance_km``."""
    there_and_back = 2 * minutes
    nights = 1 if there_and_back > settings.longest_day_minutes else 0
    return trip_extras(there_and_back / 60.0, distance_km, nights, settings) / 2


def emissions_cost(journey: Journey, settings: Settings) -> float:
    """Euros: the journey's emissions weighed at ``emissions_eur_per_kg`` (0 by default: not weighed)."""
    if not settings.emissions_eur_per_kg:
        return 0.0
    return settings.emissions_eur_per_kg * EmissionFactors.from_settings(settings).journey_kg(journey.legs)


def generalised_cost(journey: Journey, settings: Settings) -> float:
    """Euros: the journey's cost, its share of allowances and hotel, its emissions at their weight, and its
    minutes at the value of working time."""
    return (journey.cost_eur + trip_share(journey, settings) + emissions_cost(journey, settings)
            + journey.minutes * settings.working_time_eur_per_hour / 60.0)


def driving_km(journey: Journey) -> float:
    """Kilometres the traveller drives (own or rental car; a taxi or a walk is not driving)."""
    return sum(leg.km for leg in journey.legs if leg.mode == "car")


def choose(options: Sequence[Journey], settings: Settings) -> Journey:
    """The policy's journey among ``options`` (the first of equals, so the order given breaks ties)."""
    costs = [generalised_cost(j, settings) for j in options]     # once each: the matrix chooses for many pairs
    least = min(costs)
    near = [(j, c) for j, c in zip(options, costs) if c <= least * (1 + settings.less_driving_margin) + 1e-9]
    return min(near, key=lambda jc: (driving_km(jc[0]), jc[1]))[0]
