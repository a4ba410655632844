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

Then each visit still left out, a team's too, gets single trips of the nearest people with no trip that day
(``insert_free_people``): a big week's candidates give it trips for its nearest people only, whose offices may be
full that week while a farther office has people free. Last, a visit whose qualified people are all busy may be
taken by one of them, relieved of a trip whose visits go to people free on a day of theirs
(``insert_relieving``).
"""
from __future__ import annotations

import time as clock
from collections import defaultdict

from ..core.records import Visit
from .candidates import CandidateGenerator, Candidates, Column, declined
from .relevance import relevant_people
from .greedy import best_team, greedy_order
from .instance import WeekInstance
from .model import column_score, plan_value

# The nearest qualified people tried per visit left out, and the longest trip made by adding a visit (a
# candidate chain's longest, ``CandidateGenerator.max_chain``).
INSERT_PEOPLE = 24
INSERT_MAX_STOPS = 4
# The nearest people free in the plan on a day of a visit's window given trips to it, and the nearest such holders
# of each skill and language it needs.
FREE_PEOPLE = 24
FREE_HOLDERS = 3
# The nearest people busy in the plan on a day of a visit's window who may be relieved of a trip to take it, and
# the nearest such holders of each skill and language it needs.
RELIEVE_PEOPLE = 6
RELIEVE_HOLDERS = 3


def insert_left_out(inst: WeekInstance, cands: Candidates, chosen: list[int], deadline: float
                    ) -> tuple[list[int], int]:
    """The plan ``chosen`` with visits it leaves out added where they fit (see the module docstring), and how many
    were added. New trips are appended to ``cands``."""
    return _insert_each(inst, cands, chosen, deadline, _best_fit)


def insert_free_people(inst: WeekInstance, cands: Candidates, chosen: list[int], deadline: float
                       ) -> tuple[list[int], int]:
    """The plan ``chosen`` with visits it leaves out covered by single trips of people with no trip in the plan
    that day, where that lowers the week's objective, and how many were covered. For each such visit (most urgent
    first; with some candidate trip, so that the week's LP has its row), the ``FREE_PEOPLE`` nearest people with no
    trip on some day of its window (and the ``FREE_HOLDERS`` nearest such holders of each skill and language it
    needs) get their single trips to it on those days, the candidates' or new ones, and the cheapest team at one
    common start among them is taken (``greedy.best_team``). New trips are appended to ``cands``."""
    return _insert_each(inst, cands, chosen, deadline, _free_team)


def insert_relieving(inst: WeekInstance, cands: Candidates, chosen: list[int], deadline: float
                     ) -> tuple[list[int], int]:
    """The plan ``chosen`` with visits it leaves out taken by people relieved of a trip, where that lowers the
    week's objective, and how many were covered. For each such visit (as ``insert_free_people``), each of the
    ``RELIEVE_PEOPLE`` nearest people busy on a day of its window (and the ``RELIEVE_HOLDERS`` nearest such
    holders of each skill and language it needs) may hand the trip of theirs that day, of one-person visits and
    none pinned, over to people free on a day of each visit's window, a visit each by a single trip (the
    cheapest of the ``FREE_PEOPLE`` nearest), and take the visit instead; the cheapest team of such people and
    people free that day is taken (``greedy.best_team``, each relieved person's trip scored with what handing
    theirs over costs).
    A visit whose rare skill's few holders are all busy is covered so, where the plan would leave it out. New
    trips are appended to ``cands``."""
    return _insert_each(inst, cands, chosen, deadline, _relieved_team)


def _insert_each(inst: WeekInstance, cands: Candidates, chosen: list[int], deadline: float, change
                 ) -> tuple[list[int], int]:
    """The plan ``chosen`` with each visit left out (``_left_out``) covered by ``change(inst, cands, generator,
    chosen, visit)``, when it gives one: the plan's trips it replaces and the new trips. Returns the plan and how
    many visits were covered."""
    generator = CandidateGenerator(inst)
    known = {c: i for i, c in enumerate(cands.columns)}
    chosen = sorted(chosen)
    covered = {v for i in chosen for v in cands.columns[i].visits}
    added = 0
    for visit in _left_out(inst, cands, covered, deadline):
        found = change(inst, cands, generator, chosen, visit)
        if found is None:
            continue
        olds, trips = found
        chosen = sorted([i for i in chosen if i not in olds] + [_index(cands, known, column) for column in trips])
        covered.add(visit.id)
        added += 1
    return chosen, added


def _best_fit(inst: WeekInstance, cands: Candidates, generator: CandidateGenerator, chosen: list[int], visit: Visit):
    """A one-person visit's change that lowers the objective most (``_options``), or None."""
    if visit.staff_needed > 1:
        return None
    cols = cands.columns
    best = None  # (change in the objective, old column or None, new column)
    for old, column in _options(inst, cands, generator, chosen, visit):
        theirs = [cols[i] for i in chosen if cols[i].staff == column.staff]
        kept = [c for c in theirs if old is None or c is not cols[old]]
        change = _value(inst, cands, kept + [column]) - _value(inst, cands, theirs)
        if change < 0 and (best is None or change < best[0]):
            best = (change, old, column)
    return None if best is None else ([] if best[1] is None else [best[1]], [best[2]])


