"""Big weeks: from ``BIG_FROM`` candidate trips, or with many team visits (``why_big``), one CP-SAT model is too big
for good plans in the time, so the week is solved by SCIP over the most promising trips (``master.py``), the visits
it leaves out get free single trips (``_fill``) or go on trips the plan already makes (``insertion.py``), and CP-SAT
repairs the rest in neighbourhoods of the people who could take them (``repair``); see docs/planning.md and
docs/decisions/0003-big-weeks-scip-master.md and 0019-team-heavy-weeks.md.
"""
from __future__ import annotations

import threading
import time as clock

from ortools.sat.python import cp_model

from ..core.messages import message
from .bound import EXTEND_PRIMAL_UP_TO, LpRelaxation, RootBound
from .candidates import Candidates
from .cores import CoverageCores, confirmed
from .greedy import best_team, greedy_order, lp_rounded
from .insertion import insert_free_people, insert_left_out, insert_relieving
from .lagrangian_bound import visit_bound
from .instance import Progress, WeekInstance
from .master import MASTER_NODES, MASTER_PER_VISIT, MASTER_PER_VISIT_MAX, master_columns, solve_master
from .model import SCALE, PlanModel, column_score, part_model
from .search import search
from .selection import Selection, pinned_starts, starts_of

# From this many candidate trips the week is solved by SCIP over the most promising trips (``master.py``); measured
# with the 200-visit week's 21,000 trips: CP-SAT 21,142 travel minutes on its routing core, SCIP 11,281.
BIG_FROM = 20_000
# A week of this many visits or more, of which this share is for two people or more, is solved so too: its teams'
# common starts make one CP-SAT model too slow to search (measured at 20-30 s on generated weeks: 80 visits of which
# 32 for a team, objective 49,812 min against CP-SAT's 61,660; 80 of which 58, 191,566 against 229,988; 150 of
# which 84, 233,519 and 138 visits covered where CP-SAT found no plan better than the greedy one's 107; 30 of which
# 22, where CP-SAT is the better, 27,079 against 31,104, stays with it).
TEAM_WEEK_VISITS, TEAM_WEEK_SHARE = 50, 0.25
# The wall-clock backstop of the restricted masters: this share of the time limit, and of the time left when they
# start (the repair has the rest; measured on 300-visit weeks at 30 s: SCIP's master takes 1.5-14 s, mostly at
# its root node, and the repair from its plan covers 3-11 visits more in 5-15 s).
MASTER_SECONDS_SHARE = 0.75
MASTER_TIME_SHARE = 0.4
# The repair of the visits a big week's plan leaves out (``repair``): neighbourhoods of the ``REPAIR_PEOPLE``
# nearest people who could take an uncovered visit and ``REPAIR_HELPERS`` more (``_repair_people``), one worker,
# ``REPAIR_STEP`` deterministic units each, passes while they improve, with this share of the deterministic budget.
REPAIR_SHARE = 1.0
REPAIR_STEP = 1.0
# A repair step's CP-SAT linearization (``search``): the default one (level 2 was no better on 300-visit weeks:
# docs/decisions/0015-one-worker-with-the-full-lp.md).
REPAIR_LINEARIZATION = 1
REPAIR_PEOPLE = 6
REPAIR_HELPERS = 3
# Once a pass over every visit left out improves nothing, the passes go on with twice as many people (and helpers),
# up to this many times as many.
REPAIR_WIDER_MAX = 4
# No repair step starts with less than this many seconds left before the deadline (a step is cut at it).
REPAIR_LAST_START = 1.0
# The share of the time limit kept at the end to solve the LP again with the coverage cores' cuts, from its last
# basis (measured on a 300-visit week: 0.5-0.7 s).
TIGHTEN_SHARE = 0.05
# Kept from the repair, when the insertion made trips, to prove again the coverage cores they touch
# (``cores.confirmed``; measured on a 300-visit week: a core of four visits 0.35 s).
CONFIRM_SHARE = 0.02
# Kept from the repair for the LP solved again with the trips ``insertion`` made before it: this share of the time
# limit, or this share of the time the LP's first solve took when more (measured on a 1,000-visit week: the first
# solve 15 s beside SCIP's root node, again with 23 new trips 5 s; on a 300-visit week 2.5 s and 0.5 s).
EXTEND_SHARE = 0.04
EXTEND_PER_LP_SECOND = 0.5
# ... and this share when the trips are more than ``bound.EXTEND_PRIMAL_UP_TO``, which the dual simplex takes
# (measured: 0.43-0.89 times the first solve, decision 0029), and the LP is not solved beside the repair
EXTEND_DUAL_PER_LP_SECOND = 0.9
# Without the LP, kept from the repair for the Lagrangian bound taken again over the trips the insertion made
# (``lagrangian_bound.visit_bound``: scoring every trip, then its steps).
LAGRANGE_AGAIN_SHARE = 0.06


