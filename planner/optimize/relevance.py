"""Which people a visit's candidate trips are made for (``candidates``) and whom the insertion asks
(``insertion``): the nearest who can take it, by the journey there and back from their office."""
from __future__ import annotations

import zlib
from collections.abc import Callable

from ..core.reasons import qualified
from ..core.records import StaffMember, Visit
from .instance import WeekInstance


def relevant_people(inst: WeekInstance, visit: Visit, max_people: int, skill_people: int,
                    usable: Callable[[StaffMember], bool] | None = None,
                    other_offices: int = 0) -> list[StaffMember]:
    """The people worth considering for ``visit``: alone they must cover it when one person goes; in a team, the
    nearest ones plus the nearest holders of each required skill and language. Only people free on some day of
    the visit (and ``usable``, when given) count (the others would take a place and get no trip). With
    ``other_offices``, that many more: the nearest from offices none of the nearest are from."""
    days, _ = inst.visit_days(visit)
    there_and_back = {}

    def distance(p: StaffMember) -> tuple:
        if p.office not in there_and_back:
            office = inst.office_of(p)
            there_and_back[p.office] = inst.travel.minutes(office, visit) + inst.travel.minutes(visit, office)
        # colleagues at one office are equally near: a tie-break that differs by visit spreads an office's visits
        # over all its people (by id, the same few got them all and the rest of the office none)
        return there_and_back[p.office], zlib.crc32(f"{visit.id}/{p.id}".encode()), p.id

    free = [p for p in inst.free_people(visit, days) if usable is None or usable(p)]
    if visit.staff_needed == 1:
        people = sorted((p for p in free if qualified(visit, p)), key=distance)
        return _with_other_offices(people, max_people, other_offices)
    ranked = sorted(free, key=distance)
    chosen = {p.id: p for p in _with_other_offices(ranked, max(max_people, visit.staff_needed), other_offices)}
    for need in sorted(visit.skills):
        for p in [p for p in ranked if need in p.skills][:skill_people]:
            chosen[p.id] = p
    for need in sorted(visit.required_languages):
        for p in [p for p in ranked if need in p.languages][:skill_people]:
            chosen[p.id] = p
    return sorted(chosen.values(), key=distance)


def _with_other_offices(ranked: list[StaffMember], count: int, others: int) -> list[StaffMember]:
    """The first ``count`` of ``ranked`` and the ``others`` nearest after them from offices none of those are
    from, in ``ranked``'s order."""
    first = ranked[:count]
    if not others:
        return first
    offices = {p.office for p in first}
    return first + [p for p in ranked[count:] if p.office not in offices][:others]
