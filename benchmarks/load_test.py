"""Load test (issue 5, item 8): the app under gunicorn on loopback, 50 simulated people signing in and browsing
while a weekly plan run (cp-sat) commits, and leads edit.

1. A fresh instance in a temporary folder: ``planner init-db --demo``, one user per demo staff member (a few of
   them leads) with a known password, a calendar-feed token per staff user, and the demo week planned (greedy)
   with half of it published, so schedules and feeds have trips and the week plan has drafts to pin and move.
2. gunicorn with ``planner.wsgi:app`` on 127.0.0.1 as in production (PLANNER_ENV=production, PROXY_FIX=1, JSON
   logs to a file); the clients send what the TLS proxy would (X-Forwarded-Proto: https, X-Forwarded-For).
3. ``--users`` simulated people (``--leads`` of them leads) in ``--processes`` client processes, one keep-alive
   connection each, for ``--seconds``: sign in (CSRF token from the page), then browse with a pause of 0 to
   2 × ``--think`` seconds between pages. Leads: overview, week plan, visit pages, team availability, map; now and
   then they change the duration of one of their own visits, pin or move one of their visits' meetings, or add an
   absence. Staff: their schedule, their absences, their calendar feed; now and then they add an absence. Every
   simulated lead edits only its own visits, so an edit can only be undone by the system, never by a colleague.
4. ``--plan-at`` seconds in, ``planner plan-week`` (cp-sat, ``--plan-time-limit``) runs on the same database and
   commits while all of that goes on.
5. At the end: requests, errors (any 5xx, connection failure or unexpected status: a refused stale edit, 409, is
   expected and counted apart), latency p50/p95/p99 per page kind and overall (client side, and server side from
   the log), and every edit the server confirmed is checked in the database: durations, absences, pins and moves.
   Exit status 1 when there was an error, the plan run failed, or an edit was lost.

    .venv/bin/python benchmarks/load_test.py [--seconds 60] [--users 50] [--leads 10] [--workers 3] [--threads 8]
                                             [--plan-at 10] [--plan-time-limit 30] [--think 0.5] [--json]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "load test password 2026 - not a real one"
LEAD_STAFF = ("hel-sw", "lpr-si", "tre-si1", "oulu-sc")  # the demo staff whose users are leads
PERCENTILES = (50, 95, 99)


# Set-up ----------------------------------------------------------------------------------------------------------

@dataclass
class Account:
    email: str
    role: str
    staff: str
    token: str | None = None  # calendar feed


@dataclass
class Setup:
    instance: Path
    week: str
    monday: date
    visits: list[str]
    accounts: list[Account]


def planner_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from planner.cli import main; sys.exit(main())", *args]


def build_instance(folder: Path) -> Setup:
    """The demo data through ``planner init-db --demo``, users, feed tokens, and the demo week planned (greedy)
    with half of its trips published."""
    instance = folder / "instance"
    env = dict(os.environ, PLANNER_INSTANCE=str(instance))
    subprocess.run(planner_command("init-db", "--demo"), env=env, check=True, stdout=subprocess.DEVNULL)
    (instance / "config.py").write_text(f"PROXY_FIX = 1\nLOG_FILE = {str(folder / 'planner.log')!r}\n")

    from planner.accounts.calendar_tokens import new_calendar_token
    from planner.planning import actions
    from planner.store import plan_queries
    from planner.store.db import open_db
    from planner.ops.demo import next_monday
    from planner.planning.week_load import load_week
    from planner.store.plan_runs import save_plan_run
    from planner.optimize.run import plan_week
    from planner.core.settings import DEFAULT_SETTINGS
    from planner.core.travel import travel_model
    from planner.accounts.users import create_user
    from planner.core.weeks import week_of

    db = open_db(instance / "planner.sqlite")
    monday = next_monday(date.today())
    week = week_of(monday)
    accounts = []
    for row in db.query("select id from staff order by id"):
        role = "lead" if row["id"] in LEAD_STAFF else "staff"
        account = Account(f"{row['id']}@load.invalid", role, row["id"])
        user_id = create_user(db, account.email, PASSWORD, role, row["id"], actor="load-test")
        account.token = new_calendar_token(db, user_id)
        accounts.append(account)
    plan = plan_week(load_week(db, week, DEFAULT_SETTINGS, travel_model(DEFAULT_SETTINGS)), "greedy", 10)
    save_plan_run(db, plan, created_by="load-test")
    trips = plan_queries.trips_of_week(db, week)
    actions.publish(db, week, "load-test", [t["id"] for t in trips[: len(trips) // 2]])
    visits = [r["id"] for r in db.query("select id from visits where earliest <= ? and latest >= ? order by id",
                                        [(monday + timedelta(6)).isoformat(), monday.isoformat()])]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return Setup(instance, week, monday, visits, accounts)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(setup: Setup, port: int, workers: int, threads: int, folder: Path) -> subprocess.Popen:
    env = dict(os.environ, PLANNER_INSTANCE=str(setup.instance), PLANNER_ENV="production")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--keep-alive", "5", "--timeout", "60", "--no-control-socket",
         "planner.wsgi:app"],
        cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=open(folder / "gunicorn.err", "w"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped:\n" + (folder / "gunicorn.err").read_text())
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /health within 60 s")


# The simulated browser ------------------------------------------------------------------------------------------

class Forms(HTMLParser):
    """The forms of a page (action, fields as a browser would send them) and, for each, the visit link last seen
    before it (the week plan puts a meeting's "request" link just before its pin and move forms)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False
        self._visit: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and (a.get("href") or "").startswith("/visits/"):
            self._visit = a["href"].removeprefix("/visits/")
        elif tag == "form":
            self._form = {"action": a.get("action"), "fields": [], "visit": self._visit}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "image"):
                self._form["fields"].append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select, self._first_option, self._selected = a.get("name"), None, False
            self._form.setdefault("options", {})[a.get("name")] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self._form["options"][self._select].append(value)
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._form["fields"].append((self._select, value))
                self._selected = True

    def handle_endtag(self, tag):
        if tag == "select" and self._select and self._form is not None:
            if not self._selected and self._first_option is not None:
                self._form["fields"].append((self._select, self._first_option))
            self._select = None
        elif tag == "form":
            self._form = None


