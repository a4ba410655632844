"""The app for a production WSGI server (docs/deploy.md), and the one place outside ``web`` that builds it:

    PLANNER_INSTANCE=/srv/planner/instance gunicorn --workers 3 --threads 4 planner.wsgi:app

``app`` is built on first use, so the ``planner`` command can import ``create_app`` from here without starting
a web app it does not serve.
"""
from .web.app import create_app


def __getattr__(name: str):
    if name == "app":
        globals()["app"] = create_app()
        return globals()["app"]
    raise AttributeError(name)
