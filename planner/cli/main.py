"""The ``planner`` command: a Flask CLI group (``planner run`` serves the app; every command is a subcommand).

Each command prints results as text, or as JSON with ``--json``; bad input gives one line on stderr
(``Error: ...``) and a non-zero exit, and changes nothing.
"""
from __future__ import annotations

import json
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from .. import logging_setup, store
from ..store.db import audit
from ..core.records import Office, Visit
from ..core.places import PlaceNotFound, get_gazetteer, locate, normalise
from .plan import plan_week_command
from ..ops.backup import BACKUP_COMMANDS
from .accounts import COMMANDS as ACCOUNT_COMMANDS
from .privacy import COMMANDS as PRIVACY_COMMANDS
from .mail import COMMANDS as MAIL_COMMANDS
from .report import COMMANDS as REPORT_COMMANDS
from ..core.messages import english, fmt_minutes
from ..planning.proposals import proposer_for_visit
from ..core.travel import travel_model
from ..core.local_time import helsinki_today
from ..core.network_data import clock_minutes
from ..context import ensure_secret_key, get_db, get_settings


def one_line(text: str) -> str:
    """Line breaks in what a file or an argument said, written as \\n: an error is one line on stderr."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def fail(message: str) -> None:
    raise click.ClickException(one_line(message))


def emit(data, as_json: bool, text: str) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2) if as_json else text)


def parse_day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{what}: {text!r} is not a date (YYYY-MM-DD)")



# init-db / create-user -------------------------------------------------------------------------------------

@click.command("init-db")
@click.option("--demo", is_flag=True, help="Also add the demo team, demo users and a week of visit requests.")
@with_appcontext
def init_db_command(demo: bool) -> None:
    """Create or upgrade the database (migrations) and add the four offices."""
    db = get_db()
    store.ensure_builtin_offices(db)
    ensure_secret_key(current_app)
    click.echo(f"Database ready: {current_app.config['DATABASE']}")
    if demo:
        from ..ops.demo import load_demo
        created = load_demo(db, helsinki_today())
        click.echo(f"Demo data loaded: {store.count_staff(db)} staff, {store.count_visits(db)} visits.")
        if created:
            click.echo("Demo users (passwords are shown only now):")
            for email, role, password in created:
                click.echo(f"  {email:34} {role:6} {password}")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "lead", "staff"]), required=True, help="What the user may do.")
@click.option("--staff", "staff_id", help="The staff member this user is (required for role staff).")
@with_appcontext
def create_user_command(email: str, role: str, staff_id: str | None) -> None:
    """Add a user. The password is asked for (hidden), or read from the first line of standard input."""
    from ..accounts.users import UserError, create_user
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user_id = create_user(get_db(), email, password, role, staff_id)
    except UserError as exc:
        fail(str(exc))
    click.echo(f"User {user_id} created: {email.strip().lower()} ({role})")


# import / export -------------------------------------------------------------------------------------------

@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def import_command(file: str) -> None:
    """Import offices, staff, absences and visits from FILE.json; all or nothing, by id (no duplicates)."""
    from ..ops.importer import ImportProblems, apply, check
    try:
        doc = json.loads(Path(file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"{file}: no such file")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"{file}: not valid JSON ({exc})")
    except RecursionError:  # the parser's own limit, before any check of ours
        fail(f"{file}: not valid JSON (nested too deeply)")
    except ValueError:  # Python's limit of 4300 digits for an integer
        fail(f"{file}: not valid JSON (a number too long)")
    db = get_db()
    try:
        plan = check(doc, db, settings=get_settings())
    except ImportProblems as exc:
        for problem in exc.problems[1:]:
            click.echo(one_line(f"{file}: {problem}"), err=True)
        fail(f"{file}: {exc.problems[0]}" + (f" (and {len(exc.problems) - 1} more problems above; nothing imported)"
                                             if len(exc.problems) > 1 else " (nothing imported)"))
    counts = apply(db, plan)
    click.echo("Imported: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))


@click.command("export")
@click.option("--week", required=True, help="ISO week, e.g. 2026-W50.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@with_appcontext
def export_command(week: str, fmt: str) -> None:
    """Print a week's visits with the newest plan for that week, as JSON or CSV."""
    from ..ops.export import export_csv, export_week
    try:
        plan = export_week(get_db(), week)
    except ValueError as exc:
        fail(str(exc))
    click.echo(json.dumps(plan, ensure_ascii=False, indent=2) if fmt == "json" else export_csv(plan), nl=fmt == "json")


