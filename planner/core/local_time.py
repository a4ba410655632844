"""The team's clock: every date and time the planner shows or decides by is Finland's (Europe/Helsinki), whatever
the server's own time zone (a server on UTC is two or three hours behind, so its "today" would still be yesterday
in Finland after midnight there)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def helsinki_today() -> date:
    """Today's date in Finland."""
    return datetime.now(HELSINKI).date()
