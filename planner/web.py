"""Web defences bound in the factory: the secret key, CSRF on every state-changing request, security headers,
cookie flags and error pages.

The Content-Security-Policy allows scripts and styles only from ``static/``: templates carry no inline script,
no ``style`` attributes and no event-handler attributes; fetch calls send the CSRF token from the page's
``<meta name="csrf-token">`` in an ``X-CSRFToken`` header.
"""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect

csrf = CSRFProtect()

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def load_secret_key(app: Flask) -> None:
    """SECRET_KEY from the config, else the instance's ``secret_key`` file (created by ``planner init-db``, or
    here on first start)."""
    if app.config.get("SECRET_KEY"):
        return
    from .cli import ensure_secret_key
    ensure_secret_key(app)
    app.config["SECRET_KEY"] = (Path(app.instance_path) / "secret_key").read_text().strip()


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


def init_app(app: Flask) -> None:
    load_secret_key(app)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=8))
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=7))
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("MAX_CONTENT_LENGTH", 1024 * 1024)
    csrf.init_app(app)
    app.after_request(security_headers)
    app.jinja_env.filters["fromjson"] = json.loads

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", code=400, title=_("The form expired"),
                               message=_("The page was open too long or was opened in another session. Go back, "
                                         "reload the page and send the form again. Nothing was saved.")), 400

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
