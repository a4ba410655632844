"""Insertion of the visits a big week's plan leaves out into the trips it already has (issue 14).

The candidate trips of a big week are thin (``sizing.THIN``: chains for two people of an office, each visit's
eight nearest people), so a visit the plan leaves out often fits a trip the plan makes anyway, only not as a
candidate: someone already driving past it that day. For each visit left out (most urgent first; a one-person
visit with some candidate trip, so that the week's LP has its row: ``lp_rows.py``), the ``INSERT_PEOPLE`` nearest
people who alone hold its skills and languages and work on a day of its window are tried: the visit added to each
of their trips in the plan at each place in its order (re-timed as a chained trip), or a single trip on a day
they have none. The change that lowers the week's objective most is taken (a visit covered is worth its weight,
``model.UNCOVERED``, against the travel and days it adds), so the objective only falls. The new trips are added to
the candidates, where the repair and the plan JSON find them.
"""
from __future__ import annotations

import time as clock
from collections import defaultdict

from ..core.records import Visit
from .candidates import CandidateGenerator, Candidates, Column, declined, relevant_people
from .greedy import greedy_order
from .instance import WeekInstance
from .model import column_score, plan_value

# The nearest qualified people tried per visit left out, and the longest trip made by adding a visit (a
# candidate chain's longest, ``CandidateGenerator.max_chain``).
INSERT_PEOPLE = 24
INSERT_MAX_STOPS = 4


def insert_left_out(inst: WeekInstance, cands: Candidates, chosen: list[int], deadline: float
                    ) -> tuple[list[int], int]:
    """The plan ``chosen`` with visits it leaves out added where they fit (see the module docstring), and how many
    were added. New trips are appended to ``cands``."""
    generator = CandidateGenerator(inst)
    cols = cands.columns
    known = {c: i for i, c in enumerate(cols)}
    chosen = sorted(chosen)
    covered = {v for i in chosen for v in cols[i].visits}
    pinned = {p.visit for p in inst.pins}

    def value(trips: list[Column]) -> int:
        """The objective of one person's trips alone: a change to them changes the week's by as much (their
        trips, travel days and visits are theirs alone; every other visit counts as left out either way)."""
        return plan_value(inst, Candidates(trips, {}, {}, {}, {}), range(len(trips)),
                          lambda i: column_score(inst, cands, trips[i]))

    added = 0
    for visit in sorted(inst.visits, key=greedy_order):
        if clock.perf_counter() > deadline:
            break
        if visit.id in covered or visit.id in pinned or visit.staff_needed > 1 or not cands.by_visit.get(visit.id):
            continue
        best = None  # (change in the objective, old column or None, new column)
        for old, column in _options(inst, cands, generator, chosen, visit):
            theirs = [cols[i] for i in chosen if cols[i].staff == column.staff]
            kept = [c for c in theirs if old is None or c is not cols[old]]
            change = value(kept + [column]) - value(theirs)
            if change < 0 and (best is None or change < best[0]):
                best = (change, old, column)
        if best is None:
            continue
        _, old, column = best
        index = known.get(column)
        if index is None:
            index = known[column] = cands.add(column)
        chosen = sorted([i for i in chosen if i != old] + [index])
        covered.update(column.visits)
        added += 1
    return chosen, added


def _options(inst: WeekInstance, cands: Candidates, generator: CandidateGenerator, chosen: list[int], visit: Visit):
    """(the plan's trip replaced or None, the new trip) for ``visit``: each of the ``INSERT_PEOPLE`` nearest
    qualified people's trips with the visit added, or a single trip on a day of theirs with none."""
    cols = cands.columns
    days = cands.days[visit.id]
    trips: dict[str, list[int]] = defaultdict(list)
    for i in chosen:
        trips[cols[i].staff].append(i)
    for person in relevant_people(inst, visit, INSERT_PEOPLE, 0):  # one-person visits: qualified alone, nearest
        if any((person.id, visit.id, d) in inst.declined for d in days):
            continue
        office = inst.office_of(person)
        taken = {d for i in trips[person.id] for d in cols[i].days}
        for day in days:
            if day not in taken:
                for column in generator.single_columns(person, visit, day):
                    if not taken & set(column.days):
                        yield None, column
        for i in trips[person.id]:
            old = cols[i]
            if len(old.stops) >= INSERT_MAX_STOPS or not _alone(inst, old):
                continue
            others = taken - set(old.days)
            for column in _extended(inst, cands, generator, person, office, old, visit):
                if not others & set(column.days):
                    yield i, column


def _alone(inst: WeekInstance, column: Column) -> bool:
    """Whether every visit on the trip is one person's and not pinned (a team's start and a pinned meeting stay)."""
    pinned = {p.visit for p in inst.pins}
    return all(inst.visit_by_id[v].staff_needed == 1 and v not in pinned for v in column.visits)


def _extended(inst: WeekInstance, cands: Candidates, generator: CandidateGenerator, person, office, old: Column,
              visit: Visit):
    """``old`` with ``visit`` put at each place in its order, each timed as a chained trip from the day of its first
    meeting (when that is a day of the first visit's window)."""
    order = [inst.visit_by_id[v] for v in old.visits]
    hours = person.pattern
    for k in range(len(order) + 1):
        visits = order[:k] + [visit] + order[k:]
        for day in sorted(set(old.days) | set(cands.days[visit.id])):
            start = hours.get(day.weekday())
            if not start:
                continue
            plan = generator.time_chain(office, visits, day, start[0], cands.days)
            column = generator.chain_column(person, office, plan) if plan else None
            if column is not None and not declined(inst, column):
                yield column

