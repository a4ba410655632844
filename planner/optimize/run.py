"""Planning a week end to end: travel matrix, candidates, solver (CP-SAT or greedy), plan JSON, validation."""
from __future__ import annotations

import time as clock
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from ..core.messages import message
from .big_week import REPAIR_LAST_START, repair, why_big
from .lagrangian_bound import visit_bound
from .candidates import CandidateGenerator
from .greedy import solve_greedy
from .insertion import insert_free_people, insert_left_out, insert_relieving
from .instance import Progress, WeekInstance
from .model import SCALE, PlanModel, plan_value
from .plan import build_plan
from .pricing import Outside
from .search import DET_PER_SECOND
from .selection import pinned_starts, starts_of
from .sizing import size_week
from .solve import solve
from .validate import check_plan, plan_objective

SOLVERS = ("cp-sat", "greedy")
# Share of --time-limit given to the search as deterministic work; the rest covers loading, the travel matrix, the
# candidates, the LP bound and building the plan (measured on the benchmark weeks: at most about 15 %).
WORK_SHARE = 0.85
# Kept back from the wall clock for what follows the search (the greedy start, building and validating the plan
# JSON, storing it, the process's exit): 0.5 s and 2 ms per visit (measured: 1.3 s at 1,000 visits on the 2-core
# machine), at most this share of the time limit; and the least time worth starting a search in.
FINISH_SHARE, FINISH_SECONDS, FINISH_PER_VISIT = 0.25, 0.5, 0.002
MIN_SEARCH_SECONDS = 1.0
# A week left no time for a search is planned by the greedy rules alone, which need less after them: the plan JSON,
# its validation and storing (``GREEDY_PLAN_*``: 0.6-0.7 s at 1,000 visits, with room for a slower machine), and
# before that the greedy plan and its bound (``GREEDY_AND_BOUND_SECONDS``); its single trips may go on until these
# are left (measured on 1,000-visit weeks at --time-limit 10: every second of single trips is about a hundred
# visits covered).
GREEDY_PLAN_SECONDS, GREEDY_PLAN_PER_VISIT, GREEDY_AND_BOUND_SECONDS = 0.5, 0.001, 0.5
# Of the time left before the search, the most that making the trips outside the candidates of an "every trip"
# week beside the search may take (``pricing``; about 1.5 s on the demo week); when it runs out, the plan is
# optimal over the candidates only.
PRICING_SHARE = 0.3
# The most trips the proof takes in to solve the week again with: more say that the LP lies far below the plan, and
# a search over them would not end in the time. On a generated 30-visit week (seed 4) 33,975 trips could improve a
# plan over 9,000 candidates, and the search with them ended without a plan; on the others 800-1,200 could.
PROOF_TRIPS = 10_000
# Seconds per visit kept after the travel matrix for the trips, which every plan needs: the journeys asked one by one
# stop in time for them (each visit's nearest office excepted). Measured on two 1,000-visit weeks at --time-limit 10
# (single trips about 2 s, then chains and the insertion): 2 ms → 607 and 801 visits covered, 5 ms → 640 and 886
# (the farther offices' flights left out), 6 ms → 643 and 832.
SINGLE_TRIPS_PER_VISIT = 0.005
# Seconds per candidate trip to build the model and the LP before a search can start (measured on the 1,000-visit
# benchmark week, 36,911 trips: 1.5 s for the CP-SAT model and 3.8 s for the LP on the 2-core machine).
SETUP_PER_TRIP = 0.00015
# Seconds per candidate trip to set up the Lagrangian bound of a plan kept without a search (scoring every trip).
BOUND_SETUP_PER_TRIP = 0.00002


class InvalidPlan(RuntimeError):
    """The plan broke a hard rule (a bug): it is never stored."""


def _quiet(_) -> None:
    pass


def _bound_in_time(inst: WeekInstance, cands, kept, finish_by: float) -> float | None:
    """The Lagrangian bound (``lagrangian_bound.visit_bound``) for the plan ``kept`` without a search, when the time
    left before ``finish_by`` covers its setup (scoring every trip, about 10 µs each); None otherwise."""
    left = finish_by - clock.perf_counter()
    if left < BOUND_SETUP_PER_TRIP * len(cands.columns):
        return None
    upper = plan_value(inst, cands, kept.chosen)
    return visit_bound(inst, cands, seconds=left / 2, upper=upper) / SCALE


