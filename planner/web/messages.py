"""Messages (planner/core/messages.py) worded for the pages in Finnish, Swedish or English with Flask-Babel.

One function per message code, its text through gettext (ngettext where a number decides the form), its
parameters formatted for the reader: dates and times in the page's locale, places in the page's language (Vasa on
a Swedish page, from the gazetteer), people by name (the staff records), skills by their label and languages by
their name, holidays by their name in the language. ``RENDER`` has a function for every code of
``planner.core.messages.ENGLISH`` (tests/test_messages.py checks).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Callable

from babel import dates as babel_dates
from flask import g, has_app_context
from flask_babel import get_locale, gettext as _, lazy_gettext as _l, ngettext

from .. import store
from ..context import get_db
from ..ops.languages import language_name
from ..core.messages import LEGACY, as_message
from ..core.network_data import WEEKDAYS as WEEKDAY_CODES
from ..core.places import PlaceNotFound, get_gazetteer, normalise, transport_names
from ..core.public_holidays import holiday_name
from .import_messages import IMPORT_RENDER

HOLIDAY_LANGUAGE = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}  # the holidays package's language codes
# The skills the team works with; a skill not listed here is shown as its code, underscores as spaces.
SKILL_LABELS = {"identification": _l("identification"), "counselling": _l("counselling"),
                "social_work": _l("social work"), "health": _l("health care"), "training": _l("training"),
                "labour_exploitation": _l("labour exploitation")}
ABSENCE_LABELS = {"vacation": _l("vacation"), "sick_leave": _l("sick leave"), "training": _l("training"),
                  "other": _l("other absence")}
# The qualifiers of the offices' names (planner/core/offices.py), worded in the page's language
OFFICE_QUALIFIERS = {"Joutseno reception centre": _l("Joutseno reception centre"),
                     "Heikinharju reception centre": _l("Heikinharju reception centre")}
# A leg's mode as a noun ('car', 'flight'), as the travel legs list it
MODE_NAMES = {"car": _l("car"), "flight": _l("flight"), "train": _l("train"), "ferry": _l("ferry"), "taxi": _l("taxi"),
              "walk": _l("walk")}
MODE_LABELS = {"flight": _l("by air"), "train": _l("by train"), "ferry": _l("by ferry"), "taxi": _l("by taxi"),
               "walk": _l("on foot"), "car": _l("by car"), "bus": _l("by bus")}


def _lang() -> str:
    return str(get_locale())[:2]


# Parameters for the reader -------------------------------------------------------------------------------

@lru_cache(maxsize=2048)
def _place(name: str):
    """The gazetteer place named exactly ``name`` (in Finnish or Swedish), or None."""
    try:
        place = get_gazetteer().resolve(name)
    except (PlaceNotFound, ValueError):
        return None
    return place if normalise(name) in (normalise(place.name_fi), normalise(place.name_sv or "")) else None


def place(name: str) -> str:
    """A place or office name in the page's language: 'Vasa' for Vaasa on a Swedish page; an office's
    'Helsinki (Pasila)' becomes 'Helsingfors (Böle)'; an airport or harbour of a journey's legs 'Helsinki-Vantaan
    lentoasema' on a Finnish page (the English name on an English one). The templates' ``place`` filter."""
    if not name:
        return name or ""
    transport = transport_names().get(name)
    if transport is not None:
        return transport.get(_lang(), name)
    found = _place(name)
    if found is not None:
        return found.label(_lang())
    head, sep, rest = name.partition(" (")
    found = _place(head) if sep else None
    if found is None:
        return name
    qualifier = rest.removesuffix(")")
    if qualifier in OFFICE_QUALIFIERS:
        rest = f"{OFFICE_QUALIFIERS[qualifier]})"
    elif (district := _place(qualifier)) is not None:     # 'Helsingfors (Böle)'
        rest = f"{district.label(_lang())})"
    return f"{found.label(_lang())}{sep}{rest}"


def person(staff_id: str) -> str:
    """A person's name (their id when the records do not know them)."""
    if not has_app_context():
        return staff_id
    if "staff_names" not in g:
        g.staff_names = {s.id: s.name for s in store.load_staff(get_db()).values()}
    return g.staff_names.get(staff_id, staff_id)


def people(ids) -> str:
    return ", ".join(person(s) for s in ids)


def visit_places(ids) -> str:
    """Visits by their place in the page's language ('Vasa'), not by id (an id only when the visit is gone)."""
    if not has_app_context():
        return ", ".join(ids)
    places = g.setdefault("visit_places", {})
    for visit_id in ids:
        if visit_id not in places:
            visit = store.load_visit(get_db(), visit_id)
            places[visit_id] = place(visit.place_name) if visit is not None else visit_id
    return ", ".join(places[v] for v in ids)


