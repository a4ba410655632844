"""Lower bounds for the week's model: linear-programming relaxations (GLOP) and SCIP's root node.

``week_lp`` (used by the solver): the week's model written directly from the candidates, every variable relaxed
to [0, 1], the teams' common start kept in a linear form (see its docstring). ``lp_relaxation`` / ``lp_bound``: the LP read off the CP-SAT model itself, every
linear, at-most-one and exactly-one constraint kept and the conditional ones (``only_enforce_if``: a team's common
start) dropped; weaker, kept as a cross-check in the tests. ``RootBound``: SCIP's root node on the exact model,
that LP strengthened by cutting planes, run in a background thread on big weeks.

Relaxing integrality and dropping constraints only lowers the optimum, and the added constraints hold for every
plan, so both results are valid lower bounds on the model's optimum, that is, on the best plan among the
candidate trips; so is SCIP's dual bound (cuts and presolve never remove an optimal plan).
"""
from __future__ import annotations

import math
import threading
import time as clock
from collections import defaultdict
from typing import Callable, NamedTuple

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .lp_rows import MINUTES_A_DAY, LpRows


def lp_bound(model: cp_model.CpModel, time_limit: float = 60.0) -> float | None:
    """The LP relaxation's optimum in the model's objective units, or None when GLOP does not finish."""
    result = lp_relaxation(model, time_limit)
    return None if result is None else result[0]


def lp_relaxation(model: cp_model.CpModel, time_limit: float = 60.0):
    """``(bound, values)``: the LP relaxation's optimum (rounded up, model units) and the value of every model
    variable in the LP optimum (used only to guide the decomposition), or None when GLOP does not finish."""
    proto = model.proto
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None
    lp.SetTimeLimit(int(time_limit * 1000))
    variables = []
    for i, v in enumerate(proto.variables):
        domain = list(v.domain)  # (the proto's repeated fields do not index from the end)
        lo, hi = domain[0], domain[-1]
        variables.append(lp.NumVar(float(lo), float(hi), f"v{i}"))

    def term(ref: int, coef: float = 1.0):
        """coef × literal, with a negative reference meaning NOT(var): 1 − var."""
        if ref >= 0:
            return coef * variables[ref], 0.0
        return -coef * variables[-ref - 1], coef

    def expression(refs, coefs):
        terms, offset = [], 0.0
        for ref, coef in zip(refs, coefs):
            t, c = term(ref, coef)
            terms.append(t)
            offset += c
        return lp.Sum(terms), offset

    for ct in proto.constraints:
        if len(ct.enforcement_literal):
            continue  # conditional: relaxed away
        if ct.has_linear():
            expr, offset = expression(ct.linear.vars, ct.linear.coeffs)
            domain = list(ct.linear.domain)
            lo, hi = domain[0], domain[-1]
            if lo > -(2 ** 62):
                lp.Add(expr + offset >= lo)
            if hi < 2 ** 62:
                lp.Add(expr + offset <= hi)
        elif ct.has_at_most_one() or ct.has_exactly_one():
            literals = list(ct.at_most_one.literals if ct.has_at_most_one() else ct.exactly_one.literals)
            expr, offset = expression(literals, [1] * len(literals))
            lp.Add(expr + offset <= 1)
            if ct.has_exactly_one():
                lp.Add(expr + offset >= 1)
        elif ct.has_bool_or():
            literals = list(ct.bool_or.literals)
            expr, offset = expression(literals, [1] * len(literals))
            lp.Add(expr + offset >= 1)
        # other kinds are not used by PlanModel; leaving them out still relaxes
    obj = proto.objective
    expr, offset = expression(obj.vars, obj.coeffs)
    lp.Minimize(expr)
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    scale = obj.scaling_factor or 1.0
    # the model's objective is integral: round up what floating point leaves below it
    bound = math.ceil((lp.Objective().Value() + offset + obj.offset) * scale - 1e-6)
    return bound, [v.solution_value() for v in variables]


