"""Structured logs: one JSON object per line, to stderr (journald under systemd) or to the config's ``LOG_FILE``.

Every line has ``time`` (ISO 8601, Europe/Helsinki offset), ``level``, ``logger`` and ``event``; a web request adds
``method``, ``endpoint`` (the view's name, never the path: paths hold visit ids and the calendar feed's secret
token), ``status``, ``duration_ms``, ``user`` (the user id, never the email) and ``request_id`` (also sent to the
browser as ``X-Request-Id`` and shown on the error page, so a report can be matched to its line).

What never goes into a line: case codes, places, names, emails, free text, passwords, tokens, query strings, form
data, and an exception's message or locals (a message can quote data: ``KeyError('IK-2026-014')``). An error is
logged as its type and where it happened (file, line, function of the planner's own frames).

Log with ``log_event("event name", field=value, ...)``: only pass ids, counts, durations and fixed words.
"""
from __future__ import annotations

import json
import logging
import logging.handlers
import re
import sys
import time
import traceback
import uuid
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import InternalServerError

from .core.local_time import HELSINKI

LOGGER = "planner"
PACKAGE = Path(__file__).resolve().parent
# A request id from the TLS proxy (nginx's $request_id: 32 hex digits) is kept so its log and ours match.
PROXY_REQUEST_ID = re.compile(r"[0-9a-f]{32}")
# werkzeug's development-server access line ('127.0.0.1 - - [date] "GET /calendar/<token>.ics ..."'): dropped,
# our request line replaces it without the path.
WERKZEUG_ACCESS = re.compile(r"^\S+ - - \[")

_handler: logging.Handler | None = None
_target: str | None = None


class JsonFormatter(logging.Formatter):
    """A record as one JSON line; the fields come from ``extra={"fields": {...}}`` (see ``log_event``)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, HELSINKI).isoformat(timespec="milliseconds"),
                 "level": record.levelname.lower(), "logger": record.name, "event": record.getMessage()}
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info and record.exc_info[0] is not None:
            entry.setdefault("error", describe_exception(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


# A person's terminal gets a command's own progress and summary, not JSON lines: a ``planner`` command (other than
# ``planner run``) sets this, and ``--log-json`` clears it. Cron, systemd (journald) and pipes still get every line.
quiet_at_terminal = False


class _Stderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (the CLI test runner and pytest swap it); nothing at a
    terminal while ``quiet_at_terminal``."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        if quiet_at_terminal and is_terminal(self.stream):
            return
        super().emit(record)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def is_terminal(stream) -> bool:
    """Is ``stream`` a person's terminal (not a file, a pipe or journald)?"""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _frame_text(frame: traceback.FrameSummary) -> str:
    path = Path(frame.filename)
    try:
        shown = f"planner/{path.resolve().relative_to(PACKAGE).as_posix()}"
    except ValueError:
        shown = path.name  # a library's frame: its file name only
    return f"{shown}:{frame.lineno} in {frame.name}"


def describe_exception(exc_info) -> dict:
    """The exception's type, the innermost frame of the planner's own code ('where'), and the planner frames of
    the stack (outermost first). Never the message, the source lines or the locals."""
    exc_type, _exc, tb = exc_info
    frames = traceback.extract_tb(tb, limit=None) if tb is not None else []
    own = [f for f in frames if Path(f.filename).resolve().is_relative_to(PACKAGE)]
    innermost = frames[-1] if frames else None
    return {"type": f"{exc_type.__module__}.{exc_type.__qualname__}" if exc_type.__module__ != "builtins"
            else exc_type.__qualname__,
            "where": _frame_text(own[-1]) if own else (_frame_text(innermost) if innermost else None),
            "raised_in": _frame_text(innermost) if innermost else None,
            "stack": [_frame_text(f) for f in own[-8:]]}


def log_event(event: str, level: int = logging.INFO, logger: str = LOGGER, **fields) -> None:
    """Log ``event`` with ``fields`` (ids, counts, durations, fixed words only)."""
    logging.getLogger(logger).log(level, event, extra={"fields": fields})


def configure(log_file: str | None = None, level: str | int = "INFO") -> None:
    """Send the ``planner`` loggers to stderr or ``log_file`` as JSON lines. Once per process and target: every
    app built in the process (the tests build many) shares the one handler."""
    global _handler, _target
    logger = logging.getLogger(LOGGER)
    logger.setLevel(level if isinstance(level, int) else str(level).upper())
    target = str(Path(log_file).resolve()) if log_file else "stderr"
    if _handler is not None and target == _target:
        return
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
    if log_file:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        # Reopened when logrotate moves the file away (no copytruncate needed).
        handler: logging.Handler = logging.handlers.WatchedFileHandler(target, encoding="utf-8")
    else:
        handler = _Stderr()
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    _handler, _target = handler, target
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, _DropAccessLines) for f in werkzeug.filters):
        werkzeug.addFilter(_DropAccessLines())


class _DropAccessLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and WERKZEUG_ACCESS.match(record.msg))


# The web app ---------------------------------------------------------------------------------------------------

def _start_request() -> None:
    g.request_started = time.perf_counter()
    offered = request.headers.get("X-Request-Id", "")
    # Only behind the proxy (PROXY_FIX), which sets the header itself; a browser's own value is never taken.
    trusted = bool(current_app.config.get("PROXY_FIX"))
    g.request_id = offered if trusted and PROXY_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def _user_id():
    """The signed-in user's id, if the request loaded one (never loads it: that would query the database)."""
    user = g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None


def _log_request(response):
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers["X-Request-Id"] = request_id
    if request.endpoint == "static" and response.status_code < 400:
        return response  # the stylesheet and script on every page: noise (nginx may serve them anyway)
    started = g.get("request_started")
    status = response.status_code
    log_event("request", logging.ERROR if status >= 500 else logging.INFO, "planner.request",
              method=request.method, endpoint=request.endpoint, status=status,
              duration_ms=round((time.perf_counter() - started) * 1000, 1) if started else None,
              user=_user_id(), request_id=request_id)
    return response


def _log_exception(exc_info) -> None:
    """Replaces ``Flask.log_exception``, which logs the raw path and a full traceback with the message."""
    log_event("unhandled error", logging.ERROR, "planner.request", method=request.method,
              endpoint=request.endpoint, user=_user_id(), request_id=g.get("request_id"),
              error=describe_exception(exc_info))


def _server_error(error: InternalServerError):
    """A plain page: what happened and the request's reference, no traceback and nothing of the request."""
    reference = g.get("request_id", "")
    title = message = None
    try:
        title = _("Something went wrong")
        message = _("The error was recorded. Try again in a moment; if it happens again, tell the administrator "
                    "the reference %(ref)s.", ref=reference)
        return render_template("errors/error.html", code=500, title=title, message=message), 500
    except Exception:  # noqa: BLE001 - the page itself failed (the database may be down): plain text
        return (f"{title or 'Something went wrong'}\n\nReference: {reference}\n", 500,
                {"Content-Type": "text/plain; charset=utf-8"})


def init_app(app: Flask) -> None:
    """Structured logging for ``app``: ``LOG_FILE`` (default: stderr), ``LOG_LEVEL`` (default INFO)."""
    configure(app.config.get("LOG_FILE") or None, app.config.get("LOG_LEVEL") or "INFO")
    app.before_request(_start_request)
    app.after_request(_log_request)
    app.log_exception = _log_exception  # instance attribute: Flask calls self.log_exception(exc_info)
    app.register_error_handler(InternalServerError, _server_error)

