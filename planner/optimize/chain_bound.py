"""The chains outside the candidates below a bar, found by a search that stops where no chain going on could get
below it (``pricing``: weeks whose chains are too many to make one by one, such as the real team's size).

A chain is grown one visit at a time, timed exactly as ``chain_timing`` times it. Its reduced cost is a sum of
parts that each step adds: each journey's minutes and euros, each meeting's terms less its rows' duals, each night
away (its hotel, its weight and its day's rows); only the daily allowance is not, and it only grows with the time
away and the reach. So a partial chain's parts so far, its allowance so far, plus the least any way of going on
could add (``_Round.rest``) bound every chain that goes on from it. That least follows paths, not sets of visits:
home, or on to another visit the same day or the next, meeting by meeting in time (a meeting starts on a quarter
hour inside its day's window, after the previous one and the journey), within the days the tour has left. It
relaxes only what keeps it a bound: a visit may come again once the way on has left its nearest visits (an
ng-route memory of ``NEAR``), the longest day and the person's free time around the meetings are not checked, a
next day's meeting may start at the window's opening, and a night the rules would force is optional. Where the
bound is at or above the bar (or above the ``keep`` lowest found so far), the chain is grown no further; the
lowest bound is grown first, and a way on is tried only when the bound's own step to it leaves room.

Decision 0022 has the measurements; the searches measured before it are in decisions 0017 and 0018.
"""
from __future__ import annotations

import heapq
import time as clock
from datetime import date, datetime, timedelta

from ..core.costs import daily_allowance
from ..core.timing import meeting_window
from .candidates import CandidateGenerator, Candidates, declined
from .instance import WeekInstance
from .lp_rows import LpRows
from .model import COST_PER_EUR, NIGHT, SCALE, TRAVEL_PER_MINUTE, column_score, stop_terms

SLOT = 15  # meetings start on the quarter hours (``round_up``)
INF = float("inf")
# How many of a visit's nearest visits (its own included) the way on remembers having met (the ng-route memory):
# more remember more but make more states to bound. On a 30-visit week of the real team's size, 1 (no memory) made
# the search take 568,576 steps to show no chain below 0, 6 took 68,708 and 10 took 36,187.
NEAR = 6
# What a chain's score may lie below the sum of its parts: its travel minutes are counted whole (less than one
# minute) and the score is rounded to a whole unit (half a unit).
ROUNDING = SCALE * TRAVEL_PER_MINUTE + 0.5 + 1e-6


class TimeUp(Exception):
    """The search reached its deadline."""


