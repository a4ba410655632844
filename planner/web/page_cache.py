"""A cache of rendered pages that is never stale: the key holds the database's change counter (bumped by triggers
on every write, see migration 0004), so any change by anyone, the CLI and the optimizer included, misses.

Per-session parts are kept out of the cached text: the CSRF token is swapped for a placeholder when stored and for
the request's own token when served; pages with flashed messages are never cached. Each process has its own cache.
"""
from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Callable

from flask import current_app, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from .i18n import current_language
from ..context import get_db
from ..store.web_changes import change_counter

PLACEHOLDER = "\x00csrf\x00"
MAX_PAGES = 128

_pages: OrderedDict[tuple, str] = OrderedDict()
_lock = Lock()


def cached_page(render: Callable[[], str], *extra) -> str:
    """The page for this request (path, language, role) at the current data version, rendered by ``render`` when
    it is not cached yet."""
    if not current_app.config.get("PAGE_CACHE", True) or session.get("_flashes"):
        return render()
    key = (request.full_path, current_language(), current_user.role, bool(current_user.staff),
           change_counter(get_db()), *extra)
    with _lock:
        page = _pages.get(key)
        if page is not None:
            _pages.move_to_end(key)
    if page is not None:
        return page.replace(PLACEHOLDER, generate_csrf())
    html = render()
    token = generate_csrf()  # the token this request's page was rendered with
    with _lock:
        _pages[key] = html.replace(token, PLACEHOLDER)
        while len(_pages) > MAX_PAGES:
            _pages.popitem(last=False)
    return html


def clear() -> None:
    with _lock:
        _pages.clear()
