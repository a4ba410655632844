"""planner: field-visit travel and availability planner for Finland's assistance system for victims of
human trafficking. ``create_app`` builds the Flask app; the domain modules (places, travel, availability,
propose) need no Flask."""
import time

# When this process started, as near as Python allows (before Flask and OR-Tools load): ``planner plan-week
# --time-limit`` run as a command (``AS_COMMAND``, set by the console script) and a plan job's time limit are the
# wall clock from here.
STARTED = time.perf_counter()
AS_COMMAND = False


def create_app(test_config: dict | None = None):
    """The Flask application factory (imported lazily so domain code never pulls in Flask)."""
    from .app import create_app as factory
    return factory(test_config)
