"""Single sign-on with the organisation's identity provider over OpenID Connect (issue 16; the web side is
``planner.web.sso``): discovery, the authorization code flow with PKCE, and the ID token's checks.

Authlib builds the authorization request (``state``, ``nonce``, the S256 code challenge) and exchanges the code;
joserfc checks the ID token: its signature against the provider's published keys (fetched again once when a key is
new), then ``iss`` (the discovered issuer), ``aud`` (our client id; ``azp`` too when there are several audiences),
``exp`` and ``iat`` with a small leeway at the caller's clock, and the ``nonce`` this browser was given.
Every failure is an ``OidcError`` with a code the web layer words.
"""
from __future__ import annotations

import base64
import json
import time
import urllib.request
from urllib.parse import urlencode
from dataclasses import dataclass, field

from authlib.integrations.requests_client import OAuth2Session
from authlib.common.security import generate_token
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

DISCOVERY_PATH = "/.well-known/openid-configuration"
CACHE_SECONDS = 3600        # discovery and keys are fetched again after this long
KEY_REFRESH_SECONDS = 60    # an unknown key id fetches the keys again, at most this often
TIMEOUT_SECONDS = 5.0


class OidcError(Exception):
    """``code``: provider-down, provider-error, state, token, signature, issuer, audience, expired, nonce,
    no-email, unverified-email."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Client:
    """The instance config's OIDC_ISSUER (the issuer or its discovery URL), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
    OIDC_SCOPES and OIDC_EMAIL_CLAIM."""
    issuer: str
    client_id: str
    client_secret: str
    scopes: str = "openid email profile"
    email_claim: str = "email"
    leeway: int = 60
    trust_email: bool = False   # OIDC_TRUST_EMAIL: the provider vouches for every email it sends (Entra ID, one tenant)

    @property
    def discovery_url(self) -> str:
        return self.issuer if self.issuer.endswith(DISCOVERY_PATH) else self.issuer.rstrip("/") + DISCOVERY_PATH


@dataclass
class Start:
    """Where to send the browser, and what its session keeps until it comes back."""
    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass
class _Cached:
    value: dict
    at: float = field(default_factory=time.time)


_metadata: dict[str, _Cached] = {}
_keys: dict[str, _Cached] = {}


def _get_json(url: str) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise OidcError("provider-down", f"{url}: {exc}") from None


def metadata(client: Client) -> dict:
    """The provider's discovery document (cached for ``CACHE_SECONDS``)."""
    hit = _metadata.get(client.discovery_url)
    if hit is None or time.time() - hit.at > CACHE_SECONDS:
        doc = _get_json(client.discovery_url)
        for key in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not doc.get(key):
                raise OidcError("provider-error", f"the discovery document has no {key}")
        # OIDC Discovery 4.3: the issuer the provider names must be the one configured
        if not client.issuer.endswith(DISCOVERY_PATH) and doc["issuer"].rstrip("/") != client.issuer.rstrip("/"):
            raise OidcError("provider-error", f"the provider says its issuer is {doc['issuer']!r}")
        hit = _metadata[client.discovery_url] = _Cached(doc)
    return hit.value


def _key_set(client: Client, refresh: bool = False) -> KeySet:
    uri = metadata(client)["jwks_uri"]
    hit = _keys.get(uri)
    stale = hit is None or time.time() - hit.at > CACHE_SECONDS
    # a new key: fetched again at most once a minute, so forged tokens with made-up key ids cannot flood the provider
    if stale or (refresh and time.time() - hit.at > KEY_REFRESH_SECONDS):
        hit = _keys[uri] = _Cached(_get_json(uri))
    return KeySet.import_key_set(hit.value)


def start(client: Client, redirect_uri: str) -> Start:
    """The authorization request: code flow, PKCE with S256, a fresh ``state`` and ``nonce``."""
    doc = metadata(client)
    verifier, state, nonce = generate_token(64), generate_token(32), generate_token(32)
    session = OAuth2Session(client.client_id, client.client_secret, scope=client.scopes, redirect_uri=redirect_uri,
                            code_challenge_method="S256")
    url, _state = session.create_authorization_url(doc["authorization_endpoint"], state=state, nonce=nonce,
                                                   code_verifier=verifier)
    return Start(url, state, nonce, verifier)


