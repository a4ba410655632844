"""Sign-in, roles on every route, CSRF and security headers."""
from __future__ import annotations

import pytest

from web_support import PASSWORD, USERS

# Routes anyone may open (the feed is guarded by its secret token instead).
PUBLIC = {"home.index", "home.health", "auth.sign_in", "auth.sign_in_code", "static", "schedule.feed", "sso.begin",
          "sso.callback"}
# Who may use each protected endpoint (GET or POST); everyone else gets 403, anonymous users the sign-in page.
LEAD = {"overview.index", "visits.new", "visits.edit", "visits.proposals", "visits.suggest_places", "plan.index",
        "plan.publish", "plan.confirm_publish", "plan.accept", "plan.take_back", "plan.pin", "plan.move",
        "plan.options", "plan.again", "plan.job", "plan.cancel_job",
        "availability.team_month", "availability.delete_for_team", "map.index", "reports.index", "reports.download", "reports.chart",
        "reports.what_if_page"}
STAFF_MEMBER = {"schedule.index", "schedule.decline", "schedule.new_feed", "schedule.revoke_feed", "schedule.mark_seen",
                "availability.mine", "availability.delete"}
ADMIN = {"admin.users", "admin.offices", "admin.new_office", "admin.edit_office", "admin.settings", "audit.index",
         "admin.user", "admin.deactivate_user", "admin.reactivate_user", "admin.set_user_password",
         "admin.unlock_user", "admin.reset_user_totp", "admin.password_sign_in", "admin.unlink_sso", "outbox.index"}
SIGNED_IN = {"auth.sign_out", "i18n.switch", "account.index", "account.sign_out_everywhere", "account.change_password",
             "account.totp_disable", "account.notices"}
LEAD_OR_ADMIN = {"account.totp_start", "account.totp_setup", "team.index", "team.hours"}  # the optional second factor (tests/test_web_signin.py)


def test_every_route_is_classified(web_app):
    endpoints = {rule.endpoint for rule in web_app.url_map.iter_rules()}
    assert endpoints == PUBLIC | LEAD | STAFF_MEMBER | ADMIN | SIGNED_IN | LEAD_OR_ADMIN


def _url(rule) -> str:
    values = {arg: {"visit_id": "demo-03", "trip_id": "none", "meeting_id": 1, "job_id": 1, "absence_id": 1,
                    "token": "x", "filename": "app.css", "office_id": "oulu", "user_id": 4, "name": "visits",
                    "staff_id": "oulu-sc"}[arg]
              for arg in rule.arguments}
    path = rule.rule
    for k, v in values.items():
        path = path.replace(f"<{k}>", str(v)).replace(f"<int:{k}>", str(v))
    return path


@pytest.mark.parametrize("who", [None, "oulu", "lead", "admin"])
def test_role_matrix(web_app, browser, who):
    b = browser(who)
    for rule in web_app.url_map.iter_rules():
        if rule.endpoint in PUBLIC | SIGNED_IN:
            continue
        url = _url(rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = b.get(url) if method == "GET" else b.post(url)
        allowed = (rule.endpoint in LEAD and who == "lead") or (rule.endpoint in ADMIN and who == "admin") or (
            rule.endpoint in STAFF_MEMBER and who in ("oulu", "lead")) or (  # the lead is also staff member hel-sw
            rule.endpoint in LEAD_OR_ADMIN and who in ("lead", "admin"))
        if who is None:
            assert response.status_code == 302 and "/sign-in" in response.location, (url, response.status_code)
        elif allowed:
            assert response.status_code not in (401, 403), (who, url)
        else:
            assert response.status_code == 403, (who, url, response.status_code)


def test_sign_in_and_out(browser):
    b = browser()
    response = b.sign_in("lead")
    assert response.location == "/overview"
    assert b.get("/overview").status_code == 200
    assert b.post("/sign-out").status_code == 302
    assert b.get("/overview").status_code == 302


def test_wrong_password_and_unknown_email_look_the_same(browser):
    b = browser()
    wrong = b.post("/sign-in", {"email": USERS["lead"][0], "password": "nope"}).get_data(as_text=True)
    unknown = b.post("/sign-in", {"email": "nobody@test.invalid", "password": "nope"}).get_data(as_text=True)
    assert "Väärä sähköposti tai salasana." in wrong and "Väärä sähköposti tai salasana." in unknown
    assert 'value="nobody@test.invalid"' in unknown  # the form keeps what was typed


@pytest.mark.parametrize("target, expected", [("/plan?week=2026-W50", "/plan?week=2026-W50"),
                                               ("https://evil.example/", "/overview"), ("//evil.example", "/overview"),
                                               ("/\\evil.example", "/overview")])
def test_next_is_validated(browser, target, expected):
    b = browser()
    assert b.sign_in("lead", next_url=target).location == expected


@pytest.mark.parametrize("target", ["/plan%0d%0aX", "/plan%0dX", "/plan%0aX", "/%09/evil.example", "/plan%09x",
                                    "/%5Cevil.example", "/plan%00", "/plan%7f"])
def test_next_with_control_characters_goes_home(browser, web_db, target):
    """A carriage return, line feed, tab or other control character in ``next`` is an unsafe target: the sign-in
    goes to the home page (no 500 after the sign-in was recorded; browsers drop tabs, so '/\t/x' is '//x')."""
    b = browser()
    assert b.sign_in("lead", next_url=target).location == "/overview"
    assert b.get("/overview").status_code == 200


def test_session_is_renewed_on_sign_in(browser):
    b = browser()
    with b.client.session_transaction() as session:
        session["planted"] = "by an attacker"
    b.sign_in("oulu")
    with b.client.session_transaction() as session:
        assert "planted" not in session


def test_missing_csrf_token_is_refused_with_an_explanation(browser):
    b = browser("lead")
    response = b.client.post("/plan/publish", data={"week": "2026-W50"})
    assert response.status_code == 400
    assert "Lomake oli puutteellinen" in response.get_data(as_text=True)


def test_security_headers(browser):
    b = browser("lead")
    response = b.get("/overview")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"
    static = b.get("/static/app.css")
    assert static.headers.get("Cache-Control") != "no-store"
    static.close()


def test_no_inline_script_or_style_in_templates():
    from pathlib import Path
    import re
    for path in Path(__file__).resolve().parent.parent.joinpath("templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\sstyle=|\son[a-z]+=", text), path
        assert "<style" not in text, path


def test_user_loader_ignores_unknown_ids(web_app):
    from planner.web.auth import load_user
    with web_app.test_request_context():
        assert load_user("999") is None and load_user("abc") is None


def test_admin_adds_a_user(browser, web_db):
    b = browser("admin")
    page = b.get("/admin/users").get_data(as_text=True)
    assert "lead@test.invalid" in page and "IK-" not in page
    short = b.post("/admin/users", {"email": "new@test.invalid", "role": "staff", "staff": "tre-si2", "password": "short"})
    assert short.status_code == 422 and 'value="new@test.invalid"' in short.get_data(as_text=True)
    ok = b.post("/admin/users", {"email": "new@test.invalid", "role": "staff", "staff": "tre-si2", "password": PASSWORD})
    assert ok.status_code == 302
    assert list(web_db.query("select role from users where email = 'new@test.invalid'")) == [{"role": "staff"}]
