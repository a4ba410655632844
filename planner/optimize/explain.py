"""Why the plan is what it is: a message per assignment, a concrete reason per unassigned visit.

The solver gives no reasons, so they are computed here from the candidates and the chosen trips:

* an assignment says who goes from where, how they compare with the best person left out ("nearest qualified
  free person; Tampere would have added 2 h 10 min"), and what else shaped it (chained with another visit, the
  preferred person, a hotel night, a team from two offices);
* an unassigned visit says what is missing: no working day in the window, nobody with the skill free on those
  days, nobody able to reach the place inside the meeting window, too few people, no common start, or that the
  people who could go are on more urgent visits.
"""
from __future__ import annotations

from ..core import reasons as why
from ..core.emissions import EmissionFactors
from ..core.messages import Message, message
from ..core.travel import on_day
from ..core.records import Visit
from .candidates import Candidates, Column
from .instance import WeekInstance


def _direct_minutes(inst: WeekInstance, staff_id: str, visit: Visit) -> int:
    office = inst.office_of(inst.staff_by_id[staff_id])
    return inst.travel.minutes(office, visit) + inst.travel.minutes(visit, office)


def _office_name(inst: WeekInstance, office_id: str) -> str:
    return inst.offices[office_id].name.split(" (")[0]


def explain_assignment(inst: WeekInstance, cands: Candidates, selection, visit: Visit, staff: list[str]) -> Message:
    """'oulu-sc from Oulu: nearest qualified free person; Tampere would have added 2 h 10 min; chained with …'."""
    through = set(cands.by_visit[visit.id])
    chosen_cols = [cands.columns[i] for i in selection.chosen if i in through]
    day = inst.moment(selection.starts[visit.id]).date()
    team = [[s, _office_name(inst, inst.staff_by_id[s].office)] for s in staff]
    parts = []
    mine = sum(_direct_minutes(inst, s, visit) for s in staff) / len(staff)
    others = sorted({c.staff for i in cands.by_visit[visit.id] for c in [cands.columns[i]] if c.staff not in staff},
                    key=lambda s: (_direct_minutes(inst, s, visit), s))
    best_other = others[0] if others else None
    team_of = len(staff) > 1
    if best_other is None:
        parts.append(message("only_qualified", team=team_of))
    else:
        extra = _direct_minutes(inst, best_other, visit) - mine
        other_office = _office_name(inst, inst.staff_by_id[best_other].office)
        if extra > 0:
            parts.append(message("nearest_added", team=team_of, office=other_office, minutes=extra))
        elif extra == 0:
            parts.append(message("as_near_as", staff=best_other, office=other_office))
        else:
            busy = _busy_with(inst, cands, selection, best_other, day)
            if busy:
                parts.append(message("nearer_but_busy", staff=best_other, office=other_office, minutes=-extra,
                                     visits=busy))
            else:
                parts.append(message("nearer_but_costly", staff=best_other, office=other_office, minutes=-extra))
    for column in chosen_cols:
        if column.kind == "chain":
            together = [[inst.visit_by_id[v].place_name, v] for v in column.visits if v != visit.id]
            parts.append(message("chains", staff=column.staff, visits=together))
    if visit.preferred_staff and visit.preferred_staff in staff:
        parts.append(why.preferred())
    elif visit.preferred_staff:
        parts.append(message("preferred_cannot", staff=visit.preferred_staff))
    nights = max((c.nights for c in chosen_cols), default=0)
    if nights:
        parts.append(why.hotel_nights(nights))
    offices = {inst.staff_by_id[s].office for s in staff}
    if len(offices) > 1:
        parts.append(message("team_offices"))
    modes = {leg.mode for c in chosen_cols for j in c.journeys for leg in j.legs} - {"car", "walk", "taxi"}
    if modes:
        parts.append(why.by_modes(modes))
    if "train" in modes and inst.settings.emissions_eur_per_kg:
        parts += _train_not_flight(inst, chosen_cols, day)
    return message("assignment", team=team, parts=parts)


def _train_not_flight(inst: WeekInstance, columns: list[Column], day) -> list[Message]:
    """Emissions weighed: the first journey of the chosen trips that goes by train where the fastest way flies,
    with what it costs in time and saves in CO2e (as the proposals say it)."""
    factors = EmissionFactors.from_settings(inst.settings)
    model = on_day(inst.travel.model, day)
    for column in columns:
        stops = [inst.office_of(inst.staff_by_id[column.staff])] + [inst.visit_by_id[v] for v in column.visits]
        for journey, (a, b) in zip(column.journeys, zip(stops, stops[1:])):
            if any(leg.mode == "train" for leg in journey.legs):
                flying = model.journey(a, b, "fastest")
                if flying.mode == "flight":
                    return [message("train_not_flight", minutes=journey.minutes - flying.minutes,
                                    kg=round(factors.journey_kg(flying.legs) - factors.journey_kg(journey.legs)))]
    return []


def _busy_with(inst: WeekInstance, cands: Candidates, selection, staff_id: str, day) -> list[str] | None:
    for i in selection.chosen:
        column: Column = cands.columns[i]
        if column.staff == staff_id and day in column.days:
            return list(column.visits)
    return None


def unassigned_reason(inst: WeekInstance, cands: Candidates, selection, visit: Visit) -> Message:
    """A concrete reason why ``visit`` is not in the plan."""
    if cands.no_day[visit.id]:
        return cands.no_day[visit.id]
    if visit.id in selection.pin_problems:
        return selection.pin_problems[visit.id]
    days = cands.days[visit.id]
    when = why.days_when(days)
    short = why.short_of_people(visit, inst.free_people(visit, days), when)
    if short:
        return short
    columns = [cands.columns[i] for i in cands.by_visit[visit.id]]
    if not columns:
        return message("cannot_reach_any", place=visit.place_name, minutes=visit.duration_min,
                       **{"from": f"{inst.settings.meeting_earliest:%H:%M}",
                          "until": f"{inst.settings.meeting_latest_end:%H:%M}"}, when=when)
    able = sorted({c.staff for c in columns})
    if visit.staff_needed > 1 and len(able) < visit.staff_needed:
        return message("too_few_reach", able=len(able), needed=visit.staff_needed, place=visit.place_name,
                       when=when)
    busy = []
    chosen_of: dict[str, list] = {}  # the plan's trips by person (once, not per person: big weeks)
    for i in selection.chosen:
        chosen_of.setdefault(cands.columns[i].staff, []).append(cands.columns[i])
    for staff_id in able:
        theirs = chosen_of.get(staff_id, ())
        away = {d for t in theirs for d in t.days}
        # busy when each of their trips to the visit would clash with a trip of the plan (a day of both)
        if all(away.intersection(c.days) for c in columns if c.staff == staff_id):
            busy.append([staff_id, sorted({v for t in theirs if any(d in t.days for d in days) for v in t.visits})])
    if len(busy) == len(able):
        return message("all_busy", when=when, busy=busy[:4], more=len(busy) > 4)
    if visit.staff_needed > 1:
        return why.no_common_start(visit, when)
    return message("left_out", free=len(able) - len(busy), when=when)
