"""Running CP-SAT on the week's model: time limit, seed, workers, progress, bound, and reading the plan back.

Determinism: the same data must give the same plan. Several CP-SAT workers racing the wall clock do not promise
that, so the search is deterministic by construction: two workers in *interleaved* mode (their subsolvers take
deterministic turns) for models up to ``INTERLEAVE_UP_TO`` candidate trips, one worker beyond, always with a
fixed seed, stopping on the solver's **deterministic time** (its own work counter), with the wall clock only as a
backstop. Measured on the 1,000-visit week (28,000 trips): one worker covered 948 visits in 40 deterministic
seconds, two interleaved workers only 446, two free workers 949 but not reproducibly; on the 200-visit week two
interleaved workers reach a 0.7% gap where one worker stays at 4%. Everything fed to the model is sorted, so nothing depends on Python's hash seed.

The time limit is a wall-clock upper bound: the search gets a deterministic budget computed from the limit
alone (``DET_PER_SECOND``, calibrated below the measured speed), and the wall clock at the limit is a hard stop
that only a much slower machine would reach (then the run is still valid but may differ from a run on an idle
machine).

From ``BIG_FROM`` candidate trips (the 200- and 1,000-visit weeks) one CP-SAT model is too big for good plans in
the time: the week is solved by SCIP over the most promising trips (``master.py``), then the visits it leaves out
are repaired with CP-SAT (``repair``), see docs/planning.md.

The bound is the best of CP-SAT's own ``best_objective_bound``, the LP relaxation of the same model with the
teams' common start kept in linear form (``bound.week_lp``) and, on big weeks, SCIP's root bound of the whole week
(``bound.RootBound``, a master with a restricted set of trips) or the master's own bound (one with every trip);
all are valid lower bounds on the best plan among the candidate trips, never a restricted master's own bound.
"""
from __future__ import annotations

import copy
import time as clock

from ortools.sat.python import cp_model

from ..core.messages import message
from .candidates import Candidates
from .instance import Progress, WeekInstance
from .bound import RootBound, week_lp
from .master import (MASTER_ALL_VISITS, MASTER_NODES, MASTER_PER_VISIT, MASTER_PER_VISIT_MAX, RESTRICTED_NODES,
                     master_columns, solve_master)
from .greedy import best_team, greedy_order
from .model import SCALE, PlanModel
from .selection import Selection, pinned_starts, starts_of

SEED = 20240611
# Up to this many candidate trips two interleaved workers search better; beyond it one worker does (measured).
INTERLEAVE_UP_TO = 15_000
# Deterministic time units per wall second on the 2-core benchmark machine (measured: one worker 40 units in about
# 65 s on the 1,000-visit week; two interleaved workers 60 units in about 100 s on the 200-visit week).
# Calibrated conservatively (measured 0.6-0.7 on this machine), so the deterministic limit, not the wall clock,
# normally ends the search; the wall clock is a hard stop at the time limit, a safety net only.
DET_PER_SECOND = 0.5
# Time kept back from the limit for reading the solution, building the plan JSON and validating it.
RESERVE_SECONDS = 0.06
# From this many candidate trips the week is solved by SCIP over the most promising trips (``master.py``); measured
# with the 200-visit week's 21,000 trips: CP-SAT 21,142 travel minutes on its routing core, SCIP 11,281.
BIG_FROM = 20_000
# Of the time limit, the wall-clock backstop of the restricted master (its node limit normally ends it first).
MASTER_SECONDS_SHARE = 0.75
# The repair of the visits a big week's plan leaves out (``repair``): neighbourhoods of the people from anywhere
# who could take an uncovered visit and ``REPAIR_HELPERS`` more (``_repair_people``), one worker, ``REPAIR_STEP``
# deterministic units each, passes while they improve, with this share of the deterministic budget.
REPAIR_SHARE = 0.4
REPAIR_STEP = 1.0
REPAIR_HELPERS = 9


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress, constant: int):
        super().__init__()
        self.progress = progress
        self.constant = constant

    def on_solution_callback(self) -> None:
        obj = (self.objective_value + self.constant) / SCALE
        bound = (self.best_objective_bound + self.constant) / SCALE
        self.progress(message("solution", objective=obj, bound=bound, seconds=self.wall_time))


