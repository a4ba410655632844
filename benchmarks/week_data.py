"""Generated weeks for the planner's benchmark (issue 14): a team spread over offices of its own layout and a week
of visit requests, as one ``planner import`` document, so the week goes in and is planned as a user's would.

Each seed gives another layout: the offices are real towns of the gazetteer (6,000 inhabitants or more, Lapland
and Åland included) picked far apart, so every seed spreads them differently over the country. The team has the
demo team's roles scaled up (board_data.ROLES), mixed skills and languages (Swedish more likely near the west
coast and Åland, Russian in the east, Sámi in Lapland), part-timers, summer trainees not employed outside the
summer, and absences; the visits (board_data.week_visits) lie at real places all over Finland, some urgent, some
for two people, some needing a language or a skill.

    .venv/bin/python benchmarks/week_data.py --seed 1 --offices 8 --people 60 --visits 300 --out week.json
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import unicodedata
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from board_data import (OTHER_LANGUAGES, PART_TIME, ROLES, _places, _shares, name_and_skills,  # noqa: E402
                        week_absences, week_visits)
from planner.core.places import get_gazetteer  # noqa: E402
from planner.ops.demo import next_monday  # noqa: E402

OFFICE_TOWN_FROM = 6000  # inhabitants: a town big enough for an office
# Languages beyond Finnish and English: (regions where they are common, share there, share elsewhere)
REGIONAL_LANGUAGES = {
    "sv": ({"Pohjanmaa", "Ahvenanmaa", "Uusimaa", "Varsinais-Suomi", "Keski-Pohjanmaa"}, 0.45, 0.06),
    "ru": ({"Etelä-Karjala", "Kymenlaakso", "Pohjois-Karjala", "Uusimaa"}, 0.35, 0.06),
    "se": ({"Lappi"}, 0.3, 0.0),
}


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(c if c.isalnum() else "-" for c in plain).strip("-")


def _km(a, b) -> float:
    """Great-circle distance (the layout only needs 'far apart', not the planner's travel)."""
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def office_layout(rng: random.Random, count: int) -> list[dict]:
    """``count`` offices (import format) at towns far apart: the first a random big city, each next the town
    farthest from the offices so far, with a random discount so that every seed gives another layout."""
    g = get_gazetteer()
    towns = sorted((p for p in g if p.kind == "municipality" and (p.population or 0) >= OFFICE_TOWN_FROM
                    and g.resolve(p.name).id == p.id), key=lambda p: p.id)
    chosen = [rng.choice(sorted(towns, key=lambda p: -p.population)[:8])]
    while len(chosen) < min(count, len(towns)):
        rest = [t for t in towns if t not in chosen]
        chosen.append(max(rest, key=lambda t: min(_km(t, c) for c in chosen) * rng.uniform(0.4, 1.0)
                          * (t.population ** 0.3)))
    # 'office-' keeps clear of the built-in offices' ids (helsinki, tampere, ...), which init-db always adds
    return [{"id": f"office-{_slug(t.name)}", "name": f"{t.name} office", "place": t.name, "region": t.region}
            for t in chosen]


def team(rng: random.Random, people: int, offices: list[dict], year: int, monday: date
         ) -> tuple[list[dict], list[dict]]:
    """Staff (import format) over ``offices`` (bigger towns get more people, every office at least one) and their
    absences in the week of ``monday``."""
    population = {p.name: p.population or 0 for p in get_gazetteer() if p.kind == "municipality"}
    weights = [max(round(population.get(o["place"], 10000) ** 0.4), 1) for o in offices]
    homes = [o for o, n in zip(offices, _shares(people, weights)) for _ in range(n)]
    roles = [role for (role, *_), n in zip(ROLES, _shares(people, [w for _r, w, *_ in ROLES])) for _ in range(n)]
    rng.shuffle(roles)
    names: set[str] = set()
    staff, counter = [], {}
    for office, role in zip(homes, roles):
        counter[office["id"]] = counter.get(office["id"], 0) + 1
        name, skills = name_and_skills(rng, names, role)
        languages = ["fi", "en"] + [lang for lang, (regions, there, elsewhere) in REGIONAL_LANGUAGES.items()
                                    if rng.random() < (there if office["region"] in regions else elsewhere)]
        if rng.random() < 0.25:
            languages.append(rng.choice(OTHER_LANGUAGES))
        person = {"id": f"{office['id'][len('office-'):]}-{counter[office['id']]:02d}", "name": name, "role": role,
                  "office": office["id"], "skills": skills, "languages": sorted(set(languages))}
        if role == "trainee":  # summer trainees, as in the demo: not employed outside the summer
            person.update(active_from=f"{year}-06-01", active_until=f"{year}-08-31")
        if rng.random() < 0.1:
            person["working_pattern"] = rng.choice(PART_TIME)
        staff.append(person)
    return staff, week_absences(rng, staff, monday)


def week_document(seed: int, offices: int, people: int, visits: int, today: date | None = None,
                  team_share: float = 0.15) -> dict:
    """The offices, team and week (the one after ``today``'s, default the real today) as one import document."""
    today = today or date.today()
    monday = next_monday(today)
    rng = random.Random(seed * 7919 + offices)  # another layout for each seed and office count
    layout = office_layout(rng, offices)
    staff, absences = team(rng, people, layout, today.year, monday)
    return {"offices": layout, "staff": staff, "absences": absences,
            "visits": week_visits(rng, visits, staff, seed, today.year, monday, team_share)}


def visits_in(doc: dict, region: str, seed: int) -> dict:
    """``doc`` with every visit moved to a place of ``region`` (a maakunta, as the gazetteer names it), drawn by
    population from the places the weeks use: a week nobody tuned for, its visits crowded where few offices are."""
    g = get_gazetteer()
    names, weights = _places()
    inside = [k for k, name in enumerate(names) if g.resolve(name).region.casefold() == region.casefold()]
    if not inside:
        raise SystemExit(f"Error: --visits-in: no place of the weeks lies in region {region!r}")
    rng = random.Random(seed * 104729)
    places = rng.choices([names[k] for k in inside], [weights[k] for k in inside], k=len(doc["visits"]))
    for visit, place in zip(doc["visits"], places):
        visit["place"] = place
    return doc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--offices", type=int, default=8)
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--visits", type=int, default=300)
    parser.add_argument("--out", required=True, help="the import document to write (JSON)")
    parser.add_argument("--visits-in", metavar="REGION",
                        help="every visit at a place of this region (maakunta), e.g. Uusimaa or Lappi")
    args = parser.parse_args()
    doc = week_document(args.seed, args.offices, args.people, args.visits)
    if args.visits_in:
        doc = visits_in(doc, args.visits_in, args.seed)
    Path(args.out).write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{args.out}: {len(doc['offices'])} offices ({', '.join(o['place'] for o in doc['offices'])}), "
          f"{len(doc['staff'])} staff, {len(doc['absences'])} absences, {len(doc['visits'])} visits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
