"""Admin → Outbox: the email notices waiting, sent, failed or unsure, each as its person reads it (what would have
been sent, when no SMTP server is set up)."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, render_template

from ...context import get_db
from ...store import outbox
from ..auth import roles_required
from ..i18n import HELSINKI
from ..mail_text import compose

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.get("")
@roles_required("admin")
def index():
    db = get_db()
    public_url = current_app.config.get("PUBLIC_URL")
    rows = []
    for row in outbox.recent(db):
        rows.append({**row, "text": compose(row["kind"], row["items"], row["language"], public_url),
                     "created": datetime.fromtimestamp(row["created_at"], HELSINKI),
                     "sent": row["sent_at"] and datetime.fromtimestamp(row["sent_at"], HELSINKI)})
    return render_template("admin/outbox.html", rows=rows, counts=outbox.counts(db),
                           smtp=bool(current_app.config.get("SMTP_HOST")))