def _search(model: cp_model.CpModel, columns: int, work: float, seconds: float, callback=None, one: bool = False):
    """One deterministic CP-SAT search: fixed seed, ``work`` deterministic-time units, and a hard stop after
    ``seconds`` of wall clock (a safety net, normally not reached); ``one``: one worker whatever the size."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    if columns <= INTERLEAVE_UP_TO and not one:
        p.num_workers = 2
        p.interleave_search = True
    else:
        p.num_workers = 1
    p.random_seed = SEED
    p.max_deterministic_time = max(0.05, work)
    p.max_time_in_seconds = max(0.1, seconds)  # hard stop, normally not reached
    return solver, solver.solve(model, callback)


def solve(inst: WeekInstance, cands: Candidates, time_limit: float, hint: list[int] | None = None,
          progress: Progress | None = None, work_seconds: float | None = None) -> Selection:
    """Solve the week's model within ``time_limit`` seconds (wall clock); the plan is the best one found.

    The search is limited by deterministic time, ``work_seconds`` (default ``time_limit``) × ``DET_PER_SECOND``,
    a figure that does not depend on how fast this run happens to go, so the same data give the same plan; the
    wall clock at ``time_limit`` is a hard stop only."""
    started = clock.perf_counter()
    deadline = started + time_limit * (1 - RESERVE_SECONDS) - 0.3
    work = (time_limit if work_seconds is None else work_seconds) * DET_PER_SECOND
    pm = PlanModel(inst, cands)
    if hint:
        pm.hint(set(hint))
    big = len(cands.columns) >= BIG_FROM
    root = None
    if big and len(inst.visits) > MASTER_ALL_VISITS:  # the master is restricted: its bound is not the week's
        root = RootBound(inst, cands, hint or [], deadline - clock.perf_counter())
    relax = week_lp(inst, cands, time_limit=max(1.0, time_limit / 4))
    lp = relax[0] if relax is not None else None
    if progress and lp is not None:
        progress(message("lp_bound", bound=(lp + pm.constant) / SCALE))
    if big and relax is not None:
        return _solve_big(inst, cands, pm, relax, set(hint or []), work, time_limit, deadline, started, progress,
                          root)
    remaining = max(0.5, deadline - clock.perf_counter())
    callback = _Progress(progress, pm.constant) if progress else None
    solver, code = _search(pm.model, len(cands.columns), work, remaining, callback)
    seconds = clock.perf_counter() - started
    stats = {"columns": len(cands.columns), "booleans": len(pm.x), "deterministic_time": solver.deterministic_time,
             "wall_time": solver.wall_time, "branches": solver.num_branches}
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Selection([], {}, solver.status_name(code), None, None, seconds, stats, pm.pin_problems)
    chosen = [i for i, x in enumerate(pm.x) if solver.boolean_value(x)]
    objective = (solver.objective_value + pm.constant) / SCALE
    root_bound = root.result() if root is not None else None
    bound = (max(solver.best_objective_bound, *(b for b in (lp, root_bound) if b is not None)) + pm.constant) / SCALE
    bound = min(bound, objective)
    return Selection(chosen, starts_of(cands, chosen, pinned_starts(inst)), solver.status_name(code), objective, bound, seconds,
                     stats, pm.pin_problems)


def _solve_big(inst: WeekInstance, cands: Candidates, pm: PlanModel, relax, hint: set[int], work: float,
               time_limit: float, deadline: float, started: float, progress: Progress | None,
               root: RootBound | None) -> Selection:
    """A big week: SCIP over the restricted master's trips (``master.py``: through each visit the LP's cheapest
    trips by reduced cost, the trips it uses and ``hint``'s), started from ``hint``, grown while SCIP solves it
    to optimality; then the visits still left out get single trips where a whole team is free (``_fill``) and
    the CP-SAT repair (``repair``). The bound is the best of
    the LP relaxation of the *whole* week, SCIP's root bound of the whole week (``root``, computed meanwhile),
    and the master's own bound when the master has every trip (a restricted master's holds only for its
    trips)."""
    lp, values, reduced = relax
    everything = len(inst.visits) <= MASTER_ALL_VISITS
    stats = {"columns": len(cands.columns), "deterministic_time": 0.0}
    bounds = [lp]
    chosen, per_visit = sorted(hint), MASTER_PER_VISIT
    while True:  # a restricted master solved to optimality grows (each visit's cheapest trips doubled)
        members = (list(range(len(cands.columns))) if everything
                   else master_columns(cands, values, reduced, set(chosen), per_visit))
        if progress:
            progress(message("scip", members=len(members), trips=len(cands.columns)))
        stats["master_columns"] = len(members)
        seconds = min(MASTER_SECONDS_SHARE * time_limit, max(1.0, deadline - clock.perf_counter() - 5.0))
        master = solve_master(inst, cands, members, set(chosen), seconds,
                              MASTER_NODES if everything else RESTRICTED_NODES)
        stats["master"] = master.status if master is not None else "none"
        if master is None:
            break
        if pm.value(master.chosen) <= pm.value(chosen):
            chosen = master.chosen
        if everything and master.bound is not None:
            bounds.append(master.bound)
        if (everything or master.status != "OPTIMAL" or per_visit >= MASTER_PER_VISIT_MAX
                or len(members) == len(cands.columns)):
            break
        per_visit *= 2
    chosen = _fill(inst, cands, chosen)
    if progress:
        progress(message("repairing", visits=len({v for i in chosen for v in cands.columns[i].visits}),
                         objective=(pm.value(chosen) + pm.constant) / SCALE))
    chosen, current = repair(inst, cands, pm, chosen, REPAIR_SHARE * work, deadline, stats, progress)
    chosen.sort()
    objective = (current + pm.constant) / SCALE
    root_bound = root.result() if root is not None else None
    if root_bound is not None:
        bounds.append(root_bound)
        stats["root_bound"] = (root_bound + pm.constant) / SCALE
    bound = min((max(bounds) + pm.constant) / SCALE, objective)
    status = "OPTIMAL" if objective <= bound else "FEASIBLE"
    if progress:
        progress(message("big_week_plan", objective=objective, bound=bound, cuts=max(bounds) > lp))
    return Selection(chosen, starts_of(cands, chosen, pinned_starts(inst)), status, objective, bound,
                     clock.perf_counter() - started, stats, pm.pin_problems)


def _fill(inst: WeekInstance, cands: Candidates, chosen: list[int]) -> list[int]:
    """Visits the plan leaves out, most urgent first, get the cheapest free single trips of anyone when a whole
    team can still go."""
    from .model import column_score
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
    cols = cands.columns
    open_ids = {v.id for v in open_visits}
    sub_cands = Candidates([cols[i] for i in members], {v.id: [] for v in open_visits}, cands.days, cands.no_day,
                           cands.relevant)
    for k, c in enumerate(sub_cands.columns):
        for vid in c.visits:
            sub_cands.by_visit[vid].append(k)
    sub = copy.copy(inst)
    sub.visits = open_visits
    sub.pins = [p for p in inst.pins if p.visit in open_ids]
    spm = PlanModel(sub, sub_cands)
    spm.hint({k for k, i in enumerate(members) if i in hint})
    solver, code = _search(spm.model, len(members), work, max(0.1, deadline - clock.perf_counter()), one=True)
    stats["deterministic_time"] = stats.get("deterministic_time", 0.0) + solver.deterministic_time
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [members[k] for k, x in enumerate(spm.x) if solver.boolean_value(x)]


def repair(inst: WeekInstance, cands: Candidates, pm: PlanModel, chosen: list[int], work: float, deadline: float,
           stats: dict, progress: Progress | None = None) -> tuple[list[int], int]:
    """Large-neighbourhood repair over the visits a plan leaves out: for each uncovered visit (most urgent first,
    then the tightest window; deterministic), the people (from any office) with a candidate trip through it, and
    a few who could take over their visits (``_repair_people``), are freed with everything they do
    (``_relieve``), the rest of the plan stays fixed, and that neighbourhood is
    re-solved from the current plan; its plan is kept only when the whole week's objective (``PlanModel.value``)
    improves. Returns the plan and its value (model units, without the constant)."""
    cols = cands.columns
    chosen = sorted(chosen)
    current = pm.value(chosen)
    pinned = {p.visit for p in inst.pins}
    tried: set[str] = set()
    improved = False
    spent = 0.0
    while True:
        covered = {v for i in chosen for v in cols[i].visits}
        todo = [v for v in sorted(inst.visits, key=greedy_order) if v.id not in covered and v.id not in pinned
                and v.id not in tried and cands.by_visit.get(v.id)]
        left = work - spent
        if not todo and improved:  # another pass over the visits still left out, from the better plan
            tried, improved = set(), False
            continue
        if not todo or left < 0.05 or deadline - clock.perf_counter() < 2.0:
            break
        seed = todo[0]
        tried.add(seed.id)
        people = _repair_people(cands, chosen, seed.id)
        before = stats.get("deterministic_time", 0.0)
        better = _relieve(inst, cands, chosen, people, min(left, REPAIR_STEP), deadline, stats)
        spent += stats.get("deterministic_time", 0.0) - before
        if better is not None:
            value = pm.value(better)
            if value < current:
                chosen, current, improved = better, value, True
                stats["repaired"] = stats.get("repaired", 0) + 1
                if progress:
                    progress(message("repair", visit=seed.id, objective=(current + pm.constant) / SCALE))
    return chosen, current


def _repair_people(cands: Candidates, chosen: list[int], visit_id: str) -> set[str]:
    """Who is freed to take ``visit_id``: everyone with a candidate trip through it, and ``REPAIR_HELPERS`` more:
    the nearest people (three each) for the visits those people do on its days, so that a visit they give up can
    pass to someone who is busy too (measured on the 1,000-visit week: 981 visits covered with none, 984 with 6 or
    9, 983 with 12; 9 gave the lowest objective)."""
    cols = cands.columns
    people = {cols[i].staff for i in cands.by_visit[visit_id]}
    days = set(cands.days[visit_id])
    theirs = sorted({v for i in chosen if cols[i].staff in people and days & set(cols[i].days) for v in cols[i].visits})
    helpers: list[str] = []
    for vid in theirs:
        for pid in cands.relevant.get(vid, [])[:3]:
            if pid not in people and pid not in helpers:
                helpers.append(pid)
    return people | set(helpers[:REPAIR_HELPERS])


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