def skill(code: str) -> str:
    return str(SKILL_LABELS.get(code, code.replace("_", " ")))


def language(code: str) -> str:
    return language_name(code, str(get_locale()))


def missing(p) -> str:
    parts = [_("skill %(skill)s", skill=skill(s)) for s in p["skills"]]
    parts += [_("language %(language)s", language=language(code)) for code in p["languages"]]
    return ", ".join(parts)


def day(iso: str) -> str:
    return babel_dates.format_date(date.fromisoformat(iso), "medium", locale=get_locale())


def span(start: str, end: str) -> str:
    """'7.–8.12.' (fi), '7–8 dec.' (sv), '7–8 Dec' (en)."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if first == last:
        return babel_dates.format_skeleton("MMMd", first, locale=get_locale())
    return babel_dates.format_interval(first, last, "MMMd", locale=get_locale())


def when(pairs) -> str:
    return ", ".join(span(a, b) for a, b in pairs)


def clock(hhmm: str) -> str:
    return babel_dates.format_time(time.fromisoformat(hhmm), "short", locale=get_locale())


def moment(iso: str) -> str:
    at = datetime.fromisoformat(iso)
    return f"{babel_dates.format_skeleton('MMMEd', at, locale=get_locale())} {clock(at.strftime('%H:%M'))}"


def minutes(total: int) -> str:
    """A duration in the one style of the pages: '8 t 58 min' (fi), '8 h 58 min' (sv, en), '45 min', '2 t'. The
    ``minutes`` filter of the templates is this function (planner/web/i18n.py); the CLI keeps
    ``core.messages.fmt_minutes``."""
    total = int(round(total or 0))
    if total < 0:
        return "−" + minutes(-total)
    h, m = divmod(total, 60)
    if h and m:
        return _("%(h)d h %(m)d min", h=h, m=m)
    return _("%(h)d h", h=h) if h else _("%(m)d min", m=m)


def weekday(index: int) -> str:
    return babel_dates.get_day_names("wide", context="stand-alone", locale=get_locale())[index]


def render(value) -> str:
    """A Message, its JSON (dict or text) or legacy text, in the page's language."""
    msg = as_message(value)
    return "" if msg is None else RENDER[msg.code](msg.params)


def _items(items) -> str:
    return "; ".join(render(m) for m in items)


# One function per code -----------------------------------------------------------------------------------

def _link_calendar(link: dict) -> str:
    """'the ferry Kauppatori–Vallisaari runs from 15 May to 15 Sep' in the page's language."""
    parts = []
    if link.get("season"):
        first, last = (date.fromisoformat(f"2024-{mmdd}") for mmdd in link["season"])
        month_day = lambda d: babel_dates.format_skeleton("MMMd", d, locale=get_locale())     # noqa: E731
        parts.append(_("from %(first)s to %(last)s", first=month_day(first), last=month_day(last)))
    if link.get("days"):
        parts.append(_("on %(days)s", days=", ".join(weekday(WEEKDAY_CODES.index(d)) for d in link["days"])))
    if link.get("opens"):
        parts.append(_("from %(day)s", day=day(link["opens"])))
    if link.get("closes"):
        parts.append(_("until %(day)s", day=day((date.fromisoformat(link["closes"]) - timedelta(days=1)).isoformat())))
    kind = {"ferry": _("the ferry"), "flight": _("the flight")}[link["kind"]]
    return _("%(kind)s %(from)s–%(to)s runs %(when)s", kind=kind, when=" ".join(parts),
             **{"from": place(link["from"]), "to": place(link["to"])})


def _holiday(p) -> str:
    name = holiday_name(date.fromisoformat(p["day"]), p.get("aland", False), HOLIDAY_LANGUAGE[_lang()])
    return _("%(day)s is %(holiday)s", day=day(p["day"]), holiday=name)


def _not_employed_window(p) -> str:
    if p.get("start") and p.get("end"):
        return _("not employed in the window (employed %(start)s–%(end)s)", start=day(p["start"]), end=day(p["end"]))
    if p.get("start"):
        return _("not employed in the window (employed from %(start)s)", start=day(p["start"]))
    return _("not employed in the window (employed until %(end)s)", end=day(p["end"]))


def _nearest(p) -> str:
    legs = ", ".join(_("%(office)s %(duration)s each way", office=place(office), duration=minutes(m))
                     for office, m in p["legs"])
    if p["team"]:
        return _("nearest qualified free team: %(legs)s", legs=legs)
    return _("nearest qualified free person: %(legs)s", legs=legs)


