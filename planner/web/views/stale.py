"""The answer to an edit based on a stale page: 409, a message in the page's language, a link to reload."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from ...store.concurrency import StaleEdit


def stale_page(exc: StaleEdit, back: str):
    """409 Conflict: someone changed the trip, meeting or plan after the page was shown; nothing was saved."""
    if exc.entity == "trip":
        message = _("Someone changed this trip while you were looking at it; reload to see their change. "
                    "Nothing was saved.")
    elif exc.entity == "meeting":
        message = _("Someone changed this meeting while you were looking at it; reload to see their change. "
                    "Nothing was saved.")
    elif exc.entity == "visit":
        message = _("Someone changed this visit while you were looking at it; reload to see their change. "
                    "Nothing was saved.")
    else:
        message = _("Someone changed this week's plan while you were looking at it; reload to see their change. "
                    "Nothing was published.")
    return render_template("plan/stale.html", title=_("Changed by someone else"), message=message, back=back), 409
