"""Running CP-SAT on the week's model: time limit, progress, bound, and reading the plan back.

The search is one deterministic CP-SAT run (``search.py``: fixed seed, deterministic time). The time limit is a
wall-clock upper bound: the search gets a deterministic budget computed from the limit alone (``DET_PER_SECOND``,
calibrated below the measured speed), and the wall clock at the limit is a hard stop that only a much slower
machine would reach (then the run is still valid but may differ from a run on an idle machine). From
``big_week.BIG_FROM`` candidate trips, or with many team visits (``big_week.why_big``), the week is solved by
``big_week.solve_big`` instead.

The bound is the best of CP-SAT's own ``best_objective_bound``, the LP relaxation of the same model with the
teams' common start kept in linear form (``bound.week_lp``) or, when GLOP does not finish, the Lagrangian bound
(``lagrangian_bound.visit_bound``) and, on big weeks, SCIP's root bound of the whole week
(``bound.RootBound``, a master with a restricted set of trips), that LP with the coverage cores' cuts
(``cores.CoverageCores``) or the master's own bound (one with every trip);
all are valid lower bounds on the best plan among the candidate trips, never a restricted master's own bound.
"""
from __future__ import annotations

import time as clock

from ortools.sat.python import cp_model

from ..core.messages import message
from . import big_week
from .bound import RootBound, week_lp
from .cores import CoverageCores
from .lagrangian_bound import visit_bound
from .candidates import Candidates
from .instance import Progress, WeekInstance
from .model import SCALE, PlanModel
from .search import DET_PER_SECOND, SolutionProgress, search
from .selection import Selection, pinned_starts, starts_of

# Share of the limit (and 0.3 s) kept back for reading the solution; ``run.plan_week`` keeps its own time for the
# plan JSON, validating and storing it. 6 % left a 1,000-visit week's search 6 s short at 120 s; at 2 % (with the
# repair's steps started up to 1 s before the end, ``big_week.repair``) 300-visit weeks at 30 s cover as many or
# more, and end at most 27.9 s (5 seeds), a 1,000-visit week at 120 s 960 against 958 in 111 s.
RESERVE_SECONDS = 0.02
# The LP bound's share of the solve's time (at least LP_MIN_SECONDS), and the Lagrangian bound's when it does not
# finish (lagrangian_bound.visit_bound: about 2 s on a 300-visit week; it stops earlier on its step limit).
LP_SHARE, LP_MIN_SECONDS = 0.25, 1.0
LAGRANGE_SHARE = 0.1
# SCIP's root bound of a busy week (``bound.RootBound``, in a thread) from this time limit: at 30 s its root node
# does not finish on a 300-visit week (35,000 trips: its LP alone took 15 s), and building its model in the thread
# slows the LP and the masters beside it.
ROOT_BOUND_FROM = 60.0
# Coverage cores of a busy week (``cores.CoverageCores``, in a thread) from this time limit, and while the root bound
# does not take the second core: below it building their model in the thread takes too much of the time from the LP
# and the master; beside the root bound (measured on the 1,000-visit week at 120 s) they found no core in the time,
# and slowed the LP (8.1 -> 12.6 s) and the root bound (808,156 -> 802,078).
CORES_FROM = 20.0


