"""What tests/test_journeys.py needs to take the main journeys exactly as a user does: a fresh instance made with the
real command line (`planner init-db --demo`, `planner create-user`), the app served by the real `planner run` in a
subprocess with its default settings (solver cp-sat, the default time limit), Debian's Chromium through Playwright,
and read-only looks at the SQLite file to find ids and check outcomes. Nothing here changes state behind the pages
and nothing is monkeypatched."""
from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from datetime import date
from pathlib import Path

from babel import dates as babel_dates

from planner.core.local_time import helsinki_today
from planner.ops.demo import next_monday
from planner.core.weeks import week_of

PLANNER = Path(sys.executable).parent / "planner"   # the venv's own command, as a user runs it
PASSWORD = "Kettle-orbit-73-lantern"
LEAD = "maija.lead@journeys.invalid"
ADMIN = "olli.admin@journeys.invalid"
STAFF = "sanna.staff@journeys.invalid"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "journeys"
MONDAY = next_monday(helsinki_today())   # what `planner init-db --demo` fills: next week
WEEK = week_of(MONDAY)
# Text no Finnish page should ever show a user: an English exception or a failed job.
NEVER_ON_A_PAGE = ("Error", "Traceback", "ProgrammingError", "epäonnistui")
JOB_WAIT_S = 180   # the job's time limit (20 s by default) many times over: the machine's 2 cores are shared


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fi_day(value) -> str:
    """A day as the Finnish pages write it (planner.web.i18n.format_day: the 'MMMEd' skeleton)."""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return babel_dates.format_skeleton("MMMEd", day, locale="fi_FI")


def euros(text: str) -> float:
    """The euro amount in a Finnish figure such as '1 234,50 €' (spaces may be no-break spaces)."""
    match = re.search(r"(\d[\d\s\u00a0\u202f]*(?:,\d+)?)\s*€", text)
    assert match, f"no euro amount in {text!r}"
    return float(re.sub(r"[\s\u00a0\u202f]", "", match[1]).replace(",", "."))


class Instance:
    """A fresh PLANNER_INSTANCE folder, the `planner` command over it, and the app served from it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.database = folder / "planner.sqlite"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PLANNER_", "FLASK_"))}
        self.env["PLANNER_INSTANCE"] = str(folder)
        self.server: subprocess.Popen | None = None
        self.server_log = folder / "server.log"
        self.base_url = ""

    # the command line -------------------------------------------------------------------------------------

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run([str(PLANNER), *args], env=self.env, input=stdin, capture_output=True, text=True,
                              timeout=timeout)

    def cli_ok(self, *args: str, stdin: str | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
        result = self.cli(*args, stdin=stdin, timeout=timeout)
        assert result.returncode == 0, (f"`planner {' '.join(args)}` exit {result.returncode}\n"
                                        f"stdout: {result.stdout[-1500:]}\nstderr: {result.stderr[-1500:]}")
        return result

    def create_user(self, email: str, role: str, staff: str | None = None) -> None:
        """`planner create-user` with the password typed on stdin (the line twice, as a person answering the
        prompt and its confirmation would; the command reads the first line when stdin is not a terminal)."""
        self.cli_ok("create-user", email, "--role", role, *(["--staff", staff] if staff else []),
                    stdin=f"{PASSWORD}\n{PASSWORD}\n")

    # the server -------------------------------------------------------------------------------------------

    def start_server(self, wait_s: float = 60) -> None:
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        log = open(self.server_log, "ab")
        try:
            self.server = subprocess.Popen([str(PLANNER), "run", "--host", "127.0.0.1", "--port", str(port)],
                                           env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                                           stderr=subprocess.STDOUT, start_new_session=True)
        finally:
            log.close()
        until = time.monotonic() + wait_s
        while time.monotonic() < until:
            if self.server.poll() is not None:
                raise AssertionError(f"`planner run` exited {self.server.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base_url + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"`planner run` did not answer on {self.base_url} in {wait_s:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server, then any planning process it started that still runs (each by its pid, after
        checking that the pid is that job's process)."""
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGINT)   # Ctrl-C, as a person stops `planner run`
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait(timeout=10)
        if self.database.exists():
            for job in self.rows("select id, pid from plan_jobs where state = 'running' and pid is not null"):
                cmdline = Path(f"/proc/{job['pid']}/cmdline")
                try:
                    args = cmdline.read_bytes().split(b"\0")
                except OSError:
                    continue
                if b"planner.planning.plan_jobs" in args and str(job["id"]).encode() in args:
                    try:
                        os.killpg(job["pid"], signal.SIGTERM)
                    except ProcessLookupError:
                        pass

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.server_log.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no server log)"

    # reading the database ---------------------------------------------------------------------------------

    def rows(self, sql: str, params=()) -> list[dict]:
        """Rows of a query on a read-only connection: the tests look, they never write behind the pages."""
        with closing(sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=30)) as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute(sql, params)]

    def row(self, sql: str, params=()) -> dict | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def value(self, sql: str, params=()):
        found = self.row(sql, params)
        return next(iter(found.values())) if found else None

    def job(self, job_id: int) -> dict:
        return self.row("select * from plan_jobs where id = ?", [job_id])

    def active_trips(self, week: str = WEEK) -> list[dict]:
        """The week's active trips (what the week plan lists): not superseded, in a run not superseded."""
        return self.rows("""select t.* from trips t join plan_runs r on r.id = t.plan_run
                            where r.week = ? and r.state != 'superseded' and t.state != 'superseded'
                            order by t.depart, t.id""", [week])

    def active_meetings(self, week: str = WEEK) -> list[dict]:
        return self.rows("""select m.*, v.place_name, v.earliest, v.latest, v.staff_needed
                            from meetings m join plan_runs r on r.id = m.plan_run join visits v on v.id = m.visit
                            where r.week = ? and r.state != 'superseded' and m.state = 'active'
                            order by m.start, m.id""", [week])


