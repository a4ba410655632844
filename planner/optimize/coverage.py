"""How many visits (by weight) the week can cover at most: a coverage-only model, solved by SCIP.

The *coverage relaxation* keeps only what limits coverage and relaxes even that:

* maximise Σ weight(v) × covered[v], the weights of ``model.UNCOVERED`` (travel, cost and every other term
  dropped);
* at least ``staff_needed`` chosen trips through a covered visit (the model's "exactly");
* for each required skill, and language unless ``interpreter``, at least one chosen trip of a holder;
* at most one chosen trip per person and calendar day;
* no common start for a team and no pins (both dropped).

Trips are reduced first: of one person's trips with the same visits and days only one is kept, and a trip is
left out when another trip of the same person covers all its visits and more, on a subset of its days (it
*dominates* it: swapping it in keeps every constraint above satisfied, so no coverage is lost).

Every plan of the week — any choice of the candidate trips that keeps the hard rules — is a solution of this
relaxation with the same covered weight (replace each trip by an undominated trip dominating it). So the best
bound SCIP proves on it, ``W_ub``, is at least the covered weight of every plan, the optimal one included, and
``Σ weight(v) × covered[v] ≤ W_ub`` is a valid cut for the week's LP relaxation (``bound.week_lp``): a plan
leaves out at least ``total weight − W_ub``.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from .candidates import Candidates
from .instance import WeekInstance
from .model import SCALE, UNCOVERED

# Weights in the coverage model: UNCOVERED in thousands of minutes (100 / 10 / 9), whole numbers for SCIP.
WEIGHT_UNIT = 1000


@dataclass
class Coverage:
    chosen: list[int]       # columns of the best solution found (may break the rules the relaxation drops)
    weight: int             # its covered weight, in WEIGHT_UNIT minutes
    bound: int | None       # the proven upper bound W_ub on any plan's covered weight, in WEIGHT_UNIT minutes
    status: str
    nodes: int

    def cap(self) -> float | None:
        """W_ub in model units (tenths of a minute), for the LP cut."""
        return None if self.bound is None else self.bound * WEIGHT_UNIT * SCALE


def weight(visit) -> int:
    return UNCOVERED[visit.priority] // WEIGHT_UNIT


def undominated(cands: Candidates) -> list[int]:
    """The columns left after removing duplicates and dominated columns (see the module docstring)."""
    first: dict[tuple, int] = {}
    for i, c in enumerate(cands.columns):
        first.setdefault((c.staff, frozenset(c.visits), frozenset(c.days)), i)
    by_staff: dict[str, list[tuple]] = defaultdict(list)
    for (staff, visits, days), i in first.items():
        by_staff[staff].append((visits, days, i))
    keep = []
    for staff in sorted(by_staff):
        mine = by_staff[staff]
        for visits, days, i in mine:
            if not any(v2 >= visits and d2 <= days and (v2, d2) != (visits, days) for v2, d2, _ in mine):
                keep.append(i)
    return sorted(keep)


def solve_coverage(inst: WeekInstance, cands: Candidates, seconds: float, nodes: int = 2000) -> Coverage:
    """The coverage relaxation by SCIP, single-threaded, at most ``nodes`` nodes (deterministic), with
    ``seconds`` of wall clock as a backstop."""
    solver = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None:
        return Coverage([], 0, None, "UNAVAILABLE", 0)
    cols = cands.columns
    staff = inst.staff_by_id
    keep = undominated(cands)
    x = {i: solver.BoolVar(f"x{i}") for i in keep}
    through: dict[str, list[int]] = defaultdict(list)
    for i in keep:
        for vid in cols[i].visits:
            through[vid].append(i)
    covered = {}
    for visit in inst.visits:
        mine = through.get(visit.id)
        if not mine:
            continue
        c = covered[visit.id] = solver.BoolVar(f"c_{visit.id}")
        solver.Add(solver.Sum([x[i] for i in mine]) >= visit.staff_needed * c)
        for need in sorted(visit.skills):
            solver.Add(solver.Sum([x[i] for i in mine if need in staff[cols[i].staff].skills]) >= c)
        for need in sorted(visit.required_languages):
            solver.Add(solver.Sum([x[i] for i in mine if need in staff[cols[i].staff].languages]) >= c)
    slots: dict[tuple, list] = defaultdict(list)
    for i in keep:
        for day in cols[i].days:
            slots[cols[i].staff, day].append(x[i])
    for key in sorted(slots):
        if len(slots[key]) > 1:
            solver.Add(solver.Sum(slots[key]) <= 1)
    solver.Maximize(solver.Sum([weight(inst.visit_by_id[v]) * c for v, c in covered.items()]))
    solver.SetNumThreads(1)
    solver.SetTimeLimit(max(100, int(seconds * 1000)))
    solver.SetSolverSpecificParametersAsString(f"limits/nodes = {nodes}\nrandomization/randomseedshift = 0\n")
    code = solver.Solve()
    status = {pywraplp.Solver.OPTIMAL: "OPTIMAL", pywraplp.Solver.FEASIBLE: "FEASIBLE"}.get(code, "UNKNOWN")
    if code not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return Coverage([], 0, None, status, solver.nodes())
    best = solver.Objective().BestBound()
    bound = math.floor(best + 1e-6 * max(1.0, abs(best))) if math.isfinite(best) else None
    chosen = [i for i in keep if x[i].solution_value() > 0.5]
    value = sum(weight(inst.visit_by_id[v]) for v, c in covered.items() if c.solution_value() > 0.5)
    return Coverage(chosen, value, bound, status, solver.nodes())



def total_weight(inst: WeekInstance) -> int:
    return sum(weight(v) for v in inst.visits)
