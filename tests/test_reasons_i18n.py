"""Reasons and explanations from the domain code in Finnish and Swedish (planner/web/reasons_i18n.py).

The coverage test runs the proposer over every demo visit and the weekly planner over the demo week (plus a few
constructed cases) and requires every fragment of every message to match a template: a change of phrasing in the
domain code fails here instead of showing English on a Finnish page.
"""
from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta

import pytest

from planner import store

from planner.planning.proposals import make_proposer
from planner.core.availability import Availability, Busy
from planner.store.db import open_db
from planner.core.records import Absence
from planner.planning.week_load import load_week
from planner.optimize.run import plan_week
from planner.core.propose import Proposer
from planner.web.reasons_i18n import split_fragments, translate, unmatched
from planner.core.settings import Settings
from planner.core.travel import NetworkTravelModel
from planner.core.weeks import week_of

from team_support import OFFICES, visit_at
from team_support import TEAM as FULL_TEAM
from web_support import MONDAY, visit_form

SETTINGS = Settings()
# The reasons test needs no Helsinki social worker or Lappeenranta nurse: without them its messages appear.
TEAM = [p for p in FULL_TEAM if p.id in {"oulu", "hel1", "tre", "trainee"}]


def proposal_messages(proposal) -> list[str]:
    return [proposal.reason, *(o.reason for o in proposal.options), *proposal.excluded.values()]


def constructed_messages() -> list[str]:
    travel = NetworkTravelModel(SETTINGS)
    absences = [Absence("oulu", date(2026, 12, 7), date(2026, 12, 8), "vacation"),
                Absence("hel1", date(2026, 12, 9), date(2026, 12, 9), "sick_leave")]
    busy = [Busy("tre", datetime(2026, 12, 8, 6), datetime(2026, 12, 10, 20), "trip T9")]
    proposer = Proposer(TEAM, OFFICES, Availability(TEAM, absences, busy), travel, SETTINGS)
    out = []
    for visit in (visit_at("Kemi", "2026-12-07", "2026-12-10"),                                   # busy trip
                  visit_at("Kemi", "2026-12-08", "2026-12-08"),                                   # absence
                  visit_at("Kemi", "2026-12-07", "2026-12-10", skills=frozenset({"health"}),   # lacks skill
                           languages=frozenset({"ru"})),
                  visit_at("Tampere", "2026-12-08", "2026-12-10", languages=frozenset({"ru"})),  # lacks language
                  visit_at("Mariehamn", "2026-06-09", "2026-06-09"),                           # Åland's Autonomy Day
                  visit_at("Helsinki", "2027-05-06", "2027-05-06"),                            # Ascension Day 2027
                  visit_at("Helsinki", "2026-12-12", "2026-12-13"),                            # a weekend
                  visit_at("Utsjoki", "2026-12-10", "2026-12-10", duration_min=600),            # cannot reach
                  visit_at("Jyväskylä", "2026-12-07", "2026-12-10", staff_needed=2,
                           skills=frozenset({"identification", "counselling"}))):
        out += proposal_messages(proposer.propose(visit))
    return [m for m in out if m]