def why_big(inst: WeekInstance, cands: Candidates) -> str | None:
    """Why the week is solved by the master (in words, for the plan's ``stats.why``), or None when it is not."""
    trips, visits = len(cands.columns), len(inst.visits)
    if trips >= BIG_FROM:
        return f"{trips:,} candidate trips, from {BIG_FROM:,} a week is solved by SCIP over a master of trips"
    teams = sum(v.staff_needed > 1 for v in inst.visits)
    if visits >= TEAM_WEEK_VISITS and teams >= TEAM_WEEK_SHARE * visits:
        return (f"{teams} of {visits} visits for two people or more: from {TEAM_WEEK_SHARE:.0%} of {TEAM_WEEK_VISITS} "
                "visits or more, a week is solved by SCIP over a master of trips")
    return None


def solve_big(inst: WeekInstance, cands: Candidates, pm: PlanModel, relax, hint: set[int], work: float,
               time_limit: float, deadline: float, started: float, progress: Progress | None,
               root: RootBound | None, cores: CoverageCores | None = None) -> Selection:
    """A big week: SCIP over the restricted master's trips (``master.py``: through each visit the LP's cheapest
    trips by reduced cost, the trips it uses and ``hint``'s), started from ``hint``, grown while SCIP solves it
    to optimality; then the visits still left out get single trips where a whole team is free (``_fill``), are
    put on trips of the plan (``insertion``, before and after the repair; the LP prices the new trips, or
    without it the Lagrangian bound is taken again over them), and the CP-SAT repair (``repair``). The bound is the best of
    the LP relaxation of the *whole* week, SCIP's root bound of the whole week (``root``, computed meanwhile),
    and the master's own bound when the master has every trip (a restricted master's holds only for its
    trips), raised by the coverage cores found meanwhile (``cores``: ``bound.LpRelaxation.tighten``); when the
    insertion made trips, the LP with them (``bound.LpRelaxation.extend``) and the cores none of them touch or
    proven again with them (``cores.confirmed``)."""
    lp, values, reduced = relax.bound, relax.values, relax.reduced
    stats = {"columns": len(cands.columns), "deterministic_time": 0.0}
    bounds = [lp] if lp is not None else []
    chosen, per_visit = sorted(hint), MASTER_PER_VISIT
    if relax.extend is not None:  # the LP's own plan rounded, when better: SCIP may find none in its time
        rounded = lp_rounded(inst, cands, values)
        if pm.value(rounded) < pm.value(chosen):
            chosen = rounded
            stats["start"] = "lp rounded"
    master_until = clock.perf_counter() + MASTER_TIME_SHARE * max(0.0, deadline - clock.perf_counter())
    while True:  # a restricted master solved to optimality grows (each visit's cheapest trips doubled)
        members = master_columns(cands, values, reduced, set(chosen), per_visit)
        whole = len(members) == len(cands.columns)
        if progress:
            progress(message("scip", members=len(members), trips=len(cands.columns)))
        stats["master_columns"] = len(members)
        seconds = min(MASTER_SECONDS_SHARE * time_limit, max(1.0, master_until - clock.perf_counter()))
        master = solve_master(inst, cands, members, set(chosen), seconds, MASTER_NODES)
        stats["master"] = master.status if master is not None else "none"
        if master is None:
            break
        if pm.value(master.chosen) <= pm.value(chosen):
            chosen = master.chosen
        if whole and master.bound is not None:  # a master over every trip: its bound is the week's
            bounds.append(master.bound)
        if (whole or master.status != "OPTIMAL" or per_visit >= MASTER_PER_VISIT_MAX
                or master_until - clock.perf_counter() < 1.0):
            break
        per_visit *= 2
    chosen = _fill(inst, cands, chosen)
    first_new = len(cands.columns)
    # the trips the insertion makes are outside the candidates: the LP prices them (``extend``); without the LP the
    # Lagrangian bound is taken again over them at the end, in the time the insertions and the repair leave it
    insert_until = deadline - (LAGRANGE_AGAIN_SHARE * time_limit if relax.extend is None else 0.0)
    chosen = _insert(inst, cands, pm, chosen, insert_until, stats, progress)
    if root is not None and len(cands.columns) > first_new:
        root.cancel(wait=False)  # its bound no longer holds (see below); stopping it may take seconds
    if progress:
        progress(message("repairing", visits=len({v for i in chosen for v in cands.columns[i].visits}),
                         objective=(pm.value(chosen) + pm.constant) / SCALE))
    # Kept from the repair for the bound: the LP solved again with the cores' cuts when some are found already
    # (and those the insertion's trips touch proven again, when it made some), and with the trips the insertion
    # made when there are some already (the repair's time is worth more than an LP the last insertion may not
    # need; without the time the bound is still valid, from the LP's prices).
    kept = extending = 0.0
    if cores is not None and cores.any_found():
        kept = TIGHTEN_SHARE * time_limit + (CONFIRM_SHARE * time_limit if len(cands.columns) > first_new else 0.0)
    if relax.extend is None:
        kept = max(kept, deadline - insert_until)
    elif len(cands.columns) > first_new:
        # by the dual simplex after the repair when many trips; beside the repair (below, when no cores are looked
        # for) the LP has the repair's time, and what is kept is for the trips made after it
        dual_after = cores is not None and len(cands.columns) - first_new > EXTEND_PRIMAL_UP_TO
        extending = max(EXTEND_SHARE * time_limit,
                        (EXTEND_DUAL_PER_LP_SECOND if dual_after else EXTEND_PER_LP_SECOND) * relax.seconds)
        kept += extending
    with_lp = relax.extend is not None
    beside = None
    if with_lp and cores is None and len(cands.columns) > first_new:
        # the second core is free (SCIP's root bound is stopped above, no cores are looked for): the LP with the
        # trips made so far is solved there while the repair runs
        beside = _ExtendBeside(relax.extend, cands.columns[first_new:], deadline - kept)
    chosen, current = repair(inst, cands, pm, chosen, REPAIR_SHARE * work, deadline - kept, stats, progress,
                             _lp_covered(inst, cands, values) if with_lp else None, reduced if with_lp else None)
    # (until ``insert_until``: a visit covered is worth more than the bound's steps' time; they are valid without it)
    chosen = _insert(inst, cands, pm, chosen, insert_until, stats, progress)
    current = pm.value(chosen)
    chosen.sort()
    objective = (current + pm.constant) / SCALE
    added = cands.columns[first_new:]
    # the cores searched until the time the steps after them need: their cuts, and with new trips proving again
    # the cores they touch and the LP with them
    after = TIGHTEN_SHARE * time_limit + ((CONFIRM_SHARE * time_limit + extending) if added else 0.0)
    found = cores.result(deadline - after) if cores is not None else []
    if added:
        # Trips outside the candidates every other bound was computed for: the LP with them holds (``extend``),
        # the cores without their visits (a trip of other visits never helps cover a core's) and those proven
        # again with them (``confirmed``); SCIP's bounds do not.
        if root is not None:
            root.cancel()
        on_added = {v for c in added for v in c.visits}
        touched = [core for core in found if on_added & set(core)]
        found = [core for core in found if core not in touched]
        if relax.tighten is not None:  # (without the LP no cut is made)
            found += confirmed(inst, cands, touched, deadline - extending - TIGHTEN_SHARE * time_limit)
    # the cores' cuts first, from the first solve's basis; the trips the insertion made are then priced under
    # (or solved with) them
    tightened = relax.tighten(found, deadline - clock.perf_counter()) if found and relax.tighten else None
    if found:
        stats["coverage_cores"] = len(found)
    if tightened is not None:
        stats["lp_with_cores"] = (tightened + pm.constant) / SCALE
    cuts = None
    if added and relax.extend is None:  # no LP: the Lagrangian bound again, over the candidates and the new trips
        floor = visit_bound(inst, cands, max(0.1, deadline - clock.perf_counter()),
                            upper=current + pm.constant) - pm.constant
        bounds, cuts = [floor], "lagrangian"
        stats["inserted_trips"] = len(added)
    elif added:
        extend_started = clock.perf_counter() if beside is None else beside.started
        rest, how = added, None
        if beside is not None:
            lp, how = beside.join()
            rest = added[beside.count:]
        if rest or how != "optimal":  # (the LP has the trips of an unfinished solve: it goes on from them)
            lp, how = relax.extend(rest, max(0.0, deadline - clock.perf_counter()))
        bounds = [lp]  # (the tightened LP is over the candidates alone)
        stats.update(inserted_trips=len(added), lp_with_inserted=(lp + pm.constant) / SCALE,
                     lp_with_inserted_how=how, lp_with_inserted_seconds=round(clock.perf_counter() - extend_started, 2),
                     lp_with_inserted_beside=beside is not None)
        cuts = "cores and inserted" if tightened is not None else "inserted"
    else:
        if root is not None:
            root_bound = root.result()
            if root_bound is not None:
                bounds.append(root_bound)
                stats["root_bound"] = (root_bound + pm.constant) / SCALE
        # what raised the bound above the LP: the cores' cuts or SCIP's (its root node, a master of every trip)
        if tightened is not None and (not bounds or tightened > max(bounds)):
            bounds.append(tightened)
            cuts = "cores"
        elif bounds and (lp is None or max(bounds) > lp):
            cuts = "scip"
        elif relax.extend is None:  # no LP: its bound is the Lagrangian one (``solve``)
            cuts = "lagrangian"
    # never below what every plan pays, the visits no trip reaches (``pm.constant``): every other term is a cost,
    # where a bound priced from many new trips can fall below 0 (seen at -303,081 min on a 1,000-visit week)
    bound = min((max(0.0, *bounds) + pm.constant) / SCALE, objective) if bounds else None
    status = "OPTIMAL" if bound is not None and objective <= bound else "FEASIBLE"
    if progress and bound is not None:
        progress(message("big_week_plan", objective=objective, bound=bound, cuts=cuts))
    return Selection(chosen, starts_of(cands, chosen, pinned_starts(inst)), status, objective, bound,
                     clock.perf_counter() - started, stats, pm.pin_problems)


