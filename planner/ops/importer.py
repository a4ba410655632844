"""``planner import FILE.json``: check the whole file, then write all of it in one transaction, or nothing.

Every problem is reported with its path in the file (``visits[3].place: no place "Utsjoky" - did you mean
Utsjoki?``). Importing the same file twice updates records by id and never duplicates them.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from sqlite_utils import Database

from .. import store
from ..store.db import audit
from ..core.records import ABSENCE_KINDS, PRIORITIES, ROLES, VISIT_KINDS, Absence, Office, StaffMember, Visit
from ..core.offices import BUILTIN_OFFICES
from .languages import CODE_RE as LANG_RE, known_language
from ..core.places import MAX_PLACE_TEXT, Gazetteer, Place, PlaceNotFound, PointOutside, get_gazetteer, locate
from ..core.settings import DEFAULT_SETTINGS, Settings
from ..core.messages import LEGACY, Message, english, message
from ..core.weeks import FIRST_YEAR, LAST_YEAR
from ..core.working_pattern import parse_pattern

ID_CHARS = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"  # letters, digits and . _ - (no spaces, nothing a URL must escape)
ID_RE = re.compile(rf"^{ID_CHARS}$")


def reference(chars: str) -> re.Pattern:
    """The rule for what names a client's case, never the client: ``chars`` and at least one digit (a name has none).
    Case codes and visit ids both follow it: both show in pages, and visit ids also in URLs, the audit log and
    exports."""
    return re.compile(rf"^(?=.*\d){chars}$")


CASE_RE = reference(r"[A-Za-z0-9][A-Za-z0-9/_-]{1,31}")
VISIT_ID_RE = reference(ID_CHARS)
SKILL_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
ROLE_BY_TITLE = {title: key for key, title in ROLES.items()}
MAX_DURATION_MIN = 12 * 60
MAX_STAFF_NEEDED = 6
MAX_WINDOW_DAYS = 366  # a request's window is at most a year
# Lengths checked before anything is parsed: a huge field is one clear problem, not seconds of parsing or one
# problem per item. (The forms' limit for names and places is the same 200 characters.)
MAX_TEXT = MAX_PLACE_TEXT
MAX_ITEMS = 50  # skills or languages of one person or visit


class ImportProblems(ValueError):
    """The file has problems: ``messages`` lists them as (path, Message), ``problems`` the same in English, each
    'path: message' (what ``planner import`` prints)."""

    def __init__(self, messages: list[tuple[str, Message]]):
        self.messages = messages
        self.problems = [f"{path}: {english(msg)}" for path, msg in messages]
        super().__init__("\n".join(self.problems))


@dataclass
class ImportPlan:
    """What a checked file will write."""
    offices: list[Office] = field(default_factory=list)
    staff: list[StaffMember] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    patterns: set[str] = field(default_factory=set)  # staff whose working pattern the file gives


class _Checker:
    def __init__(self, db: Database, gazetteer: Gazetteer, settings: Settings):
        self.db = db
        self.gazetteer = gazetteer
        self.settings = settings
        self.problems: list[tuple[str, Message]] = []

    def problem(self, path: str, code: str, **params) -> None:
        self.problems.append((path, message(code, **params)))

    def text_problem(self, path: str, text: str) -> None:
        """A problem another module words (a place's coordinates, a working pattern), in English only."""
        self.problems.append((path, message(LEGACY, text=text)))

    # Field readers: each returns the clean value or None after recording a problem.
    def text(self, obj: dict, key: str, path: str, required: bool = True, pattern: re.Pattern | None = None,
             what: str = "") -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.problem(f"{path}.{key}", "import_required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{path}.{key}", "import_text")
            return None
        value = value.strip()
        if len(value) > MAX_TEXT:
            self.problem(f"{path}.{key}", "import_too_long", max=MAX_TEXT)
            return None
        if pattern and not pattern.match(value):
            self.problem(f"{path}.{key}", "import_invalid", value=value[:40], what=what or key)
            return None
        return value

    def day(self, obj: dict, key: str, path: str, required: bool = True) -> date | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.problem(f"{path}.{key}", "import_required")
            return None
        try:
            return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else _raise()
        except ValueError:
            self.problem(f"{path}.{key}", "import_not_date", value=str(value)[:40])
            return None

    def integer(self, obj: dict, key: str, path: str, low: int, high: int, default: int | None = None) -> int | None:
        value = obj.get(key, default)
        if value is None:
            self.problem(f"{path}.{key}", "import_required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(f"{path}.{key}", "import_whole_number", low=low, high=high)
            return None
        return value

    def words(self, obj: dict, key: str, path: str, pattern: re.Pattern, what: str,
              known: Callable[[str], bool] | None = None) -> frozenset[str]:
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.problem(f"{path}.{key}", "import_list")
            return frozenset()
        if len(value) > MAX_ITEMS:
            self.problem(f"{path}.{key}", "import_too_many", n=len(value), max=MAX_ITEMS)
            return frozenset()
        clean = set()
        for i, item in enumerate(value):
            word = item.strip().lower() if isinstance(item, str) else None
            if word is None or not pattern.match(word) or (known is not None and not known(word)):
                self.problem(f"{path}.{key}[{i}]", "import_invalid", value=str(item)[:40], what=what)
            else:
                clean.add(word)
        return frozenset(clean)

    def choice(self, obj: dict, key: str, path: str, allowed: tuple[str, ...], default: str | None = None) -> str | None:
        value = obj.get(key, default)
        if value not in allowed:
            self.problem(f"{path}.{key}", "import_not_one_of", value=str(value)[:40], allowed=list(allowed))
            return None
        return value

    def location(self, obj: dict, path: str) -> Place | None:
        """The place named by ``place``, or the point ``lat``/``lon``."""
        if "place" in obj:
            name = self.text(obj, "place", path)
            if name is None:
                return None
            try:
                place = locate(name, self.settings, self.gazetteer)
            except (PlaceNotFound, PointOutside) as exc:
                self.problems.append((f"{path}.place", exc.problem))
                return None
            except ValueError as exc:
                self.text_problem(f"{path}.place", str(exc))
                return None
            return place
        lat, lon = obj.get("lat"), obj.get("lon")
        if lat is None or lon is None:
            self.problem(path, "import_needs_place")
            return None
        if not _is_number(lat) or not _is_number(lon):
            self.problem(path, "import_lat_lon")
            return None
        try:
            return self.gazetteer.resolve(f"{lat},{lon}")
        except PointOutside as exc:
            self.problems.append((path, exc.problem))
            return None
        except ValueError as exc:
            self.text_problem(path, str(exc))
            return None

    def unique(self, items: list, kind: str) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                if item["id"] in seen:
                    self.problem(f"{kind}[{i}].id", "import_duplicate_id", id=item["id"], also=f"{kind}[{seen[item['id']]}]")
                seen.setdefault(item["id"], i)

    def records(self, doc: dict, key: str) -> list[tuple[str, dict]]:
        items = doc.get(key, [])
        if not isinstance(items, list):
            self.problem(key, "import_list")
            return []
        self.unique(items, key)
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                self.problem(f"{key}[{i}]", "import_object")
            else:
                out.append((f"{key}[{i}]", item))
        return out


def _place_id(place: Place) -> str | None:
    return None if place.kind == "point" else place.id


def _raise():
    raise ValueError


def _is_number(value) -> bool:
    """A JSON number that is a coordinate: not a boolean, not NaN or Infinity (Python's json module reads them)."""
    return not isinstance(value, bool) and (isinstance(value, int) or isinstance(value, float) and math.isfinite(value))


def check(doc: Any, db: Database, gazetteer: Gazetteer | None = None, settings: Settings = DEFAULT_SETTINGS
          ) -> ImportPlan:
    """Check a parsed import file against itself and the database; raise ImportProblems listing every problem.
    Street addresses are geocoded only when ``settings.geocoder`` is set."""
    c = _Checker(db, gazetteer or get_gazetteer(), settings)
    plan = ImportPlan()
    if not isinstance(doc, dict):
        raise ImportProblems([("(file)", message(
            LEGACY, text="must be a JSON object with offices, staff, absences and visits"))])
    for key in doc:
        if key not in ("offices", "staff", "absences", "visits"):
            c.problem(repr(key[:40]), "import_unknown_section")

    for path, item in c.records(doc, "offices"):
        office_id = c.text(item, "id", path, pattern=ID_RE, what="id")
        name = c.text(item, "name", path)
        loc = c.location(item, path)
        region = item.get("region", "")
        if not isinstance(region, str):
            c.problem(f"{path}.region", "import_string")
        elif office_id and name and loc:
            plan.offices.append(Office(office_id, name, loc.lat, loc.lon, region, _place_id(loc)))
    office_ids = {o.id for o in plan.offices} | set(store.load_offices(db)) | (
        {o.id for o in BUILTIN_OFFICES} if "offices" not in doc else set())

    for path, item in c.records(doc, "staff"):
        staff_id = c.text(item, "id", path, pattern=ID_RE, what="id")
        name = c.text(item, "name", path)
        role = c.text(item, "role", path)
        if role is not None:
            role = ROLE_BY_TITLE.get(role.lower(), role.lower())
            if role not in ROLES:
                c.problem(f"{path}.role", "import_not_role", value=item["role"][:40], roles=list(ROLES))
                role = None
        office = c.text(item, "office", path)
        if office is not None and office not in office_ids:
            c.problem(f"{path}.office", "import_no_office", office=office, offices=sorted(office_ids))
            office = None
        skills = c.words(item, "skills", path, SKILL_RE, "skill")
        languages = c.words(item, "languages", path, LANG_RE, "language", known_language)
        active_from = c.day(item, "active_from", path, required=False)
        active_until = c.day(item, "active_until", path, required=False)
        if active_from and active_until and active_until < active_from:
            c.problem(f"{path}.active_until", "import_before", other="active_from")
        region = item.get("region")
        if region is not None and not isinstance(region, str):
            c.problem(f"{path}.region", "import_string")
        pattern = None
        if "working_pattern" in item:
            pattern, problems = parse_pattern(item["working_pattern"])
            for where, text in problems:
                c.text_problem(f"{path}.working_pattern{where}", text)
        if staff_id and name and role and office:
            extra = {"pattern": pattern} if pattern is not None else {}
            plan.staff.append(StaffMember(staff_id, name.strip(), role, office, skills, languages, active_from,
                                          active_until, region, **extra))
            if pattern is not None:  # else the stored pattern stays (the default for someone new)
                plan.patterns.add(staff_id)
    staff_ids = {s.id for s in plan.staff} | set(store.load_staff(db))

    for path, item in c.records(doc, "absences"):
        staff = c.text(item, "staff", path)
        if staff is not None and staff not in staff_ids:
            c.problem(f"{path}.staff", "import_no_staff", staff=staff)
            staff = None
        start, end = c.day(item, "from", path), c.day(item, "to", path)
        if start and end and end < start:
            c.problem(f"{path}.to", "import_before", other="from")
        kind = c.choice(item, "kind", path, ABSENCE_KINDS, default="other")
        if staff and start and end and end >= start and kind:
            plan.absences.append(Absence(staff, start, end, kind))

    for path, item in c.records(doc, "visits"):
        visit_id = c.text(item, "id", path, pattern=VISIT_ID_RE, what="visit_id")
        kind = c.choice(item, "kind", path, VISIT_KINDS)
        case = c.text(item, "case", path, required=False, pattern=CASE_RE, what="case_code")
        loc = c.location(item, path)
        earliest, latest = c.day(item, "earliest", path), c.day(item, "latest", path)
        for key, day in (("earliest", earliest), ("latest", latest)):
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                c.problem(f"{path}.{key}", "import_years", day=day.isoformat(), first=FIRST_YEAR, last=LAST_YEAR)
                earliest, latest = None, None
        if earliest and latest and latest < earliest:
            c.problem(f"{path}.latest", "import_before", other="earliest")
        elif earliest and latest and (latest - earliest).days >= MAX_WINDOW_DAYS:  # each day is tried for each person
            c.problem(f"{path}.latest", "import_window", days=(latest - earliest).days, max=MAX_WINDOW_DAYS - 1)
            latest = None
        duration = c.integer(item, "duration_min", path, 15, MAX_DURATION_MIN)
        needed = c.integer(item, "staff_needed", path, 1, MAX_STAFF_NEEDED, default=1)
        skills = c.words(item, "skills", path, SKILL_RE, "skill")
        languages = c.words(item, "languages", path, LANG_RE, "language", known_language)
        interpreter = item.get("interpreter", False)
        if not isinstance(interpreter, bool):
            c.problem(f"{path}.interpreter", "import_bool")
        priority = c.choice(item, "priority", path, PRIORITIES, default="normal")
        preferred = item.get("preferred_staff")
        if preferred is not None and (not isinstance(preferred, str) or preferred not in staff_ids):
            c.problem(f"{path}.preferred_staff", "import_no_staff", staff=str(preferred)[:40])
            preferred = None
        if all(v is not None for v in (visit_id, kind, loc, earliest, latest, duration, needed, priority)) \
                and latest >= earliest and isinstance(interpreter, bool):
            plan.visits.append(Visit(
                id=visit_id, kind=kind, case_code=case, place=_place_id(loc), place_name=loc.name, lat=loc.lat,
                lon=loc.lon, on_aland=loc.on_aland, region=loc.region or None, earliest=earliest, latest=latest, duration_min=duration, staff_needed=needed,
                skills=skills, languages=languages, interpreter=interpreter, priority=priority,
                preferred_staff=preferred))
    if c.problems:
        raise ImportProblems(c.problems)
    return plan


def apply(db: Database, plan: ImportPlan, actor: str = "cli") -> dict[str, int]:
    """Write a checked plan in one transaction; returns counts of what changed."""
    counts = {"offices": 0, "staff": 0, "absences": 0, "visits_added": 0, "visits_updated": 0}
    with db.atomic():
        if not plan.offices:
            store.ensure_builtin_offices(db)
        for office in plan.offices:
            store.save_office(db, office)
            counts["offices"] += 1
        for person in plan.staff:
            store.save_staff_member(db, person)
            if person.id in plan.patterns:
                store.set_working_pattern(db, person.id, person.pattern)
            counts["staff"] += 1
        for absence in plan.absences:
            counts["absences"] += store.add_absence(db, absence)
        for visit in plan.visits:
            outcome = store.upsert_visit(db, visit)
            if outcome != "unchanged":
                counts[f"visits_{outcome}"] += 1
        audit(db, actor, "import", detail=counts)
    return counts
