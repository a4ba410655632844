"""``planner send-mail``: deliver the email notices waiting in the outbox (for cron or a systemd timer)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..context import get_db
from ..ops.mail_sender import Letter, Smtp, send_outbox
from ..store import outbox
from ..store import users as user_store

# the kind of a notice → the user's column that wants it, and the role it is for (None: anyone)
WANTS = {"trips": ("notify_trips", None), "decline": ("notify_declines", "lead"),
         "plan-job": ("notify_plan_jobs", "lead")}


def letter_of(db, public_url: str | None):
    """How a row of the outbox is worded for its person (by the app's ``mail_text``, which the app factory hands
    over as ``extensions["compose_notice"]``); None when they no longer want it or have left."""
    compose = current_app.extensions["compose_notice"]

    def letter(row: dict) -> Letter | None:
        user = user_store.get_user(db, row["user"])
        column, role = WANTS[row["kind"]]
        if user is None or not user["active"] or not user[column] or (role and user["role"] != role):
            return None
        text = compose(row["kind"], row["items"], user["language"], public_url)
        return Letter(user["email"], text.subject, text.body, text.language)
    return letter


@click.command("send-mail")
@with_appcontext
def send_mail_command() -> None:
    """Send the email notices whose gathering window has closed (SMTP_* and MAIL_FROM in the instance config).

    Each is sent at most once; one the server could not take is tried again later (1 min, 5 min, 30 min, 2 h,
    6 h). Without SMTP_HOST nothing is sent: the outbox (Admin → Outbox) shows what would have been."""
    db = get_db()
    smtp = Smtp.from_config(current_app.config)
    if smtp is None:
        click.echo(f"SMTP is not configured (SMTP_HOST in the instance config): {outbox.waiting_count(db)} "
                   "notices wait in the outbox; nothing was sent.")
        return
    public_url = current_app.config.get("PUBLIC_URL")
    if not public_url:
        click.echo("warning: PUBLIC_URL is not set in the instance config: the messages carry no link", err=True)
    tally = send_outbox(db, smtp, letter_of(db, public_url), say=click.echo)
    click.echo(tally.text())


COMMANDS = [send_mail_command]
