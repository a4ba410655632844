"""The fast travel matrix (issue 14, point 5): the plain drives computed at once are the per-pair model's journeys,
sea legs and flights are still the per-pair model's, and journeys are kept between runs in the instance's database
until the travel settings or the network change. (How fast it is: benchmarks/matrix_bench.py.)"""
from __future__ import annotations

import random
import re
import time as clock
from dataclasses import replace
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from planner.core import costs, legs, road_network, travel_choice
from planner.core.availability import Availability
from planner.core.journey_matrix import journeys, road_journeys
from planner.core.journeys import Point
from planner.core.places import get_gazetteer
from planner.core.records import Office, StaffMember, Visit
from planner.core.road_network import TRAVEL_SETTINGS, NetworkTravelModel
from planner.core.settings import Settings
from planner.optimize.greedy import solve_greedy
from planner.optimize.instance import UNREACHABLE, build_instance, point_key, straight_km
from planner.optimize.plan import build_plan
from planner.optimize.sizing import size_week
from planner.optimize.validate import check_plan
from planner.store.db import open_db
from planner.store.journey_cache import JourneyCache

MON = date(2026, 12, 7)
WEEK = "2026-W50"
# Mainland towns near and far, Lapland, Åland and its outer islands, the archipelago and Hailuoto
PLACES = ["Helsinki", "Espoo", "Vantaa", "Porvoo", "Tampere", "Turku", "Kaarina", "Naantali", "Oulu", "Kempele",
          "Rovaniemi", "Utsjoki", "Inari", "Kuusamo", "Joensuu", "Lappeenranta", "Vaasa", "Maarianhamina",
          "Jomala", "Föglö", "Kökar", "Kumlinge", "Nauvo", "Korppoo", "Houtskari", "Hailuoto", "Kemi", "Tornio",
          "Pori", "Rauma", "Kotka", "Hamina", "Lahti", "Kuopio", "Kajaani"]


@pytest.fixture(scope="module")
def points() -> list[Point]:
    g = get_gazetteer()
    found = [g.resolve(name) for name in PLACES]
    out = [Point(p.name, p.lat, p.lon) for p in found]
    # two spots of one town a few km apart (a drive straight across) and one spot under another name
    out += [Point("Helsinki, Pasila", 60.19866, 24.93345), Point("Helsinki, Kallio", 60.1841, 24.9497),
            Point("Oulu again", out[8].lat, out[8].lon)]
    return out


def test_plain_drives_at_once_are_the_per_pair_journeys(points):
    model = NetworkTravelModel(Settings())
    pairs = [(a, b) for a in points for b in points]
    fast = road_journeys(model, pairs)
    reference = NetworkTravelModel(Settings())
    for (a, b), journey in zip(pairs, fast):
        expected = reference.journey(a, b)
        if journey is not None:
            assert journey == expected, (a.name, b.name)
        else:   # left to the per-pair model: a sea leg, or a drive long enough for a train or plane to compete
            assert (expected.mode in ("ferry", "flight", "train") or len(expected.legs) > 1
                    or expected.distance_km >= model.settings.public_transport_min_km), (a.name, b.name)
    # every drive too short for a train or plane is answered at once (and many of these pairs are long)
    short = [k for k, (a, b) in enumerate(pairs) if (j := reference.journey(a, b)).mode == "car" and len(j.legs) == 1
             and j.distance_km < model.settings.public_transport_min_km - 1.0]
    assert short and all(fast[k] is not None for k in short)
    assert journeys(model, pairs) == [reference.journey(a, b) for a, b in pairs]


def test_sea_and_air_stay_with_the_per_pair_model(points):
    by_name = {p.name: p for p in points}
    model = NetworkTravelModel(Settings(), day=date(2026, 12, 8))     # the Hailuoto ferry still runs
    pairs = [(by_name["Helsinki"], by_name["Maarianhamina"]), (by_name["Oulu"], by_name["Hailuoto"]),
             (by_name["Turku"], by_name["Korppoo"]), (by_name["Helsinki"], by_name["Utsjoki"])]
    assert road_journeys(model, pairs) == [None] * 4
    modes = [j.mode for j in journeys(model, pairs)]
    assert modes[:3] == ["flight", "ferry", "ferry"] and modes[3] in ("flight", "train")
    car = road_journeys(model, pairs[3:], mode="car")[0]
    assert car == model.journey(*pairs[3], mode="car") and car.mode == "car"


