"""Benchmark of ``planner plan-week`` as a user runs it (issue 14): generated weeks imported and planned by the
command with its defaults, every plan checked by an independent checker, against the greedy baseline of the same
run.

    .venv/bin/python benchmarks/plan_bench.py                               # every size, 5 seeds (about 1 h)
    .venv/bin/python benchmarks/plan_bench.py --sizes medium --seeds 2      # a subset
    .venv/bin/python benchmarks/plan_bench.py --json > figures.json         # the figures as JSON on stdout
    .venv/bin/python benchmarks/plan_bench.py --sizes medium --visits-in Uusimaa   # every visit in one region

Each week goes into a fresh instance folder (``PLANNER_INSTANCE``) through ``planner init-db`` and ``planner import
week.json`` (the real team: ``planner init-db --demo`` and its week, next week), and is planned by ``planner
plan-week --week W --time-limit S --json`` in a subprocess: the optimizer with every other option at its default.
The greedy baseline is ``planner plan-week --solver greedy`` on the same week, in a fresh instance folder of its own
(so neither run sees the other's draft or cache). Nothing here sets candidate settings, weights or solver options:
the figures are the product's. Wall clock is measured around the subprocess, peak memory is the child's own
maximum resident set (``os.wait4``). Each plan is checked by ``plan_check.py``, which shares no code with the
project, against the import document.

Sizes: the real team (15 people, 4 offices, 16 visits) at 30 s; a generated week of its size with the issue's
"about 30 visits" (15 people, 4 offices, 30 visits) at 30 s, held to the same targets; 60 people, 8 offices, 300
visits at 30 s;
200 people, 20 offices, 1,000 visits at 120 s; the generated ones on a new office layout per seed
(``week_data.py``). Not by default (``--sizes pairs``): 40 people, 6 offices, 150 visits of which about half for two
people, at 30 s, a shape the other sizes rarely have (decision 0019). Per seed and as median and worst it prints what issue 14's targets need, then each target
with PASS or FAIL. The routing-core comparison with PyVRP is ``routing_core_bench.py``.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from board_data import planner_command  # noqa: E402
from plan_check import check, doable_alone, leg_labels  # noqa: E402
from week_data import visits_in, week_document  # noqa: E402
from planner.ops.demo import demo_document, next_monday  # noqa: E402


@dataclass(frozen=True)
class Size:
    what: str
    offices: int
    people: int
    visits: int
    limit: float  # seconds, plan-week's --time-limit
    demo: bool = False
    team_share: float = 0.15  # of the client visits, those for two people (``board_data.week_visits``)


SIZES = {
    "real": Size("the real team (demo data, next week)", 4, 15, 16, 30, demo=True),
    "team": Size("15 people, 4 offices, 30 visits (the real team's size, generated)", 4, 15, 30, 30),
    "medium": Size("60 people, 8 offices, 300 visits", 8, 60, 300, 30),
    "big": Size("200 people, 20 offices, 1,000 visits", 20, 200, 1000, 120),
    # not one of the sizes: a week of many team visits (about half of them), which the others rarely have
    "pairs": Size("40 people, 6 offices, 150 visits, about half of them for two people", 6, 40, 150, 30,
                  team_share=0.8),
}
SOLVERS = ("cp-sat", "greedy")  # the default run, then the baseline


def iso_week(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


# Running the commands -------------------------------------------------------------------------------------

def run_planner(env: dict, *args: str, timeout: float = 600) -> dict:
    """One ``planner`` command in a subprocess: its exit code, output, wall clock and peak memory (the child's own
    ru_maxrss, read by wait4 so that no other child's peak counts)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(planner_command(*args), env=env, stdout=out, stderr=err, start_new_session=True)
        killer = threading.Timer(timeout, lambda: os.killpg(child.pid, signal.SIGKILL))
        killer.start()
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        killer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return {"returncode": child.returncode, "stdout": out.read().decode(), "stderr": err.read().decode(),
                "wall_s": round(wall, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1)}


def fresh_instance(folder: Path, document: Path | None) -> dict:
    """A new instance folder with the week in it (the demo when ``document`` is None); its environment."""
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PLANNER_INSTANCE=str(folder / "instance"))
    for args in ([["init-db", "--demo"]] if document is None else [["init-db"], ["import", str(document)]]):
        done = run_planner(env, *args)
        if done["returncode"]:
            raise RuntimeError(f"planner {' '.join(args)} failed: {done['stderr'].strip()[-500:]}")
    return env


