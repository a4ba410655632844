"""Demo data: a team that mirrors the 2021 team (roles, offices, skills and languages; the names are fictional, as a
Finnish team's would read), demo users and a realistic week of visit requests across Finland, Lapland and Åland
included. Dates are relative to the next week."""
from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlite_utils import Database

from . import importer
from ..accounts.users import create_user
from ..store import users as user_store

# (id, name, role, office, skills, languages, active_from, active_until, region)
TEAM = [
    ("lpr-si", "Anneli Korhonen", "senior_inspector", "lappeenranta",
     ["identification", "training"], ["fi", "en", "ru"], None, None, None),
    ("lpr-in", "Mikko Virtanen", "inspector", "lappeenranta", ["identification"], ["fi", "en"], None, None, None),
    ("lpr-sc1", "Jelena Nieminen", "social_counsellor", "lappeenranta", ["counselling"],
     ["fi", "en", "ru"], None, None, None),
    ("lpr-sc2", "Leila Hämäläinen", "social_counsellor", "lappeenranta", ["counselling"],
     ["fi", "en", "ar"], None, None, None),
    ("lpr-nurse", "Sari Laine", "public_health_nurse", "lappeenranta", ["health"],
     ["fi", "en"], None, None, None),
    ("hel-si1", "Johanna Lindqvist", "senior_inspector", "helsinki", ["identification", "training"],
     ["fi", "en", "sv"], None, None, None),
    ("hel-si2", "Pekka Heikkinen", "senior_inspector", "helsinki", ["identification"],
     ["fi", "en", "fr"], None, None, None),
    ("hel-sw", "Sara Holmström", "social_worker", "helsinki", ["social_work", "counselling"],
     ["fi", "en", "sv"], None, None, None),
    ("hel-sc", "Elina Koskinen", "social_counsellor", "helsinki", ["counselling"],
     ["fi", "en", "es"], None, None, None),
    ("hel-pm", "Timo Järvinen", "project_manager", "helsinki",
     ["training", "labour_exploitation"], ["fi", "en", "sv"], None, None, None),
    ("hel-pw", "Niina Lehtonen", "project_worker", "helsinki", ["labour_exploitation"],
     ["fi", "en", "th"], None, None, None),
    ("tre-si1", "Kari Salonen", "senior_inspector", "tampere", ["identification", "training"],
     ["fi", "en"], None, None, None),
    ("tre-si2", "Irina Rantanen", "senior_inspector", "tampere", ["identification"],
     ["fi", "en", "ru"], None, None, None),
    ("oulu-sc", "Aila Keskitalo", "social_counsellor", "oulu", ["counselling", "identification"],
     ["fi", "en", "se"], None, None, "Pohjois-Pohjanmaa,Kainuu,Lappi"),
    ("hel-trainee", "Veera Aalto", "trainee", "helsinki", [], ["fi", "en"], "06-01", "08-31", None),
    ("lpr-trainee", "Antti Peltonen", "trainee", "lappeenranta", [], ["fi", "en", "ru"],
     "06-01", "08-31", None),
]

