"""Departures within a day (issue 15, point 1): `planner travel ... --depart HH:MM` takes each ferry, train and flight
at its next departure by the link's timetable, and says which link's last departure was missed when none is left."""
from __future__ import annotations

import json
from datetime import date

import pytest

from planner.core.network_data import NETWORK_FILE, Timetable, network_problem
from planner.core.places import locate as find
from planner.core.journeys import Point
from planner.core.road_network import NetworkTravelModel, NoDeparture
from planner.core.settings import DEFAULT_SETTINGS

WEEKDAY = date(2027, 3, 4)      # a Thursday in winter: the Hailuoto fixed link is open, Enontekiö's flights run


def locate(name: str):
    return find(name, DEFAULT_SETTINGS)


def said(result) -> str:
    return result.output + (result.stderr or "")


def travel(runner, *args):
    result = runner.invoke(args=["travel", *args, "--json"])
    assert result.exit_code == 0, said(result)
    return json.loads(result.output)


def ferry_leg(data: dict) -> dict:
    return next(leg for leg in data["legs"] if leg["mode"] == "ferry")


# the timetable itself ------------------------------------------------------------------------------------------

def test_regular_departures_between_the_first_and_the_last():
    hourly = Timetable.of({"first": "06:00", "last": "22:00", "per_day": 17}, "the ferry A–B")
    assert hourly.departure(5 * 60, 30) == 6 * 60                 # before the first: the first
    assert hourly.departure(6 * 60 + 1, 30) == 7 * 60            # then the next on the hour
    assert hourly.departure(22 * 60, 30) == 22 * 60              # the last one itself
    assert hourly.departure(22 * 60 + 1, 30) is None             # gone


def test_a_window_without_a_count_waits_the_average_wait_within_it():
    window = Timetable.of({"first": "06:00", "last": "22:30"}, "the flight A–B")
    assert window.departure(8 * 60, 45) == 8 * 60 + 45
    assert window.departure(22 * 60, 45) == 22 * 60 + 30         # no later than the last
    assert window.departure(23 * 60, 45) is None


def test_listed_departures_each_way_and_a_service_past_midnight():
    link = {"departures": ["06:30", "10:00", "21:00"], "departures_back": ["18:30"]}
    there, back = Timetable.of(link, "there"), Timetable.of(link, "back", back=True)
    assert there.departure(7 * 60, 60) == 10 * 60 and there.departure(21 * 60 + 5, 60) is None
    assert back.departure(8 * 60, 60) == 18 * 60 + 30
    night = Timetable.of({"first": "06:20", "last": "02:20", "per_day": 41}, "the ferry")
    assert night.departure(60, 15) == 60 + 20                    # 01:00: the night's ferry at 01:20
    assert night.departure(2 * 60 + 30, 15) == 6 * 60 + 20       # 02:30: the morning's first


@pytest.mark.parametrize("change, message", [
    ({"first": "6:00"}, "is not a time of day"),
    ({"first": "06:00", "per_day": 5}, "give the first and the last departure too"),
    ({"per_day": 0}, "at least 1"),
    ({"departures": []}, "give a list of times"),
    ({"departures": ["07:00"], "first": "06:00"}, "either departures or first"),
])
def test_a_bad_timetable_in_a_network_file_is_named(tmp_path, change, message):
    doc = json.loads(NETWORK_FILE.read_text(encoding="utf-8"))
    doc["ferries"][0].update(change)
    path = tmp_path / "road_network.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    problem = network_problem(path)
    assert problem is not None and message in problem
    assert f"ferries {doc['ferries'][0]['from']}–{doc['ferries'][0]['to']}" in problem


def test_an_island_reach_for_no_zone_in_a_network_file_is_named(tmp_path):
    doc = json.loads(NETWORK_FILE.read_text(encoding="utf-8"))
    doc["island_reach_km"]["atlantis"] = 2.0
    path = tmp_path / "road_network.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    problem = network_problem(path)
    assert problem is not None and "island_reach_km: no node in zone 'atlantis'" in problem


# journeys leaving at a time ------------------------------------------------------------------------------------

