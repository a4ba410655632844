"""Privacy: removing old data (``planner purge``) and one person's data for an access request
(``planner export-person``). Flask-free: every function takes the database and returns plain values.

Retention (docs/privacy.md): visits whose window ended before the cutoff and that have no meeting after it go,
with their meetings and the trips that reached only them; absences, "what changed" snapshots, finished plan jobs
and sign-in failures older than the cutoff go too. The audit log has its own, separate retention
(``audit_cutoff``): by default nothing is removed from it, and the purge itself is always audited.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from sqlite_utils import Database

from ..store import privacy as privacy_store
from ..store.privacy import about_visits_sql  # noqa: F401 (the audit page filters by it)
from .importer import CASE_RE

AGE_RE = re.compile(r"^\s*(\d{1,4})\s*([md])\s*$", re.I)


class PrivacyError(ValueError):
    """Bad input for a purge or an export; the message says exactly what is wrong."""


# Cutoffs -------------------------------------------------------------------------------------------------------

def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter: 31.3. → 28.2.)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cutoff_for(age: str, today: date, what: str = "--older-than") -> date:
    """The date ``age`` ('12m' months or '400d' days) before ``today``; at least one month back."""
    match = AGE_RE.match(age or "")
    if not match:
        raise PrivacyError(f"{what}: {age!r} is not an age; use months or days such as 12m or 400d")
    n, unit = int(match[1]), match[2].lower()
    cutoff = months_before(today, n) if unit == "m" else today - timedelta(n)
    if cutoff > months_before(today, 1):
        raise PrivacyError(f"{what}: {age} is less than 1 month; the purge keeps at least the last month "
                           f"(use 1m or more, or 31d or more)")
    return cutoff


# Purge ---------------------------------------------------------------------------------------------------------

def purge(db: Database, cutoff: date, actor: str, audit_cutoff: date | None = None, dry_run: bool = False) -> dict:
    """Delete what is older than ``cutoff`` (see the module docstring) in ONE transaction and audit it; return the
    count per kind of record. ``audit_cutoff``: also delete audit rows before that date (the purge's own row is
    written afterwards, so it stays). ``dry_run``: count, then roll everything back."""
    return privacy_store.delete_older_than(db, cutoff, actor, audit_cutoff, dry_run)


# Export of one person's data -----------------------------------------------------------------------------------

STAFF_NOTE = ("Data about this staff member. The case codes and visit ids of the clients met are other people's "
              "data and are left out; trips and meetings show times, places and who travelled.")
CASE_NOTE = ("Data held about the client with this case code: the visit requests, their meetings (when, where, "
             "who met them) and the audit log of who viewed or changed them. Free text written by staff (absence "
             "notes, \"I can't make this trip\" reasons) is never about clients and is not part of this export.")


def export_staff(db: Database, staff_id: str) -> dict:
    """Everything the planner holds about staff member ``staff_id`` (an access request by an employee)."""
    data = privacy_store.staff_data(db, staff_id)
    if data is None:
        raise PrivacyError(f"--staff: no staff member {staff_id!r}")
    return {"kind": "staff", "note": STAFF_NOTE, **data}


def export_case(db: Database, case_code: str) -> dict:
    """Everything the planner holds about the client with ``case_code`` (a client's access request)."""
    code = (case_code or "").strip()
    if not CASE_RE.match(code):
        raise PrivacyError("--case: not a case code (letters, digits and - / _, at least one digit)")
    visits = privacy_store.case_visits(db, code)
    if not visits:
        raise PrivacyError("--case: no visit has that case code (nothing exported)")
    return {"kind": "case", "note": CASE_NOTE, "case_code": code, "visits": visits,
            "audit": privacy_store.visits_audit(db, [v["id"] for v in visits])}
