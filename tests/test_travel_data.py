"""The travel network's data as an administrator updates it: an instance's own road_network.json replaces the
shipped one (journeys, caches and the settings page follow it); a broken one stops the app with one clear line."""
from __future__ import annotations

import json

import pytest

from planner.core.network_data import NETWORK_FILE
from planner.web.app import create_app

from app_support import app_for_tests


def own_network(folder, **changes) -> dict:
    """The shipped network with the Suomenlinna ferry's crossing set to 45 minutes, written to ``folder``."""
    doc = json.loads(NETWORK_FILE.read_text(encoding="utf-8"))
    doc["updated"] = "2027-02-01"
    for ferry in doc["ferries"]:
        if ferry["to"] == "suomenlinna":
            ferry["minutes"] = 45
    doc.update(changes)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "road_network.json").write_text(json.dumps(doc), encoding="utf-8")
    return doc


def ferry_minutes(runner) -> int:
    result = runner.invoke(args=["travel", "helsinki", "60.146,24.985", "--json"])
    assert result.exit_code == 0, result.output
    return next(leg["minutes"] for leg in json.loads(result.output)["legs"] if leg["mode"] == "ferry")


def test_an_instance_network_file_replaces_the_shipped_one(instance, db, runner):
    shipped = ferry_minutes(runner)
    own_network(instance)
    app = app_for_tests({"TESTING": True, "DATABASE": str(instance / "planner.sqlite")})
    assert ferry_minutes(app.test_cli_runner()) == shipped - 15 + 45


@pytest.fixture
def updated_network(tmp_path):
    own_network(tmp_path / "instance")     # the folder the web app's fixture makes its instance


def test_the_settings_page_says_which_network_data_is_used_and_its_date(updated_network, browser):
    page = browser("admin").get("/admin/settings").get_data(as_text=True)
    assert "tämän asennuksen oma road_network.json, tarkistettu maanantai 1. helmikuuta 2027." in page


def test_the_shipped_network_data_and_its_date_on_the_settings_page(browser):
    page = browser("admin").get("/admin/settings").get_data(as_text=True)
    assert "Matkaverkko (tiet, lautat, lennot, junat): toimitettu versio, tarkistettu lauantai 5. joulukuuta 2026." in page


@pytest.mark.parametrize("text, says", [
    ("{", "JSONDecodeError"),
    (None, "KeyError"),     # a road through a node the file does not have
    ("season", "season ['05-15']: give the first and the last day"),
    ("days", "days ['monday']: use mon, tue"),
])
def test_a_broken_instance_network_file_stops_the_app_with_one_line(instance, text, says):
    if text is None:
        doc = own_network(instance)
        doc["roads"].append({"ref": "x", "class": "main", "via": ["helsinki", "atlantis"]})
        text = json.dumps(doc)
    elif text in ("season", "days"):
        doc = own_network(instance)
        doc["ferries"][0][text] = ["05-15"] if text == "season" else ["monday"]
        text = json.dumps(doc)
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "road_network.json").write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        create_app({"TESTING": True, "DATABASE": str(instance / "planner.sqlite")})
    message = str(stop.value)
    assert "road_network.json" in message and says in message and "\n" not in message
