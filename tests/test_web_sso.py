"""Signing in with the organisation's account against a real OpenID provider on loopback (panva's oidc-provider,
tests/oidc_support.py) in a real browser: the whole sign-in and sign-out, an unknown or unverified email, a bad or
replayed state, an expired token, a token for another client, a provider that is down, password sign-in switched
off and the lock-out (issue 16, points 1-2)."""
from __future__ import annotations

import shutil
import time
import urllib.parse

import pytest

from planner.accounts import oidc
from planner.store.db import open_db
from oidc_support import OidcProvider, free_port, jwt_parts, sign_in
from test_oidc_harness import authorize, callback, exchange, get_json  # noqa: F401 - callback: its fixture
from web_support import PASSWORD, USERS, browser_pages, serve

ORG = "Testivirasto"
ACCOUNTS = {who: {"email": USERS[who][0], "email_verified": True} for who in ("lead", "oulu", "tampere")}
ACCOUNTS["unverified"] = {"email": USERS["admin"][0], "email_verified": False}
ACCOUNTS["unsaid"] = {"email": USERS["admin"][0], "email_verified": None}   # no email_verified at all (Entra ID)
ACCOUNTS["impostor"] = {"email": USERS["lead"][0], "email_verified": True}     # the lead's email, another person
OFFSET = [0.0]      # seconds the app's clock runs ahead (an ID token that has expired by the time it arrives)


@pytest.fixture(scope="module")
def site(demo_db_file, tmp_path_factory, callback):
    """The app on its own copy of the demo database, with single sign-on at a real provider."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    clients = [{"client_id": "planner", "client_secret": "planner-secret",
                "redirect_uris": [f"{base}/sign-in/sso/callback", f"{callback.base}/cb"],
                "post_logout_redirect_uris": [f"{base}/sign-in"]},
               {"client_id": "another-app", "client_secret": "another-secret", "redirect_uris": [f"{callback.base}/cb"]}]
    folder = tmp_path_factory.mktemp("sso")
    database = folder / "planner.sqlite"
    shutil.copy(demo_db_file, database)
    with OidcProvider(clients=clients, accounts=ACCOUNTS, id_token_ttl=300) as op:
        config = {"OIDC_ISSUER": op.issuer, "OIDC_CLIENT_ID": "planner", "OIDC_CLIENT_SECRET": "planner-secret",
                  "OIDC_ORGANISATION": ORG, "CLOCK": lambda: time.time() + OFFSET[0]}
        with serve(database, folder / "instance", config, port) as url:
            yield {"url": url, "op": op, "database": str(database)}


@pytest.fixture
def pages(chromium, site):
    with browser_pages(chromium, site["url"]) as make:
        yield make


def audit_rows(site, action: str) -> list[dict]:
    db = open_db(site["database"])
    try:
        return list(db.query("select * from audit_log where action = ? order by id", [action]))
    finally:
        db.close()


def admin_on_user_page(site, pages, who: str):
    """The administrator, signed in with their password, on the page of ``who``'s account."""
    admin = pages()
    admin.goto("/sign-in")
    admin.fill("#email", USERS["admin"][0])
    admin.fill("#password", PASSWORD)
    admin.click("button[type=submit]:has-text('Kirjaudu sisään')")
    db = open_db(site["database"])
    user_id = next(db["users"].rows_where("email = ?", [USERS[who][0]]))["id"]
    db.close()
    admin.goto(f"/admin/users/{user_id}")
    return admin


def start_sso(page) -> None:
    page.goto("/sign-in")
    page.click("#sso-sign-in")
    page.wait_for_selector('input[name="login"]')


def test_signing_in_and_out_with_the_organisations_account(site, pages):
    page = pages()
    page.goto("/sign-in")
    assert page.locator("#sso-sign-in").inner_text() == f"Kirjaudu organisaation tunnuksella ({ORG})"
    start_sso(page)
    assert page.url.startswith(site["op"].issuer)
    sign_in(page, "lead")
    page.wait_for_url(f"{site['url']}/overview**")
    signed_in = audit_rows(site, "sign-in")[-1]
    assert '"organisation account"' in signed_in["detail"]
    page.click("button:has-text('Kirjaudu ulos')")
    page.wait_for_url(f"{site['url']}/sign-in?provider=1")
    assert page.locator("text=Olet kirjautunut ulos").count() == 1
    page.click("#provider-sign-out")            # the provider's own session ends too, and it sends us back
    page.wait_for_url(f"{site['url']}/sign-in**")
    start_sso(page)                             # so the next sign-in asks who again
    assert page.locator('input[name="login"]').count() == 1
    # (the provider's own development sign-in page asks for fonts it cannot reach: console noise, not ours)
    assert not [e for e in page.errors if e.startswith("script error")]