# Up to this many trips through team visits (each a row of the team's common start) ``week_lp`` writes the starts;
# beyond, the team's common day. Measured (GLOP, 2-core machine): the benchmark's 300-visit weeks have 13,904-18,689
# and solve in 2.5-3.8 s, its 1,000-visit week 16,181; generated weeks of 30 visits of which 22 for a team: 25,663,
# 6-10 s, by day 0.1 s; 150 of which 101: 39,168 and 85 s, by day 1.1 s. Below it the starts can still take too
# long (150 visits of which 84: 18,939, not in 4.2 s at 20 s), so the days follow (writing them takes 0.3-1.3 s and
# GLOP 0.05-1.1 s on 10,000-36,000 trips: ``DAYS_MIN_SECONDS`` at least, past the LP's time when it is spent). The
# starts first: on the master's weeks their prices make the better plans where they finish (80 visits of which 32
# for a team: 47,678 min against 54,309 by day).
STARTS_MAX_LINKS = 20_000
DAYS_MIN_SECONDS = 1.5
# ... and at least this share of the LP's own time: on 1,000-visit weeks of 17,000 links the days take GLOP 2.8-5.5 s
# (the starts 14-22 s), so at --time-limit 60 (an LP time of 15 s) the starts run out and the days must still finish
# (with 1.5 s they did not, and the week had no LP).
DAYS_SHARE = 0.4

# GLOP's dual simplex: a week's program has many more trips than rows, where the primal simplex is slow (measured on
# a 300-visit week, 35,279 trips and 15,539 rows: 1.2 s against 7.6 s; PDLP 10.4 s).
GLOP_PARAMETERS = "use_dual_simplex: true"
# The LP extended by up to this many trips (``extend``) goes on by the primal simplex from its last basis; by more,
# by the dual simplex from it. Measured (seconds, primal against dual from the basis): 4 trips 0.25/0.45,
# 0.89/2.02 and 1.72/2.50 on 300-visit weeks; 11-30 trips on 300-visit weeks crowded in one region 2.23/0.65,
# 2.01/2.22, 2.58/2.10, 10.1/4.8 and 11.1/5.5; 156 on a 1,000-visit week 40.7/13.5
# (docs/decisions/0029-the-lp-extended-by-the-dual-simplex.md).
EXTEND_PRIMAL_UP_TO = 8


class LpRelaxation(NamedTuple):
    """The week's LP: its optimum (rounded up; model units, without ``PlanModel.constant``), every column's value and
    reduced cost, and ``tighten``, which adds cuts to the same program and solves it again from its last basis
    (None for prices that came from no LP)."""
    bound: int | None
    values: list[float]
    reduced: list[float]
    tighten: Callable[[list[list[str]], float], int | None] | None = None
    extend: Callable[[list, float], tuple[int, str]] | None = None
    seconds: float = 0.0  # how long the first solve took
    rows: LpRows | None = None  # its rows, with the duals of its last solve (``pricing``)
    value: float | None = None  # its first optimum, not rounded
    teams: str = "starts"  # how a team's common start is written: "starts" or "days" (``week_program``)


def week_lp(inst, cands, time_limit: float = 60.0, teams: str | None = None) -> LpRelaxation | None:
    """A stronger LP relaxation of the week's model than ``lp_relaxation``, written directly from the candidates
    (``x_values[i]`` and ``reduced_costs[i]`` are column i's value and reduced cost), or None when GLOP does not
    finish.

    ``teams`` says how a team's common start is written (``week_program``): "starts" (exact, and what ``pricing``
    needs), "days", or by default: the starts up to ``STARTS_MAX_LINKS`` trips through team visits and, when GLOP
    does not finish them in ``time_limit``, the days with what is left of it (at least ``DAYS_MIN_SECONDS`` and
    ``DAYS_SHARE`` of it); the days beyond.

    The program is ``week_program`` with every variable relaxed to [0, 1]. Its ``tighten(cores, seconds)`` adds,
    for each coverage core (``cores.CoverageCores``: visits no plan covers all together), ``Σ covered ≤ |core| − 1``,
    valid for every plan, and returns the new optimum, or None when GLOP does not finish in ``seconds``.
    Its ``extend(columns, seconds)`` adds trips made after the solve (``insertion``; ``LpRows``) and returns the
    optimum over them too, solved again from the last basis ("optimal"), or when GLOP does not finish in
    ``seconds`` ("priced") the Lagrangian bound from the duals of the last solve that finished (the first, or a
    ``tighten``): its optimum plus, for each person and first day, the lowest negative reduced cost of the new
    trips (a trip's variable lies in [0, 1], and a person makes one trip a day, so together they can lower the
    dual function by no more).
    Either is a valid bound for plans over the old trips and the new ones.
    """
    if time_limit <= 0:  # no time: no LP (GLOP reads a limit of 0 as none)
        return None
    if teams is None:
        links = sum(len(cands.by_visit.get(v.id, ())) for v in inst.visits if v.staff_needed > 1)
        if links > STARTS_MAX_LINKS:
            teams = "days"
        elif links:  # the starts; when GLOP does not finish them, the days (a second or two more)
            until = clock.perf_counter() + time_limit
            return (_week_lp(inst, cands, "starts", seconds=time_limit)
                    or _week_lp(inst, cands, "days", until=until,
                                at_least=max(DAYS_MIN_SECONDS, DAYS_SHARE * time_limit)))
        else:
            teams = "starts"
    return _week_lp(inst, cands, teams, seconds=time_limit)


