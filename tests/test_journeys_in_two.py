"""Journeys asked on two cores (``planner.optimize.journeys_in_two``): a forked child takes every other pair, and
the answers, the unroutable pairs and a cut at the deadline are those of asking them one by one here."""
from __future__ import annotations

import os
import time as clock
from datetime import date

from planner.core.journeys import Point
from planner.core.places import get_gazetteer
from planner.core.road_network import NetworkTravelModel
from planner.core.settings import Settings
from planner.optimize.journeys_in_two import ask_each, ask_in_two, can_fork

PLACES = ["Helsinki", "Oulu", "Maarianhamina", "Kökar", "Utsjoki", "Joensuu", "Hailuoto", "Turku", "Nauvo",
          "Vaasa", "Kuopio", "Rovaniemi", "Vallisaari"]
WINTER = date(2026, 12, 7)  # Vallisaari's ferry runs in summer only: no route there


def pairs() -> list:
    g = get_gazetteer()
    points = [Point(p.name, p.lat, p.lon) for p in (g.resolve(name) for name in PLACES)]
    return [((a.name, b.name), (a, b)) for a in points for b in points if a is not b]


def test_two_cores_give_the_journeys_of_one():
    model = NetworkTravelModel(Settings(), day=WINTER)
    items = pairs()
    here = ask_each(model.journey, items, None)
    both = ask_in_two(model.journey, items, None)
    assert list(both) == list(here) == [key for key, _pair in items]   # every pair, in the order given
    assert both == here
    assert any(isinstance(found, str) and "Vallisaari" in found for found in both.values())   # the reason, kept
    assert {found.mode for found in both.values() if not isinstance(found, str)} >= {"car", "ferry", "flight"}
    assert can_fork(2000) and not can_fork(1999)


def test_a_deadline_already_past_asks_nothing_on_either_core():
    model = NetworkTravelModel(Settings(), day=WINTER)
    assert ask_in_two(model.journey, pairs(), clock.perf_counter()) == {}


def test_the_childs_half_is_asked_here_when_the_child_fails():
    model = NetworkTravelModel(Settings(), day=WINTER)
    parent = os.getpid()

    def ask(a, b):
        if os.getpid() != parent:
            raise RuntimeError("the child breaks down")     # not a ValueError: the child ends without an answer
        return model.journey(a, b)

    items = pairs()
    assert ask_in_two(ask, items, None) == ask_each(model.journey, items, None)
