"""The database: the only package that runs SQL.

``db`` opens it, ``migrations`` shapes it, ``concurrency`` guards edits; ``plan_queries`` reads the week's plan as it
stands, ``plan_edits`` writes what people do to it, ``plan_runs`` stores what the optimizer made and ``jobs`` the
"plan again" queue; ``audit`` reads the audit log, ``schedule_seen`` and ``calendar_tokens`` keep what staff saw and
their feed links. The package's own namespace is the records' functions (offices, staff, absences, visits, busy days,
declines), so callers write ``store.load_staff(db)``."""
from .records import *  # noqa: F401,F403
