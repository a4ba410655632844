"""The landing page and a health check: nothing about the data for anyone who is not signed in."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template
from flask_login import current_user

from ..auth import home_for
from ...context import get_db
from ...store.db import ping

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Signed-in users go to their start page; others see what the service is and the way to sign in, and nothing
    about the data (not even counts of staff or visit requests: they tell an outsider how busy the team is)."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    return render_template("home/index.html")


@bp.get("/health")
def health():
    ping(get_db())
    return jsonify(status="ok")
