from datetime import time

import pytest

from planner.wsgi import create_app
from planner.core.settings import Settings


def test_overrides_and_times_from_text():
    s = Settings.from_mapping({"mileage_eur_per_km": 0.57, "meeting_latest_end": "16:00"})
    assert s.mileage_eur_per_km == 0.57 and s.meeting_latest_end == time(16, 0)
    assert Settings().mileage_eur_per_km == 0.55 and Settings().longest_day_minutes == 600


def test_unknown_setting_is_refused():
    with pytest.raises(ValueError, match="unknown setting 'milage'"):
        Settings.from_mapping({"milage": 1})


def test_instance_config_file_is_read(instance):
    instance.mkdir(parents=True)
    (instance / "config.py").write_text('PLANNER_SETTINGS = {"hotel_night_eur": 99.0}\n')
    app = create_app()
    assert app.extensions["planner_settings"].hotel_night_eur == 99.0
    assert app.config["DATABASE"] == str(instance / "planner.sqlite")


def test_health_and_home_page(app, db):
    client = app.test_client()
    assert client.get("/health").json == {"status": "ok"}
    page = client.get("/")
    assert page.status_code == 200 and "/sign-in" in page.get_data(as_text=True)
