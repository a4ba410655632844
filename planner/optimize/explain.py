"""Why the plan is what it is: a sentence per assignment, a concrete reason per unassigned visit.

The solver gives no reasons, so they are computed here from the candidates and the chosen trips:

* an assignment says who goes from where, how they compare with the best person left out ("nearest qualified
  free person; Tampere would have added 2 h 10 min"), and what else shaped it (chained with another visit, the
  preferred person, a hotel night, a team from two offices);
* an unassigned visit says what is missing: no working day in the window, nobody with the skill free on those
  days, nobody able to reach the place inside the meeting window, too few people, no common start, or that the
  people who could go are on more urgent visits.
"""
from __future__ import annotations

from datetime import timedelta

from ..core.availability import fmt_range
from ..core.records import Visit
from ..core.propose import fmt_minutes, no_common_start, short_of_people
from .candidates import Candidates, Column
from .instance import WeekInstance


def _direct_minutes(inst: WeekInstance, staff_id: str, visit: Visit) -> int:
    office = inst.office_of(inst.staff_by_id[staff_id])
    return inst.travel.minutes(office, visit) + inst.travel.minutes(visit, office)


def _office_name(inst: WeekInstance, office_id: str) -> str:
    return inst.offices[office_id].name.split(" (")[0]


def explain_assignment(inst: WeekInstance, cands: Candidates, selection, visit: Visit, staff: list[str]) -> str:
    """'oulu-sc from Oulu: nearest qualified free person; Tampere would have added 2 h 10 min; chained with …'."""
    through = set(cands.by_visit[visit.id])
    chosen_cols = [cands.columns[i] for i in selection.chosen if i in through]
    day = inst.moment(selection.starts[visit.id]).date()
    team = " and ".join(f"{s} from {_office_name(inst, inst.staff_by_id[s].office)}" for s in staff)
    parts = [team]
    mine = sum(_direct_minutes(inst, s, visit) for s in staff) / len(staff)
    others = sorted({c.staff for i in cands.by_visit[visit.id] for c in [cands.columns[i]] if c.staff not in staff},
                    key=lambda s: (_direct_minutes(inst, s, visit), s))
    best_other = others[0] if others else None
    word = "person" if len(staff) == 1 else "team"
    if best_other is None:
        parts.append(f"the only qualified {word} free")
    else:
        extra = _direct_minutes(inst, best_other, visit) - mine
        other_office = _office_name(inst, inst.staff_by_id[best_other].office)
        if extra > 0:
            parts.append(f"nearest qualified free {word}; {other_office} would have added {fmt_minutes(extra)}")
        elif extra == 0:
            parts.append(f"as near as {best_other} ({other_office}); chosen for cost and an even spread of travel days")
        else:
            busy = _busy_with(inst, cands, selection, best_other, day)
            why = f"is on {busy}" if busy else "would cost more in the plan as a whole"
            parts.append(f"{best_other} ({other_office}) is {fmt_minutes(-extra)} nearer but {why}")
    for column in chosen_cols:
        if column.kind == "chain":
            together = [v for v in column.visits if v != visit.id]
            places = ", ".join(f"{inst.visit_by_id[v].place_name} ({v})" for v in together)
            parts.append(f"{column.staff} chains it with {places} on one trip")
    if visit.preferred_staff and visit.preferred_staff in staff:
        parts.append("the preferred person")
    elif visit.preferred_staff:
        parts.append(f"the preferred person {visit.preferred_staff} cannot go")
    nights = max((c.nights for c in chosen_cols), default=0)
    if nights:
        parts.append(f"{nights} hotel night{'s' if nights > 1 else ''}")
    offices = {inst.staff_by_id[s].office for s in staff}
    if len(offices) > 1:
        parts.append("the team meets at one start from different offices")
    modes = sorted({leg.mode for c in chosen_cols for j in c.journeys for leg in j.legs}
                   - {"car", "walk", "taxi"})
    if modes:
        parts.append("by " + " and ".join(modes))
    return "; ".join([f"{parts[0]}: {parts[1]}"] + parts[2:])


def _busy_with(inst: WeekInstance, cands: Candidates, selection, staff_id: str, day) -> str | None:
    for i in selection.chosen:
        column: Column = cands.columns[i]
        if column.staff == staff_id and day in column.days:
            return ", ".join(column.visits)
    return None


def unassigned_reason(inst: WeekInstance, cands: Candidates, selection, visit: Visit) -> str:
    """A concrete reason why ``visit`` is not in the plan."""
    if cands.no_day[visit.id]:
        return cands.no_day[visit.id]
    if visit.id in selection.pin_problems:
        return selection.pin_problems[visit.id]
    days = cands.days[visit.id]
    when = fmt_range(days[0], days[-1]) if days == _consecutive(days) else ", ".join(fmt_range(d, d) for d in days)
    short = short_of_people(visit, inst.free_people(visit, days), when)
    if short:
        return short
    columns = [cands.columns[i] for i in cands.by_visit[visit.id]]
    if not columns:
        return (f"nobody free can reach {visit.place_name} for a {fmt_minutes(visit.duration_min)} meeting between "
                f"{inst.settings.meeting_earliest:%H.%M} and {inst.settings.meeting_latest_end:%H.%M} on {when}")
    able = sorted({c.staff for c in columns})
    if visit.staff_needed > 1 and len(able) < visit.staff_needed:
        return f"only {len(able)} of the {visit.staff_needed} people needed can reach {visit.place_name} on {when}"
    busy = []
    chosen_of: dict[str, list] = {}  # the plan's trips by person (once, not per person: big weeks)
    for i in selection.chosen:
        chosen_of.setdefault(cands.columns[i].staff, []).append(cands.columns[i])
    for staff_id in able:
        doing = sorted({v for c in chosen_of.get(staff_id, ()) if any(d in c.days for d in days) for v in c.visits})
        if doing:
            busy.append(f"{staff_id} on {', '.join(doing)}")
    if len(busy) == len(able):
        shown = "; ".join(busy[:4]) + ("; …" if len(busy) > 4 else "")
        return f"everyone who could go on {when} is needed for other visits ({shown})"
    if visit.staff_needed > 1:
        return no_common_start(visit, when)
    return f"left out within the time limit although {len(able) - len(busy)} qualified people were free on {when}"


def _consecutive(days):
    if not days:
        return days
    return [days[0] + timedelta(n) for n in range((days[-1] - days[0]).days + 1)]
