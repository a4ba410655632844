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
from ..planning.reports import period, report


def csv_rows(figures: dict) -> list[list]:
    """The figures as rows of (section, group, measure, value): one table a spreadsheet reads."""
    rows = [["section", "group", "measure", "value"]]
    visits = figures["visits"]
    for measure in ("requested", "done", "unassigned", "done_without_flying", "share_without_flying"):
        rows.append(["visits", "all", measure, visits[measure]])
    for row in visits["by_group"]:
        group = f"{row['kind']}/{row['region']}/{row['month']}"
        rows += [["visits", group, measure, row[measure]] for measure in ("requested", "done", "unassigned")]
    rows += [["left_out_reasons", code, "visits", n] for code, n in visits["left_out_reasons"].items()]
    for section in ("people", "offices"):
        for name, values in figures[section].items():
            rows += [[section, name, measure, value] for measure, value in values.items()]
    rows += [["emissions_by_mode", "all", measure, value] for measure, value in figures["emissions_by_mode"].items()]
    rows += [["totals", "all", measure, value] for measure, value in figures["totals"].items()]
    rows += [["emission_factors", mode, "kg_co2e_per_km", value] for mode, value in figures["emission_factors"].items()]
    return rows


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
