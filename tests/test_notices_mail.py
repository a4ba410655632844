"""Email notices against a real SMTP server on loopback (aiosmtpd): what each person is told when trips are
published, moved or cancelled, when someone declines and when a plan job ends; in their language, with days, times
and places only; gathered, opted out of, retried and never sent twice (issue 16, points 3-5)."""
from __future__ import annotations

import email
import email.policy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from planner.planning import actions, notices
from planner.planning.plan_jobs import run_job
from planner.store import outbox
from planner.store.db import open_db
from planner.ops.mail_sender import LEASE_SECONDS, Smtp, send_outbox

from test_concurrent_edits import plan_now
from web_support import PASSWORD, USERS, WEEK
from oidc_support import free_port

ROOT = Path(__file__).resolve().parent.parent


class Inbox:
    """An aiosmtpd handler keeping what it was given; ``answers`` are replies to DATA to give first ('451 ...')."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.answers: list[str] = []
        self.on_data = None

    async def handle_DATA(self, server, session, envelope):
        if self.answers:
            return self.answers.pop(0)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if self.on_data is not None:
            self.on_data(server)
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def mail_app(web_app, smtp_server):
    web_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port, MAIL_FROM="planner@test.invalid",
                          PUBLIC_URL="https://planner.test.invalid")
    notices.GATHER_SECONDS = 0.0
    yield web_app
    notices.GATHER_SECONDS = 300.0


def send(app) -> str:
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    return result.output


def by_recipient(inbox: Inbox) -> dict[str, email.message.EmailMessage]:
    return {m["To"]: m for m in inbox.messages}


def no_case_data(db, message) -> None:
    """Nothing of a case in the message: no case code, no visit id, no free text."""
    text = message["Subject"] + message.get_content()
    for visit in db["visits"].rows:
        for value in (visit["case_code"], visit["id"]):
            if value:
                assert value not in text, (value, text)


def test_publishing_tells_each_person_once_in_their_language(mail_app, web_db, smtp_server, browser):
    browser("oulu").post("/language", data={"lang": "sv", "next": "/schedule"})     # Oulu reads Swedish
    plan_now(web_db)
    actions.publish(web_db, WEEK, "lead")
    output = send(mail_app)
    got = by_recipient(smtp_server)
    people = {email for email, _role, staff in USERS.values() if staff}
    travelling = {USERS[who][0] for who in ("lead", "oulu", "tampere")
                  if any(USERS[who][2] in t["staff"] for t in _published(web_db))}
    # every account of a person on a trip is told, once (the demo's own accounts of the same people too)
    assert {e for e in got if e.endswith("@test.invalid")} == travelling and travelling <= people
    assert len(smtp_server.messages) == len(got) and f"sent {len(got)}" in output
    oulu = got[USERS["oulu"][0]]
    assert oulu["From"] == "planner@test.invalid" and oulu["Content-Language"] == "sv"
    assert oulu["Auto-Submitted"] == "auto-generated" and oulu["Message-ID"].startswith("<notice-")
    assert "i ditt schema" in oulu["Subject"] and "Ny resa" in oulu.get_content()
    assert "https://planner.test.invalid/schedule" in oulu.get_content()
    lead = got[USERS["lead"][0]]
    assert lead["Content-Language"] == "fi" and "Uusi matka" in lead.get_content()
    for message in smtp_server.messages:
        no_case_data(web_db, message)
    assert send(mail_app).startswith("sent 0")          # nothing twice
    assert len(smtp_server.messages) == len(got)


def _published(db) -> list[dict]:
    from planner.store import plan_queries
    return [t for t in plan_queries.trips_of_week(db, WEEK) if t["state"] == "published"]


def test_the_page_language_switch_keeps_a_messages_language_chosen_on_the_account_page(web_db, browser):
    """The header's switch sets the messages' language only until the person chooses one (before, switching the
    page to English to have a look turned every email English, over the account page's choice)."""
    oulu = browser("oulu")

    def language() -> str | None:
        return next(web_db.query("select language from users where email = ?", [USERS["oulu"][0]]))["language"]

    oulu.post("/language", data={"lang": "sv", "next": "/schedule"})
    assert language() == "sv"                           # the first choice is theirs for the messages too
    oulu.post("/account/notices", data={"notices-language": "fi", "notices-notify_trips": "y"})
    oulu.post("/language", data={"lang": "en", "next": "/schedule"})
    assert language() == "fi"


def test_changes_within_the_window_go_out_as_one_message(mail_app, web_db, smtp_server):
    notices.GATHER_SECONDS = 60.0
    plan_now(web_db)
    drafts = [t for t in _oulu_trips(web_db)]
    assert len(drafts) >= 2, "the demo week gives the Oulu worker two trips"
    actions.publish(web_db, WEEK, "lead", trip_ids=[drafts[0]["id"]])
    actions.publish(web_db, WEEK, "lead", trip_ids=[drafts[1]["id"]])
    rows = [r for r in outbox.recent(web_db) if r["user"] == _user_id(web_db, "oulu")]
    assert len(rows) == 1 and len(json.loads(rows[0]["items"])) == 2
    assert send(mail_app).startswith("sent 0")          # the window is still open
    tally = send_at(mail_app, web_db, time.time() + 61)
    got = by_recipient(smtp_server)[USERS["oulu"][0]]
    assert tally.sent >= 1 and got.get_content().count("Uusi matka") == 2


def _oulu_trips(db) -> list[dict]:
    from planner.store import plan_queries
    return [t for t in plan_queries.trips_of_week(db, WEEK) if USERS["oulu"][2] in t["staff"]]


def send_at(app, db, at: float):
    """What ``planner send-mail`` does, at the time ``at`` (a window closed, a backoff passed)."""
    from planner.cli.mail import letter_of
    with app.app_context():
        return send_outbox(db, Smtp.from_config(app.config), letter_of(db, app.config["PUBLIC_URL"]), now=lambda: at)


def test_a_person_who_turned_trip_notices_off_gets_none(mail_app, web_db, smtp_server, browser):
    b = browser("oulu")
    page = b.get("/account").get_data(as_text=True)
    assert "notices-notify_trips" in page and "notices-notify_plan_jobs" not in page     # a lead's kinds are not shown
    response = b.post("/account/notices", data={"notices-language": "fi"})              # every box unticked
    assert response.status_code == 302
    plan_now(web_db)
    actions.publish(web_db, WEEK, "lead")
    send(mail_app)
    assert USERS["oulu"][0] not in by_recipient(smtp_server)
    assert USERS["lead"][0] in by_recipient(smtp_server) or USERS["tampere"][0] in by_recipient(smtp_server)


def test_a_notice_turned_off_after_it_was_made_is_dropped(mail_app, web_db, smtp_server):
    plan_now(web_db)
    actions.publish(web_db, WEEK, "lead")
    web_db["users"].update(_user_id(web_db, "oulu"), {"notify_trips": 0})
    send(mail_app)
    assert USERS["oulu"][0] not in by_recipient(smtp_server)
    assert any(r["state"] == "dropped" for r in outbox.recent(web_db) if r["user"] == _user_id(web_db, "oulu"))


def _user_id(db, who: str) -> int:
    return next(db["users"].rows_where("email = ?", [USERS[who][0]]))["id"]


def test_a_cancelled_trip_and_a_decline_name_days_and_places_not_reasons(mail_app, web_db, smtp_server, browser):
    plan_now(web_db)
    actions.publish(web_db, WEEK, "lead")
    send(mail_app)
    smtp_server.messages.clear()
    trip = _oulu_trips(web_db)[0]
    actions.decline_trip(web_db, trip["id"], USERS["oulu"][2], "my child is ill (private)")
    actions.take_back(web_db, trip["id"], "lead")
    send(mail_app)
    got = by_recipient(smtp_server)
    decline = got[USERS["lead"][0]]
    assert "ei pääse" in decline["Subject"] and "private" not in decline.get_content()
    assert "https://planner.test.invalid/plan?week=" in decline.get_content()
    cancelled = got[USERS["oulu"][0]]
    assert "Peruttu" in cancelled.get_content()
    for message in smtp_server.messages:
        no_case_data(web_db, message)
        assert "ill" not in message.get_content()


def test_a_plan_job_tells_the_lead_who_started_it(mail_app, web_db, smtp_server):
    lead = _user_id(web_db, "lead")
    job_id = web_db["plan_jobs"].insert({"week": WEEK, "started_by": f"user:{lead}", "started_at": "2026-11-01T10:00",
                                         "state": "running", "progress": "starting", "solver": "greedy",
                                         "time_limit": 5}).last_pk
    run_job(mail_app.config["DATABASE"], job_id)
    send(mail_app)
    got = by_recipient(smtp_server)[USERS["lead"][0]]
    assert "valmis" in got["Subject"] and f"/plan?week={WEEK}" in got.get_content()


def test_the_server_says_later_then_takes_it_and_a_refusal_is_final(mail_app, web_db, smtp_server):
    user = _user_id(web_db, "lead")
    row = outbox.enqueue(web_db, user, "plan-job", [{"week": WEEK, "outcome": "failed"}], time.time(), 0)
    web_db.conn.commit()
    web_db["users"].update(user, {"notify_plan_jobs": 1})
    smtp_server.answers = ["451 4.3.0 try again later"]
    assert "to retry 1" in send(mail_app)
    kept = web_db["outbox"].get(row)
    assert kept["state"] == "waiting" and kept["attempts"] == 1 and kept["last_error"].startswith("451")
    assert kept["next_try"] > time.time() + 30                 # backoff: not at once
    send_at(mail_app, web_db, kept["next_try"] + 1)
    assert web_db["outbox"].get(row)["state"] == "sent" and len(smtp_server.messages) == 1
    final = outbox.enqueue(web_db, user, "plan-job", [{"week": WEEK, "outcome": "done"}], time.time(), 0)
    web_db.conn.commit()
    smtp_server.answers = ["550 5.1.1 no such mailbox"]
    send(mail_app)
    assert web_db["outbox"].get(final)["state"] == "failed" and len(smtp_server.messages) == 1


def test_without_smtp_nothing_is_sent_and_the_outbox_shows_what_would_be(web_app, web_db, browser):
    plan_now(web_db)
    actions.publish(web_db, WEEK, "lead")
    result = web_app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0 and "SMTP is not configured" in result.output and "nothing was sent" in result.output
    page = browser("admin").get("/admin/outbox").get_data(as_text=True)
    assert "Uusi matka" in page and "odottaa" in page and USERS["oulu"][0] in page


def test_a_sender_killed_between_sending_and_marking_never_sends_twice(tmp_path, smtp_server):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(f'SECRET_KEY = "kill-test"\nSMTP_HOST = "127.0.0.1"\n'
                                        f'SMTP_PORT = {smtp_server.port}\nMAIL_FROM = "planner@test.invalid"\n')
    db = open_db(instance / "planner.sqlite")
    from planner.accounts.users import create_user
    user = create_user(db, "kill@test.invalid", PASSWORD, "lead")
    row = outbox.enqueue(db, user, "plan-job", [{"week": WEEK, "outcome": "done"}], time.time() - 5, 0)
    db.conn.commit()
    env = {**os.environ, "PLANNER_INSTANCE": str(instance)}
    command = [str(Path(sys.executable).with_name("planner")), "send-mail"]
    sender = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    smtp_server.on_data = lambda _server: os.kill(sender.pid, signal.SIGKILL)  # the server has it; the sender never hears
    sender.wait(30)
    assert sender.returncode == -signal.SIGKILL and len(smtp_server.messages) == 1
    smtp_server.on_data = None
    again = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert len(smtp_server.messages) == 1 and db["outbox"].get(row)["state"] == "sending"
    later = time.time() + LEASE_SECONDS + 1       # the claim is old: unsure, and still not sent again
    tally = send_outbox(db, Smtp("127.0.0.1", smtp_server.port), lambda r: None, now=lambda: later)
    assert tally.unsure == 1 and db["outbox"].get(row)["state"] == "unsure" and len(smtp_server.messages) == 1


def test_a_published_meeting_moved_by_the_lead_tells_the_person(mail_app, web_db, smtp_server):
    from datetime import date, timedelta
    from planner.core.settings import DEFAULT_SETTINGS
    from planner.planning.moves import move_options
    plan_now(web_db)
    actions.publish(web_db, WEEK, "lead")
    send(mail_app)
    smtp_server.messages.clear()
    trip = _oulu_trips(web_db)[0]
    meeting = trip["meetings"][0]
    day = date.fromisoformat(meeting["start"][:10])
    found = move_options(web_db, DEFAULT_SETTINGS, meeting["id"], [day + timedelta(i) for i in range(-4, 5)])
    target = next(o for o in found["options"] if not o["current"])     # the best other person or day
    new_id, why = actions.move_meeting(web_db, meeting["id"], target["day"], target["staff"], DEFAULT_SETTINGS, "lead")
    assert new_id is not None, why
    actions.publish(web_db, WEEK, "lead")
    send(mail_app)
    told = by_recipient(smtp_server)[USERS["oulu"][0]].get_content()
    assert "Peruttu" in told or "Muuttunut" in told
    for message in smtp_server.messages:
        no_case_data(web_db, message)


def test_a_failed_plan_job_tells_the_lead_too(mail_app, web_db, smtp_server):
    lead = _user_id(web_db, "lead")
    job_id = web_db["plan_jobs"].insert({"week": WEEK, "started_by": f"user:{lead}", "started_at": "2026-11-01T10:00",
                                         "state": "running", "progress": "starting", "solver": "no-such-solver",
                                         "time_limit": 5}).last_pk
    with pytest.raises(Exception):
        run_job(mail_app.config["DATABASE"], job_id)
    assert web_db["plan_jobs"].get(job_id)["state"] == "failed"
    send(mail_app)
    got = by_recipient(smtp_server)[USERS["lead"][0]]
    assert "epäonnistui" in got["Subject"] and "yritä uudelleen" in got.get_content()


def test_a_server_that_is_away_leaves_every_notice_waiting_untried(mail_app, web_db):
    row = outbox.enqueue(web_db, _user_id(web_db, "lead"), "plan-job", [{"week": WEEK, "outcome": "done"}],
                         time.time(), 0)
    web_db.conn.commit()
    mail_app.config.update(SMTP_PORT=free_port())           # nobody listens there
    output = send(mail_app)
    assert "the server could not be used" in output and "ConnectionRefusedError" in output
    kept = web_db["outbox"].get(row)
    assert (kept["state"], kept["attempts"], kept["next_try"]) == ("waiting", 0, 0)


def test_a_connection_broken_while_the_message_is_handed_over_is_not_sent_again(mail_app, web_db, smtp_server):
    row = outbox.enqueue(web_db, _user_id(web_db, "lead"), "plan-job", [{"week": WEEK, "outcome": "done"}],
                         time.time(), 0)
    web_db.conn.commit()
    smtp_server.on_data = lambda server: server.transport.close()   # it has the message; no answer comes
    assert "unsure 1" in send(mail_app)
    smtp_server.on_data = None
    send(mail_app)
    assert web_db["outbox"].get(row)["state"] == "unsure" and len(smtp_server.messages) == 1


def test_a_leads_notice_for_someone_no_longer_a_lead_is_dropped(mail_app, web_db, smtp_server):
    row = outbox.enqueue(web_db, _user_id(web_db, "oulu"), "decline",
                         [{"depart": f"{WEEK}", "return": "", "places": []}], time.time(), 0)
    web_db.conn.commit()
    assert "dropped 1" in send(mail_app)
    assert web_db["outbox"].get(row)["state"] == "dropped" and not smtp_server.messages


def test_planning_again_around_one_persons_absence_tells_their_teammate_too(mail_app, web_db, smtp_server):
    """The lead and Tampere's inspector meet one client together on Monday (two trips, one meeting). The lead
    records an absence that Monday and plans again: the meeting is withdrawn with both trips, so Tampere's
    published trip is gone too, and Tampere is told (before, only the people of the trip with the conflict were
    watched)."""
    from planner.core.records import Absence
    from planner.core.settings import DEFAULT_SETTINGS
    from planner.planning.week_run import plan_and_store
    from planner.store import plan_queries
    from planner.store.records import add_absence
    from web_support import MONDAY
    plan_now(web_db)
    actions.publish(web_db, WEEK, "lead")
    lead, tampere = USERS["lead"][2], USERS["tampere"][2]
    together = [t for t in plan_queries.trips_of_week(web_db, WEEK) if t["staff"] == [tampere]
                and any(lead in m["staff"] for m in t["meetings"])]
    assert together, "the demo plan sends the lead and Tampere to one meeting"
    send(mail_app)
    smtp_server.messages.clear()
    with web_db.conn:
        add_absence(web_db, Absence(lead, MONDAY, MONDAY, "training"))
    plan_and_store(web_db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="lead",
                   replan_conflicts=True)
    published = plan_queries.trips_between(web_db, MONDAY, MONDAY, tampere, published_only=True)
    assert together[0]["id"] not in {t["id"] for t in published}
    send(mail_app)
    told = by_recipient(smtp_server)[USERS["tampere"][0]]
    assert "Peruttu" in told.get_content()
    no_case_data(web_db, told)
