"""A big team and week for the planning board's benchmark (issue 13, "How it is measured"): 60 people over the four
offices and 300 visit requests in one week at real places of the gazetteer, Lapland and Åland included.

The data goes in the way a user's would: an import document (the ``planner import`` format, README "The import
format"), then ``planner init-db``, ``planner import FILE.json`` and ``planner plan-week`` (its defaults: CP-SAT,
30 s) as commands on a fresh instance folder; then a lead user and part of the week published.

    .venv/bin/python benchmarks/board_data.py --seed 1 --out board.json      # write the import document only

Seeded: the same seed gives the same team and week (relative to the week after ``today``, like the demo).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEEK_PLACES = Path(__file__).resolve().parent / "week_places.csv"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.ops.demo import next_monday  # noqa: E402

PEOPLE, VISITS = 60, 300
# Offices: (id, staff-id prefix, share of the team). Helsinki is the biggest, as in the demo team.
OFFICES = [("helsinki", "hel", 22), ("tampere", "tre", 13), ("lappeenranta", "lpr", 13), ("oulu", "oulu", 12)]
# Roles as in the demo team (planner/ops/demo.py), scaled up: (role, weight, skills it always has, skills it may have)
ROLES = [
    ("senior_inspector", 16, ["identification"], ["training"]),
    ("inspector", 8, ["identification"], []),
    ("social_counsellor", 14, ["counselling"], ["identification"]),
    ("social_worker", 6, ["social_work"], ["counselling"]),
    ("public_health_nurse", 5, ["health"], []),
    ("project_manager", 2, ["training", "labour_exploitation"], []),
    ("project_worker", 5, ["labour_exploitation"], ["training"]),
    ("trainee", 4, [], []),
]
FIRST_NAMES = ["Aino", "Anneli", "Antti", "Eeva", "Elina", "Emilia", "Hanna", "Heikki", "Helena", "Ilkka", "Jaana",
               "Janne", "Johanna", "Juha", "Jukka", "Kaisa", "Kari", "Katja", "Laura", "Leena", "Liisa", "Markku",
               "Marjut", "Matti", "Mervi", "Minna", "Mikko", "Niina", "Noora", "Outi", "Paula", "Pekka", "Petri",
               "Pirjo", "Riikka", "Sanna", "Sari", "Satu", "Seppo", "Sirpa", "Suvi", "Tanja", "Teemu", "Timo", "Tuula",
               "Ulla", "Veera", "Ville", "Anders", "Mikaela", "Jelena", "Irina", "Olga", "Leila", "Samira", "Ahmed"]
SURNAMES = ["Aalto", "Ahonen", "Heikkinen", "Heinonen", "Hiltunen", "Hämäläinen", "Jokinen", "Järvinen", "Kallio",
            "Karjalainen", "Kettunen", "Koivisto", "Korhonen", "Koskinen", "Laaksonen", "Laine", "Lehtonen", "Leinonen",
            "Lindqvist", "Lindroos", "Mattila", "Miettinen", "Mäkelä", "Mäkinen", "Nieminen", "Niemi", "Ojala",
            "Peltonen", "Pitkänen", "Rantanen", "Räsänen", "Saarinen", "Salminen", "Salonen", "Tuominen",
            "Turunen", "Virtanen", "Holmström", "Sundberg", "Nyström", "Keskitalo", "Huttunen", "Valtonen"]
# Languages beyond Finnish and English, and the offices where they are more common
LANGUAGES = {"sv": ("helsinki", 0.35, 0.08), "ru": ("lappeenranta", 0.4, 0.08), "se": ("oulu", 0.15, 0.0)}
OTHER_LANGUAGES = ["ar", "fr", "es", "th", "so", "uk", "fa", "et", "vi"]
VISIT_LANGUAGES = ["ru", "ar", "sv", "fr", "es", "th", "so", "uk", "fa", "vi", "se"]
CLIENT_SKILLS = ["identification", "identification", "counselling", "counselling", "health", "social_work"]
PART_TIME = [{"days": ["mon", "tue", "wed", "thu"], "start": "08:00", "end": "16:15"},
             [{"days": ["mon", "tue", "wed", "thu"], "start": "08:00", "end": "16:15"},
              {"days": ["fri"], "start": "08:00", "end": "12:00"}]]
NORTH = "Pohjois-Pohjanmaa,Kainuu,Lappi"


def _shares(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), every share at least one when it fits."""
    exact = [total * w / sum(weights) for w in weights]
    counts = [max(int(x), 1 if total >= len(weights) else 0) for x in exact]
    for i in sorted(range(len(weights)), key=lambda i: int(exact[i]) - exact[i]):
        if sum(counts) >= total:
            break
        counts[i] += 1
    while sum(counts) > total:
        counts[counts.index(max(counts))] -= 1
    return counts