def plan_once(folder: Path, document: Path | None, week: str, limit: float, solver: str) -> dict:
    """``planner plan-week`` as a user runs it: only --week, --time-limit and --json (and --solver greedy for the
    baseline)."""
    env = fresh_instance(folder, document)
    args = ["plan-week", "--week", week, "--time-limit", f"{limit:g}", "--json"]
    if solver != "cp-sat":
        args += ["--solver", solver]
    done = run_planner(env, *args, timeout=limit * 1.5 + 60)
    progress = [line for line in done["stderr"].splitlines() if line.startswith("plan-week: ")]
    result = {"wall_s": done["wall_s"], "peak_mb": done["peak_mb"], "plan": None, "error": None,
              "progress": progress[-4:]}  # the last steps: what the run did when it ended
    if done["returncode"]:
        result["error"] = (done["stderr"].strip().splitlines() or [f"exit {done['returncode']}"])[-1][:300]
    else:
        result["plan"] = json.loads(done["stdout"])
    return result


# Figures --------------------------------------------------------------------------------------------------

def figures(run: dict, document: dict, doable: set[str], limit: float) -> dict:
    """What the targets need from one plan, with the independent checker's verdict."""
    out = {"wall_s": run["wall_s"], "wall_over_limit": round(run["wall_s"] / limit, 3), "peak_mb": run["peak_mb"],
           "error": run["error"], "progress": run.get("progress")}
    plan = run["plan"]
    if plan is None:
        return out
    covered = {a["visit"] for a in plan["assignments"]}
    travel = sum(t["travel_minutes"] for t in plan["trips"])
    urgent = {v["id"] for v in document["visits"] if v.get("priority") == "urgent"}
    problems = check(plan, document)
    labels = leg_labels(plan, document)
    out.update({
        "status": plan["status"], "covered": len(covered), "visits": len(document["visits"]),
        "covered_pct": round(100 * len(covered) / max(len(document["visits"]), 1), 1),
        "doable_covered": len(covered & doable), "urgent_missed": len(urgent - covered),
        "travel_min": travel, "travel_per_visit": round(travel / max(len(covered), 1), 1),
        "objective": plan["objective"], "bound": plan["bound"], "gap": plan["gap"],
        "solve_seconds": plan["solve_seconds"], "invalid": len(problems), "problems": problems[:5],
        "wrong_labels": len(labels), "labels": labels[:3],
        # issue 14's new fields, when the planner gives them
        "method": plan.get("method"), "optimal_over": plan.get("optimal_over"), "stats": plan.get("stats")})
    return out


