"""Bad input never crashes the import (issue 5.7): generated documents with hostile values, random JSON and bytes
that are not JSON. ``planner import`` either imports a valid document or exits 1 with one ``Error: ...`` line and no
traceback, and a refused file changes nothing in the database."""
from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz_support import fuzz_settings, hostile_json, hostile_text, table_dump
from planner.ops.importer import ImportProblems, apply, check

OFFICE = {"id": "kemi-office", "name": "Kemi office", "place": "Kemi", "region": "Lappi"}
STAFF = [
    {"id": "s1", "name": "Senior inspector A", "role": "senior_inspector", "office": "helsinki",
     "skills": ["identification"], "languages": ["fi", "en"]},
    {"id": "s2", "name": "Nurse", "role": "terveydenhoitaja", "office": "lappeenranta", "skills": ["health"],
     "languages": ["fi"], "active_from": "2026-06-01", "active_until": "2026-08-31", "region": "Etelä-Karjala"},
]
ABSENCES = [{"staff": "s1", "from": "2026-12-07", "to": "2026-12-08", "kind": "vacation"}]
VISITS = [
    {"id": "v1", "kind": "client", "case": "IK-2026-001", "place": "Kemi", "earliest": "2026-12-07",
     "latest": "2026-12-09", "duration_min": 90, "skills": ["identification"], "languages": ["en"],
     "priority": "urgent", "interpreter": True},
    {"id": "v2", "kind": "partner", "place": "Mariehamn", "earliest": "2026-12-08", "latest": "2026-12-10",
     "duration_min": 60, "staff_needed": 2, "preferred_staff": "s1"},
    {"id": "v3", "kind": "training", "lat": 65.0121, "lon": 25.4651, "earliest": "2026-12-08",
     "latest": "2026-12-08", "duration_min": 180},
]
BASE = {"staff": STAFF, "absences": ABSENCES, "visits": VISITS}
SECTIONS = ("offices", "staff", "absences", "visits")
KEYS = sorted({k for records in (STAFF, ABSENCES, VISITS, [OFFICE]) for r in records for k in r} | {"lat", "lon"})

# One change to a valid document: a hostile value in a field, a field removed, a record replaced or repeated, a
# whole section replaced, an unknown section.
SET = st.tuples(st.just("set"), st.sampled_from(SECTIONS), st.integers(0, 3),
                st.one_of(st.sampled_from(KEYS), hostile_text()), hostile_json())
DELETE = st.tuples(st.just("delete"), st.sampled_from(SECTIONS), st.integers(0, 3), st.sampled_from(KEYS), st.none())
RECORD = st.tuples(st.just("record"), st.sampled_from(SECTIONS), st.integers(0, 3), st.none(), hostile_json())
REPEAT = st.tuples(st.just("repeat"), st.sampled_from(SECTIONS), st.integers(0, 3), st.none(), st.none())
SECTION = st.tuples(st.just("section"), st.one_of(st.sampled_from(SECTIONS), hostile_text()), st.just(0), st.none(),
                    hostile_json())
CHANGE = st.one_of(SET, SET, SET, DELETE, RECORD, REPEAT, SECTION)


def mutate(with_office: bool, changes) -> dict:
    doc = copy.deepcopy(BASE)
    if with_office:
        doc["offices"] = [dict(OFFICE)]
    for op, section, index, key, value in changes:
        records = doc.setdefault(section, []) if section in SECTIONS else None
        if op == "section" or records is None:
            doc[section] = value
            continue
        if not isinstance(records, list) or not records:
            continue
        i = index % len(records)
        if op == "record":
            records[i] = value
        elif op == "repeat":
            records.append(copy.deepcopy(records[i]))
        elif isinstance(records[i], dict):
            if op == "set":
                records[i][key] = value
            else:
                records[i].pop(key, None)
    return doc


DOCUMENTS = st.one_of(st.builds(mutate, st.booleans(), st.lists(CHANGE, min_size=1, max_size=3)),
                      hostile_json(max_leaves=12),
                      st.dictionaries(st.sampled_from(SECTIONS), hostile_json(), max_size=4))


def _dumps(doc) -> str:
    # NaN and Infinity as Python writes them (JSON5-style tokens that json.loads accepts): the import must refuse them.
    return json.dumps(doc, ensure_ascii=False)


