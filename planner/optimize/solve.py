"""Running CP-SAT on the week's model: time limit, seed, workers, progress, bound, and reading the plan back.

Determinism: the same data must give the same plan. Several CP-SAT workers racing the wall clock do not promise
that, so the search is deterministic by construction: two workers in *interleaved* mode (their subsolvers take
deterministic turns) for models up to ``INTERLEAVE_UP_TO`` candidate trips, one worker beyond, always with a
fixed seed, stopping on the solver's **deterministic time** (its own work counter), with the wall clock only as a
backstop. Measured on the 1,000-visit week (28,000 trips): one worker covered 948 visits in 40 deterministic
seconds, two interleaved workers only 446, two free workers 949 but not reproducibly; on the 200-visit week two
interleaved workers reach a 0.7% gap where one worker stays at 4%. Everything fed to the model is sorted, so nothing depends on Python's hash seed.

The bound is the better of CP-SAT's own ``best_objective_bound`` and the LP relaxation of the same model
(``bound.py``); both are valid lower bounds on the best plan among the candidate trips.
"""
from __future__ import annotations

import time as clock
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .candidates import Candidates
from .instance import Progress, WeekInstance
from .bound import lp_bound
from .model import SCALE, PlanModel

SEED = 20240611
# Up to this many candidate trips two interleaved workers search better; beyond it one worker does (measured).
INTERLEAVE_UP_TO = 15_000
# Deterministic time units per wall second on the 2-core benchmark machine (measured: one worker 40 units in about
# 65 s on the 1,000-visit week; two interleaved workers 60 units in about 100 s on the 200-visit week).
DET_PER_SECOND = 0.6


@dataclass
class Selection:
    """The chosen trips and the start of every covered visit (minutes of the week)."""
    chosen: list[int]
    starts: dict[str, int]
    status: str                        # OPTIMAL | FEASIBLE | GREEDY | INFEASIBLE | UNKNOWN
    objective: float | None = None     # minutes (see planner.optimize.model)
    bound: float | None = None
    solve_seconds: float = 0.0
    stats: dict = field(default_factory=dict)
    pin_problems: dict[str, str] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return max(0.0, (self.objective - self.bound) / max(abs(self.objective), 1e-9))


def starts_of(cands: Candidates, chosen: list[int], pinned: dict[str, int] | None = None) -> dict[str, int]:
    """For each covered visit a start inside every chosen column's range: the pinned start when it has one,
    else as near as the ranges allow to the latest start at which each person can still leave at their usual
    time (nobody leaves early without need)."""
    ranges: dict[str, list[int]] = {}
    for i in chosen:
        column = cands.columns[i]
        for stop in column.stops:
            lo, hi, wish = ranges.setdefault(stop.visit, [stop.lo, stop.hi, stop.lo])
            pref = column.preferred_start if column.preferred_start is not None else stop.lo
            ranges[stop.visit] = [max(lo, stop.lo), min(hi, stop.hi), max(wish, pref)]
    for vid, minute in (pinned or {}).items():
        if vid in ranges:
            ranges[vid][2] = minute
    return {vid: min(max(wish, lo), hi) for vid, (lo, hi, wish) in ranges.items()}


def pinned_starts(inst: WeekInstance) -> dict[str, int]:
    return {pin.visit: inst.minute(pin.start) for pin in inst.pins}


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress, constant: int):
        super().__init__()
        self.progress = progress
        self.constant = constant

    def on_solution_callback(self) -> None:
        obj = (self.objective_value + self.constant) / SCALE
        bound = (self.best_objective_bound + self.constant) / SCALE
        self.progress(f"solving: plan with objective {obj:,.0f} min, bound {bound:,.0f} after {self.wall_time:.1f} s")


def solve(inst: WeekInstance, cands: Candidates, time_limit: float, hint: list[int] | None = None,
          progress: Progress | None = None) -> Selection:
    """Solve the week's model within about ``time_limit`` seconds; the plan is the best one found."""
    started = clock.perf_counter()
    pm = PlanModel(inst, cands)
    if hint:
        pm.hint(set(hint))
    lp = lp_bound(pm.model, time_limit=max(1.0, time_limit / 4))
    if progress and lp is not None:
        progress(f"solving: LP relaxation bound {(lp + pm.constant) / SCALE:,.0f} min")
    remaining = max(1.0, time_limit - (clock.perf_counter() - started))
    solver = cp_model.CpSolver()
    p = solver.parameters
    if len(cands.columns) <= INTERLEAVE_UP_TO:
        p.num_workers = 2
        p.interleave_search = True
    else:
        p.num_workers = 1
    p.random_seed = SEED
    p.max_deterministic_time = remaining * DET_PER_SECOND
    p.max_time_in_seconds = remaining * 1.5 + 10.0  # backstop only
    callback = _Progress(progress, pm.constant) if progress else None
    code = solver.solve(pm.model, callback)
    seconds = clock.perf_counter() - started
    stats = {"columns": len(cands.columns), "booleans": len(pm.x), "deterministic_time": solver.deterministic_time,
             "wall_time": solver.wall_time, "branches": solver.num_branches}
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Selection([], {}, solver.status_name(code), None, None, seconds, stats, pm.pin_problems)
    chosen = [i for i, x in enumerate(pm.x) if solver.boolean_value(x)]
    objective = (solver.objective_value + pm.constant) / SCALE
    bound = (max(solver.best_objective_bound, lp if lp is not None else -float("inf")) + pm.constant) / SCALE
    bound = min(bound, objective)
    return Selection(chosen, starts_of(cands, chosen, pinned_starts(inst)), solver.status_name(code), objective, bound, seconds,
                     stats, pm.pin_problems)
