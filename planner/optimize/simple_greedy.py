"""The simple baseline (issue 14, point 3): the nearest free qualified team for each visit, as anyone would plan
by hand. A reference the project's greedy (``greedy.solve_greedy``) never covers fewer visits than, not the product.

Visits urgent first, then by the earliest window; each gets, among the single-visit trips of people still free on
its days, the team with the fewest travel minutes together that holds the visit's skills and languages and can
meet at one start. One visit per person and day, no chaining. Pinned meetings go first, with their people, so the
plan is valid on its own (a start the search can begin from).
"""
from __future__ import annotations

import itertools
import time as clock

from ..core.records import PRIORITIES, Visit
from ..core.reasons import missing
from .candidates import Candidates
from .instance import WeekInstance
from .selection import Selection, pinned_options, pinned_starts, starts_of

# Teams are chosen among the nearest few people free at a start (and the nearest holder of each need): every
# combination of them is tried, so the pool stays small.
TEAM_POOL = 8


def simple_order(visit: Visit) -> tuple:
    return (PRIORITIES.index(visit.priority), visit.earliest, visit.latest, visit.id)


def solve_simple_greedy(inst: WeekInstance, cands: Candidates) -> Selection:
    started = clock.perf_counter()
    cols = cands.columns
    taken: set[tuple] = set()
    chosen: list[int] = []
    pins = {p.visit: p for p in inst.pins}
    for visit in sorted(inst.visits, key=lambda v: (v.id not in pins, simple_order(v))):
        options = [i for i in cands.by_visit[visit.id] if cols[i].kind == "single"
                   and all((cols[i].staff, d) not in taken for d in cols[i].days)]
        if visit.id in pins:
            options = pinned_options(inst, cands, options, pins[visit.id])
        team = nearest_team(inst, cands, visit, options)
        if team:
            chosen.extend(team)
            taken.update((cols[i].staff, d) for i in team for d in cols[i].days)
    chosen.sort()
    return Selection(chosen, starts_of(cands, chosen, pinned_starts(inst)), "GREEDY", None, None,
                     clock.perf_counter() - started)


def nearest_team(inst: WeekInstance, cands: Candidates, visit: Visit, options: list[int]) -> list[int] | None:
    """The ``staff_needed`` single-visit trips (distinct people, one common start) with the fewest travel minutes
    together whose people hold the visit's skills and languages; None when there is none."""
    cols = cands.columns
    need = visit.staff_needed
    best: tuple | None = None
    for t in sorted({cols[i].stops[0].lo for i in options}):
        mine: dict[str, int] = {}  # each person's cheapest trip that allows the start t
        for i in options:
            c = cols[i]
            if c.stops[0].lo <= t <= c.stops[0].hi:
                if c.staff not in mine or (c.travel_minutes, i) < (cols[mine[c.staff]].travel_minutes, mine[c.staff]):
                    mine[c.staff] = i
        if len(mine) < need:
            continue
        ranked = sorted(mine.values(), key=lambda i: (cols[i].travel_minutes, i))
        if best is not None and sum(cols[i].travel_minutes for i in ranked[:need]) >= best[0]:
            continue  # no team at t can be nearer than the best one already found
        pool = ranked[:TEAM_POOL]
        for kind, wanted in [("skill", s) for s in sorted(visit.skills)] + \
                            [("language", lang) for lang in sorted(visit.required_languages)]:
            holder = next((i for i in ranked if wanted in _holdings(inst, cols[i].staff, kind)), None)
            if holder is not None and holder not in pool:
                pool.append(holder)
        for team in itertools.combinations(pool, need):
            total = sum(cols[i].travel_minutes for i in team)
            key = (total, sorted(team))
            if (best is None or key < best) and missing(visit, [inst.staff_by_id[cols[i].staff] for i in team]) is None:
                best = key
    return None if best is None else best[1]


def _holdings(inst: WeekInstance, staff_id: str, kind: str) -> frozenset[str]:
    person = inst.staff_by_id[staff_id]
    return person.skills if kind == "skill" else person.languages
