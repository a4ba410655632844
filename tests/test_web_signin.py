"""Sign-in security: hashing, the password policy, no account enumeration, lock-out per account and per address,
idle timeout, sign out everywhere, password change and the optional TOTP second step. Time is injected through the
``CLOCK`` config value (no sleeping)."""
from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest
from werkzeug.security import check_password_hash

from planner.accounts.users import create_user
from web_support import PASSWORD, USERS, Browser, csrf_token

WRONG = "Väärä sähköposti tai salasana."
LOCKED = "Liian monta epäonnistunutta kirjautumisyritystä"
T0 = 1_800_000_000.0  # a fixed "now" (2027-01-15); tests move it forward


@pytest.fixture
def clock(web_app):
    now = [T0]
    web_app.config["CLOCK"] = lambda: now[0]

    def advance(minutes: float = 0) -> float:
        now[0] += minutes * 60
        return now[0]
    advance.now = lambda: now[0]
    return advance


def attempt(b: Browser, email: str, password: str, address: str = "127.0.0.1"):
    return b.client.post("/sign-in", data={"email": email, "password": password, "csrf_token": b.token},
                         environ_base={"REMOTE_ADDR": address})


def sign_out(b: Browser) -> None:
    b.token = csrf_token(b.get("/account"))
    assert b.post("/sign-out").status_code == 302
    b.token = csrf_token(b.get("/sign-in"))


def text(response) -> str:
    return response.get_data(as_text=True)


def audit_rows(db, action: str) -> list[dict]:
    return list(db.query("select * from audit_log where action = ? order by id", [action]))


# 1. Hashing ------------------------------------------------------------------------------------------------

def test_passwords_are_stored_as_salted_scrypt_hashes(web_db):
    one = create_user(web_db, "one@test.invalid", PASSWORD, "lead")
    two = create_user(web_db, "two@test.invalid", PASSWORD, "lead")
    hashes = [web_db["users"].get(i)["password_hash"] for i in (one, two)]
    assert all(h.startswith("scrypt:") for h in hashes)
    assert hashes[0] != hashes[1]  # a salt of its own each: equal passwords do not show
    assert all(check_password_hash(h, PASSWORD) and PASSWORD not in h for h in hashes)


# 2. Password policy ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("email, password, message", [
    ("x@example.org", "short pass", "at least 12 characters"),
    ("x@example.org", "password1234", "one of the most common passwords"),
    ("x@example.org", "Iloveyou2024!", "common password with digits or symbols added"),
    ("x@example.org", "trustno1trustno1", "common password with digits or symbols added, or repeated"),
    ("x@example.org", "qwertyuiopasdf", "keyboard or alphabet sequence"),
    ("x@example.org", "abcabcabcabc", "short repeat"),
    ("x@example.org", "123987456321", "not only digits"),
    ("matti.virtanen@example.org", "Matti.Virtanen-2026", "must not contain the email address"),
    ("matti.virtanen@example.org", "hello virtanen sauna", "must not contain the email address"),
    # the outside review's three (issue 11): a word of the service, a run with letters, the famous passphrase
    ("x@example.org", "Matkasuunnittelu1", "too easy to guess"),
    ("x@example.org", "1234567890ab", "too easy to guess"),
    ("x@example.org", "correcthorsebatterystaple", "one of the most common passwords"),
    ("x@example.org", "correct horse battery staple", "one of the most common passwords"),
    ("x@example.org", "Ihmiskauppa2026!", "common password with digits or symbols added"),
    ("x@example.org", "planner planner 1", "too easy to guess"),
    ("x@example.org", "Planner-Matkasuunnittelu", "too easy to guess"),
])
def test_create_user_refuses_weak_passwords(web_app, web_db, email, password, message):
    result = web_app.test_cli_runner().invoke(args=["create-user", email, "--role", "lead"], input=password + "\n")
    assert result.exit_code != 0 and message in result.output + (getattr(result, "stderr", "") or "")
    assert not list(web_db.query("select 1 from users where email = ?", [email]))


@pytest.mark.parametrize("password", ["Zebra lamp fjord 42", "Kettle-orbit-73-lantern", "otter velvet canyon brisk",
                                      "Hiljainen kettu juoksee 9"])
def test_create_user_accepts_a_passphrase(web_app, web_db, password):
    result = web_app.test_cli_runner().invoke(args=["create-user", "matti.virtanen@example.org", "--role", "lead"],
                                              input=password + "\n")
    assert result.exit_code == 0, result.output


