"""planner import: the whole file is checked first, errors carry their path, nothing half-imported, re-import updates."""
import json

import pytest

STAFF = [
    {"id": "s1", "name": "Senior inspector A", "role": "senior_inspector", "office": "helsinki",
     "skills": ["identification"], "languages": ["fi", "en"]},
    {"id": "s2", "name": "Nurse", "role": "terveydenhoitaja", "office": "lappeenranta", "skills": ["health"],
     "languages": ["fi"], "active_from": "2026-06-01", "active_until": "2026-08-31"},
]
VISITS = [
    {"id": "v1", "kind": "client", "case": "IK-2026-001", "place": "Kemi", "earliest": "2026-12-07",
     "latest": "2026-12-09", "duration_min": 90, "skills": ["identification"], "languages": ["en"],
     "priority": "urgent"},
    {"id": "v2", "kind": "partner", "place": "Mariehamn", "earliest": "2026-12-08", "latest": "2026-12-10",
     "duration_min": 60, "staff_needed": 2, "preferred_staff": "s1"},
    {"id": "v3", "kind": "training", "lat": 65.0121, "lon": 25.4651, "earliest": "2026-12-08",
     "latest": "2026-12-08", "duration_min": 180},
]


def doc(**changes):
    base = {"staff": [dict(s) for s in STAFF], "absences": [{"staff": "s1", "from": "2026-12-07", "to": "2026-12-08",
                                                             "kind": "vacation"}],
            "visits": [dict(v) for v in VISITS]}
    base.update(changes)
    return base


def counts(db):
    return {t: db[t].count for t in ("offices", "staff", "absences", "visits")}


def test_import_writes_everything_and_resolves_places(db, runner, write_json):
    result = runner.invoke(args=["import", write_json(doc())])
    assert result.exit_code == 0, result.output
    assert counts(db) == {"offices": 4, "staff": 2, "absences": 1, "visits": 3}
    kemi = db["visits"].get("v1")
    assert kemi["place_name"] == "Kemi" and 65.6 < kemi["lat"] < 65.8 and kemi["case_code"] == "IK-2026-001"
    assert db["visits"].get("v2")["on_aland"] == 1
    assert db["staff"].get("s2")["role"] == "public_health_nurse"  # Finnish title accepted
    assert json.loads(db["visits"].get("v1")["skills"]) == ["identification"]


def test_importing_twice_updates_and_never_duplicates(db, runner, write_json):
    path = write_json(doc())
    assert runner.invoke(args=["import", path]).exit_code == 0
    assert runner.invoke(args=["import", path]).exit_code == 0
    assert counts(db) == {"offices": 4, "staff": 2, "absences": 1, "visits": 3}
    assert db["visits"].get("v1")["version"] == 1
    changed = doc()
    changed["visits"][0]["duration_min"] = 120
    assert runner.invoke(args=["import", write_json(changed)]).exit_code == 0
    assert db["visits"].get("v1")["duration_min"] == 120 and db["visits"].get("v1")["version"] == 2
    assert counts(db)["visits"] == 3


def test_unknown_place_is_reported_with_path_and_suggestion_and_nothing_is_written(db, runner, write_json):
    bad = doc()
    bad["visits"].append({"id": "v4", "kind": "client", "place": "Utsjoky", "earliest": "2026-12-07",
                          "latest": "2026-12-08", "duration_min": 60})
    result = runner.invoke(args=["import", write_json(bad)])
    assert result.exit_code != 0
    assert 'visits[3].place: no place "Utsjoky" - did you mean Utsjoki?' in result.output + (result.stderr or "")
    assert counts(db) == {"offices": 4, "staff": 0, "absences": 0, "visits": 0}