def test_anchors_ranked_with_numpy_are_the_sorted_ones():
    model = NetworkTravelModel(Settings())
    net = model.net
    rng = random.Random(5)
    places = [p for p in get_gazetteer() if p.kind in ("municipality", "village")]
    for p in rng.sample(places, 300) + [Point("on a node", net.lat[7], net.lon[7])]:
        ranked = net.nearest(p.lat, p.lon)
        # the nearest node, but a small island's only within its reach (east Helsinki is not on Suomenlinna)
        zone = next(net.zone[i] for km, i in ranked if km <= net.reach.get(net.zone[i], km))
        assert net.nearest_of_zone(p.lat, p.lon, 3) == (zone, [r for r in ranked if net.zone[r[1]] == zone][:3])


def test_the_fingerprint_covers_every_setting_the_model_reads():
    source = "".join(Path(module.__file__).read_text() for module in (road_network, legs, travel_choice, costs))
    # the network file's bytes enter the fingerprint themselves, whichever file it is
    read = set(re.findall(r"\b(?:s|settings)\.([a-z_]+)\b", source)) - {"get", "network_file"}
    assert read <= set(TRAVEL_SETTINGS), read - set(TRAVEL_SETTINGS)
    base = NetworkTravelModel(Settings()).fingerprint
    assert NetworkTravelModel(Settings()).fingerprint == base
    assert NetworkTravelModel(Settings(meeting_earliest=time(9, 0))).fingerprint == base     # not a travel setting
    for name in TRAVEL_SETTINGS:
        changed = replace(Settings(), **{name: getattr(Settings(), name) + 1})
        assert NetworkTravelModel(changed).fingerprint != base, name


def week(seed: int = 3, visits: int = 60):
    """A week of visits at places all over the country, from four offices."""
    rng = random.Random(seed)
    g = get_gazetteer()
    offices = {}
    for name in ("Helsinki", "Oulu", "Maarianhamina", "Joensuu"):
        p = g.resolve(name)
        offices[p.id] = Office(p.id, p.name, p.lat, p.lon, p.region, p.id)
    staff = [StaffMember(f"p{k}", f"Person {k}", "senior_inspector", o) for k, o in enumerate(sorted(offices))]
    winter = NetworkTravelModel(day=date(2027, 1, 15))    # places reached all year (not a summer boat's island)
    places = [p for p in g if p.kind in ("municipality", "village") and not winter.not_running(winter.zone_of(p))]
    out = []
    for k in range(visits):
        p = rng.choice(places) if k % 3 else g.resolve(rng.choice(PLACES))
        first = rng.randrange(5)
        out.append(Visit(f"v{k:03d}", "client", p.name, p.lat, p.lon, MON + timedelta(first),
                         MON + timedelta(min(4, first + rng.randrange(3))), 90, on_aland=p.on_aland))
    return offices, staff, out


def matrix(settings: Settings = Settings(), *, vectorised: bool = True, cache=None, visits=None):
    offices, staff, generated = week()
    inst = build_instance(WEEK, MON, visits or generated, staff, offices, Availability(staff, []), settings,
                          NetworkTravelModel(settings), journey_cache=cache)
    inst.travel.vectorised = vectorised
    inst.precompute_travel()
    return inst


def test_the_week_matrix_is_the_same_with_and_without_the_vectorised_path():
    slow, fast = matrix(vectorised=False), matrix()
    assert fast.travel.by_key == slow.travel.by_key
    assert fast.chain_neighbours == slow.chain_neighbours
    stats = fast.travel.stats
    assert stats["journeys"] == len(fast.travel) and stats["cached"] == 0 and stats["seconds"] > 0
    # every plain short drive at once; the long ones where a train or plane may win by the policy one by one
    assert stats["vectorised"] > 0 and stats["per_pair"] > 0
    assert stats["vectorised"] + stats["per_pair"] == stats["journeys"]
    assert slow.travel.stats["vectorised"] == 0


