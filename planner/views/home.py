"""The landing page and a health check (no client data: counts only)."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template
from flask_login import current_user

from ..auth import home_for
from ..web_db import get_db

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Signed-in users go to their start page; others see counts and the way to sign in."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    db = get_db()
    counts = {name: db[name].count for name in ("offices", "staff", "visits")}
    offices = list(db.query("select id, name from offices order by name"))
    return render_template("home/index.html", counts=counts, offices=offices)


@bp.get("/health")
def health():
    get_db().execute("select 1")
    return jsonify(status="ok")