class _ExtendBeside:
    """``LpRelaxation.extend`` by the trips ``columns`` in a thread until ``until`` (GLOP releases Python's lock, so
    it runs on the second core beside the repair): on two of five 1,000-visit weeks the seconds kept after the
    repair did not finish it, and the priced bound made the gap look twice as large (decision 0021)."""

    def __init__(self, extend, columns: list, until: float):
        self.count, self.started = len(columns), clock.perf_counter()
        self._result: tuple[int, str] | BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(extend, list(columns), until), daemon=True,
                                        name="lp-with-inserted")
        self._thread.start()

    def _run(self, extend, columns: list, until: float) -> None:
        try:
            self._result = extend(columns, max(0.0, until - clock.perf_counter()))
        except BaseException as error:  # given back to the caller by ``join``
            self._result = error

    def join(self) -> tuple[int, str]:
        """The bound and how (``extend``'s), once the thread ends (GLOP's time limit ends it)."""
        self._thread.join()
        if isinstance(self._result, BaseException):
            raise self._result
        return self._result


def _insert(inst: WeekInstance, cands: Candidates, pm: PlanModel, chosen: list[int],
            deadline: float, stats: dict, progress: Progress | None) -> list[int]:
    """``insertion.insert_left_out`` on the plan, then ``insert_free_people`` and ``insert_relieving``; counted in
    ``stats`` and said under the keys ``inserted``, ``free_people_trips`` and ``relieved``."""
    steps = [("inserted", insert_left_out), ("free_people_trips", insert_free_people), ("relieved", insert_relieving)]
    for key, insert in steps:
        chosen, count = insert(inst, cands, chosen, deadline)
        if count:
            stats[key] = stats.get(key, 0) + count
            if progress:
                progress(message(key, visits=count, objective=(pm.value(chosen) + pm.constant) / SCALE))
    return chosen