@pytest.fixture(scope="module")
def produced(tmp_path_factory, demo_db_file) -> list[str]:
    """Every reason and explanation the demo data gives: proposals for each demo visit, the greedy week plan."""
    path = tmp_path_factory.mktemp("reasons") / "demo.sqlite"
    shutil.copy(demo_db_file, path)
    db = open_db(path)
    messages = []
    proposer = make_proposer(db, SETTINGS)
    for visit in store.load_visits(db):
        messages += proposal_messages(proposer.propose(visit, limit=6))
    # Visits the week cannot serve, so the planner's unassigned reasons show up too.
    friday, saturday = MONDAY + timedelta(4), MONDAY + timedelta(5)
    for visit in (visit_at("Kuopio", saturday.isoformat(), (saturday + timedelta(1)).isoformat(), "x-weekend"),
                  visit_at("Kuopio", MONDAY.isoformat(), friday.isoformat(), "x-skill", skills=frozenset({"diving"})),
                  visit_at("Utsjoki", MONDAY.isoformat(), MONDAY.isoformat(), "x-far", duration_min=600),
                  visit_at("Kuopio", MONDAY.isoformat(), friday.isoformat(), "x-many", staff_needed=12)):
        store.upsert_visit(db, visit)
    inst = load_week(db, week_of(MONDAY), SETTINGS, NetworkTravelModel(SETTINGS))
    plan = plan_week(inst, "greedy", 5)
    messages += [a["explanation"] for a in plan["assignments"]] + [u["reason"] for u in plan["unassigned"]]
    # A team of three on Monday when all but two are already on trips that day.
    store.upsert_visit(db, visit_at("Kuopio", MONDAY.isoformat(), MONDAY.isoformat(), "x-busy", staff_needed=3))
    inst = load_week(db, week_of(MONDAY), SETTINGS, NetworkTravelModel(SETTINGS))
    monday = datetime.combine(MONDAY, datetime.min.time())
    inst.availability = Availability(inst.staff, store.load_absences(db), [
        Busy(p.id, monday, monday + timedelta(hours=23), "trip T8") for p in inst.staff[2:]])
    plan = plan_week(inst, "greedy", 5)
    messages += [u["reason"] for u in plan["unassigned"] if u["visit"] == "x-busy"]
    db.close()
    messages += constructed_messages()
    return [m for m in messages if m]


def test_every_fragment_the_domain_code_produces_has_a_template(produced):
    assert len(produced) > 50
    misses = {m: unmatched(m) for m in produced if unmatched(m)}
    assert misses == {}, "domain messages with no Finnish/Swedish template in planner/web/reasons_i18n.py"
    # the constructed cases did produce what they are for
    text = "\n".join(produced)
    for needle in ("absent (vacation) 7-8 Dec", "not employed in the window", "Åland's Autonomy Day",
                   "6 May 2027 is Ascension Day", "lacks skill health", "lacks language ru", "busy (trip T9)",
                   "nearest qualified free person: ", "nearest qualified free team: ", " against option 1",
                   "is a Saturday", "nobody with skill diving is free on", "cannot reach Utsjoki",
                   "nobody free can reach Utsjoki for a 10 h meeting", "people needed can reach Kuopio"):
        assert needle in text, needle
    fragments = {f for m in produced for f in split_fragments(m)}
    assert all(translate(f, "fi") != f for f in fragments if f)


