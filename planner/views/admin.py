"""Administration: the users (who may sign in, with which role). No client data here."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField
from wtforms.validators import DataRequired, Length

from ..auth import roles_required
from ..users import MIN_PASSWORD, USER_ROLES, UserError, create_user
from ..web_db import get_db
from .common import choices

bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLE_LABELS = {"admin": _l("Administrator"), "lead": _l("Team lead"), "staff": _l("Staff")}


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)], render_kw={"autocomplete": "off"})
    role = SelectField(_l("Role"), choices=choices((r, ROLE_LABELS[r]) for r in USER_ROLES), default="staff")
    staff = SelectField(_l("Staff member"), choices=[])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD, max=1000)],
                             render_kw={"autocomplete": "new-password"})


@bp.route("/users", methods=["GET", "POST"])
@roles_required("admin")
def users():
    db = get_db()
    form = UserForm()
    form.staff.choices = choices([("", _("None"))] + [(r["id"], r["name"]) for r in
                                                         db.query("select id, name from staff order by office, name")])
    if form.validate_on_submit():
        try:
            create_user(db, form.email.data, form.password.data, form.role.data, form.staff.data or None,
                        actor=current_user.actor)
        except UserError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(_("User created."), "success")
            return redirect(url_for("admin.users"))
    rows = list(db.query("select id, email, role, staff, active, created_at from users order by email"))
    return render_template("admin/users.html", form=form, users=rows, roles=ROLE_LABELS), 200 if not form.errors else 422
