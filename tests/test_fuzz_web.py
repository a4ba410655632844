"""Bad input never crashes the web app (issue 5.7). Every route of the real app is fed hostile input by Hypothesis:

- every POST route: the fields of its real form (read from the page that shows it), each kept, replaced by a
  hostile value, left out or repeated, plus unknown fields; also JSON and raw bodies; hostile ids in the URL;
- every GET route: hostile query strings (the names the app reads and the fields of the page's own GET forms) and
  hostile ids in the URL, the JSON endpoints included.

Signed in as the role allowed for the route (tests/test_web_auth.py), with a valid CSRF token. The answer is below
500 with no traceback in it, and a 4xx answer leaves the database as it was. ``test_every_route_is_fuzzed`` fails
when a route appears that this file does not know, so new routes get fuzzed too.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import IntegerConverter

import test_web_auth as roles
from fuzz_support import (EDGES, assert_no_crash_text, changed_tables, fuzz_settings, hostile_json, hostile_text,
                          parse_forms, table_dump)
from planner.wsgi import create_app
from planner.core.weeks import parse_week
from web_support import PASSWORD, MONDAY, WEEK, Browser, csrf_token, file_and_assign

# POST routes: the page whose form posts to it (a form found there gives the field names and real URLs), and for
# a route the page's script calls (live proposals) the form whose fields it sends.
FORM_PAGES = {
    "auth.sign_in": "/sign-in",
    "auth.sign_in_code": "/sign-in/code",
    "auth.sign_out": "/overview",
    "i18n.switch": "/overview",
    "visits.new": "/visits/new",
    "visits.edit": "/visits/demo-03",
    "visits.proposals": "/visits/new",
    "plan.publish": f"/plan?week={WEEK}",
    "plan.again": f"/plan?week={WEEK}",
    "plan.cancel_job": f"/plan?week={WEEK}",
    # the trip actions are beside the board once a trip is selected: a draft one, or a published one
    "plan.accept": f"/plan?week={WEEK}&trip={{draft}}",
    "plan.pin": f"/plan?week={WEEK}&trip={{draft}}",
    "plan.move": f"/plan?week={WEEK}&trip={{draft}}",
    "plan.take_back": f"/plan?week={WEEK}&trip={{published}}",
    "schedule.decline": f"/schedule?week={WEEK}",
    "schedule.new_feed": "/schedule",
    "schedule.revoke_feed": "/schedule",
    "schedule.mark_seen": "/schedule",
    "availability.mine": "/availability",
    "availability.team_month": "/availability/team",
    "availability.delete_for_team": "/availability/team",
    "availability.delete": "/availability",
    "admin.users": "/admin/users",
    "admin.deactivate_user": "/admin/users/4",
    "admin.reactivate_user": "/admin/users/4",
    "admin.set_user_password": "/admin/users/4",
    "admin.unlock_user": "/admin/users/4",
    "admin.reset_user_totp": "/admin/users/4",
    "admin.password_sign_in": "/admin/users/4",
    "admin.unlink_sso": "/admin/users/4",
    "admin.new_office": "/admin/offices/new",
    "admin.edit_office": "/admin/offices/oulu",
    "admin.settings": "/admin/settings",
    "account.change_password": "/account",
    "account.sign_out_everywhere": "/account",
    "account.notices": "/account",
    "account.totp_start": "/account",
    "account.totp_setup": "/account/two-step",
    "account.totp_disable": "/account/two-step",
    "team.hours": "/team/oulu-sc/hours",
}
SCRIPT_POSTS = {"visits.proposals": "visits.new"}  # the script posts the visit form's fields here
# Forms no page shows to a test user without more set-up: their fields from the WTForms class.
# (An admin's unlock and two-step buttons show only for a locked account, one with two-step sign-in.)
FORM_FIELDS = {"auth.sign_in_code": ["code"], "admin.unlock_user": [], "admin.reset_user_totp": [],
               "plan.cancel_job": [],  # its button shows only while a plan job runs
               "schedule.mark_seen": ["shown", "week"]}  # its button shows only when something changed
# Set-up posts before fuzzing a route, so its form is on the page.
SETUP = {"admin.reactivate_user": ["/admin/users/4/deactivate"],
         "account.totp_setup": [("/account/two-step/start", {"start-current": PASSWORD})],
         "account.totp_disable": [("/account/two-step/start", {"start-current": PASSWORD})],
         "schedule.revoke_feed": ["/schedule/calendar"]}
# Query string names the views read (beyond the fields of a page's own GET forms).
QUERY_NAMES = ["week", "month", "q", "page", "job", "next", "lang", "visit", "start", "end"]
# Real values for URL arguments; hostile ones are added by the strategies.
URL_SAMPLES = {"visit_id": "demo-03", "trip_id": "none", "meeting_id": 1, "job_id": 1, "absence_id": 1, "token": "x",
                "filename": "app.css", "office_id": "oulu", "user_id": 4,
                "staff_id": "oulu-sc", "name": "visits"}
JSON_ENDPOINTS = {"visits.suggest_places", "plan.job", "plan.options", "home.health"}
# Fields whose valid values would start the optimizer in a child process ("plan again"): only invalid ones here.
NEVER_VALID = {("plan.again", "week")}
SLOW = {"visits.new", "visits.edit", "visits.proposals", "plan.move"}  # each valid example runs the proposer
# The sweeps send the visit forms as "save" (a valid form is stored, no proposer run: fast); the proposer's path is
# swept through visits.proposals and reached by the Hypothesis tests.
SWEEP_BASE = {"visits.new": [("action", "save")], "visits.edit": [("action", "save")]}
# Any action but "save" or "assign:..." shows proposals (0.4 s each): a few values are enough to cover that path.
FEW_EDGES = {("visits.new", "action"): ["", "²", "assign:", "assign:x" * 500],
             ("visits.edit", "action"): ["", "²", "assign:", "assign:x" * 500]}
MAX_SWEPT_NAMES = 12  # evenly spread over the names a route reads (the settings form has 40 of a few kinds)


def who_for(endpoint: str) -> str | None:
    if endpoint in roles.LEAD or endpoint in roles.LEAD_OR_ADMIN or endpoint in roles.SIGNED_IN:
        return "lead"
    if endpoint in roles.STAFF_MEMBER:
        return "oulu"
    if endpoint in roles.ADMIN:
        return "admin"
    assert endpoint in roles.PUBLIC, f"{endpoint} is not in tests/test_web_auth.py's role sets"
    return None


# The app ------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def fuzz_db_file(demo_db_file, tmp_path_factory):
    """The demo database with a published trip for Oulu's counsellor, a draft trip and an absence: every form of
    the app is on some page."""
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "fuzz.sqlite"
    shutil.copy(demo_db_file, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNER_INSTANCE", str(folder / "instance"))
        app = _app(path)
        lead = Browser(app)
        lead.sign_in("lead")
        file_and_assign(lead)  # Rovaniemi: Oulu's counsellor
        assert lead.post("/plan/publish", {"week": WEEK}).status_code == 302
        file_and_assign(lead, place="Tampere", case_code="")  # stays a draft
        oulu = Browser(app)
        oulu.sign_in("oulu")
        assert oulu.post("/availability", {"start": (MONDAY + timedelta(21)).isoformat(),
                                           "end": (MONDAY + timedelta(22)).isoformat(),
                                           "kind": "training"}).status_code == 302
    from planner.store.db import open_db
    db = open_db(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


def _app(database):
    return create_app({"TESTING": True, "DATABASE": str(database), "SECRET_KEY": "test-secret",
                       "PLAN_JOB_SOLVER": "greedy", "PLAN_JOB_TIME_LIMIT": 5})


@pytest.fixture
def fuzz_app(fuzz_db_file, monkeypatch):
    # In memory when the machine has /dev/shm: the fuzz commits thousands of small writes, each an fsync on disk.
    folder = Path(tempfile.mkdtemp(prefix="planner-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    monkeypatch.setenv("PLANNER_INSTANCE", str(folder / "instance"))
    database = folder / "planner.sqlite"
    shutil.copy(fuzz_db_file, database)
    yield _app(database)
    shutil.rmtree(folder, ignore_errors=True)


def _endpoint_of(app, path: str, method: str) -> str | None:
    try:
        return app.url_map.bind("localhost").match(urlsplit(path).path, method=method)[0]
    except (NotFound, MethodNotAllowed):
        return None


def _trips(app) -> dict[str, str]:
    """A draft and a published trip of the week, by state (the pages that show their forms select one); and user 4
    linked to a person at an identity provider (its page then shows the form that unlinks it)."""
    from planner.store.db import open_db
    db = open_db(app.config["DATABASE"])
    try:
        with db.conn:
            db.execute("update users set oidc_subject = 'https://login.example|fuzz' where id = 4")
        return {r["state"]: r["id"] for r in db.query("select state, max(id) as id from plan_trips group by state")}
    finally:
        db.close()


def _form_for(app, b: Browser, endpoint: str):
    """(the form's fields as a browser sends them, its select/checkbox choices, the real URLs it posts to)."""
    if endpoint in FORM_FIELDS:
        return [(name, "") for name in FORM_FIELDS[endpoint]], {}, [app.url_map._rules_by_endpoint[endpoint][0].rule]
    assert endpoint in FORM_PAGES, f"{endpoint}: add the page that shows its form to FORM_PAGES"
    source = SCRIPT_POSTS.get(endpoint, endpoint)
    page = FORM_PAGES[endpoint].format(**_trips(app))
    html = b.get(page).get_data(as_text=True)
    found, urls = None, []
    for form in parse_forms(html):
        if form.method != "post":
            continue
        action = form.action or page
        if _endpoint_of(app, action, "POST") == source:
            found = found or form
            urls.append(action)
    assert found is not None, f"no form posting to {source} on {page}: add the route to FORM_PAGES"
    if source != endpoint:
        urls = [app.url_map._rules_by_endpoint[endpoint][0].rule]
    choices = {f.name: f.options for f in found.fields if f.kind == "select" and f.options}
    choices.update({f.name: [f.value] for f in found.fields if f.kind in ("checkbox", "radio")})
    return [(k, v) for k, v in found.defaults() if k != "csrf_token"], choices, sorted(set(urls))


# Strategies -----------------------------------------------------------------------------------------------------

def _hostile_url(app, endpoint: str, real: list[str]) -> st.SearchStrategy[str]:
    """A real URL of the form, or the route with hostile values for its arguments."""
    rule = app.url_map._rules_by_endpoint[endpoint][0]
    if not rule.arguments:
        return st.sampled_from(real)

    def build(values: dict) -> str:
        path = rule.rule
        for name, value in values.items():
            path = re.sub(rf"<(?:[a-z]+:)?{name}>", lambda _: quote(str(value), safe=""), path)
        return path

    args = {}
    for name in rule.arguments:
        if isinstance(rule._converters[name], IntegerConverter):
            args[name] = st.one_of(st.integers(0, 100), st.integers(0, 2 ** 80), st.sampled_from([2 ** 63, 10 ** 30]))
        else:
            args[name] = st.one_of(st.just(URL_SAMPLES[name]), hostile_text())
    return st.one_of(st.sampled_from(real), st.fixed_dictionaries(args).map(build))


def _field_value(endpoint: str, name: str, default: str, options: list[str]):
    """What to send for one field: nothing, its value, a valid choice, a hostile value, or several values."""
    hostile = hostile_text()
    if (endpoint, name) in NEVER_VALID:
        return st.lists(hostile.filter(lambda v: not _is_week(v)), max_size=2)
    valid = st.sampled_from(options) if options else st.just(default)
    return st.one_of(st.just([default]), valid.map(lambda v: [v]), hostile.map(lambda v: [v]), st.just([]),
                     st.lists(st.one_of(valid, hostile), min_size=2, max_size=3))


def _is_week(text: str) -> bool:
    try:
        parse_week(text)
    except ValueError:
        return False
    return True


def _body(endpoint: str, fields: list[tuple[str, str]], choices: dict) -> st.SearchStrategy:
    """('form', pairs) most of the time; sometimes a JSON body or raw bytes with any content type."""
    per_field = st.tuples(*[_field_value(endpoint, n, v, choices.get(n, [])) for n, v in fields]) if fields \
        else st.just(())
    extra = st.lists(st.tuples(st.one_of(hostile_text(), st.sampled_from(QUERY_NAMES + ["action", "version"])),
                               hostile_text()), max_size=3)
    form = st.builds(lambda values, more: ("form", [(n, v) for (n, _), vs in zip(fields, values) for v in vs] + more),
                     per_field, extra)
    as_json = hostile_json().map(lambda doc: ("json", doc))
    raw = st.tuples(st.binary(max_size=100), st.sampled_from(["application/octet-stream", "text/plain",
                                                               "application/x-www-form-urlencoded",
                                                               "multipart/form-data; boundary=x", "application/json"]))
    return st.one_of(form, form, form, form, as_json, raw.map(lambda r: ("raw", r)))


def _post(b: Browser, url: str, body):
    kind, payload = body
    headers = {"X-CSRFToken": b.token}
    if kind == "form":
        data = MultiDict(payload)
        data.setlist("csrf_token", [b.token])  # a valid token: the fuzz is about what comes with it
        return b.client.post(url, data=data, headers=headers)
    if kind == "json":
        return b.client.post(url, data=json.dumps(payload), content_type="application/json", headers=headers)
    raw, content_type = payload
    return b.client.post(url, data=raw, content_type=content_type, headers=headers)


# What a route may answer to bad input: the page (with its messages), a redirect, or a clear 4xx. 403 is not among
# them: every route is fuzzed as the role allowed to use it.
ANSWERS = {200, 302, 303, 400, 404, 405, 409, 413, 415, 422, 429}


def _check(response, before: dict, after: dict, where) -> None:
    assert response.status_code in ANSWERS, (where, response.status_code)
    text = response.get_data(as_text=True)
    assert_no_crash_text(text, where)
    if 400 <= response.status_code < 500:
        assert not changed_tables(before, after), (where, response.status_code, changed_tables(before, after))
    response.close()


_SESSIONS: dict[str, str] = {}  # who -> session cookie: every app copy has the same users and secret key


def _signed_in(app, endpoint: str) -> Browser:
    """A browser signed in as the role the route allows. The session cookie of the last sign-in is reused (a
    sign-in hashes the password with scrypt, 0.2 s) as long as the app still takes it."""
    b = Browser(app)
    who = who_for(endpoint)
    if who in _SESSIONS:
        b.client.set_cookie("session", _SESSIONS[who])
        page = b.client.get("/account")
        if page.status_code == 200:
            b.token = csrf_token(page)
        else:  # (sessions are kept on the server: one from another app copy's database is not)
            del _SESSIONS[who]
            b = Browser(app)
    if who and who not in _SESSIONS:
        b.sign_in(who)
        _SESSIONS[who] = b.client.get_cookie("session").value
    for entry in SETUP.get(endpoint, []):
        url, data = (entry, {}) if isinstance(entry, str) else entry
        assert b.post(url, data).status_code < 400
    return b


# The tests ------------------------------------------------------------------------------------------------------

def _routes(methods: str) -> list[str]:
    """The app's endpoints that take ``methods`` (read when the tests are collected: one test per route)."""
    folder = tempfile.mkdtemp()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PLANNER_INSTANCE", folder)
            app = _app(f"{folder}/routes.sqlite")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return sorted({r.endpoint for r in app.url_map.iter_rules() if methods in r.methods})


POST_ROUTES = _routes("POST")
GET_ROUTES = _routes("GET")


def test_every_route_is_fuzzed(fuzz_app):
    """A new route must be added here (its form page, its URL arguments) so that it is fuzzed like the others."""
    for rule in fuzz_app.url_map.iter_rules():
        who_for(rule.endpoint)
        assert set(rule.arguments) <= set(URL_SAMPLES), (rule.rule, "add a sample value to URL_SAMPLES")
        if "POST" in rule.methods:
            assert rule.endpoint in FORM_PAGES, f"{rule.endpoint}: add the page that shows its form to FORM_PAGES"
    assert set(POST_ROUTES) == set(FORM_PAGES)


@pytest.mark.parametrize("endpoint", POST_ROUTES)
def test_post_routes_answer_hostile_forms_without_crashing(fuzz_app, endpoint):
    b = _signed_in(fuzz_app, endpoint)
    fields, choices, urls = _form_for(fuzz_app, b, endpoint)
    database = fuzz_app.config["DATABASE"]

    @fuzz_settings(12 if endpoint in SLOW else 20)
    @given(url=_hostile_url(fuzz_app, endpoint, urls), body=_body(endpoint, fields, choices))
    def run(url, body):
        before = table_dump(database)
        response = _post(b, url, body)
        _check(response, before, table_dump(database), (endpoint, url, body))

    run()


def _real_url(app, endpoint: str) -> str:
    path = app.url_map._rules_by_endpoint[endpoint][0].rule
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(URL_SAMPLES[m[1]]), path)


