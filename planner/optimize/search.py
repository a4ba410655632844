"""One deterministic CP-SAT search, shared by the week's model (``solve``) and the big week's repair (``big_week``).

Determinism: the same data must give the same plan. Several CP-SAT workers racing the wall clock do not promise
that, so the search is deterministic by construction: two workers in *interleaved* mode (their subsolvers take
deterministic turns) for models up to ``INTERLEAVE_UP_TO`` candidate trips, one worker beyond, always with a
fixed seed, stopping on the solver's **deterministic time** (its own work counter), with the wall clock only as a
backstop. Measurements: docs/decisions/0001-deterministic-search.md.
"""
from __future__ import annotations

from ortools.sat.python import cp_model

from ..core.messages import message
from .instance import Progress
from .model import SCALE

SEED = 20240611
# Up to this many candidate trips two interleaved workers search better; beyond it one worker does (measured).
INTERLEAVE_UP_TO = 15_000
# Deterministic time units per wall second on the 2-core benchmark machine (measured: one worker 40 units in about
# 65 s on the 1,000-visit week; two interleaved workers 60 units in about 100 s on the 200-visit week).
# Calibrated conservatively (measured 0.6-0.7 on this machine), so the deterministic limit, not the wall clock,
# normally ends the search; the wall clock is a hard stop at the time limit, a safety net only.
DET_PER_SECOND = 0.5


class SolutionProgress(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress, constant: int):
        super().__init__()
        self.progress = progress
        self.constant = constant

    def on_solution_callback(self) -> None:
        obj = (self.objective_value + self.constant) / SCALE
        bound = (self.best_objective_bound + self.constant) / SCALE
        self.progress(message("solution", objective=obj, bound=bound, seconds=self.wall_time))


def search(model: cp_model.CpModel, columns: int, work: float, seconds: float, callback=None, one: bool = False,
           presolve: bool = True):
    """One deterministic CP-SAT search: fixed seed, ``work`` deterministic-time units, and a hard stop after
    ``seconds`` of wall clock (a safety net, normally not reached); ``one``: one worker whatever the size;
    ``presolve=False`` skips CP-SAT's presolve, which on a repair step's model of a few thousand trips takes the
    whole step (measured: no plan in 1 unit with it; without it, the neighbourhood's objective halved)."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    if columns <= INTERLEAVE_UP_TO and not one:
        p.num_workers = 2
        p.interleave_search = True
    else:
        p.num_workers = 1
    p.random_seed = SEED
    p.cp_model_presolve = presolve
    p.max_deterministic_time = max(0.05, work)
    p.max_time_in_seconds = max(0.1, seconds)  # hard stop, normally not reached
    return solver, solver.solve(model, callback)
