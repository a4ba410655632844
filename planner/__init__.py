"""planner: field-visit travel and availability planner for Finland's assistance system for victims of
human trafficking. ``create_app`` builds the Flask app; the domain modules (places, travel, availability,
propose) need no Flask."""


def create_app(test_config: dict | None = None):
    """The Flask application factory (imported lazily so domain code never pulls in Flask)."""
    from .app import create_app as factory
    return factory(test_config)
