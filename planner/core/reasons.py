"""The reasons the single-visit proposer (planner/core/propose.py) and the weekly planner (planner/optimize/) share:
one builder per kind of reason, so each is built, and worded (planner/core/messages.py), once."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import combinations_with_replacement
from typing import Iterable

from .messages import Message, message
from .records import StaffMember, Visit


def days_when(days: list[date]) -> list[list[str]]:
    """The ``when`` of a message: one [first, last] span for consecutive days, else one span per day."""
    if days and days == [days[0] + timedelta(n) for n in range((days[-1] - days[0]).days + 1)]:
        return [[days[0].isoformat(), days[-1].isoformat()]]
    return [[d.isoformat(), d.isoformat()] for d in days]


def span_when(start: date, end: date) -> list[list[str]]:
    return [[start.isoformat(), end.isoformat()]]


def reasons(parts: Iterable[Message]) -> Message:
    """Several reasons read as one ('; ' between them in English); one reason is itself."""
    items = list(parts)
    return items[0] if len(items) == 1 else message("list", items=items)


def missing(visit: Visit, people: Iterable[StaffMember]) -> dict[str, list[str]] | None:
    """What the given people together lack of the visit's skills and languages, or None."""
    people = list(people)
    skills = visit.skills - frozenset().union(*(p.skills for p in people))
    languages = visit.required_languages - frozenset().union(*(p.languages for p in people))
    return {"skills": sorted(skills), "languages": sorted(languages)} if skills or languages else None


def qualified(visit: Visit, person: StaffMember) -> bool:
    """Whether ``person`` alone holds the visit's skills and languages (``missing(visit, [person]) is None``,
    without building what is missing: the candidates ask it of every person for every visit)."""
    return visit.skills <= person.skills and visit.required_languages <= person.languages


def team_holds(visit: Visit, people: Iterable[StaffMember]) -> bool:
    """Whether some ``visit.staff_needed`` of ``people`` hold the visit's skills and languages between them (all of
    them in one person for a visit of one): the people are grouped by the needs they hold, and each mix of
    groups is tried, so a visit's few needs keep it small."""
    needs = {("skill", s) for s in visit.skills} | {("language", s) for s in visit.required_languages}
    groups = Counter(frozenset(need for need in needs
                               if need[1] in (p.skills if need[0] == "skill" else p.languages)) for p in people)
    if sum(groups.values()) < visit.staff_needed or frozenset().union(*groups) < needs:
        return False
    if visit.staff_needed >= len(needs):  # a holder of each need, and anyone else up to the team's size
        return True
    # a team of fewer people than needs: only the groups no other group holds more than (the rest never help)
    best = [g for g in groups if g and not any(g < other for other in groups)]
    return any(frozenset().union(*mix) >= needs and all(groups[g] >= mix.count(g) for g in mix)
               for size in range(1, visit.staff_needed + 1)
               for mix in combinations_with_replacement(sorted(best, key=sorted), size))


def lacks(visit: Visit, people: Iterable[StaffMember]) -> Message | None:
    gap = missing(visit, people)
    return message("lacks", **gap) if gap else None


def no_working_day(reasons_per_day: Iterable[Message], this_week: bool = False) -> Message:
    return message("no_working_day", days=list(reasons_per_day), this_week=this_week)


def short_of_people(visit: Visit, free: Iterable[StaffMember], when: list[list[str]]) -> Message | None:
    """Why the people free on ``when`` cannot make ``visit`` whatever the travel: nobody free, a skill or language
    nobody free has, fewer free than needed, or no team of them (one person for a visit of one) holding every
    skill and language at once; None when they could."""
    free = list(free)
    if not free:
        return message("nobody_free", when=when)
    gap = missing(visit, free)
    if gap:
        return message("nobody_with", **gap, when=when)
    if len(free) < visit.staff_needed:
        return message("too_few_free", free=len(free), needed=visit.staff_needed, when=when)
    if not team_holds(visit, free):
        return message("nobody_with_all", skills=sorted(visit.skills), languages=sorted(visit.required_languages),
                       needed=visit.staff_needed, when=when)
    return None


def no_common_start(visit: Visit, when: list[list[str]]) -> Message:
    return message("no_common_start", needed=visit.staff_needed, when=when)


def preferred() -> Message:
    return message("preferred")


def hotel_nights(nights: int) -> Message:
    return message("hotel_nights", n=nights)


def by_modes(modes: Iterable[str]) -> Message:
    return message("by_modes", modes=sorted(modes))