def finish(client: Client, redirect_uri: str, args: dict, expected_state: str | None, nonce: str | None,
           code_verifier: str | None, now: float) -> dict:
    """The provider sent the browser back with ``args`` (the callback's query): check the state, exchange the code
    (with the PKCE verifier) and check the ID token. Returns its claims."""
    if not expected_state or args.get("state") != expected_state or not nonce or not code_verifier:
        raise OidcError("state", "the state does not match this browser's sign-in")
    if args.get("error"):
        raise OidcError("provider-error", str(args.get("error_description") or args["error"])[:200])
    if not args.get("code"):
        raise OidcError("provider-error", "no code")
    doc = metadata(client)
    session = OAuth2Session(client.client_id, client.client_secret, redirect_uri=redirect_uri)
    try:
        token = session.fetch_token(doc["token_endpoint"], code=args["code"], code_verifier=code_verifier,
                                    timeout=TIMEOUT_SECONDS)
    except OSError as exc:
        raise OidcError("provider-down", str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - Authlib's OAuthError and friends: the provider refused the code
        raise OidcError("token", str(exc)[:200]) from None
    if not token.get("id_token"):
        raise OidcError("token", "no ID token")
    return verify_id_token(client, token["id_token"], nonce, now)


def verify_id_token(client: Client, id_token: str, nonce: str, now: float) -> dict:
    """The ID token's claims once its signature, issuer, audience, times and nonce are right."""
    doc = metadata(client)
    try:
        token = _decode(client, id_token)
    except JoseError as exc:
        raise OidcError("signature", str(exc)) from None
    claims = token.claims
    if claims.get("iss") != doc["issuer"]:
        raise OidcError("issuer", f"{claims.get('iss')!r} is not {doc['issuer']!r}")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client.client_id not in audiences or (len(audiences) > 1 and claims.get("azp") != client.client_id):
        raise OidcError("audience", f"the token is for {audience!r}")
    registry = jwt.JWTClaimsRegistry(now=int(now), leeway=client.leeway, exp={"essential": True},
                                     iat={"essential": True})
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise OidcError("expired", str(exc)) from None
    if claims.get("nonce") != nonce:
        raise OidcError("nonce", "the nonce is not the one this sign-in sent")
    return claims


def _decode(client: Client, id_token: str):
    keys = _key_set(client)
    kid = _header(id_token).get("kid")
    if kid and kid not in {key.kid for key in keys.keys}:
        keys = _key_set(client, refresh=True)      # a key the provider has just rotated in
    return jwt.decode(id_token, keys, algorithms=["RS256", "ES256", "PS256"])


def _header(token: str) -> dict:
    try:
        part = token.split(".")[0]
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, IndexError):
        return {}


def email_of(client: Client, claims: dict) -> str:
    """The email the person is matched by: ``OIDC_EMAIL_CLAIM`` (default ``email``), only when the provider says
    it verified it (``email_verified`` true), or when the operator trusts every email it sends (``trust_email``:
    Microsoft Entra ID sends no ``email_verified``; in a single tenant its administrators own the addresses)."""
    email = claims.get(client.email_claim)
    if not isinstance(email, str) or "@" not in email:
        raise OidcError("no-email", f"no {client.email_claim} in the ID token")
    if not client.trust_email and claims.get("email_verified") not in (True, "true"):
        raise OidcError("unverified-email", email)
    return email.strip().lower()


def subject_of(claims: dict) -> str:
    """Who the person is at the provider, for good: its issuer and ``sub`` (an email can be given to someone
    else later)."""
    return f"{claims['iss']}|{claims['sub']}"


def end_session_url(client: Client, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session (RP-initiated logout) address, when it has one: our client id and where to come
    back; no ID token goes along."""
    try:
        endpoint = metadata(client).get("end_session_endpoint")
    except OidcError:
        return None
    if not endpoint:
        return None
    query = urlencode({"client_id": client.client_id, "post_logout_redirect_uri": post_logout_redirect_uri})
    return f"{endpoint}?{query}"