def test_the_strength_estimate_gives_its_hint_in_the_users_language(browser, web_db):
    """zxcvbn's estimate with the account's email and the service's own words as context; the refusal names what
    made it guessable, in Finnish here, and nothing changes."""
    b = browser("oulu")
    form = {"current": PASSWORD, "new": "Matkasuunnittelu1", "repeat": "Matkasuunnittelu1"}
    response = b.post("/account/password", form)
    assert response.status_code == 422
    error = text(response).split('id="new-error"')[1].split("</ul>")[0]
    assert "liian helppo arvata" in error and "palvelun" in error, error
    assert 'value="Matkasuunnittelu1"' not in text(response)  # a password field is never filled in again


def test_admin_users_page_applies_the_policy_in_the_admins_language(browser, web_db):
    b = browser("admin")
    response = b.post("/admin/users", {"email": "new@test.invalid", "role": "lead", "staff": "",
                                       "password": "password1234"})
    assert response.status_code == 422
    assert "Tämä on yksi yleisimmistä salasanoista" in text(response)
    assert not list(web_db.query("select 1 from users where email = 'new@test.invalid'"))


# 3. No way to tell whether an account exists ---------------------------------------------------------------

def test_unknown_inactive_and_wrong_password_get_the_same_answer_and_the_same_hashing(browser, web_db, monkeypatch):
    create_user(web_db, "gone@test.invalid", PASSWORD, "lead")
    web_db.execute("update users set active = 0 where email = 'gone@test.invalid'")
    import planner.web.auth
    hashed = []
    real = planner.web.auth.check_password_hash
    monkeypatch.setattr(planner.web.auth, "check_password_hash", lambda h, p: hashed.append(h) or real(h, p))
    b = browser()
    answers = [attempt(b, USERS["lead"][0], "wrong password here"),    # exists, wrong password
               attempt(b, "nobody@test.invalid", PASSWORD),            # no such account
               attempt(b, "gone@test.invalid", PASSWORD)]               # inactive, right password
    assert [r.status_code for r in answers] == [200, 200, 200]
    assert all(WRONG in text(r) for r in answers)
    assert len(hashed) == 3  # one scrypt check each, the dummy hash standing in for the missing accounts
    assert b.get("/overview").status_code == 302


def test_locked_existing_and_locked_unknown_accounts_look_the_same(browser, clock):
    b = browser()
    for email in (USERS["lead"][0], "nobody@test.invalid"):
        for _ in range(5):
            attempt(b, email, "wrong password here")
    known, unknown = attempt(b, USERS["lead"][0], PASSWORD), attempt(b, "nobody@test.invalid", PASSWORD)
    assert known.status_code == unknown.status_code == 429
    message = re.search(LOCKED + r"[^<]*", text(known)).group(0)
    assert message in text(unknown) and "15 minuutin" in message


# 4. Lock-out -----------------------------------------------------------------------------------------------

def test_five_failures_lock_the_account_for_fifteen_minutes_even_with_the_right_password(browser, web_db, clock):
    b = browser()
    email = USERS["lead"][0]
    for n in range(4):
        assert WRONG in text(attempt(b, email, f"wrong password {n}"))
        clock(1)
    fifth = attempt(b, email, "wrong password 5")
    assert fifth.status_code == 429 and LOCKED in text(fifth)
    clock(14)
    assert attempt(b, email, PASSWORD).status_code == 429  # the right password does not open it
    assert b.get("/overview").status_code == 302
    clock(1.1)  # the lock has run out
    assert attempt(b, email, PASSWORD).status_code == 302
    assert b.get("/overview").status_code == 200
    locks = audit_rows(web_db, "sign-in-locked")
    assert len(locks) == 1 and json.loads(locks[0]["detail"])["scope"] == "account"
    assert len(audit_rows(web_db, "sign-in-failed")) == 5
    log = json.dumps(list(web_db.query("select * from audit_log")))
    assert "wrong password" not in log and PASSWORD not in log


def test_failures_older_than_the_window_do_not_count(browser, clock):
    b = browser()
    for _ in range(4):
        attempt(b, USERS["lead"][0], "wrong password here")
    clock(16)
    assert WRONG in text(attempt(b, USERS["lead"][0], "wrong password here"))  # only 1 in the window now