def test_a_visit_in_the_open_sea_is_refused_and_nothing_is_written(db, runner, write_json):
    bad = doc()
    bad["visits"].append({"id": "v4", "kind": "client", "lat": 60.0, "lon": 19.0, "earliest": "2026-12-07",
                          "latest": "2026-12-08", "duration_min": 60})
    bad["visits"].append({"id": "v5", "kind": "client", "place": "61.5,31.5", "earliest": "2026-12-07",
                          "latest": "2026-12-08", "duration_min": 60})
    result = runner.invoke(args=["import", write_json(bad)])
    said = result.output + (result.stderr or "")
    assert result.exit_code != 0
    assert ("visits[3]: 60.00000, 19.00000 is not in Finland or Åland: it is in the open sea or abroad, 39 km from "
            "Storby") in said
    assert "visits[4].place: 61.50000, 31.50000 is not in Finland or Åland" in said
    assert counts(db) == {"offices": 4, "staff": 0, "absences": 0, "visits": 0}


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["staff"][0].update(office="turku"), "staff[0].office: no office 'turku'"),
    (lambda d: d["visits"][0].update(earliest="2026-13-01"), "visits[0].earliest: '2026-13-01' is not a date"),
    (lambda d: d["visits"].append(dict(d["visits"][0])), "visits[3].id: duplicate id 'v1'"),
    (lambda d: d["absences"][0].update(staff="nobody"), "absences[0].staff: no staff member 'nobody'"),
    (lambda d: d["visits"][1].update(preferred_staff="ghost"), "visits[1].preferred_staff: no staff member 'ghost'"),
    (lambda d: d["visits"][0].update(case="Maria Virtanen"), "visits[0].case: 'Maria Virtanen' is not a valid case code"),
    (lambda d: d["visits"][0].update(latest="2026-12-01"), "visits[0].latest: is before earliest"),
    (lambda d: d["visits"][0].update(duration_min="long"), "visits[0].duration_min: must be a whole number"),
    (lambda d: d["visits"][0].update(kind="party"), "visits[0].kind: 'party' is not one of client, partner, training"),
    (lambda d: d["visits"][2].update(lat=95), "visits[2]: latitude"),
    (lambda d: d["staff"][1].update(role="wizard"), "staff[1].role: 'wizard' is not a role"),
    (lambda d: d["visits"][0].update(languages=["english"]), "visits[0].languages[0]: 'english' is not a valid language"),
    (lambda d: d["staff"][0].update(working_pattern={"days": ["mon", "fri"], "start": "16:15", "end": "08:00"}),
     "staff[0].working_pattern.end: 08:00 is not after the start 16:15"),
    (lambda d: d["staff"][0].update(working_pattern={"days": ["monday"], "start": "08:00", "end": "16:00"}),
     "staff[0].working_pattern.days[0]: 'monday' is not a weekday (mon, tue, wed, thu, fri, sat, sun)"),
    (lambda d: d["staff"][0].update(working_pattern=[{"days": ["mon"], "start": "08:00", "end": "16:00"},
                                                      {"days": ["mon"], "start": "8", "end": "12:00"}]),
     "staff[0].working_pattern[1].start: '8' is not a time of day (HH:MM)"),
    (lambda d: d["staff"][0].update(working_pattern=[{"days": ["tue"], "start": "08:00", "end": "16:00"},
                                                      {"days": ["Tue"], "start": "08:00", "end": "12:00"}]),
     "staff[0].working_pattern[1].days[0]: tue is given twice"),
    (lambda d: d["staff"][0].update(working_pattern="mon-thu"),
     "staff[0].working_pattern: must be an object with days, start and end"),
])
def test_each_bad_input_is_reported_and_changes_nothing(db, runner, write_json, mutate, expected):
    bad = doc()
    mutate(bad)
    result = runner.invoke(args=["import", write_json(bad)])
    assert result.exit_code != 0
    assert expected in result.output + (result.stderr or "")
    assert counts(db)["visits"] == 0 and counts(db)["staff"] == 0


@pytest.mark.parametrize("visit_id", ["Maria.Virtanen", "maria", "Maria Virtanen 2", "v1/2"])
def test_a_visit_id_is_a_reference_never_a_name(db, runner, write_json, visit_id):
    """Visit ids show in URLs, the audit log and exports, so they follow the case codes' rule (a digit, no spaces):
    a client's name is refused with the path, and nothing of the file is imported."""
    bad = doc()
    bad["visits"][1]["id"] = visit_id
    result = runner.invoke(args=["import", write_json(bad)])
    assert result.exit_code != 0
    assert f"visits[1].id: {visit_id!r} is not a valid visit id" in result.output + (result.stderr or "")
    assert "at least one digit" in result.output + (result.stderr or "")
    assert counts(db) == {"offices": 4, "staff": 0, "absences": 0, "visits": 0}


def test_the_demo_data_follows_the_visit_id_rule(db):
    from datetime import date

    from planner.ops import importer
    from planner.ops.demo import demo_document
    document = demo_document(date(2026, 12, 2))
    assert all(importer.VISIT_ID_RE.match(v["id"]) for v in document["visits"])
    importer.check(document, db)  # the whole demo passes the importer's checks


