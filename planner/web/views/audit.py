"""The audit log: recording who viewed a visit or a plan (``audit_view``), and the administrators' read-only viewer
at /admin/audit (newest first, 100 rows a page, filters by who, what, which record and when).

Rows name users by id (``user:7``), visits by id and weeks by ISO week, never by case code or place; the viewer
shows the user's email beside the id.
"""
from __future__ import annotations

import json
import time
from datetime import date
from threading import Lock

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth import roles_required
from ...store.db import audit
from ...store import audit as audit_log
from ...context import get_db

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

PAGE_SIZE = 100
_recent: dict[tuple, float] = {}
_lock = Lock()


def audit_view(entity: str, entity_id: str = "", detail: dict | None = None) -> None:
    """Record that the signed-in user viewed ``entity`` ``entity_id`` (an id, never a case code or place).

    Called per request, not per render, so a page served from the page cache is audited too. The same view by the
    same user is written once per ``AUDIT_VIEW_REPEAT_SECONDS`` (default 60; 0 writes every request): reloads and
    the once-a-second progress poll of "plan again" would otherwise fill the log with copies, and skipping them
    keeps a cached page free of a disk write."""
    window = float(current_app.config.get("AUDIT_VIEW_REPEAT_SECONDS", 60))
    key = (current_app.config["DATABASE"], current_user.actor, entity, entity_id,
           json.dumps(detail or {}, sort_keys=True))
    now = time.monotonic()
    with _lock:
        last = _recent.get(key)
    if window > 0 and last is not None and now - last < window:
        return
    audit(get_db(), current_user.actor, "view", entity, entity_id, detail)
    with _lock:
        _recent[key] = now
        if len(_recent) > 10_000:  # forget views older than the window so the memory stays small
            for k in [k for k, at in _recent.items() if now - at >= window]:
                del _recent[k]


# The viewer -----------------------------------------------------------------------------------------------------

ACTIONS = {
    "view": _l("viewed"), "visit-added": _l("visit added"), "visit-updated": _l("visit changed"),
    "visit-unchanged": _l("visit saved unchanged"), "assign": _l("assigned"), "pin": _l("pinned"),
    "unpin": _l("unpinned"), "publish": _l("published"), "take-back": _l("taken back to draft"), "reopen": _l("re-opened for planning"),
    "decline": _l("can't make the trip"), "plan-week": _l("week planned"), "propose": _l("proposals made"),
    "import": _l("import"), "sign-in": _l("signed in"), "sign-in-failed": _l("sign-in failed"),
    "sign-out": _l("signed out"), "sign-in-locked": _l("sign-in locked"),
    "sign-out-everywhere": _l("signed out everywhere"), "signed-out-idle": _l("signed out when idle"),
    "signed-out-expired": _l("signed out when the session expired"), "change-password": _l("password changed"),
    "totp-enabled": _l("second factor turned on"), "calendar-token": _l("calendar link made"),
    "calendar-revoke": _l("calendar link turned off"), "create-user": _l("user added"),
    "office-add": _l("office added"), "office-edit": _l("office changed"), "settings-change": _l("setting changed"),
    "settings-reset": _l("setting reset"), "add-absence": _l("absence added"),
    "delete-absence": _l("absence removed"), "purge": _l("old data removed"),
    "export-person": _l("personal data exported"), "deactivate-user": _l("account deactivated"),
    "reactivate-user": _l("account reactivated"), "set-password": _l("password set by an admin"),
    "unlock-user": _l("sign-in unlocked"), "totp-reset": _l("second factor reset"),
    "totp-disabled": _l("second factor turned off"), "totp-setup-cancelled": _l("second factor set-up cancelled"),
    "plan-job-cancelled": _l("planning stopped"), "working-pattern": _l("working hours changed"),
    "notice-settings": _l("email notices chosen"), "password-sign-in-on": _l("password sign-in allowed"),
    "password-sign-in-off": _l("password sign-in turned off"), "sso-linked": _l("linked to the organisation's account"),
    "sso-unlinked": _l("unlinked from the organisation's account"),
}
ENTITIES = {
    "visit": _l("visit"), "plan": _l("week plan"), "meeting": _l("meeting"), "trip": _l("trip"),
    "plan_run": _l("plan run"), "week": _l("week"), "user": _l("user"), "staff": _l("staff member"),
    "office": _l("office"), "setting": _l("setting"), "database": _l("database"), "audit_log": _l("audit log"),
    "plan_job": _l("planning job"),
}
FILTERS = ("actor", "action", "entity", "entity_id", "visit", "start", "end")


