"""The browser app: the app factory (``app``), security headers and limits (``security``), sign-in (``auth``),
languages and formats (``i18n``), messages worded for the page (``messages``), the page cache and one blueprint
per task in ``views``. Only ``planner.wsgi`` imports it."""
