"""The greedy plan (``--solver greedy``), the search's start and its fallback: the best of a few by-hand plans.

Each is what a careful person does by hand, visits one at a time, nobody on two trips a day:

* **by score**: visits in order of urgency (urgent, normal, low; then the tightest window), each given to the nearest
  free qualified people by the model's own trip score; for a team the cheapest people who together hold the
  skills and languages at a start all of them can make; no chaining;
* **chained**: the same order, but a one-person visit may go on a chained trip whose other visits are still
  open too, the trip with the lowest score per visit: where people's days are scarce one day covers several visits;
* **nearest team** (``simple_greedy``): urgent first, then the earliest window, the team with the fewest travel
  minutes; the simple baseline every greedy plan must cover at least as many visits as (issue 14, point 3);
* **the draft** (when one is planned again): its trips as far as they still hold, so a re-plan starts from the
  plan it replaces and never ends worse than it;
* **by score, as new** and **chained, as new** (when one is planned again): those two with the draft's people and
  days costing nothing more than any others (``_scorer_as_new``). Visit by visit, keeping a draft's meeting where
  it was looks cheaper than it is when that draft was made in a hurry: a 1,000-visit week planned at 10 s and
  again at 15 s got 792 visits from the chained plan that keeps it, 854 from the one that does not.

The plan kept covers the most visits, then has the lowest objective (``plan_value``), so by construction it
never covers fewer visits than the simple baseline. Pinned meetings are placed first in each. A big week's master
may start instead from the week's LP rounded (``lp_rounded``), once the LP is solved.
"""
from __future__ import annotations

import time as clock

from ..core.records import PRIORITIES, Visit
from ..core.reasons import missing
from .candidates import Candidates
from .instance import WeekInstance
from .model import CHANGED, SCALE, column_score, moved, plan_value
from .selection import Selection, pinned_options, pinned_starts, starts_of
from .simple_greedy import solve_simple_greedy


def greedy_order(visit: Visit) -> tuple:
    return (PRIORITIES.index(visit.priority), visit.latest, visit.earliest, visit.id)


def solve_greedy(inst: WeekInstance, cands: Candidates) -> Selection:
    """The best greedy plan by (visits covered, objective); see the module docstring."""
    started = clock.perf_counter()
    score = _scorer(inst, cands)
    plans = {"by score": _in_order(inst, cands, score, chains=False),
             "chained": _in_order(inst, cands, score, chains=True),
             "nearest team": solve_simple_greedy(inst, cands).chosen}
    if cands.draft:
        plans["draft"] = draft_kept(inst, cands)
    if inst.previous:
        as_new = _scorer_as_new(inst, cands, score)
        plans["by score, as new"] = _in_order(inst, cands, as_new, chains=False)
        plans["chained, as new"] = _in_order(inst, cands, as_new, chains=True)
    name = max(plans, key=lambda n: (covered_count(cands, plans[n]), -plan_value(inst, cands, plans[n], score)))
    chosen = plans[name]
    return Selection(chosen, starts_of(cands, chosen, pinned_starts(inst)), "GREEDY", None, None,
                     clock.perf_counter() - started, {"start": name})


def _scorer(inst: WeekInstance, cands: Candidates):
    """A trip's ``column_score`` by its index."""
    cols = cands.columns
    return lambda i: column_score(inst, cands, cols[i])


def _scorer_as_new(inst: WeekInstance, cands: Candidates, score):
    """``score`` less the cost of moving the draft's meetings (``model.CHANGED``): the week as if planned anew."""
    cols = cands.columns

    def as_new(i: int) -> int:
        column = cols[i]
        moves = sum(moved(inst, s.visit, column.staff, inst.moment(s.lo).date()) for s in column.stops)
        return score(i) - SCALE * CHANGED * moves
    return as_new


def draft_kept(inst: WeekInstance, cands: Candidates) -> list[int]:
    """The draft planned again as it stands now (``Candidates.draft``): each of its trips that still fits, nobody
    on two trips a day, and a visit only with its whole team at one common start holding its skills and
    languages (a trip reaching a visit that lost its team goes, and with it its other visits)."""
    cols = cands.columns
    taken: set[tuple] = set()
    chosen: list[int] = []
    for options in cands.draft:
        i = next((i for i in options if all((cols[i].staff, d) not in taken for d in cols[i].days)), None)
        if i is not None:
            chosen.append(i)
            taken.update((cols[i].staff, d) for d in cols[i].days)
    while True:
        reaching: dict[str, list[int]] = {}
        for i in chosen:
            for stop in cols[i].stops:
                reaching.setdefault(stop.visit, []).append(i)
        broken = {v for v, trips in reaching.items() if not _whole_team(inst, cands, v, trips)}
        if not broken:
            break
        chosen = [i for i in chosen if not broken & set(cols[i].visits)]
    return sorted(chosen) if {pin.visit for pin in inst.pins} <= set(reaching) else []  # a pin lost: not the draft


