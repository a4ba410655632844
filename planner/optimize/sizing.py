"""Candidate settings chosen from the week's size (issue 14, point 2): how many people and neighbours each visit's
trips are made for. A small week gets every trip the planner's trip shapes allow (no person or neighbour left out),
so a plan proven optimal over them is optimal over all trips (``optimal_over``); a very big week gets the thinner
set its search can work through in the time; the rest the defaults (``CandidateGenerator``'s)."""
from __future__ import annotations

from dataclasses import dataclass

from .candidates import CandidateGenerator
from .instance import WeekInstance

# Up to this many visits every person and every neighbour gets trips (the demo week: 1,049 trips, proven optimal in
# about 1.5 s of search against 910 trips with the defaults).
EVERY_TRIP_UP_TO = 40
EVERY_TRIP_PAIRS = 1_200  # and up to this many (visit, person) pairs: a big team's every trip is too many trips
# From this many visits (at the default time limit and up to twice it) a thinner set: on the 1,000-visit week the
# defaults make about 112,000 trips, whose LP does not finish in its share of 120 s. Measured on a generated
# 1,000-visit week (986 visits some free team could do): the defaults 111,694 trips, the LP covering 977 in 29 s;
# these 52,826, covering 959 in 13 s, and the plan 939 in 107 s; 8 people per visit and 2 per chain with 2
# neighbours and one combined (26,773 trips) cover at most 916 in the LP, and the plan 906.
THIN_FROM = 600
THIN = {"max_people": 8, "skill_people": 3, "chain_people": 2, "chain_seeds_neighbours": 5, "max_combined": 3}
# In between, each visit's people are its nearest and this many more: the nearest from offices none of those are
# from (``relevance.relevant_people``). Where visits crowd near an office, its colleagues alone had their trips and
# the farther offices' people none, so the LP and the plan lacked them (decision 0027).
OTHER_OFFICES = 4


@dataclass(frozen=True)
class Sizing:
    name: str                 # "every trip" | "default" | "thin"
    generator: CandidateGenerator

    @property
    def every_trip(self) -> bool:
        return self.name == "every trip"


def size_week(inst: WeekInstance, time_limit: float) -> Sizing:
    """The candidate settings for ``inst`` planned in ``time_limit`` seconds."""
    visits, people = len(inst.visits), len(inst.staff)
    if visits <= EVERY_TRIP_UP_TO and visits * people <= EVERY_TRIP_PAIRS:
        return Sizing("every trip", CandidateGenerator(
            inst, max_people=people, skill_people=people, chain_people=people,
            chain_seeds_neighbours=max(visits - 1, 1), max_combined=3))
    # a longer limit affords more trips: the thin set from THIN_FROM visits at 120 s, proportionally later beyond
    if visits >= THIN_FROM * max(1.0, time_limit / 120):
        return Sizing("thin", CandidateGenerator(inst, **THIN))
    return Sizing("default", CandidateGenerator(inst, other_offices=OTHER_OFFICES))