# in the browser ---------------------------------------------------------------------------------------------

def sign_in(page, email: str) -> None:
    """The sign-in page as a person uses it: the labelled fields, the button."""
    page.goto("/sign-in")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[type=password]) button[type=submit]").click()
    assert "/sign-in" not in page.url, f"still on the sign-in page: {page.locator('main').inner_text()[:300]}"


def page_problems(page) -> list[str]:
    """English exception text, a failure message or an error flash on the page, as a person would read it."""
    text = page.locator("body").inner_text()
    return [word for word in NEVER_ON_A_PAGE if word in text] + [
        f"error message: {e}" for e in page.locator(".flash.error").all_inner_texts() if e.strip()]


def press_plan_again(page) -> int:
    """Press "Plan again" on the week plan; returns the job id the page then follows (?job=N)."""
    again = page.locator("form[action*='again'] button[type=submit]")
    assert again.count() == 1, "the week plan has no plan-again button (form[action*='again'])"
    assert again.is_enabled(), "plan again is disabled (a job still running?)"
    with page.expect_navigation():
        again.click()
    match = re.search(r"[?&]job=(\d+)", page.url)
    assert match, f"after plan again the page is {page.url}, not the week plan following a job"
    return int(match[1])


def wait_for_job(page, instance: Instance, job_id: int, timeout_s: float = JOB_WAIT_S) -> dict:
    """Wait as a person watching the page does: the page polls the job and reloads itself when it ends. Returns
    the job's row once the job row says it ended and the page shows that (its #job box no longer 'running')."""
    until = time.monotonic() + timeout_s
    while instance.job(job_id)["state"] == "running":
        if time.monotonic() > until:
            job = instance.job(job_id)
            raise AssertionError(f"plan job {job_id} still running after {timeout_s:.0f} s "
                                 f"(progress: {job['progress']!r})")
        page.wait_for_timeout(1000)
    # the page polls every second and reloads when the job ends: it must show the end by itself
    page.wait_for_selector("#job:not([data-state='running'])", timeout=20000)
    page.wait_for_load_state("load")
    return instance.job(job_id)