def _whole_team(inst: WeekInstance, cands: Candidates, visit_id: str, trips: list[int]) -> bool:
    visit = inst.visit_by_id[visit_id]
    stops = [next(s for s in cands.columns[i].stops if s.visit == visit_id) for i in trips]
    people = {cands.columns[i].staff for i in trips}
    return (len(people) == len(trips) == visit.staff_needed and max(s.lo for s in stops) <= min(s.hi for s in stops)
            and missing(visit, [inst.staff_by_id[p] for p in people]) is None)


def _in_order(inst: WeekInstance, cands: Candidates, score, chains: bool, prefer: list[int] = ()) -> list[int]:
    """Visits most urgent first, each to the cheapest free trips by score (with ``chains``: a one-person visit may
    go on a chained trip of open visits, cheapest per visit). The trips of ``prefer`` that still fit are taken, in
    their order, after the pinned meetings and before the visits one by one (trips through one-person visits only:
    a team's visit needs its whole team at one start)."""
    cols = cands.columns
    taken: set[tuple] = set()
    covered: set[str] = set()
    chosen: list[int] = []
    pins = {p.visit: p for p in inst.pins}
    alone = {v.id for v in inst.visits if v.staff_needed == 1 and v.id not in pins}

    def free(i: int) -> bool:
        return all((cols[i].staff, d) not in taken for d in cols[i].days)

    def take(team: list[int]) -> None:
        chosen.extend(team)
        taken.update((cols[i].staff, d) for i in team for d in cols[i].days)
        covered.update(v for i in team for v in cols[i].visits)

    ordered = sorted(inst.visits, key=lambda v: (v.id not in pins, greedy_order(v)))
    pinned = sum(v.id in pins for v in ordered)
    for n, visit in enumerate(ordered):
        if n == pinned:
            for i in prefer:
                if free(i) and all(v in alone and v not in covered for v in cols[i].visits):
                    take([i])
        if visit.id in covered:
            continue
        options = [i for i in cands.by_visit[visit.id] if cols[i].kind == "single" and free(i)]
        if visit.id in pins:
            options = pinned_options(inst, cands, options, pins[visit.id])
        if chains and visit.id in alone:
            options += [i for i in cands.by_visit[visit.id] if cols[i].kind == "chain" and free(i)
                        and all(v in alone and v not in covered for v in cols[i].visits)]
            best = min(options, key=lambda i: (score(i) / len(cols[i].visits), i), default=None)
            team = None if best is None else [best]
        else:
            team = best_team(inst, cands, visit, options, {i: score(i) for i in options})
        if team:
            take(team)
    return sorted(chosen)


def lp_rounded(inst: WeekInstance, cands: Candidates, values: list[float]) -> list[int]:
    """A plan from the week's LP (``values``, each trip's share): the trips it uses most first, each where it still
    fits, then the visits left by the chained greedy plan's rules."""
    cols, score = cands.columns, _scorer(inst, cands)
    used = sorted((i for i, v in enumerate(values) if v > 1e-6),
                  key=lambda i: (-round(values[i], 6), score(i) / len(cols[i].visits), i))
    return _in_order(inst, cands, score, chains=True, prefer=used)


def covered_count(cands: Candidates, chosen: list[int]) -> int:
    return len({v for i in chosen for v in cands.columns[i].visits})


def best_team(inst: WeekInstance, cands: Candidates, visit: Visit, options: list[int], score: dict[int, int],
              columns: list | None = None) -> list[int] | None:
    """The cheapest ``staff_needed`` columns (distinct people) covering the visit at one common start; ``options``
    index ``columns`` (by default the candidates')."""
    if not options:
        return None
    if visit.staff_needed == 1:
        return [min(options, key=lambda i: (score[i], i))]
    cols = cands.columns if columns is None else columns
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
