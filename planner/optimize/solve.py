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

From ``DECOMPOSE_FROM`` candidate trips (the 1,000-visit week) one model is too big for one worker: the week is
solved by region (``_solve_by_region``) and then polished over pairs of regions, see docs/planning.md.

The bound is the better of CP-SAT's own ``best_objective_bound`` and the LP relaxation of the same model with
the teams' common start kept in linear form (``bound.week_lp``); both are valid lower bounds on the best plan among
the candidate trips. A decomposed week's bound is the LP relaxation of the *whole* model, never a sum of the
regions' bounds. The coverage relaxation (``coverage.py``) can add a proven cap on the covered weight to that LP
(``COVERAGE_CUT``, off: measured to add nothing on the benchmark weeks).
"""
from __future__ import annotations

import copy
import math
import time as clock
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .candidates import Candidates
from .instance import Progress, WeekInstance
from .bound import lp_relaxation, week_lp
from .coverage import solve_coverage, total_weight
from .model import SCALE, PlanModel

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
# From this many candidate trips the week is solved by region (see ``_solve_by_region``), about this many visits
# to a region.
DECOMPOSE_FROM = 20_000
REGION_VISITS = 150
# The coverage relaxation (coverage.py) as a cut for the LP bound on big weeks: off, because on the benchmark weeks
# the LP relaxation already covers no more than the relaxation's proven optimum (989.3 against 989 visits on the
# 1,000-visit week), so the cut costs 8-15 s and raises the bound by nothing (docs/planning.md). SCIP's node
# limit (the deterministic stop) and the share of the time limit as a wall-clock backstop.
COVERAGE_CUT = False
COVERAGE_NODES = 3000
COVERAGE_SECONDS_SHARE = 0.3
# Of the deterministic time, for the regions; the rest first for the repair of the visits the regions leave out
# (``repair``: neighbourhoods of the people from any region who could take an uncovered visit, one worker,
# ``REPAIR_STEP`` units each, passes while they improve), then, if any is left, for the polish over two regions at a
# time. Measured on the 1,000-visit week (docs/planning.md): regions 0.85 -> 967 visits covered, 0.8 -> 968,
# 0.7 -> 967, 0.6 -> 967 (the largest region needs its share); the polish improved nothing with 7.6 units.
REGION_SHARE = 0.8
REPAIR_STEP = 1.0


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
    big = len(cands.columns) >= DECOMPOSE_FROM
    cover = None
    if big and COVERAGE_CUT:
        cover = solve_coverage(inst, cands, seconds=COVERAGE_SECONDS_SHARE * time_limit, nodes=COVERAGE_NODES)
        if progress and cover.bound is not None:
            progress(f"solving: coverage relaxation: at most {cover.bound:,} of {total_weight(inst):,} "
                     f"weight coverable ({cover.status}, {cover.nodes} nodes)")
    relax = week_lp(inst, cands, time_limit=max(1.0, time_limit / 4),
                    coverage_cap=cover.cap() if cover is not None else None)
    lp = relax[0] if relax is not None else None
    if progress and lp is not None:
        progress(f"solving: LP relaxation bound {(lp + pm.constant) / SCALE:,.0f} min")
    if big:
        # The regions follow the LP read off the CP-SAT model (its optimum is a vertex that splits the week better
        # than week_lp's: measured on the 1,000-visit week, 966 visits covered against 953 in the same time);
        # its value, a weaker bound, only counts if week_lp failed.
        guide = lp_relaxation(pm.model, time_limit=max(1.0, time_limit / 4))
        if guide is not None:
            values = [guide[1][x.Index()] for x in pm.x]
            lp = guide[0] if lp is None else max(lp, guide[0])
            return _solve_by_region(inst, cands, pm, (lp, values), hint or [], work, deadline, started, progress)
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
    bound = (max(solver.best_objective_bound, lp if lp is not None else -float("inf")) + pm.constant) / SCALE
    bound = min(bound, objective)
    return Selection(chosen, starts_of(cands, chosen, pinned_starts(inst)), solver.status_name(code), objective, bound, seconds,
                     stats, pm.pin_problems)


def regions(inst: WeekInstance, cands: Candidates, x_values: list[float]) -> tuple[dict, dict]:
    """Split a big week into regions: offices grouped by location (k-means, deterministic), each person in their
    office's region, each visit in the region whose people cover it most in the LP optimum (``x_values``, one per
    column; else the region with most of its candidate trips); a pinned visit goes with its first pinned person,
    and the other pinned people with it."""
    staff = inst.staff_by_id
    offices = sorted({staff[c.staff].office for c in cands.columns})
    k = max(1, min(len(offices), round(len(inst.visits) / REGION_VISITS)))
    point = {o: (inst.offices[o].lat, inst.offices[o].lon * math.cos(math.radians(inst.offices[o].lat)))
             for o in offices}
    weight = defaultdict(int)
    for c in cands.columns:
        weight[staff[c.staff].office] += 1
    centres = [point[max(offices, key=lambda o: (weight[o], o))]]
    while len(centres) < k:  # farthest point first
        centres.append(point[max(offices, key=lambda o: (min(_d2(point[o], c) for c in centres), o))])
    group = {}
    for _ in range(30):
        group = {o: min(range(k), key=lambda j: (_d2(point[o], centres[j]), j)) for o in offices}
        new = []
        for j in range(k):
            members = [o for o in offices if group[o] == j] or [None]
            if members == [None]:
                new.append(centres[j])
                continue
            w = sum(weight[o] for o in members)
            new.append((sum(point[o][0] * weight[o] for o in members) / w,
                        sum(point[o][1] * weight[o] for o in members) / w))
        if new == centres:
            break
        centres = new
    person = {pid: group[p.office] for pid, p in staff.items() if p.office in group}
    visit_region = {}
    for vid, cols in sorted(cands.by_visit.items()):
        if not cols:
            continue
        score = defaultdict(float)
        for i in cols:
            score[person[cands.columns[i].staff]] += 1000.0 * x_values[i] + 1.0
        visit_region[vid] = max(sorted(score), key=lambda j: score[j])
    for pin in inst.pins:
        if pin.visit in visit_region and pin.staff and pin.staff[0] in person:
            visit_region[pin.visit] = person[pin.staff[0]]
            for pid in pin.staff:
                person[pid] = visit_region[pin.visit]
    return person, visit_region


def _d2(a, b) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _solve_by_region(inst: WeekInstance, cands: Candidates, pm: PlanModel, relax, hint: list[int], work: float,
                     deadline: float, started: float, progress: Progress | None) -> Selection:
    """A big week solved region by region (each region's people, visits and the candidate trips inside it, one
    CP-SAT model each, started from the greedy plan's trips there). The regions' plans together are one plan of
    the whole week; its objective is computed on the whole model, and its bound is the LP relaxation of the
    *whole* model (regions are not a relaxation: people of one region could serve another's visits, so the sum of
    the regions' bounds would not be a valid bound)."""
    lp, values = relax
    person, visit_region = regions(inst, cands, values)
    n = max(visit_region.values(), default=-1) + 1
    members: list[list[int]] = [[] for _ in range(n)]
    for i, c in enumerate(cands.columns):
        j = person.get(c.staff)
        if j is not None and all(visit_region.get(v) == j for v in c.visits):
            members[j].append(i)
    hinted = set(hint)
    chosen: list[int] = []
    stats = {"columns": len(cands.columns), "regions": [], "deterministic_time": 0.0}
    total = sum(len(m) for m in members) or 1
    for j in range(n):
        cols = members[j]
        if not cols:
            continue
        budget = REGION_SHARE * work * len(cols) / total
        sub_cands = Candidates([cands.columns[i] for i in cols], {}, cands.days, cands.no_day, cands.relevant)
        region_visits = [v for v in inst.visits if visit_region.get(v.id) == j]
        sub_cands.by_visit = {v.id: [] for v in region_visits}
        for k, c in enumerate(sub_cands.columns):
            for vid in c.visits:
                sub_cands.by_visit[vid].append(k)
        sub = copy.copy(inst)
        sub.visits = region_visits
        sub.pins = [p for p in inst.pins if visit_region.get(p.visit) == j]
        spm = PlanModel(sub, sub_cands)
        spm.hint({k for k, i in enumerate(cols) if i in hinted})
        solver, code = _search(spm.model, len(cols), budget, max(0.1, deadline - clock.perf_counter()))
        stats["deterministic_time"] += solver.deterministic_time
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            mine = [cols[k] for k, x in enumerate(spm.x) if solver.boolean_value(x)]
            chosen.extend(mine)
            rgap = (solver.objective_value - solver.best_objective_bound) / max(solver.objective_value, 1)
            stats["regions"].append((len(region_visits), len(cols), solver.status_name(code), round(rgap, 4)))
            if progress:
                progress(f"solving: region {j + 1}/{n}: {len(region_visits)} visits, {len(cols)} trips, "
                         f"{solver.status_name(code)}, region gap {rgap:.1%}")
    chosen = _fill(inst, cands, chosen)
    chosen, current = repair(inst, cands, pm, chosen, work - stats["deterministic_time"], deadline, stats, progress)
    # polish: large neighbourhoods of two regions together (their people, their visits, the trips between them),
    # the rest of the plan fixed, while the time lasts; a neighbourhood's plan is kept only when the whole plan
    # gets better
    pairs = sorted(((-sum(1 for c in cands.columns if person.get(c.staff) in (a, b)
                          and {visit_region.get(v) for v in c.visits} | {person.get(c.staff)} == {a, b}), a, b)
                    for a in range(n) for b in range(a + 1, n)))
    for cross, a, b in pairs:
        left = work - stats["deterministic_time"]
        if cross == 0 or left < 1.0 or deadline - clock.perf_counter() < 2.0:
            break
        better = _neighbourhood(inst, cands, pm, chosen, {a, b}, person, visit_region, min(left, max(1.0, left / 3)),
                                deadline, stats)
        if better is not None:
            value = pm.value(better)
            if value < current:
                chosen, current = better, value
                if progress:
                    progress(f"solving: regions {a + 1}+{b + 1} together: objective {(current + pm.constant) / SCALE:,.0f} min")
    chosen.sort()
    objective = (current + pm.constant) / SCALE
    bound = min((lp + pm.constant) / SCALE, objective)
    status = "OPTIMAL" if objective <= bound else "FEASIBLE"
    if progress:
        progress(f"solving: plan with objective {objective:,.0f} min, bound {bound:,.0f} (LP of the whole week)")
    return Selection(chosen, starts_of(cands, chosen, pinned_starts(inst)), status, objective, bound,
                     clock.perf_counter() - started, stats, pm.pin_problems)


def _fill(inst: WeekInstance, cands: Candidates, chosen: list[int]) -> list[int]:
    """Visits left out of every region's plan, most urgent first, get the cheapest free single trips of anyone
    (also from another region) when a whole team can still go."""
    from .greedy import best_team, greedy_order
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


def _neighbourhood(inst: WeekInstance, cands: Candidates, pm: PlanModel, chosen: list[int], group: set[int],
                   person: dict, visit_region: dict, work: float, deadline: float, stats: dict) -> list[int] | None:
    """Re-solve the people and visits of the regions in ``group`` with every trip among them, the rest of the
    plan fixed (its trips keep their people's days and their visits)."""
    cols = cands.columns
    inside = lambda c: person.get(c.staff) in group and all(visit_region.get(v) in group for v in c.visits)  # noqa: E731
    fixed = {i for i in chosen if not inside(cols[i])}
    while True:  # a team visit with one fixed member stays fixed with all its members
        fixed_visits = {v for i in fixed for v in cols[i].visits}
        more = {i for i in chosen if i not in fixed and fixed_visits & set(cols[i].visits)}
        if not more:
            break
        fixed |= more
    blocked = {(cols[i].staff, d) for i in fixed for d in cols[i].days}
    fixed_visits = {v for i in fixed for v in cols[i].visits}
    free_visits = [v for v in inst.visits if visit_region.get(v.id) in group and v.id not in fixed_visits]
    free_ids = {v.id for v in free_visits}
    members = [i for i, c in enumerate(cols) if inside(c) and set(c.visits) <= free_ids
               and all((c.staff, d) not in blocked for d in c.days)]
    if not members:
        return None
    picked = _solve_part(inst, cands, members, free_visits, set(chosen), work, deadline, stats)
    return None if picked is None else sorted(fixed | set(picked))


def _solve_part(inst: WeekInstance, cands: Candidates, members: list[int], open_visits: list, hint: set[int],
                work: float, deadline: float, stats: dict, one: bool = False) -> list[int] | None:
    """Solve the week restricted to the columns ``members`` and the visits ``open_visits`` (the rest of the plan
    fixed by the caller), started from the columns in ``hint``; the chosen column indices, or None."""
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
    solver, code = _search(spm.model, len(members), work, max(0.1, deadline - clock.perf_counter()), one=one)
    stats["deterministic_time"] = stats.get("deterministic_time", 0.0) + solver.deterministic_time
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [members[k] for k, x in enumerate(spm.x) if solver.boolean_value(x)]


def repair(inst: WeekInstance, cands: Candidates, pm: PlanModel, chosen: list[int], work: float, deadline: float,
           stats: dict, progress: Progress | None = None) -> tuple[list[int], int]:
    """Large-neighbourhood repair over the visits a plan leaves out: for each uncovered visit (most urgent first,
    then the tightest window; deterministic), the people of *any* region with a candidate trip through it are
    freed with everything they do (``_relieve``), the rest of the plan stays fixed, and that neighbourhood is
    re-solved from the current plan; its plan is kept only when the whole week's objective (``PlanModel.value``)
    improves. Returns the plan and its value (model units, without the constant)."""
    from .greedy import greedy_order
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
        people = {cols[i].staff for i in cands.by_visit[seed.id]}
        before = stats.get("deterministic_time", 0.0)
        better = _relieve(inst, cands, chosen, people, min(left, REPAIR_STEP), deadline, stats)
        spent += stats.get("deterministic_time", 0.0) - before
        if better is not None:
            value = pm.value(better)
            if value < current:
                chosen, current, improved = better, value, True
                stats["repaired"] = stats.get("repaired", 0) + 1
                if progress:
                    progress(f"solving: repair around visit {seed.id}: objective "
                             f"{(current + pm.constant) / SCALE:,.0f} min")
    return chosen, current


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
    picked = _solve_part(inst, cands, members, open_visits, set(freed), work, deadline, stats, one=True)
    return None if picked is None else sorted(fixed + picked)