def _actor_labels(db) -> dict[str, str]:
    """Every actor in the log with how to show it: a user's email, the command line, a staff member."""
    emails, names = audit_log.actor_names(db)
    labels = {}
    for actor in audit_log.actors(db):
        if actor in emails:
            labels[actor] = f"{emails[actor]} ({actor})"
        elif actor in names:
            labels[actor] = _("staff member %(name)s (%(id)s)", name=names[actor], id=actor)
        elif actor == "cli" or actor.startswith("cli:"):
            labels[actor] = _("command line (%(who)s)", who=actor.partition(":")[2] or "-")
        elif actor == "anonymous":
            labels[actor] = _("not signed in")
        else:
            labels[actor] = actor
    return dict(sorted(labels.items(), key=lambda item: item[1].casefold()))


def _day(name: str, errors: dict) -> date | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = _("%(value)s is not a date (YYYY-MM-DD).", value=text[:20])
        return None


# The details' keys, and the words some of their values stand for, in the reader's language (others as logged)
DETAIL_KEYS = {"what": _l("what"), "week": _l("week"), "solver": _l("solver"), "job": _l("plan job"),
               "role": _l("role"), "visits_added": _l("visits added"), "visits_updated": _l("visits updated"),
               "offices": _l("offices"), "staff": _l("staff members"), "absences": _l("absences"),
               "trips": _l("trips"), "visits": _l("visits"), "from": _l("from"), "to": _l("to"), "date": _l("date"),
               "meeting": _l("meeting"), "filters": _l("filters"), "step": _l("step"), "address": _l("address"),
               "method": _l("method"), "output": _l("output")}
DETAIL_VALUES = {("what", "map"): _l("map"), ("what", "overview"): _l("overview"),
                 ("what", "proposals"): _l("proposals"), ("role", "admin"): _l("Administrator"),
                 ("role", "lead"): _l("Team lead"), ("role", "staff"): _l("Staff")}


def _detail(text: str | None) -> list[tuple[str, str]]:
    """The detail JSON as (key, value) pairs to show, in words where the log's words have them."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return [("", text or "")]
    if not isinstance(data, dict):
        return [("", json.dumps(data, ensure_ascii=False))]
    return [(str(DETAIL_KEYS.get(k, k)), str(DETAIL_VALUES.get((k, v), v)) if isinstance(v, str)
             else json.dumps(v, ensure_ascii=False)) for k, v in data.items()]


@bp.get("")
@roles_required("admin")
def index():
    db = get_db()
    args = {name: request.args.get(name, "").strip()[:200] for name in FILTERS}
    page = request.args.get("page", "1")
    if not (page.isascii() and page.isdigit() and len(page) <= 9) or int(page) < 1:  # ASCII: "²".isdigit() is true
        abort(404)
    page = int(page)
    errors: dict[str, str] = {}
    start, end = _day("start", errors), _day("end", errors)
    if start and end and end < start:
        errors["end"] = _("The last day is before the first day.")
    rows, total = [], 0
    if not errors:
        total, found = audit_log.log_page(db, args, args["visit"], start, end, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        rows = [dict(r, detail=_detail(r["detail"])) for r in found]
    audit_view("audit_log", "", {"filters": {k: v for k, v in args.items() if v}} if any(args.values()) else None)
    actions = dict(ACTIONS)
    actions.update({action: action for action in audit_log.logged_actions(db) if action not in ACTIONS})
    entities = dict(ENTITIES)
    entities.update({entity: entity for entity in audit_log.logged_entities(db)
                     if entity and entity not in ENTITIES})
    filters = {k: v for k, v in args.items() if v}
    return render_template(
        "audit/index.html", rows=rows, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)),
        args=args, filters=filters, errors=errors, actors=_actor_labels(db), actions=actions, entities=entities,
        page_size=PAGE_SIZE), 422 if errors else 200