def _places() -> tuple[list[str], list[float]]:
    """The places visits are drawn from, weighted by population: the municipalities and villages whose name alone
    found them (as a lead would type it) in the gazetteer of 5 December 2026, kept in ``week_places.csv`` so that a
    seed gives the same week however the gazetteer grows (the documented figures were measured on those weeks)."""
    with WEEK_PLACES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["name"] for r in rows], [max(int(r["population"]), 2000) ** 0.5 for r in rows]


def name_and_skills(rng: random.Random, names: set[str], role: str) -> tuple[str, list[str]]:
    """A name not yet in ``names`` (added to it) and the skills of a person of ``role``: its own, and each of the
    role's others with a chance of 0.4."""
    while (name := f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}") in names:
        pass
    names.add(name)
    always, maybe = next((always, maybe) for r, _w, always, maybe in ROLES if r == role)
    return name, always + [s for s in maybe if rng.random() < 0.4]


def team(rng: random.Random, people: int, year: int, monday: date) -> tuple[list[dict], list[dict]]:
    """Staff (import format) and their absences in the week."""
    roles = [role for (role, *_), n in zip(ROLES, _shares(people, [w for _r, w, *_ in ROLES])) for _ in range(n)]
    rng.shuffle(roles)
    offices = [(o, prefix) for (o, prefix, _w), n in zip(OFFICES, _shares(people, [w for *_x, w in OFFICES]))
               for _ in range(n)]
    names: set[str] = set()
    staff, counter = [], {}
    for (office, prefix), role in zip(offices, roles):
        counter[prefix] = counter.get(prefix, 0) + 1
        name, skills = name_and_skills(rng, names, role)
        languages = ["fi", "en"] + [lang for lang, (home, there, elsewhere) in LANGUAGES.items()
                                    if rng.random() < (there if office == home else elsewhere)]
        if rng.random() < 0.25:
            languages.append(rng.choice(OTHER_LANGUAGES))
        person = {"id": f"{prefix}-{counter[prefix]:02d}", "name": name, "role": role, "office": office,
                  "skills": skills, "languages": sorted(set(languages))}
        if role == "trainee":  # summer trainees, as in the demo: not employed outside the summer
            person.update(active_from=f"{year}-06-01", active_until=f"{year}-08-31")
        if office == "oulu" and rng.random() < 0.5:
            person["region"] = NORTH
        if rng.random() < 0.1:
            person["working_pattern"] = rng.choice(PART_TIME)
        staff.append(person)
    return staff, week_absences(rng, staff, monday)


def week_absences(rng: random.Random, staff: list[dict], monday: date) -> list[dict]:
    """About one person in eight away for one to three days of the week."""
    absences = []
    for person in staff:
        if rng.random() < 0.12:
            first = rng.randrange(5)
            absences.append({"staff": person["id"], "from": (monday + timedelta(first)).isoformat(),
                             "to": (monday + timedelta(min(4, first + rng.choice([0, 1, 2])))).isoformat(),
                             "kind": rng.choices(["vacation", "sick_leave", "training", "other"], [5, 2, 2, 1])[0]})
    return absences


