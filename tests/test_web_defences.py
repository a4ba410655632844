"""Web defences that depend on how the app is deployed: the secret key, cookie flags and HSTS behind HTTPS."""
from __future__ import annotations

import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from planner.wsgi import create_app
from planner.web.security import ConfigError
from web_support import PASSWORD, USERS, Browser, csrf_token


@pytest.fixture
def production(tmp_path, monkeypatch, demo_db_file):
    """An instance folder with a copy of the demo database and PLANNER_ENV=production, but no secret key yet."""
    import shutil
    instance = tmp_path / "instance"
    instance.mkdir()
    shutil.copy(demo_db_file, instance / "planner.sqlite")
    monkeypatch.setenv("PLANNER_INSTANCE", str(instance))
    monkeypatch.setenv("PLANNER_ENV", "production")
    return instance


def test_production_refuses_to_start_without_a_secret_key(production):
    with pytest.raises(ConfigError, match="planner init-db"):
        create_app()
    assert not (production / "secret_key").exists()


def test_init_db_generates_the_key_then_the_app_starts(production):
    result = subprocess.run([str(Path(sys.executable).parent / "planner"), "init-db"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    key = production / "secret_key"
    assert len(key.read_text().strip()) == 64
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    app = create_app()
    assert app.config["SECRET_KEY"] == key.read_text().strip()


def test_production_refuses_a_short_key(production):
    (production / "secret_key").write_text("too short")
    with pytest.raises(ConfigError, match="shorter than 32"):
        create_app()


def _sign_in_cookies(app, base_url: str) -> list[str]:
    client = app.test_client()
    token = csrf_token(client.get("/sign-in", base_url=base_url))
    # (over HTTPS, Flask-WTF also checks that the Referer is this site, as a browser sends it)
    response = client.post("/sign-in", base_url=base_url, headers={"Referer": base_url + "/sign-in"}, data={
        "email": USERS["lead"][0], "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return response.headers.getlist("Set-Cookie")


def test_production_cookies_are_secure_httponly_and_samesite(production):
    (production / "secret_key").write_text("k" * 64)
    cookies = _sign_in_cookies(create_app(), "https://planner.example")
    session = next(c for c in cookies if c.startswith("session="))
    assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session


def test_development_cookies_are_httponly_and_samesite(web_app):
    session = next(c for c in _sign_in_cookies(web_app, "http://localhost") if c.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session


def test_hsts_only_over_https(web_app):
    client = web_app.test_client()
    assert "Strict-Transport-Security" not in client.get("/sign-in").headers
    hsts = client.get("/sign-in", base_url="https://planner.example").headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts


def test_pages_frames_and_referrers(web_app):
    response = web_app.test_client().get("/sign-in")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("who", ["oulu", "lead", "admin"])
def test_every_state_changing_route_needs_the_csrf_token(web_app, web_db, who):
    """Each POST route, for each signed-in role, is refused without the token, whatever the role may do."""
    b = Browser(web_app)
    b.sign_in(who)
    before = {t: list(web_db[t].rows) for t in ("visits", "trips", "meetings", "absences", "users", "offices")}
    for rule in web_app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint == "auth.sign_in":
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = path.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "x")
        response = b.client.post(path, data={"week": "2026-W50"})
        assert response.status_code == 400, (who, path, response.status_code)
    assert before == {t: list(web_db[t].rows) for t in before}


def test_the_landing_page_says_nothing_about_the_data(web_app, web_db):
    """A visitor who is not signed in learns nothing of the data: no counts of staff, offices or visit requests and
    no office names, only what the service is and the way to sign in."""
    page = web_app.test_client().get("/").get_data(as_text=True)
    assert "/sign-in" in page
    for row in web_db.query("select name from offices"):
        assert row["name"] not in page
    counts = [str(web_db[t].count) for t in ("offices", "staff", "visits")]
    assert not any(f">{n} " in page or f" {n} " in page for n in counts), counts
    assert "toimist" not in page.lower() and "office" not in page.lower()


HTTPS = "https://planner.example"


def _https_client(app, lang: str):
    client = app.test_client()
    client.set_cookie("lang", lang, domain="planner.example")
    return client, csrf_token(client.get("/sign-in", base_url=HTTPS))


def _sign_in_form(token: str | None) -> dict:
    form = {"email": USERS["lead"][0], "password": PASSWORD}
    return form if token is None else {**form, "csrf_token": token}


@pytest.mark.parametrize("lang, title, wrong", [
    ("en", "The browser did not say where the form came from", "The form expired"),
    ("fi", "Selain ei kertonut, mistä lomake tuli", "Lomake vanheni"),
    ("sv", "Webbläsaren angav inte varifrån formuläret kom", "Formuläret har gått ut"),
])
def test_a_form_without_a_referer_over_https_is_refused_for_that_reason(web_app, lang, title, wrong):
    """Over HTTPS Flask-WTF also wants a same-site Referer; a browser (or an extension) that sends none gets told
    that, in its language, not that the form expired (reloading would not help)."""
    client, token = _https_client(web_app, lang)
    response = client.post("/sign-in", base_url=HTTPS, data=_sign_in_form(token))  # a valid token, no Referer
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"<h1>{title}</h1>" in page and "Referer" in page
    assert wrong not in page
    assert client.get("/account", base_url=HTTPS).status_code == 302  # not signed in


class _Later:
    """itsdangerous's clock two hours on: every CSRF token signed before is past Flask-WTF's one-hour limit."""
    @staticmethod
    def time():
        import time
        return time.time() + 7200


def test_each_csrf_refusal_names_its_own_reason(web_app, monkeypatch):
    referer = {"Referer": HTTPS + "/sign-in"}

    def refused(client, token, headers=referer) -> str:
        response = client.post("/sign-in", base_url=HTTPS, headers=headers, data=_sign_in_form(token))
        assert response.status_code == 400
        return re.search(r"<h1>(.*?)</h1>", response.get_data(as_text=True)).group(1)

    client, token = _https_client(web_app, "en")
    assert refused(client, token, {"Referer": "https://elsewhere.example/form"}) == "The form came from another site"
    assert refused(client, None) == "The form was incomplete"
    assert refused(client, token + "x") == "The form belongs to another session"
    other, other_token = _https_client(web_app, "en")
    assert refused(client, other_token) == "The form belongs to another session"  # another session's token
    fresh = web_app.test_client()  # no session cookie at all
    fresh.set_cookie("lang", "en", domain="planner.example")
    assert refused(fresh, token) == "Your session ended"
    import itsdangerous.timed
    monkeypatch.setattr(itsdangerous.timed, "time", _Later)
    assert refused(client, token) == "The form expired"