# travel ----------------------------------------------------------------------------------------------------

def resolve_point(text: str, offices: dict[str, Office]):
    """An office id, a place name in Finnish or Swedish, or 'lat,lon'."""
    if text.strip().lower() in offices:
        return offices[text.strip().lower()]
    try:
        return locate(text, get_settings())
    except (PlaceNotFound, ValueError) as exc:
        fail(str(exc))


def centre_note(place) -> str | None:
    """For a municipality whose point is another village ("Inari" is at Ivalo), where it is and the places of the
    same municipality its name also suggests (the church village), so that the ambiguity is seen."""
    centre = getattr(place, "centre", None)
    if not centre:
        return None
    also = [p.name for p in get_gazetteer().suggest(place.name, limit=4)
            if p.municipality == place.municipality and p.id != place.id and p.name != centre]
    return f"{place.name}: the municipality, at its centre {centre}" + (f"; also {', '.join(also)}" if also else "")


def namesakes(text: str, place) -> list:
    """The other places ``text`` names exactly ("Lappo": Lapua in Swedish, and the village of Brändö), so that
    the one taken is seen to be one of several; the answer names each as typed to get it ("Lappo, Brändö")."""
    key = normalise(text)
    return [p for p in get_gazetteer().suggest(text, limit=8) if p.id != getattr(place, "id", None)
            and key in {normalise(n) for n in (p.name_fi, p.name_sv or "", *p.aliases)}]


def journey_text(journey, times: list[tuple[str, str]] | None = None) -> str:
    lines = [f"{fmt_minutes(journey.minutes)}, {journey.distance_km:.0f} km, €{journey.cost_eur:.2f} ({journey.mode})"]
    for i, leg in enumerate(journey.legs):
        when = f"{times[i][0][11:]}–{times[i][1][11:]} " if times else ""
        lines.append(f"  {when}{leg.mode:7} {leg.from_name} → {leg.to_name}: {fmt_minutes(leg.minutes)}, "
                     f"{leg.km:.0f} km")
    return "\n".join(lines)


def leg_times(journey, day: date, depart: int) -> list[tuple[str, str]]:
    """Each leg's start and end as local ISO times ('2027-03-04T08:00'), leaving at minute ``depart`` of ``day``."""
    clock, out = datetime.combine(day, time()) + timedelta(minutes=depart), []
    for leg in journey.legs:
        end = clock + timedelta(minutes=leg.minutes)
        out.append((clock.isoformat(timespec="minutes"), end.isoformat(timespec="minutes")))
        clock = end
    return out


@click.command("travel")
@click.argument("origin", metavar="FROM")
@click.argument("destination", metavar="TO")
@click.option("--mode", type=click.Choice(["best", "car", "public", "fastest"]), default="best", show_default=True,
              help="best: the least fares or mileage plus working time, within a margin the least driving "
                   "(docs/travel.md); car: drive (with ferries where needed); public: by train or plane wherever "
                   "one goes (taxis or a rental car at the ends), else drive; fastest: the fastest door to door.")