def test_journeys_are_read_back_from_the_database_on_the_next_run(tmp_path):
    db = open_db(tmp_path / "planner.db")
    first = matrix(cache=JourneyCache(db))
    stats = first.travel.stats
    assert stats["cached"] == 0 and stats["vectorised"] > 0 and stats["per_pair"] > 0
    # what was asked one by one is kept; the plain drives are computed again faster than they are read
    assert JourneyCache(db).count() == stats["per_pair"] - list(first.travel.by_key.values()).count(None)
    again = matrix(cache=JourneyCache(open_db(tmp_path / "planner.db")))
    assert again.travel.stats["cached"] == JourneyCache(db).count()
    assert again.travel.stats["vectorised"] == stats["vectorised"] and again.travel.stats["per_pair"] == 0
    assert again.travel.by_key == first.travel.by_key
    assert again.chain_neighbours == first.chain_neighbours
    assert {j.mode for j in again.travel.by_key.values()} >= {"car", "ferry", "flight"}
    # the ends of a journey are named by the asking points, not by the run that stored it
    _offices, _staff, visits = week()
    renamed = [replace(v, place_name=f"{v.place_name} (new name)") for v in visits]
    third = matrix(cache=JourneyCache(db), visits=renamed)
    assert third.travel.stats["cached"] == again.travel.stats["cached"] and third.travel.stats["per_pair"] == 0
    office = next(iter(third.offices.values()))
    for visit in renamed:
        journey = third.travel.journey(office, visit)
        if journey is not None and journey.mode != "car":   # never a plain drive, so read from the database
            leg_names = [(leg.from_name, leg.to_name) for leg in journey.legs]
            assert leg_names[0][0] == office.name and leg_names[-1][1] == visit.place_name
            break
    else:
        raise AssertionError("no journey from the office was read from the database")


def test_a_changed_travel_setting_drops_the_kept_journeys(tmp_path):
    db = open_db(tmp_path / "planner.db")
    cheap = matrix(cache=JourneyCache(db))
    dearer = Settings(mileage_eur_per_km=0.60)
    changed = matrix(dearer, cache=JourneyCache(db))
    assert changed.travel.stats["cached"] == 0
    assert changed.travel.by_key == matrix(dearer, vectorised=False).travel.by_key
    assert changed.travel.by_key != cheap.travel.by_key
    fingerprint = NetworkTravelModel(dearer).fingerprint
    assert JourneyCache(db).count() == JourneyCache(db).count(fingerprint) > 0    # the old ones are gone
    # a setting the journeys do not depend on keeps them
    assert matrix(replace(dearer, meeting_earliest=time(9, 0)), cache=JourneyCache(db)).travel.stats["cached"] > 0


def test_plan_week_keeps_the_journeys_in_the_instance_database(app, db):
    from planner.ops import importer
    from planner.ops.demo import demo_document
    from planner.planning.week_run import plan_and_store

    importer.apply(db, importer.check(demo_document(date(2026, 12, 2)), db))
    seen, plans = [], []
    for _run in range(2):
        plan, _id = plan_and_store(db, WEEK, Settings(), solver="greedy", time_limit=10, actor="test", dry_run=True,
                                   loaded=seen.append)
        plans.append(plan["stats"])
    first, second = (inst.travel.stats for inst in seen)
    assert first["cached"] == 0 and first["journeys"] > 0 and first["per_pair"] > 0
    # the first run's matrix asked these one by one (the search asks a few more later, which are not kept)
    assert 0 < second["cached"] == JourneyCache(db).count() <= first["per_pair"]
    assert second["per_pair"] == first["per_pair"] - second["cached"]
    assert second["journeys"] == first["journeys"]
    assert [p["journeys_cached"] for p in plans] == [0, second["cached"]]
    assert plans[1]["journeys"] >= first["journeys"]     # and the few the search asks for later
    assert seen[1].travel.by_key == seen[0].travel.by_key


def test_the_purge_empties_the_journey_cache(tmp_path):
    from planner.store.privacy import delete_older_than

    db = open_db(tmp_path / "planner.db")
    matrix(cache=JourneyCache(db))
    assert JourneyCache(db).count() > 0
    counts = delete_older_than(db, date(2020, 1, 1), "test")
    assert JourneyCache(db).count() == 0 and counts["journey_cache"] > 0


