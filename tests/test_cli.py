"""The planner command: init-db, create-user, export, travel, --help everywhere, one-line errors."""
import json
import subprocess
import sys

import pytest

from planner.core.local_time import helsinki_today
from planner.cli import COMMANDS


def out(result):
    return result.output + (getattr(result, "stderr", "") or "")


def test_init_db_is_idempotent_and_migrates(app, runner):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["init-db"]).exit_code == 0
    from planner.store.db import open_db
    db = open_db(app.config["DATABASE"])
    assert db["offices"].count == 4
    assert [m.name for m in __import__("planner.store.migrations", fromlist=["m"]).migrations.applied(db)][0] == "0001_initial"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_init_db_demo_prints_passwords_once(app, runner):
    first = runner.invoke(args=["init-db", "--demo"])
    assert first.exit_code == 0, out(first)
    assert "admin@demo.invalid" in first.output and "lead.helsinki@demo.invalid" in first.output
    again = runner.invoke(args=["init-db", "--demo"])
    assert "admin@demo.invalid" not in again.output
    from planner.store.db import open_db
    db = open_db(app.config["DATABASE"])
    assert db["staff"].count == 16 and db["visits"].count == 16
    roles = {r["role"] for r in db.query("select role from users")}
    assert roles == {"admin", "lead", "staff"}
    # Names are role labels; visits carry case codes, never names.
    assert all(r["case_code"] is None or r["case_code"].startswith("IK-") for r in db.query("select * from visits"))
    assert {r["place_name"] for r in db.query("select place_name from visits")} >= {"Ivalo", "Föglö"}


def test_create_user_reads_password_from_stdin(db, runner):
    result = runner.invoke(args=["create-user", "Lead@Example.org", "--role", "lead"], input="a long enough secret\n")
    assert result.exit_code == 0, out(result)
    row = next(db.query("select * from users"))
    assert row["email"] == "lead@example.org" and row["role"] == "lead"
    assert "a long enough secret" not in row["password_hash"]


@pytest.mark.parametrize("args, stdin, message", [
    (["create-user", "x@example.org", "--role", "lead"], "short\n", "at least 12 characters"),
    (["create-user", "not-an-email", "--role", "lead"], "a long enough secret\n", "is not an email address"),
    (["create-user", "x@example.org", "--role", "staff"], "a long enough secret\n", "needs --staff"),
    (["create-user", "x@example.org", "--role", "staff", "--staff", "ghost"], "a long enough secret\n",
     "no staff member 'ghost'"),
])
def test_create_user_errors(db, runner, args, stdin, message):
    result = runner.invoke(args=args, input=stdin)
    assert result.exit_code != 0 and message in out(result)
    assert db["users"].count == 0


def test_travel_json_contract(db, runner):
    result = runner.invoke(args=["travel", "helsinki", "Tampere", "--json"])
    assert result.exit_code == 0, out(result)
    data = json.loads(result.output)
    assert {"distance_km", "minutes", "mode", "cost_eur", "legs"} <= set(data)
    assert all({"mode", "from", "to", "minutes", "km"} <= set(leg) for leg in data["legs"])


def test_travel_accepts_swedish_names_and_points(db, runner):
    result = runner.invoke(args=["travel", "Helsingfors", "Mariehamn", "--mode", "car", "--json"])
    assert result.exit_code == 0, out(result)
    modes = [leg["mode"] for leg in json.loads(result.output)["legs"]]
    assert "ferry" in modes
    result = runner.invoke(args=["travel", "60.17,24.94", "oulu", "--json"])
    assert result.exit_code == 0, out(result)
    assert json.loads(result.output)["distance_km"] > 450


def test_travel_on_a_date_uses_the_links_running_then(db, runner):
    modes = {}
    for day in ("2026-12-07", "2027-03-04"):
        result = runner.invoke(args=["travel", "oulu", "Hailuoto", "--mode", "car", "--date", day, "--json"])
        assert result.exit_code == 0, result.output
        modes[day] = [leg["mode"] for leg in json.loads(result.output)["legs"]]
    assert "ferry" in modes["2026-12-07"] and modes["2027-03-04"] == ["car"]
    winter = runner.invoke(args=["travel", "helsinki", "Vallisaari", "--date", "2027-01-10"])
    said = winter.output + (winter.stderr or "")
    assert winter.exit_code != 0 and "Traceback" not in said
    assert all(len(text.strip().splitlines()) <= 1 for text in (winter.output, winter.stderr or ""))
    assert "on 2027-01-10: the ferry Kauppatori ferry pier (Helsinki)–Vallisaari quay does not run then" in said
    bad = runner.invoke(args=["travel", "oulu", "Hailuoto", "--date", "4.3.2027"])
    assert bad.exit_code != 0 and "--date" in bad.output + (bad.stderr or "")