@pytest.mark.parametrize("endpoint", GET_ROUTES)
def test_get_routes_answer_hostile_queries_without_crashing(fuzz_app, endpoint):
    b = _signed_in(fuzz_app, endpoint)
    real = _real_url(fuzz_app, endpoint)
    names = list(QUERY_NAMES)
    page = b.get(real)
    if page.status_code == 200 and page.mimetype == "text/html":
        names += [f.name for form in parse_forms(page.get_data(as_text=True)) if form.method == "get"
                  for f in form.fields]
    page.close()
    database = fuzz_app.config["DATABASE"]
    query = st.lists(st.tuples(st.one_of(st.sampled_from(sorted(set(names))), hostile_text()),
                               st.one_of(hostile_text(), st.sampled_from([WEEK, MONDAY.isoformat(), "2026-12"]))),
                     max_size=4)

    @fuzz_settings(15)
    @given(url=_hostile_url(fuzz_app, endpoint, [real]), query=query)
    def run(url, query):
        before = table_dump(database)
        response = b.client.get(url, query_string=MultiDict(query))
        if endpoint in JSON_ENDPOINTS and response.status_code == 200:
            json.loads(response.get_data(as_text=True))
        _check(response, before, table_dump(database), (endpoint, url, query))

    run()


# Sweeps: every edge value in every argument a route reads -----------------------------------------------------