def solve(inst: WeekInstance, cands: Candidates, time_limit: float, hint: list[int] | None = None,
          progress: Progress | None = None, work_seconds: float | None = None) -> Selection:
    """Solve the week's model within ``time_limit`` seconds (wall clock); the plan is the best one found, and
    ``stats["model_objective"]`` its objective in model units without ``PlanModel.constant`` (for ``pricing``).

    The search is limited by deterministic time, ``work_seconds`` (default ``time_limit``) × ``DET_PER_SECOND``,
    a figure that does not depend on how fast this run happens to go, so the same data give the same plan; the
    wall clock at ``time_limit`` is a hard stop only."""
    started = clock.perf_counter()
    deadline = started + time_limit * (1 - RESERVE_SECONDS) - 0.3
    work = (time_limit if work_seconds is None else work_seconds) * DET_PER_SECOND
    big = big_week.why_big(inst, cands) is not None
    pm = PlanModel(inst, cands, build=not big)  # a big week's master and repair build models of their own
    root = None
    if big and time_limit >= ROOT_BOUND_FROM:  # the master is restricted: its bound is not the week's
        root = RootBound(inst, cands, hint or [], deadline - clock.perf_counter())
    cores = None
    if big and CORES_FROM <= time_limit < ROOT_BOUND_FROM:  # until the LP is solved again with their cuts, at the end
        cores = CoverageCores(inst, cands, deadline - clock.perf_counter() - big_week.TIGHTEN_SHARE * time_limit)
    lp_started = clock.perf_counter()
    relax = week_lp(inst, cands, time_limit=max(LP_MIN_SECONDS, LP_SHARE * time_limit))
    lp = relax.bound if relax is not None else None
    lp_stats = {"lp": "optimal" if relax is not None else "not finished",
                "lp_seconds": round(clock.perf_counter() - lp_started, 2),
                "lp_teams": relax.teams if relax is not None else None}
    floor = None  # GLOP did not finish: the Lagrangian bound, which needs no LP solver (model units, less the constant)
    if relax is None:
        upper = pm.value(hint or []) + pm.constant
        floor = visit_bound(inst, cands, LAGRANGE_SHARE * time_limit, upper=upper) - pm.constant
    if progress and lp is not None:
        progress(message("lp_bound", bound=(lp + pm.constant) / SCALE))
    if big:
        # A big week never falls back to one CP-SAT model over every trip: without the LP's prices the master takes
        # each visit's cheapest trips by cost per visit (``cost_prices``), with the greedy plan's.
        # (without the LP, the Lagrangian bound stands in for its bound)
        prices = relax or big_week.cost_prices(inst, cands)._replace(bound=floor)
        selection = big_week.solve_big(inst, cands, pm, prices, set(hint or []), work, time_limit, deadline, started,
                                       progress, root, cores)
        selection.stats.update(lp_stats, method="master" if relax is not None else "master-no-lp")
        return selection
    if hint:  # only the search below reads the hint (the big week's master and repair start from ``hint`` itself)
        pm.hint(set(hint))
    remaining = max(0.5, deadline - clock.perf_counter())
    callback = SolutionProgress(progress, pm.constant) if progress else None
    solver, code = search(pm.model, work, remaining, callback)
    seconds = clock.perf_counter() - started
    stats = {"columns": len(cands.columns), "booleans": len(pm.x), "deterministic_time": solver.deterministic_time,
             "wall_time": solver.wall_time, "branches": solver.num_branches, "method": "cp-sat", **lp_stats}
    proven = [b for b in (lp, floor) if b is not None]  # valid whatever the search found
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # no plan, but the bound holds for the kept greedy plan
        bound = max(0.0, (max(proven) + pm.constant) / SCALE) if proven else None
        return Selection([], {}, solver.status_name(code), None, bound, seconds, stats, pm.pin_problems)
    chosen = [i for i, x in enumerate(pm.x) if solver.boolean_value(x)]
    objective = (solver.objective_value + pm.constant) / SCALE
    # CP-SAT's own bound only with a plan and not above it (without one it reported -410,489,179 on a 300-visit
    # week: the presolved model's, not this one's); never below 0 (every term is a cost)
    sat_bound = solver.best_objective_bound if solver.best_objective_bound <= solver.objective_value else None
    bounds = [b for b in (sat_bound, *proven) if b is not None] or [0]
    bound = (max(bounds) + pm.constant) / SCALE
    bound = min(max(0.0, bound), objective)
    stats["model_objective"] = solver.objective_value
    return Selection(chosen, starts_of(cands, chosen, pinned_starts(inst)), solver.status_name(code), objective, bound, seconds,
                     stats, pm.pin_problems)