class ChainSearch:
    """The chains of ``cands``' week the rules allow, searched per person under each LP's duals (``below``)."""

    def __init__(self, inst: WeekInstance, cands: Candidates, generator: CandidateGenerator, same_rows):
        """``same_rows``: what makes two trips enter the same rows (``pricing._same_rows``); of such trips only
        the cheapest can be in a best plan, so a dearer one is not priced."""
        self.inst, self.cands, self.generator, self.same_rows = inst, cands, generator, same_rows
        self.timer = generator.timer
        self.steps = 0
        self.priced = 0
        self._theirs, self._enough, self._most = 0, INF, INF
        self._people: dict[str, _Person] = {}
        relevant = {vid: set(pids) for vid, pids in cands.relevant.items()}
        for person in sorted(inst.staff, key=lambda p: p.id):
            theirs = [v for v in inst.visits if person.id in relevant.get(v.id, ())]
            if len(theirs) > 1:
                self._people[person.id] = _Person(self, person, theirs)

    def below(self, cands: Candidates, rows: LpRows, duals: dict, bar: float, keep: int | None, deadline: float,
              enough: int | None = None, most: float = INF) -> list[tuple]:
        """The chains outside ``cands`` (the week's candidates, or a copy with more) whose
        ``outside_reduced_cost`` under ``duals`` is below ``bar`` (at most the ``keep`` lowest, when given), lowest
        first, as (reduced cost, column); raises ``TimeUp`` at ``deadline``. With ``enough``, a person's search
        stops once it has found that many (their others wait for the next LP), so only an empty answer is sure to
        be the whole search; and it stops once it has found more than ``most``."""
        found: list[tuple] = []  # a heap of (−reduced cost, −n, column): the highest on top
        known = set(cands.columns)
        self._cheapest = {}
        for column in cands.columns:
            self._cheaper(column)
        for person in self._people.values():
            kept = _Round(person, rows, duals, deadline)
            self._theirs, self._enough, self._most = 0, INF if enough is None else enough, most
            for day in person.days[:5]:
                hours = person.person.pattern.get(day.weekday())
                if hours:
                    self._grow(kept, day, hours[0], bar, keep, found, known, deadline)
        return sorted((-rc, n, column) for rc, n, column in found)

    def _grow(self, kept: "_Round", day: date, work_start, bar: float, keep: int | None, found: list,
              known: set, deadline: float) -> None:
        """Every chain of ``kept``'s person whose first meeting is on ``day``, as far as the bound lets them
        grow."""
        timer, days_of, person = self.timer, self.cands.days, kept.person
        tour, settings, k = timer.max_tour_days, self.inst.settings, person.day_index[day]

        def node(chain, parts: float, reach: float, last: int) -> tuple:
            """``chain`` with its bound on every chain going on from it (itself included)."""
            end = person.minute(chain.end)
            floor = parts - ROUNDING + SCALE * COST_PER_EUR * daily_allowance(
                (end - person.minute(chain.depart)) / 60, reach, settings)  # the allowance only grows
            mem = person.memory(chain.visits)
            left = tour - 1 - (chain.today - chain.first_day).days
            today = person.day_index[chain.today]
            return floor + kept.rest(last, today, end, left, mem), chain, parts, reach, last, mem, floor, end, left

        firsts = []
        for i in range(len(person.visits)):
            chain = timer.start(person.office, person.visits[i], day, work_start, days_of)
            meet = kept.stop[k][i] if chain is not None else None
            if meet is None or person.mins[k][person.home][i] is None:
                continue
            parts = kept.base(k) + person.cost[k][person.home][i] + meet + (kept.night(k - 1) if chain.nights else 0)
            firsts.append(node(chain, parts, person.km[k][person.home][i], i))
        # the most promising on top: the lowest chains are found first, and the ``keep`` lowest bar the rest sooner
        stack = sorted(firsts, key=lambda n: -n[0])
        while stack:
            self.steps += 1
            if self.steps % 256 == 0 and clock.perf_counter() > deadline:
                raise TimeUp
            bound, chain, parts, reach, last, mem, floor, end, left = stack.pop()
            if self._theirs >= self._enough or len(found) > self._most:
                return
            limit = bar if keep is None or len(found) < keep else min(bar, -found[0][0])
            if bound >= limit:
                continue  # neither this chain nor any going on from it gets below the bar
            today = person.day_index[chain.today]
            home_by, home, home_later, same_day, next_day = kept.ways(last, today)
            if len(chain.visits) > 1 and floor + (home if end <= home_by else home_later) < limit:
                self._price(kept, chain, limit, keep, found, known)
            longer_ones = []
            for i in kept.worth_going_on(last, today, end, left, mem, limit - floor):
                visit = person.visits[i]
                if visit in chain.visits:
                    continue
                longer = timer.then(chain, visit, days_of)
                if longer is None:
                    continue
                k = person.day_index[longer.today]
                meet, cost = kept.stop[k][i], person.cost[k][last][i]
                if meet is None or cost is None:  # nor can any chain going on from it be a trip
                    continue
                step = parts + cost + meet + (kept.night(k) if k != today else 0)
                child = node(longer, step, max(reach, person.km[k][last][i]), i)
                if child[0] < limit:
                    longer_ones.append(child)
            stack += sorted(longer_ones, key=lambda n: -n[0])

    def _price(self, kept: "_Round", chain, limit: float, keep: int | None, found: list, known: set) -> None:
        plan = self.timer.home(chain)
        if plan is None:
            return
        inst, rows = self.inst, kept.rows
        column = self.generator.chain_column(kept.person.person, kept.person.office, plan)
        if column is None or column in known or declined(inst, column):
            return
        score = column_score(inst, self.cands, column)
        if not self._cheaper(column, score):
            return
        self.priced += 1
        rc = rows.outside_reduced_cost(inst, column, score, rows.entries(inst, column), kept.duals)
        if rc < limit:
            known.add(column)
            heapq.heappush(found, (-rc, -self.priced, column))
            self._theirs += 1
            if keep is not None and len(found) > keep:
                heapq.heappop(found)

    def _cheaper(self, column, score: float | None = None) -> bool:
        """Whether no trip seen before enters the same rows as ``column`` at its score or less (and remembers
        it)."""
        key = self.same_rows(self.inst, column)
        if key is None:
            return True
        score = column_score(self.inst, self.cands, column) if score is None else score
        if self._cheapest.get(key, INF) <= score:
            return False
        self._cheapest[key] = score
        return True