def _against(p) -> str:
    sign_min = "+" if p["minutes"] >= 0 else "−"
    sign_eur = "+" if p["eur"] >= 0 else "−"
    return _("%(sign_min)s%(duration)s travel, %(sign_eur)s€%(eur).0f against option 1", sign_min=sign_min,
             duration=minutes(abs(p["minutes"])), sign_eur=sign_eur, eur=abs(p["eur"]))


def _modes(p) -> str:
    return _(" and ").join(str(MODE_LABELS.get(m, m)) for m in p["modes"])


def _assignment(p) -> str:
    team = _(" and ").join(_("%(person)s from %(office)s", person=person(s), office=place(office))
                           for s, office in p["team"])
    return f"{team}: {_items(p['parts'])}"


def _only_qualified(p) -> str:
    return _("the only qualified team free") if p["team"] else _("the only qualified person free")


def _nearest_added(p) -> str:
    first = _("nearest qualified free team") if p["team"] else _("nearest qualified free person")
    return first + "; " + _("%(office)s would have added %(duration)s", office=place(p["office"]),
                            duration=minutes(p["minutes"]))


def _all_busy(p) -> str:
    shown = "; ".join(_("%(person)s on %(visits)s", person=person(s), visits=visit_places(v)) for s, v in p["busy"])
    return _("everyone who could go on %(when)s is needed for other visits (%(busy)s)", when=when(p["when"]),
             busy=shown + ("; …" if p["more"] else ""))


def _chains(p) -> str:
    visits = ", ".join(place(name) for name, _visit_id in p["visits"])  # ids are the JSON's, not the page's
    return _("%(person)s chains it with %(visits)s on one trip", person=person(p["staff"]), visits=visits)


