"""Pricing: whether a trip outside the candidates could improve a plan proven optimal over them (issue 14: the
real team's week is optimal over *every* trip the rules allow, and the plan JSON says so).

The candidates of a small week ("every trip", ``sizing``) hold every single trip and chains of up to
``max_chain`` visits built from each visit's nearest neighbours; a chain of five visits, or of four in an
order the generator did not try, is not among them. So, while CP-SAT searches (``run``: in a thread), every
chain the rules allow is made, person by person and day by day: each sequence of visits the
person may do, timed as the planner times chains (``chain_timing``: a day, or a tour of up to ``max_tour_days``
with hotel nights), one visit longer at a time, and stopped where its meetings no longer fit (a longer chain
cannot fit either). A week with more chains than ``MAX_CHAIN_STEPS`` makes (the real team's size has millions)
has them searched under each LP instead (``chain_bound``): a chain grows only while a bound on every chain going
on from it is below the bar, so the search finds the same trips below it without making the others.

These trips are made once (``Outside``) and, when CP-SAT has proven a plan optimal over the candidates, priced
against the week's LP (``bound.week_lp``), as in column generation (price and branch):

1. trips with a negative reduced cost join the candidates and the LP is solved again, until none is left
   (``converge``; then the LP's optimum ``z`` is the optimum over every trip, with duals ``y`` under which no
   trip outside has a negative reduced cost); when some joined, CP-SAT solves the week again with them;
2. CP-SAT has proven a plan of objective ``upper`` optimal over the candidates (``solve``);
3. any plan ``X`` using trips outside costs at least ``z`` plus their reduced costs (every other term of
   ``c·X − y·A·X`` is non-negative at the LP's optimum; ``LpRows.outside_reduced_cost`` subtracts what their
   companions, a team's new common start or a visit without a cover row, could take off). The objective is a
   whole number of model units, so when each trip left outside has a reduced cost of at least
   ``max(0, upper − z − 1 + ε)``, no plan using any of them is better than the plan: it is optimal over every
   trip (``optimal_over: "all trips"``). The trips below that bar join the candidates and the week is solved
   again (``run``), until none is left or the time is up.
"""
from __future__ import annotations

import time as clock
from dataclasses import replace
from datetime import timedelta

from ..core.availability import days as days_between
from .bound import LpRelaxation, week_lp
from .candidates import CandidateGenerator, Candidates, Column, declined
from .chain_bound import ChainSearch, TimeUp
from .instance import WeekInstance
from .model import column_score

# What floating point may leave in the LP's optimum and duals (model units; the objective counts whole tenths of a
# minute).
TOLERANCE = 1e-6
# At most this many trips join the candidates in one round of ``converge`` (the lowest reduced costs first).
LP_ROUND = 200
# In a round of ``converge``, the most trips a person's search (``chain_bound``) finds before it stops: their others
# wait for the next LP, whose duals price them better. Measured on generated 30-visit weeks (seeds 1, 2, 4, 5): with
# 50, seeds 1, 5 and 2 were proven over all trips in 9.6, 6.6 and 5.2 s; with 20 in 15.6, 8.4 and 5.5 s; with no
# such stop in 10.1, 9.5 and 5.3 s (seed 4's search, whose first rounds took 13 s, in 29.5 s against 20.9 s).
PERSON_ROUND = 50
# The most steps (a chain tried one visit longer) spent making every chain one by one; past them the chains are
# searched under each LP instead (``chain_bound``), which grows a chain only while it could still get below the
# bar. A count, so that every machine takes the same path on the same week. Measured in-process (2-core machine):
# the demo week is proven over all trips in 2.4 s by the search against 3.3 s by making its 13,126 chains (about
# 170,000 steps); a generated 30-visit week of the real team's size has more chains than 300,000 steps make.
MAX_CHAIN_STEPS = 20_000


