"""Coverage cores: sets of visits that no plan covers all together, found by CP-SAT while a big week is searched.

A busy week's LP relaxation covers nearly every visit some trip reaches, each in part, where no plan can: on a
generated 300-visit week the LP covered all 293 reachable visits, and CP-SAT proved that no plan covers more than
291. Most of that week's gap was this, not a poor plan. So, beside the search, a second thread asks CP-SAT for a
plan covering every visit, with the visits as *assumptions*; an infeasible answer comes with a core, a set of
visits that cannot all be covered (``sufficient_assumptions_for_infeasibility``). The core's visits are then
left free and the question is asked again of the rest, so the cores found are disjoint. Each core ``C`` is a
valid cut ``Σ_{v∈C} covered[v] ≤ |C| − 1`` for the week's LP (``bound.LpRelaxation.tighten``), which raises the
bound the plan is measured against.

Most cores of a generated week are visits that need one skill or language its few holders cannot all take (on a
300-visit week, the four visits needing Spanish: the whole week's question found that core after 5 s of one
worker). So first each such group of visits is asked alone (``_need_groups``), in a model of only its visits'
trips where the other visits on them have no rule (``model.part_model``): a relaxation, so its cores are the
week's, and small (that core in 0.4 s). Then the whole week is asked, less the cores found.

Deterministic like the rest of the solve: one worker, each question limited by deterministic time, a fixed
order; the wall clock at ``seconds`` is a backstop (``result`` stops a question still running, and the cores
found until then stand: each is proven).
"""
from __future__ import annotations

import threading
import time as clock

from ortools.sat.python import cp_model

from ..core.records import Visit
from .candidates import Candidates
from .instance import WeekInstance
from .model import PlanModel, part_model

# Deterministic time of one question (measured on a generated 300-visit week, 36,531 trips: the first core in
# 4.9 s, the second in 39 s of one worker), and of all of them together.
CORE_STEP = 30.0
CORE_WORK = 60.0
# The groups of visits needing one skill or language asked alone: up to this many visits and trips through them
# (on the 300-visit weeks, a group of the four Spanish visits had 1,022 trips and was answered in 0.4 s, 47 visits
# needing counselling or Spanish 11,426 trips in 2.9 s), each question up to this much deterministic time.
NEED_GROUP_VISITS = 40
NEED_GROUP_TRIPS = 8_000
NEED_STEP = 2.0


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
        free: set[str] = set()
        spent = 0.0
        for group in _need_groups(inst, cands):
            members = sorted({i for v in group for i in cands.by_visit[v.id]})
            while not self._stop.is_set() and spent < CORE_WORK:
                visits = [v for v in group if v.id not in free]
                if not visits:
                    break
                core, work = self._ask(part_model(inst, cands, members, visits), free, NEED_STEP)
                spent += work
                if not core:
                    break
        pm = PlanModel(inst, cands)
        while not self._stop.is_set() and CORE_WORK - spent >= 0.5:
            core, work = self._ask(pm, free, min(CORE_STEP, CORE_WORK - spent))
            spent += work
            if not core:
                return

    def _ask(self, pm: PlanModel, free: set[str], work: float) -> tuple[list[str], float]:
        """Whether ``pm`` can cover all its visits but those in ``free``, in ``work`` deterministic units (the
        same cores on every run): a core when it cannot (kept, and its visits added to ``free``), else none; and
        the deterministic time spent."""
        asked = [(vid, lit) for vid, lit in pm.covered.items() if vid not in free]
        core, spent = _uncoverable(pm, asked, work, self._deadline, self._running)
        if core:
            self._cores.append(core)
            free.update(core)
        return core, spent

    def _running(self, solver: cp_model.CpSolver | None) -> bool:
        """Records the question being asked (None: it ended), so that ``result`` can stop it; False when the
        search is stopped already."""
        with self._lock:
            if self._stop.is_set():
                return False
            self._solver = solver
            return True

    def any_found(self) -> bool:
        """Whether a core has been found yet (without waiting)."""
        return bool(self._cores)

    def result(self, until: float | None = None) -> list[list[str]]:
        """The cores found (each a sorted list of visit ids; disjoint): waits for the search until its time is up
        (or ``until``, when sooner), then stops it."""
        self._thread.join(max(0.0, min(self._deadline, until or self._deadline) - clock.perf_counter()))
        with self._lock:
            self._stop.set()
            if self._solver is not None:
                self._solver.stop_search()
        self._thread.join()
        return list(self._cores)


def _need_groups(inst: WeekInstance, cands: Candidates) -> list[list[Visit]]:
    """For each skill and language, the visits with trips that need it, when they are few enough to ask alone
    (``NEED_GROUP_VISITS``, ``NEED_GROUP_TRIPS``); the smallest groups first."""
    groups: dict[tuple[str, str], list[Visit]] = {}
    for visit in inst.visits:
        if cands.by_visit.get(visit.id):
            needs = [("skill", s) for s in visit.skills] + [("language", s) for s in visit.required_languages]
            for need in needs:
                groups.setdefault(need, []).append(visit)
    small = [(len(visits), need, visits) for need, visits in groups.items() if len(visits) <= NEED_GROUP_VISITS
             and sum(len(cands.by_visit[v.id]) for v in visits) <= NEED_GROUP_TRIPS]
    return [visits for _n, _need, visits in sorted(small)]


def confirmed(inst: WeekInstance, cands: Candidates, cores: list[list[str]], until: float) -> list[list[str]]:
    """The ``cores`` that still hold over every trip now through their visits (trips made after they were found,
    by the insertion, included): each asked again alone in a model of those trips (``part_model``, a relaxation,
    so a core it proves is the week's), ``NEED_STEP`` deterministic units each, until ``until`` (wall clock); a
    core not proven again is dropped. (On a 300-visit week the insertion gave one of four visits of a core a trip
    of someone free that day: proven again in 0.35 s, it raised the bound by a visit's 10,000.) The part of a core
    CP-SAT gives back, when smaller, is the core kept: its cut is the stronger."""
    held = []
    for core in cores:
        if clock.perf_counter() > until - 0.1:  # (before building its model)
            break
        visits = [inst.visit_by_id[vid] for vid in core]
        pm = part_model(inst, cands, sorted({i for vid in core for i in cands.by_visit[vid]}), visits)
        found, _work = _uncoverable(pm, list(pm.covered.items()), NEED_STEP, until, lambda _solver: True, 0.1)
        if found:
            held.append(found)
    return held


def _uncoverable(pm: PlanModel, asked: list, work: float, until: float, running, least: float = 0.5
                 ) -> tuple[list[str], float]:
    """The visits of ``asked`` (visit id, its covered literal) that ``pm`` cannot all cover, as CP-SAT's core of
    the assumptions, in ``work`` deterministic units and by ``until`` on the wall clock (a backstop); empty when
    they can be or the time ends first. ``running(solver)`` is told of the solve (None when it ends) and stops
    it before it starts by answering False; none is asked with less than ``least`` seconds left. The
    deterministic time spent is returned too."""
    seconds = until - clock.perf_counter()
    if seconds < least or not asked:
        return [], 0.0
    pm.model.clear_objective()  # only whether the visits can all be covered
    pm.model.clear_assumptions()
    pm.model.add_assumptions([lit for _vid, lit in asked])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = work
    solver.parameters.max_time_in_seconds = seconds
    if not running(solver):
        return [], 0.0
    code = solver.solve(pm.model)
    running(None)
    if code != cp_model.INFEASIBLE:
        return [], solver.deterministic_time
    by_index = {lit.index: vid for vid, lit in asked}
    return sorted(by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index), \
        solver.deterministic_time