class Browser:
    """One person's browser: a keep-alive connection, cookies, English pages (the flashed messages are read), and
    the headers the TLS proxy adds."""

    def __init__(self, port: int, address: str, record):
        self.port, self.address, self.record = port, address, record
        self.conn: http.client.HTTPConnection | None = None
        self.cookies = {"lang": "en"}
        self.reconnects = 0
        self.page, self.page_path = "", "/"  # the last page shown (its CSRF token signs the next form)

    def _send(self, method, path, body, headers):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.conn.request(method, path, body=body, headers=headers)
        return self.conn.getresponse()

    def request(self, kind: str, method: str, path: str, form: list | dict | None = None,
                expect: tuple[int, ...] = (200,), cookies: bool = True) -> tuple[int, dict, str]:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address, "User-Agent": "planner-load"}
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # As a browser does (Referrer-Policy: same-origin); CSRF protection over HTTPS requires it.
            headers["Referer"] = f"https://127.0.0.1:{self.port}{self.page_path}"
        started = time.perf_counter()
        try:
            try:
                response = self._send(method, path, body, headers)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the idle keep-alive connection first: a browser opens a new one and sends again.
                self.conn.close()
                self.conn = None
                self.reconnects += 1
                response = self._send(method, path, body, headers)
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.record(kind, (time.perf_counter() - started) * 1000, None, f"{type(exc).__name__}: {exc}")
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return 0, {}, ""
        elapsed = (time.perf_counter() - started) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            if cookies:
                self._keep_cookie(value)
        status = response.status
        if status == 200 and method == "GET":
            self.page, self.page_path = text, path
        self.record(kind, elapsed, status, None if status in expect else f"status {status} for {method} {kind}")
        return status, dict(response.headers), text

    def _keep_cookie(self, header: str) -> None:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            gone = morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"])
            if gone or morsel.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def follow(self, kind: str, headers: dict) -> str:
        parts = urlsplit(headers.get("Location", "/"))
        return self.request(kind, "GET", parts.path + (f"?{parts.query}" if parts.query else ""))[2]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    return match[1] if match else ""


