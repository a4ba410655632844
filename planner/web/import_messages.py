"""The import checker's problems (planner/core/import_problems.py) in the page's language: the visit form runs the
importer's checks, so a mistake in it reads in Finnish or Swedish like the rest of the page."""
from __future__ import annotations

from typing import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

WHAT = {"id": _l("id"), "skill": _l("skill"), "language": _l("language code (ISO 639, for example fi, en, ru)"),
        "case_code": _l("case code (a reference such as IK-2026-014, never a name)"),
        "visit_id": _l("visit id (letters, digits and . _ -, at least one digit, never a name)")}
# "is before earliest", by the field it is before
BEFORE = {"earliest": _l("is before the earliest day"), "from": _l("is before the first day"),
          "active_from": _l("is before the start of employment")}


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else _("%(items)s or %(last)s", items=", ".join(names[:-1]), last=names[-1])


def _no_place(p: dict) -> str:
    if p["names"]:
        return _("no place “%(query)s”: did you mean %(names)s?", query=p["query"], names=_or(p["names"]))
    return _("no place “%(query)s”", query=p["query"])


def _not_in_finland(p: dict) -> str:
    from .i18n import format_number
    from .messages import place  # messages reads this module's table: imported when a message is worded
    point = f"{p['lat']:.5f}, {p['lon']:.5f}"
    if p.get("swapped"):
        return _("%(point)s is not in Finland or Åland: did you mean %(swapped)s (latitude first)?", point=point,
                 swapped=p["swapped"])
    return _("%(point)s is not in Finland or Åland: it is in the open sea or abroad, %(km)s km from %(near)s",
             point=point, km=format_number(p["km"]), near=place(p["near"]))


IMPORT_RENDER: dict[str, Callable[[dict], str]] = {
    "import_required": lambda p: _("is required"),
    "import_text": lambda p: _("must be text"),
    "import_string": lambda p: _("must be text"),
    "import_too_long": lambda p: _("is longer than %(max)d characters", max=p["max"]),
    "import_invalid": lambda p: _("“%(value)s” is not a valid %(what)s", value=p["value"],
                                  what=WHAT.get(p["what"], p["what"])),
    "import_not_date": lambda p: _("“%(value)s” is not a date", value=p["value"]),
    "import_whole_number": lambda p: _("must be a whole number from %(low)d to %(high)d", low=p["low"],
                                       high=p["high"]),
    "import_list": lambda p: _("must be a list"),
    "import_object": lambda p: _("must be an object"),
    "import_too_many": lambda p: _("has %(n)d items (at most %(max)d)", n=p["n"], max=p["max"]),
    "import_not_one_of": lambda p: _("“%(value)s” is not one of %(allowed)s", value=p["value"],
                                     allowed=", ".join(p["allowed"])),
    "import_no_place": _no_place,
    "import_needs_place": lambda p: _("needs a place or coordinates"),
    "import_lat_lon": lambda p: _("the coordinates must be numbers"),
    "import_not_in_finland": _not_in_finland,
    "import_duplicate_id": lambda p: _("the id “%(id)s” is used twice (also %(also)s)", id=p["id"], also=p["also"]),
    "import_unknown_section": lambda p: _("unknown section (expected offices, staff, absences, visits)"),
    "import_not_role": lambda p: _("“%(value)s” is not a role (one of %(roles)s)", value=p["value"],
                                   roles=", ".join(p["roles"])),
    "import_no_office": lambda p: _("no office “%(office)s”", office=p["office"]),
    "import_no_staff": lambda p: _("no staff member “%(staff)s”", staff=p["staff"]),
    "import_before": lambda p: str(BEFORE[p["other"]]) if p["other"] in BEFORE else _("is before %(other)s",
                                                                                   other=p["other"]),
    "import_years": lambda p: _("%(day)s is not in the years %(first)d–%(last)d", day=p["day"], first=p["first"],
                                last=p["last"]),
    "import_window": lambda p: _("is %(days)d days after the earliest day (at most %(max)d)", days=p["days"],
                                 max=p["max"]),
    "import_bool": lambda p: _("must be yes or no"),
}
