"""Coverage cores: sets of visits that no plan covers all together, found by CP-SAT while a big week is searched.

A busy week's LP relaxation covers nearly every visit some trip reaches, each in part, where no plan can: on a
generated 300-visit week the LP covered all 293 reachable visits, and CP-SAT proved that no plan covers more than
291. Most of that week's gap was this, not a poor plan. So, beside the search, a second thread asks CP-SAT for a
plan covering every visit, with the visits as *assumptions*; an infeasible answer comes with a core, a set of
visits that cannot all be covered (``sufficient_assumptions_for_infeasibility``). The core's visits are then
left free and the question is asked again of the rest, so the cores found are disjoint. Each core ``C`` is a
valid cut ``Σ_{v∈C} covered[v] ≤ |C| − 1`` for the week's LP (``bound.LpRelaxation.tighten``), which raises the
bound the plan is measured against.

Deterministic like the rest of the solve: one worker, each question limited by deterministic time, a fixed
order; the wall clock at ``seconds`` is a backstop (``result`` stops a question still running, and the cores
found until then stand: each is proven).
"""
from __future__ import annotations

import threading
import time as clock

from ortools.sat.python import cp_model

from .candidates import Candidates
from .instance import WeekInstance
from .model import PlanModel

# Deterministic time of one question (measured on a generated 300-visit week, 36,531 trips: the first core in
# 4.9 s, the second in 39 s of one worker), and of all of them together.
CORE_STEP = 30.0
CORE_WORK = 60.0


class CoverageCores:
    """Finds coverage cores in a background thread for at most ``seconds``; ``result`` gives them."""

    def __init__(self, inst: WeekInstance, cands: Candidates, seconds: float):
        self._cores: list[list[str]] = []
        self._stop = threading.Event()
        self._solver: cp_model.CpSolver | None = None
        self._lock = threading.Lock()
        self._deadline = clock.perf_counter() + seconds
        self._thread = threading.Thread(target=self._run, args=(inst, cands), daemon=True, name="coverage-cores")
        self._thread.start()

    def _run(self, inst: WeekInstance, cands: Candidates) -> None:
        pm = PlanModel(inst, cands)
        pm.model.clear_objective()  # only whether the visits can all be covered
        free: set[str] = set()
        spent = 0.0
        while not self._stop.is_set():
            work = min(CORE_STEP, CORE_WORK - spent)  # deterministic units: the same cores on every run
            seconds = self._deadline - clock.perf_counter()  # the wall clock, a backstop
            asked = [(vid, lit) for vid, lit in pm.covered.items() if vid not in free]
            if work < 0.5 or seconds < 0.5 or not asked:
                return
            pm.model.clear_assumptions()
            pm.model.add_assumptions([lit for _vid, lit in asked])
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.max_deterministic_time = work
            solver.parameters.max_time_in_seconds = seconds
            with self._lock:
                if self._stop.is_set():
                    return
                self._solver = solver
            code = solver.solve(pm.model)
            spent += solver.deterministic_time
            with self._lock:
                self._solver = None
            if code != cp_model.INFEASIBLE:
                return
            by_index = {lit.index: vid for vid, lit in asked}
            core = sorted(by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index)
            if not core:
                return
            self._cores.append(core)
            free.update(core)

    def result(self) -> list[list[str]]:
        """The cores found (each a sorted list of visit ids; disjoint): waits for the search until its time is up,
        then stops it."""
        self._thread.join(max(0.0, self._deadline - clock.perf_counter()))
        with self._lock:
            self._stop.set()
            if self._solver is not None:
                self._solver.stop_search()
        self._thread.join()
        return list(self._cores)
