"""Every reason and explanation the demo data and a few constructed cases give, as English text, on fixed dates.

tests/data/english_messages.json holds what the product printed before reasons became messages (issue 12,
point 3); tests/test_messages.py renders today's messages with the English renderer and compares, so the CLI's and
the JSON's ``reason``/``explanation`` strings stay as they were. Two were corrected since: a visit needing health
and Russian, where nobody free is a nurse, was "nobody is free" and is now "nobody with skill health is free"; a
trip of three days was "busy (trip T9) Tue 08 Dec 06:00-20:00" and now ends "-Thu 10 Dec 20:00".
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Callable

from planner import store
from planner.core.availability import Availability, Busy
from planner.core.propose import Proposer
from planner.core.records import Absence
from planner.core.settings import Settings
from planner.core.travel import NetworkTravelModel
from planner.core.weeks import week_of
from planner.planning.week_load import load_week
from planner.optimize.candidates import CandidateGenerator
from planner.optimize.run import plan_week
from planner.ops.demo import load_demo, next_monday
from planner.planning.proposals import make_proposer
from planner.store.db import open_db

from team_support import OFFICES, visit_at
from team_support import TEAM as FULL_TEAM

SETTINGS = Settings()
TODAY = date(2026, 12, 1)  # the demo week is then 7-13 Dec 2026
MONDAY = next_monday(TODAY)
# Without the Helsinki social worker and the Lappeenranta nurse more kinds of reason appear.
TEAM = [p for p in FULL_TEAM if p.id in {"oulu", "hel1", "tre", "trainee"}]


def _proposal(proposal, text: Callable) -> dict:
    return {"visit": proposal.visit.id, "reason": text(proposal.reason),
            "options": [text(o.reason) for o in proposal.options],
            "excluded": {s: text(r) for s, r in sorted(proposal.excluded.items())}}


def constructed(text: Callable) -> list[dict]:
    travel = NetworkTravelModel(SETTINGS)
    absences = [Absence("oulu", date(2026, 12, 7), date(2026, 12, 8), "vacation"),
                Absence("hel1", date(2026, 12, 9), date(2026, 12, 9), "sick_leave")]
    busy = [Busy("tre", datetime(2026, 12, 8, 6), datetime(2026, 12, 10, 20), "trip T9")]
    proposer = Proposer(TEAM, OFFICES, Availability(TEAM, absences, busy), travel, SETTINGS)
    visits = (visit_at("Kemi", "2026-12-07", "2026-12-10"),                                   # busy trip
              visit_at("Kemi", "2026-12-08", "2026-12-08"),                                   # absence
              visit_at("Kemi", "2026-12-07", "2026-12-10", skills=frozenset({"health"}),   # lacks skill
                       languages=frozenset({"ru"})),
              visit_at("Tampere", "2026-12-08", "2026-12-10", languages=frozenset({"ru"})),  # lacks language
              visit_at("Mariehamn", "2026-06-09", "2026-06-09"),                           # Åland's Autonomy Day
              visit_at("Helsinki", "2027-05-06", "2027-05-06"),                            # Ascension Day 2027
              visit_at("Helsinki", "2026-12-12", "2026-12-13"),                            # a weekend
              visit_at("Utsjoki", "2026-12-10", "2026-12-10", duration_min=600),            # cannot reach
              visit_at("Jyväskylä", "2026-12-07", "2026-12-10", staff_needed=2,
                       skills=frozenset({"identification", "counselling"})),
              visit_at("Vaasa", "2026-12-07", "2026-12-11", preferred_staff="tre"))
    return [_proposal(proposer.propose(v), text) for v in visits]


def _plan(plan: dict, text: Callable) -> dict:
    return {"assignments": {a["visit"]: text(a["explanation"]) for a in plan["assignments"]},
            "unassigned": {u["visit"]: text(u["reason"]) for u in plan["unassigned"]}}


def produce(path, text: Callable) -> dict:
    """The messages of the demo (built at ``path``) as ``text`` renders them: proposals for every demo visit, the
    greedy week plan with visits it cannot serve, a team nobody is free for, and the constructed cases."""
    db = open_db(path)
    store.ensure_builtin_offices(db)
    load_demo(db, TODAY)
    proposer = make_proposer(db, SETTINGS)
    out = {"proposals": [_proposal(proposer.propose(v, limit=6), text) for v in store.load_visits(db)]}
    friday, saturday = MONDAY + timedelta(4), MONDAY + timedelta(5)
    for visit in (visit_at("Kuopio", saturday.isoformat(), (saturday + timedelta(1)).isoformat(), "x-weekend"),
                  visit_at("Kuopio", MONDAY.isoformat(), friday.isoformat(), "x-skill", skills=frozenset({"diving"})),
                  visit_at("Utsjoki", MONDAY.isoformat(), MONDAY.isoformat(), "x-far", duration_min=600),
                  visit_at("Kuopio", MONDAY.isoformat(), friday.isoformat(), "x-many", staff_needed=12)):
        store.upsert_visit(db, visit)
    inst = load_week(db, week_of(MONDAY), SETTINGS, NetworkTravelModel(SETTINGS))
    # the default candidate settings, as when the wording was recorded (the week's size now picks them; the
    # wording, not the plan, is what this compares)
    out["plan"] = _plan(plan_week(inst, "greedy", 120, generator=CandidateGenerator(inst)), text)
    store.upsert_visit(db, visit_at("Kuopio", MONDAY.isoformat(), MONDAY.isoformat(), "x-busy", staff_needed=3))
    inst = load_week(db, week_of(MONDAY), SETTINGS, NetworkTravelModel(SETTINGS))
    monday = datetime.combine(MONDAY, datetime.min.time())
    inst.availability = Availability(inst.staff, store.load_absences(db), [
        Busy(p.id, monday, monday + timedelta(hours=23), "trip T8") for p in inst.staff[2:]])
    out["busy_plan"] = _plan(plan_week(inst, "greedy", 120, generator=CandidateGenerator(inst)), text)
    db.close()
    out["constructed"] = constructed(text)
    return out
