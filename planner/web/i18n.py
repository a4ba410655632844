"""Languages: Finnish (default), Swedish and English with Flask-Babel; dates, times, numbers and euros in the
chosen language's format, always in Europe/Helsinki time.

The planner stores times as naive Helsinki local time ("2026-12-01T08:30:00"); the filters here read them as such
and never shift them. The choice is kept in the session and in a long-lived cookie (no personal data in it).
"""
from __future__ import annotations

from datetime import date, datetime

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import Blueprint, Flask, redirect, request, session, url_for
from flask_babel import Babel, get_locale, gettext
from flask_login import current_user

from ..context import get_db
from ..core.local_time import HELSINKI
from ..store import users as user_store
from .auth import safe_next
from ..core.working_pattern import day_runs
from .messages import minutes as format_minutes
from .messages import place as place_name
from .messages import person, visit_places
from .messages import render as render_message
from .messages import weekday as day_name

# Language code in the switch -> the Babel locale used for formats (Finnish conventions for Swedish).
LANGUAGES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
DEFAULT_LANGUAGE = "fi"
COOKIE = "lang"

babel = Babel()
bp = Blueprint("i18n", __name__)


def current_language() -> str:
    lang = session.get("lang") or request.cookies.get(COOKIE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def select_locale() -> str:
    return LANGUAGES[current_language()]


@bp.post("/language")
def switch():
    """Switch the language (form field ``lang``) and go back to ``next`` (a path on this site)."""
    lang = request.form.get("lang", "")
    target = safe_next(request.form.get("next")) or url_for("home.index")
    response = redirect(target)
    if lang in LANGUAGES:
        session["lang"] = lang
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=request.is_secure)
        if current_user.is_authenticated:   # their email notices' too, until they choose one (/account)
            user_store.set_language_if_unset(get_db(), current_user.id, lang)
    return response


# Formatting filters -------------------------------------------------------------------------------------------

def _moment(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    return value if value.tzinfo else value.replace(tzinfo=HELSINKI)


def _day(value) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime) else value


def format_day(value, skeleton: str = "MMMEd") -> str:
    """'ti 1.12.', 'tis 1 dec.', 'Tue 1 Dec' (a weekday and date in the user's language)."""
    return babel_dates.format_skeleton(skeleton, _day(value), locale=get_locale())


def format_long_day(value) -> str:
    return babel_dates.format_date(_day(value), format="full", locale=get_locale())


def format_time(value) -> str:
    """'8.30' (fi), '08:30' (en, sv)."""
    return babel_dates.format_time(_moment(value), format="short", tzinfo=HELSINKI, locale=get_locale())


def format_moment(value) -> str:
    """Weekday, date and time: 'ti 1.12. 8.30'."""
    return f"{format_day(value)} {format_time(value)}"


def format_month(value) -> str:
    """'joulukuu 2026' from a date or a '2026-12' of the reports."""
    if isinstance(value, str) and len(value) == 7:
        value = value + "-01"
    return babel_dates.format_skeleton("yMMMM", _day(value), locale=get_locale())


def format_week(value: str) -> str:
    """'viikko 50/2026' from the ISO week '2026-W50' of the reports and the JSON."""
    year, _, number = value.partition("-W")
    return gettext("week %(n)d/%(year)s", n=int(number), year=year)


def format_number(value, digits: int = 0) -> str:
    return babel_numbers.format_decimal(round(value or 0, digits), locale=get_locale())


def format_eur(value) -> str:
    return babel_numbers.format_currency(value or 0, "EUR", locale=get_locale())


def format_change(value, kind: str = "num", digits: int = 0) -> str:
    """A difference with its sign: '+3', '−5,6' (a minus sign, not a hyphen), '±0'; ``kind`` 'eur' for money,
    'minutes' for a duration ('−3 t 20 min')."""
    value = round(value or 0, digits if kind == "num" else 2)
    text = {"eur": format_eur, "minutes": format_minutes}.get(kind, lambda v: format_number(v, digits))(abs(value))
    return ("+" if value > 0 else "\u2212" if value < 0 else "±") + text


def weekday_name(day, width: str = "abbreviated") -> str:
    return babel_dates.format_date(_day(day), "EEE" if width == "abbreviated" else "EEEE", locale=get_locale())


def format_clock(value) -> str:
    """A time of day (datetime.time) as the page's language writes it: '8.00' (fi, sv), '08:00' (en)."""
    return babel_dates.format_time(value, format="short", locale=get_locale())


def format_pattern(pattern) -> str:
    """A working pattern (weekday → (start, end)) in a few words: 'ma–to 8.00–16.15' (fi), 'mån–tors 8.00–16.15'
    (sv), 'Mon–Thu 08:00–16:15' (en); days with other hours follow after a semicolon ('ma–to 8.00–16.15; pe
    8.00–12.00'); three or more days in a row are a range, others are listed ('ma, ke 8.00–16.15')."""
    names = babel_dates.get_day_names("abbreviated", context="stand-alone", locale=get_locale())
    by_hours: dict[tuple, list[int]] = {}
    for day in sorted(pattern):
        by_hours.setdefault(pattern[day], []).append(day)
    parts = []
    for (start, end), days in by_hours.items():
        runs = [f"{names[run[0]]}–{names[run[-1]]}" if len(run) >= 3 else ", ".join(names[d] for d in run)
                for run in day_runs(days)]
        parts.append(f"{', '.join(runs)} {format_clock(start)}–{format_clock(end)}")
    return "; ".join(parts) or "–"


def format_reason(value) -> str:
    """A reason or explanation (a Message, its JSON, or text stored before messages) in the user's language
    (planner/web/messages.py)."""
    return render_message(value)


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "fi_FI")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Helsinki")
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Helsinki")
    app.register_blueprint(bp)
    app.jinja_env.filters.update(
        day=format_day, long_day=format_long_day, time=format_time, moment=format_moment, month=format_month, week=format_week,
        num=format_number, eur=format_eur, change=format_change, minutes=format_minutes, weekday=weekday_name,
        reason=format_reason, clock=format_clock, working_pattern=format_pattern,
        day_name=day_name, place=place_name, visit_places=visit_places, person=person)
    app.jinja_env.globals.update(LANGUAGE_NAMES=LANGUAGE_NAMES, current_language=current_language)
