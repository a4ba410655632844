"""Messages as data (issue 12, point 3): reasons and explanations are a code plus parameters, stored as JSON, worded
in English for the CLI and the JSON (word for word as before) and in Finnish, Swedish and English on the pages."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlite_utils import Database

from planner.core.messages import ENGLISH, LEGACY, Message, as_message, english, message
from planner.store.db import open_db
from planner.store.legacy_messages import parse
from planner.store.migrations import migrations
from planner.web import page_cache
from planner.web.messages import RENDER, render

import messages_support
from web_support import MONDAY, WEEK, visit_form

EXPECTED = Path(__file__).parent / "data" / "english_messages.json"
W = [[MONDAY.isoformat(), MONDAY.isoformat()]]
DAY = MONDAY.isoformat()

# One message of every code: a code without a sample here (and so without a test of its wording) fails below.
SAMPLES = {
    LEGACY: {"text": "typed long ago"},
    "list": {"items": [message("preferred"), message("hotel_nights", n=2)]},
    "holiday": {"day": "2026-06-09", "aland": True},
    "weekend": {"day": "2026-12-12"},
    "not_employed_on": {"day": DAY},
    "absent": {"kind": "sick_leave", "start": "2026-12-07", "end": "2026-12-08"},
    "day_off": {"weekday": 4},
    "busy": {"trip": "T9", "start": "2026-12-08T06:00:00", "end": "2026-12-08T20:00:00"},
    "cannot_reach": {"place": "Vaasa", "day": DAY, "minutes": 130},
    "no_way_then": {"place": "Vallisaari", "day": DAY, "links": [
        {"kind": "ferry", "from": "Kauppatori ferry pier (Helsinki)", "to": "Vallisaari quay", "season": ["05-15", "09-15"]},
        {"kind": "flight", "from": "Helsinki-Vantaa airport", "to": "Mariehamn airport", "days": ["mon", "fri"],
         "opens": "2027-01-01", "closes": "2027-06-01"}]},
    "trip_blocked": {"start": "2026-12-07", "end": "2026-12-08", "reason": message("weekend", day="2026-12-12")},
    "no_working_day": {"days": [message("weekend", day="2026-12-12")], "this_week": True},
    "window_not_this_week": {},
    "lacks": {"skills": ["health"], "languages": ["ru"]},
    "free_not_chosen": {},
    "no_team_on_day": {"day": "2026-12-08"},
    "meeting_is_here": {},
    # the import checker's problems (the visit form shows them)
    "import_required": {}, "import_text": {}, "import_string": {}, "import_too_long": {"max": 200},
    "import_invalid": {"value": "x y", "what": "case_code"}, "import_not_date": {"value": "7.12."},
    "import_whole_number": {"low": 15, "high": 720}, "import_list": {}, "import_object": {},
    "import_too_many": {"n": 51, "max": 50}, "import_not_one_of": {"value": "asap", "allowed": ["urgent", "normal"]},
    "import_no_place": {"query": "Utsjoky", "names": ["Utsjoki"]}, "import_needs_place": {}, "import_lat_lon": {},
    "import_not_in_finland": {"lat": 60.0, "lon": 19.0, "near": "Eckerö", "km": 41, "swapped": None},
    "import_duplicate_id": {"id": "v1", "also": "visits[0]"}, "import_unknown_section": {},
    "import_not_role": {"value": "boss", "roles": ["counsellor"]},
    "import_no_office": {"office": "x", "offices": ["oulu"]}, "import_no_staff": {"staff": "nobody"},
    "import_before": {"other": "earliest"}, "import_years": {"day": "1999-01-01", "first": 2000, "last": 2100},
    "import_window": {"days": 400, "max": 365}, "import_bool": {},
    "declined": {"day": DAY},
    "not_employed_window": {"start": "2026-06-01", "end": "2026-08-31"},
    "nearest": {"team": False, "legs": [["Vaasa", 95]]},
    "against_best": {"minutes": 130, "eur": 509.2},
    "on_day": {"day": DAY},
    "preferred": {},
    "hotel_nights": {"n": 1},
    "by_modes": {"modes": ["ferry", "flight"]},
    "train_not_flight": {"minutes": 95, "kg": 120},
    "nobody_free": {"when": W},
    "nobody_with": {"skills": ["labour_exploitation"], "languages": [], "when": W},
    "too_few_free": {"free": 1, "needed": 3, "when": W},
    "nobody_with_all": {"skills": ["health"], "languages": ["ar"], "needed": 1, "when": W},
    "no_common_start": {"needed": 2, "when": W},
    "assignment": {"team": [["oulu-sc", "Oulu"]], "parts": [message("only_qualified", team=False)]},
    "only_qualified": {"team": True},
    "nearest_added": {"team": False, "office": "Helsinki", "minutes": 292},
    "as_near_as": {"staff": "hel-sc", "office": "Helsinki"},
    "nearer_but_busy": {"staff": "hel-pm", "office": "Helsinki", "minutes": 46, "visits": ["demo-05"]},
    "nearer_but_costly": {"staff": "hel-pm", "office": "Helsinki", "minutes": 46},
    "chains": {"staff": "oulu-sc", "visits": [["Kemi", "demo-01"]]},
    "preferred_cannot": {"staff": "oulu-sc"},
    "team_offices": {},
    "pin_nobody": {},
    "pin_person": {},
    "cannot_reach_any": {"place": "Vaasa", "minutes": 600, "from": "08:00", "until": "17:00", "when": W},
    "too_few_reach": {"able": 2, "needed": 3, "place": "Vaasa", "when": W},
    "all_busy": {"when": W, "busy": [["hel-pm", ["demo-05"]]], "more": True},
    "left_out": {"free": 2, "when": W},
    "time_ran_out": {},
    "shared_with_edit": {},
    "moved_by_lead": {"reason": message("preferred")},
    "person_reason": {"staff": "hel-pm", "reason": message("preferred")},
    "absence": {"kind": "vacation", "start": "2026-12-07", "end": "2026-12-08"},
    "outside_window": {"day": DAY, "earliest": DAY, "latest": DAY},
    "other_trip": {"start": "2026-12-07T08:10", "end": "2026-12-08T18:00"},
    "email_invalid": {"email": "not-an-email"},
    "email_taken": {"email": "lead.helsinki@demo.invalid"},
    "role_unknown": {"roles": ["admin", "lead", "staff"]},
    "staff_unknown": {"staff": "nobody"},
    "staff_user_needs_person": {},
    "lost_meeting": {"places": ["Jyväskylä", "Kuopio"]},
    "no_meeting": {},
    "choose_people": {"n": 2},
    "window_is": {"start": "2026-12-07", "end": "2026-12-09"},
}
# Codes whose wording is only their parts' (names, ids, nested messages): the same in every language.
STRUCTURAL = {LEGACY, "list", "person_reason", "lost_meeting"}


@pytest.fixture(scope="module")
def produced(tmp_path_factory):
    """The messages the demo and the constructed cases give, and the same as English text."""
    found: list[Message] = []

    def collect(msg):
        if msg is not None:
            found.append(msg)
        return english(msg)

    text = messages_support.produce(tmp_path_factory.mktemp("messages") / "demo.sqlite", collect)
    return found, text


def test_the_english_renderer_words_reasons_exactly_as_the_cli_and_json_did(produced):
    _, text = produced
    assert text == json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_every_code_has_an_english_and_a_page_wording_in_each_language(web_app):
    assert set(SAMPLES) == set(ENGLISH) == set(RENDER)
    for code, params in SAMPLES.items():
        msg = Message(code, params)
        assert english(msg), code
        assert Message.from_json(json.loads(msg.dumps())) == msg
        worded = {}
        for lang in ("fi", "sv", "en"):
            with web_app.test_request_context(headers={"Cookie": f"lang={lang}"}):
                worded[lang] = render(msg)
        assert all(worded.values()), code
        if code not in STRUCTURAL:
            assert len(set(worded.values())) == 3, (code, worded)


def test_the_page_renderer_gives_real_plural_forms(web_app):
    def words(lang, msg):
        with web_app.test_request_context(headers={"Cookie": f"lang={lang}"}):
            return render(msg)
    one, two = message("hotel_nights", n=1), message("hotel_nights", n=2)
    assert (words("fi", one), words("fi", two)) == ("1 hotelliyö", "2 hotelliyötä")
    assert (words("sv", one), words("sv", two)) == ("1 hotellnatt", "2 hotellnätter")
    assert (words("en", one), words("en", two)) == ("1 hotel night", "2 hotel nights")
    free = [message("left_out", free=n, when=W) for n in (1, 2)]
    assert "1 pätevä henkilö oli" in words("fi", free[0]) and "2 pätevää henkilöä oli" in words("fi", free[1])
    assert "1 behörig person var ledig" in words("sv", free[0])
    assert "2 behöriga personer var lediga" in words("sv", free[1])
    assert "1 qualified person was free" in words("en", free[0])
    assert "2 qualified people were free" in words("en", free[1])


def test_a_busy_person_is_shown_until_the_last_day_of_their_trip_without_its_id(web_app):
    """The audit found "varattu (matka r1-T02) ma 7.12. 8.10–14.06" for a trip from Monday to Wednesday: the plan's
    own trip id, and the end on the wrong day."""
    def words(lang, msg):
        with web_app.test_request_context(headers={"Cookie": f"lang={lang}"}):
            return render(msg)
    away = message("busy", trip="r1-T02", start="2026-12-07T08:10:00", end="2026-12-09T14:06:00")
    day = message("busy", trip="r1-T03", start="2026-12-07T08:10:00", end="2026-12-07T14:06:00")
    assert words("fi", away) == "varattu (matka) ma 7.12. 8.10–ke 9.12. 14.06"
    assert words("fi", day) == "varattu (matka) ma 7.12. 8.10–14.06"
    assert "r1-T0" not in words("sv", away) + words("en", away) and "9" in words("sv", away)
    assert english(away) == "busy (trip r1-T02) Mon 07 Dec 08:10-Wed 09 Dec 14:06"


def test_text_stored_before_messages_reads_back_as_the_same_message(produced):
    found, _ = produced
    assert len(found) > 100
    for msg in found:
        again = parse(english(msg), 2026)
        assert again.code != LEGACY and english(again) == english(msg), english(msg)
    assert parse("a sentence nobody wrote", 2026) == Message(LEGACY, {"text": "a sentence nobody wrote"})


def _plan_run_with_reasons(db) -> None:
    """A plan run of the demo week whose unassigned visits carry reasons naming places, people, skills, counts."""
    reasons = {
        "demo-12": message("cannot_reach_any", place="Vaasa", minutes=600, until="17:00", when=W, **{"from": "08:00"}),
        "demo-15": message("nobody_with", skills=["labour_exploitation"], languages=[], when=W),
        "demo-01": message("all_busy", when=W, busy=[["oulu-sc", ["demo-02"]]], more=False),
        "demo-03": message("left_out", free=1, when=W),
        "demo-04": message("left_out", free=2, when=W),
    }
    result = {"week": WEEK, "status": "FEASIBLE", "assignments": [], "trips": [],
              "unassigned": [{"visit": v, "reason": r.to_json()} for v, r in reasons.items()]}
    db["plan_runs"].insert({"week": WEEK, "created_at": "2026-12-01T08:00:00", "created_by": "test",
                            "solver": "greedy", "status": "FEASIBLE", "solve_seconds": 1.0, "state": "draft",
                            "result": json.dumps(result, ensure_ascii=False)})


@pytest.fixture
def fresh_page_cache():
    """The page cache is per process and keyed by the data version, which other tests' copies of the demo database
    share: start and leave it empty."""
    page_cache.clear()
    yield
    page_cache.clear()


def test_pages_word_reasons_in_their_language_with_names_and_labels(browser, web_db, fresh_page_cache):
    _plan_run_with_reasons(web_db)
    name = next(web_db.query("select name from staff where id = 'oulu-sc'"))["name"]
    b = browser("lead")
    fi = b.get(f"/plan?week={WEEK}").get_data(as_text=True)
    assert "kukaan vapaa ei ehdi 10 t tapaamiseen (Vaasa)" in fi
    assert "kukaan, jolla on taito: työperäinen hyväksikäyttö, ei ole vapaana" in fi
    assert "labour_exploitation" not in fi and "labour exploitation" not in fi
    assert f"{name}: Tornio" in fi and f"{name}: demo-02" not in fi and "oulu-sc:" not in fi  # names, places
    assert "1 pätevä henkilö oli vapaana" in fi and "2 pätevää henkilöä oli vapaana" in fi
    b.post("/language", {"lang": "sv", "next": "/plan"})
    sv = b.get(f"/plan?week={WEEK}").get_data(as_text=True)
    assert "ingen ledig hinner till Vasa för ett möte på 10 h" in sv and "till Vaasa" not in sv
    assert "kompetens: arbetskraftsexploatering" in sv
    assert f"{name} på Torneå" in sv  # the visit by its place, in Swedish
    assert "1 behörig person var ledig" in sv and "2 behöriga personer var lediga" in sv
    b.post("/language", {"lang": "en", "next": "/plan"})
    en = b.get(f"/plan?week={WEEK}").get_data(as_text=True)
    assert "nobody with skill labour exploitation is free on" in en


def test_proposals_on_the_visit_page_are_worded_in_finnish_and_swedish(browser):
    b = browser("lead")
    page = b.post("/visits/new", visit_form(action="propose")).get_data(as_text=True)
    assert "lähin pätevä vapaa henkilö: " in page and " suuntaansa" in page
    assert "nearest qualified free person" not in page and "each way" not in page
    b.post("/language", {"lang": "sv", "next": "/visits/new"})
    page = b.post("/visits/proposals", visit_form(visit_id="v-000000-000000"),
                  headers={"X-CSRFToken": b.token}).get_data(as_text=True)
    assert "närmaste behöriga lediga person: " in page and "nearest qualified" not in page


def test_the_reason_filter_takes_a_message_its_json_or_old_text(web_app):
    msg = message("preferred")
    with web_app.test_request_context(headers={"Cookie": "lang=fi"}):
        filter_ = web_app.jinja_env.filters["reason"]
        assert filter_(msg) == filter_(msg.to_json()) == filter_(msg.dumps()) == "toivottu henkilö"
        assert filter_("typed by hand; kept as it is") == "typed by hand; kept as it is"
        assert filter_("") == filter_(None) == ""
    assert as_message("{not json") == Message(LEGACY, {"text": "{not json"})


def test_migration_turns_stored_english_into_messages(tmp_path):
    path = tmp_path / "old.sqlite"
    old = Database(path)
    migrations.apply(old, stop_before="0012_messages_as_data")
    old["offices"].insert({"id": "oulu", "name": "Oulu", "lat": 65.0, "lon": 25.5})
    old["visits"].insert({"id": "v1", "kind": "client", "lat": 65.7, "lon": 24.6, "earliest": "2026-12-07",
                          "latest": "2026-12-08", "duration_min": 60})
    unassigned = [{"visit": "v2", "reason": "nobody with skill health is free on 7-8 Dec"},
                  {"visit": "v3", "reason": "something a person once wrote"}]
    run = old["plan_runs"].insert({"week": "2026-W50", "created_at": "2026-12-01T08:00:00", "created_by": "t",
                                   "solver": "greedy", "status": "FEASIBLE", "solve_seconds": 1.0, "state": "draft",
                                   "result": json.dumps({"week": "2026-W50", "assignments": [], "trips": [],
                                                         "unassigned": unassigned})}).last_pk
    explanation = ("oulu-sc from Oulu: nearest qualified free person; Helsinki would have added 4 h 52 min; "
                   "1 hotel night; by ferry")
    old["meetings"].insert({"plan_run": run, "visit": "v1", "start": "2026-12-07T10:00:00",
                            "end": "2026-12-07T11:00:00", "staff": '["oulu-sc"]', "pinned": 0,
                            "explanation": explanation, "state": "active"})
    old.close()

    db = open_db(path)
    stored = json.loads(next(db.query("select explanation from meetings"))["explanation"])
    assert stored["code"] == "assignment" and english(stored) == explanation
    assert [p["code"] for p in stored["parts"]] == ["nearest_added", "hotel_nights", "by_modes"]
    reasons = json.loads(next(db.query("select result from plan_runs"))["result"])["unassigned"]
    assert reasons[0]["reason"] == {"code": "nobody_with", "skills": ["health"], "languages": [],
                                    "when": [["2026-12-07", "2026-12-08"]]}
    assert reasons[1]["reason"] == {"code": LEGACY, "text": "something a person once wrote"}
    db.close()
    shutil.copy(path, tmp_path / "again.sqlite")
    open_db(tmp_path / "again.sqlite").close()  # applied once: opening again changes nothing