class _Recorder(MultiDict):
    """Query or form arguments that remember which names the view asked for."""
    asked: set[str] = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        self.asked.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        self.asked.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)


def _names_read(app, send) -> set[str]:
    """The query and form names the view reads while answering ``send()`` (a request made by the caller)."""
    base = app.request_class
    asked: set[str] = set()

    class Recording(base):
        @property
        def args(self):
            recorder = _Recorder(super().args)
            recorder.asked = asked
            return recorder

        @property
        def form(self):
            recorder = _Recorder(super().form)
            recorder.asked = asked
            return recorder

    app.request_class = Recording
    try:
        send().close()
    finally:
        app.request_class = base
    return asked - {"csrf_token"}


def _edges(endpoint: str, name: str) -> list[str]:
    return [v for v in FEW_EDGES.get((endpoint, name), EDGES) if not ((endpoint, name) in NEVER_VALID and _is_week(v))]


@pytest.mark.parametrize("endpoint", GET_ROUTES)
def test_get_routes_take_every_edge_value_in_every_argument_they_read(fuzz_app, endpoint):
    b = _signed_in(fuzz_app, endpoint)
    url = _real_url(fuzz_app, endpoint)
    names = _names_read(fuzz_app, lambda: b.get(url))
    database = fuzz_app.config["DATABASE"]
    before = table_dump(database)
    for name in sorted(names):
        for value in _edges(endpoint, name):
            response = b.get(url, query_string={name: value})
            _check(response, before, before, (endpoint, name, value))
    assert not changed_tables(before, table_dump(database)), "a GET changed the data"