def test_trip_legs_read_as_one_chain_when_a_visit_is_at_the_office():
    """A visit at the office's own point (a client in the office's town centre) is a walk of no minutes from and to
    the office, so every trip's legs still run from its office, through its visits, back to its office, each
    named as the plan names it (an independent checker reads the legs so)."""
    from planner.optimize.candidates import CandidateGenerator
    offices, staff, generated = week(visits=12)
    helsinki = next(o for o in offices.values() if o.name == "Helsinki")
    office = replace(helsinki, name="Helsinki office")
    offices[office.id] = office
    here = Visit("v-here", "client", "Pasila", office.lat, office.lon, MON, MON + timedelta(4), 60)
    inst = build_instance(WEEK, MON, [here, *generated], staff, offices, Availability(staff, []), Settings(),
                          NetworkTravelModel(Settings()))
    inst.precompute_travel()
    cands = CandidateGenerator(inst).generate()
    mine = [c for c in cands.columns if "v-here" in c.visits and c.office == office.id]
    assert {c.kind for c in mine} == {"single", "chain"}
    for column in mine:
        legs = [leg for journey in column.journeys for leg in journey.legs]
        names = [legs[0].from_name] + [leg.to_name for leg in legs]
        assert names[0] == names[-1] == "Helsinki office"
        assert all(a.to_name == b.from_name for a, b in zip(legs, legs[1:]))
        assert "Pasila" in names
    alone = next(c for c in mine if c.kind == "single")
    assert [(leg.mode, leg.minutes) for j in alone.journeys for leg in j.legs] == [("walk", 0), ("walk", 0)]


def test_a_matrix_cut_short_draws_every_offices_drives_then_the_nearest_visit_pairs_chunk_by_chunk(monkeypatch):
    """The plain drives are drawn up in chunks with a look at the clock between them: every office↔visit pair
    whatever the time, then the visit pairs, nearest first, while there is time; the rest are not travelled, and
    visits chain only over the pairs drawn. The clock is a counter of its own (one tick a look)."""
    import itertools
    from types import SimpleNamespace
    from planner.optimize import instance as instance_module
    offices, staff, visits = week()
    full = matrix()
    inst = build_instance(WEEK, MON, visits, staff, offices, Availability(staff, []), Settings(),
                          NetworkTravelModel(Settings()))
    counter = itertools.count()
    monkeypatch.setattr(instance_module, "clock", SimpleNamespace(perf_counter=lambda: next(counter)))
    monkeypatch.setattr(instance_module, "VECTOR_CHUNK", 100)
    inst.precompute_travel(until=3)      # started at 0: the visit pairs' first chunks are drawn, then no more
    order, _must = inst._office_pairs(inst.used_offices())
    office_keys = {(point_key(a), point_key(b)) for a, b in order}
    plain = {k for (a, b), j in zip(order, road_journeys(inst.travel.model, order)) if j is not None
             for k in [(point_key(a), point_key(b))]}
    visit_drives = inst.travel.by_key.keys() - office_keys
    assert plain <= inst.travel.by_key.keys() and not inst.travel.complete
    assert 0 < len(visit_drives) < len(full.travel.by_key.keys() - office_keys)
    assert inst.travel.stats["left_out"] > 0
    for a, chained in inst.chain_neighbours.items():
        for b in chained:
            pa, pb = point_key(inst.visit_by_id[a]), point_key(inst.visit_by_id[b])
            assert inst.travel.by_key.get((pa, pb)) is not None and inst.travel.by_key.get((pb, pa)) is not None
    assert any(inst.chain_neighbours.values())