def test_not_json_and_missing_file(db, runner, tmp_path):
    (tmp_path / "bad.json").write_text("{nope")
    result = runner.invoke(args=["import", str(tmp_path / "bad.json")])
    assert result.exit_code != 0 and "not valid JSON" in result.output + (result.stderr or "")
    result = runner.invoke(args=["import", str(tmp_path / "missing.json")])
    assert result.exit_code != 0 and "no such file" in result.output + (result.stderr or "")


def test_custom_offices_replace_the_builtin_ones_for_checks(db, runner, write_json):
    offices = [{"id": "rovaniemi", "name": "Rovaniemi", "place": "Rovaniemi"}]
    staff = [{**STAFF[0], "office": "rovaniemi"}]
    result = runner.invoke(args=["import", write_json({"offices": offices, "staff": staff})])
    assert result.exit_code == 0, result.output
    assert db["offices"].get("rovaniemi")["lat"] > 66


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d["visits"][0].update(languages=["x"] * 40000), "visits[0].languages: has 40000 items (at most 50)"),
    (lambda d: d["staff"][0].update(skills=["a"] * 40000), "staff[0].skills: has 40000 items (at most 50)"),
    (lambda d: d["visits"][0].update(place="a" + " " * 20000 + "b"),
     "visits[0].place: is longer than 200 characters"),
    (lambda d: d["staff"][0].update(name="n" * 201), "staff[0].name: is longer than 200 characters"),
])
def test_huge_fields_are_refused_before_they_are_parsed(db, runner, write_json, mutate, expected):
    """Lengths are checked first, so a huge field costs no parsing and gives one clear problem, not one per item:
    about as fast as a name just over its limit, timed in the same run."""
    import time

    def timed_import(document):
        start = time.perf_counter()
        result = runner.invoke(args=["import", write_json(document)])
        return result, time.perf_counter() - start
    just_over = doc()
    just_over["staff"][0]["name"] = "n" * 201
    assert timed_import(just_over)[0].exit_code != 0
    short_seconds = timed_import(just_over)[1]  # (the first import also loads what every import needs)
    bad = doc()
    mutate(bad)
    result, seconds = timed_import(bad)
    assert seconds < 3 * short_seconds + 0.5
    assert result.exit_code != 0
    output = result.output + (result.stderr or "")
    assert expected in output and len(output) < 2000
    assert counts(db)["visits"] == 0 and counts(db)["staff"] == 0


def test_a_working_pattern_is_imported_kept_on_reimport_and_honoured_by_proposals(db, runner, write_json):
    """Part-time days from the file (issue 13): a re-import without the field keeps them, and a visit on the day off
    is not proposed to the person, with the day off as the reason."""
    from planner import store
    four_days = {"days": ["mon", "tue", "wed", "thu"], "start": "08:00", "end": "16:15"}
    friday = {"id": "v9", "kind": "client", "place": "Porvoo", "earliest": "2026-12-11", "latest": "2026-12-11",
              "duration_min": 60, "skills": ["identification"]}
    first = doc(visits=[friday], absences=[])
    first["staff"][0]["working_pattern"] = [four_days, {"days": ["fri"], "start": "09:00", "end": "12:00"}]
    assert runner.invoke(args=["import", write_json(first)]).exit_code == 0
    pattern = store.load_staff(db)["s1"].pattern
    assert sorted(pattern) == [0, 1, 2, 3, 4] and str(pattern[4][1]) == "12:00:00" and str(pattern[0][1]) == "16:15:00"

    again = doc(visits=[friday], absences=[])
    again["staff"][0]["working_pattern"] = four_days
    assert runner.invoke(args=["import", write_json(again)]).exit_code == 0
    assert sorted(store.load_staff(db)["s1"].pattern) == [0, 1, 2, 3]
    assert runner.invoke(args=["import", write_json(doc(visits=[friday], absences=[]))]).exit_code == 0
    assert sorted(store.load_staff(db)["s1"].pattern) == [0, 1, 2, 3]   # not given: kept
    assert sorted(store.load_staff(db)["s2"].pattern) == [0, 1, 2, 3, 4]  # never given: Monday to Friday

    result = runner.invoke(args=["propose", "v9", "--json"])
    assert result.exit_code == 0, result.output
    proposal = json.loads(result.output)
    assert not any("s1" in option["staff"] for option in proposal["options"])
    assert any(e["staff"] == "s1" and "does not work on Fridays" in e["reason"] for e in proposal["excluded"]), proposal