@pytest.mark.parametrize("endpoint", POST_ROUTES)
def test_post_routes_take_every_edge_value_in_every_field_they_read(fuzz_app, endpoint):
    b = _signed_in(fuzz_app, endpoint)
    fields, _choices, urls = _form_for(fuzz_app, b, endpoint)
    fields = [(n, "not-a-week" if (endpoint, n) in NEVER_VALID else v) for n, v in fields
              if n not in dict(SWEEP_BASE.get(endpoint, []))] + SWEEP_BASE.get(endpoint, [])
    names = sorted(_names_read(fuzz_app, lambda: _post(b, urls[0], ("form", fields))) | {n for n, _ in fields})
    database = fuzz_app.config["DATABASE"]
    for name in names[::max(1, -(-len(names) // MAX_SWEPT_NAMES))]:
        for value in _edges(endpoint, name):
            pairs = [(n, v) for n, v in fields if n != name] + [(name, value)]
            before = table_dump(database)
            response = _post(b, urls[0], ("form", pairs))
            _check(response, before, table_dump(database), (endpoint, name, value))


def test_a_body_over_the_limit_is_refused_and_changes_nothing(fuzz_app):
    b = _signed_in(fuzz_app, "visits.new")
    before = table_dump(fuzz_app.config["DATABASE"])
    response = b.post("/visits/new", {"place": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413
    assert table_dump(fuzz_app.config["DATABASE"]) == before



# Crashes the fuzz found, kept as plain examples: each was a 500 before its fix. -----------------------------------

@pytest.mark.parametrize("who, method, url, data, status", [
    ("lead", "GET", "/plan/jobs/9223372036854775808", None, 404),            # id beyond SQLite's integers
    ("lead", "POST", "/plan/meetings/99999999999999999999/pin", {}, 404),
    ("oulu", "POST", "/availability/9223372036854775808/delete", {}, 404),
    ("lead", "GET", f"/plan?week={WEEK}&job=²", None, 200),                  # "²".isdigit() but int("²") fails
    ("lead", "GET", f"/plan?week={WEEK}&job=99999999999999999999", None, 200),
    ("admin", "GET", "/admin/audit?page=²", None, 404),
    ("admin", "GET", "/admin/audit?end=9999-12-31", None, 200),              # the day after the last day
    ("lead", "GET", "/plan?week=9999-W52", None, 404),                       # the week after does not exist
    ("lead", "GET", "/map?week=0001-W01", None, 404),                        # nor the week before
    ("oulu", "GET", "/schedule?week=9999-W52", None, 404),
    ("lead", "GET", "/availability/team?month=9999-12", None, 404),
    ("lead", "GET", "/availability/team?month=0001-01", None, 404),
    ("lead", "POST", "/plan/publish", {"week": "9999-W52"}, 400),
    ("lead", "POST", "/plan/trips/none/accept", {"version": "²"}, 404),
    ("lead", "POST", "/visits/demo-03", {"action": "save", "version": "²"}, 422),
    ("lead", "POST", "/visits/proposals", "json:false", 415),                 # a JSON body reached Flask-WTF's forms
    ("admin", "POST", "/admin/users", "json:[1, 2]", 415),
])
def test_crashes_found_by_the_fuzz_stay_fixed(fuzz_app, who, method, url, data, status):
    b = _signed_in(fuzz_app, {"lead": "plan.index", "oulu": "schedule.index", "admin": "admin.users"}[who])
    before = table_dump(fuzz_app.config["DATABASE"])
    if method == "GET":
        response = b.get(url)
    elif isinstance(data, str):
        response = _post(b, url, ("json", json.loads(data.removeprefix("json:"))))
    else:
        response = _post(b, url, ("form", list(data.items())))
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    _check(response, before, table_dump(fuzz_app.config["DATABASE"]), url)


def test_a_visit_window_of_centuries_is_refused_next_to_its_field(fuzz_app):
    """Found by the fuzz: 0001-01-01 to 9999-12-31 passed the checks, then the proposer tried every day of it (and
    overflowed at the end of the calendar)."""
    b = _signed_in(fuzz_app, "visits.edit")
    before = table_dump(fuzz_app.config["DATABASE"])
    form = {"kind": "client", "place": "Kemi", "earliest": "0001-01-01", "latest": "9999-12-31", "duration_min": "90",
            "staff_needed": "1", "priority": "normal", "action": "save"}
    response = b.post("/visits/demo-03", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "0001-01-01 ei ole vuosien 2000–2100 välillä" in page
    assert 'value="9999-12-31"' in page  # the form keeps what was typed
    long = b.post("/visits/demo-03", dict(form, earliest=MONDAY.isoformat(),
                                          latest=(MONDAY + timedelta(400)).isoformat()))
    assert long.status_code == 422 and "on 400 päivää aikaisimman päivän jälkeen (enintään 365)" in long.get_data(
        as_text=True)
    assert table_dump(fuzz_app.config["DATABASE"]) == before
