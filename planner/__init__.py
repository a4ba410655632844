"""planner: field-visit travel and availability planner for Finland's assistance system for victims of
human trafficking. The packages are its layers (docs/architecture.md): ``core`` (the domain, no Flask and no SQL),
``optimize``, ``store`` (all the SQL), ``planning``, ``accounts``, ``ops``, ``web`` and ``cli``; ``planner.wsgi``
builds the web app."""
import time

# When this process started, as near as Python allows (before Flask and OR-Tools load): ``planner plan-week
# --time-limit`` run as a command (``AS_COMMAND``, set by the console script) and a plan job's time limit are the
# wall clock from here.
STARTED = time.perf_counter()
AS_COMMAND = False
