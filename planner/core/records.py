"""The planner's records as plain values: offices, staff, absences and visit requests.

Flask-free and database-free; ``planner.store`` reads and writes them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

ROLES = {
    "social_counsellor": "sosiaaliohjaaja",
    "senior_inspector": "ylitarkastaja",
    "inspector": "tarkastaja",
    "public_health_nurse": "terveydenhoitaja",
    "social_worker": "sosiaalityöntekijä",
    "project_manager": "projektipäällikkö",
    "project_worker": "hanketyöntekijä",
    "trainee": "korkeakouluharjoittelija",
    "director": "johtaja",
    "deputy_director": "apulaisjohtaja",
}
VISIT_KINDS = ("client", "partner", "training")
PRIORITIES = ("urgent", "normal", "low")
ABSENCE_KINDS = ("vacation", "sick_leave", "training", "other")
DEFAULT_PATTERN: dict[int, tuple[time, time]] = {d: (time(8, 0), time(16, 15)) for d in range(5)}


@dataclass(frozen=True)
class Office:
    id: str
    name: str
    lat: float
    lon: float
    region: str = ""
    place_id: str = ""


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    role: str
    office: str
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    active_from: date | None = None
    active_until: date | None = None
    region: str | None = None
    # weekday (0 = Monday) -> (start, end); days missing from it are days off
    pattern: dict[int, tuple[time, time]] = field(default_factory=lambda: dict(DEFAULT_PATTERN))

    def employed_on(self, day: date) -> bool:
        return (self.active_from is None or day >= self.active_from) and (
            self.active_until is None or day <= self.active_until)


@dataclass(frozen=True)
class Absence:
    staff: str
    start: date
    end: date  # inclusive
    kind: str = "other"


@dataclass(frozen=True)
class Visit:
    id: str
    kind: str
    place_name: str
    lat: float
    lon: float
    earliest: date
    latest: date
    duration_min: int
    staff_needed: int = 1
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    interpreter: bool = False
    priority: str = "normal"
    preferred_staff: str | None = None
    case_code: str | None = None
    on_aland: bool = False
    region: str | None = None  # region (maakunta) of the place, for preferring the office that covers it
    status: str = "open"
    place: str | None = None  # gazetteer id when the place came from it
    version: int = 1

    @property
    def name(self) -> str:  # so a visit is a travel end point (planner.core.travel.Located)
        return self.place_name

    @property
    def required_languages(self) -> frozenset[str]:
        """Languages the people sent must cover together; an interpreter waives them."""
        return frozenset() if self.interpreter else self.languages
