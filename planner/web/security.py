"""Web defences bound in the factory: the secret key, CSRF on every state-changing request, security headers,
cookie flags and error pages.

The Content-Security-Policy allows scripts and styles only from ``static/``: templates carry no inline script,
no ``style`` attributes and no event-handler attributes; fetch calls send the CSRF token from the page's
``<meta name="csrf-token">`` in an ``X-CSRFToken`` header.
"""
from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.routing import IntegerConverter

from ..context import ensure_secret_key

csrf = CSRFProtect()

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


MIN_SECRET_KEY = 32  # characters; the generated key has 64 hex digits


class ConfigError(RuntimeError):
    """The app must not start with this configuration (the message says what to do)."""


def is_production(app: Flask) -> bool:
    return bool(app.config.get("PRODUCTION")) or os.environ.get("PLANNER_ENV") == "production"


def load_secret_key(app: Flask, generate: bool) -> None:
    """SECRET_KEY from the config, else the instance's ``secret_key`` file, created by ``planner init-db`` at
    set-up. Outside production a missing file is created here on first start; in production the web app refuses
    to start without a key of at least 32 characters, so sessions are never signed with a guessable or lost key."""
    path = Path(app.instance_path) / "secret_key"
    if not app.config.get("SECRET_KEY"):
        if not path.exists() and not generate:
            raise ConfigError(f"no secret key: run 'planner init-db' to create {path}, or set SECRET_KEY")
        ensure_secret_key(app)
        app.config["SECRET_KEY"] = path.read_text().strip()
    if is_production(app) and len(app.config["SECRET_KEY"]) < MIN_SECRET_KEY:
        raise ConfigError(f"the secret key is shorter than {MIN_SECRET_KEY} characters: "
                          f"delete {path} and run 'planner init-db' to generate a new one")


class SqliteInt(IntegerConverter):
    """``<int:...>`` in URLs up to SQLite's largest integer: a longer number is a 404, not an OverflowError when
    the view looks the id up."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2 ** 63 - 1)
        super().__init__(url_map, *args, **kwargs)


def forms_only():
    """Every POST is a form (the script sends FormData too). A JSON body would reach Flask-WTF's forms as values of
    any type (a list, a number, ``false``), so it is refused before a view reads it."""
    if request.method == "POST" and request.is_json:
        return render_template("errors/error.html", code=415, title=_("Not a form"),
                               message=_("Send the form from its page. Nothing was saved.")), 415
    return None


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint != "static":
        # Pages, JSON and calendar feeds may hold case data or schedules: never stored by browsers or proxies.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def csrf_refusal(reason: str) -> tuple[str, str]:
    """The title and message for a form Flask-WTF refused, from its reason (``CSRFError.description``, one of its
    fixed English sentences): an expired page, an ended session and a missing Referer need different steps."""
    if reason == "The CSRF token has expired.":
        return _("The form expired"), _("The page was open too long. Go back, reload the page and send the form "
                                        "again. Nothing was saved.")
    if reason == "The CSRF session token is missing.":
        return _("Your session ended"), _("The form was sent without a valid session: you were signed out, the "
                                          "session ended, or the browser did not send its cookie. Reload the page "
                                          "(sign in again if asked) and send the form again. Nothing was saved.")
    if reason in ("The CSRF tokens do not match.", "The CSRF token is invalid."):
        return _("The form belongs to another session"), _(
            "The page was opened before you signed in again, or in another session. Go back, reload the page and "
            "send the form again. Nothing was saved.")
    if reason == "The CSRF token is missing.":
        return _("The form was incomplete"), _("The form arrived without its security token. Reload the page and "
                                               "send the form again. Nothing was saved.")
    if reason == "The referrer header is missing.":
        return _("The browser did not say where the form came from"), _(
            "Over HTTPS a form is accepted only when the browser's Referer header shows that it comes from this "
            "site, and the browser sent none (a privacy setting or an extension can remove it). Allow it for this "
            "site, reload the page and send the form again. Nothing was saved.")
    if reason == "The referrer does not match the host.":
        return _("The form came from another site"), _(
            "The browser says the form was sent from a page of another site. Open this site's own page and send "
            "the form again. Nothing was saved. If this happens on this site's own pages, tell the administrator: "
            "the server's name may be set up wrongly.")
    return _("The form was refused"), _("Go back, reload the page and send the form again. Nothing was saved.")


def init_app(app: Flask, for_cli: bool = False) -> None:
    """``for_cli``: the app was built for a ``planner`` command (set-up), which may generate the secret key."""
    production = is_production(app)
    load_secret_key(app, generate=for_cli or not production)
    if production:  # served behind the TLS proxy: cookies only ever travel over HTTPS
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    if app.config.get("PROXY_FIX"):
        # Behind the TLS proxy (docs/deploy.md): trust its one hop of X-Forwarded-For/-Proto, so request.is_secure
        # turns HSTS on and the sign-in lockout counts the browser's address, not the proxy's.
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
    # (Flask's own defaults hold these keys already, so setdefault would not set them.)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    if app.config["PERMANENT_SESSION_LIFETIME"] == Flask.default_config["PERMANENT_SESSION_LIFETIME"]:
        # Flask's default (31 days) is always present, so setdefault never applied: a session ends 8 h after
        # sign-in at the latest (planner.web.auth signs it out), however busy.
        app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=8)
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=7))
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: setdefault would keep "no limit"
        app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.url_map.converters["int"] = SqliteInt  # before the blueprints add their routes
    csrf.init_app(app)
    app.before_request(forms_only)  # after the CSRF check, so a JSON post without a token is still a 400
    app.after_request(security_headers)
    app.jinja_env.filters["fromjson"] = json.loads

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        title, message = csrf_refusal(error.description)
        return render_template("errors/error.html", code=400, title=title, message=message), 400

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("errors/error.html", code=403, title=_("Not allowed"),
                               message=_("Your role does not allow this page.")), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/error.html", code=404, title=_("Not found"),
                               message=_("There is no such page.")), 404

    @app.errorhandler(413)
    def too_large(error):
        return render_template("errors/error.html", code=413, title=_("Too large"),
                               message=_("What was sent is too large.")), 413