def test_a_successful_sign_in_clears_the_account_count(browser, clock):
    b = browser()
    for _ in range(4):
        attempt(b, USERS["oulu"][0], "wrong password here")
    assert attempt(b, USERS["oulu"][0], PASSWORD).status_code == 302
    sign_out(b)
    for _ in range(4):
        assert WRONG in text(attempt(b, USERS["oulu"][0], "wrong password here"))


def test_twenty_failures_from_one_address_lock_the_address(browser, web_db, clock):
    b = browser()
    for n in range(19):
        assert WRONG in text(attempt(b, f"guess{n}@test.invalid", "wrong password here", "192.0.2.7"))
    assert LOCKED in text(attempt(b, "guess19@test.invalid", "wrong password here", "192.0.2.7"))
    # Any account, even with its right password, from that address: refused. From another address: fine.
    assert attempt(b, USERS["lead"][0], PASSWORD, "192.0.2.7").status_code == 429
    assert attempt(b, USERS["lead"][0], PASSWORD, "198.51.100.3").status_code == 302
    b = browser()
    clock(15.1)
    assert attempt(b, USERS["lead"][0], PASSWORD, "192.0.2.7").status_code == 302
    assert [json.loads(r["detail"])["scope"] for r in audit_rows(web_db, "sign-in-locked")] == ["address"]


def test_limits_come_from_the_config_and_the_tables_hold_no_typed_text(web_app, browser, web_db, clock):
    web_app.config["SIGN_IN_MAX_FAILURES_ACCOUNT"] = 2
    b = browser()
    attempt(b, "someone.typo@test.invalid", "wrong password here")
    stored = json.dumps(list(web_db.query("select * from sign_in_failures")))
    assert "someone" not in stored and "127.0.0.1" not in stored
    assert LOCKED in text(attempt(b, "someone.typo@test.invalid", "wrong password here"))


# 5. Idle timeout and renewal -------------------------------------------------------------------------------

def test_idle_session_is_signed_out_with_a_message(browser, web_db, clock):
    b = browser("lead")
    clock(29)
    assert b.get("/overview").status_code == 200  # activity: the idle time starts again
    clock(29)
    assert b.get("/overview").status_code == 200
    clock(31)
    response = b.get("/plan")
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=/plan")
    page = text(b.get(response.location))
    assert "Sinut kirjattiin ulos, koska 30 minuuttiin ei tehty mitään." in page
    assert b.get("/overview").status_code == 302
    assert audit_rows(web_db, "signed-out-idle")


def test_idle_timeout_is_configurable(web_app, browser, clock):
    web_app.config["IDLE_TIMEOUT"] = 300  # seconds
    b = browser("oulu")
    clock(6)
    assert b.get("/schedule").status_code == 302


def test_session_ends_at_its_longest_age_even_when_busy(browser, clock):
    b = browser("oulu")
    for _ in range(16):  # a request every 29 minutes: never idle, 7 h 44 min after signing in
        clock(29)
        assert b.get("/schedule").status_code == 200
    clock(20)  # 8 h 4 min
    response = b.get("/schedule")
    assert response.status_code == 302
    assert "Sinut kirjattiin ulos 8 tuntia kirjautumisen jälkeen." in text(b.get(response.location))


# 6. Sign out everywhere, change password -------------------------------------------------------------------

def test_sign_out_everywhere_ends_the_other_sessions_only(browser, web_db):
    here, there = browser("lead"), browser("lead")
    page = text(here.get("/account"))
    assert "Kirjaudu ulos kaikkialta" in page
    assert here.post("/account/sign-out-everywhere", {"everywhere-current": PASSWORD}).status_code == 302
    assert here.get("/overview").status_code == 200
    assert there.get("/overview").status_code == 302
    assert audit_rows(web_db, "sign-out-everywhere")


def test_a_remember_cookie_dies_with_the_generation(web_app, browser, web_db):
    """A session (and a remember cookie) holds ``get_id()``: id, generation and the session's own id; an old
    generation loads no user."""
    from planner.web.auth import load_user
    b = browser("lead")
    with b.client.session_transaction() as session:
        held = session["_user_id"]
    user_id, generation, sid = held.split(":")
    assert generation == "0" and len(sid) >= 40
    with web_app.test_request_context():
        assert load_user(held).id == int(user_id)
        web_db.execute("update users set session_generation = session_generation + 1 where id = ?", [int(user_id)])
        web_db.conn.commit()
        assert load_user(held) is None  # what an old session or remember cookie holds


