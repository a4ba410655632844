"""Signing in with the organisation's account (OpenID Connect; ``planner.accounts.oidc``), beside the local
passwords. Configured in the instance config only: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, and optionally
OIDC_SCOPES, OIDC_EMAIL_CLAIM and OIDC_ORGANISATION (the name on the button).

The person is matched by the verified email to an account an administrator made; nobody is created here. The
sign-in goes through the same lock-out, audit and session rules as a password: attempts are counted per email and
per address before the account is looked at, a locked email is refused, and success starts a new session with a new
id. The app's own two-step code is not asked: the organisation's provider does its own second step.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..accounts import lockout
from ..accounts.oidc import Client, OidcError, email_of, end_session_url, finish, start, subject_of
from ..context import get_db
from ..store import users as user_store
from ..store.db import audit
from .auth import (SSO_SESSION_KEY, SignInForm, User, admit_attempt, clock, count_failure, failure_keys,
                   fresh_session, home_for, lock_message, safe_next, start_session)

bp = Blueprint("sso", __name__)
PENDING = "sso_pending"     # the session's key for a sign-in under way: state, nonce, PKCE verifier, next
PENDING_SECONDS = 600       # a sign-in begun longer ago than this is refused on its return


def client() -> Client | None:
    config = current_app.config
    if not (config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID")):
        return None
    return Client(issuer=config["OIDC_ISSUER"], client_id=config["OIDC_CLIENT_ID"],
                  client_secret=config.get("OIDC_CLIENT_SECRET") or "",
                  scopes=config.get("OIDC_SCOPES") or "openid email profile",
                  email_claim=config.get("OIDC_EMAIL_CLAIM") or "email",
                  trust_email=bool(config.get("OIDC_TRUST_EMAIL")))


def configured() -> bool:
    return client() is not None


def organisation() -> str:
    return current_app.config.get("OIDC_ORGANISATION") or _("your organisation")


def _callback_url() -> str:
    return url_for("sso.callback", _external=True)


def refusal(code: str) -> str:
    """Why the organisation's sign-in did not sign the person in, in their language."""
    org = organisation()
    messages = {
        "provider-down": _("The sign-in service of %(org)s is not answering. Try again later, or sign in with your "
                           "password.", org=org),
        "state": _("This sign-in had expired or was already used. Start again."),
        "unknown": _("You signed in at %(org)s, but no account here has that email. Ask an administrator to make "
                     "you one.", org=org),
        "unverified-email": _("%(org)s has not verified your email address, so it cannot sign you in here.", org=org),
        "no-email": _("%(org)s did not tell us your email address, so it cannot sign you in here.", org=org),
        "other-person": _("This account is linked to another person at %(org)s. Ask an administrator.", org=org),
    }
    return messages.get(code, _("Signing in with %(org)s failed. Start again, or ask an administrator.", org=org))


@bp.get("/sign-in/sso")
def begin():
    """Send the browser to the provider; its session keeps the state, nonce and PKCE verifier."""
    oidc = client()
    if oidc is None:
        return redirect(url_for("auth.sign_in"))
    try:
        started = start(oidc, _callback_url())
    except OidcError as exc:
        current_app.logger.warning("single sign-on cannot start: %s", exc.code)
        flash(refusal(exc.code), "error")
        return redirect(url_for("auth.sign_in"))
    session[PENDING] = {"state": started.state, "nonce": started.nonce, "verifier": started.code_verifier,
                        "next": safe_next(request.args.get("next")), "at": int(clock())}
    return redirect(started.url)


@bp.get("/sign-in/sso/callback")
def callback():
    oidc = client()
    if oidc is None:
        return redirect(url_for("auth.sign_in"))
    pending = session.pop(PENDING, None) or {}      # once: a replayed callback finds nothing to match
    if clock() - pending.get("at", 0) > PENDING_SECONDS:
        pending = {}                                # begun too long ago: refused as an unknown state
    db = get_db()
    try:
        claims = finish(oidc, _callback_url(), request.args.to_dict(), pending.get("state"), pending.get("nonce"),
                        pending.get("verifier"), clock())
        email = email_of(oidc, claims)
    except OidcError as exc:
        return _refuse(db, exc.code)
    keys = failure_keys(email)
    row = user_store.active_user_by_email(db, email)
    admission = admit_attempt(db, keys, row["id"] if row else None)
    if admission.locked_until:
        flash(lock_message(admission.locked_until), "error")
        return render_template("auth/sign_in.html", form=SignInForm(formdata=None)), 429
    subject = subject_of(claims)
    if row is None or (row["oidc_subject"] and row["oidc_subject"] != subject):
        step = "sso-unknown-account" if row is None else "sso-other-person"
        until = count_failure(db, keys, row["id"] if row else None, step)
        flash(lock_message(until) if until else refusal("unknown" if row is None else "other-person"), "error")
        return redirect(url_for("auth.sign_in"))
    if row["oidc_subject"] is None:     # the first sign-in links the account to this person at the provider
        user_store.link_subject(db, row["id"], subject)
        audit(db, f"user:{row['id']}", "sso-linked", "user", str(row["id"]))
    fresh_session()
    user = User(row)
    start_session(user)
    session[SSO_SESSION_KEY] = True
    lockout.succeeded(db, admission, keys["account"])
    audit(db, user.actor, "sign-in", "user", str(user.id), {"method": "organisation account"})
    return redirect(pending.get("next") or home_for(user))


def _refuse(db, code: str):
    """Audit and log the refused callback by its reason's code only: the error's detail may name the person's
    email, and neither the audit log nor the log carries emails or what the provider sent."""
    audit(db, "anonymous", "sign-in-failed", "user", "", {"address": request.remote_addr, "step": f"sso-{code}"})
    current_app.logger.warning("single sign-on refused: %s", code)
    flash(refusal(code), "error")
    return redirect(url_for("auth.sign_in"))


def _button() -> dict | None:
    """What the sign-in page shows for the organisation's sign-in: its name and where the button goes."""
    return {"organisation": organisation(), "url": url_for("sso.begin", next=safe_next(request.args.get("next")))} \
        if configured() else None


def _provider_sign_out_url() -> str | None:
    """After signing out of a session that came from the organisation's account: the provider's end-session
    address, offered on the sign-in page so the person can end that session too."""
    oidc = client()
    return end_session_url(oidc, url_for("auth.sign_in", _external=True)) if oidc else None


@bp.app_context_processor
def sign_in_page_parts() -> dict:
    return {"sso_button": _button, "sso_sign_out_url": _provider_sign_out_url}
