"""Timing a chained trip one meeting at a time: ``CandidateGenerator.time_chain`` times a whole chain with it, and
``pricing`` grows every chain the rules allow one visit longer at a time from the same partial timing.

Leave at the usual start of the day when the first meeting still fits, else early, else the evening before;
each next meeting the same day when it fits the meeting window and the longest day, else the next day after a
hotel night (a tour of at most ``max_tour_days``); home the same day when the day allows, else the next morning.
The meetings are placed one after the other, so when a chain's meetings do not fit, no chain that goes on from
it fits either.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..core.records import Office, Visit
from ..core.timing import meeting_window, round_up
from .instance import WeekInstance


@dataclass(frozen=True)
class Partial:
    """A chain's meetings placed so far."""
    office: Office
    work_start: time
    first_day: date
    depart: datetime
    day_began: datetime
    nights: int
    visits: tuple[Visit, ...]
    meetings: tuple[tuple[str, datetime], ...]
    hop_days: tuple[date, ...]
    end: datetime
    today: date


class ChainTimer:
    def __init__(self, inst: WeekInstance, max_tour_days: int):
        self.inst = inst
        self.settings = inst.settings
        self.longest = timedelta(minutes=inst.settings.longest_day_minutes)
        self.max_tour_days = max_tour_days

    def _minutes(self, a, b, on: date) -> timedelta:
        # as the network runs on the day of the meeting a hop leads to (home: the last meeting's day), as the
        # validator checks it
        return timedelta(minutes=self.inst.travel_on(on).minutes(a, b))

    def start(self, office: Office, first: Visit, day: date, work_start: time, days_of) -> Partial | None:
        """The first meeting, on ``day``; None when it cannot be placed."""
        s, longest = self.settings, self.longest
        if day not in days_of[first.id]:
            return None
        out = self._minutes(office, first, day)
        dur = timedelta(minutes=first.duration_min)
        win_start, win_end = meeting_window(day, s)
        plan = None
        for leave in (datetime.combine(day, work_start), datetime.combine(day, s.earliest_departure)):
            start = round_up(max(win_start, leave + out))
            if start + dur <= win_end and start + dur - (start - out) <= longest:
                plan = (start - out, start, start - out, 0)
                break
        if plan is None and out <= longest:
            eve = day - timedelta(1)
            depart = max(datetime.combine(eve, work_start), datetime.combine(eve, time(18, 0)) - out)
            plan = (depart, win_start, win_start, 1)
        if plan is None or plan[1] + dur > win_end:
            return None
        depart, start, day_began, nights = plan
        return Partial(office, work_start, day, depart, day_began, nights, (first,), ((first.id, start),), (day,),
                       start + dur, day)

    def then(self, chain: Partial, visit: Visit, days_of) -> Partial | None:
        """``chain`` with ``visit`` next, the same day or after a hotel night; None when it cannot be placed."""
        s, longest = self.settings, self.longest
        here, today, end, day_began, nights = chain.visits[-1], chain.today, chain.end, chain.day_began, chain.nights
        hop = self._minutes(here, visit, today)
        dur = timedelta(minutes=visit.duration_min)
        w_start, w_end = meeting_window(today, s)
        start = round_up(max(end + hop, w_start))
        if not (today in days_of[visit.id] and start + dur <= w_end and start + dur - day_began <= longest):
            today = today + timedelta(1)
            if today not in days_of[visit.id] or (today - chain.first_day).days >= self.max_tour_days:
                return None
            w_start, w_end = meeting_window(today, s)
            hop = self._minutes(here, visit, today)
            if end + hop - day_began <= longest and end + hop <= datetime.combine(today - timedelta(1), s.latest_return):
                day_began, start = w_start, w_start  # travel on in the evening, sleep there
            else:
                day_began = datetime.combine(today, chain.work_start)
                start = round_up(max(w_start, day_began + hop))
            nights += 1
            if start + dur > w_end or start + dur - day_began > longest:
                return None
        return Partial(chain.office, chain.work_start, chain.first_day, chain.depart, day_began, nights,
                       chain.visits + (visit,), chain.meetings + ((visit.id, start),), chain.hop_days + (today,),
                       start + dur, today)

    def home(self, chain: Partial) -> dict | None:
        """The whole trip: ``chain`` and the way home (``time_chain``'s plan; its ``journeys`` are made by
        ``journeys`` for the trips that become candidates); None when home is more than a day away."""
        s, inst = self.settings, self.inst
        office, today, nights = chain.office, chain.today, chain.nights
        back = self._minutes(chain.visits[-1], office, today)
        ret = chain.end + back
        if ret > datetime.combine(today, s.latest_return) or ret - chain.day_began > self.longest:
            if back > self.longest:
                return None
            nights += 1
            ret = datetime.combine(today + timedelta(1), chain.work_start) + back
        hops = tuple(zip((office, *chain.visits), (*chain.visits, office), chain.hop_days + (today,)))
        return {"depart": chain.depart, "return": ret, "nights": nights, "meetings": list(chain.meetings),
                "hops": hops, "travel": sum(inst.travel_on(on).exact_minutes(a, b) for a, b, on in hops)}

    def journeys(self, plan: dict) -> tuple:
        """``plan``'s journeys, office → meeting → … → office, each as the network runs on its day."""
        return tuple(self.inst.travel_on(on).journey(a, b) for a, b, on in plan["hops"])
