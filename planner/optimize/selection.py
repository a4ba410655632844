"""A plan as the solvers give it back: the chosen candidate trips and each covered visit's start, with the
solver's status, objective and bound. Its own module, so the greedy baseline and the solvers share it without
importing each other."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.messages import Message
from .candidates import Candidates
from .instance import WeekInstance


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
    pin_problems: dict[str, Message] = field(default_factory=dict)

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


def pinned_options(inst: WeekInstance, cands: Candidates, options: list[int], pin) -> list[int]:
    """Of a pinned visit's single-visit trips ``options``, the pinned people's, those that allow the pinned start
    first (or, when none does, all of theirs: the pin keeps its day)."""
    cols = cands.columns
    minute = inst.minute(pin.start)
    options = [i for i in options if cols[i].staff in pin.staff]
    return [i for i in options if cols[i].stops[0].lo <= minute <= cols[i].stops[0].hi] or options
