"""Visit requests: the form (checked by the importer's rules), place autocomplete, live proposals and one-click
assignment of an option."""
from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, HiddenField, IntegerField, SelectField, SelectMultipleField,
                     StringField)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ...core.local_time import helsinki_today
from ... import store

from ...planning import actions
from ...planning.proposals import option_key, proposer_for_visit
from ...store import plan_queries
from ..auth import roles_required
from ..messages import render, skill
from ...store.concurrency import StaleEdit, check_version, parse_version, write_transaction
from ...store.db import audit
from ...ops.importer import MAX_TEXT, ImportProblems, check
from ...core.messages import keep
from ...core.records import PRIORITIES, VISIT_KINDS
from ...core.places import HUB_KINDS, get_gazetteer
from ...context import get_db, get_settings
from ...core.weeks import week_of
from .audit import audit_view
from .common import choices, people_choices, team
from .stale import stale_page

bp = Blueprint("visits", __name__, url_prefix="/visits")

KIND_LABELS = {"client": _l("Client meeting"), "partner": _l("Partner meeting"), "training": _l("Training")}
PRIORITY_LABELS = {"urgent": _l("Urgent"), "normal": _l("Normal"), "low": _l("Low")}
# Problem paths of the importer ('visits[0].duration_min', 'visits[0].skills[1]') -> form fields.
FIELD_OF = {"place": "place", "case": "case_code", "kind": "kind", "earliest": "earliest", "latest": "latest",
            "duration_min": "duration_min", "staff_needed": "staff_needed", "skills": "skills",
            "languages": "languages", "interpreter": "interpreter", "priority": "priority",
            "preferred_staff": "preferred_staff"}
CASE_CODE_MESSAGE = _l("A case code is a reference such as IK-2026-014: letters, digits and - / _, at least one "
                       "digit, no spaces. Never write a client's name here.")
# Text fields with the forms' length limit, checked before the importer parses anything (a long place or list of
# languages would cost seconds of the process, and a list one message per item).
LIMITED = ("case_code", "place", "languages")
PROBLEM_RE = re.compile(r"^visits\[0\](?:\.(?P<field>[a-z_]+))?(?:\[\d+\])?$")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VisitForm(FlaskForm):
    kind = SelectField(_l("Kind of visit"), choices=choices((k, KIND_LABELS[k]) for k in VISIT_KINDS), default="client")
    case_code = StringField(_l("Case code"), description=_l("A reference such as IK-2026-014, never a name."),
                            validators=[Length(max=MAX_TEXT)],
                            render_kw={"autocomplete": "off", "spellcheck": "false"})
    place = StringField(_l("Place"), description=_l("Municipality or village, in Finnish or Swedish."),
                        validators=[Length(max=MAX_TEXT)],
                        render_kw={"autocomplete": "off", "list": "place-options", "data-suggest": "1"})
    earliest = DateField(_l("Earliest day"), validators=[Optional()])
    latest = DateField(_l("Latest day"), validators=[Optional()])
    duration_min = IntegerField(_l("Duration (minutes)"), default=90, validators=[Optional()],
                                render_kw={"min": 15, "max": 720, "step": 15})
    staff_needed = IntegerField(_l("People needed"), default=1, validators=[Optional()],
                                render_kw={"min": 1, "max": 6})
    skills = MultiCheckboxField(_l("Skills needed"), choices=[])
    languages = StringField(_l("Languages"), description=_l("Language codes separated by commas, e.g. ru, en."),
                            validators=[Length(max=MAX_TEXT)],
                            render_kw={"autocomplete": "off", "spellcheck": "false"})
    interpreter = BooleanField(_l("An interpreter is booked"))
    priority = SelectField(_l("Priority"), choices=choices((p, PRIORITY_LABELS[p]) for p in PRIORITIES), default="normal")
    preferred_staff = SelectField(_l("Preferred person"), choices=[])
    version = HiddenField()


