"""The words of an email notice (``planner.planning.notices``) in its person's language: a subject, a plain-text
body that names days, times and places only, and a link to the page that shows the rest."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from ..core.weeks import week_of
from .i18n import DEFAULT_LANGUAGE, LANGUAGES, format_day, format_time
from .messages import place


@dataclass(frozen=True)
class MailText:
    subject: str
    body: str
    language: str


def compose(kind: str, items_json: str, language: str | None, public_url: str | None) -> MailText:
    """The notice of ``kind`` with its items (the outbox row's JSON) in ``language`` (the default when unknown);
    links start with ``public_url`` (the app's address), or the message says where to look instead."""
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    items = json.loads(items_json)
    with force_locale(LANGUAGES[lang]):
        subject, lines, path = {"trips": _trips, "decline": _declines, "plan-job": _plan_jobs}[kind](items)
        link = (public_url.rstrip("/") + path) if public_url else None
        footer = [_("Open the planner: %(url)s", url=link)] if link else [_("Open the planner to see the rest.")]
        footer.append(_("You can turn these messages off in My account."))
        return MailText(str(subject), "\n".join([*lines, "", *footer]) + "\n", lang)


def _span(depart: str, ret: str) -> str:
    """'ti 8.12. 7.30–18.15', or across days 'ti 8.12. 7.30 – ke 9.12. 18.15'."""
    start, end = datetime.fromisoformat(depart), datetime.fromisoformat(ret)
    if start.date() == end.date():
        return f"{format_day(start)} {format_time(start)}–{format_time(end)}"
    return f"{format_day(start)} {format_time(start)} – {format_day(end)} {format_time(end)}"


def _where(item: dict) -> str:
    return ", ".join(place(name) for name in item.get("places", [])) or "–"


def _trips(items: list[dict]) -> tuple[str, list[str], str]:
    lines = []
    for item in sorted(items, key=lambda i: i["depart"]):
        trip = f"{_span(item['depart'], item['return'])}, {_where(item)}"
        if item["change"] == "added":
            lines.append(_("New trip: %(trip)s", trip=trip))
        elif item["change"] == "removed":
            lines.append(_("Cancelled: %(trip)s", trip=trip))
        else:
            was = item["was"]
            lines.append(_("Changed: %(trip)s (was %(was)s)", trip=trip,
                           was=f"{_span(was['depart'], was['return'])}, {_where(was)}"))
    if all(item["change"] == "added" for item in items):
        subject = ngettext("A new trip in your schedule", "%(num)d new trips in your schedule", len(items))
    else:
        subject = ngettext("Your schedule changed", "Your schedule changed: %(num)d trips", len(items))
    if all(item["change"] == "added" for item in items):
        intro = ngettext("A trip was published for you:", "Trips were published for you:", len(items))
    else:
        intro = ngettext("Your published trip changed:", "Your published trips changed:", len(items))
    return subject, [intro, *(f"- {line}" for line in lines)], "/schedule"


def _declines(items: list[dict]) -> tuple[str, list[str], str]:
    lines = [_("Someone can't make the trip %(trip)s.", trip=f"{_span(i['depart'], i['return'])}, {_where(i)}")
             for i in sorted(items, key=lambda i: i["depart"])]
    weeks = sorted({week_of(date.fromisoformat(i["depart"][:10])) for i in items})
    subject = ngettext("Someone can't make a trip", "%(num)d trips someone can't make", len(items))
    return subject, [*lines, _("The board shows who and why: plan again.")], f"/plan?week={weeks[0]}"


def _plan_jobs(items: list[dict]) -> tuple[str, list[str], str]:
    lines = []
    for item in items:
        week = int(item["week"].split("-W")[1])
        lines.append(_("The plan of week %(week)d is ready as a draft: look it over and publish it.", week=week)
                     if item["outcome"] == "done" else
                     _("The plan of week %(week)d could not be made. The week is as it was; try again.", week=week))
    last = items[-1]
    week = int(last["week"].split("-W")[1])
    subject = (_("Planning of week %(week)d is done", week=week) if last["outcome"] == "done"
               else _("Planning of week %(week)d failed", week=week))
    return subject, lines, f"/plan?week={last['week']}"