# The simulated people ---------------------------------------------------------------------------------------------

@dataclass
class Person:
    index: int
    email: str
    role: str
    staff: str
    token: str | None
    arrives: float = 0.0  # when the person opens the sign-in page (time.time())
    visits: list[str] = field(default_factory=list)  # a lead's own visits (only they edit them)


def person_thread(p: Person, port: int, week: str, monday: date, week_visits: list[str], deadline: float,
                  think: float, edit_every: float, absence_every: float, out: dict, lock: threading.Lock) -> None:
    rng = random.Random(p.index * 7919)
    time.sleep(max(0.0, p.arrives - time.time()))
    samples, errors, edits = [], [], []

    def record(kind, ms, status, error):
        samples.append((kind, ms, status, time.time()))
        if error:
            errors.append({"person": p.index, "kind": kind, "error": error, "at": time.time()})

    browser = Browser(port, f"10.{p.index // 250}.{p.index % 250}.{1 + p.index % 200}", record)
    feed_reader = Browser(port, f"10.200.{p.index % 250}.1", record)  # the person's calendar app

    def sign_in() -> str:
        page = browser.request("sign-in page", "GET", "/sign-in")[2]
        status, headers, _ = browser.request("sign-in", "POST", "/sign-in", {
            "email": p.email, "password": PASSWORD, "csrf_token": csrf_of(page)}, expect=(302,))
        return browser.follow("start page", headers) if status == 302 else ""

    def pause():
        time.sleep(rng.uniform(0, 2 * think))

    def edit_duration():
        visit = rng.choice(p.visits)
        page = browser.request("visit", "GET", f"/visits/{visit}")[2]
        form = next((f for f in Forms(page).forms if any(k == "duration_min" for k, _v in f["fields"])), None)
        if form is None:
            return
        current = dict(form["fields"]).get("duration_min")
        value = rng.choice([v for v in ("60", "75", "90", "105", "120") if v != current])
        fields = [(k, value if k == "duration_min" else v) for k, v in form["fields"] if k != "action"]
        fields.append(("action", "save"))
        status, headers, _ = browser.request("edit visit", "POST", f"/visits/{visit}", fields, expect=(302, 409))
        if status == 302:
            edits.append({"kind": "duration", "visit": visit, "value": int(value), "at": time.time()})
        elif status == 409:
            edits.append({"kind": "refused", "visit": visit, "at": time.time()})

    def add_absence():
        page = browser.request("availability", "GET", "/availability")[2]
        first = monday + timedelta(rng.randrange(0, 56))
        last = first + timedelta(rng.randrange(0, 3))
        kind = rng.choice(["vacation", "training", "other", "sick_leave"])
        status, headers, _ = browser.request("add absence", "POST", "/availability", {
            "csrf_token": csrf_of(page), "start": first.isoformat(), "end": last.isoformat(), "kind": kind},
            expect=(302,))
        if status == 302:
            after = browser.follow("availability", headers)
            if "Absence saved." in after or "That absence was already recorded." in after:
                edits.append({"kind": "absence", "staff": p.staff, "from": first.isoformat(),
                              "to": last.isoformat(), "absence": kind, "at": time.time()})
            else:
                errors.append({"person": p.index, "kind": "add absence", "error": "no confirmation",
                               "at": time.time()})

    def edit_meeting():
        page = browser.request("plan", "GET", f"/plan?week={week}")[2]
        forms = Forms(page).forms
        mine = [f for f in forms if f["visit"] in p.visits and re.fullmatch(r"/plan/meetings/\d+/(pin|move)",
                                                                               f["action"] or "")]
        if not mine:
            return
        visit = rng.choice(sorted({f["visit"] for f in mine}))
        pin = next((f for f in mine if f["visit"] == visit and f["action"].endswith("/pin")), None)
        move = next((f for f in mine if f["visit"] == visit and f["action"].endswith("/move")), None)
        meeting = int(re.search(r"/meetings/(\d+)/", (pin or move)["action"])[1])
        if pin and dict(pin["fields"]).get("pinned") == "1" and rng.random() < 0.5:
            status, headers, _ = browser.request("pin", "POST", pin["action"], pin["fields"], expect=(302, 409))
            if status == 302 and "Pinned" in browser.follow("plan", headers):
                edits.append({"kind": "pin", "visit": visit, "meeting": meeting, "at": time.time()})
        elif move:
            fields = dict(move["fields"])
            days = [d for d in move.get("options", {}).get("day", []) if d != fields.get("day")]
            if not days:
                return
            day = rng.choice(days)
            staff = [v for k, v in move["fields"] if k == "staff"]
            sent = [(k, day if k == "day" else v) for k, v in move["fields"]]
            status, headers, _ = browser.request("move", "POST", move["action"], sent, expect=(302, 409))
            if status == 302:
                after = browser.follow("plan", headers)
                if "Moved." in after:
                    edits.append({"kind": "move", "visit": visit, "day": day, "staff": sorted(staff),
                                  "at": time.time()})
                elif "Could not move" not in after:
                    errors.append({"person": p.index, "kind": "move", "error": "no confirmation", "at": time.time()})

    lead_pages = [("overview", "/overview"), ("plan", f"/plan?week={week}"), ("visit", None),
                  ("team availability", f"/availability/team?month={monday:%Y-%m}"), ("map", f"/map?week={week}"),
                  ("schedule", f"/schedule?week={week}")]
    staff_pages = [("schedule", f"/schedule?week={week}"), ("availability", "/availability"), ("feed", None),
                   ("schedule", "/schedule")]
    sign_in()
    next_edit = time.monotonic() + rng.uniform(0, 2 * edit_every)
    next_absence = time.monotonic() + rng.uniform(0, 2 * absence_every)
    while time.time() < deadline:
        now = time.monotonic()
        if p.role == "lead" and p.visits and now >= next_edit:
            next_edit = now + rng.uniform(0.5, 1.5) * edit_every
            rng.choice([edit_duration, edit_meeting, edit_meeting])()
        elif now >= next_absence:
            next_absence = now + rng.uniform(0.5, 1.5) * absence_every
            add_absence()
        else:
            kind, path = rng.choice(lead_pages if p.role == "lead" else staff_pages)
            if kind == "visit":
                path = f"/visits/{rng.choice(week_visits)}"
            if kind == "feed":
                feed_reader.request("feed", "GET", f"/calendar/{p.token}.ics", cookies=False)
            else:
                browser.request(kind, "GET", path)
            if rng.random() < 0.003:  # now and then someone signs out and back in
                browser.request("sign-out", "POST", "/sign-out", {"csrf_token": csrf_of(browser.page)}, expect=(302,))
                sign_in()
        pause()
    with lock:
        out["samples"].extend(samples)
        out["errors"].extend(errors)
        out["edits"].extend(edits)
        out["reconnects"] += browser.reconnects + feed_reader.reconnects