def test_signing_out_ends_the_session_on_the_server(browser, web_db):
    """A copy of the session cookie (stolen, or left in another tab's jar) stops working when its owner signs out;
    the owner's other sessions go on."""
    b, other = browser("lead"), browser("lead")
    copy = b.client.get_cookie("session").value
    b.post("/sign-out")
    thief = browser()
    thief.client.set_cookie("session", copy)
    response = thief.get("/overview")
    assert response.status_code == 302 and response.location.startswith("/sign-in")
    assert thief.get("/account").status_code == 302
    assert other.get("/overview").status_code == 200
    assert not web_db.execute("select count(*) from user_sessions where id not in (select id from user_sessions "
                              "order by created_at desc limit 1)").fetchone()[0]  # only the other session is kept


def test_the_idle_timeout_ends_the_session_on_the_server(browser, clock):
    b = browser("oulu")
    copy = b.client.get_cookie("session").value
    clock(31)
    assert b.get("/schedule").status_code == 302  # signed out for being idle
    clock(-31)  # even if the copy's own clock says it is fresh
    thief = browser()
    thief.client.set_cookie("session", copy)
    assert thief.get("/schedule").status_code == 302


def test_change_password(browser, web_db):
    here, there = browser("oulu"), browser("oulu")
    form = {"current": "not my password", "new": "Zebra lamp fjord 42", "repeat": "Zebra lamp fjord 42"}
    wrong = here.post("/account/password", form)
    assert wrong.status_code == 422 and "Nykyinen salasana on väärä." in text(wrong)
    mismatch = here.post("/account/password", dict(form, current=PASSWORD, repeat="Zebra lamp fjord 43"))
    assert mismatch.status_code == 422 and "Uudet salasanat eivät ole samat." in text(mismatch)
    weak = here.post("/account/password", dict(form, current=PASSWORD, new="password1234", repeat="password1234"))
    assert weak.status_code == 422 and "yleisimmistä salasanoista" in text(weak)
    named = "my oulu pass 2026"  # holds the email's local part
    hidden = here.post("/account/password", dict(form, current=PASSWORD, new=named, repeat=named))
    assert hidden.status_code == 422 and "sähköpostiosoitetta" in text(hidden)
    ok = here.post("/account/password", dict(form, current=PASSWORD))
    assert ok.status_code == 302
    assert here.get("/schedule").status_code == 200 and there.get("/schedule").status_code == 302
    fresh = browser()
    assert WRONG in text(attempt(fresh, USERS["oulu"][0], PASSWORD))
    assert attempt(fresh, USERS["oulu"][0], "Zebra lamp fjord 42").status_code == 302
    assert audit_rows(web_db, "change-password")


def test_wrong_current_passwords_count_toward_the_lock_out(browser, web_db, clock):
    b = browser("oulu")
    form = {"current": "not my password", "new": "Zebra lamp fjord 42", "repeat": "Zebra lamp fjord 42"}
    for _ in range(4):
        b.post("/account/password", form)
    assert LOCKED in text(b.post("/account/password", form))
    assert LOCKED in text(b.post("/account/password", dict(form, current=PASSWORD)))  # refused while locked
    failed = audit_rows(web_db, "sign-in-failed")
    assert len(failed) == 5 and {json.loads(r["detail"])["step"] for r in failed} == {"current-password"}
    assert {r["actor"] for r in failed} == {r["actor"] for r in audit_rows(web_db, "sign-in-locked")} == {
        f"user:{r['id']}" for r in web_db.query("select id from users where email = ?", [USERS["oulu"][0]])}


@pytest.mark.parametrize("password", ["", "not my password"])
def test_sign_out_everywhere_needs_the_password(browser, web_db, password):
    """A borrowed or stolen session cannot end its owner's other sessions: the password is asked for again; a wrong
    or missing one changes nothing and says so next to the field."""
    here, there = browser("lead"), browser("lead")
    response = here.post("/account/sign-out-everywhere", {"everywhere-current": password})
    assert response.status_code == 422
    error = text(response).split('id="everywhere-current-error"')[1].split("</ul>")[0]
    assert ("Nykyinen salasana on väärä." if password else "Anna nykyinen salasanasi.") in error
    assert there.get("/overview").status_code == 200 and here.get("/overview").status_code == 200
    assert not audit_rows(web_db, "sign-out-everywhere")


