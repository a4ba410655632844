"""Public holidays in Finland from the ``holidays`` package, Åland's own (Autonomy Day, 9 June) included for work
on Åland; Midsummer Eve and Christmas Eve are in Finland's list as days off. Names in English, Finnish or Swedish."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int, on_aland: bool, language: str) -> dict[date, str]:
    calendar = holidays.country_holidays("FI", subdiv="01" if on_aland else None, years=year, language=language)
    return dict(calendar.items())


def holiday_name(day: date, on_aland: bool = False, language: str = "en_US") -> str | None:
    """The public holiday on ``day`` (in ``language``: en_US, fi, sv_FI), Åland's own included when ``on_aland``;
    None on other days."""
    return _holidays(day.year, on_aland, language).get(day)
