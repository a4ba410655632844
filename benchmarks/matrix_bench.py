"""How fast the travel matrix is built (issue 14, point 5: 150,000 journeys in a few seconds).

A big week is synthesised at real places of the gazetteer: 20 offices spread over the country (Maarianhamina
included) and 1,000 visits at municipalities and villages weighted by population, so Åland, the archipelago,
Hailuoto and Lapland all appear. The matrix is built as ``plan-week`` builds it (``WeekInstance.precompute_travel``)
three ways (``--steps``), each printing journeys per second:

- ``per-pair``: the travel model asked for each pair (no vectorised path; the model keeps its node paths)
- ``vectorised``: the plain road pairs computed at once with numpy, the rest per pair, no cache
- ``cache``: two runs against a SQLite cache file (``--cache FILE`` keeps it): the first fills it, the second reads

    .venv/bin/python benchmarks/matrix_bench.py                      # 1,000 visits, 20 offices
    .venv/bin/python benchmarks/matrix_bench.py --visits 300 --offices 8 --profile
    .venv/bin/python benchmarks/matrix_bench.py --steps vectorised     # a cold process, as plan-week starts
    .venv/bin/python benchmarks/matrix_bench.py --steps cache --cache c.db    # twice: the second reads in a cold process

``--compare`` also checks that every journey of the vectorised matrix equals the per-pair one (minutes, km, cost,
mode and legs) and prints the number that differ.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.core.availability import Availability  # noqa: E402
from planner.core.offices import BUILTIN_OFFICES  # noqa: E402
from planner.core.places import get_gazetteer  # noqa: E402
from planner.core.records import Office, StaffMember, Visit  # noqa: E402
from planner.core.settings import Settings  # noqa: E402
from planner.core.travel import NetworkTravelModel  # noqa: E402
from planner.optimize.instance import build_instance  # noqa: E402

MONDAY = date(2026, 12, 7)
WEEK = "2026-W50"
EXTRA_OFFICES = ["Turku", "Jyväskylä", "Kuopio", "Rovaniemi", "Vaasa", "Joensuu", "Pori", "Lahti", "Kotka",
                 "Seinäjoki", "Kajaani", "Mikkeli", "Hämeenlinna", "Kokkola", "Maarianhamina", "Savonlinna",
                 "Kemi", "Ivalo", "Iisalmi", "Porvoo"]


def week(n_offices: int, n_visits: int, seed: int):
    """Offices, one person per office (so every office is used) and visits over the week's five days."""
    rng = random.Random(seed)
    g = get_gazetteer()
    offices = {o.id: o for o in BUILTIN_OFFICES[:n_offices]}
    for name in EXTRA_OFFICES[:max(0, n_offices - len(offices))]:
        p = g.resolve(name)
        offices[p.id] = Office(p.id, p.name, p.lat, p.lon, p.region, p.id)
    staff = [StaffMember(f"p{k:02d}", f"Person {k}", "senior_inspector", o) for k, o in enumerate(sorted(offices))]
    places = [p for p in g if p.kind in ("municipality", "village")]
    weights = [max(p.population or 0, 2000) ** 0.5 for p in places]
    visits = []
    for k in range(n_visits):
        p = rng.choices(places, weights)[0]
        first = rng.randrange(5)
        last = min(4, first + rng.choice([0, 1, 2, 2, 4]))
        visits.append(Visit(f"v{k:04d}", "client", p.name, p.lat, p.lon, MONDAY + timedelta(first),
                            MONDAY + timedelta(last), 90, on_aland=p.on_aland, region=p.region))
    return offices, staff, visits


def build(args, settings: Settings, *, vectorised: bool, cache=None):
    """A fresh instance of the week (a fresh travel model: nothing remembered from a previous build)."""
    offices, staff, visits = week(args.offices, args.visits, args.seed)
    model = NetworkTravelModel(settings)
    inst = build_instance(WEEK, MONDAY, visits, staff, offices, Availability(staff, []), settings, model,
                          journey_cache=cache)
    inst.travel.vectorised = vectorised
    started, cpu = time.perf_counter(), time.process_time()
    inst.precompute_travel()
    return inst, (time.perf_counter() - started, time.process_time() - cpu)


def report(label: str, inst, seconds: tuple[float, float]) -> None:
    """Wall clock and this process's CPU time (the CPU time is steadier when the machine is shared)."""
    stats, (wall, cpu) = inst.travel.stats, seconds
    print(f"{label:11s} {stats['journeys']:8,d} journeys in {wall:6.2f} s = {stats['journeys'] / wall:9,.0f}/s"
          f" (CPU {cpu:6.2f} s = {stats['journeys'] / cpu:9,.0f}/s)   stats {stats}", flush=True)


def differences(a, b) -> int:
    """Pairs whose journeys differ between two built matrices."""
    assert a.travel.by_key.keys() == b.travel.by_key.keys()
    return sum(1 for key, journey in a.travel.by_key.items() if b.travel.by_key[key] != journey)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--offices", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", default="per-pair,vectorised,cache",
                        help="which builds, in this order (the first one runs in a cold process)")
    parser.add_argument("--cache", help="the cache's SQLite file (kept; default: a temporary one)")
    parser.add_argument("--profile", action="store_true", help="print where the vectorised build spends its time")
    parser.add_argument("--compare", action="store_true", help="compare every vectorised journey with per-pair")
    args = parser.parse_args()
    from planner.store.db import open_db
    from planner.store.journey_cache import JourneyCache
    steps = args.steps.split(",")
    settings = Settings()
    print(f"{args.visits} visits, {args.offices} offices, seed {args.seed}")
    per_pair = fast = None
    if "per-pair" in steps or args.compare:
        per_pair, seconds = build(args, settings, vectorised=False)
        report("per-pair", per_pair, seconds)
    if "vectorised" in steps or args.compare:
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
        fast, seconds = build(args, settings, vectorised=True)
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
        report("vectorised", fast, seconds)
    if per_pair is not None and args.compare:
        print(f"journeys that differ from per-pair: {differences(per_pair, fast)} of {len(fast.travel)}")
    del per_pair        # each build is measured with no other matrix alive (the garbage collector scans them all)
    if "cache" in steps:
        with tempfile.TemporaryDirectory() as folder:
            db = open_db(args.cache or Path(folder) / "cache.db")
            for _run in range(2):
                again, seconds = build(args, settings, vectorised=True, cache=JourneyCache(db))
                report("cached" if again.travel.stats["cached"] else "cache fill", again, seconds)
            if fast is not None:
                print(f"journeys that differ after the cache: {differences(fast, again)} of {len(again.travel)}")

if __name__ == "__main__":
    main()