def cost_prices(inst: WeekInstance, cands: Candidates) -> LpRelaxation:
    """Stand-in prices when the LP does not finish in its time: no bound, no trip "used", and each trip priced by
    its cost per visit it covers (a chain through three visits is cheap when its cost is under three singles')."""
    cols = cands.columns
    return LpRelaxation(None, [0.0] * len(cols), [column_score(inst, cands, c) / len(c.stops) for c in cols])


def _fill(inst: WeekInstance, cands: Candidates, chosen: list[int]) -> list[int]:
    """Visits the plan leaves out, most urgent first, get the cheapest free single trips of anyone when a whole
    team can still go."""
    cols = cands.columns
    chosen = list(chosen)
    taken = {(cols[i].staff, d) for i in chosen for d in cols[i].days}
    covered = {v for i in chosen for v in cols[i].visits}
    pinned = {p.visit for p in inst.pins}
    for visit in sorted((v for v in inst.visits if v.id not in covered and v.id not in pinned), key=greedy_order):
        options = [i for i in cands.by_visit[visit.id] if cols[i].kind == "single"
                   and all((cols[i].staff, d) not in taken for d in cols[i].days)]
        score = {i: column_score(inst, cands, cols[i]) for i in options}
        team = best_team(inst, cands, visit, options, score)
        if team:
            chosen.extend(team)
            taken.update((cols[i].staff, d) for i in team for d in cols[i].days)
    return sorted(chosen)


