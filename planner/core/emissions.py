"""Travel emissions in kg CO₂e from documented factors (docs/reports.md).

A factor is kilograms of CO₂-equivalent per kilometre: per vehicle-km for a car (own, rental or taxi: the people of
one trip share it), per passenger-km for trains, flights and ferries. The defaults are the UK Government's
greenhouse-gas conversion factors for company reporting (DESNZ, 2023 set), rounded to two significant figures: an
average car of unknown fuel, national rail, a domestic flight with the radiative-forcing uplift, and a ferry's foot
passenger. They are settings (``co2_*_kg_per_km`` and ``co2_source``): an instance sets its own in config.py or on
the settings page, for example the factors a ministry prescribes for its agencies' reports.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .settings import DEFAULT_SETTINGS, Settings

SHARED_MODES = frozenset({"car", "taxi"})       # one vehicle for the trip's people


@dataclass(frozen=True)
class EmissionFactors:
    """kg CO2e per km by leg mode, and where the figures come from."""
    factors: dict[str, float] = field(default_factory=lambda: EmissionFactors.from_settings(DEFAULT_SETTINGS).factors)
    source: str = DEFAULT_SETTINGS.co2_source

    @classmethod
    def from_settings(cls, settings: Settings) -> "EmissionFactors":
        s = settings
        return cls({"car": s.co2_car_kg_per_km, "taxi": s.co2_car_kg_per_km, "train": s.co2_train_kg_per_km,
                    "flight": s.co2_flight_kg_per_km, "ferry": s.co2_ferry_kg_per_km, "walk": 0.0}, s.co2_source)

    def leg_kg(self, mode: str, km: float, people: int) -> float:
        """A leg of a trip with ``people`` on it: a shared car counts once, a seat on public transport per person."""
        per_km = self.factors.get(mode, 0.0)
        return km * per_km * (1 if mode in SHARED_MODES else max(1, people))

    def journey_kg(self, legs) -> float:
        """One person's journey (``Leg`` objects): each leg's km times its factor."""
        return sum(leg.km * self.factors.get(leg.mode, 0.0) for leg in legs)