class _Person:
    """One person's side of the search that the duals do not change: their visits (index ``home`` is their
    office), the days of the week, and on each day each journey's whole minutes, its parts of the score (model
    units) and its kilometres, None when unroutable."""

    def __init__(self, search: ChainSearch, person, visits: list):
        inst = search.inst
        self.inst, self.person, self.visits, self.office = inst, person, visits, inst.office_of(person)
        self.home = len(visits)
        self.days = [inst.monday + timedelta(n) for n in range(8)]
        self.day_index = {day: n for n, day in enumerate(self.days)}
        self.minute = inst.minute
        places = visits + [self.office]
        networks = {}  # most days run as the Monday does (``travel_on``)
        for day in self.days:
            travel = inst.travel_on(day)
            if id(travel) not in networks:
                networks[id(travel)] = self._journeys(travel, places)
        self.mins, self.cost, self.km = zip(*(networks[id(inst.travel_on(day))] for day in self.days))
        s = inst.settings
        self.opens = [self.minute(meeting_window(day, s)[0]) for day in self.days]
        self.closes = [self.minute(meeting_window(day, s)[1]) for day in self.days]
        self.latest_return = [self.minute(datetime.combine(day, s.latest_return)) for day in self.days]
        self.longest = s.longest_day_minutes
        self.night = SCALE * (NIGHT + COST_PER_EUR * s.hotel_night_eur)  # a night's hotel and weight
        self.index = {v.id: i for i, v in enumerate(visits)}
        self.bit = [1 << i for i in range(len(visits))]
        monday = self.mins[0]
        self.near = [sum(1 << j for _m, j in sorted((monday[i][j] if monday[i][j] is not None else INF, j)
                                                   for j in range(len(visits)))[:NEAR])
                     for i in range(len(visits))]
        self.terms = [[self._terms(search, v, day) for v in visits] for day in self.days]

    def _terms(self, search: ChainSearch, visit, day: date) -> float | None:
        """Meeting ``visit`` on ``day``: its terms of the score (model units); None when it cannot be met then
        (not one of its days, or the person is away)."""
        inst, cands, pid = search.inst, search.cands, self.person.id
        if day not in cands.days[visit.id] or inst.availability.unavailable_reason(pid, day, visit.on_aland):
            return None
        lateness, other_region, change = stop_terms(inst, cands, pid, visit, day)
        return SCALE * (lateness + other_region + change)

    @staticmethod
    def _journeys(travel, places: list) -> tuple[list, list, list]:
        mins, cost, km = [], [], []
        for a in places:
            journeys = [(travel.journey(a, b), travel.exact_minutes(a, b)) for b in places]
            mins.append([None if j is None else travel.minutes(a, b) for b, (j, _x) in zip(places, journeys)])
            cost.append([None if j is None else SCALE * (TRAVEL_PER_MINUTE * x + COST_PER_EUR * j.cost_eur)
                         for j, x in journeys])
            km.append([None if j is None else j.distance_km for j, _x in journeys])
        return mins, cost, km

    def memory(self, chain_visits) -> int:
        """The visits a chain's way on may not come back to: each visit met is remembered while the way on stays
        among its ``NEAR`` nearest (the ng-route memory)."""
        mem = 0
        for visit in chain_visits:
            i = self.index[visit.id]
            mem = (mem & self.near[i]) | self.bit[i]
        return mem


