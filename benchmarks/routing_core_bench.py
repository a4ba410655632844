"""The planner's routing core against PyVRP (issue 14's last target, "within 3 % of PyVRP's travel at equal
coverage"): a research comparison, not a measurement of ``planner plan-week`` (benchmarks/plan_bench.py measures
the product).

    .venv/bin/pip install pyvrp                                       # benchmark-only dependency
    .venv/bin/python benchmarks/routing_core_bench.py --sizes real,medium

Weeks are generated (seeded) from the real team (4 offices, 15 people, 30 visits) up to 20 offices, 200 people
and 1,000 visits, at real places of the gazetteer, with travel from the planner's own travel model. The *routing
core* of a week keeps one person per visit, no skills, languages or preferences, same-day trips only and travel
minutes as the only cost; it is solved with the planner's candidate model (its penalty weights set to zero here,
which is what makes it the core) and with PyVRP on the same travel matrix, and travel is compared at equal
coverage. ``generate`` also feeds benchmarks/week_json.py and time_limit_bench.py.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.core.availability import Availability  # noqa: E402
from planner.ops.demo import TEAM  # noqa: E402
from planner.core.records import Absence, Office, StaffMember, Visit  # noqa: E402
from planner.core.offices import BUILTIN_OFFICES  # noqa: E402
from planner.core.places import get_gazetteer  # noqa: E402
from planner.core.settings import Settings  # noqa: E402

MONDAY = date(2026, 12, 7)
WEEK = "2026-W50"
SIZES = {  # name: (offices, people, visits, CP-SAT time limit)
    "real": (4, 15, 30, 30),
    "medium": (10, 60, 200, 60),
    "large": (20, 200, 1000, 120),
}
EXTRA_OFFICES = ["Turku", "Jyväskylä", "Kuopio", "Rovaniemi", "Vaasa", "Joensuu", "Pori", "Lahti", "Kotka",
                 "Seinäjoki", "Kajaani", "Mikkeli", "Hämeenlinna", "Kokkola", "Maarianhamina", "Savonlinna"]
SKILLS = ["identification", "counselling", "health", "social_work", "training", "labour_exploitation"]
LANGS = ["ru", "ar", "sv", "fr", "es", "th", "so", "uk"]


def travel_model(settings: Settings):
    from planner.core.travel import travel_model as model
    return model(settings)


def generate(size: str, seed: int = 7):
    """A reproducible week of the given size: offices, staff, absences and visits."""
    n_offices, n_people, n_visits, _ = SIZES[size]
    rng = random.Random(seed)
    g = get_gazetteer()
    offices = {o.id: o for o in BUILTIN_OFFICES}
    for name in EXTRA_OFFICES[:n_offices - 4]:
        p = g.resolve(name)
        offices[p.id] = Office(p.id, p.name, p.lat, p.lon, p.region, p.id)
    if size == "real":
        staff = [StaffMember(i, n, r, o, frozenset(s), frozenset(l), region=reg)
                 for i, n, r, o, s, l, _f, _u, reg in TEAM[:15]]
    else:
        ids = sorted(offices)
        staff = []
        for k in range(n_people):
            office = ids[k % len(ids)] if k < 2 * len(ids) else rng.choice(ids[:4] * 3 + ids)
            skills = frozenset(rng.sample(SKILLS, rng.choice([1, 1, 2])))
            langs = frozenset({"fi", "en"} | set(rng.sample(LANGS, rng.choice([0, 1, 1, 2]))))
            staff.append(StaffMember(f"p{k:03d}", f"Person {k}", "senior_inspector", office, skills, langs))
    places = [p for p in g if p.kind == "municipality"]
    weights = [max(p.population, 2000) ** 0.5 for p in places]
    visits = []
    for k in range(n_visits):
        p = rng.choices(places, weights)[0]
        first = rng.randrange(5)
        span = rng.choice([1, 2, 3, 3, 5])
        needed = 2 if rng.random() < 0.15 else 1
        skills = frozenset(rng.sample(SKILLS, 1)) if rng.random() < 0.6 else frozenset()
        langs = frozenset(rng.sample(LANGS, 1)) if rng.random() < 0.2 else frozenset()
        visits.append(Visit(
            f"v{k:04d}", rng.choice(["client", "partner", "training"]), p.name, p.lat, p.lon,
            MONDAY + timedelta(first), MONDAY + timedelta(min(4, first + span - 1)), rng.choice([60, 90, 120, 180]),
            needed, skills, langs, interpreter=bool(langs) and rng.random() < 0.5,
            priority=rng.choices(["urgent", "normal", "low"], [1, 6, 2])[0], on_aland=p.on_aland, region=p.region))
    absences = [Absence(s.id, MONDAY + timedelta(d := rng.randrange(5)), MONDAY + timedelta(min(4, d + 1)), "vacation")
                for s in staff if rng.random() < 0.1]
    return offices, staff, absences, visits


def instance(size: str):
    from planner.optimize.instance import build_instance
    offices, staff, absences, visits = generate(size)
    settings = Settings()
    return build_instance(WEEK, MONDAY, visits, staff, offices, Availability(staff, absences), settings,
                          travel_model(settings))


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# Routing core ---------------------------------------------------------------------------------------------

def core_instance(size: str):
    """One person per visit, no skills, languages, preferences or priorities: the pure routing problem."""
    inst = instance(size)
    inst.visits = [replace(v, staff_needed=1, skills=frozenset(), languages=frozenset(), interpreter=False,
                           priority="normal", preferred_staff=None, region=None) for v in inst.visits]
    inst.__post_init__()
    return inst


def run_core_planner(size: str, limit: float) -> dict:
    """The planner's candidate model on the routing core: same-day trips only, travel minutes only. The
    candidates are the planner's defaults (as ``planner plan-week`` makes them) at every size."""
    from planner.optimize import model as weights
    from planner.optimize.candidates import CandidateGenerator, Candidates
    from planner.optimize.solve import solve
    for name in ("COST_PER_EUR", "NIGHT", "FAIR_DAY_STEP", "OTHER_REGION", "NOT_PREFERRED"):
        setattr(weights, name, 0)
    weights.LATE_PER_DAY = {k: 0 for k in weights.LATE_PER_DAY}
    inst = core_instance(size)
    inst.precompute_travel()
    cands = CandidateGenerator(inst).generate()
    keep = [c for c in cands.columns if c.nights == 0]
    by_visit = {v.id: [] for v in inst.visits}
    for i, c in enumerate(keep):
        for vid in c.visits:
            by_visit[vid].append(i)
    cands = Candidates(keep, by_visit, cands.days, cands.no_day, cands.relevant)
    t = time.perf_counter()
    sel = solve(inst, cands, limit)
    travel = sum(cands.columns[i].travel_minutes for i in sel.chosen)
    covered = len(sel.starts)
    return {"covered": covered, "travel_min": travel, "seconds": round(time.perf_counter() - t, 1),
            "travel_leaving_out": travel_leaving_out(inst, [cands.columns[i] for i in sel.chosen]),
            "gap": round(sel.gap, 4) if sel.gap is not None else None,
            "reachable": sum(1 for v in by_visit.values() if v), "peak_mb": peak_mb()}