def client_process(people: list[Person], port: int, week: str, monday: date, week_visits: list[str],
                   deadline: float, think: float, edit_every: float, absence_every: float) -> dict:
    """Runs in a client process: one thread per simulated person; returns what they measured and did."""
    out = {"samples": [], "errors": [], "edits": [], "reconnects": 0}
    lock = threading.Lock()
    threads = [threading.Thread(target=person_thread, args=(p, port, week, monday, week_visits, deadline, think,
                                                            edit_every, absence_every, out, lock))
               for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def make_people(setup: Setup, users: int, leads: int, start: float, ramp: float) -> list[Person]:
    lead_accounts = [a for a in setup.accounts if a.role == "lead"]
    staff_accounts = [a for a in setup.accounts if a.role == "staff"]
    people = []
    for i in range(users):
        account = lead_accounts[i % len(lead_accounts)] if i < leads else staff_accounts[i % len(staff_accounts)]
        people.append(Person(i, account.email, account.role, account.staff, account.token,
                             arrives=start + ramp * i / users))
    for n, visit in enumerate(setup.visits):  # each visit has one owner among the simulated leads
        people[n % leads].visits.append(visit)
    return people


# The plan run and the checks --------------------------------------------------------------------------------------

def plan_run(setup: Setup, time_limit: float, hold: float, folder: Path, result: dict) -> None:
    """``planner plan-week`` on the same database. With ``hold``, the run waits that long between solving and
    writing (the hook tests/test_concurrent_edits.py uses), so edits are certainly made after it read the week and
    before it commits: the demo week solves to optimality in well under a second."""
    env = dict(os.environ, PLANNER_INSTANCE=str(setup.instance), PLANNER_ENV="production")
    marker = folder / "plan-run-holds"
    if hold > 0:
        env["PLANNER_TEST_PAUSE"] = f"before-save:{marker}"
    result["started"] = time.time()
    process = subprocess.Popen(planner_command("plan-week", "--week", setup.week, "--solver", "cp-sat",
                                               "--time-limit", str(time_limit)),
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if hold > 0:
        while not marker.exists() and process.poll() is None:
            time.sleep(0.05)
        if marker.exists():
            result["held_at"] = time.time()
            time.sleep(hold)
            marker.unlink()
    stdout, stderr = process.communicate()
    result.update(finished=time.time(), returncode=process.returncode, stdout=stdout, stderr=stderr)


def check_edits(database: Path, week: str, edits: list[dict]) -> list[str]:
    """Every edit the server confirmed, as the person left it (the last one of each kind per visit), is in the
    database after the run. Returns what is missing."""
    db = sqlite3.connect(database)
    db.row_factory = sqlite3.Row
    lost = []
    last_duration: dict[str, dict] = {}
    last_meeting: dict[str, dict] = {}
    for e in sorted(edits, key=lambda e: e["at"]):
        if e["kind"] == "duration":
            last_duration[e["visit"]] = e
        elif e["kind"] in ("pin", "move"):
            last_meeting[e["visit"]] = e
        elif e["kind"] == "absence":
            if not db.execute("select 1 from absences where staff = ? and from_date = ? and to_date = ? and kind = ?",
                              [e["staff"], e["from"], e["to"], e["absence"]]).fetchone():
                lost.append(f"absence {e['staff']} {e['from']}–{e['to']} ({e['absence']})")
    for visit, e in last_duration.items():
        now = db.execute("select duration_min from visits where id = ?", [visit]).fetchone()
        if now is None or now["duration_min"] != e["value"]:
            lost.append(f"visit {visit}: duration {e['value']} min, now {now and now['duration_min']}")
    active = {}
    for r in db.execute("""select m.* from meetings m join plan_runs r on r.id = m.plan_run
                           where r.week = ? and r.state != 'superseded' and m.state = 'active'""", [week]):
        active.setdefault(r["visit"], []).append(dict(r))
    for visit, e in last_meeting.items():
        mine = active.get(visit, [])
        if e["kind"] == "pin":
            pinned = db.execute("select start, staff from meetings where id = ?", [e["meeting"]]).fetchone()
            ok = any(m["pinned"] and m["start"] == pinned["start"] and sorted(json.loads(m["staff"])) ==
                     sorted(json.loads(pinned["staff"])) for m in mine)
            what = f"pinned meeting {pinned['start']} {sorted(json.loads(pinned['staff']))}"
        else:
            ok = any(m["pinned"] and m["start"][:10] == e["day"] and sorted(json.loads(m["staff"])) == e["staff"]
                     for m in mine)
            what = f"meeting moved to {e['day']} with {', '.join(e['staff'])}"
        if not ok:
            lost.append(f"visit {visit}: {what}; now "
                        + ("; ".join(f"{m['start']} {json.loads(m['staff'])} pinned={m['pinned']}" for m in mine)
                           or "no active meeting"))
    db.close()
    return lost


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {f"p{q}": None for q in PERCENTILES}
    if len(values) == 1:
        return {f"p{q}": round(values[0], 1) for q in PERCENTILES}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {f"p{q}": round(cuts[q - 1], 1) for q in PERCENTILES}


def plan_events(log_file: Path) -> dict[str, dict]:
    """The plan run's structured events from the app's log, with ``at`` as a Unix time."""
    from datetime import datetime
    events = {}
    if log_file.exists():
        for line in log_file.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if entry.get("logger") == "planner.plan":
                events[entry["event"]] = dict(entry, at=datetime.fromisoformat(entry["time"]).timestamp())
    return events


def server_side(log_file: Path) -> dict:
    """From the app's own JSON log: requests, 5xx, and duration percentiles per endpoint."""
    by_endpoint: dict[str, list[float]] = {}
    server_errors = 0
    if log_file.exists():
        for line in log_file.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if entry.get("event") == "request":
                by_endpoint.setdefault(entry["endpoint"] or "(none)", []).append(entry["duration_ms"])
                server_errors += entry["status"] >= 500
            elif entry.get("level") == "error":
                server_errors += entry.get("event") == "unhandled error"
    every = [ms for values in by_endpoint.values() for ms in values]
    return {"requests": len(every), "server_errors": server_errors, "overall": percentiles(every),
            "by_endpoint": {k: {"n": len(v), **percentiles(v)} for k, v in sorted(by_endpoint.items())}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long the people browse (default 60)")
    parser.add_argument("--users", type=int, default=50, help="simulated people (default 50)")
    parser.add_argument("--leads", type=int, default=10, help="how many of them are leads (default 10)")
    parser.add_argument("--processes", type=int, default=5, help="client processes (default 5)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (default 8)")
    parser.add_argument("--think", type=float, default=0.5, help="mean pause between pages, s (default 0.5)")
    parser.add_argument("--edit-every", type=float, default=8, help="mean seconds between a lead's edits (8)")
    parser.add_argument("--absence-every", type=float, default=60,
                        help="mean seconds between a person's new absences (60)")
    parser.add_argument("--ramp", type=float, default=10, help="people arrive over this many seconds (10)")
    parser.add_argument("--plan-at", type=float, default=20, help="start the plan run after this many s (20)")
    parser.add_argument("--plan-time-limit", type=float, default=30, help="the plan run's --time-limit (30)")
    parser.add_argument("--hold", type=float, default=15,
                        help="seconds the plan run waits between solving and committing (15; 0: none)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance folder and log")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if not 0 < args.leads <= args.users:
        parser.error("--leads must be between 1 and --users")

    folder = Path(tempfile.mkdtemp(prefix="planner-load-"))
    say = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    say(f"Setting up in {folder} ...")
    setup = build_instance(folder)
    port = free_port()
    server = start_server(setup, port, args.workers, args.threads, folder)
    say(f"gunicorn on 127.0.0.1:{port} ({args.workers} workers × {args.threads} threads); {args.users} people "
        f"({args.leads} leads) for {args.seconds:.0f} s; plan run (cp-sat, {args.plan_time_limit:.0f} s) at "
        f"{args.plan_at:.0f} s; week {setup.week}")
    started = time.time()
    deadline = started + args.seconds
    people = make_people(setup, args.users, args.leads, started, args.ramp)
    groups = [people[i::args.processes] for i in range(args.processes)]
    run: dict = {}
    try:
        with ProcessPoolExecutor(len(groups), mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(client_process, group, port, setup.week, setup.monday, setup.visits, deadline,
                                   args.think, args.edit_every, args.absence_every) for group in groups if group]
            time.sleep(max(0.0, started + args.plan_at - time.time()))
            plan_run(setup, args.plan_time_limit, args.hold, folder, run)
            results = [f.result() for f in futures]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    elapsed = time.time() - started

    samples = [s for r in results for s in r["samples"]]
    errors = [e for r in results for e in r["errors"]]
    edits = [e for r in results for e in r["edits"]]
    plan_ok = run.get("returncode") == 0
    events = plan_events(folder / "planner.log")
    read_at = events.get("plan run started", {}).get("at", run["started"])  # logged right after it read the week
    committed_at = events.get("plan run finished", {}).get("at", run["finished"])
    during = [e for e in edits if e["kind"] != "refused" and read_at <= e["at"] <= committed_at]
    lost = check_edits(setup.instance / "planner.sqlite", setup.week, edits)
    by_kind: dict[str, list[float]] = {}
    for kind, ms, _status, _at in samples:
        by_kind.setdefault(kind, []).append(ms)
    finished = events.get("plan run finished")
    report = {
        "seconds": round(elapsed, 1), "users": args.users, "leads": args.leads,
        "server": {"workers": args.workers, "threads": args.threads},
        "requests": len(samples), "requests_per_second": round(len(samples) / elapsed, 1),
        "errors": len(errors), "error_examples": errors[:10],
        "reconnects": sum(r["reconnects"] for r in results),
        "latency_ms": {"overall": percentiles([s[1] for s in samples]),
                       **{k: {"n": len(v), **percentiles(v)} for k, v in sorted(by_kind.items())}},
        "server_side_ms": server_side(folder / "planner.log"),
        "plan_run": {"ok": plan_ok, "seconds": round(run["finished"] - run["started"], 1),
                     "started_at_s": round(run["started"] - started, 1), "summary": finished,
                     "error": None if plan_ok else run.get("stderr", "")[-2000:]},
        "edits": {kind: sum(e["kind"] == kind for e in edits) for kind in ("duration", "pin", "move", "absence")},
        "stale_edits_refused": sum(e["kind"] == "refused" for e in edits),
        "edits_between_read_and_commit": len(during),
        "edits_lost": lost,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_report(report)
    if not args.keep:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)
    else:
        say(f"Kept {folder} (instance, planner.log, gunicorn.err)")
    return 1 if errors or lost or not plan_ok else 0


def print_report(r: dict) -> None:
    print(f"\n{r['requests']} requests in {r['seconds']} s ({r['requests_per_second']}/s), {r['errors']} errors, "
          f"{r['reconnects']} keep-alive reconnects")
    for e in r["error_examples"]:
        print(f"  error: person {e['person']} {e['kind']}: {e['error']}")
    print(f"\n{'page kind':20} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, v in r["latency_ms"].items():
        n = v.get("n", r["requests"])
        print(f"{kind:20} {n:6} {v['p50'] or 0:8.1f} {v['p95'] or 0:8.1f} {v['p99'] or 0:8.1f}")
    s = r["server_side_ms"]
    print(f"\nserver side (the app's log): {s['requests']} requests, {s['server_errors']} 5xx, p50 "
          f"{s['overall']['p50']} ms, p95 {s['overall']['p95']} ms, p99 {s['overall']['p99']} ms")
    p = r["plan_run"]
    print(f"\nplan run: {'committed' if p['ok'] else 'FAILED'} after {p['seconds']} s (started at "
          f"{p['started_at_s']} s)")
    if p["summary"]:
        print("  " + ", ".join(f"{k} {p['summary'][k]}" for k in ("plan_run", "planned", "unassigned", "trips",
                                                                   "kept_edited", "held_back")))
    if p["error"]:
        print(p["error"])
    print(f"\nedits confirmed: {r['edits']}; {r['edits_between_read_and_commit']} made after the plan run read the "
          "week and before it committed; "
          f"{r['stale_edits_refused']} refused as stale")
    if r["edits_lost"]:
        print(f"EDITS LOST ({len(r['edits_lost'])}):")
        for line in r["edits_lost"]:
            print(f"  {line}")
    else:
        print("every confirmed edit is in the database")


if __name__ == "__main__":
    sys.exit(main())
