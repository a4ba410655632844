"""Does ``planner plan-week --time-limit S`` end within S seconds of wall clock, loading included?

Each generated week (``routing_core_bench.generate``, several seeds) is imported into a fresh instance with ``planner
import`` and planned exactly as a user plans it: ``planner plan-week --week 2026-W50 --time-limit S --json`` in a
subprocess, default everything else. The wall clock of the whole command is measured from outside; the median and
the worst over the seeds are printed per size and limit.

    .venv/bin/python benchmarks/time_limit_bench.py                          # real, medium, large at 10 and 30 s
    .venv/bin/python benchmarks/time_limit_bench.py --sizes large --limits 30 60 --seeds 1 2 3
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from week_json import week_document  # noqa: E402

PLANNER = str(Path(sys.executable).parent / "planner")
WEEK = "2026-W50"


def planned_instance(size: str, seed: int, folder: Path) -> dict:
    """A fresh instance folder with the generated week imported; the environment to run ``planner`` in it."""
    env = dict(os.environ, PLANNER_INSTANCE=str(folder))
    week = folder / "week.json"
    folder.mkdir(parents=True)
    week.write_text(json.dumps(week_document(size, seed), ensure_ascii=False), encoding="utf-8")
    for args in (["init-db"], ["import", str(week)]):
        subprocess.run([PLANNER, *args], env=env, check=True, capture_output=True, text=True)
    return env


def run(env: dict, limit: float) -> dict:
    started = time.perf_counter()
    done = subprocess.run([PLANNER, "plan-week", "--week", WEEK, "--time-limit", str(limit), "--json"], env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"plan-week failed: {done.stderr.strip()[-300:]}")
    plan = json.loads(done.stdout)
    return {"wall": wall, "covered": len(plan["assignments"]),
            "visits": len(plan["assignments"]) + len(plan["unassigned"]), "status": plan["status"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["real", "medium", "large"])
    parser.add_argument("--limits", nargs="+", type=float, default=[10.0, 30.0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3, 4, 5])
    args = parser.parse_args()
    print("size    limit  median wall  worst wall  worst/limit  covered (median)  statuses")
    with tempfile.TemporaryDirectory(prefix="time-limit-bench-") as tmp:
        for size in args.sizes:
            envs = {seed: planned_instance(size, seed, Path(tmp) / f"{size}-{seed}") for seed in args.seeds}
            for limit in args.limits:
                # each run plans the imported week afresh: every run stores a draft that the next one replaces
                runs = [run(envs[seed], limit) for seed in args.seeds]
                walls = [r["wall"] for r in runs]
                covered = statistics.median(r["covered"] for r in runs)
                print(f"{size:7} {limit:5.0f}  {statistics.median(walls):9.1f} s  {max(walls):8.1f} s  "
                      f"{max(walls) / limit:10.2f}  {covered:7.0f} of {runs[0]['visits']:<5}  "
                      f"{','.join(sorted({r['status'] for r in runs}))}", flush=True)


if __name__ == "__main__":
    main()