def test_the_kokar_ferry_is_taken_at_its_next_departure(db, runner):
    data = travel(runner, "korppoo", "Kökar", "--date", WEEKDAY.isoformat(), "--depart", "08:00")
    ferry = ferry_leg(data)
    assert data["depart"] == "2027-03-04T08:00"
    assert ferry["depart"] == "2027-03-04T08:03"                 # at the quay three minutes later ...
    assert ferry["arrive"] == "2027-03-04T12:31" == data["arrive"]   # ... sails at 10:00, 2 h 30 min
    back = travel(runner, "Kökar", "korppoo", "--date", WEEKDAY.isoformat(), "--depart", "08:00")
    assert ferry_leg(back)["arrive"] == "2027-03-04T21:00"       # from Kökar only the 18:30 sailing
    legs = back["legs"]
    assert all(a["arrive"] == b["depart"] for a, b in zip(legs, legs[1:]))


def test_no_way_when_the_last_departure_has_left(db, runner):
    result = runner.invoke(args=["travel", "korppoo", "Kökar", "--date", WEEKDAY.isoformat(), "--depart", "22:00"])
    assert result.exit_code != 0 and "Traceback" not in said(result)
    assert all(len(text.strip().splitlines()) <= 1 for text in (result.output, result.stderr or ""))
    assert ("no way from Korppoo to Kökar leaving at 22:00 on 2027-03-04: the ferry Galtby harbour (Korpo)–Kökar "
            "(Karlby) last leaves at 21:00") in said(result)


def test_without_a_departure_time_each_link_waits_its_average(db, runner):
    plain = travel(runner, "korppoo", "Kökar", "--date", WEEKDAY.isoformat())
    assert "depart" not in plain and ferry_leg(plain)["minutes"] == 150 + 60


def test_a_late_start_misses_the_flights_and_drives(db, runner):
    morning = travel(runner, "oulu", "Ivalo", "--mode", "public", "--date", WEEKDAY.isoformat(), "--depart", "07:00")
    flights = [leg for leg in morning["legs"] if leg["mode"] == "flight"]
    assert [leg["to"] for leg in flights] == ["Helsinki-Vantaa airport", "Ivalo airport"]
    evening = travel(runner, "oulu", "Ivalo", "--mode", "public", "--date", WEEKDAY.isoformat(), "--depart", "21:00")
    assert [leg["mode"] for leg in evening["legs"]] == ["car"]   # no flight leaves Helsinki-Vantaa after 22:30


def test_a_bad_departure_time_is_one_clear_line(db, runner):
    result = runner.invoke(args=["travel", "helsinki", "tampere", "--depart", "8.00"])
    assert result.exit_code != 0 and "--depart: '8.00' is not a time of day" in said(result)
    assert "Traceback" not in said(result)


def test_the_model_raises_no_departure_with_the_link_and_the_time():
    model = NetworkTravelModel(day=WEEKDAY)
    with pytest.raises(NoDeparture) as caught:
        model.journey(locate("Korppoo"), locate("Kökar"), "car", depart=22 * 60)
    assert caught.value.link.last == 21 * 60 and caught.value.ready > 22 * 60


# flights the review found missing ------------------------------------------------------------------------------

def test_every_flight_touches_helsinki_vantaa_or_names_its_route():
    doc = json.loads(NETWORK_FILE.read_text(encoding="utf-8"))
    routes = {(f["from"], f["to"]) for f in doc["flights"]}
    assert {("hel_airport", "svl_airport"), ("hel_airport", "jyv_airport"), ("hel_airport", "por_airport"),
            ("hel_airport", "enf_airport")} <= routes
    assert all("hel_airport" in route for route in routes - {("tku_airport", "mhq_airport")})


@pytest.mark.parametrize("airport, lat, lon", [("Savonlinna airport", 61.9431, 28.9451),
                                                ("Jyväskylä airport", 62.3995, 25.6783)])
def test_the_state_purchased_flights_from_helsinki(airport, lat, lon):
    hub = Point("Helsinki-Vantaa", 60.3172, 24.9633)
    journey = NetworkTravelModel(day=WEEKDAY).journey(hub, Point(airport, lat, lon), "public")
    assert [leg.mode for leg in journey.legs] == ["flight"] and journey.distance_km > 150


def test_enontekio_is_flown_to_in_winter_only():
    winter = NetworkTravelModel(day=date(2027, 1, 10)).journey(locate("Helsinki"), locate("Enontekiö"), "public")
    summer = NetworkTravelModel(day=date(2027, 6, 10)).journey(locate("Helsinki"), locate("Enontekiö"), "public")
    assert any(leg.to_name == "Enontekiö airport" for leg in winter.legs)
    assert not any(leg.to_name == "Enontekiö airport" for leg in summer.legs)