def _solve_part(inst: WeekInstance, cands: Candidates, members: list[int], open_visits: list, hint: set[int],
                work: float, deadline: float, stats: dict) -> list[int] | None:
    """Solve the week restricted to the columns ``members`` and the visits ``open_visits`` (the rest of the plan
    fixed by the caller), by one CP-SAT worker started from the columns in ``hint``; the chosen column indices,
    or None."""
    spm = part_model(inst, cands, members, open_visits)
    spm.hint({k for k, i in enumerate(members) if i in hint})
    solver, code = search(spm.model, work, max(0.1, deadline - clock.perf_counter()), presolve=False,
                          linearization=REPAIR_LINEARIZATION)
    stats["deterministic_time"] = stats.get("deterministic_time", 0.0) + solver.deterministic_time
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [members[k] for k, x in enumerate(spm.x) if solver.boolean_value(x)]


def _lp_covered(inst: WeekInstance, cands: Candidates, values: list[float]) -> set[str]:
    """The visits the LP (its trips' ``values``) covers at least half."""
    share: dict[str, float] = {}
    for i, value in enumerate(values):
        if value > 1e-6:
            for v in cands.columns[i].visits:
                share[v] = share.get(v, 0.0) + value / inst.visit_by_id[v].staff_needed
    return {v for v, covered in share.items() if covered >= 0.5}