@click.option("--date", "day", help="The day of travel (YYYY-MM-DD; default today): the links running then.")
@click.option("--depart", help="Leave at this time (HH:MM): each ferry, train and flight at its next departure "
                               "that day, by its timetable (default: an average wait for each).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def travel_command(origin: str, destination: str, mode: str, day: str | None, depart: str | None,
                   as_json: bool) -> None:
    """Door-to-door travel from FROM to TO (office ids, place names in either language, or lat,lon)."""
    offices = store.load_offices(get_db())
    a, b = resolve_point(origin, offices), resolve_point(destination, offices)
    travel_day = parse_day(day, "--date") if day else helsinki_today()
    model = travel_model(get_settings(), day=travel_day)
    try:
        leave = clock_minutes(depart) if depart is not None else None
    except ValueError as exc:
        fail(f"--depart: {exc}")
    try:
        journey = model.journey(a, b, mode, depart=leave)
    except ValueError as exc:   # no route that day (a seasonal ferry, a link not yet open), or none left by then
        fail(str(exc))
    data = {"from": a.name, "to": b.name, "date": travel_day.isoformat(), **journey.to_dict()}
    times = None
    if leave is not None:
        times = leg_times(journey, travel_day, leave)
        data["depart"] = times[0][0] if times else f"{travel_day.isoformat()}T{depart}"
        data["arrive"] = times[-1][1] if times else data["depart"]
        for leg, (start, end) in zip(data["legs"], times):
            leg["depart"], leg["arrive"] = start, end
    notes = [note for note in (centre_note(a), centre_note(b)) if note]
    for end, place, text in (("from", a, origin), ("to", b, destination)):
        if getattr(place, "centre", None):
            data[f"{end}_centre"] = place.centre
        others = [] if isinstance(place, Office) else namesakes(text, place)
        if others:
            data[f"{end}_also"] = [f"{p.name}, {p.municipality}" for p in others]
            notes.append(f"{text.strip()}: {place.name}; also " + ", ".join(data[f"{end}_also"]))
    heading = f"{a.name} → {b.name}" + (f", {data['depart'][11:]}–{data['arrive'][11:]}" if times else "")
    emit(data, as_json, "\n".join([f"{heading}: " + journey_text(journey, times), *notes]))


# propose ---------------------------------------------------------------------------------------------------

@click.command("propose")
@click.argument("visit_id", required=False)
@click.option("--place", help="Where the meeting is: a place name or lat,lon.")
@click.option("--earliest", help="First possible day (YYYY-MM-DD).")
@click.option("--latest", help="Last possible day (YYYY-MM-DD).")
@click.option("--duration", type=click.IntRange(15, 720), help="Meeting length in minutes.")
@click.option("--staff-needed", type=click.IntRange(1, 6), default=1, show_default=True)
@click.option("--skills", default="", help="Comma-separated skills the people sent must have together.")
@click.option("--languages", default="", help="Comma-separated ISO language codes.")
@click.option("--interpreter", is_flag=True, help="An interpreter covers the languages.")
@click.option("--priority", type=click.Choice(["urgent", "normal", "low"]), default="normal", show_default=True)
@click.option("--preferred", "preferred_staff", help="Preferred staff id (continuity).")
@click.option("--limit", type=click.IntRange(1, 50), default=10, show_default=True, help="How many options.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def propose_command(visit_id, place, earliest, latest, duration, staff_needed, skills, languages, interpreter,
                    priority, preferred_staff, limit, as_json) -> None:
    """Ranked options for one visit: VISIT_ID from the database, or one described with --place etc."""
    db = get_db()
    staff = store.load_staff(db)
    if visit_id:
        visit = store.load_visit(db, visit_id)
        if visit is None:
            fail(f"no visit {visit_id!r}")
    else:
        missing = [name for name, value in (("--place", place), ("--earliest", earliest), ("--latest", latest),
                                            ("--duration", duration)) if value is None]
        if missing:
            fail(f"give a VISIT_ID or {', '.join(missing)}")
        spot = resolve_point(place, {})
        first, last = parse_day(earliest, "--earliest"), parse_day(latest, "--latest")
        if last < first:
            fail("--latest is before --earliest")
        if preferred_staff and preferred_staff not in staff:
            fail(f"--preferred: no staff member {preferred_staff!r}")
        visit = Visit(id="(new)", kind="client", place_name=spot.name, lat=spot.lat, lon=spot.lon,
                      on_aland=spot.on_aland, region=spot.region or None, earliest=first, latest=last,
                      duration_min=duration, staff_needed=staff_needed,
                      skills=frozenset(s.strip().lower() for s in skills.split(",") if s.strip()),
                      languages=frozenset(s.strip().lower() for s in languages.split(",") if s.strip()),
                      interpreter=interpreter, priority=priority, preferred_staff=preferred_staff)
    proposal = proposer_for_visit(db, get_settings(), visit.id).propose(visit, limit)
    if visit_id:
        audit(db, "cli", "propose", "visit", visit.id)
    emit(proposal.to_dict(), as_json, proposal_text(proposal))


