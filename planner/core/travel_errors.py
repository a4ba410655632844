"""Why the built-in travel model found no way: no link runs that day (``NoRoute``), or none is left at that hour
(``NoDeparture``). Both are ValueErrors whose message says which link and when it runs."""
from __future__ import annotations

from datetime import date

from .network_data import calendar_text, clock_text


class NoDeparture(ValueError):
    """No way between two points leaving at ``depart`` (minute of ``day``): ``link`` (a ``Timetable``), the first
    link of the way taken whose last departure had left when the traveller was ready for it at minute ``ready``."""

    def __init__(self, a: str, b: str, day: date, depart: float, link, ready: float):
        self.a, self.b, self.day, self.depart, self.link, self.ready = a, b, day, depart, link, ready
        last = link.first if link.per_day == 1 else link.last if link.last is not None else 24 * 60
        super().__init__(f"no way from {a} to {b} leaving at {clock_text(depart)} on {day.isoformat()}: "
                         f"{link.link} last leaves at {clock_text(last)}, before one could be there "
                         f"({clock_text(ready)})")


class NoRoute(ValueError):
    """No way between two points on the model's day; ``links``: the ferries and flights to or from either end's zone
    that do not run that day (each: kind, from, to and its calendar), the reason when there are any."""

    def __init__(self, a: str, b: str, day: date, links: list[dict]):
        self.a, self.b, self.day, self.links = a, b, day, links
        note = "; ".join(f"the {link['kind']} {link['from']}–{link['to']} does not run then ({calendar_text(link)})"
                         for link in links)
        super().__init__(f"no route from {a} to {b} on {day.isoformat()}" + (f": {note}" if note else ""))
