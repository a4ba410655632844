"""``planner report``: the figures of a period for the annual report (docs/reports.md)."""
from __future__ import annotations

import csv
import json
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..context import get_db, get_settings
from ..core.emissions import EmissionFactors
from ..planning.reports import csv_rows, period, report


@click.command("report")
@click.option("--from", "start", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Last day (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@with_appcontext
def report_command(start: str, end: str, fmt: str) -> None:
    """Visits, travel, costs and emissions of the published trips from FROM to TO (docs/reports.md)."""
    try:
        first, last = period(start, end)
        factors = EmissionFactors.from_config(current_app.config.get("EMISSION_FACTORS"),
                                              current_app.config.get("EMISSION_SOURCE"))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    figures = report(get_db(), get_settings(), factors, first, last)
    if fmt == "json":
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        csv.writer(sys.stdout, lineterminator="\n").writerows(csv_rows(figures))


COMMANDS = [report_command]