def test_travel_by_public_transport(db, runner):
    result = runner.invoke(args=["travel", "tampere", "oulu", "--mode", "public", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["legs"][0]["mode"] == "train"


def test_travel_to_a_municipality_at_another_village_says_so(db, runner):
    """"Inari" is the municipality, planned at its centre Ivalo: the answer says so and names the church village,
    which is further (issue 15, point 7)."""
    result = runner.invoke(args=["travel", "rovaniemi", "Inari"])
    assert result.exit_code == 0, out(result)
    assert "Inari: the municipality, at its centre Ivalo; also Inarin kirkonkylä" in result.output
    as_json = json.loads(runner.invoke(args=["travel", "rovaniemi", "Inari", "--json"]).output)
    village = json.loads(runner.invoke(args=["travel", "rovaniemi", "Inarin kirkonkylä", "--json"]).output)
    assert as_json["to_centre"] == "Ivalo" and "to_centre" not in village
    assert village["distance_km"] > as_json["distance_km"] + 20
    plain = runner.invoke(args=["travel", "rovaniemi", "Ivalo"])
    assert "the municipality" not in plain.output


def test_travel_to_a_name_of_several_places_names_the_others(db, runner):
    """"Lappo" is Lapua in Swedish and a village of Brändö: the answer takes Lapua and says how to get the other."""
    result = runner.invoke(args=["travel", "helsinki", "Lappo"])
    assert result.exit_code == 0, out(result)
    assert "Lappo: Lapua; also Lappo, Brändö" in result.output
    as_json = json.loads(runner.invoke(args=["travel", "helsinki", "Lappo", "--json"]).output)
    assert as_json["to"] == "Lapua" and as_json["to_also"] == ["Lappo, Brändö"]
    other = json.loads(runner.invoke(args=["travel", "helsinki", "Lappo, Brändö", "--json"]).output)
    assert "ferry" in [leg["mode"] for leg in other["legs"]] and "to_also" not in other
    assert "also" not in runner.invoke(args=["travel", "helsinki", "Tampere"]).output


def test_travel_unknown_place_is_one_line_error(db, runner):
    result = runner.invoke(args=["travel", "Helsinki", "Utsjoky"])
    assert result.exit_code != 0
    assert 'no place "Utsjoky" - did you mean Utsjoki?' in out(result)


def test_export_week_json_and_csv(app, runner):
    runner.invoke(args=["init-db", "--demo"])
    from datetime import date
    from planner.core.weeks import next_week
    week = next_week(helsinki_today())
    result = runner.invoke(args=["export", "--week", week, "--format", "json"])
    assert result.exit_code == 0, out(result)
    plan = json.loads(result.output)
    assert plan["week"] == week and len(plan["visits"]) == 16
    assert {u["visit"] for u in plan["unassigned"]} | {a["visit"] for a in plan["assignments"]} == \
        {v["id"] for v in plan["visits"]}
    csv_out = runner.invoke(args=["export", "--week", week, "--format", "csv"]).output.splitlines()
    assert csv_out[0].startswith("visit,kind,place") and len(csv_out) == 17
    bad = runner.invoke(args=["export", "--week", "2026-50"])
    assert bad.exit_code != 0 and "is not a week" in out(bad)


@pytest.mark.parametrize("command", [c.name for c in COMMANDS])
def test_every_command_has_help(runner, command):
    result = runner.invoke(args=[command, "--help"])
    assert result.exit_code == 0 and len(result.output.splitlines()) > 3


def test_console_script_is_a_flask_group(instance):
    result = subprocess.run([sys.executable, "-c", "from planner.cli import main; main()", "--help"],
                            capture_output=True, text=True, check=True)
    for name in ["run", "init-db", "import", "export", "travel", "propose", "create-user"]:
        assert name in result.stdout


def _at_a_terminal(instance, *args: str) -> str:
    """Run ``planner ARGS`` with its stderr on a pseudo-terminal, as a person at a terminal would; what it showed."""
    import os
    import pty
    from pathlib import Path
    planner = str(Path(sys.executable).parent / "planner")
    env = dict(os.environ, PLANNER_INSTANCE=str(instance))
    subprocess.run([planner, "init-db", "--demo"], env=env, check=True, capture_output=True)
    leader, follower = pty.openpty()
    proc = subprocess.Popen([planner, *args], env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    return shown.decode()


def test_plan_week_at_a_terminal_shows_a_status_line_not_json(instance):
    from planner.ops.demo import next_monday
    from planner.core.weeks import week_of
    week = week_of(next_monday(helsinki_today()))
    shown = _at_a_terminal(instance, "plan-week", "--week", week, "--solver", "greedy", "--time-limit", "5")
    assert '{"time"' not in shown and '"event"' not in shown
    assert "\r\x1b[Kplan-week: travel matrix" in shown and shown.endswith("plan-week: done\r\n")
    logged = _at_a_terminal(instance, "--log-json", "plan-week", "--week", week, "--solver", "greedy",
                            "--time-limit", "5")
    assert '"event": "plan run started"' in logged and '"event": "plan run finished"' in logged


def test_today_is_finlands_whatever_the_servers_time_zone(instance):
    """A server on another time zone (here one whose date differs from Finland's right now) still takes
    Finland's today: ``planner purge`` cuts off 12 months before Finland's date, and ``plan-week`` plans the week
    after Finland's current one."""
    import json
    import os
    from datetime import datetime, timedelta
    from pathlib import Path
    from planner.core.local_time import HELSINKI
    from planner.core.weeks import week_of
    from planner.ops.privacy import months_before
    # UTC+14 is a day ahead of Finland from Finnish noon on, UTC-12 a day behind until 14.00
    zone = "Etc/GMT-14" if datetime.now(HELSINKI).hour >= 12 else "Etc/GMT+12"
    planner = str(Path(sys.executable).parent / "planner")
    env = dict(os.environ, PLANNER_INSTANCE=str(instance), TZ=zone)
    subprocess.run([planner, "init-db", "--demo"], env=env, check=True, capture_output=True)
    today = helsinki_today()
    done = subprocess.run([planner, "purge", "--older-than", "12m", "--dry-run", "--json"], env=env,
                          capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["cutoff"] == months_before(today, 12).isoformat()
    done = subprocess.run([planner, "plan-week", "--solver", "greedy", "--dry-run", "--json"], env=env,
                          capture_output=True, text=True, check=True)
    assert json.loads(done.stdout)["week"] == week_of(today + timedelta(7))
