"""The app for a production WSGI server (docs/deploy.md):

    PLANNER_INSTANCE=/srv/planner/instance gunicorn --workers 3 --threads 4 planner.wsgi:app
"""
from .app import create_app

app = create_app()