@pytest.mark.parametrize("message, fi, sv", [
    ("absent (vacation) 7-8 Dec", "poissa (loma) 7.–8.12.", "frånvarande (semester) 7–8.12."),
    ("not employed in the window (employed from 1 Jun 2026 until 31 Aug 2026)",
     "ei työsuhteessa aikaikkunassa (työsuhde 1.6.2026–31.8.2026)",
     "inte anställd i tidsfönstret (anställd 1.6.2026–31.8.2026)"),
    ("lacks skill health", "puuttuu: taito health", "saknar kompetens health"),
    ("free, but others are nearer or cheaper", "vapaana, mutta muut ovat lähempänä tai edullisempia",
     "ledig, men andra är närmare eller billigare"),
    ("nearest qualified free person: Oulu (Heikinharju reception centre) 2 h 47 min each way; the preferred person",
     "lähin pätevä vapaa henkilö: Oulu (Heikinharju reception centre) 2 t 47 min suuntaansa; toivottu henkilö",
     "närmaste behöriga lediga person: Oulu (Heikinharju reception centre) 2 h 47 min enkel väg; den önskade personen"),
    ("+2 h 10 min travel, +€509 against option 1; by flight",
     "+2 t 10 min matkaa, +509 € vaihtoehtoon 1 verrattuna; lentäen",
     "+2 h 10 min restid, +509 € jämfört med alternativ 1; med flyg"),
    ("no working day in the window: 6 May 2027 is Ascension Day",
     "aikaikkunassa ei ole työpäivää: 6.5.2027 on Helatorstai",
     "ingen arbetsdag i tidsfönstret: 6.5.2027 är Kristi himmelsfärdsdag"),
    ("no working day in the window: 9 Jun 2026 is Åland's Autonomy Day",
     "aikaikkunassa ei ole työpäivää: 9.6.2026 on Ahvenanmaan itsehallintopäivä",
     "ingen arbetsdag i tidsfönstret: 9.6.2026 är Ålands självstyrelsedag"),
    ("oulu-sc from Oulu: nearest qualified free person; Helsinki would have added 4 h 52 min; by ferry",
     "oulu-sc (Oulu): lähin pätevä vapaa henkilö; Helsinki olisi lisännyt matkaa 4 t 52 min; lautalla",
     "oulu-sc från Oulu: närmaste behöriga lediga person; Helsinki hade gett 4 h 52 min mer restid; med färja"),
    ("everyone who could go on 7-8 Dec is needed for other visits (a on v1; b on v2, v3)",
     "kaikkia, jotka voisivat lähteä 7.–8.12., tarvitaan muilla käynneillä (a: v1; b: v2, v3)",
     "alla som kunde åka 7–8.12. behövs för andra besök (a på v1; b på v2, v3)"),
])
def test_finnish_and_swedish_renderings(message, fi, sv):
    assert translate(message, "fi") == fi
    assert translate(message, "sv") == sv
    assert translate(message, "en") == message


def test_unknown_fragments_pass_through():
    assert translate("something new; lacks skill health", "fi") == "something new; puuttuu: taito health"
    assert unmatched("something new; lacks skill health") == ["something new"]
    assert translate("", "fi") == "" and translate(None, "sv") == ""
    # a holiday name that is not the holiday of that date is not guessed at
    assert translate("7 May 2027 is Ascension Day", "fi") == "7 May 2027 is Ascension Day"


def test_visit_page_shows_reasons_in_finnish(browser):
    b = browser("lead")
    page = b.post("/visits/new", visit_form(action="propose")).get_data(as_text=True)
    assert "lähin pätevä vapaa henkilö: " in page and " suuntaansa" in page
    assert "nearest qualified free person" not in page
    assert "each way" not in page and " against option 1" not in page
    b.post("/language", {"lang": "sv", "next": "/visits/new"})
    page = b.post("/visits/proposals", visit_form(visit_id="v-000000-000000"),
                  headers={"X-CSRFToken": b.token}).get_data(as_text=True)
    assert "närmaste behöriga lediga person: " in page and "nearest qualified" not in page
    b.post("/language", {"lang": "en", "next": "/visits/new"})
    page = b.post("/visits/proposals", visit_form(visit_id="v-000000-000000"),
                  headers={"X-CSRFToken": b.token}).get_data(as_text=True)
    assert "nearest qualified free person: " in page


def test_reasons_of_a_run_that_met_edits_translate():
    """planner/store/plan_runs.py's reasons (a visit held back because of a change made while the run planned):
    every English reason constant there has a Finnish and a Swedish template."""
    from planner.store import plan_runs
    reasons = [v for k, v in vars(plan_runs).items() if k.isupper() and isinstance(v, str) and " " in v]
    assert plan_runs.SHARED_WITH_EDIT in reasons
    for message in reasons:
        assert unmatched(message) == [], message
        fi, sv = translate(message, "fi"), translate(message, "sv")
        assert fi != message and sv != message and fi != sv
        assert not any(word in fi + sv for word in ("planned", "shared", "change", "plan again"))
    assert translate(plan_runs.SHARED_WITH_EDIT, "fi").endswith("; suunnittele uudelleen, niin se sijoitetaan")
    assert translate(plan_runs.SHARED_WITH_EDIT, "sv").startswith("inte planerat den här gången: det delade en resa")