def travel_leaving_out(inst, columns, most: int = 20) -> list[int]:
    """The core plan's travel minutes with 0, 1, 2, ... visits left out, each time the visit whose removal saves
    the most (its route then goes straight from the stop before it to the stop after): the plan's travel at a
    lower coverage, to compare with a solver that covers fewer visits at *equal coverage*."""
    def minutes(route):
        return sum(inst.travel.minutes(a, b) for a, b in zip(route, route[1:])) if len(route) > 2 else 0

    routes = [[inst.offices[c.office], *(inst.visit_by_id[v] for v in c.visits), inst.offices[c.office]]
              for c in columns]
    travel = sum(minutes(r) for r in routes)
    result = [travel]
    for _ in range(most):
        options = [(minutes(route) - minutes(route[:k] + route[k + 1:]), r, k)
                   for r, route in enumerate(routes) for k in range(1, len(route) - 1)]
        if not options:
            break
        saving, r, k = max(options, key=lambda o: (o[0], -o[1], -o[2]))
        routes[r] = routes[r][:k] + routes[r][k + 1:]
        travel -= saving
        result.append(travel)
    return result


def run_core_pyvrp(size: str, limit: float) -> dict:
    """The same core for PyVRP: a vehicle per person and day (06.00-22.00, at most the longest day), a client copy
    per possible day in a mutually exclusive group, travel minutes as distance and duration."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime
    inst = core_instance(size)
    inst.precompute_travel()
    s = inst.settings
    m = Model()
    points = {}

    def location(p):
        key = (round(p.lat, 5), round(p.lon, 5))
        if key not in points:
            points[key] = (m.add_location(x=int(p.lon * 1e4), y=int(p.lat * 1e4)), p)
        return points[key][0]

    depots = {}
    for o in inst.used_offices():
        location(o)
        depots[o.id] = m.add_depot(location(o))
    prize = 100_000
    n_clients = 0
    for v in inst.visits:
        days, _ = inst.visit_days(v)
        if not days:
            continue
        group = m.add_client_group(required=False)
        for d in days:
            base = (d - inst.monday).days * 1440
            latest = base + s.meeting_latest_end.hour * 60 - v.duration_min
            m.add_client(location(v), service_duration=v.duration_min, tw_early=base + s.meeting_earliest.hour * 60,
                         tw_late=latest, prize=prize, required=False, group=group)
            n_clients += 1
    for o in inst.used_offices():
        people = [p for p in inst.staff if p.office == o.id]
        for d in range(5):
            day = inst.monday + timedelta(d)
            free = sum(1 for p in people if inst.availability.unavailable_reason(p.id, day) is None)
            if free:
                m.add_vehicle_type(num_available=free, start_depot=depots[o.id], end_depot=depots[o.id],
                                   tw_early=d * 1440 + s.earliest_departure.hour * 60,
                                   tw_late=d * 1440 + s.latest_return.hour * 60, shift_duration=s.longest_day_minutes)
    for a_loc, a in points.values():
        for b_loc, b in points.values():
            minutes = 0 if a is b else inst.travel.minutes(a, b)
            m.add_edge(a_loc, b_loc, distance=minutes, duration=minutes)
    t = time.perf_counter()
    result = m.solve(stop=MaxRuntime(limit), seed=1, display=False)
    best = result.best
    covered = sum(r.num_clients() for r in best.routes())
    return {"covered": covered, "travel_min": best.distance(), "seconds": round(time.perf_counter() - t, 1),
            "feasible": best.is_feasible(), "clients": n_clients, "peak_mb": peak_mb()}


# Driver ---------------------------------------------------------------------------------------------------

def subprocess_json(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def ratio(a, b) -> str:
    return f"{a / b:.3f}" if a is not None and b else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="real,medium,large")
    parser.add_argument("--core-limit", type=float, default=None, help="seconds for each routing-core solve")
    parser.add_argument("--save", metavar="FILE", help="also write the figures as JSON to FILE")
    parser.add_argument("--core", nargs=2, metavar=("SIZE", "WHO"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.core:
        size, who = args.core
        limit = args.core_limit or SIZES[size][3]
        print(json.dumps(run_core_planner(size, limit) if who == "planner" else run_core_pyvrp(size, limit)))
        return
    rows = {}
    for size in args.sizes.split(","):
        core_args = ["--core-limit", str(args.core_limit)] if args.core_limit else []
        ours = subprocess_json("--core", size, "planner", *core_args)
        theirs = subprocess_json("--core", size, "pyvrp", *core_args)
        rows[size] = {"planner": ours, "pyvrp": theirs}
        shown = {k: v for k, v in ours.items() if k != "travel_leaving_out"}
        print(f"{size}: routing core (1 person/visit, same-day trips, travel only): planner {shown} | PyVRP {theirs}")
        if "error" not in ours and "error" not in theirs:
            print(f"  travel planner/PyVRP {ratio(ours['travel_min'], theirs['travel_min'])} at coverage "
                  f"{ours['covered']} vs {theirs['covered']}")
            extra = ours["covered"] - theirs["covered"]
            if 0 < extra < len(ours["travel_leaving_out"]):
                # at equal coverage: the planner's plan without its `extra` visits that cost the most travel
                equal = ours["travel_leaving_out"][extra]
                rows[size]["planner_travel_at_equal_coverage"] = equal
                print(f"  at equal coverage {theirs['covered']}: planner {equal} min, planner/PyVRP "
                      f"{ratio(equal, theirs['travel_min'])}")
    if args.save:
        Path(args.save).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
