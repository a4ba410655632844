"""The bounded chain search (optimize/chain_bound.py): on weeks with too many chains to make one by one, the chains
that could improve the LP or the plan are found by a search that stops growing a chain where its bound shows that
nothing going on from it can (issue 14, point 7: `optimal_over: "all trips"` on weeks of the real team's size).
Checked against making every chain, on weeks small enough to make them all."""
from __future__ import annotations

import time

import pytest

from optimize_support import MON, OFFICES, WEEK, FakeTravel, _random_week
from planner.core.availability import Availability
from planner.core.settings import Settings
from planner.optimize import pricing
from planner.optimize.bound import week_lp
from planner.optimize.chain_bound import ChainSearch, TimeUp
from planner.optimize.instance import build_instance
from planner.optimize.model import column_score
from planner.optimize.pricing import Outside
from planner.optimize.run import plan_week
from planner.optimize.sizing import size_week
from planner.optimize.validate import check_plan


def _instance(visits, staff, absences=()):
    return build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff, absences), Settings(), FakeTravel())


def _every_trip_week(seed: int):
    """A 10-visit week with its travel, its generator and candidates as ``plan_week`` makes them at 30 s."""
    inst = _instance(*_random_week(seed, people=3, visits=10))
    inst.precompute_travel()
    generator = size_week(inst, 30).generator
    return inst, generator, generator.generate()


@pytest.mark.parametrize("seed", range(3))
def test_the_search_finds_every_chain_below_the_bar_that_making_every_chain_finds(seed, monkeypatch):
    """Every chain made one by one whose reduced cost under the week's LP is below the bar is found by the
    search (or a trip of the same person, visits and days as cheap), at the bar of the LP (0), at a proof's bar
    and with no bar at all; and everything the search finds is a chain outside the candidates below the bar."""
    inst, generator, cands = _every_trip_week(seed)
    monkeypatch.setattr(pricing, "MAX_CHAIN_STEPS", 2_000_000)  # every chain made, to check the search against
    made = Outside(inst, cands, generator, time.perf_counter() + 120).trips
    assert made is not None and len(made) > 100
    relax = week_lp(inst, cands, time_limit=30, teams="starts")
    rows, duals = relax.rows, relax.rows.duals()

    def reduced_cost(column):
        return rows.outside_reduced_cost(inst, column, column_score(inst, cands, column), rows.entries(inst, column),
                                         duals)

    def same(column):
        return pricing._same_rows(inst, column) or column

    search = ChainSearch(inst, cands, generator, pricing._same_rows)
    costs = sorted(reduced_cost(c) for c in made)
    for bar in (-pricing.TOLERANCE, costs[len(costs) // 4], float("inf")):
        found = search.below(cands, rows, duals, bar, None, time.perf_counter() + 120)
        assert [rc for rc, _n, _c in found] == sorted(rc for rc, _n, _c in found)
        assert all(rc < bar and abs(rc - reduced_cost(c)) < 1e-6 and c not in cands.columns for rc, _n, c in found)
        cheapest = {}
        for rc, _n, column in found:
            cheapest[same(column)] = min(cheapest.get(same(column), float("inf")), column_score(inst, cands, column))
        for column in made:
            if reduced_cost(column) < bar:
                assert cheapest.get(same(column), float("inf")) <= column_score(inst, cands, column), column
    assert search.steps > 0


def test_the_search_keeps_the_lowest_and_stops_at_its_deadline():
    inst, generator, cands = _every_trip_week(1)
    relax = week_lp(inst, cands, time_limit=30, teams="starts")
    search = ChainSearch(inst, cands, generator, pricing._same_rows)
    every = search.below(cands, relax.rows, relax.rows.duals(), float("inf"), None, time.perf_counter() + 120)
    lowest = search.below(cands, relax.rows, relax.rows.duals(), float("inf"), 5, time.perf_counter() + 120)
    assert [rc for rc, _n, _c in lowest] == [rc for rc, _n, _c in every[:5]]
    with pytest.raises(TimeUp):
        search.below(cands, relax.rows, relax.rows.duals(), float("inf"), None, time.perf_counter() - 1)


@pytest.mark.parametrize("seed", [2, 5])
def test_a_week_with_more_chains_than_are_made_is_proven_over_all_trips_by_the_search(seed, monkeypatch):
    """With more chains than ``MAX_CHAIN_STEPS`` makes (as on a generated week of the real team's size), the plan
    is still proven optimal over every trip, and it is the plan the week gets when every chain is made."""
    visits, staff, absences = _random_week(seed, people=3, visits=10)
    made = plan_week(_instance(visits, staff, absences), "cp-sat", time_limit=30)
    assert made["optimal_over"] == "all trips"
    monkeypatch.setattr(pricing, "MAX_CHAIN_STEPS", 0)
    inst = _instance(visits, staff, absences)
    searched = plan_week(inst, "cp-sat", time_limit=30)
    assert check_plan(searched, inst) == []
    assert searched["status"] == "OPTIMAL" and searched["optimal_over"] == "all trips"
    assert searched["objective"] == pytest.approx(made["objective"], abs=0.05)