def _free_team(inst: WeekInstance, cands: Candidates, generator: CandidateGenerator, chosen: list[int], visit: Visit):
    """The cheapest team of people free that day for ``visit`` (``insert_free_people``), when it lowers the
    objective; or None."""
    cols = cands.columns
    taken = {(cols[i].staff, d) for i in chosen for d in cols[i].days}
    options = _free_options(inst, cands, generator, visit, taken)
    scores = {k: column_score(inst, cands, c) for k, c in enumerate(options)}
    team = best_team(inst, cands, visit, list(range(len(options))), scores, options)
    if team is None:
        return None
    trips = [options[k] for k in team]
    return ([], trips) if _lowers(inst, cands, chosen, [], trips) else None


def _relieved_team(inst: WeekInstance, cands: Candidates, generator: CandidateGenerator, chosen: list[int],
                   visit: Visit):
    """The cheapest team for ``visit`` of people free that day and people relieved of a trip of the plan, whose
    visits each go to someone free that day (``insert_relieving``), when it lowers the objective; or None."""
    cols = cands.columns
    taken = {(cols[i].staff, d) for i in chosen for d in cols[i].days}
    options = _free_options(inst, cands, generator, visit, taken)
    reliefs: list[int | None] = [None] * len(options)  # the plan's trip each option's person is relieved of
    handed: dict[int, list[Column] | None] = {}  # that trip's visits' new trips
    day_trip = {(cols[i].staff, d): i for i in chosen for d in cols[i].days}
    for person in relevant_people(inst, visit, RELIEVE_PEOPLE, RELIEVE_HOLDERS,
                                  usable=lambda p: any((p.id, d) in taken for d in cands.days[visit.id])):
        for old in sorted({day_trip[person.id, d] for d in cands.days[visit.id] if (person.id, d) in day_trip}):
            if not _alone(inst, cols[old]):
                continue
            freed = taken - {(person.id, d) for d in cols[old].days}
            theirs = [c for c in _singles(inst, cands, generator, person, visit, freed)
                      if set(c.days) & set(cols[old].days)]
            if theirs and old not in handed:
                handed[old] = _handed_over(inst, cands, generator, cols[old], taken)
            if theirs and handed[old] is not None:
                options += theirs
                reliefs += [old] * len(theirs)
    scores = {k: column_score(inst, cands, c) + _relief_cost(inst, cands, reliefs[k], handed)
              for k, c in enumerate(options)}
    team = best_team(inst, cands, visit, list(range(len(options))), scores, options)
    if team is None or all(reliefs[k] is None for k in team):  # (a team of free people alone: ``_free_team``)
        return None
    olds = sorted({reliefs[k] for k in team if reliefs[k] is not None})
    trips = [options[k] for k in team]
    for old in olds:  # handed over again around the team's trips and each other (each was chosen alone)
        more = _handed_over(inst, cands, generator, cols[old], taken | {(c.staff, d) for c in trips for d in c.days})
        if more is None:
            return None
        trips += more
    return (olds, trips) if _lowers(inst, cands, chosen, olds, trips) else None