def repair(inst: WeekInstance, cands: Candidates, pm: PlanModel, chosen: list[int], work: float, deadline: float,
           stats: dict, progress: Progress | None = None, lp_covered: set[str] | None = None,
           prices: list[float] | None = None) -> tuple[list[int], int]:
    """Large-neighbourhood repair of a plan: for each uncovered visit (those in ``lp_covered`` first, the visits the
    week's LP covers at least half; then most urgent first, then the tightest window; deterministic), and then for
    each covered one, its trip's dearest first (``_polish_order``: the LP's reduced costs ``prices``, or without
    them its score per visit), the people (from any office) with a candidate trip through it, and
    a few who could take over their visits (``_repair_people``), are freed with everything they do
    (``_relieve``), the rest of the plan stays fixed, and that neighbourhood is
    re-solved from the current plan; its plan is kept only when the whole week's objective (``PlanModel.value``)
    improves. Returns the plan and its value (model units, without the constant)."""
    cols = cands.columns
    chosen = sorted(chosen)
    current = pm.value(chosen)
    pinned = {p.visit for p in inst.pins}
    tried: set[str] = set()  # in this pass
    improved = polished = False  # by a step on a visit left out, on a visit made, in this pass
    spent = 0.0
    wider = 1
    while True:
        covered = {v for i in chosen for v in cols[i].visits}
        todo = [v.id for v in sorted(inst.visits, key=greedy_order) if v.id not in covered and v.id not in pinned
                and v.id not in tried and cands.by_visit.get(v.id)]
        if lp_covered is not None:  # a visit the LP gives up on seldom fits a step, which costs the others' time
            todo.sort(key=lambda v: v not in lp_covered)
        left = work - spent
        if not todo and improved:  # another pass over the visits still left out, from the better plan
            tried, improved = {v for v in tried if v in covered}, False
            continue
        if not todo:  # the visits left out do not move: the neighbourhoods of the visits made, to make them cheaper
            todo = [v for v in _polish_order(inst, cands, chosen, prices) if v not in pinned and v not in tried]
        if not todo and polished:  # every visit tried: again, from the better plan
            tried, polished = set(), False
            continue
        if not todo and wider < REPAIR_WIDER_MAX and left >= 0.05:  # converged: again with twice the people
            tried, wider = set(), 2 * wider
            stats["repair_wider"] = wider
            continue
        if not todo or left < 0.05 or deadline - clock.perf_counter() < REPAIR_LAST_START:
            break
        seed = todo[0]
        tried.add(seed)
        people = _repair_people(inst, cands, chosen, seed, wider)
        before = stats.get("deterministic_time", 0.0)
        better = _relieve(inst, cands, chosen, people, min(left, REPAIR_STEP), deadline, stats)
        spent += stats.get("deterministic_time", 0.0) - before
        if better is not None:
            value = pm.value(better)
            if value < current:
                chosen, current = better, value
                if seed in covered:
                    polished = True
                    stats["polished"] = stats.get("polished", 0) + 1
                else:
                    improved = True
                    stats["repaired"] = stats.get("repaired", 0) + 1
                if progress:
                    progress(message("repair", visit=seed, objective=(current + pm.constant) / SCALE))
    return chosen, current


def _polish_order(inst: WeekInstance, cands: Candidates, chosen: list[int], prices: list[float] | None) -> list[str]:
    """The visits the plan makes, the dearest trip's first: by the LP's reduced cost of the trip (``prices``; a
    trip made after the LP has none, 0) per visit on it, or without the LP by its score per visit (the two orders
    measured in decision 0021)."""
    cols = cands.columns

    def price(i: int) -> float:
        if prices is None:
            return column_score(inst, cands, cols[i]) / len(cols[i].visits)
        return (prices[i] if i < len(prices) else 0.0) / len(cols[i].visits)

    dearest = {}
    for i in chosen:
        for v in cols[i].visits:
            dearest[v] = max(dearest.get(v, float("-inf")), price(i))
    return sorted(dearest, key=lambda v: (-dearest[v], v))


