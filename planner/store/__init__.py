"""The database: the only package that runs SQL.

``db`` opens it, ``migrations`` shapes it, ``concurrency`` guards edits; the package's own namespace is the records'
functions (offices, staff, absences, visits, busy days, declines), so callers write ``store.load_staff(db)``."""
from .records import *  # noqa: F401,F403
