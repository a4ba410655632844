"""One deterministic CP-SAT search, shared by the week's model (``solve``) and the big week's repair (``big_week``).

Determinism: the same data must give the same plan. Several CP-SAT workers racing the wall clock do not promise
that, so the search is deterministic by construction: one worker with a fixed seed, stopping on the solver's
**deterministic time** (its own work counter), with the wall clock only as a backstop. Measurements:
docs/decisions/0001-deterministic-search.md.

The week's model is searched with CP-SAT's full linear relaxation (``linearization_level`` 2): its LP bound and
LP-guided search prove 30- to 100-visit weeks optimal in 1-11 s where two interleaved workers at the default level
ended with gaps of up to 49.9 % (docs/decisions/0015-one-worker-with-the-full-lp.md). Its presolve does not probe
(``cp_model_probing_level`` 0): on weeks of the real team's size probing took most of the search's time, before the
first plan (docs/decisions/0016-presolve-without-probing.md).
"""
from __future__ import annotations

from ortools.sat.python import cp_model

from ..core.messages import message
from .instance import Progress
from .model import SCALE

SEED = 20240611
# CP-SAT's linear relaxation of the week's model: 2 is the full one (every constraint), 1 the default.
WEEK_LINEARIZATION = 2
# Deterministic time units per wall second on the 2-core benchmark machine (measured: one worker 40 units in about
# 65 s on the 1,000-visit week; one worker with the full relaxation 5.6-8.6 units in 4.2-7.1 s on 30- to 100-visit
# weeks). Calibrated conservatively (measured 0.6-1.3 on this machine), so the deterministic limit, not the wall clock,
# normally ends the search; the wall clock is a hard stop at the time limit, a safety net only.
DET_PER_SECOND = 0.5
# CP-SAT's probing in presolve: 0 is none, 2 the default (measured on ten 16- to 100-visit weeks: the search from
# 0.2-12.9 s down to 0.1-7.9 s, the same optimum on each).
PROBING = 0


class SolutionProgress(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress, constant: int):
        super().__init__()
        self.progress = progress
        self.constant = constant

    def on_solution_callback(self) -> None:
        obj = (self.objective_value + self.constant) / SCALE
        bound = (self.best_objective_bound + self.constant) / SCALE
        self.progress(message("solution", objective=obj, bound=bound, seconds=self.wall_time))


def search(model: cp_model.CpModel, work: float, seconds: float, callback=None, presolve: bool = True,
           linearization: int = WEEK_LINEARIZATION):
    """One deterministic CP-SAT search: one worker, fixed seed, ``work`` deterministic-time units, and a hard stop
    after ``seconds`` of wall clock (a safety net, normally not reached); ``presolve=False`` skips CP-SAT's
    presolve, which on a repair step's model of a few thousand trips takes the whole step (measured: no plan in 1
    unit with it; without it, the neighbourhood's objective halved)."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 1
    p.linearization_level = linearization
    p.random_seed = SEED
    p.cp_model_presolve = presolve
    p.cp_model_probing_level = PROBING
    p.max_deterministic_time = max(0.05, work)
    p.max_time_in_seconds = max(0.1, seconds)  # hard stop, normally not reached
    return solver, solver.solve(model, callback)
