"""Conflicts in the plan as it stands: a person absent on a day of their trip, a meeting outside its visit's
window (after an edit), "I can't make this trip" answers not yet resolved, a person on two trips at once, and a trip
whose route still goes to a meeting moved away from it. "Plan again" re-plans them."""
from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from .. import store
from ..core.messages import message
from ..store import plan_queries


def conflicts(db: Database, start: date, end: date) -> list[dict]:
    """Problems with the active plan between ``start`` and ``end``: a person absent on a day of their trip, a
    meeting outside its visit's window (after an edit), and "I can't make this trip" answers not yet resolved.
    Each: kind ('absent' | 'window' | 'declined' | 'overlap' | 'route'), trip, meeting, visit, staff, detail."""
    out = []
    absences = store.load_absences(db)
    by_staff: dict[str, list] = {}
    for a in absences:
        by_staff.setdefault(a.staff, []).append(a)
    declines = {(r["trip"], r["staff"]): r for r in plan_queries.open_declines(db)}
    trips = plan_queries.trips_between(db, start, end)
    lost = plan_queries.lost_meetings(db, [t["id"] for t in trips])
    out += _overlaps(trips)
    for t in trips:
        if t["id"] in lost:
            out.append({"kind": "route", "trip": t["id"], "staff": ",".join(t["staff"]),
                        "visits": [m["visit"] for m in t["meetings"]],
                        "detail": message("lost_meeting", places=lost[t["id"]]), "state": t["state"]})
        first, last = date.fromisoformat(t["depart"][:10]), date.fromisoformat(t["return"][:10])
        visits = [m["visit"] for m in t["meetings"]]
        for s in t["staff"]:
            for a in by_staff.get(s, []):
                if a.start <= last and first <= a.end:
                    out.append({"kind": "absent", "trip": t["id"], "staff": s, "visits": visits,
                                "detail": message("absence", kind=a.kind, start=a.start.isoformat(),
                                                  end=a.end.isoformat()),
                                "state": t["state"]})
                    break
            d = declines.get((t["id"], s))
            if d:
                out.append({"kind": "declined", "trip": t["id"], "staff": s, "visits": visits, "detail": d["reason"],
                            "state": t["state"]})
        for m in t["meetings"]:
            day = m["start"][:10]
            if not m["earliest"] <= day <= m["latest"]:
                out.append({"kind": "window", "trip": t["id"], "staff": ",".join(m["staff"]), "visits": [m["visit"]],
                            "detail": message("outside_window", day=day, earliest=m["earliest"], latest=m["latest"]),
                            "state": t["state"]})
    # One line per (kind, trip, staff) even when a trip reaches a meeting twice
    seen, unique = set(), []
    for c in out:
        key = (c["kind"], c["trip"], c["staff"])
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique


def _overlaps(trips: list[dict]) -> list[dict]:
    """A person on two trips at once (after an edit): both trips, each naming the other's time away."""
    out = []
    by_person: dict[str, list[dict]] = {}
    for t in trips:     # oldest departure first
        for s in t["staff"]:
            by_person.setdefault(s, []).append(t)
    for person, theirs in by_person.items():
        for i, a in enumerate(theirs):
            for b in theirs[i + 1:]:
                if b["depart"] >= a["return"]:
                    break
                for this, other in ((a, b), (b, a)):
                    out.append({"kind": "overlap", "trip": this["id"], "staff": person,
                                "visits": [m["visit"] for m in this["meetings"]],
                                "detail": message("other_trip", start=other["depart"], end=other["return"]),
                                "state": this["state"]})
    return out