def _form(visit=None) -> VisitForm:
    db = get_db()
    staff, _offices, grouped = team(db)
    form = VisitForm(obj=None)
    form.skills.choices = choices((s, skill(s)) for s in sorted({k for p in staff.values() for k in p.skills}))
    form.preferred_staff.choices = people_choices(grouped, ("", _("No preference")))
    if request.method == "GET":
        if visit is None:
            monday = helsinki_today() + timedelta(7 - helsinki_today().weekday())
            form.earliest.data, form.latest.data = monday, monday + timedelta(4)
        else:
            form.kind.data, form.case_code.data, form.place.data = visit.kind, visit.case_code, visit.place_name
            form.earliest.data, form.latest.data = visit.earliest, visit.latest
            form.duration_min.data, form.staff_needed.data = visit.duration_min, visit.staff_needed
            form.skills.data, form.languages.data = sorted(visit.skills), ", ".join(sorted(visit.languages))
            form.interpreter.data, form.priority.data = visit.interpreter, visit.priority
            form.preferred_staff.data, form.version.data = visit.preferred_staff or "", str(visit.version)
    return form


def _raw(form: VisitForm, name: str):
    return form[name].raw_data[0] if form[name].raw_data else None


def check_form(form: VisitForm, visit_id: str):
    """The visit the form describes, checked by the importer's rules; None after putting each problem on its
    field. The form keeps everything that was typed."""
    form.validate()  # CSRF and types; the importer's messages below say exactly what is wrong
    too_long = {name: form[name].errors for name in LIMITED if form[name].errors}  # refused before any parsing
    doc = {"id": visit_id, "kind": form.kind.data, "place": (form.place.data or "").strip() or None,
           "earliest": _raw(form, "earliest") or None, "latest": _raw(form, "latest") or None,
           "duration_min": _number(_raw(form, "duration_min")), "staff_needed": _number(_raw(form, "staff_needed")),
           "skills": list(form.skills.data or []),
           "languages": [x.strip() for x in (form.languages.data or "").split(",") if x.strip()],
           "interpreter": bool(form.interpreter.data), "priority": form.priority.data}
    if doc["place"] is None:
        del doc["place"]
    if (form.case_code.data or "").strip():
        doc["case"] = form.case_code.data.strip()
    if form.preferred_staff.data:
        doc["preferred_staff"] = form.preferred_staff.data
    for field in form:  # WTForms' own messages are replaced by the importer's
        if field.name not in ("csrf_token",):
            field.errors = list(too_long.get(field.name, []))
    if form.csrf_token.errors:
        abort(400)
    if too_long:
        return None
    try:
        plan = check({"visits": [doc]}, get_db(), get_gazetteer(), get_settings())
    except ImportProblems as exc:
        for path, problem in exc.messages:
            match = PROBLEM_RE.match(path)
            field = FIELD_OF.get(match["field"] or "place", "place") if match else "place"
            # a case code's rule in full instead of the importer's shorter "… is not a case code": one message,
            # and a name typed there by mistake is not repeated back
            form[field].errors.append(CASE_CODE_MESSAGE if field == "case_code" else render(problem))
        return None
    return plan.visits[0]


def _number(text):
    if text is None or text == "":
        return None
    try:
        return int(text)
    except ValueError:
        return text  # the importer says "must be a whole number from ... to ..."


def _new_id() -> str:
    return f"v-{helsinki_today():%y%m%d}-{secrets.token_hex(3)}"


def _proposal(visit) -> dict:
    return proposer_for_visit(get_db(), get_settings(), visit.id).propose(visit, limit=6).to_dict(word=keep)


def _save(visit, form: VisitForm, existing) -> bool:
    """Store the visit; False (with a message on the form) when someone else changed it meanwhile."""
    db = get_db()
    expected = parse_version(form.version.data)
    if expected is None and request.endpoint == "visits.new":
        expected = -1  # a new-request form naming a visit that exists was shown before someone saved that visit
    try:
        with write_transaction(db):  # the check and the write see the same version
            if existing is not None:
                check_version(db, "visits", visit.id, expected, "visit")
            outcome = store.upsert_visit(db, visit)
            audit(db, current_user.actor, f"visit-{outcome}", "visit", visit.id)
            form.version.data = str(store.load_visit(db, visit.id).version)  # a form shown again sends this one
    except StaleEdit:
        form.form_errors.append(_("Someone else changed this visit while you were editing it. Reload the page to "
                                  "see their changes; nothing was saved."))
        return False
    return True


