"""The import checker's problems as messages (``planner.ops.importer``): a code and its parameters, worded in English
here for ``planner import`` (word for word as the command always said them) and in the page's language where a
form uses the same checks (planner/web/import_messages.py)."""
from __future__ import annotations

from typing import Callable

# What a value with a pattern is, in the English problems ("'x y' is not a valid skill")
WHAT = {"id": "id", "skill": "skill", "language": "language code (ISO 639, e.g. fi, en, ru)",
        "case_code": "case code (a reference such as IK-2026-014, never a name)",
        "visit_id": ("visit id (a reference such as v-261203-1a2b3c: letters, digits and . _ -, at least one digit, "
                     "never a name)")}


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


IMPORT_ENGLISH: dict[str, Callable[[dict], str]] = {
    "import_required": lambda p: "is required",
    "import_text": lambda p: "must be a non-empty string",
    "import_string": lambda p: "must be a string",
    "import_too_long": lambda p: f"is longer than {p['max']} characters",
    "import_invalid": lambda p: f"{p['value']!r} is not a valid {WHAT.get(p['what'], p['what'])}",
    "import_not_date": lambda p: f"{p['value']!r} is not a date (YYYY-MM-DD)",
    "import_whole_number": lambda p: f"must be a whole number from {p['low']} to {p['high']}",
    "import_list": lambda p: "must be a list",
    "import_object": lambda p: "must be an object",
    "import_too_many": lambda p: f"has {p['n']} items (at most {p['max']})",
    "import_not_one_of": lambda p: f"{p['value']!r} is not one of {', '.join(p['allowed'])}",
    "import_no_place": lambda p: (f'no place "{p["query"]}"'
                                  + (f" - did you mean {_or(p['names'])}?" if p["names"] else "")),
    "import_needs_place": lambda p: "needs a place or lat and lon",
    "import_lat_lon": lambda p: "lat and lon must be numbers",
    "import_not_in_finland": lambda p: (
        f"{p['lat']:.5f}, {p['lon']:.5f} is not in Finland or Åland"
        + (f" - did you mean {p['swapped']} (latitude first)?" if p.get("swapped")
           else f": it is in the open sea or abroad, {p['km']:,} km from {p['near']}")),
    "import_duplicate_id": lambda p: f"duplicate id {p['id']!r} (also {p['also']})",
    "import_unknown_section": lambda p: "unknown section (expected offices, staff, absences, visits)",
    "import_not_role": lambda p: f"{p['value']!r} is not a role (one of {', '.join(p['roles'])})",
    "import_no_office": lambda p: f"no office {p['office']!r} (offices: {', '.join(p['offices'])})",
    "import_no_staff": lambda p: f"no staff member {p['staff']!r}",
    "import_before": lambda p: f"is before {p['other']}",
    "import_years": lambda p: f"{p['day']} is not in the years {p['first']}-{p['last']}",
    "import_window": lambda p: f"is {p['days']} days after earliest (at most {p['max']})",
    "import_bool": lambda p: "must be true or false",
}
