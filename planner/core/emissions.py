"""Travel emissions in kg CO₂e from documented factors (docs/reports.md).

A factor is kilograms of CO₂-equivalent per kilometre: per vehicle-km for a car (own, rental or taxi: the people of
one trip share it), per passenger-km for trains, flights and ferries. The defaults are the UK Government's
greenhouse-gas conversion factors for company reporting (DESNZ, 2023 set), rounded to two significant figures: an
average car of unknown fuel, national rail, a domestic flight with the radiative-forcing uplift, and a ferry's foot
passenger. An instance replaces them with its own (``EMISSION_FACTORS`` and ``EMISSION_SOURCE`` in config.py), for
example the factors a ministry prescribes for its agencies' reports.
"""
from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_FACTORS = {"car": 0.17, "taxi": 0.17, "train": 0.035, "flight": 0.27, "ferry": 0.019, "walk": 0.0}
DEFAULT_SOURCE = ("UK DESNZ greenhouse gas conversion factors 2023 (average car, national rail, domestic flight with "
                  "radiative forcing, ferry foot passenger), rounded")
SHARED_MODES = frozenset({"car", "taxi"})       # one vehicle for the trip's people


@dataclass(frozen=True)
class EmissionFactors:
    factors: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_FACTORS))
    source: str = DEFAULT_SOURCE

    @classmethod
    def from_config(cls, factors: dict | None, source: str | None) -> "EmissionFactors":
        """The defaults with an instance's own factors over them; a ValueError names a bad one."""
        merged = dict(DEFAULT_FACTORS)
        for mode, value in (factors or {}).items():
            if mode not in DEFAULT_FACTORS:
                raise ValueError(f"EMISSION_FACTORS: unknown mode {mode!r}; use {', '.join(DEFAULT_FACTORS)}")
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"EMISSION_FACTORS[{mode!r}]: give kg CO2e per km, a number of at least 0")
            merged[mode] = float(value)
        return cls(merged, source or (DEFAULT_SOURCE if not factors else "the instance's own factors"))

    def leg_kg(self, mode: str, km: float, people: int) -> float:
        """A leg of a trip with ``people`` on it: a shared car counts once, a seat on public transport per person."""
        per_km = self.factors.get(mode, 0.0)
        return km * per_km * (1 if mode in SHARED_MODES else max(1, people))