def proposal_text(proposal) -> str:
    v = proposal.visit
    lines = [f"Visit {v.id} at {v.place_name}, {v.earliest}–{v.latest}, {v.duration_min} min, "
             f"{v.staff_needed} person{'s' if v.staff_needed > 1 else ''}"]
    if not proposal.options:
        lines.append(f"No option: {english(proposal.reason)}")
    for rank, option in enumerate(proposal.options, 1):
        lines.append(f"{rank}. {option.day:%a %d %b} {option.start:%H:%M}–{option.end:%H:%M}: "
                     + ", ".join(f"{p.staff.name}" for p in option.people)
                     + f" — {fmt_minutes(option.travel_minutes)} travel, €{option.cost_eur:.0f}"
                     + (f", {option.nights} night(s)" if option.nights else ""))
        lines.append(f"   {english(option.reason)}")
        for p in option.people:
            lines.append(f"   {p.staff.id}: leaves {p.office.name} {p.timing.depart:%a %H:%M}, back "
                         f"{p.timing.return_:%a %H:%M}")
            lines.extend("     " + line for line in journey_text(p.out).splitlines())
    if proposal.excluded:
        lines.append("Not proposed:")
        lines.extend(f"  {sid}: {english(why)}" for sid, why in sorted(proposal.excluded.items()))
    return "\n".join(lines)


COMMANDS = [init_db_command, create_user_command, import_command, export_command, travel_command, propose_command,
            plan_week_command] + PRIVACY_COMMANDS + BACKUP_COMMANDS + ACCOUNT_COMMANDS + MAIL_COMMANDS + REPORT_COMMANDS


def _create_app():
    from ..wsgi import create_app  # the web app's factory, reached through its one entry point
    return create_app(for_cli=True)


class PlannerGroup(FlaskGroup):
    def __call__(self, *args, **kwargs):
        """The console script: this process runs one command, whose clock starts with the process, and which
        shows a person at a terminal its own progress and summary rather than the JSON log lines."""
        import planner
        planner.AS_COMMAND = True
        logging_setup.quiet_at_terminal = True
        return super().__call__(*args, **kwargs)

    def get_command(self, ctx, name):
        if name == "run":  # the web server's log is its output
            logging_setup.quiet_at_terminal = False
        return super().get_command(ctx, name)


def _log_json(_ctx, _param, value: bool) -> None:
    if value:
        logging_setup.quiet_at_terminal = False


main = PlannerGroup(create_app=_create_app, help="Field-visit travel and availability planner.",
                    load_dotenv=False, set_debug_flag=False,
                    params=[click.Option(["--log-json"], is_flag=True, expose_value=False, is_eager=True,
                                         callback=_log_json,
                                         help="Also print the JSON log lines at a terminal (cron, systemd and "
                                              "pipes always get them).")])
for _command in COMMANDS:
    main.add_command(_command)