def _assign(visit, key: str):
    proposal = _proposal(visit)
    option = next((o for o in proposal["options"] if option_key(o) == key), None)
    if option is None:
        flash(_("That option is no longer possible (the data changed). Here are the current proposals."), "error")
        return None
    saved = store.load_visit(get_db(), visit.id)
    try:  # the version just saved: an assignment made by someone else since then is not replaced
        actions.assign_option(get_db(), saved, option, current_user.actor, visit_version=saved.version)
    except StaleEdit as exc:
        return stale_page(exc, url_for("visits.edit", visit_id=visit.id))
    flash(_("Assigned as a draft. Publish the week's plan so the people see it."), "success")
    return redirect(url_for("plan.index", week=week_of(date.fromisoformat(option["date"]))))


def _handle(form: VisitForm, visit_id: str, existing):
    """POST of the form: save, assign an option, or show proposals (without JavaScript)."""
    action = request.form.get("action", "propose")
    visit = check_form(form, visit_id)
    proposal = None
    if visit is not None:
        if action == "save" or action.startswith("assign:"):
            if not _save(visit, form, existing):
                return render_template("visits/form.html", form=form, visit=existing, proposal=None,
                                       new_id=visit_id), 409
            if action.startswith("assign:"):
                done = _assign(visit, action.removeprefix("assign:"))
                if done is not None:
                    return done
            else:
                flash(_("Visit request saved."), "success")
                return redirect(url_for("visits.edit", visit_id=visit.id))
        proposal = _proposal(visit)
        if existing is not None:
            audit_view("visit", existing.id, {"what": "proposals"})
    status = 200 if visit is not None else 422
    return render_template("visits/form.html", form=form, visit=existing, proposal=proposal,
                           staff=store.load_staff(get_db()), new_id=visit_id), status


@bp.route("/new", methods=["GET", "POST"])
@roles_required("lead")
def new():
    form = _form()
    if request.method == "POST":
        # The id is made when the empty form is shown, so showing proposals and then assigning saves one visit.
        visit_id = request.form.get("visit_id") or ""
        if not re.fullmatch(r"v-\d{6}-[0-9a-f]{6}", visit_id):
            visit_id = _new_id()
        return _handle(form, visit_id, store.load_visit(get_db(), visit_id))
    return render_template("visits/form.html", form=form, visit=None, proposal=None, new_id=_new_id())


@bp.route("/<visit_id>", methods=["GET", "POST"])
@roles_required("lead")
def edit(visit_id: str):
    db = get_db()
    existing = store.load_visit(db, visit_id)
    if existing is None:
        abort(404)
    form = _form(existing)
    if request.method == "POST":
        return _handle(form, visit_id, existing)
    audit_view("visit", visit_id)
    meetings = plan_queries.active_meetings_of_visit(db, visit_id)
    return render_template("visits/form.html", form=form, visit=existing, proposal=None, meetings=meetings,
                           staff=store.load_staff(db))


@bp.post("/proposals")
@roles_required("lead")
def proposals():
    """The live proposals for what the form holds now, as an HTML fragment (fetch with X-CSRFToken)."""
    form = _form()
    visit = check_form(form, request.form.get("visit_id") or "v-000000-000000")
    proposal = _proposal(visit) if visit is not None else None
    if proposal is not None and store.load_visit(get_db(), visit.id) is not None:  # a stored visit's proposals
        audit_view("visit", visit.id, {"what": "proposals"})
    return render_template("visits/_proposals.html", form=form, proposal=proposal, staff=store.load_staff(get_db()),
                           fragment=True)


@bp.get("/places")
@roles_required("lead")
def suggest_places():
    """Autocomplete: up to 8 places for ``q`` in Finnish or Swedish, as JSON [{value, label}]."""
    query = request.args.get("q", "").strip()[:60]
    if len(query) < 2:
        return jsonify([])
    from ..i18n import current_language
    lang = current_language()
    out = []
    gazetteer = get_gazetteer()
    for p in gazetteer.suggest(query, 8):
        name = p.label(lang)
        # an airport's or harbour's name is already unique, and a qualified "Name (Vårdö), Vårdö" would not resolve
        plain = p.kind in ("municipality", *HUB_KINDS) or p.municipality == p.name_fi
        value = name if plain else f"{name}, {gazetteer.resolve(p.municipality).label(lang)}"    # Fiskars, Raseborg
        other = p.name_sv if name == p.name_fi else p.name_fi
        label = f"{value}" + (f" ({other})" if other and other != name else "") + f" — {p.region}"
        if p.centre:    # "Inari" is at Ivalo: say so beside Inarin kirkonkylä
            label += " · " + _("centre %(village)s", village=p.centre)
        out.append({"value": value, "label": label})
    return jsonify(out)