def measure_week(folder: Path, document: dict | None, week: str, limit: float, solvers=SOLVERS,
                 keep_plans: bool = False) -> dict:
    """Plan one week with each solver (the demo week when ``document`` is None) and check every plan (with
    ``keep_plans``, each plan JSON is kept under its solver's ``plan``)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = None
    if document is None:
        document = demo_document(date.today())  # what init-db --demo imports today
    else:
        path = folder / "week.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    doable = doable_alone(document)
    result = {"week": week, "visits": len(document["visits"]), "people": len(document["staff"]),
              "doable": len(doable)}
    for solver in solvers:
        run = plan_once(folder / solver, path, week, limit, solver)
        result[solver] = figures(run, document, doable, limit)
        # other work on the machine slows a run that stops on the wall clock: say how busy it was
        result[solver]["load_1min"] = round(os.getloadavg()[0], 2)
        if keep_plans:
            result[solver]["plan"] = run["plan"]
    opt, base = result.get("cp-sat", {}), result.get("greedy", {})
    if opt.get("covered") is not None and base.get("covered") is not None:
        result["ratio"] = {"covered": _ratio(opt["covered"], base["covered"]),
                           "travel_per_visit": _ratio(opt["travel_per_visit"], base["travel_per_visit"])}
    return result


def _ratio(a, b):
    return round(a / b, 3) if a is not None and b else None


# Summaries and targets ------------------------------------------------------------------------------------

# figure: (where it is, True when bigger is worse)
SUMMED = {
    "covered": ("cp-sat", False), "covered_pct": ("cp-sat", False), "gap": ("cp-sat", True),
    "travel_per_visit": ("cp-sat", True), "wall_s": ("cp-sat", True), "wall_over_limit": ("cp-sat", True),
    "peak_mb": ("cp-sat", True), "invalid": ("cp-sat", True), "greedy_covered": ("greedy", False),
    "greedy_travel_per_visit": ("greedy", True), "greedy_wall_s": ("greedy", True), "greedy_invalid": ("greedy", True),
    "ratio_covered": ("ratio", False), "ratio_travel_per_visit": ("ratio", True),
}


def _value(seed: dict, name: str):
    where, _ = SUMMED[name]
    key = name.split("_", 1)[1] if name.startswith(("greedy_", "ratio_")) else name
    return (seed.get(where) or {}).get(key)


def _rounded(value):
    """A median of an even number of seeds (the mean of the middle two) to the figures' own precision."""
    return round(value, 4) if isinstance(value, float) else value


def median_and_worst(seeds: list[dict]) -> tuple[dict, dict]:
    """Median and worst of each figure over the seeds; a missing figure (no plan, no gap) is the worst."""
    median, worst = {}, {}
    for name, (_, bigger_is_worse) in SUMMED.items():
        values = [_value(s, name) for s in seeds]
        known = [v for v in values if v is not None]
        median[name] = _rounded(statistics.median(known)) if known else None
        worst[name] = None if len(known) < len(values) or not known else (max if bigger_is_worse else min)(known)
    return median, worst


def _all(seeds, test) -> bool:
    return bool(seeds) and all(test(s) for s in seeds)