def _week_lp(inst, cands, teams: str, seconds: float | None = None, until: float | None = None,
             at_least: float = 0.0) -> LpRelaxation | None:
    """``week_lp`` with the teams written one way; GLOP gets ``seconds``, or what is left before ``until`` once the
    program is written (``at_least``)."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None
    rows = LpRows(team_starts=teams == "starts")
    x, covered, constant = week_program(lp, inst, cands, range(len(cands.columns)), integer=False, rows=rows,
                                        team_starts=teams == "starts")
    seconds = seconds if until is None else max(until - clock.perf_counter(), at_least)
    if seconds <= 0:
        return None
    lp.SetTimeLimit(int(seconds * 1000))
    lp.SetSolverSpecificParametersAsString(GLOP_PARAMETERS)
    started = clock.perf_counter()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    seconds = clock.perf_counter() - started

    def optimum(value: float | None = None) -> int:
        """The LP's last optimum (or ``value``) less GLOP's tolerance, rounded up."""
        value = lp.Objective().Value() if value is None else value
        return math.ceil(value - 1e-6 * max(1.0, abs(constant)))

    # the last optimal solve's value and duals: what ``extend`` prices new trips against (a solve that did not
    # finish leaves GLOP's values and duals meaningless)
    last = {"value": lp.Objective().Value(), "duals": rows.duals()}
    # the trips added since that solve, priced under its duals: per person and first day, the lowest reduced cost
    pending: dict[tuple, float] = {}

    def tighten(cores: list[list[str]], seconds: float) -> int | None:
        cuts = [core for core in cores if all(v in covered for v in core)]
        if not cuts or seconds < 0.1:
            return None
        for core in cuts:
            lp.Add(sum(covered[v] for v in core) <= len(core) - 1)
        lp.SetTimeLimit(int(seconds * 1000))
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        last.update(value=lp.Objective().Value(), duals=rows.duals())
        pending.clear()
        return optimum()

    def extend(columns: list, seconds: float) -> tuple[int, str]:
        if any(not rows.addable(inst, c) for c in columns):
            raise ValueError("only trips of visits with a cover row (of teams: on a day of their window) are added")
        # a trip's reduced cost takes no part of a core's cut (on the covered variables only), so the price under
        # the tightened LP's duals holds as under the first's; of the new trips of one person on one day at most
        # one is taken (the day's row), so only the lowest of them lowers the dual function. The trips of an
        # earlier call whose solve did not finish count too: the LP has them.
        for c in columns:
            key = (c.staff, min(c.days))
            pending[key] = min(pending.get(key, 0.0), rows.reduced_cost(inst, cands, c, last["duals"]))
        priced = last["value"] + sum(pending.values())
        for column in columns:
            rows.add(lp, inst, cands, column)
        lp.SetTimeLimit(int(max(0.0, seconds) * 1000))
        # new columns keep the last basis primal feasible: the primal simplex goes on from it, the faster for a
        # few trips; for more, the dual simplex from the same basis (``EXTEND_PRIMAL_UP_TO``)
        if len(columns) <= EXTEND_PRIMAL_UP_TO:
            lp.SetSolverSpecificParametersAsString("use_dual_simplex: false")
        solved = seconds >= 0.1 and lp.Solve() == pywraplp.Solver.OPTIMAL
        lp.SetSolverSpecificParametersAsString(GLOP_PARAMETERS)
        if solved:
            last.update(value=lp.Objective().Value(), duals=rows.duals())
            pending.clear()
            return optimum(), "optimal"
        return optimum(priced), "priced"

    return LpRelaxation(optimum(), [v.solution_value() for v in x.values()], [v.reduced_cost() for v in x.values()],
                        tighten, extend, seconds, rows, lp.Objective().Value(), teams)


def week_program(solver, inst, cands, members, integer: bool, rows: "LpRows | None" = None,
                 team_starts: bool = True):
    """The week's model as a linear program over the columns ``members`` (ascending), in ``solver`` (GLOP for
    the relaxation, SCIP for the exact model of ``master``); sets the objective to minimise. Returns ``(x,
    covered, constant)``: column index -> variable, visit id -> covered variable, and the objective's constant
    (the whole uncovered weight of the visits some member covers, set as the objective's offset: the objective
    is that minus what is covered).

    The same variables and constraints as ``PlanModel``, except the team's common start, which is linear here:
    one variable ``at[v, t]`` per possible common start ``t`` of team visit v (the starts where a column's range
    begins: ranges that meet have the latest beginning among them in common), ``Σ_t at[v, t] = covered[v]``,
    and each column's ``x ≤ Σ at[v, t]`` over the starts inside its range. With 0/1 values (``integer``) that is
    exactly the common-start rule; relaxed, every plan still satisfies it (its team's start set to 1), so the
    relaxation's optimum is at most the best plan's objective. Without ``team_starts`` (a relaxation only) the
    team's common *day* stands in for it: ``at[v, d]`` per day, ``Σ_d at[v, d] = covered[v]`` and the columns
    through v on day d sum to ``staff_needed × at[v, d]``, which every plan satisfies too. It has a row per day
    where the starts have one per column through the visit, and is a little weaker (measured on generated weeks:
    optima 0.1-2 % lower; 4 % on a week of 101 team visits). GLOP solves a 22,254-trip week with 101 team visits
    in 1.1 s this way and in 85 s with the starts (with a row ``x ≤ at[v, d]`` per column besides the sums: not
    in 121 s). The fairness steps are continuous with growing
    costs (a minimum fills the cheap steps first, exactly as the Booleans of ``PlanModel`` do); a missing
    preferred person is ``missing ≥ covered − Σ x`` of that person's columns. ``rows``, when given, keeps the
    constraints a trip takes part in, so that trips can be added later (``LpRows.add``).
    """
    from .model import MAX_TRAVEL_DAYS, NOT_PREFERRED, SCALE, UNCOVERED, column_score, day_step_cost
    var = solver.BoolVar if integer else (lambda name: solver.NumVar(0, 1, name))
    row = _row_writer(solver)
    cost = solver.Objective().SetCoefficient
    cols = cands.columns
    staff = inst.staff_by_id
    x = {i: var(f"x{i}") for i in members}
    by_visit = defaultdict(list)
    for i in x:
        for vid in cols[i].visits:
            by_visit[vid].append(i)
    constant = 0
    covered = {}
    for visit in inst.visits:
        through = by_visit.get(visit.id)
        if not through:
            continue
        c = covered[visit.id] = var(f"c_{visit.id}")
        w = SCALE * UNCOVERED[visit.priority]
        constant += w
        cost(c, -w)
        kept = {("cover", visit.id): row(0, 0, [(x[i], 1) for i in through] + [(c, -visit.staff_needed)])}
        for need in sorted(visit.skills):
            kept["skill", visit.id, need] = row(0, None, [(x[i], 1) for i in through
                                                          if need in staff[cols[i].staff].skills] + [(c, -1)])
        for need in sorted(visit.required_languages):
            kept["language", visit.id, need] = row(0, None, [(x[i], 1) for i in through
                                                             if need in staff[cols[i].staff].languages] + [(c, -1)])
        if visit.staff_needed > 1:
            ranges = {i: next((s.lo, s.hi) for s in cols[i].stops if s.visit == visit.id) for i in through}
            days = [(day - inst.monday).days for day in cands.days.get(visit.id, ())]
            kept.update(_team_start(row, var, visit, c, x, ranges, team_starts or integer, days))
        if visit.preferred_staff:
            missing = solver.NumVar(0, 1, f"nopref_{visit.id}")
            kept["preferred", visit.id] = row(0, None, [(missing, 1), (c, -1)] + [
                (x[i], 1) for i in through if cols[i].staff == visit.preferred_staff])
            cost(missing, SCALE * NOT_PREFERRED)
        if rows is not None:
            rows.constraints.update(kept)
    slots = defaultdict(list)
    per_person = defaultdict(list)
    for i, xi in x.items():
        column = cols[i]
        for day in column.days:
            slots[column.staff, day].append(xi)
        per_person[column.staff].append((xi, -len(column.days)))
        cost(xi, column_score(inst, cands, column))
    for key in sorted(slots):
        if len(slots[key]) > 1:
            kept_row = row(None, 1, [(v, 1) for v in slots[key]])
            if rows is not None:
                rows.constraints["slot", *key] = kept_row
    for pid in sorted(per_person):
        steps = [solver.NumVar(0, 1, f"day{k}_{pid}") for k in range(1, MAX_TRAVEL_DAYS + 1)]
        kept_row = row(0, 0, [(s, 1) for s in steps] + per_person[pid])
        for k, step in enumerate(steps[1:], start=2):
            cost(step, day_step_cost(k))
        if rows is not None:
            rows.constraints["days", pid] = kept_row
    if rows is not None:
        rows.slots, rows.covered = slots, covered
    _pins(solver, inst, cands, x, covered, rows)
    solver.Objective().SetMinimization()
    # the objective itself, not the objective less the constant: a MIP's relative gap is measured on it
    solver.Objective().SetOffset(constant)
    return x, covered, constant


def _row_writer(solver):
    """``row(lower, upper, terms)``: a constraint ``lower ≤ Σ coef × var ≤ upper`` (None: unbounded) written
    coefficient by coefficient (the expression API took half of writing a 35,000-trip week; each variable is in
    ``terms`` once)."""
    infinity = solver.infinity()

    def row(lower, upper, terms):
        constraint = solver.Constraint(-infinity if lower is None else lower, infinity if upper is None else upper)
        put = constraint.SetCoefficient
        for variable, coef in terms:
            put(variable, coef)
        return constraint
    return row


def _team_start(row, var, visit, covered, x, ranges: dict, exact: bool, days: list[int]) -> dict:
    """A team visit's common start (``exact``) or common day (``week_program``): its ``Σ at = covered`` row, and
    by days each day's row, for every day of its window (``days``, of the week), so that a trip made later on
    any of them has its row to enter (``LpRows.add``)."""
    if exact:
        starts = sorted({lo for lo, _ in ranges.values()})
        at = {t: var(f"at_{visit.id}_{t}") for t in starts}
        kept = row(0, 0, [(a, 1) for a in at.values()] + [(covered, -1)])
        for i, (lo, hi) in sorted(ranges.items()):
            row(None, 0, [(x[i], 1)] + [(at[t], -1) for t in starts if lo <= t <= hi])
        return {("starts", visit.id): kept}
    on_day = defaultdict(list, {d: [] for d in days})
    for i, (lo, _hi) in sorted(ranges.items()):
        on_day[lo // MINUTES_A_DAY].append(x[i])
    at = {d: var(f"at_{visit.id}_day{d}") for d in sorted(on_day)}
    rows = {("starts", visit.id): row(0, 0, [(a, 1) for a in at.values()] + [(covered, -1)])}
    for d, day_columns in sorted(on_day.items()):
        rows["team_day", visit.id, d] = row(0, 0, [(v, 1) for v in day_columns] + [(at[d], -visit.staff_needed)])
    return rows


def _pins(lp, inst, cands, x, covered, rows: "LpRows | None" = None) -> None:
    """Pinned meetings as ``PlanModel._rule_pinned`` keeps them (a pin nobody can keep any more is left out);
    ``rows`` keeps each pinned person's row and which of their trips it takes (``LpRows.pins``)."""
    cols = cands.columns
    for pin in inst.pins:
        if pin.visit not in covered:
            continue
        minute = inst.minute(pin.start)
        options, starts = [], []
        for pid in pin.staff:
            mine = [i for i in cands.by_visit[pin.visit] if cols[i].staff == pid and i in x]
            at_start = [i for i in mine if any(s.visit == pin.visit and s.lo <= minute <= s.hi for s in cols[i].stops)]
            on_day = [i for i in mine if any(s.visit == pin.visit and inst.moment(s.lo).date() == pin.start.date()
                                             for s in cols[i].stops)]
            options.append(at_start or on_day)
            starts.append(bool(at_start))
        if not all(options):
            continue
        lp.Add(covered[pin.visit] == 1)
        for pid, choice, by_start in zip(pin.staff, options, starts):
            row = lp.Add(lp.Sum([x[i] for i in choice]) == 1)
            if rows is not None:
                rows.constraints["pin", pin.visit, pid] = row
                rows.pins[pin.visit, pid] = ("start", minute) if by_start else ("day", pin.start.date())


# SCIP's primal heuristics, all off for the bound: finding plans is the other thread's job, and at the root they
# would take longer than the cuts (measured: RENS alone 44 s on the 1,000-visit week).
_HEURISTICS = (
    "actconsdiving adaptivediving alns bound clique coefdiving conflictdiving crossover dins distributiondiving "
    "dps dualval farkasdiving feaspump fixandinfer fracdiving gins guideddiving indicator intdiving intshifting "
    "linesearchdiving localbranching locks lpface mpec multistart mutation nlpdiving objpscostdiving ofins oneopt "
    "padm proximity pscostdiving randrounding rens repair rins rootsoldiving rounding shiftandpropagate shifting "
    "simplerounding subnlp trivial trivialnegation trustregion twoopt undercover vbounds veclendiving zeroobj "
    "zirounding").split()
ROOT_PARAMETERS = "\n".join([
    "limits/nodes = 1",                       # the root node only
    "randomization/randomseedshift = 0",
    "branching/leastinf/priority = 1000000",  # no strong branching after the root: 10 s for 0.03 % more bound
    *(f"heuristics/{name}/freq = -1" for name in _HEURISTICS)]) + "\n"


class RootBound:
    """SCIP's dual bound after the root node of the whole week's exact model (``week_program`` with 0/1 variables
    over every candidate trip): the LP relaxation raised by SCIP's cutting planes (cliques of trips sharing a
    person's day, covers, Gomory cuts). Measured on the 1,000-visit week: 193,474 min against ``week_lp``'s
    185,594, in about 35 s, so it runs in a background thread while the plan is searched (SCIP's C++ code
    releases Python's lock and works on the second core).

    Deterministic like the rest of the solve: one thread, a fixed seed, the root node only and no primal
    heuristics. ``seconds`` is a wall-clock backstop: ``result`` waits until then and interrupts a solve still
    running; then the bound is SCIP's at that moment, still valid. ``hint`` (a plan, column indexes) gives
    SCIP a solution, without which it reports no bound."""

    def __init__(self, inst, cands, hint, seconds: float):
        self._bound: int | None = None
        self._stop = threading.Event()
        self._solver = pywraplp.Solver.CreateSolver("SCIP")
        self._deadline = clock.perf_counter() + seconds
        self._thread = threading.Thread(target=self._run, args=(inst, cands, sorted(hint)), daemon=True,
                                        name="root-bound")
        if self._solver is not None:
            self._thread.start()

    def _run(self, inst, cands, hint: list[int]) -> None:
        solver = self._solver
        x, _covered, constant = week_program(solver, inst, cands, range(len(cands.columns)), integer=True)
        chosen = set(hint)
        solver.SetHint(list(x.values()), [1.0 if i in chosen else 0.0 for i in x])
        solver.SetNumThreads(1)
        solver.SetSolverSpecificParametersAsString(ROOT_PARAMETERS)
        left = self._deadline - clock.perf_counter()
        if self._stop.is_set() or left < 1.0:
            return
        solver.SetTimeLimit(int(left * 1000))
        if solver.Solve() in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            self._bound = dual_bound(solver, constant)

    def result(self) -> int | None:
        """The bound (model units, without ``PlanModel.constant``, like ``week_lp``'s), or None when SCIP found
        none; waits for the root node until the time is up, then interrupts it."""
        self._thread.join(max(0.0, self._deadline - clock.perf_counter()))
        self.cancel()
        return self._bound

    def cancel(self, wait: bool = True) -> None:
        """Interrupts the root node now (its bound is not wanted); ``wait``: until SCIP has stopped (seconds: it
        checks for an interrupt between its steps)."""
        if self._thread.is_alive():
            self._stop.set()
            self._solver.InterruptSolve()
            if wait:
                self._thread.join()


def dual_bound(solver, constant: float) -> int | None:
    """A MIP solver's dual bound rounded up (the objective is integral), or None when it has none (SCIP reports
    -1e20 when it stopped before solving an LP)."""
    value = solver.Objective().BestBound()
    if not math.isfinite(value) or abs(value) >= 1e19:
        return None
    return math.ceil(value - 1e-6 * max(1.0, abs(constant)))