@pytest.mark.parametrize("login, words", [
    ("stranger", "täällä ei ole tiliä sillä sähköpostiosoitteella"),
    ("unverified", "ei ole vahvistanut sähköpostiosoitettasi"),
    ("unsaid", "ei ole vahvistanut sähköpostiosoitettasi"),
])
def test_an_unknown_or_unverified_email_is_refused_clearly_and_audited(site, pages, login, words):
    page = pages()
    start_sso(page)
    sign_in(page, login)
    page.wait_for_url(f"{site['url']}/sign-in**")
    assert words in page.inner_text("main") and ORG in page.inner_text("main")
    failed = audit_rows(site, "sign-in-failed")[-1]
    assert failed["actor"] == "anonymous" and "sso-" in failed["detail"]


def test_a_bad_state_is_refused(site, pages):
    page = pages()
    start_sso(page)                             # this browser's sign-in is under way, with its own state
    page.goto("/sign-in/sso/callback?code=made-up&state=not-the-one-sent")
    assert "vanhentunut tai jo käytetty" in page.inner_text("main") and "/sign-in" in page.url
    assert '"sso-state"' in audit_rows(site, "sign-in-failed")[-1]["detail"]


def test_a_replayed_callback_signs_no_one_in(site, pages):
    page = pages()
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if "/sign-in/sso/callback" in request.url else None)
    start_sso(page)
    sign_in(page, "oulu")
    page.wait_for_url(f"{site['url']}/schedule**")      # signed in
    page.click("button:has-text('Kirjaudu ulos')")
    page.goto(seen[0])                                  # the same code and state again
    assert "/sign-in" in page.url and "vanhentunut tai jo käytetty" in page.inner_text("main")
    page.goto("/schedule")
    assert "/sign-in" in page.url                       # not signed in


def test_an_id_token_expired_on_arrival_is_refused(site, pages):
    page = pages()
    start_sso(page)
    OFFSET[0] = 500.0      # the token (300 s, and a minute's leeway) has expired by our clock; the sign-in (10 min) not
    try:
        sign_in(page, "lead")
        page.wait_for_url(f"{site['url']}/sign-in**")
    finally:
        OFFSET[0] = 0.0
    assert "epäonnistui" in page.inner_text("main")
    assert '"sso-expired"' in audit_rows(site, "sign-in-failed")[-1]["detail"]


def test_the_id_token_checks_on_real_tokens(site, callback, chromium):
    """Tokens the provider signed: for another client (audience), our own with another nonce, late, or altered."""
    op = site["op"]
    client = oidc.Client(issuer=op.issuer, client_id="planner", client_secret="planner-secret")
    discovery = get_json(op.discovery_url)
    tokens = {}
    for client_id, secret in (("another-app", "another-secret"), ("planner", "planner-secret")):
        with browser_pages(chromium, callback.base, timeout_ms=10000) as make:  # a browser of its own each time
            query, verifier, nonce_sent = authorize(make(), discovery, callback, client_id, "lead")
        tokens[client_id] = (exchange(discovery, callback, (client_id, secret), query["code"], verifier, True),
                             nonce_sent)
    (other, nonce), (ours, ours_nonce) = tokens["another-app"], tokens["planner"]
    now = time.time()
    claims = oidc.verify_id_token(client, ours["id_token"], ours_nonce, now)
    assert claims["email"] == USERS["lead"][0] and claims["aud"] == "planner"

    def refused(token: str, nonce_: str, at: float) -> str:
        with pytest.raises(oidc.OidcError) as caught:
            oidc.verify_id_token(client, token, nonce_, at)
        return caught.value.code
    assert refused(other["id_token"], nonce, now) == "audience"
    assert refused(ours["id_token"], "another nonce", now) == "nonce"
    exp = jwt_parts(ours["id_token"])[1]["exp"]
    assert refused(ours["id_token"], ours_nonce, exp + client.leeway + 1) == "expired"
    head, body, signature = ours["id_token"].split(".")
    assert refused(f"{head}.{body}.{signature[::-1]}", ours_nonce, now) == "signature"