def targets(size: str, seeds: list[dict], limit: float) -> list[tuple[str, bool, str]]:
    """Issue 14's targets for ``size``: (target, met on every seed, the measured worst)."""
    opt = [s.get("cp-sat", {}) for s in seeds]
    gr = [s.get("greedy", {}) for s in seeds]

    def worst(values, high=True, fmt="{}"):
        known = [v for v in values if v is not None]
        return "missing" if len(known) < len(values) or not known else fmt.format(max(known) if high else min(known))

    rows = []
    if size in ("real", "team"):
        rows.append(("proven optimal under 10 s", _all(opt, lambda o: o.get("status") == "OPTIMAL"
                                                       and o["wall_s"] < 10),
                     ", ".join(f"{o.get('status')} in {o['wall_s']:.1f} s" for o in opt)))
        rows.append(('optimal over every trip the rules allow (optimal_over "all trips")',
                     _all(opt, lambda o: o.get("optimal_over") == "all trips"),
                     ", ".join(repr(o.get("optimal_over")) for o in opt)))
    if size in ("medium", "big"):
        most = 0.05 if size == "medium" else 0.10
        rows.append((f"gap ≤ {most:.0%}", _all(opt, lambda o: o.get("gap") is not None and o["gap"] <= most),
                     "worst " + worst([o.get("gap") for o in opt], fmt="{:.1%}")))
    if size in ("medium", "pairs"):
        rows.append(("covers more than greedy", _all(seeds, lambda s: (s["cp-sat"].get("covered") or 0)
                                                     > (s["greedy"].get("covered") or 0)),
                     "worst ratio " + worst([(s.get("ratio") or {}).get("covered") for s in seeds], high=False)))
        rows.append(("less travel per covered visit than greedy",
                     _all(seeds, lambda s: (s.get("ratio") or {}).get("travel_per_visit") is not None
                          and s["ratio"]["travel_per_visit"] < 1),
                     "worst ratio " + worst([(s.get("ratio") or {}).get("travel_per_visit") for s in seeds])))
    if size == "big":
        shares = [s["cp-sat"].get("doable_covered", 0) / max(s["doable"], 1) for s in seeds]
        rows.append(("covers ≥ 97 % of the visits some free team could do alone", _all(shares, lambda x: x >= 0.97),
                     "worst " + worst(shares, high=False, fmt="{:.1%}")))
        rows.append(("peak memory < 4 GB", _all(opt, lambda o: o["peak_mb"] < 4096),
                     "worst " + worst([o["peak_mb"] for o in opt], fmt="{:.0f} MB")))
    rows.append(("wall clock within the limit + 10 %", _all(opt, lambda o: o["wall_s"] <= limit * 1.1),
                 f"worst {worst([o['wall_s'] for o in opt], fmt='{:.1f}')} s of {limit:g} s "
                 f"(greedy {worst([g['wall_s'] for g in gr], fmt='{:.1f}')} s)"))
    rows.append(("a valid plan (independent checker, and greedy's too)",
                 _all(opt + gr, lambda o: o.get("error") is None and o.get("invalid") == 0),
                 f"problems {sum(o.get('invalid') or 0 for o in opt)}, greedy's "
                 f"{sum(g.get('invalid') or 0 for g in gr)}; failed runs "
                 f"{sum(1 for o in opt + gr if o.get('error'))}"))
    rows.append(("never worse than greedy (objective)",
                 _all(seeds, lambda s: s["cp-sat"].get("objective") is not None
                      and s["greedy"].get("objective") is not None
                      and s["cp-sat"]["objective"] <= s["greedy"]["objective"]),
                 ", ".join(f"{s['cp-sat'].get('objective')} vs {s['greedy'].get('objective')}" for s in seeds)))
    return rows


def _cell(value, fmt: str = "{}") -> str:
    return "-" if value is None else fmt.format(value)


