"""Administration: offices and settings, with the real app over a real SQLite file (a copy of the demo database)."""
from __future__ import annotations

import json
import re

import pytest

from planner.core.settings import CONFIG_ONLY, Settings
from web_support import MONDAY

ADMIN_URLS = [("GET", "/admin/offices"), ("GET", "/admin/offices/new"), ("POST", "/admin/offices/new"),
              ("GET", "/admin/offices/oulu"), ("POST", "/admin/offices/oulu"), ("GET", "/admin/settings"),
              ("POST", "/admin/settings")]


def _cli(web_app, *args):
    runner = web_app.test_cli_runner()
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _propose(web_app, place="Rovaniemi"):
    out = _cli(web_app, "propose", "--place", place, "--earliest", MONDAY.isoformat(),
               "--latest", MONDAY.isoformat(), "--duration", "90", "--json")
    return json.loads(out)


def _car_eur_per_km(proposal: dict) -> set[float]:
    return {round(leg["cost_eur"] / leg["km"], 2) for o in proposal["options"] for person in o["people"]
            for way in ("travel_out", "travel_back") for leg in person[way]["legs"] if leg["mode"] == "car" and leg["km"] > 5}


def _settings_form(b, **changes) -> dict:
    """The settings form as shown (every current value), with ``changes``."""
    import re
    page = b.get("/admin/settings").get_data(as_text=True)
    form = dict(re.findall(r'<input id="s-[a-z0-9_]+" name="([a-z0-9_]+)" value="([^"]*)"', page))
    assert len(form) == len(Settings.__dataclass_fields__) - len(CONFIG_ONLY)
    form.update(changes)
    return form


@pytest.mark.parametrize("who", ["oulu", "lead"])
def test_lead_and_staff_get_403_on_every_admin_route(browser, who):
    b = browser(who)
    for method, url in ADMIN_URLS:
        response = b.get(url) if method == "GET" else b.post(url, {"name": "x", "mileage_eur_per_km": "9"})
        assert response.status_code == 403, (who, method, url)


def test_anonymous_is_sent_to_sign_in(browser):
    b = browser()
    for method, url in ADMIN_URLS:
        response = b.get(url) if method == "GET" else b.post(url)
        assert response.status_code == 302 and "/sign-in" in response.location, (method, url)