def _greedy_improved(inst: WeekInstance, cands, greedy, until: float, time_limit: float, say: Progress):
    """The greedy plan with the visits it leaves out put on its trips where they fit, given to people free that
    day or to people relieved of a trip (``insertion``; the bound, taken after, is over their new trips too), then
    those still left out repaired as a big week's are (``big_week.repair``: CP-SAT over the neighbourhood of each,
    a part of the week at a time, so no model of every trip is needed), until ``until``: a week with no time for a
    search may still have seconds for these."""
    chosen, inserted = insert_left_out(inst, cands, greedy.chosen, until)
    chosen, given = insert_free_people(inst, cands, chosen, until)
    chosen, relieved = insert_relieving(inst, cands, chosen, until)
    repaired: dict = {}
    if until - clock.perf_counter() > REPAIR_LAST_START:
        chosen, _value = repair(inst, cands, PlanModel(inst, cands, build=False), chosen,
                                WORK_SHARE * time_limit * DET_PER_SECOND, until, repaired, say)
    done = {name: n for name, n in (("inserted", inserted), ("free_people_trips", given), ("relieved", relieved),
                                    ("repaired", repaired.get("repaired"))) if n}
    if not done:
        return greedy
    return replace(greedy, chosen=chosen, starts=starts_of(cands, chosen, pinned_starts(inst)),
                   stats=greedy.stats | done)


def _objective(inst: WeekInstance, cands, selection) -> float:
    """A selection's objective by the solver-independent formula (on its plan JSON)."""
    return plan_objective(build_plan(inst, cands, selection, "greedy"), inst)