def week_visits(rng: random.Random, visits: int, staff: list[dict], seed: int, year: int, monday: date,
                team_share: float = 0.15) -> list[dict]:
    """Visit requests (import format) whose windows lie in the week of ``monday``; ``team_share`` of the client
    visits are for two people."""
    names, weights = _places()
    out = []
    for k in range(visits):
        kind = rng.choices(["client", "partner", "training"], [6, 3, 1])[0]
        first = rng.randrange(5)
        span = rng.choice([1, 2, 3, 3, 5])
        visit = {"id": f"v{seed}-{k + 1:04d}", "kind": kind, "place": rng.choices(names, weights)[0],
                 "earliest": (monday + timedelta(first)).isoformat(),
                 "latest": (monday + timedelta(min(4, first + span - 1))).isoformat(),
                 "priority": rng.choices(["urgent", "normal", "low"], [1, 6, 2])[0]}
        if kind == "client":
            visit.update(case=f"IK-{year}-{seed}{k + 1:04d}", duration_min=rng.choice([60, 90, 90, 120]),
                         staff_needed=2 if rng.random() < team_share else 1,
                         skills=[rng.choice(CLIENT_SKILLS)] if rng.random() < 0.7 else [])
            if rng.random() < 0.25:
                visit["languages"] = [rng.choice(VISIT_LANGUAGES)]
                visit["interpreter"] = rng.random() < 0.5
        elif kind == "partner":
            visit.update(duration_min=rng.choice([60, 60, 90, 120]), staff_needed=1,
                         skills=["labour_exploitation"] if rng.random() < 0.2 else [])
        else:
            visit.update(duration_min=rng.choice([120, 180, 240]), staff_needed=rng.choice([1, 2]),
                         skills=["training"])
        if rng.random() < 0.05:
            able = [s["id"] for s in staff if set(visit["skills"]) <= set(s["skills"]) and s["role"] != "trainee"]
            if able:
                visit["preferred_staff"] = rng.choice(able)
        out.append(visit)
    return out


def board_document(seed: int, people: int = PEOPLE, visits: int = VISITS, today: date | None = None) -> dict:
    """The team and the week as one import document (``planner import`` format); the week is the one after
    ``today``'s (default: the real today)."""
    today = today or date.today()
    monday = next_monday(today)
    rng = random.Random(seed)
    staff, absences = team(rng, people, today.year, monday)
    return {"staff": staff, "absences": absences,
            "visits": week_visits(rng, visits, staff, seed, today.year, monday)}


def planner_command(*args: str) -> list[str]:
    """The ``planner`` console script of this Python (as a user runs it), or the same entry point through -c."""
    script = Path(sys.executable).parent / "planner"
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "import sys; from planner.cli import main; sys.exit(main())", *args]


def build_board(folder: Path, seed: int, lead_email: str, password: str, *, people: int = PEOPLE,
                visits: int = VISITS, solver: str = "cp-sat", time_limit: float = 30.0) -> dict:
    """A fresh instance in ``folder``: the generated team and week imported and planned through the ``planner``
    commands, a lead user (a Helsinki social worker or the first Helsinki person) and every other trip published.
    Returns what was built: the database, the week, counts and the planning figures."""
    from planner.accounts.users import create_user
    from planner.core.weeks import week_of
    from planner.planning import actions
    from planner.store import plan_queries
    from planner.store.db import open_db

    instance = folder / "instance"
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PLANNER_INSTANCE=str(instance))
    doc = board_document(seed, people, visits)
    week = week_of(date.fromisoformat(doc["visits"][0]["earliest"]) if doc["visits"] else next_monday(date.today()))
    document = folder / f"board-{seed}.json"
    document.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")

    def run(*args: str) -> str:
        done = subprocess.run(planner_command(*args), env=env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"planner {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    started = time.perf_counter()
    run("init-db")
    run("import", str(document))
    imported = time.perf_counter()
    plan = json.loads(run("plan-week", "--week", week, "--solver", solver, "--time-limit", f"{time_limit:g}",
                          "--json"))
    planned = time.perf_counter()
    database = instance / "planner.sqlite"
    db = open_db(database)
    lead = next((s for s in doc["staff"] if s["office"] == "helsinki" and s["role"] == "social_worker"),
                next(s for s in doc["staff"] if s["office"] == "helsinki"))
    create_user(db, lead_email, password, "lead", lead["id"], actor="benchmark")
    trips = plan_queries.trips_of_week(db, week)
    published = actions.publish(db, week, "benchmark", [t["id"] for t in trips[::2]]) if trips else 0
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {"seed": seed, "database": str(database), "week": week, "people": len(doc["staff"]),
            "visits": len(doc["visits"]), "absences": len(doc["absences"]), "planned": len(plan["assignments"]),
            "unassigned": len(plan["unassigned"]), "trips": len(trips), "published": published,
            "solver": solver, "status": plan["status"], "gap": plan["gap"],
            "import_s": round(imported - started, 1), "plan_s": round(planned - imported, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--visits", type=int, default=VISITS)
    parser.add_argument("--out", required=True, help="the import document to write (JSON)")
    args = parser.parse_args()
    doc = board_document(args.seed, args.people, args.visits)
    Path(args.out).write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{args.out}: {len(doc['staff'])} staff, {len(doc['absences'])} absences, {len(doc['visits'])} visits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