def assert_cli_answer(result, before: dict, after: dict) -> None:
    """Exit 0, or exit 1 with exactly one 'Error: ...' line (the last) and no traceback; refused changes nothing."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    err = result.stderr
    assert "Traceback" not in err + result.output
    if result.exit_code == 0:
        assert err == ""
        return
    assert result.exit_code == 1, (result.exit_code, err)
    lines = err.rstrip("\n").split("\n")
    assert [line for line in lines if line.startswith("Error:")] == [lines[-1]], err
    assert len(lines[-1]) > len("Error: ")
    assert after == before, "a refused import changed the database"


@fuzz_settings(60)
@given(doc=DOCUMENTS)
def test_import_command_refuses_hostile_documents_cleanly(db, runner, app, tmp_path, doc):
    path = tmp_path / "fuzz.json"
    path.write_text(_dumps(doc), encoding="utf-8")
    before = table_dump(app.config["DATABASE"])
    result = runner.invoke(args=["import", str(path)])
    assert_cli_answer(result, before, table_dump(app.config["DATABASE"]))


@fuzz_settings(25)
@given(data=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(
    lambda t: t.encode("utf-8", "surrogatepass")), st.sampled_from([
        b"", b"\xef\xbb\xbf{}", b"\xff\xfe{\x00}\x00", b"NaN", b"{\"a\": 1e99999}", b"\x00" * 10, b"{\"visits\": {",
        json.dumps(BASE).encode()[:-7]])))
def test_import_command_refuses_bytes_that_are_not_a_document(db, runner, app, tmp_path, data):
    path = tmp_path / "fuzz.json"
    path.write_bytes(data)
    before = table_dump(app.config["DATABASE"])
    result = runner.invoke(args=["import", str(path)])
    assert_cli_answer(result, before, table_dump(app.config["DATABASE"]))
    if result.exit_code == 0:  # only a JSON object can be a document
        assert isinstance(json.loads(data.decode("utf-8-sig")), dict)


@fuzz_settings(120)
@given(doc=DOCUMENTS)
def test_checker_either_lists_problems_or_gives_a_plan_that_applies(db, app, doc):
    """The importer's own API, as the web form uses it: ImportProblems with 'path: message' lines, or a plan that
    writes without error; nothing else escapes."""
    before = table_dump(app.config["DATABASE"])
    try:
        plan = check(doc, db)
    except ImportProblems as exc:
        assert exc.problems and all(isinstance(p, str) and ": " in p for p in exc.problems)
        assert table_dump(app.config["DATABASE"]) == before
        return
    apply(db, plan)
    for visit in plan.visits:
        assert visit.earliest <= visit.latest and visit.lat == visit.lat and visit.lon == visit.lon  # no NaN


@pytest.mark.parametrize("lat", [float("nan"), float("inf"), -float("inf")])
def test_coordinates_must_be_finite_numbers(db, runner, write_json, lat):
    doc = copy.deepcopy(BASE)
    doc["visits"][2]["lat"] = lat
    result = runner.invoke(args=["import", write_json(doc)])
    assert result.exit_code == 1 and "visits[2]: lat and lon must be numbers" in result.stderr, result.stderr


def test_preferred_staff_of_the_wrong_type_is_a_problem_not_a_crash(db):
    doc = copy.deepcopy(BASE)
    doc["visits"][1]["preferred_staff"] = ["s1"]
    with pytest.raises(ImportProblems) as problems:
        check(doc, db)
    assert problems.value.problems == ["visits[1].preferred_staff: no staff member \"['s1']\""]


@pytest.mark.parametrize("data, message", [
    (b"[" * 100_000, "nested too deeply"),
    (b"{\"visits\": " * 50_000, "nested too deeply"),
    (b"1" * 5000, "a number too long"),
    (b"{\"visits\": [{\"duration_min\": " + b"9" * 5000 + b"}]}", "a number too long"),
])
def test_json_the_parser_cannot_take_is_one_line(db, runner, tmp_path, data, message):
    path = tmp_path / "deep.json"
    path.write_bytes(data)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


@pytest.mark.parametrize("key, value, expected", [
    ("earliest", "0001-01-01", "visits[0].earliest: 0001-01-01 is not in the years 2000-2100"),
    ("latest", "9999-12-31", "visits[0].latest: 9999-12-31 is not in the years 2000-2100"),
    ("latest", "2027-12-31", "visits[0].latest: is 389 days after earliest (at most 365)"),
])
def test_visit_windows_beyond_the_calendar_or_longer_than_a_year_are_refused(db, key, value, expected):
    """Found by the fuzz: such a window passed, then the proposer tried each of its days and overflowed at 9999."""
    doc = copy.deepcopy(BASE)
    doc["visits"][0][key] = value
    with pytest.raises(ImportProblems) as problems:
        check(doc, db)
    assert problems.value.problems == [expected]


def test_a_line_break_in_the_file_stays_inside_one_error_line(db, runner, write_json):
    doc = copy.deepcopy(BASE)
    doc["visits\nError: fake"] = []
    doc["visits"][0]["place"] = "Kemi\nX"
    result = runner.invoke(args=["import", write_json(doc)])
    lines = result.stderr.rstrip("\n").split("\n")
    assert result.exit_code == 1 and len(lines) == 2 and lines[-1].startswith("Error: ")
    assert "'visits\\nError: fake': unknown section" in result.stderr and 'no place "Kemi\\nX"' in result.stderr


JSON_EDGES = [None, True, 0, -1, 10 ** 30, 1.5, float("nan"), float("inf"), "", " ", "²", "x" * 5000, [], {}, ["x"],
              [None], {"a": 1}, "0001-01-01", "9999-12-31", "2026-02-30", "<script>alert(1)</script>", "' OR '1'='1",
              "a\nb", "🦄"]


SECTION_KEYS = {"offices": ["id", "name", "place", "lat", "lon", "region"],
                "staff": ["id", "name", "role", "office", "skills", "languages", "active_from", "active_until",
                          "region"],
                "absences": ["staff", "from", "to", "kind"],
                "visits": ["id", "kind", "case", "place", "lat", "lon", "earliest", "latest", "duration_min",
                           "staff_needed", "skills", "languages", "interpreter", "priority", "preferred_staff"]}


@pytest.mark.parametrize("section", SECTIONS)
def test_every_field_takes_every_edge_value(db, section):
    """A sweep beside the random documents: each edge value in each field of the first record of a section gives
    problems that name their field on one line, or a plan that applies."""
    for key in SECTION_KEYS[section]:
        for value in JSON_EDGES:
            doc = mutate(section == "offices", [("set", section, 2 if key in ("lat", "lon") else 0, key, value)])
            try:
                plan = check(doc, db)
            except ImportProblems as exc:
                assert all("\n" not in p.split(": ", 1)[0] for p in exc.problems), exc.problems
            else:
                apply(db, plan)
