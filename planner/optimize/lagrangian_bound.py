"""The Lagrangian bound (``visit_bound``): a lower bound on every plan among the candidate trips that needs no LP
solver, for when GLOP does not finish ``bound.week_lp`` in its time."""
from __future__ import annotations

import math
import time as clock

# The Lagrangian bound's subgradient steps: at most this many, and the step's factor halves after this many steps
# without a better bound (Held-Wolfe-Crowder); it stops when the factor falls below the last. Measured on a
# generated 300-visit week (26,587 trips; GLOP's LP 187,949 in 15 s): 174,065 with 300 steps, patience 5 and
# 0.005; 177,858 with these, in under 2 s (a step is about 1 ms).
LAGRANGE_STEPS = 2000
LAGRANGE_PATIENCE = 20
LAGRANGE_MIN_FACTOR = 1e-4


def visit_bound(inst, cands, seconds: float = 1.0, upper: float | None = None, steps: int = LAGRANGE_STEPS) -> int:
    """A lower bound on every plan among the candidate trips that needs no LP solver, for when GLOP does not
    finish: model units of the *whole* objective (``PlanModel.constant`` included), never negative.

    The week's program keeps only its trips' scores and the uncovered weights (the fairness and preferred-person
    terms are never negative), every trip and coverage variable 0/1, ``Σ x[c] over c through v = staff_needed(v)
    × covered[v]`` and each person's days packed (no two trips on one day); skills, the common start and pins are
    dropped. Each coverage equation is moved into the objective with a price ``λ[v]`` (Lagrangian relaxation):
    for *any* prices the minimum, ``Σ_v min(w[v], staff_needed × λ[v]) + Σ_people min over day-packings of Σ
    (score[c] − Σ_{v in c} λ[v])``, is at most every plan's objective, so a bound taken at any step, and the
    best of them, is valid. The first prices, each visit's cheapest share of a trip through it (capped at its
    uncovered weight per person), give the coverage bound (every coverable visit at its cheapest trip); subgradient
    steps toward ``upper`` (a plan's objective, model units with the constant) raise it toward the LP's. Each
    person's packing is a shortest path over the week's days (a trip holds an interval of days), solved for all
    people at once with numpy; ``seconds`` bounds the wall clock, ``steps`` the work (so a run repeats).
    """
    import numpy as np

    from .model import SCALE, UNCOVERED, column_score
    started = clock.perf_counter()
    cols = cands.columns
    coverable = [v for v in inst.visits if cands.by_visit.get(v.id)]
    constant = sum(SCALE * UNCOVERED[v.priority] for v in inst.visits if not cands.by_visit.get(v.id))
    if not coverable:
        return constant
    vindex = {v.id: k for k, v in enumerate(coverable)}
    weight = np.array([SCALE * UNCOVERED[v.priority] for v in coverable], dtype=float)
    team = np.array([v.staff_needed for v in coverable], dtype=float)
    score = np.array([column_score(inst, cands, c) for c in cols], dtype=float)
    col_of, visit_of = [], []
    for i, c in enumerate(cols):
        for vid in c.visits:
            col_of.append(i)
            visit_of.append(vindex[vid])
    col_of, visit_of = np.array(col_of), np.array(visit_of)
    size = np.bincount(col_of, minlength=len(cols)).astype(float)
    # a trip holds the interval of days from its first to its last; a trip whose days are not one interval is
    # relaxed to its first day (holding fewer days only lowers the bound)
    first_day = min(d for c in cols for d in c.days)
    days = 1 + max((d - first_day).days for c in cols for d in c.days)
    people = sorted({c.staff for c in cols})
    pindex = {p: k for k, p in enumerate(people)}
    person = np.array([pindex[c.staff] for c in cols])
    lo = np.array([(min(c.days) - first_day).days for c in cols])
    hi = np.array([(max(c.days) - first_day).days if (max(c.days) - min(c.days)).days + 1 == len(c.days)
                   else (min(c.days) - first_day).days for c in cols])
    slot = (person * days + lo) * days + hi  # (person, first day, last day)
    # each visit's cheapest share of a trip: the first prices
    share = np.full(len(coverable), np.inf)
    np.minimum.at(share, visit_of, (score / size)[col_of])
    price = np.minimum(share, weight / team)

    def evaluate(price):
        """The Lagrangian's value at ``price`` and a subgradient."""
        reduced = score - np.bincount(col_of, weights=price[visit_of], minlength=len(cols))
        best = np.zeros(len(people) * days * days)
        np.minimum.at(best, slot, reduced)
        best = best.reshape(len(people), days, days)
        value = np.zeros((len(people), days + 1))  # value[p, j]: the best packing of days before j
        choice = np.full((len(people), days + 1), -1)  # the first day of the trip ending on day j-1, or -1
        for j in range(1, days + 1):
            options = value[:, :j] + best[:, :j, j - 1]
            start = np.argmin(options, axis=1)
            take = options[np.arange(len(people)), start]
            value[:, j] = np.minimum(value[:, j - 1], take)
            choice[:, j] = np.where(take < value[:, j - 1], start, -1)
        covers = price * team < weight
        total = constant + np.sum(np.where(covers, price * team, weight)) + value[:, days].sum()
        # the packing's trips: walk each person's days back; a held interval's trip is its cheapest
        picked = np.zeros(len(people) * days * days, dtype=bool)
        j = np.full(len(people), days)
        rows = np.arange(len(people))
        for _ in range(days):
            live = j > 0
            start = np.where(live, choice[rows, np.maximum(j, 1)], -1)
            held = live & (start >= 0)
            picked[(rows[held] * days + start[held]) * days + (j[held] - 1)] = True
            j = np.where(held, start, np.where(live, j - 1, 0))
        winner = np.full(len(picked), -1)
        cheapest = best.reshape(-1)
        hits = np.nonzero(picked[slot] & (reduced == cheapest[slot]) & (reduced < 0))[0]
        winner[slot[hits]] = hits  # (the last of equals: numpy keeps the last write)
        chosen = winner[winner >= 0]
        gradient = team * covers - np.bincount(visit_of[np.isin(col_of, chosen)], minlength=len(coverable))
        return total, gradient

    best_value, gradient = evaluate(price)
    target = upper if upper is not None else constant + weight.sum()
    factor, stale = 2.0, 0
    for _ in range(steps):
        if factor < LAGRANGE_MIN_FACTOR or clock.perf_counter() - started > seconds or best_value >= target:
            break
        norm = float(gradient @ gradient)
        if norm == 0:
            break  # the relaxation's plan keeps every coverage equation: its value is the relaxation's optimum
        price = price + factor * (target - best_value) / norm * gradient
        value, gradient = evaluate(price)
        if value > best_value + 1e-9 * abs(best_value):
            best_value, stale = value, 0
        else:
            stale += 1
            if stale >= LAGRANGE_PATIENCE:
                factor, stale = factor / 2, 0
    # the objective is integral; floating point may leave a sum a little above the exact value
    return max(0, math.floor(best_value - 1e-9 * abs(best_value) - 1e-6))
