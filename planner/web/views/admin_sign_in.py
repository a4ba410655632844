"""Admin → Users → a person: how they sign in. Password sign-in on or off (off: only the organisation's account,
``planner.web.sso``), and the link to their person at the identity provider. Routes of the ``admin`` blueprint."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.users import set_password_sign_in, unlink_subject
from ...context import get_db
from ...store import users as user_store
from .. import sso
from ..auth import roles_required
from .admin import _action_form, _done, _refused, _user_row, bp


@bp.post("/users/<int:user_id>/password-sign-in")
@roles_required("admin")
def password_sign_in(user_id: int):
    """Whether the person may sign in with a password or only with the organisation's account."""
    db = get_db()
    row = _user_row(db, user_id)
    _action_form()
    allowed = request.form.get("allowed") == "1"
    if not allowed:
        if not sso.configured():
            return _refused(db, row, _("Single sign-on is not set up: without a password %(email)s could not "
                                       "sign in at all.", email=row["email"]))
        if row["id"] == current_user.id or user_store.admins_with_password(db) == [row["id"]]:
            return _refused(db, row, _("Keep a way in: you cannot turn off your own password sign-in, nor the last "
                                       "administrator's."))
    return _done(user_id, set_password_sign_in(db, user_id, allowed, current_user.actor),
                 _("%(email)s may sign in with a password again.", email=row["email"]) if allowed else
                 _("%(email)s signs in only with the organisation's account now; every session of theirs has "
                   "ended.", email=row["email"]),
                 _("Nothing changed for %(email)s.", email=row["email"]))


@bp.post("/users/<int:user_id>/unlink-sso")
@roles_required("admin")
def unlink_sso(user_id: int):
    """Forget which person at the provider the account belongs to: the next to sign in with its email is linked
    (after the address was given to someone new, or the organisation moved to another provider)."""
    db = get_db()
    row = _user_row(db, user_id)
    _action_form()
    return _done(user_id, unlink_subject(db, user_id, current_user.actor),
                 _("%(email)s is no longer linked to a person at the organisation's sign-in: the next one to sign "
                   "in with that email is.", email=row["email"]),
                 _("Nothing changed for %(email)s.", email=row["email"]))
