"""The greedy baseline (``--solver greedy``): what a careful person does by hand.

Visits in order of urgency (urgent, normal, low; then the tightest window), each given to the nearest free
qualified people: the cheapest single-visit trip by the model's own trip score, and for a team the cheapest
people who together hold the skills and languages at a start all of them can make. No chaining of visits.
Pinned meetings are placed first.
"""
from __future__ import annotations

import time as clock

from ..core.records import Visit
from ..core.reasons import missing
from .candidates import Candidates
from .instance import WeekInstance
from .model import column_score
from .selection import Selection, pinned_starts, starts_of

PRIORITY_ORDER = {"urgent": 0, "normal": 1, "low": 2}


def greedy_order(visit: Visit) -> tuple:
    return (PRIORITY_ORDER[visit.priority], visit.latest, visit.earliest, visit.id)


def solve_greedy(inst: WeekInstance, cands: Candidates) -> Selection:
    started = clock.perf_counter()
    cols = cands.columns
    score = {i: column_score(inst, cands, c) for i, c in enumerate(cols) if c.kind == "single"}
    taken: set[tuple] = set()
    chosen: list[int] = []

    def free(i: int) -> bool:
        return all((cols[i].staff, d) not in taken for d in cols[i].days)

    def take(team: list[int]) -> None:
        chosen.extend(team)
        taken.update((cols[i].staff, d) for i in team for d in cols[i].days)

    pins = {p.visit: p for p in inst.pins}
    order = sorted(inst.visits, key=lambda v: (v.id not in pins, greedy_order(v)))
    for visit in order:
        options = [i for i in cands.by_visit[visit.id] if i in score and free(i)]
        pin = pins.get(visit.id)
        if pin:
            minute = inst.minute(pin.start)
            options = [i for i in options if cols[i].staff in pin.staff]
            pinned = [i for i in options if cols[i].stops[0].lo <= minute <= cols[i].stops[0].hi]
            options = pinned or options
        team = best_team(inst, cands, visit, options, score)
        if team:
            take(team)
    chosen.sort()
    return Selection(chosen, starts_of(cands, chosen, pinned_starts(inst)), "GREEDY", None, None, clock.perf_counter() - started)


def best_team(inst: WeekInstance, cands: Candidates, visit: Visit, options: list[int], score: dict[int, int]
              ) -> list[int] | None:
    """The cheapest ``staff_needed`` columns (distinct people) covering the visit at one common start."""
    if not options:
        return None
    if visit.staff_needed == 1:
        return [min(options, key=lambda i: (score[i], i))]
    cols = cands.columns
    best = None
    for t in sorted({cols[i].stops[0].lo for i in options}):
        at_t = sorted((i for i in options if cols[i].stops[0].lo <= t <= cols[i].stops[0].hi),
                      key=lambda i: (score[i], i))
        team, people = [], set()
        needs = [("skill", s) for s in sorted(visit.skills)] + [("language", l) for l in sorted(visit.required_languages)]
        for kind, need in needs:
            if _holds(inst, people, kind, need):
                continue
            holder = next((i for i in at_t if cols[i].staff not in people and _holds(inst, [cols[i].staff], kind, need)),
                          None)
            if holder is not None and len(team) < visit.staff_needed:
                team.append(holder)
                people.add(cols[holder].staff)
        for i in at_t:
            if len(team) >= visit.staff_needed:
                break
            if cols[i].staff not in people:
                team.append(i)
                people.add(cols[i].staff)
        if len(team) != visit.staff_needed or missing(visit, [inst.staff_by_id[p] for p in people]):
            continue
        total = sum(score[i] for i in team)
        if best is None or total < best[0]:
            best = (total, sorted(team))
    return best[1] if best else None


def _holds(inst: WeekInstance, staff_ids, kind: str, need: str) -> bool:
    return any(need in (inst.staff_by_id[s].skills if kind == "skill" else inst.staff_by_id[s].languages)
               for s in staff_ids)
