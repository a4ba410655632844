"""The reports page in Chromium: each chart is an image the browser draws, and the page logs no error."""
from __future__ import annotations

from test_browser import sign_in
from web_support import browser_pages


def test_the_charts_render_in_a_browser(chromium, planned_site):
    base, _ids = planned_site
    with browser_pages(chromium, base) as make:
        page = make()
        sign_in(page, "lead")
        page.goto("/reports?preset=year")
        page.wait_for_load_state("networkidle")
        drawn = page.eval_on_selector_all("figure img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
        assert len(drawn) >= 3 and all(drawn)
        assert page.locator("table").count() >= 3 and not page.errors
