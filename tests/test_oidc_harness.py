"""The OpenID Connect test harness itself (tests/oidc_support.py, tests/oidc_provider/): the real provider starts,
publishes its discovery document, and signs a person in through a browser with the code flow and PKCE."""
from __future__ import annotations

import base64
import json
import secrets
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from oidc_support import OidcProvider, jwt_parts, pkce_pair, sign_in
from web_support import browser_pages

ACCOUNTS = {"alice": {"email": "alice@test.invalid", "email_verified": True}}


class Callback:
    """A tiny relying party stand-in on loopback: remembers the query of every request to a path (the browser's
    /favicon.ico included, hence by path)."""

    def __init__(self):
        self.queries: dict[str, list[dict[str, str]]] = {}
        callback = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
                callback.queries.setdefault(url.path, []).append(query)
                body = b"<!DOCTYPE html><title>callback</title><p>ok</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture(scope="module")
def callback():
    server = Callback()
    yield server
    server.close()


@pytest.fixture(scope="module")
def op(callback):
    clients = [
        {"client_id": "basic-rp", "client_secret": "basic-secret", "redirect_uris": [f"{callback.base}/cb"],
         "post_logout_redirect_uris": [f"{callback.base}/bye"]},
        {"client_id": "post-rp", "client_secret": "post-secret", "redirect_uris": [f"{callback.base}/cb"],
         "post_logout_redirect_uris": [f"{callback.base}/bye"], "token_endpoint_auth_method": "client_secret_post"},
    ]
    with OidcProvider(clients=clients, accounts=ACCOUNTS, id_token_ttl=120) as provider:
        yield provider


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def authorize(page, discovery: dict, callback: Callback, client_id: str, login: str) -> tuple[dict, str, str]:
    """Sign ``login`` in with the code flow and PKCE; returns the callback's query, the verifier and the nonce."""
    verifier, challenge = pkce_pair()
    state, nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": f"{callback.base}/cb",
              "scope": "openid email profile", "state": state, "nonce": nonce,
              "code_challenge": challenge, "code_challenge_method": "S256"}
    page.goto(f"{discovery['authorization_endpoint']}?{urllib.parse.urlencode(params)}")
    sign_in(page, login)
    page.wait_for_url(f"{callback.base}/cb?**")
    query = callback.queries["/cb"][-1]
    assert query["state"] == state and query["code"]
    assert query["iss"] == discovery["issuer"]
    return query, verifier, nonce


def exchange(discovery: dict, callback: Callback, client: tuple[str, str], code: str, verifier: str,
             basic: bool) -> dict:
    client_id, secret = client
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": f"{callback.base}/cb",
            "code_verifier": verifier}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if basic:
        pair = f"{urllib.parse.quote(client_id)}:{urllib.parse.quote(secret)}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    else:
        form |= {"client_id": client_id, "client_secret": secret}
    request = urllib.request.Request(discovery["token_endpoint"], data=urllib.parse.urlencode(form).encode(),
                                     headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_discovery_document(op):
    assert op.discovery_url == f"{op.issuer}/.well-known/openid-configuration"
    assert op.issuer.startswith("http://127.0.0.1:")
    discovery = get_json(op.discovery_url)
    assert discovery["issuer"] == op.issuer
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri", "end_session_endpoint"):
        assert discovery[key].startswith(op.issuer + "/"), key
    assert "S256" in discovery["code_challenge_methods_supported"]
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]
    assert {"openid", "email", "profile"} <= set(discovery["scopes_supported"])
    keys = get_json(discovery["jwks_uri"])["keys"]
    assert [key["kty"] for key in keys] == ["RSA"] and "d" not in keys[0]


def test_code_flow_with_pkce_signs_in_a_known_account(op, callback, chromium):
    discovery = get_json(op.discovery_url)
    with browser_pages(chromium, callback.base, timeout_ms=10000) as make:
        query, verifier, nonce = authorize(make(), discovery, callback, "basic-rp", "alice")
    tokens = exchange(discovery, callback, ("basic-rp", "basic-secret"), query["code"], verifier, basic=True)
    header, claims = jwt_parts(tokens["id_token"])
    assert header["alg"] == "RS256"
    assert header["kid"] in {key["kid"] for key in get_json(discovery["jwks_uri"])["keys"]}
    assert claims["iss"] == op.issuer and claims["aud"] == "basic-rp"
    assert claims["sub"] == "alice" and claims["nonce"] == nonce
    assert claims["email"] == "alice@test.invalid" and claims["email_verified"] is True
    assert claims["exp"] - claims["iat"] == 120  # id_token_ttl


def test_unknown_login_then_end_session_without_id_token_hint(op, callback, chromium):
    discovery = get_json(op.discovery_url)
    with browser_pages(chromium, callback.base, timeout_ms=10000) as make:
        page = make()
        query, verifier, nonce = authorize(page, discovery, callback, "post-rp", "mallory")
        tokens = exchange(discovery, callback, ("post-rp", "post-secret"), query["code"], verifier, basic=False)
        _, claims = jwt_parts(tokens["id_token"])
        assert claims["aud"] == "post-rp" and claims["nonce"] == nonce
        assert claims["email"] == "mallory@unknown.invalid" and claims["email_verified"] is True

        # RP-initiated logout with client_id and post_logout_redirect_uri, no id_token_hint: confirmed without
        # a click, back at the relying party with its state.
        params = {"client_id": "post-rp", "post_logout_redirect_uri": f"{callback.base}/bye", "state": "s-1"}
        page.goto(f"{discovery['end_session_endpoint']}?{urllib.parse.urlencode(params)}")
        page.wait_for_url(f"{callback.base}/bye?**")
        assert callback.queries["/bye"][-1] == {"state": "s-1"}

        # The provider's session is gone: the next authorization asks for a sign-in again.
        verifier, challenge = pkce_pair()
        again = {"response_type": "code", "client_id": "post-rp", "redirect_uri": f"{callback.base}/cb",
                 "scope": "openid email", "state": "s-2", "code_challenge": challenge,
                 "code_challenge_method": "S256"}
        page.goto(f"{discovery['authorization_endpoint']}?{urllib.parse.urlencode(again)}")
        page.wait_for_selector('input[name="login"]')