class _Round:
    """One person's parts of a chain's reduced cost under one LP's duals, and the least a chain can add from a
    meeting on (``rest``)."""

    def __init__(self, person: _Person, rows: LpRows, duals: dict, deadline: float):
        self.person, self.rows, self.duals, self.deadline = person, rows, duals, deadline
        pid = person.person.id
        self._days_dual = duals.get(("days", pid), 0.0)
        self._slot = [duals.get(("slot", pid, day), 0.0) for day in person.days]
        gains = [self._stop_duals(v) for v in person.visits]
        self.stop = [[None if t is None else t - g for t, g in zip(day_terms, gains)] for day_terms in person.terms]
        self._rest: dict[tuple, float] = {}
        self._ways: dict[tuple, tuple] = {}

    def _stop_duals(self, visit) -> float:
        """What the rows of ``visit`` met by this person can take off its chain's reduced cost, at most (as
        ``LpRows.entries`` and ``outside_reduced_cost`` count them; a pin's row taken when its dual is positive)."""
        d, person, vid, rows, inst = self.duals, self.person.person, visit.id, self.rows, self.person.inst
        gain = sum(d.get(key, 0.0) * coef for key, coef in rows.visit_rows(inst, vid, person))
        if (vid, person.id) in rows.pins:
            gain += max(0.0, d.get(("pin", vid, person.id), 0.0))
        return gain + rows.companions(inst, vid, d)

    def base(self, first: int) -> float:
        """A trip's first meeting day (an index of ``_Person.days``): in its person's rows for that day and their
        travel days."""
        return self._days_dual - self._slot[first]

    def night(self, added: int) -> float:
        """One more night away, which adds the day ``added`` (an index) to the trip."""
        return self.person.night + self._days_dual - (self._slot[added] if 0 <= added < len(self._slot) else 0.0)

    def rest(self, here: int, day: int, end: int, days_left: int, mem: int) -> float:
        """The least that going on from a meeting at visit ``here`` ending at minute ``end`` of the week on day
        ``day`` can add, with ``days_left`` more days in the tour and the visits ``mem`` met: home, or on to
        another visit the same day or the next."""
        key = (here, day, end, days_left, mem)
        kept = self._rest.get(key)
        if kept is not None:
            return kept
        if len(self._rest) % 1024 == 0 and clock.perf_counter() > self.deadline:
            raise TimeUp
        home_by, home, home_later, same_day, next_day = self.ways(here, day)
        best = home if end <= home_by else home_later
        rest = self.rest
        for j, bit, near, hop, step, dur, closes, opens in same_day:
            if not mem & bit:
                start = end + hop
                if start < opens:
                    start = opens
                start = -(-start // SLOT) * SLOT + dur
                if start <= closes:
                    value = step + rest(j, day, start, days_left, (mem & near) | bit)
                    if value < best:
                        best = value
        if days_left > 0:
            for j, bit, near, step, ends in next_day:
                if not mem & bit:
                    value = step + rest(j, day + 1, ends, days_left - 1, (mem & near) | bit)
                    if value < best:
                        best = value
        self._rest[key] = best
        return best

    def ways(self, here: int, day: int) -> tuple:
        ways = self._ways.get((here, day))
        if ways is None:
            ways = self._ways[(here, day)] = self._ways_from(here, day)
        return ways

    def worth_going_on(self, here: int, day: int, end: int, days_left: int, mem: int, room: float) -> list[int]:
        """The visits that a chain at ``here`` (as ``rest`` has it) may go on to while the least it then adds is
        below ``room``, in their order."""
        _by, _home, _later, same_day, next_day = self.ways(here, day)
        worth = set()
        for j, bit, near, hop, step, dur, closes, opens in same_day:
            if not mem & bit:
                ends = -(-max(end + hop, opens) // SLOT) * SLOT + dur
                if ends <= closes and step + self.rest(j, day, ends, days_left, (mem & near) | bit) < room:
                    worth.add(j)
        if days_left > 0:
            for j, bit, near, step, ends in next_day:
                if j not in worth and not mem & bit and \
                        step + self.rest(j, day + 1, ends, days_left - 1, (mem & near) | bit) < room:
                    worth.add(j)
        return sorted(worth)

    def _ways_from(self, here: int, day: int) -> tuple:
        """The ways on from visit ``here`` on day ``day`` that do not depend on the time: home (the latest end of
        the meeting to be back the same day, that way's parts, the next morning's), and each visit the same day
        (its journey's minutes, parts, meeting's minutes, the window) or the next (parts with the night, the end of
        a meeting at the window's opening)."""
        p = self.person
        back, cost = p.mins[day][here][p.home], p.cost[day][here][p.home]
        home_by, home, home_later = -1, INF, INF
        if back is not None:
            home_by, home = p.latest_return[day] - back, cost
            if back <= p.longest:
                home_later = cost + self.night(day + 1)
                home = min(home, home_later)
        same_day, next_day = [], []
        nxt = day + 1
        for j, visit in enumerate(p.visits):
            if j == here:
                continue
            dur = visit.duration_min
            if self.stop[day][j] is not None and p.mins[day][here][j] is not None:
                same_day.append((j, p.bit[j], p.near[j], p.mins[day][here][j], p.cost[day][here][j] + self.stop[day][j],
                                 dur, p.closes[day], p.opens[day]))
            if nxt < len(p.days) and self.stop[nxt][j] is not None and p.cost[nxt][here][j] is not None \
                    and p.opens[nxt] + dur <= p.closes[nxt]:
                next_day.append((j, p.bit[j], p.near[j], p.cost[nxt][here][j] + self.stop[nxt][j] + self.night(nxt),
                                 p.opens[nxt] + dur))
        return home_by, home, home_later, same_day, next_day