def test_admin_adds_an_office_and_the_travel_command_uses_it(browser, web_app, web_db):
    b = browser("admin")
    page = b.get("/admin/offices").get_data(as_text=True)
    assert "Oulu (Heikinharjun vastaanottokeskus)" in page and "IK-" not in page
    response = b.post("/admin/offices/new", {"office_id": "rovaniemi", "name": "Rovaniemi (field office)",
                                             "place": "Rovaniemi", "region": "lappi"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    office = web_db["offices"].get("rovaniemi")
    assert office["place_id"] == "rovaniemi" and office["region"] == "Lappi"
    assert "Rovaniemi (field office)" in b.get("/admin/offices").get_data(as_text=True)
    trip = json.loads(_cli(web_app, "travel", "rovaniemi", "Rovaniemi", "--json"))
    assert trip["from"] == "Rovaniemi (field office)" and trip["distance_km"] < 5
    audit = list(web_db.query("select * from audit_log where action = 'office-add'"))
    assert audit and audit[-1]["entity_id"] == "rovaniemi" and audit[-1]["actor"].startswith("user:")
    # the same id again is refused next to the id field
    again = b.post("/admin/offices/new", {"office_id": "rovaniemi", "name": "Again", "place": "Kemi"})
    assert again.status_code == 422 and "rovaniemi" in again.get_data(as_text=True)


def test_moving_an_office_changes_proposals(browser, web_app, web_db):
    before = _propose(web_app)
    b = browser("admin")
    edit = b.get("/admin/offices/oulu").get_data(as_text=True)
    assert 'value="64.98060,25.55140"' in edit  # the exact point, not the town centre
    response = b.post("/admin/offices/oulu", {"name": "Oulu (moved to Rovaniemi)", "place": "Rovaniemi",
                                              "region": "Pohjois-Pohjanmaa, Kainuu, Lappi, Keski-Pohjanmaa"})
    assert response.status_code == 302
    assert web_db["offices"].get("oulu")["name"] == "Oulu (moved to Rovaniemi)"
    after = _propose(web_app)
    best_before = min(o["travel_minutes"] for o in before["options"])
    best_after = min(o["travel_minutes"] for o in after["options"])
    assert best_after < best_before
    trip = json.loads(_cli(web_app, "travel", "oulu", "Rovaniemi", "--json"))
    assert trip["distance_km"] < 5
    audit = list(web_db.query("select detail from audit_log where action = 'office-edit' and entity_id = 'oulu'"))
    assert json.loads(audit[-1]["detail"])["place_id"] == "rovaniemi"


def test_editing_only_the_name_keeps_the_exact_point(browser, web_db):
    b = browser("admin")
    old = web_db["offices"].get("helsinki")
    form = {"name": "Helsinki (Pasila office)", "place": "60.19866,24.93345",
            "region": "Uusimaa, Varsinais-Suomi, Kanta-Häme, Ahvenanmaa"}
    assert b.post("/admin/offices/helsinki", form).status_code == 302
    new = web_db["offices"].get("helsinki")
    assert (new["lat"], new["lon"], new["place_id"]) == (old["lat"], old["lon"], old["place_id"])
    assert new["name"] == "Helsinki (Pasila office)"


def test_a_bad_place_gives_the_near_match_and_keeps_the_form(browser, web_db):
    b = browser("admin")
    count = web_db["offices"].count
    response = b.post("/admin/offices/new", {"office_id": "rova", "name": "Rovaniemi office", "place": "Rovanemi",
                                             "region": "Lapland"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "tarkoititko Rovaniemi?" in page and 'value="Rovanemi"' in page and 'value="Rovaniemi office"' in page
    assert 'id="place-error"' in page and 'id="region-error"' in page
    assert web_db["offices"].count == count
    edit = b.post("/admin/offices/oulu", {"name": "", "place": "Rovanemi"})
    assert edit.status_code == 422 and web_db["offices"].get("oulu")["name"].startswith("Oulu")


def test_settings_page_shows_every_field_with_value_and_default(browser):
    b = browser("admin")
    page = b.get("/admin/settings").get_data(as_text=True)
    for key in Settings.__dataclass_fields__:
        if key not in CONFIG_ONLY:
            assert f'name="{key}"' in page, key
    assert 'name="workday_end" value="16:15"' in page
    # each in words in the page's language, its key beside it (the audit found the keys alone)
    assert '<label for="s-mileage_eur_per_km">Kilometrikorvaus (€/km)</label>' in page
    assert '<label for="s-workday_end">Työpäivä päättyy</label>' in page
    labels = re.findall(r'<label for="s-([a-z0-9_]+)">([^<]+)</label>', page)
    assert labels and all(text != key for key, text in labels), [k for k, t in labels if t == k]


def test_settings_change_takes_effect_and_can_be_reset(browser, web_app, web_db):
    before = _propose(web_app, "Lahti")     # nearer than a train or plane is weighed: driven
    b = browser("admin")
    response = b.post("/admin/settings", _settings_form(b, mileage_eur_per_km="1,10"))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    row = web_db["settings_overrides"].get("mileage_eur_per_km")
    assert json.loads(row["value"]) == 1.1 and row["updated_by"].startswith("user:")
    assert web_db["settings_overrides"].count == 1  # unchanged fields store nothing
    after = _propose(web_app, "Lahti")
    # every own-car leg of the proposals is paid at the new rate, and the options cost more
    assert _car_eur_per_km(before) == {0.55} and _car_eur_per_km(after) == {1.1}
    assert min(o["cost_eur"] for o in after["options"]) > min(o["cost_eur"] for o in before["options"])
    # the lead's live proposals in the browser see it too
    with web_app.app_context():
        from planner.context import get_settings
        assert get_settings().mileage_eur_per_km == 1.1
    audit = list(web_db.query("select detail from audit_log where action = 'settings-change'"))
    assert json.loads(audit[-1]["detail"]) == {"from": 0.55, "to": 1.1}
    page = b.get("/admin/settings").get_data(as_text=True)
    assert 'name="mileage_eur_per_km" value="1,1"' in page and 'value="mileage_eur_per_km"' in page  # a comma
    assert "pääkäyttäjä (admin@test.invalid, " in page and "user:" not in page      # who set it and when
    assert 'name="hotel_night_eur" value="' in page and "value=\"hotel_night_eur\"" not in page
    response = b.post("/admin/settings", {"reset": "mileage_eur_per_km"}, follow_redirects=True)
    assert "Kilometrikorvaus (€/km) on palautettu oletusarvoon." in response.get_data(as_text=True)
    assert not web_db["settings_overrides"].count
    assert _propose(web_app, "Lahti")["options"][0]["cost_eur"] == before["options"][0]["cost_eur"]
    assert list(web_db.query("select entity_id from audit_log where action = 'settings-reset'")) == [
        {"entity_id": "mileage_eur_per_km"}]


@pytest.mark.parametrize("key, value, message", [
    ("mileage_eur_per_km", "-1", "Täytyy olla vähintään 0."),
    ("mileage_eur_per_km", "lots", "Anna luku"),
    ("longest_day_minutes", "1200", "240–960"),
    ("longest_day_minutes", "600.5", "kokonaisluku"),
    ("workday_start", "8am", "HH:MM"),
    ("latest_return", "05:00", "Aikaisin lähtö"),
])
def test_bad_values_are_refused_next_to_the_field_and_nothing_is_saved(browser, web_db, key, value, message):
    b = browser("admin")
    form = _settings_form(b, **{key: value, "hotel_night_eur": "99"})
    response = b.post("/admin/settings", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = page.split(f'id="s-{key}-error"', 1)[1].split("</ul>", 1)[0]
    assert message.replace("–", "") in error.replace("–", "") or message in error, error
    assert f'name="{key}" value="{value}"' in page and 'name="hotel_night_eur" value="99"' in page
    assert not web_db["settings_overrides"].count
    # and at the top, where the button was pressed: what was not saved, each linked to its field
    summary = page.split('id="not-saved"', 1)[1].split("</div>", 1)[0]
    assert "Mitään ei tallennettu: 1 arvo pitää korjata." in summary and f'href="#s-{key}"' in summary


def test_database_overrides_apply_over_the_instance_config(demo_db_file, tmp_path, monkeypatch):
    import shutil
    from planner.wsgi import create_app
    from planner.store.db import open_db
    from planner.context import get_settings
    monkeypatch.setenv("PLANNER_INSTANCE", str(tmp_path / "instance"))
    database = tmp_path / "p.sqlite"
    shutil.copy(demo_db_file, database)
    app = create_app({"TESTING": True, "DATABASE": str(database), "SECRET_KEY": "x",
                      "PLANNER_SETTINGS": {"hotel_night_eur": 99.0, "taxi_base_eur": 9.0}})
    db = open_db(database)
    db["settings_overrides"].insert({"key": "hotel_night_eur", "value": "150.0", "updated_by": "user:1",
                                     "updated_at": "2026-01-01T00:00:00"})
    with app.app_context():
        s = get_settings()
        assert (s.hotel_night_eur, s.taxi_base_eur, s.mileage_eur_per_km) == (150.0, 9.0, 0.55)
    db["settings_overrides"].delete("hotel_night_eur")
    db.close()
    with app.app_context():
        assert get_settings().hotel_night_eur == 99.0  # the change counter moved: not the cached settings


def test_the_road_router_address_comes_only_from_the_instance_config(browser, web_app, web_db):
    """The router receives every meeting's coordinates, so where it is is the operator's choice in config.py: the
    settings page neither shows nor takes it, and an override stored before is ignored."""
    b = browser("admin")
    assert 'name="road_router_url"' not in b.get("/admin/settings").get_data(as_text=True)
    response = b.post("/admin/settings", _settings_form(b, road_router_url="http://evil.example:5000"))
    assert response.status_code in (302, 400)
    assert not list(web_db.query("select * from settings_overrides where key = 'road_router_url'"))
    assert not list(web_db.query("select * from audit_log where entity_id = 'road_router_url'"))
    assert b.post("/admin/settings", {"reset": "road_router_url"}).status_code == 400
    web_db["settings_overrides"].insert({"key": "road_router_url", "value": '"http://evil.example:5000"',
                                         "updated_by": "user:1", "updated_at": "2026-01-01T00:00:00"})
    web_db.conn.commit()
    web_app.config["PLANNER_SETTINGS"] = {"road_router_url": "http://127.0.0.1:5000"}
    with web_app.app_context():
        from planner.context import get_settings
        assert get_settings().road_router_url == "http://127.0.0.1:5000"


@pytest.mark.parametrize("field", ["place", "name"])
def test_the_office_form_keeps_its_200_character_limit_before_parsing(browser, web_db, field):
    """The limit is checked before the place is parsed: a 20,000-character place is refused at once (about as
    fast as one just over the limit, timed in the same run)."""
    import time
    b = browser("admin")

    def post(text: str):
        form = {"office_id": "rova", "name": "Rovaniemi office", "place": "Rovaniemi", "region": "Lappi", field: text}
        start = time.perf_counter()
        response = b.post("/admin/offices/new", form)
        return response, time.perf_counter() - start
    just_over, short_seconds = post("a" + " " * 200 + "b")
    assert just_over.status_code == 422
    response, seconds = post("a" + " " * 20000 + "b")
    assert seconds < 3 * short_seconds + 0.5
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = page.split(f'id="{field}-error"')[1].split("</ul>")[0]
    assert error.count("<li>") == 1 and "Ei voi olla pidempi kuin 200 merkkiä." in error, error
    assert not web_db["offices"].count_where("id = 'rova'")