def print_size(size: str, spec: Size, seeds: list[dict], median: dict, worst: dict, rows, out) -> None:
    print(f"\n== {size}: {spec.what}; plan-week --time-limit {spec.limit:g}", file=out)
    head = (f"{'seed':>6} {'covered':>9} {'%':>6} {'status':>9} {'gap':>7} {'min/visit':>9} {'wall s':>7} "
            f"{'/limit':>6} {'peak MB':>8} {'inval.':>6} | {'greedy':>7} {'min/visit':>9} {'wall s':>7} | "
            f"{'cov.×':>6} {'travel×':>7} {'load':>5}  method")
    print(head, file=out)
    for s in seeds:
        o, g, r = s["cp-sat"], s["greedy"], s.get("ratio") or {}
        if o.get("error"):
            print(f"{s['seed']:>6} error: {o['error']}", file=out)
        print(f"{s['seed']:>6} {_cell(o.get('covered')):>5}/{s['visits']:<3} {_cell(o.get('covered_pct')):>6} "
              f"{_cell(o.get('status')):>9} {_cell(o.get('gap'), '{:.1%}'):>7} {_cell(o.get('travel_per_visit')):>9} "
              f"{o['wall_s']:>7.1f} {o['wall_over_limit']:>6.2f} {o['peak_mb']:>8.0f} {_cell(o.get('invalid')):>6} | "
              f"{_cell(g.get('covered')):>7} {_cell(g.get('travel_per_visit')):>9} {g['wall_s']:>7.1f} | "
              f"{_cell(r.get('covered')):>6} {_cell(r.get('travel_per_visit')):>7} {_cell(o.get('load_1min')):>5}  "
              f"{_cell(o.get('method'))}",
              file=out)
    for name, row in (("median", median), ("worst", worst)):
        print(f"{name:>6} {_cell(row['covered']):>9} {_cell(row['covered_pct']):>6} {'':>9} "
              f"{_cell(row['gap'], '{:.1%}'):>7} {_cell(row['travel_per_visit']):>9} {_cell(row['wall_s']):>7} "
              f"{_cell(row['wall_over_limit']):>6} {_cell(row['peak_mb']):>8} {_cell(row['invalid']):>6} | "
              f"{_cell(row['greedy_covered']):>7} {_cell(row['greedy_travel_per_visit']):>9} "
              f"{_cell(row['greedy_wall_s']):>7} | {_cell(row['ratio_covered']):>6} "
              f"{_cell(row['ratio_travel_per_visit']):>7}", file=out)
    for s in seeds:
        for solver in SOLVERS:
            for problem in s[solver].get("problems") or []:
                print(f"  seed {s['seed']} {solver}: {problem}", file=out)
            if s[solver].get("wrong_labels"):
                print(f"  seed {s['seed']} {solver}: {s[solver]['wrong_labels']} trip(s) with legs labelled "
                      f"wrongly, e.g. {s[solver]['labels'][0]}", file=out)
    print("targets:", file=out)
    for target, met, measured in rows:
        print(f"  {'PASS' if met else 'FAIL'}  {target}: {measured}", file=out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,team,medium,big", help="comma-separated: " + ", ".join(SIZES))
    parser.add_argument("--seeds", type=int, default=5, help="generated weeks per size (the real team has one)")
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON on stdout (tables on stderr)")
    parser.add_argument("--keep", metavar="FOLDER", help="keep the instance folders and weeks in FOLDER")
    parser.add_argument("--visits-in", metavar="REGION",
                        help="every generated week's visits at places of this region (maakunta), e.g. Uusimaa")
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    if unknown := [s for s in sizes if s not in SIZES]:
        parser.error(f"unknown size {unknown}; sizes: {', '.join(SIZES)}")
    out = sys.stderr if args.json else sys.stdout
    week = iso_week(next_monday(date.today()))
    report = {"week": week, "cpus": os.cpu_count(), "date": date.today().isoformat(), "visits_in": args.visits_in,
              "load_at_start": round(os.getloadavg()[0], 2), "sizes": {}}
    print(f"week {week}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start", file=out)
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as scratch:
        root = Path(args.keep or scratch)
        for size in sizes:
            spec = SIZES[size]
            seeds = []
            for seed in ["demo"] if spec.demo else range(args.first_seed, args.first_seed + args.seeds):
                document = None if spec.demo else week_document(seed, spec.offices, spec.people, spec.visits,
                                                                team_share=spec.team_share)
                if document is not None and args.visits_in:
                    document = visits_in(document, args.visits_in, seed)
                measured = measure_week(root / f"{size}-{seed}", document, week, spec.limit)
                measured["seed"] = seed
                seeds.append(measured)
                o = measured["cp-sat"]
                print(f"  {size} seed {seed}: {o.get('covered')}/{measured['visits']} {o.get('status')} "
                      f"in {o['wall_s']:.1f} s; greedy {measured['greedy'].get('covered')}", file=sys.stderr,
                      flush=True)
            median, worst = median_and_worst(seeds)
            rows = targets(size, seeds, spec.limit)
            print_size(size, spec, seeds, median, worst, rows, out)
            out.flush()
            report["sizes"][size] = {"what": spec.what, "limit": spec.limit, "seeds": seeds, "median": median,
                                     "worst": worst, "targets": [{"target": t, "met": m, "measured": w}
                                                                 for t, m, w in rows]}
    print("\nrouting core with PyVRP: not measured here (benchmarks/routing_core_bench.py, needs pyvrp)", file=out)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
