"""Big weeks: the week's exact model over the most promising trips (the *restricted master*), solved by SCIP.

On the 1,000-visit week (28,000 candidate trips) one CP-SAT model finds poor plans in the time, and CP-SAT on a
few thousand trips does no better; a MIP solver's LP-based heuristics (diving, RENS) do. So the week is solved
like a column-generation heuristic (price and branch): the LP relaxation (``bound.week_lp``) prices every trip,
and the exact model (``bound.week_program`` with 0/1 variables) is solved over

* through each visit, the ``MASTER_PER_VISIT`` trips with the lowest reduced costs: the ones the LP says are
  closest to paying off, and for every visit, so each keeps some alternatives (the lowest reduced costs of the
  whole week, 4,500 of them, crowd on some visits and leave others one or two trips: measured on the 1,000-visit
  week, objective 239,903 min after the master against 258,961, and 212,546 against 237,852 after the repair),
* every trip the LP uses, and the greedy plan's trips (so the greedy plan stays feasible).

The master's own bound holds for its trips only (unless they are every trip); the plan's bound is the whole
week's (``bound.week_lp``, ``bound.RootBound``). SCIP over every trip of a big week finds no better plan than the
greedy one in the time (measured on a 300-visit week, 35,279 trips: 259 visits covered in 20 s, the greedy
plan's; the restricted master over 1,576 of them: 287 in 10 s), so every week's master is restricted.

Determinism: SCIP runs single-threaded with a fixed seed and stops at a node limit, so the same data give the
same plan; the wall clock is a backstop only (like CP-SAT's deterministic time in ``solve``).
"""
from __future__ import annotations

from typing import NamedTuple

from ortools.linear_solver import pywraplp

from .bound import dual_bound, week_program
from .candidates import Candidates
from .instance import WeekInstance

MASTER_PER_VISIT = 8
# A restricted master SCIP solves to optimality is solved again with twice the trips per visit, up to this many.
MASTER_PER_VISIT_MAX = 64
# The node limit, the deterministic stop (measured on the 1,000-visit week's 6,616 trips: 300 nodes in about 67 s,
# leaving the repair its time; 400 take about 95 s).
MASTER_NODES = 300


def master_columns(cands: Candidates, lp_values: list[float], reduced: list[float], keep: set[int],
                   per_visit: int | None = None) -> list[int]:
    """The restricted master's trips: through each visit the ``per_visit`` with the lowest reduced costs, every
    trip the LP uses, and ``keep``."""
    per_visit = per_visit or MASTER_PER_VISIT
    chosen = {i for i, v in enumerate(lp_values) if v > 1e-6} | set(keep)
    for through in cands.by_visit.values():
        chosen.update(sorted(through, key=lambda i: (reduced[i], i))[:per_visit])
    return sorted(chosen)


class MasterResult(NamedTuple):
    chosen: list[int]  # column indexes
    status: str        # OPTIMAL | FEASIBLE
    bound: int | None  # SCIP's dual bound over ``members`` (model units, without ``PlanModel.constant``)


def solve_master(inst: WeekInstance, cands: Candidates, members: list[int], hint: set[int], seconds: float,
                 nodes: int | None = None) -> MasterResult | None:
    """The best plan over the trips ``members`` (column indexes, ascending) that SCIP finds within ``nodes``
    branch-and-bound nodes, started from the plan ``hint``; None when SCIP finds none."""
    solver = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None:
        return None
    x, _covered, constant = week_program(solver, inst, cands, members, integer=True)
    solver.SetHint([x[i] for i in members], [1.0 if i in hint else 0.0 for i in members])
    solver.SetNumThreads(1)
    solver.SetTimeLimit(max(1000, int(seconds * 1000)))
    solver.SetSolverSpecificParametersAsString(
        f"limits/nodes = {nodes or MASTER_NODES}\nrandomization/randomseedshift = 0\n")
    code = solver.Solve()
    if code not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    status = "OPTIMAL" if code == pywraplp.Solver.OPTIMAL else "FEASIBLE"
    return MasterResult([i for i in members if x[i].solution_value() > 0.5], status, dual_bound(solver, constant))