# (id, kind, place, weekday offset of earliest, days in window, duration, staff needed, skills, languages,
#  interpreter, priority, preferred staff)
WEEK = [
    ("demo-01", "client", "Kemi", 0, 3, 90, 1, ["counselling"], ["en"], False, "normal", "oulu-sc"),
    ("demo-02", "partner", "Tornio", 0, 3, 60, 1, [], [], False, "normal", None),
    ("demo-03", "client", "Rovaniemi", 1, 3, 120, 2, ["identification"], ["ru"], False, "urgent", None),
    ("demo-04", "client", "Ivalo", 2, 3, 120, 1, ["identification"], [], True, "normal", None),
    ("demo-05", "partner", "Maarianhamina", 1, 4, 120, 1, [], ["sv"], False, "normal", None),
    ("demo-06", "client", "Föglö", 1, 4, 60, 1, ["counselling"], [], True, "low", None),
    ("demo-07", "training", "Turku", 2, 2, 180, 2, ["training"], [], False, "normal", None),
    ("demo-08", "client", "Vantaa", 0, 1, 90, 1, ["health"], [], True, "urgent", None),
    ("demo-09", "partner", "Kuopio", 1, 4, 90, 1, [], [], False, "normal", None),
    ("demo-10", "client", "Joensuu", 2, 3, 60, 1, ["counselling"], ["ar"], False, "normal", "lpr-sc2"),
    ("demo-11", "client", "Jyväskylä", 0, 5, 120, 2, ["identification", "social_work"], [], True, "normal", None),
    ("demo-12", "partner", "Vaasa", 3, 2, 60, 1, ["labour_exploitation"], [], False, "normal", None),
    ("demo-13", "client", "Hailuoto", 1, 3, 60, 1, [], [], True, "low", None),
    ("demo-14", "client", "Savonlinna", 0, 5, 90, 1, ["health"], [], True, "normal", None),
    ("demo-15", "training", "Seinäjoki", 3, 2, 240, 1, ["training"], [], False, "low", None),
    ("demo-16", "client", "Porvoo", 0, 2, 60, 1, ["counselling"], ["es"], False, "urgent", None),
]


def next_monday(today: date) -> date:
    """The Monday of the week after ``today``'s."""
    return today + timedelta(days=7 - today.weekday())


def demo_document(today: date) -> dict:
    """The demo team and week as an import document (the same format as ``planner import``)."""
    monday = next_monday(today)
    year = today.year

    def period(text: str | None) -> str | None:
        return f"{year}-{text}" if text else None

    staff = [{"id": i, "name": n, "role": r, "office": o, "skills": s, "languages": l, "active_from": period(f),
              "active_until": period(u), **({"region": g} if g else {})}
             for i, n, r, o, s, l, f, u, g in TEAM]
    visits = []
    for n, (vid, kind, place, offset, span, duration, needed, skills, langs, interp, prio, pref) in enumerate(WEEK):
        visit = {"id": vid, "kind": kind, "place": place, "earliest": (monday + timedelta(offset)).isoformat(),
                 "latest": (monday + timedelta(min(offset + span - 1, 4))).isoformat(), "duration_min": duration,
                 "staff_needed": needed, "skills": skills, "languages": langs, "interpreter": interp,
                 "priority": prio}
        if kind == "client":
            visit["case"] = f"IK-{year}-{101 + n:04d}"
        if pref:
            visit["preferred_staff"] = pref
        visits.append(visit)
    absences = [
        {"staff": "tre-si2", "from": monday.isoformat(), "to": (monday + timedelta(2)).isoformat(), "kind": "vacation"},
        {"staff": "hel-si2", "from": (monday + timedelta(3)).isoformat(), "to": (monday + timedelta(4)).isoformat(),
         "kind": "training"},
    ]
    return {"staff": staff, "absences": absences, "visits": visits}


DEMO_USERS = [
    ("admin@demo.invalid", "admin", None),
    ("lead.helsinki@demo.invalid", "lead", "hel-sw"),
    ("lead.lappeenranta@demo.invalid", "lead", "lpr-si"),
    ("oulu@demo.invalid", "staff", "oulu-sc"),
    ("tampere@demo.invalid", "staff", "tre-si1"),
]


def load_demo(db: Database, today: date) -> list[tuple[str, str, str]]:
    """Import the demo team and week and create the demo users; returns (email, role, password) of new users."""
    importer.apply(db, importer.check(demo_document(today), db), actor="init-db --demo")
    created = []
    existing = user_store.emails(db)
    for email, role, staff in DEMO_USERS:
        if email not in existing:
            password = secrets.token_urlsafe(12)
            create_user(db, email, password, role, staff, actor="init-db --demo")
            created.append((email, role, password))
    return created
