"""``planner reset-totp EMAIL``: turn off a user's two-step sign-in (a lost phone), so they sign in with the
password alone and can set it up again on their account page."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..accounts import totp
from .privacy import cli_actor
from ..context import get_db
from ..store import users


@click.command("reset-totp")
@click.argument("email")
@with_appcontext
def reset_totp_command(email: str) -> None:
    """Turn off EMAIL's two-step sign-in (for a lost or replaced phone); audited."""
    db = get_db()
    user_id = users.user_id_by_email(db, email.strip().lower())
    if user_id is None:
        raise click.ClickException(f"no user {email.strip().lower()}")
    if not totp.remove(db, user_id, actor=cli_actor(), action="totp-reset"):
        raise click.ClickException(f"{email.strip().lower()} has no two-step sign-in")
    click.echo(f"Two-step sign-in turned off for {email.strip().lower()}; they sign in with their password alone "
               f"until they set it up again.")


COMMANDS = [reset_totp_command]
