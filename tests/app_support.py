"""The app as the tests build it: the real factory, and a CLI runner that invokes the ``planner`` group on it (the
commands belong to the group, not to the web app's ``app.cli``)."""
from __future__ import annotations

from flask.testing import FlaskCliRunner

from planner.cli import main as planner_command
from planner.wsgi import create_app


class PlannerCliRunner(FlaskCliRunner):
    """``app.test_cli_runner()`` invoking the ``planner`` group on the test's app (the commands belong to the group,
    not to the web app's ``app.cli``)."""

    def invoke(self, cli=None, args=None, **kwargs):
        return super().invoke(cli or planner_command, args, **kwargs)


def app_for_tests(config: dict):
    app = create_app(config)
    app.test_cli_runner_class = PlannerCliRunner
    return app