class Phases:
    """Seconds per phase of a run, for the plan's ``stats``."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._last = clock.perf_counter()

    def done(self, name: str) -> None:
        now = clock.perf_counter()
        self.seconds[name] = round(now - self._last, 2)
        self._last = now


def _path(inst: WeekInstance, cands, selection) -> tuple[str, str]:
    """Which search ran (the solver's stats say) and why, in words for the plan JSON."""
    method = selection.stats.get("method", "cp-sat")
    big = why_big(inst, cands)
    if method == "master":
        return method, f"{big}, priced by the week's LP"
    if method == "master-no-lp":
        return method, f"{big}; the LP did not finish in its time, so each visit's trips are priced by cost"
    return "cp-sat", f"{len(cands.columns):,} candidate trips: one CP-SAT model over all of them"


def _making(inst: WeekInstance, cands, sizing, generator: CandidateGenerator,
            finish_by: float) -> Future | None:
    """When the candidates are every trip of the rules but longer chains: those chains (``pricing``), made in a
    thread beside the search (CP-SAT searches on one core, the chains are made on the other) within
    ``PRICING_SHARE`` of the time left, and the LP with those of them it takes (``Outside.converge_beside``)."""
    if sizing is None or not sizing.every_trip or not generator.complete or not inst.travel.complete:
        return None
    until = clock.perf_counter() + PRICING_SHARE * (finish_by - clock.perf_counter())

    def outside() -> Outside:
        made = Outside(inst, cands, generator, until)
        made.converge_beside(cands, finish_by)
        return made

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pricing")
    making = pool.submit(outside)
    pool.shutdown(wait=False)  # the thread ends with its chains
    return making


def _price_and_solve(inst: WeekInstance, cands, selection, making: Future | None, finish_by: float,
                     say: Progress, work_seconds: float):
    """The proof that a plan proven optimal over the candidates is so over every trip (``pricing``): the chains
    outside them with a negative reduced cost in the LP join them (and the week is solved again from the plan);
    then, while chains could still improve the plan by their reduced cost, they join the candidates and the week
    is solved again. A search again that ends unproven without a better plan keeps the plan proven before
    (optimal over the candidates it had)."""
    if making is None or selection.status != "OPTIMAL":  # nothing to prove (the thread ends at its own deadline)
        return selection
    outside = making.result()
    if outside.trips is None and outside.search is None:
        say(message("outside_given_up"))
        return selection
    say(message("outside_trips", n=outside.made) if outside.search is None else message("outside_search"))
    while selection.status == "OPTIMAL" and "model_objective" in selection.stats:  # (a big week's master: none)
        count, proven = len(cands.columns), False
        relax = outside.converge(cands, finish_by)
        if relax is None:
            break
        if len(cands.columns) == count:  # the LP took no chain (else the week is solved again with them first)
            better = outside.below(cands, relax, outside.proof_bar(relax, selection.stats["model_objective"]),
                                   finish_by, most=PROOF_TRIPS)
            if better is None:  # the search did not end in the time
                break
            say(message("priced", trips=outside.made, better=len(better)))
            if not better:
                selection.stats["optimal_over_all"] = True
                break
            if len(better) > PROOF_TRIPS:  # too many to solve again in the time
                break
            # Under this LP's duals every chain left outside is priced at or above the bar, which only a plan
            # dearer than this one could reach: a plan proven optimal with these chains is so over every trip.
            outside.join(cands, better)
            proven = True
        if finish_by - clock.perf_counter() <= MIN_SEARCH_SECONDS:
            break
        again = solve(inst, cands, finish_by - clock.perf_counter(), hint=selection.chosen, progress=say,
                      work_seconds=work_seconds)
        if again.status != "OPTIMAL" and (again.objective is None or again.objective >= selection.objective):
            break
        selection = again
        if proven and selection.status == "OPTIMAL":
            selection.stats["optimal_over_all"] = True
            break
    selection.stats.update(outside_trips_priced=outside.made, outside_trips_added=outside.added)
    return selection


def _stats(inst: WeekInstance, cands, selection, why: str, phases: Phases) -> dict:
    """The plan's ``stats``: the sizes of the run, its LP, and its seconds per phase (issue 14, point 2)."""
    solver = selection.stats
    return {"why": why, "visits": len(inst.visits), "people": len(inst.staff), "journeys": len(inst.travel),
            "journeys_cached": inst.travel.stats["cached"], "journeys_left_out": inst.travel.stats["left_out"],
            "candidate_trips": len(cands.columns),
            "chained_trips": sum(c.kind == "chain" for c in cands.columns),
            "master_trips": solver.get("master_columns"), "lp": solver.get("lp", "not run"),
            "lp_seconds": solver.get("lp_seconds"), "lp_teams": solver.get("lp_teams"),
            "coverage_cores": solver.get("coverage_cores"),
            "lp_with_cores": solver.get("lp_with_cores"), "inserted": solver.get("inserted"),
            "free_people_trips": solver.get("free_people_trips"), "relieved": solver.get("relieved"),
            "inserted_trips": solver.get("inserted_trips"), "lp_with_inserted": solver.get("lp_with_inserted"),
            "lp_with_inserted_how": solver.get("lp_with_inserted_how"),
            "lp_with_inserted_seconds": solver.get("lp_with_inserted_seconds"),
            "lp_with_inserted_beside": solver.get("lp_with_inserted_beside"),
            "outside_trips_priced": solver.get("outside_trips_priced"),
            "outside_trips_added": solver.get("outside_trips_added"),
            "repaired": solver.get("repaired"), "polished": solver.get("polished"),
            "repair_wider": solver.get("repair_wider"),
            "seconds": dict(phases.seconds)}


def _changes(inst: WeekInstance, plan: dict) -> dict:
    """How many of the meetings the week had before this run it moves (another person or day) or leaves out."""
    before = {v: was for v, was in inst.previous.items() if v in inst.visit_by_id}
    if not before:
        return {}
    now = {a["visit"]: (frozenset(a["staff"]), a["date"]) for a in plan["assignments"]}
    changed = sum(now.get(v) != (staff, day.isoformat()) for v, (staff, day) in before.items())
    return {"meetings_before": len(before), "meetings_changed": changed}


def plan_week(inst: WeekInstance, solver: str = "cp-sat", time_limit: float = 30.0,
              progress: Progress | None = None, generator: CandidateGenerator | None = None,
              validate: bool = True, deadline: float | None = None) -> dict:
    """The week's plan JSON. ``solver`` is 'cp-sat' (started from the greedy plan) or 'greedy'.

    ``time_limit`` sets the search's deterministic budget (so the same week gives the same plan); the wall clock
    ends at ``deadline`` (``time.perf_counter()`` / ``time.monotonic()`` time; default ``time_limit`` from now),
    which a caller sets to cover what it did before (loading the week) too."""
    if solver not in SOLVERS:
        raise ValueError(f"unknown solver {solver!r} (use {' or '.join(SOLVERS)})")
    say = progress or _quiet
    started = clock.perf_counter()
    deadline = started + time_limit if deadline is None else deadline
    phases = Phases()
    # kept for what comes after the search: the greedy start, the plan JSON, its validation and storing
    finish_by = deadline - min(FINISH_SHARE * time_limit, FINISH_SECONDS + FINISH_PER_VISIT * len(inst.visits))
    plan_by = deadline - min(FINISH_SHARE * time_limit, GREEDY_PLAN_SECONDS + GREEDY_PLAN_PER_VISIT * len(inst.visits))
    singles_until = max(finish_by, plan_by - GREEDY_AND_BOUND_SECONDS)
    say(message("matrix_size", visits=len(inst.visits), offices=len(inst.used_offices())))
    inst.precompute_travel(say, until=singles_until - SINGLE_TRIPS_PER_VISIT * len(inst.visits))
    say(message("matrix_done", journeys=len(inst.travel)))
    phases.done("matrix")
    sizing = size_week(inst, time_limit) if generator is None else None
    generator = sizing.generator if sizing is not None else generator
    cands = generator.generate(say, deadline=finish_by, singles_until=singles_until)
    phases.done("candidates")
    greedy = solve_greedy(inst, cands)
    phases.done("greedy")
    method, why, start = "cp-sat", None, greedy.stats.get("start")
    if solver == "greedy":
        selection = greedy
        method, why = "greedy", "the greedy solver was asked for"
    elif finish_by - clock.perf_counter() < MIN_SEARCH_SECONDS + SETUP_PER_TRIP * len(cands.columns):
        say(message("no_search_time"))
        # the bound's setup kept (scoring every trip), and half as long again for its steps
        until = plan_by - 1.5 * BOUND_SETUP_PER_TRIP * len(cands.columns)
        selection = _greedy_improved(inst, cands, greedy, until, time_limit, say)
        selection = replace(selection, bound=_bound_in_time(inst, cands, selection, plan_by))
        method, why = "greedy", "no time was left for a search within the time limit"
    else:
        making = _making(inst, cands, sizing, generator, finish_by)
        say(message("cp_sat", trips=len(cands.columns), limit=time_limit))
        # deterministic work budget from the limit alone (not from how long loading took), so runs repeat
        selection = solve(inst, cands, max(1.0, finish_by - clock.perf_counter()), hint=greedy.chosen, progress=say,
                          work_seconds=WORK_SHARE * time_limit)
        selection = _price_and_solve(inst, cands, selection, making, finish_by, say, WORK_SHARE * time_limit)
        method, why = _path(inst, cands, selection)
        start = selection.stats.get("start", start)  # a big week's master may start from the LP's plan rounded
        if selection.objective is None or (selection.status != "OPTIMAL" and _objective(inst, cands, selection)
                                           >= _objective(inst, cands, greedy)):
            # The search ended before it beat its own starting point (by the same formula for both, so a plan is
            # never reported worse than the greedy one by rounding): keep the greedy plan, with the bound.
            say(message("greedy_kept"))
            selection = replace(greedy, status="FEASIBLE" if selection.objective is not None else "GREEDY",
                                objective=None, bound=selection.bound, solve_seconds=selection.solve_seconds,
                                pin_problems=selection.pin_problems or greedy.pin_problems,
                                stats=selection.stats)
            why += "; the search did not beat the greedy start in time, so the greedy plan is kept"
            start = greedy.stats.get("start")
    phases.done("search")
    plan = build_plan(inst, cands, selection, solver)
    if plan["objective"] is None:
        plan["objective"] = round(plan_objective(plan, inst), 1)
        if plan["bound"] is not None:  # a valid bound is at most any plan's objective (rounding aside)
            plan["bound"] = min(plan["bound"], plan["objective"])
            plan["gap"] = round(max(0.0, (plan["objective"] - plan["bound"]) / max(plan["objective"], 1e-9)), 4)
    phases.done("plan")
    plan["method"] = method
    # optimal over every trip the rules allow when the pricing showed no trip outside the candidates improves it
    every_trip = selection.stats.get("optimal_over_all") is True
    plan["optimal_over"] = ("all trips" if every_trip else "candidates") if plan["status"] == "OPTIMAL" else None
    plan["stats"] = _stats(inst, cands, selection, why, phases) | _changes(inst, plan) | {
        "candidate_settings": sizing.name if sizing is not None else "given", "start": start}
    plan["solve_seconds"] = round(clock.perf_counter() - started, 2)
    if validate:
        problems = check_plan(plan, inst)
        if problems:
            raise InvalidPlan("; ".join(problems[:5]))
    return plan
