"""A lower bound for the week's model from its linear-programming relaxation (GLOP), read off the CP-SAT model.

CP-SAT proves its own bound when it has time; on big weeks a single search worker may not, so the LP relaxation
of the *same* model gives an honest bound: every variable in [its domain hull], every linear, at-most-one and
exactly-one constraint kept, and the conditional ones (``only_enforce_if``: a team's common start) dropped.
Dropping constraints only lowers the optimum, so the result is a valid lower bound on the model's optimum, that
is, on the best plan among the candidate trips.
"""
from __future__ import annotations

import math

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model


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
