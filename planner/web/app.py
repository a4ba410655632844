"""The Flask application factory."""
from __future__ import annotations

from flask import Flask

from .. import context, logging_setup
from ..context import ROOT, instance_folder
from ..planning import notices
from ..planning.plan_jobs import default_at_once as default_plan_jobs_at_once
from ..core.network_data import network_problem
from ..core.settings import Settings


def create_app(test_config: dict | None = None, for_cli: bool = False) -> Flask:
    """Build the app: defaults, then the instance's ``config.py`` (or ``test_config``), then extensions and views.

    ``for_cli``: built for a ``planner`` command, which may create the instance's secret key (set-up); the web app
    in production refuses to start without one."""
    instance = instance_folder()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True,
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    app.config.from_mapping(
        DATABASE=str(instance / "planner.sqlite"),
        PLANNER_SETTINGS={},
        BABEL_TRANSLATION_DIRECTORIES=str(ROOT / "planner" / "translations"),
        # "Plan again" in the browser: solver and time limit of the background plan run.
        PLAN_JOB_SOLVER="cp-sat",
        PLAN_JOB_TIME_LIMIT=20.0,
        # At most this many plan jobs run at once across all weeks; more wait in a queue (one per two cores).
        PLAN_JOBS_AT_ONCE=default_plan_jobs_at_once(),
        # Email notices (docs/deploy.md): changes of one kind to one person within this many seconds go out as one
        # message; the app's address for the links in them; SMTP_HOST etc. for ``planner send-mail``.
        NOTICE_GATHER_SECONDS=300.0,
        PUBLIC_URL=None,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    instance.mkdir(parents=True, exist_ok=True)
    own_network = instance / "road_network.json"     # an administrator's update of the travel network's data
    if own_network.exists():
        problem = network_problem(own_network)
        if problem:
            raise SystemExit(f"{own_network}: {problem}")
        app.config["PLANNER_SETTINGS"] = {**app.config["PLANNER_SETTINGS"], "network_file": str(own_network)}
    app.extensions["planner_settings"] = Settings.from_mapping(app.config["PLANNER_SETTINGS"])
    notices.GATHER_SECONDS = float(app.config["NOTICE_GATHER_SECONDS"])

    logging_setup.init_app(app)  # first: its request timer starts before the other hooks run
    context.init_app(app)
    from . import auth, i18n, mail_text, security, sso
    from .views import admin, availability, home, map, overview, plan, schedule, team, visits
    from .views import account, admin_sign_in, outbox, reports  # noqa: F401 - admin_sign_in: routes of admin's
    from .views import audit as audit_views
    security.init_app(app, for_cli=for_cli)
    auth.login_manager.init_app(app)
    i18n.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(sso.bp)
    app.extensions["compose_notice"] = mail_text.compose     # for ``planner send-mail``, which does not import web
    for view in (home, overview, visits, plan, schedule, availability, team, map, admin, audit_views, account,
                 outbox, reports):
        app.register_blueprint(view.bp)
    return app