def test_switching_password_sign_in_off_leaves_only_the_organisations_account(site, pages):
    admin = admin_on_user_page(site, pages, "tampere")
    admin.click("button:has-text('Poista salasanakirjautuminen')")
    assert "vain organisaation tunnuksella" in admin.inner_text("main")
    person = pages()
    person.goto("/sign-in")
    person.fill("#email", USERS["tampere"][0])
    person.fill("#password", PASSWORD)
    person.click("button[type=submit]:has-text('Kirjaudu sisään')")
    assert "Väärä sähköposti tai salasana" in person.inner_text("main")
    start_sso(person)
    sign_in(person, "tampere")
    person.wait_for_url(f"{site['url']}/schedule**")
    person.goto("/account")
    assert "ei ole täällä salasanaa" in person.inner_text("main")


def test_a_locked_email_is_refused_by_the_organisations_sign_in_too(site, pages):
    page = pages()
    for _ in range(5):                          # SIGN_IN_MAX_FAILURES_ACCOUNT wrong passwords
        page.goto("/sign-in")
        page.fill("#email", USERS["oulu"][0])
        page.fill("#password", "wrong password entirely")
        page.click("button[type=submit]:has-text('Kirjaudu sisään')")
    start_sso(page)
    sign_in(page, "oulu")
    page.wait_for_selector("main")
    assert "Liian monta epäonnistunutta" in page.inner_text("main")
    assert "/schedule" not in page.url


def test_a_provider_that_is_down_gets_a_clear_message_and_passwords_still_work(demo_db_file, tmp_path, chromium):
    database = tmp_path / "planner.sqlite"
    shutil.copy(demo_db_file, database)
    config = {"OIDC_ISSUER": f"http://127.0.0.1:{free_port()}", "OIDC_CLIENT_ID": "planner",
              "OIDC_CLIENT_SECRET": "x", "OIDC_ORGANISATION": ORG}
    with serve(database, tmp_path / "instance", config) as url, browser_pages(chromium, url) as make:
        page = make()
        page.goto("/sign-in")
        page.click("#sso-sign-in")
        page.wait_for_url(f"{url}/sign-in**")
        assert f"Kirjautumispalvelu ({ORG}) ei vastaa" in page.inner_text("main")
        page.fill("#email", USERS["lead"][0])
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]:has-text('Kirjaudu sisään')")
        page.wait_for_url(f"{url}/overview**")
        assert urllib.parse.urlsplit(page.url).path == "/overview"


def test_an_account_stays_with_the_person_who_first_signed_in_with_it(site, pages):
    """The lead's account is linked to the lead's person at the provider at their first sign-in: another person
    given the same email is refused, until an administrator unlinks the account."""
    first = pages()
    start_sso(first)
    sign_in(first, "lead")
    first.wait_for_url(f"{site['url']}/overview**")
    assert audit_rows(site, "sso-linked")
    other = pages()
    start_sso(other)
    sign_in(other, "impostor")
    other.wait_for_url(f"{site['url']}/sign-in**")
    assert "linkitetty toiseen henkilöön" in other.inner_text("main")
    assert '"sso-other-person"' in audit_rows(site, "sign-in-failed")[-1]["detail"]
    admin = admin_on_user_page(site, pages, "lead")     # the address was given to the new person: unlink it
    admin.click("button:has-text('Poista linkitys')")
    assert "ei ole enää linkitetty" in admin.inner_text("main")
    other.goto("/sign-in")                      # still signed in at the provider as the new person
    other.click("#sso-sign-in")
    other.wait_for_url(f"{site['url']}/overview**")


def test_an_email_without_email_verified_is_trusted_only_when_the_operator_says_so():
    claims = {"iss": "https://login.example", "sub": "x", "email": "Lead@Test.invalid"}
    strict = oidc.Client(issuer="https://login.example", client_id="planner", client_secret="s")
    with pytest.raises(oidc.OidcError) as caught:
        oidc.email_of(strict, claims)
    assert caught.value.code == "unverified-email"
    trusting = oidc.Client(issuer="https://login.example", client_id="planner", client_secret="s", trust_email=True,
                           email_claim="email")
    assert oidc.email_of(trusting, claims) == "lead@test.invalid"