def test_a_matrix_cut_short_gives_the_days_whose_links_differ_the_same_visit_pairs(monkeypatch):
    """A week whose Thursday runs other links (the Vallisaari ferry's season ends on Wednesday 15 September 2027)
    has a matrix of its own for Thursday on; cut short, it travels the visit pairs Monday's drew, so visits chain
    alike every day (it drew none once Monday's had spent the time)."""
    import itertools
    from types import SimpleNamespace
    from planner.optimize import instance as instance_module
    monday, g = date(2027, 9, 13), get_gazetteer()
    offices, staff, _ = week()
    rng = random.Random(7)
    uusimaa = sorted((p for p in g if p.region == "Uusimaa" and p.kind in ("municipality", "village")),
                     key=lambda p: p.id)
    visits = [Visit(f"u{k:02d}", "client", p.name, p.lat, p.lon, monday, monday + timedelta(4), 90)
              for k, p in enumerate(rng.sample(uusimaa, 60))]
    inst = build_instance("2027-W37", monday, visits, staff, offices, Availability(staff, []), Settings(),
                          NetworkTravelModel(Settings()))
    counter = itertools.count()
    monkeypatch.setattr(instance_module, "clock", SimpleNamespace(perf_counter=lambda: next(counter)))
    monkeypatch.setattr(instance_module, "VECTOR_CHUNK", 100)
    inst.precompute_travel(until=3)
    thursday = inst.travel_on(monday + timedelta(3))
    assert thursday is not inst.travel and not thursday.complete
    chained = [(inst.visit_by_id[a], inst.visit_by_id[b]) for a, bs in inst.chain_neighbours.items() for b in bs]
    assert chained and all(thursday.minutes(a, b) < UNREACHABLE for a, b in chained)


def test_a_matrix_cut_short_has_each_visits_nearest_offices_first_and_asks_nothing_later():
    offices, staff, visits = week()
    inst = build_instance(WEEK, MON, visits, staff, offices, Availability(staff, []), Settings(),
                          NetworkTravelModel(Settings()))
    order, must = inst._office_pairs(inst.used_offices())
    assert len(order) == 2 * len(visits) * len(offices) and must == 2 * len(visits)
    firsts = order[:must]       # each visit's nearest office, there and back, before any second nearest
    for (office, visit), (back_from, back_to) in zip(firsts[::2], firsts[1::2]):
        assert (back_from, back_to) == (visit, office)
        assert office == min(offices.values(), key=lambda o: (straight_km(o, visit), sorted(offices).index(o.id)))

    full = matrix()
    inst.precompute_travel(until=clock.perf_counter())     # no time for a journey asked one by one but the musts
    stats = inst.travel.stats
    nearest = {(point_key(a), point_key(b)) for a, b in firsts}
    assert not inst.travel.complete and nearest <= inst.travel.by_key.keys()    # every visit reached from somewhere
    assert 0 < stats["per_pair"] < full.travel.stats["per_pair"]
    # every office's plain drives (cheap, drawn up at once); no visit pairs at all: no time to chain visits
    office_keys = {(point_key(a), point_key(b)) for a, b in order}
    plain = {(point_key(a), point_key(b)) for (a, b), j in zip(order, road_journeys(inst.travel.model, order))
             if j is not None}
    assert plain <= inst.travel.by_key.keys() <= office_keys
    assert stats["vectorised"] == len(plain) < full.travel.stats["vectorised"]
    assert all(not chained for chained in inst.chain_neighbours.values())
    assert stats["per_pair"] + stats["left_out"] == len(office_keys - plain)    # the others: asked, or left out
    missing = [(o, v) for o in offices.values() for v in visits
               if (point_key(o), point_key(v)) not in inst.travel.by_key]
    assert missing, "the week has flights and ferries to farther offices, which only the per-pair model gives"
    asked = stats["per_pair"]
    office, visit = missing[0]
    assert inst.travel.journey(office, visit) is None and inst.travel.minutes(office, visit) >= UNREACHABLE
    assert stats["per_pair"] == asked and not inst.travel.unroutable    # not asked, and not called unroutable
    # visits chain only over journeys the matrix has, both ways
    for a, chained in inst.chain_neighbours.items():
        for b in chained:
            pa, pb = point_key(inst.visit_by_id[a]), point_key(inst.visit_by_id[b])
            assert inst.travel.by_key.get((pa, pb)) is not None and inst.travel.by_key.get((pb, pa)) is not None

    # and a plan over it keeps every rule, using only the journeys it has
    cands = size_week(inst, 30).generator.generate()
    greedy = solve_greedy(inst, cands)
    plan = build_plan(inst, cands, greedy, "greedy")
    assert plan["assignments"] and check_plan(plan, inst) == []
    assert stats["per_pair"] == asked