@pytest.mark.parametrize("password", ["", "not my password"])
def test_turning_two_step_sign_in_on_needs_the_password(browser, web_db, password):
    b = browser("lead")
    response = b.post("/account/two-step/start", {"start-current": password})
    assert response.status_code == 422
    error = text(response).split('id="start-current-error"')[1].split("</ul>")[0]
    assert ("Nykyinen salasana on väärä." if password else "Anna nykyinen salasanasi.") in error
    assert web_db["totp"].count == 0
    assert b.post("/account/two-step/start", {"start-current": PASSWORD}).status_code == 302
    assert web_db["totp"].count == 1


def test_account_page_needs_sign_in(browser):
    b = browser()
    assert b.get("/account").status_code == 302
    assert b.post("/account/sign-out-everywhere").status_code == 302
    assert b.post("/account/password").status_code == 302


# 7. TOTP ---------------------------------------------------------------------------------------------------

def enable_totp(b: Browser, db, clock) -> str:
    assert b.post("/account/two-step/start", {"start-current": PASSWORD}).status_code == 302
    page = text(b.get("/account/two-step"))
    assert "otpauth://totp/" in page and 'src="data:image/png;base64,' in page
    user = next(db.query("select id from users where email = ?", [USERS["lead"][0]]))
    secret = db["totp"].get(user["id"])["secret"]
    assert secret in page.replace(" ", "").replace("\n", "")
    wrong_code = "000000" if pyotp.TOTP(secret).at(clock.now()) != "000000" else "111111"
    wrong = b.post("/account/two-step", {"code": wrong_code})
    assert wrong.status_code == 422 and db["totp"].get(user["id"])["confirmed_at"] is None
    assert b.post("/account/two-step", {"code": pyotp.TOTP(secret).at(clock.now())}).status_code == 302
    assert db["totp"].get(user["id"])["confirmed_at"]
    return secret


def password_step(b: Browser, email: str):
    b.token = csrf_token(b.get("/sign-in"))
    response = attempt(b, email, PASSWORD)
    assert response.status_code == 302 and response.location == "/sign-in/code"
    b.token = csrf_token(b.get("/sign-in/code"))
    return response


def test_totp_set_up_and_second_step(browser, web_db, clock):
    lead = browser("lead")
    secret = enable_totp(lead, web_db, clock)
    clock(1)
    b = browser()
    password_step(b, USERS["lead"][0])
    assert b.get("/overview").status_code == 302  # the password alone has not signed in
    wrong = b.post("/sign-in/code", {"code": "12345x"})
    assert "Väärä koodi" in text(wrong)
    code = pyotp.TOTP(secret).at(clock.now())
    ok = b.post("/sign-in/code", {"code": code})
    assert ok.status_code == 302 and ok.location == "/overview"
    assert b.get("/overview").status_code == 200
    # The same code again within its window, on another browser: refused.
    other = browser()
    password_step(other, USERS["lead"][0])
    again = other.post("/sign-in/code", {"code": code})
    assert "on jo käytetty" in text(again) and other.get("/overview").status_code == 302
    clock(0.5)  # the next 30-second step: a new code works
    assert other.post("/sign-in/code", {"code": pyotp.TOTP(secret).at(clock.now())}).status_code == 302
    assert [r["detail"] for r in audit_rows(web_db, "sign-in-failed")][-1] == json.dumps({"address": "127.0.0.1",
                                                                                          "step": "code-reused"})


def test_wrong_codes_count_toward_the_lock_out(browser, web_db, clock):
    secret = enable_totp(browser("lead"), web_db, clock)
    b = browser()
    password_step(b, USERS["lead"][0])
    for _ in range(4):
        assert b.post("/sign-in/code", {"code": "000000"}).status_code == 200
    assert b.post("/sign-in/code", {"code": "000000"}).status_code == 429
    clock(1)
    # Locked: even the password step with the right password is refused now.
    assert attempt(b, USERS["lead"][0], PASSWORD).status_code == 429
    clock(15)
    password_step(b, USERS["lead"][0])
    assert b.post("/sign-in/code", {"code": pyotp.TOTP(secret).at(clock.now())}).status_code == 302


def test_code_step_expires(browser, web_db, clock):
    enable_totp(browser("lead"), web_db, clock)
    b = browser()
    password_step(b, USERS["lead"][0])
    clock(6)
    response = b.get("/sign-in/code")
    assert response.status_code == 302 and response.location == "/sign-in"


