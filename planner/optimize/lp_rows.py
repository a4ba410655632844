"""The week LP's rows by what they say, so that trips made after it was solved (``insertion``) can be priced
against its duals and added to it (``bound.week_lp``'s ``extend``).

A trip's variable enters: the cover row of each visit on it (+1), the skill and language rows of those visits for
what its person holds (+1), the preferred-person row when it is that person's (+1), its person's row for each day
away (+1, at most one trip a day), its person's travel-day count (−days away) and, for a pinned person's trip
that keeps the pin, the pin's row (+1), as ``bound.week_program`` writes them; and the objective with its
``column_score``. Only trips of visits that already have a cover row are added. Where the LP writes the teams'
starts, a team visit's trip enters no row of its team's common start (a new start would also belong in the rows of
the trips whose range holds it), so the LP with it relaxes that rule for it alone and its optimum stays a bound.
Written by days, a team's trips must sum on each day to its team: the trip enters its day's row (``week_program``
writes one for every day of the visit's window). ``pricing`` prices any trip (``outside_reduced_cost``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .candidates import Candidates, Column, Stop
from .instance import WeekInstance
from .model import MAX_TRAVEL_DAYS, SCALE, UNCOVERED, column_score, day_step_cost

MINUTES_A_DAY = 1440


def team_day(stop: Stop) -> tuple:
    """The key of the row of a team visit's trips on the day of ``stop``'s meeting, where the LP writes the teams
    by day (``bound.week_program`` writes it per day of the week: minute // ``MINUTES_A_DAY``)."""
    return "team_day", stop.visit, stop.lo // MINUTES_A_DAY


@dataclass
class LpRows:
    constraints: dict = field(default_factory=dict)  # ("cover", visit) | ("skill", visit, s) | … -> constraint
    slots: dict = field(default_factory=dict)        # (person, day) -> the variables of trips away that day
    covered: dict = field(default_factory=dict)      # visit id -> its covered variable
    pins: dict = field(default_factory=dict)         # (visit, person) -> ("start", minute) | ("day", date)
    added: int = 0
    team_starts: bool = True  # how ``week_program`` wrote the teams: by their starts (or by their days)

    def entries(self, inst: WeekInstance, column: Column) -> list[tuple[tuple, float]]:
        """The rows ``column``'s variable enters and its coefficient in each."""
        person = inst.staff_by_id[column.staff]
        out = []
        for stop in column.stops:
            vid = stop.visit
            out += self.visit_rows(inst, vid, person)
            if not self.team_starts and inst.visit_by_id[vid].staff_needed > 1:
                out.append((team_day(stop), 1.0))
            rule = self.pins.get((vid, column.staff))
            if rule is not None and (stop.lo <= rule[1] <= stop.hi if rule[0] == "start"
                                     else inst.moment(stop.lo).date() == rule[1]):
                out.append((("pin", vid, column.staff), 1.0))
        out += [(("slot", column.staff, d), 1.0) for d in column.days]
        out.append((("days", column.staff), -float(len(column.days))))
        return out

    def visit_rows(self, inst: WeekInstance, vid: str, person) -> list[tuple[tuple, float]]:
        """The rows a trip of ``person`` enters for its meeting at visit ``vid``, but a pin's (which depends on the
        meeting's time): its cover row, and its skill, language and preferred-person rows for what they hold."""
        visit = inst.visit_by_id[vid]
        out = [(("cover", vid), 1.0)]
        out += [(("skill", vid, s), 1.0) for s in sorted(visit.skills) if s in person.skills]
        out += [(("language", vid, s), 1.0) for s in sorted(visit.required_languages) if s in person.languages]
        if visit.preferred_staff == person.id:
            out.append((("preferred", vid), 1.0))
        return out

    def companions(self, inst: WeekInstance, vid: str, duals: dict) -> float:
        """What the variables a trip through ``vid`` would bring along could lower the dual function by (each lies
        in [0, 1]): a new common start of a team visit (its starts row's dual, when positive) and a visit with no
        cover row yet (its uncovered weight)."""
        if vid not in self.covered:
            return SCALE * UNCOVERED[inst.visit_by_id[vid].priority]
        return max(0.0, duals.get(("starts", vid), 0.0))

    def reduced_cost(self, inst: WeekInstance, cands: Candidates, column: Column, duals: dict | None = None) -> float:
        """``column``'s reduced cost under ``duals`` (``duals()`` of a solve; default the last solve's; a row not
        written yet has none)."""
        duals = self.duals() if duals is None else duals
        return float(column_score(inst, cands, column)) - sum(duals.get(key, 0.0) * coef
                                                              for key, coef in self.entries(inst, column))

    def duals(self) -> dict:
        """Each kept row's dual in the last solve."""
        return {key: row.dual_value() for key, row in self.constraints.items()}

    def outside_reduced_cost(self, inst: WeekInstance, column: Column, score: float, entries: list, duals: dict) -> float:
        """A lower bound on what any plan using ``column`` costs above the LP's optimum (``pricing``): its reduced
        cost (from its ``column_score`` and ``entries``, under ``duals``), less its visits' ``companions``."""
        rc = score - sum(duals.get(key, 0.0) * coef for key, coef in entries)
        return rc - sum(self.companions(inst, vid, duals) for vid in column.visits)

    def addable(self, inst: WeekInstance, column: Column) -> bool:
        return all(s.visit in self.covered and (self.team_starts or inst.visit_by_id[s.visit].staff_needed == 1
                                                or team_day(s) in self.constraints)
                   for s in column.stops)

    def add(self, lp, inst: WeekInstance, cands: Candidates, column: Column) -> None:
        """``column``'s variable in ``lp``, writing the day and travel-day rows it is the first to need."""
        self.added += 1
        var = lp.NumVar(0, 1, f"x+{self.added}")
        lp.Objective().SetCoefficient(var, column_score(inst, cands, column))
        for key, coef in self.entries(inst, column):
            if key[0] == "slot":
                self._add_to_slot(lp, key, var)
            elif key in self.constraints:
                self.constraints[key].SetCoefficient(var, coef)
            elif key[0] == "days":  # the person's first trip in the LP: their travel-day steps
                steps = [lp.NumVar(0, 1, f"day{k}+{key[1]}") for k in range(1, MAX_TRAVEL_DAYS + 1)]
                row = self.constraints[key] = lp.Constraint(0, 0)
                for k, step in enumerate(steps, start=1):
                    row.SetCoefficient(step, 1)
                    lp.Objective().SetCoefficient(step, day_step_cost(k))
                row.SetCoefficient(var, coef)
            else:
                raise ValueError(f"no row {key} for a trip added to the LP")

    def _add_to_slot(self, lp, key: tuple, var) -> None:
        """At most one trip of a person a day: a row from the day's second trip on."""
        day_vars = self.slots.setdefault(key[1:], [])
        day_vars.append(var)
        if key in self.constraints:
            self.constraints[key].SetCoefficient(var, 1)
        elif len(day_vars) > 1:
            row = self.constraints[key] = lp.Constraint(-lp.infinity(), 1)
            for v in day_vars:
                row.SetCoefficient(v, 1)
