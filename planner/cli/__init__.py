"""The ``planner`` command group (``planner run`` serves the app; every command is a subcommand): ``main`` holds the
group and the record commands, ``plan``, ``accounts`` and ``privacy`` their families; backups come from ``ops``."""
from .main import COMMANDS, main

__all__ = ["COMMANDS", "main"]