def test_staff_may_not_set_up_totp(browser):
    b = browser("oulu")
    assert "Kaksivaiheinen kirjautuminen" not in text(b.get("/account"))
    assert b.post("/account/two-step/start").status_code == 403
    assert b.get("/account/two-step").status_code == 403


def test_turning_totp_off_needs_the_password(browser, web_db, clock):
    b = browser("lead")
    enable_totp(b, web_db, clock)
    assert b.post("/account/two-step/off", {"off-current": "not my password"}).status_code == 422
    assert web_db["totp"].count == 1
    assert b.post("/account/two-step/off", {"off-current": PASSWORD}).status_code == 302
    assert web_db["totp"].count == 0


def test_reset_totp_from_the_command_line(web_app, browser, web_db, clock):
    enable_totp(browser("lead"), web_db, clock)
    runner = web_app.test_cli_runner()
    assert runner.invoke(args=["reset-totp", "nobody@test.invalid"]).exit_code != 0
    result = runner.invoke(args=["reset-totp", USERS["lead"][0].upper()])
    assert result.exit_code == 0, result.output
    assert web_db["totp"].count == 0 and audit_rows(web_db, "totp-reset")
    assert browser().sign_in("lead").location == "/overview"  # the password alone again


# 8. Parallel guessing: the attempt is counted before the password is checked ------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 comes back as an HTTPError with its status


@pytest.fixture
def server(web_app):
    """The app behind a real threaded HTTP server on the loopback address: requests really run in parallel."""
    from werkzeug.serving import make_server
    srv = make_server("127.0.0.1", 0, web_app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    thread.join()
    srv.server_close()


def _request(url: str, cookie: str = "", data: dict | None = None) -> tuple[int, str, str]:
    """(status, the session cookie it set or else ``cookie``, body) of one request, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirect)
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Cookie": cookie} if cookie else {})

    def session_cookie(headers) -> str:
        found = [c.split(";")[0] for c in headers.get_all("Set-Cookie") or [] if c.startswith("session=")]
        return found[0] if found else cookie
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, session_cookie(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, session_cookie(exc.headers), exc.read().decode()


def _in_parallel(send, n: int) -> list[int]:
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(lambda _i: send(), range(n)))


def test_parallel_wrong_passwords_reach_the_check_no_more_often_than_the_limit(server, web_db, monkeypatch):
    """99 wrong passwords at once for one account: only the first 5 are checked (each attempt is counted, in one
    write transaction with the read of the count, before its password is looked at), the rest are refused, and
    then the right password is refused too: the account is locked."""
    import planner.web.auth
    checked = []
    real = planner.web.auth.check_password_hash
    monkeypatch.setattr(planner.web.auth, "check_password_hash", lambda h, p: checked.append(p) or real(h, p))
    _status, cookie, page = _request(server + "/sign-in")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    form = {"email": USERS["lead"][0], "password": "wrong password here", "csrf_token": token}
    statuses = _in_parallel(lambda: _request(server + "/sign-in", cookie, form)[0], 99)
    assert len([p for p in checked if p == "wrong password here"]) <= 5, len(checked)
    assert statuses.count(429) >= 94 and set(statuses) <= {200, 429}
    right = _request(server + "/sign-in", cookie, dict(form, password=PASSWORD))
    assert right[0] == 429 and LOCKED in right[2]


def test_parallel_wrong_codes_reach_the_check_no_more_often_than_the_limit(server, browser, web_db, clock,
                                                                           monkeypatch):
    """The same for two-step codes: 40 wrong codes at once after the right password, at most 5 are checked."""
    enable_totp(browser("lead"), web_db, clock)
    import planner.accounts.totp
    checked = []
    real = planner.accounts.totp.check_code
    monkeypatch.setattr(planner.accounts.totp, "check_code", lambda *a: checked.append(a[2]) or real(*a))
    _status, cookie, page = _request(server + "/sign-in")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    status, cookie, _page = _request(server + "/sign-in", cookie,
                                     {"email": USERS["lead"][0], "password": PASSWORD, "csrf_token": token})
    assert status == 302  # the password was right: the code step is pending in this cookie
    _status, cookie, page = _request(server + "/sign-in/code", cookie)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    form = {"code": "000000", "csrf_token": token}
    statuses = _in_parallel(lambda: _request(server + "/sign-in/code", cookie, form)[0], 40)
    assert len(checked) <= 5, len(checked)
    assert statuses.count(429) >= 35