def _repair_people(inst: WeekInstance, cands: Candidates, chosen: list[int], visit_id: str,
                   wider: int = 1) -> set[str]:
    """Who is freed to take ``visit_id``: the ``REPAIR_PEOPLE`` nearest with a candidate trip through it (and the
    nearest such holder of each skill and language it needs), and ``REPAIR_HELPERS`` more (both ``wider`` times as
    many once the repair's passes improve nothing): the nearest people
    (three each) for the visits those people do on its days, so that a visit they give up can pass to someone who
    is busy too. Small neighbourhoods are the ones CP-SAT re-solves in its step (measured on a 300-visit week
    from the greedy plan: everyone with a trip through the visit, 100-170 open visits and up to 16,000 trips,
    found no plan in 9 of 10 steps, 271 visits covered after 13 s; the 6 nearest and 3 helpers, 24-77 open
    visits, 289)."""
    cols = cands.columns
    with_trip = {cols[i].staff for i in cands.by_visit[visit_id]}
    ranked = [p for p in cands.relevant.get(visit_id, []) if p in with_trip]
    people = set(ranked[:wider * REPAIR_PEOPLE]) or with_trip
    visit = inst.visit_by_id[visit_id]
    for need in sorted(visit.skills | visit.required_languages):
        holder = next((p for p in ranked if need in inst.staff_by_id[p].skills | inst.staff_by_id[p].languages), None)
        if holder is not None:
            people.add(holder)
    days = set(cands.days[visit_id])
    theirs = sorted({v for i in chosen if cols[i].staff in people and days & set(cols[i].days) for v in cols[i].visits})
    helpers: list[str] = []
    for vid in theirs:
        for pid in cands.relevant.get(vid, [])[:3]:
            if pid not in people and pid not in helpers:
                helpers.append(pid)
    return people | set(helpers[:wider * REPAIR_HELPERS])


def _relieve(inst: WeekInstance, cands: Candidates, chosen: list[int], people: set[str], work: float,
             deadline: float, stats: dict) -> list[int] | None:
    """The neighbourhood of ``people``: their trips in the plan are freed (and every trip sharing a visit with a
    freed one, so a team is never split), their visits and the uncovered visits they could take are open, and
    any trip of anyone whose visits are all open and whose days are free of the fixed trips may be chosen (so a
    visit given up by one person can pass to a third). The rest of the plan is fixed. Returns the new whole plan,
    or None when the search found nothing."""
    cols = cands.columns
    freed = {i for i in chosen if cols[i].staff in people}
    while True:  # a team visit is freed with all its members
        freed_visits = {v for i in freed for v in cols[i].visits}
        more = {i for i in chosen if i not in freed and freed_visits & set(cols[i].visits)}
        if not more:
            break
        freed |= more
    fixed = [i for i in chosen if i not in freed]
    blocked = {(cols[i].staff, d) for i in fixed for d in cols[i].days}
    covered = {v for i in chosen for v in cols[i].visits}
    pinned = {p.visit for p in inst.pins}
    reachable = set()
    for visit in inst.visits:
        if visit.id not in covered and visit.id not in pinned:
            if any(cols[i].staff in people for i in cands.by_visit.get(visit.id, ())):
                reachable.add(visit.id)
    open_ids = freed_visits | reachable
    open_visits = [v for v in inst.visits if v.id in open_ids]
    members = sorted({i for vid in open_ids for i in cands.by_visit.get(vid, ())
                      if set(cols[i].visits) <= open_ids and all((cols[i].staff, d) not in blocked
                                                                  for d in cols[i].days)})
    if not members:
        return None
    picked = _solve_part(inst, cands, members, open_visits, set(freed), work, deadline, stats)
    return None if picked is None else sorted(fixed + picked)
