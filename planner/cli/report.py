"""``planner report``: the figures of a period for the annual report (docs/reports.md)."""
from __future__ import annotations

import csv
import json
import sys

import click
from flask.cli import with_appcontext

from ..context import get_db, get_settings
from ..core.emissions import EmissionFactors
from ..planning.reports import csv_rows, period, report
from ..planning.what_if import Change, WhatIfError, parse_move, parse_person, what_if


@click.command("report")
@click.option("--from", "start", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Last day (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@with_appcontext
def report_command(start: str, end: str, fmt: str) -> None:
    """Visits, travel, costs and emissions of the published trips from FROM to TO (docs/reports.md)."""
    try:
        first, last = period(start, end)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    figures = report(get_db(), get_settings(), _factors(), first, last)
    if fmt == "json":
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        csv.writer(sys.stdout, lineterminator="\n").writerows(csv_rows(figures))


def _factors() -> EmissionFactors:
    return EmissionFactors.from_settings(get_settings())


@click.command("what-if")
@click.option("--from", "start", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Last day (YYYY-MM-DD).")
@click.option("--add-office", "add_offices", multiple=True, metavar="PLACE", help="An office at this place.")
@click.option("--add-person", "add_people", multiple=True, metavar="OFFICE:ROLE",
              help="A person of ROLE at OFFICE (an office id, or a place given to --add-office).")
@click.option("--close-office", "close_offices", multiple=True, metavar="OFFICE",
              help="Close an office (its id): its people move to the nearest office left.")
@click.option("--move-person", "move_people", multiple=True, metavar="STAFF:OFFICE",
              help="Move a person to another office (an office id, or a place given to --add-office).")
@click.option("--link", "links", multiple=True, metavar="PLACE",
              help="A dated link that names PLACE (Hailuoto's fixed link) as if open already.")
@click.option("--time-limit", type=click.FloatRange(1, 600), default=30.0, show_default=True,
              help="Seconds for planning each week.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def what_if_command(start, end, add_offices, add_people, close_offices, move_people, links, time_limit,
                    as_json) -> None:
    """The period's weeks planned again with a change, beside the plans as they were: visits covered, travel
    hours, costs and emissions, and the difference. The stored plans are not changed."""
    try:
        first, last = period(start, end)
        change = Change(tuple(add_offices), tuple(parse_person(p) for p in add_people), tuple(links),
                        tuple(close_offices), tuple(parse_move(m) for m in move_people))
        say = (lambda _text: None) if as_json else (lambda text: click.echo(text, err=True))
        result = what_if(get_db(), get_settings(), _factors(), first, last, change, time_limit, say)
    except (ValueError, WhatIfError) as exc:
        raise click.UsageError(str(exc)) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'week':9} {'visits':>6}  {'covered':>13}  {'hours':>15}  {'cost €':>21}  {'kg CO2e':>17}")
    for row in result["weeks"] + [{"week": "total", "visits": sum(r["visits"] for r in result["weeks"]),
                                    "as_was": result["total"]["as_was"], "what_if": result["total"]["what_if"]}]:
        a, b = row["as_was"], row["what_if"]
        click.echo(f"{row['week']:9} {row['visits']:>6}  {a['covered']:>5} → {b['covered']:<5}  "
                   f"{a['travel_hours']:>6} → {b['travel_hours']:<6}  {a['cost_eur']:>9} → {b['cost_eur']:<9}  "
                   f"{a['kg_co2e']:>7} → {b['kg_co2e']:<7}")
    d = result["total"]["difference"]
    click.echo(f"difference: {d['covered']:+} visits, {d['travel_hours']:+} h, {d['cost_eur']:+} €, "
               f"{d['kg_co2e']:+} kg CO2e")


COMMANDS = [report_command, what_if_command]
