"""``planner purge`` (retention) and ``planner export-person`` (access requests); see docs/privacy.md."""
from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..core.local_time import helsinki_today
from ..store.db import audit
from ..ops.privacy import PrivacyError, cutoff_for, export_case, export_staff, purge
from ..context import get_db


def cli_actor() -> str:
    """How the audit log names whoever ran a command: the operating-system account."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@click.command("purge")
@click.option("--older-than", "older_than", required=True,
              help="Remove what ended before this age: months (12m) or days (400d); at least 1 month.")
@click.option("--audit-older-than", "audit_older_than",
              help="Also remove audit log rows older than this (e.g. 24m). Without it the audit log is kept.")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def purge_command(older_than: str, audit_older_than: str | None, dry_run: bool, as_json: bool) -> None:
    """Remove old visits, their meetings and trips, old absences and the like, in one transaction.

    No confirmation is asked (it runs from cron); try --dry-run first. The purge itself is written to the audit
    log with the cutoff and the counts."""
    today = helsinki_today()
    try:
        cutoff = cutoff_for(older_than, today)
        audit_cutoff = cutoff_for(audit_older_than, today, "--audit-older-than") if audit_older_than else None
    except PrivacyError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        counts = purge(get_db(), cutoff, cli_actor(), audit_cutoff, dry_run=dry_run)
    except Exception as exc:  # the transaction rolled back: say so in one line
        raise click.ClickException(f"purge stopped, nothing was removed: {exc}") from None
    data = {"cutoff": cutoff.isoformat(), "audit_cutoff": audit_cutoff and audit_cutoff.isoformat(),
            "dry_run": dry_run, "counts": counts}
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    head = "Would remove" if dry_run else "Removed"
    click.echo(f"{head} what ended before {cutoff.isoformat()}"
               + (f" (audit log before {audit_cutoff.isoformat()})" if audit_cutoff else " (audit log kept)") + ":")
    for kind, n in counts.items():
        click.echo(f"  {kind.replace('_', ' '):16} {n}")
    if dry_run:
        click.echo("Dry run: nothing was removed.")


@click.command("export-person")
@click.option("--staff", "staff_id", help="A staff member's id: their own data (access request by an employee).")
@click.option("--case", "case_code", help="A client's case code: the visits with that code (client's access request).")
@click.option("--output", "output", type=click.Path(dir_okay=False),
              help="Write the JSON to this new file (readable by its owner only) instead of standard output.")
@with_appcontext
def export_person_command(staff_id: str | None, case_code: str | None, output: str | None) -> None:
    """Everything the planner holds about one person, as JSON, for a data subject's access request."""
    if bool(staff_id) == bool(case_code):
        raise click.ClickException("give exactly one of --staff ID or --case CODE")
    if output and Path(output).exists():
        raise click.ClickException(f"{output}: the file exists; choose a new name (nothing was written)")
    db = get_db()
    try:
        data = export_staff(db, staff_id) if staff_id else export_case(db, case_code)
    except PrivacyError as exc:
        raise click.ClickException(str(exc)) from None
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output:
        # Created for its owner only: the file holds personal data.
        try:
            fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise click.ClickException(f"{output}: cannot create the file ({exc.strerror}); nothing was written") \
                from None
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    # Audited by ids only: the case code stays out of the audit log.
    if staff_id:
        audit(db, cli_actor(), "export-person", "staff", staff_id, {"output": "file" if output else "stdout"})
    else:
        ids = [v["id"] for v in data["visits"]]
        audit(db, cli_actor(), "export-person", "visit", ",".join(ids),
              {"visits": ids, "output": "file" if output else "stdout"})
    if output:
        click.echo(f"Written to {output}", err=True)
    else:
        click.echo(text)


COMMANDS = [purge_command, export_person_command]