class Outside:
    """The trips the rules allow that are not among the candidates: made one by one (``trips``), or, when
    ``MAX_CHAIN_STEPS`` runs out first, searched under each LP (``search``: ``chain_bound``); both None when the
    time ran out."""

    def __init__(self, inst: WeekInstance, cands: Candidates, generator: CandidateGenerator, deadline: float):
        self.inst = inst
        self.search: ChainSearch | None = None
        try:
            self.trips: list[Column] | None = _chains_outside(inst, cands, generator, deadline)
        except _TooMany:
            self.trips = None
            self.search = ChainSearch(inst, cands, generator, _same_rows)
        self.made = len(self.trips) if self.trips is not None else 0
        self.added = 0
        self._entries: dict[Column, list] = {}
        self._converged: tuple[int, LpRelaxation] | None = None  # (the candidates' count, their LP) when converged
        self._beside: list[Column] = []

    def converge_beside(self, cands: Candidates, deadline: float) -> None:
        """``converge`` on a copy of ``cands`` while the week is searched (``run``: in the pricing thread); the
        trips it takes join ``cands`` at the next ``converge``, whose LP it is then when none joined since."""
        if self.trips is None and self.search is None:
            return
        copy = replace(cands, columns=list(cands.columns), by_visit={v: list(i) for v, i in cands.by_visit.items()})
        before = len(copy.columns)
        if self.converge(copy, deadline) is None:
            self._converged = None
        self._beside = copy.columns[before:]

    def converge(self, cands: Candidates, deadline: float) -> LpRelaxation | None:
        """Step 1: the LP over the candidates and every trip outside them with a negative reduced cost, which
        join the candidates (``LP_ROUND`` a round) until none is left: that LP, or None at ``deadline``. The LP
        is kept while no trip joins the candidates (the week solved again with the trips it took asks again)."""
        for column in self._beside:  # the trips the LP took beside the search, in the order it took them
            cands.add(column)
        self._beside = []
        if self._converged is not None and self._converged[0] == len(cands.columns):
            return self._converged[1]
        while clock.perf_counter() < deadline:
            # the exact team starts: ``LpRows.outside_reduced_cost`` prices a trip against their rows
            relax = week_lp(self.inst, cands, time_limit=max(0.1, deadline - clock.perf_counter()), teams="starts")
            if relax is None:
                return None
            lowest = self.below(cands, relax, -TOLERANCE, deadline, keep=LP_ROUND)
            if lowest is None:
                return None
            if not self.join(cands, lowest[:LP_ROUND]):
                self._converged = (len(cands.columns), relax)
                return relax
        return None

    def below(self, cands: Candidates, relax: LpRelaxation, bar: float, deadline: float = float("inf"),
              keep: int | None = None, most: float = float("inf")) -> list[Column] | None:
        """The trips outside priced below ``bar`` by ``relax`` (the LP of ``cands``), lowest first (at most the
        ``keep`` lowest, when given; a search may stop at more than ``most``); None when the search did not end by
        ``deadline``."""
        if self.search is not None:
            before = self.search.priced
            try:
                found = self.search.below(cands, relax.rows, relax.rows.duals(), bar, keep, deadline,
                                          None if keep is None else PERSON_ROUND, most)
            except TimeUp:
                return None
            finally:
                self.made += self.search.priced - before
            return [column for _rc, _n, column in found]
        rows, duals, priced = relax.rows, relax.rows.duals(), []
        for n, column in enumerate(self.trips or ()):
            if column not in self._entries:  # a trip's rows are the same in every LP of the week
                self._entries[column] = rows.entries(self.inst, column)
            score, entries = column_score(self.inst, cands, column), self._entries[column]
            priced.append((rows.outside_reduced_cost(self.inst, column, score, entries, duals), n, column))
        return [c for rc, _n, c in sorted(priced) if rc < bar]

    def proof_bar(self, relax: LpRelaxation, upper: float) -> float:
        """Step 3's bar for a plan of objective ``upper`` (model units, without ``PlanModel.constant``)."""
        return max(0.0, upper - relax.value - 1 + TOLERANCE * max(1.0, abs(upper)))

    def join(self, cands: Candidates, trips: list[Column]) -> int:
        """Moves ``trips`` into the candidates; how many."""
        for column in trips:
            cands.add(column)
        taken = set(trips)
        if self.trips is not None:
            self.trips = [c for c in self.trips if c not in taken]
        self.added += len(trips)
        return len(trips)


class _TooMany(Exception):
    """More chains than ``MAX_CHAIN_STEPS`` makes."""


def _chains_outside(inst: WeekInstance, cands: Candidates, generator: CandidateGenerator,
                    deadline: float) -> list[Column] | None:
    """Every chain of two visits or more the rules allow each person, timed as ``time_chain`` times it (grown a
    visit at a time: ``chain_timing``), that is not among ``cands``; None at ``deadline``; raises ``_TooMany`` after
    ``MAX_CHAIN_STEPS``."""
    timer = generator.timer
    known = set(cands.columns)
    relevant = {vid: set(pids) for vid, pids in cands.relevant.items()}
    week = days_between(inst.monday, inst.monday + timedelta(4))
    trips, steps = [], 0
    for person in sorted(inst.staff, key=lambda p: p.id):
        office = inst.office_of(person)
        theirs = [v for v in inst.visits if person.id in relevant.get(v.id, ())]
        for day in week:
            hours = person.pattern.get(day.weekday())
            if not hours:
                continue
            firsts = (timer.start(office, v, day, hours[0], cands.days) for v in reversed(theirs))
            stack = [chain for chain in firsts if chain is not None]
            while stack:
                steps += len(theirs)
                if clock.perf_counter() > deadline:
                    return None
                if steps > MAX_CHAIN_STEPS:
                    raise _TooMany
                chain = stack.pop()
                for visit in theirs:
                    longer = None if visit in chain.visits else timer.then(chain, visit, cands.days)
                    if longer is None:  # nor does any chain that goes on from it fit
                        continue
                    stack.append(longer)
                    plan = timer.home(longer)
                    column = generator.chain_column(person, office, plan) if plan is not None else None
                    if column is not None and column not in known and not declined(inst, column):
                        known.add(column)
                        trips.append(column)
    return _cheapest_order(inst, cands, trips)


def _cheapest_order(inst: WeekInstance, cands: Candidates, trips: list[Column]) -> list[Column]:
    """``trips`` but those that enter the same rows as a cheaper trip, among them or the candidates (or as an
    equally cheap one before them): only the cheapest can be in a best plan, so the proof need not price the
    others, and a week gets the same trips whatever order they were made in."""
    best: dict[tuple, tuple[int, int]] = {}
    for n, column in enumerate(cands.columns + trips):
        key = _same_rows(inst, column)
        if key is not None:
            here = (column_score(inst, cands, column), n)
            best[key] = min(best.get(key, here), here)
    first = len(cands.columns)
    return [c for n, c in enumerate(trips, first)
            if (key := _same_rows(inst, c)) is None or best[key][1] == n]


def _same_rows(inst: WeekInstance, column: Column) -> tuple | None:
    """What makes two trips enter the same rows of the LP and the CP-SAT model (the person, the visits in any
    order, the days), when no visit's start time matters to a row (a team's common start, a pin); None
    otherwise."""
    if any(inst.visit_by_id[v].staff_needed > 1 for v in column.visits) or any(
            pin.visit in column.visits for pin in inst.pins):
        return None
    return column.staff, frozenset(column.visits), column.days