RENDER: dict[str, Callable[[dict], str]] = {
    LEGACY: lambda p: p["text"],
    "list": lambda p: _items(p["items"]),
    "holiday": _holiday,
    "weekend": lambda p: _("%(day)s is a %(weekday)s", day=day(p["day"]),
                           weekday=weekday(date.fromisoformat(p["day"]).weekday())),
    "not_employed_on": lambda p: _("not employed on %(day)s", day=day(p["day"])),
    "absent": lambda p: _("absent (%(kind)s) %(days)s", kind=ABSENCE_LABELS.get(p["kind"], p["kind"]),
                          days=span(p["start"], p["end"])),
    # 'Mondays', 'maanantaisin', 'måndagar': the weekday's name with the plural's ending
    "day_off": lambda p: _("does not work on %(weekday)ss", weekday=weekday(p["weekday"])),
    # the trip's id is the plan's own (r1-T02), not a name anyone knows: the page says when, with the last day
    # of a trip of several days
    "busy": lambda p: _("busy (a trip) %(start)s–%(end)s", start=moment(p["start"]),
                        end=clock(p["end"][11:16]) if p["end"][:10] == p["start"][:10] else moment(p["end"])),
    "cannot_reach": lambda p: _("cannot reach %(place)s for the meeting on %(day)s (%(duration)s away)",
                                place=place(p["place"]), day=day(p["day"]), duration=minutes(p["minutes"])),
    "no_way_then": lambda p: "; ".join([_("no way to reach %(place)s on %(day)s", place=place(p["place"]),
                                           day=day(p["day"]))] + [_link_calendar(link) for link in p["links"]]),
    "trip_blocked": lambda p: _("a trip %(days)s: %(reason)s", days=span(p["start"], p["end"]),
                                reason=render(p["reason"])),
    "no_working_day": lambda p: (_("no working day in the window this week: %(days)s", days=_items(p["days"]))
                                 if p.get("this_week") else
                                 _("no working day in the window: %(days)s", days=_items(p["days"]))),
    "window_not_this_week": lambda p: _("the window does not meet this week"),
    "lacks": lambda p: _("lacks %(missing)s", missing=missing(p)),
    "free_not_chosen": lambda p: _("free, but others are nearer or cheaper"),
    "meeting_is_here": lambda p: _("the meeting is already there"),
    "no_team_on_day": lambda p: _("free on %(day)s, but no team with them covers the visit then", day=day(p["day"])),
    "declined": lambda p: _("said they can't make this visit on %(day)s", day=day(p["day"])),
    "not_employed_window": _not_employed_window,
    "nearest": _nearest,
    "against_best": _against,
    "on_day": lambda p: _("on %(day)s", day=day(p["day"])),
    "preferred": lambda p: _("the preferred person"),
    "hotel_nights": lambda p: ngettext("%(num)d hotel night", "%(num)d hotel nights", p["n"]),
    "by_modes": _modes,
    "train_not_flight": lambda p: _("by train rather than by plane for lower emissions: %(minutes)s longer, "
                                    "%(kg)d kg CO₂e less", minutes=minutes(p["minutes"]), kg=p["kg"]),
    "nobody_free": lambda p: _("nobody is free on %(when)s", when=when(p["when"])),
    "nobody_with": lambda p: _("nobody with %(missing)s is free on %(when)s", missing=missing(p),
                               when=when(p["when"])),
    "too_few_free": lambda p: ngettext("only %(num)d of the %(needed)d people needed is free on %(when)s",
                                       "only %(num)d of the %(needed)d people needed are free on %(when)s",
                                       p["free"], needed=p["needed"], when=when(p["when"])),
    "nobody_with_all": lambda p: ngettext("nobody free on %(when)s has all of %(missing)s",
                                          "no %(num)d people free on %(when)s have all of %(missing)s between them",
                                          p["needed"], missing=missing(p), when=when(p["when"])),
    "no_common_start": lambda p: _("no team of %(num)d covering the visit is free at one start on %(when)s",
                                   num=p["needed"], when=when(p["when"])),
    "assignment": _assignment,
    "only_qualified": _only_qualified,
    "nearest_added": _nearest_added,
    "as_near_as": lambda p: _("as near as %(person)s (%(office)s); chosen for cost and an even spread of travel "
                              "days", person=person(p["staff"]), office=place(p["office"])),
    "nearer_but_busy": lambda p: _("%(person)s (%(office)s) is %(duration)s nearer but is on %(visits)s",
                                   person=person(p["staff"]), office=place(p["office"]),
                                   duration=minutes(p["minutes"]), visits=visit_places(p["visits"])),
    "nearer_but_costly": lambda p: _("%(person)s (%(office)s) is %(duration)s nearer but would cost more in the "
                                     "plan as a whole", person=person(p["staff"]), office=place(p["office"]),
                                     duration=minutes(p["minutes"])),
    "chains": _chains,
    "preferred_cannot": lambda p: _("the preferred person %(person)s cannot go", person=person(p["staff"])),
    "team_offices": lambda p: _("the team meets at one start from different offices"),
    "pin_nobody": lambda p: _("pinned, but nobody can make it any more"),
    "pin_person": lambda p: _("pinned, but a pinned person can no longer make it that day"),
    "cannot_reach_any": lambda p: _("nobody free can reach %(place)s for a %(duration)s meeting between %(from)s "
                                    "and %(until)s on %(when)s", place=place(p["place"]),
                                    duration=minutes(p["minutes"]), when=when(p["when"]),
                                    **{"from": clock(p["from"]), "until": clock(p["until"])}),
    "too_few_reach": lambda p: _("only %(able)d of the %(needed)d people needed can reach %(place)s on %(when)s",
                                 able=p["able"], needed=p["needed"], place=place(p["place"]), when=when(p["when"])),
    "all_busy": _all_busy,
    "left_out": lambda p: ngettext("left out although %(num)d qualified person was free on %(when)s",
                                   "left out although %(num)d qualified people were free on %(when)s", p["free"],
                                   when=when(p["when"])),
    "time_ran_out": lambda p: _("the time limit ran out before this visit's trips were worked out"),
    "shared_with_edit": lambda p: _("not planned in this run: it shared a trip or a person's time with a change "
                                    "made while the run was planning; plan again to place it"),
    "moved_by_lead": lambda p: _("moved by a lead: %(reason)s", reason=render(p["reason"])),
    "person_reason": lambda p: f"{person(p['staff'])}: {render(p['reason'])}",
    "absence": lambda p: _("%(kind)s %(days)s", kind=ABSENCE_LABELS.get(p["kind"], p["kind"]),
                           days=span(p["start"], p["end"])),
    "outside_window": lambda p: _("%(day)s is outside %(earliest)s–%(latest)s", day=day(p["day"]),
                                  earliest=day(p["earliest"]), latest=day(p["latest"])),
    "email_invalid": lambda p: _("Enter an email address, for example name@example.fi."),
    "email_taken": lambda p: _("A user with the email %(email)s already exists.", email=p["email"]),
    "role_unknown": lambda p: _("Choose a role."),
    "staff_unknown": lambda p: _("No such staff member."),
    "staff_user_needs_person": lambda p: _("A staff user is linked to their own staff member (their schedule)."),
    "other_trip": lambda p: _("another trip %(start)s – %(end)s", start=moment(p["start"]), end=moment(p["end"])),
    "lost_meeting": lambda p: ", ".join(place(name) for name in p["places"]),
    "no_meeting": lambda p: _("no such meeting"),
    "choose_people": lambda p: ngettext("choose %(num)d person", "choose %(num)d people", p["n"]),
    "window_is": lambda p: _("the visit's window is %(days)s", days=span(p["start"], p["end"])),
}
RENDER.update(IMPORT_RENDER)
