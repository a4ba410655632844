"""Write a generated benchmark week (``routing_core_bench.generate``) as a ``planner import`` file, so the week can be
planned exactly as a user plans one: ``planner import FILE`` then ``planner plan-week --week 2026-W50``.

    .venv/bin/python benchmarks/week_json.py large week-large.json [--seed 7]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from routing_core_bench import SIZES, generate  # noqa: E402


def week_document(size: str, seed: int = 7) -> dict:
    """The import document (README, "The import format") of the generated week."""
    offices, staff, absences, visits = generate(size, seed)
    return {
        "offices": [{"id": o.id, "name": o.name, "lat": o.lat, "lon": o.lon} for o in offices.values()],
        "staff": [{"id": s.id, "name": s.name, "role": s.role, "office": s.office, "skills": sorted(s.skills),
                   "languages": sorted(s.languages)} for s in staff],
        "absences": [{"staff": a.staff, "from": a.start.isoformat(), "to": a.end.isoformat(), "kind": a.kind}
                     for a in absences],
        "visits": [{"id": v.id, "kind": v.kind, "lat": v.lat, "lon": v.lon, "earliest": v.earliest.isoformat(),
                    "latest": v.latest.isoformat(), "duration_min": v.duration_min, "staff_needed": v.staff_needed,
                    "skills": sorted(v.skills), "languages": sorted(v.languages), "interpreter": v.interpreter,
                    "priority": v.priority} for v in visits],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    Path(args.output).write_text(json.dumps(week_document(args.size, args.seed), ensure_ascii=False, indent=1),
                                 encoding="utf-8")


if __name__ == "__main__":
    main()