def _lowers(inst: WeekInstance, cands: Candidates, chosen: list[int], olds: list[int], trips: list[Column]) -> bool:
    """Whether the plan ``chosen`` with its trips ``olds`` replaced by ``trips`` has a lower objective: the trips
    of the people concerned, before and after (every relieved person has a trip among ``trips``)."""
    cols = cands.columns
    people = {c.staff for c in trips}
    theirs = [i for i in chosen if cols[i].staff in people]
    return _value(inst, cands, [cols[i] for i in theirs if i not in olds] + trips) < _value(
        inst, cands, [cols[i] for i in theirs])


def _handed_over(inst: WeekInstance, cands: Candidates, generator: CandidateGenerator, trip: Column, taken: set
                 ) -> list[Column] | None:
    """For each visit of the plan's ``trip``, the cheapest single trip of someone else free on a day of its window
    (and not given another of these visits that day), or None when some visit finds none."""
    handed, busy = [], set(taken)
    for vid in trip.visits:
        visit = inst.visit_by_id[vid]
        options = [c for c in _free_options(inst, cands, generator, visit, busy) if c.staff != trip.staff]
        if not options:
            return None
        best = min(options, key=lambda c: (column_score(inst, cands, c), c.staff))
        handed.append(best)
        busy.update((best.staff, d) for d in best.days)
    return handed


def _relief_cost(inst: WeekInstance, cands: Candidates, old: int | None, handed: dict) -> int:
    """What relieving someone of the plan's trip ``old`` adds to the scores (its visits' new trips, ``handed``,
    less the trip taken away); 0 for no trip."""
    if old is None:
        return 0
    return sum(column_score(inst, cands, c) for c in handed[old]) - column_score(inst, cands, cands.columns[old])


def _free_options(inst: WeekInstance, cands: Candidates, generator: CandidateGenerator, visit: Visit, taken: set
                  ) -> list[Column]:
    """The single trips to ``visit`` of the people free in the plan (``taken``) on a day of its window
    (``_free_in_plan``), on those days."""
    return [c for person in _free_in_plan(inst, cands, visit, taken)
            for c in _singles(inst, cands, generator, person, visit, taken)]


def _singles(inst: WeekInstance, cands: Candidates, generator: CandidateGenerator, person, visit: Visit, taken: set
             ) -> list[Column]:
    """``person``'s single trips to ``visit`` on days of its window they have free (``taken``), unless declined."""
    if any((person.id, visit.id, d) in inst.declined for d in cands.days[visit.id]):
        return []
    return [c for day in cands.days[visit.id] if (person.id, day) not in taken
            for c in generator.single_columns(person, visit, day) if not any((person.id, d) in taken for d in c.days)]


def _left_out(inst: WeekInstance, cands: Candidates, covered: set[str], deadline: float):
    """The visits an insertion tries, most urgent first, until ``deadline``: not in ``covered`` (which the caller
    keeps up to date), not pinned, and with some candidate trip (so that the week's LP has its row)."""
    pinned = {p.visit for p in inst.pins}
    for visit in sorted(inst.visits, key=greedy_order):
        if clock.perf_counter() > deadline:
            return
        if visit.id not in covered and visit.id not in pinned and cands.by_visit.get(visit.id):
            yield visit


def _index(cands: Candidates, known: dict, column: Column) -> int:
    """``column``'s index among the candidates (``known``), appended when it is new."""
    index = known.get(column)
    if index is None:
        index = known[column] = cands.add(column)
    return index


def _value(inst: WeekInstance, cands: Candidates, trips: list[Column]) -> int:
    """The objective of some people's trips alone: a change to them changes the week's by as much (their trips,
    travel days and visits are theirs alone; every other visit counts as left out either way)."""
    return plan_value(inst, Candidates(trips, {}, {}, {}, {}), range(len(trips)),
                      lambda i: column_score(inst, cands, trips[i]))


def _free_in_plan(inst: WeekInstance, cands: Candidates, visit: Visit, taken: set) -> list:
    """The ``FREE_PEOPLE`` nearest of the people who can work on a day of ``visit``'s window with no trip that day in
    the plan (``taken``), with the ``FREE_HOLDERS`` nearest such holders of each skill and language it needs; for a
    one-person visit, only those qualified alone."""
    return relevant_people(inst, visit, FREE_PEOPLE, FREE_HOLDERS,
                           usable=lambda p: any((p.id, d) not in taken for d in cands.days[visit.id]))


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
        for column in _singles(inst, cands, generator, person, visit, {(person.id, d) for d in taken}):
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

