"""Accessibility of every page, measured in the browser: axe-core (shipped with axe-playwright-python, no network)
finds no violation on any page in Finnish, Swedish or English; disabled buttons stay readable (4.5:1); the keyboard
focus ring stands out (3:1) against whatever it is drawn on; and, without a browser, every text colour of the
stylesheet against its backgrounds (4.5:1). Pages are shown as people meet them: the demo week planned and
published, so the plan, the schedule and the map have trips on them."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from test_browser import sign_in
from web_support import WEEK, browser_pages

LANGUAGES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def pages(ids: dict) -> dict[str, list[str]]:
    """Every page each role reaches from the menu, and the forms behind them."""
    return {
        None: ["/sign-in"],
        "lead": ["/", "/overview", "/visits/new", f"/visits/{ids['visit']}", f"/plan?week={WEEK}",
                 f"/plan?week={WEEK}&trip={ids['trip']}", f"/plan/publish?week={WEEK}",
                 "/availability/team", "/map", "/team", "/team/oulu-sc/hours", "/availability", "/account",
                 "/account/two-step", "/reports?preset=year", "/reports/what-if"],
        "oulu": [f"/schedule?week={WEEK}", "/availability", "/account"],
        "admin": ["/admin/users", f"/admin/users/{ids['user']}", "/admin/settings", "/admin/offices",
                  f"/admin/offices/{ids['office']}", "/admin/offices/new", "/admin/audit", "/admin/outbox"],
    }


def every_page(make, ids: dict):
    """(who, url, page) for every page of ``pages``, each role signed in on a page of its own."""
    for who, urls in pages(ids).items():
        page = make()
        if who:
            sign_in(page, who)
        for url in urls:
            page.goto(url)
            yield who, url, page


def switch_language(page, lang: str) -> None:
    if page.get_attribute("html", "lang") != lang:
        page.get_by_role("button", name=LANGUAGES[lang]).click()
        expect(page.locator("html")).to_have_attribute("lang", lang)  # polls through the page's reload


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_axe_finds_no_violation_on_any_page(chromium, planned_site, lang):
    base, ids = planned_site
    axe = Axe()
    found = []
    with browser_pages(chromium, base) as make:
        for who, url, page in every_page(make, ids):
            switch_language(page, lang)
            for v in axe.run(page).response["violations"]:
                found.append(f"{who} {url}: {v['id']} ({v['impact']}) at {v['nodes'][0]['target']}: {v['help']}")
            assert not page.errors, (url, page.errors)
    assert not found, "\n".join(found)


RGB = re.compile(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)")

# The colour an element is seen against: its own background if it has one (``self``), else its nearest ancestor's.
BACKGROUND_JS = """(el, self) => {
  for (let e = self ? el : el.parentElement; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0)')) return c;
  }
  return 'rgb(255, 255, 255)';
}"""


def contrast(a: str, b: str) -> float:
    def luminance(css: str) -> float:
        r, g, b, _alpha = RGB.match(css).groups()

        def channel(c: str) -> float:
            c = int(c) / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_disabled_buttons_are_readable(chromium, planned_site):
    """A disabled button (Publish drafts with nothing to publish, Plan again while a plan runs) still reads 4.5:1."""
    base, ids = planned_site
    checked, weak = 0, []
    with browser_pages(chromium, base) as make:
        page = make()
        sign_in(page, "lead")
        page.goto(f"/plan?week={WEEK}")   # everything published: "Publish drafts" is disabled
        for button in page.locator("button[disabled]").all():
            colour = button.evaluate("el => getComputedStyle(el).color")
            background = button.evaluate(BACKGROUND_JS, True)
            checked += 1
            if contrast(colour, background) < 4.5:
                weak.append(f"{button.inner_text()!r}: {colour} on {background}")
    assert checked, "no disabled button on the published week plan"
    assert not weak, weak


def test_the_focus_ring_stands_out_on_every_background(chromium, planned_site):
    """Tabbing through each page, the focused element's outline is drawn and reaches 3:1 against what it is drawn on
    (the page, a card, the blue header)."""
    base, ids = planned_site
    weak, seen = [], set()
    with browser_pages(chromium, base) as make:
        for who, url, page in every_page(make, ids):
            for _ in range(80):
                page.keyboard.press("Tab")
                ring = page.evaluate("""() => { const el = document.activeElement;
                    if (!el || el === document.body) return null;
                    const s = getComputedStyle(el);
                    return {tag: el.tagName + (el.type ? '[' + el.type + ']' : '') + (el.id ? '#' + el.id : '') +
                                 (el.className ? '.' + el.className : ''), style: s.outlineStyle,
                            width: parseFloat(s.outlineWidth), colour: s.outlineColor}; }""")
                if ring is None:
                    break
                background = page.evaluate(f"({BACKGROUND_JS})(document.activeElement, false)")
                key = (ring["tag"], ring["colour"], background)
                if key in seen:
                    continue
                seen.add(key)
                if ring["style"] == "none" or ring["width"] < 2 or contrast(ring["colour"], background) < 3:
                    weak.append(f"{who} {url}: {ring} on {background}")
    assert len(seen) > 10, seen
    assert not weak, "\n".join(weak)


# The stylesheet's text colours, checked without a browser: every pair of text and background the stylesheet uses
# meets WCAG AA (4.5:1), read from static/app.css, so a change that breaks contrast fails here too.
CSS = (Path(__file__).resolve().parents[2] / "static" / "app.css").read_text()
VARS = {name: value if len(value) == 7 else "#" + "".join(c * 2 for c in value[1:])  # #fff -> #ffffff
        for name, value in re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b)", CSS)}


def css_colour(name: str) -> str:
    return VARS[name] if not name.startswith("#") else name


def hex_luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def css_contrast(a: str, b: str) -> float:
    la, lb = sorted((hex_luminance(css_colour(a)), hex_luminance(css_colour(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# (text, background) pairs as the stylesheet uses them
PAIRS = [
    ("fg", "bg"), ("muted", "bg"), ("muted", "panel"), ("accent", "bg"), ("accent", "panel"),
    ("#ffffff", "accent"), ("#ffffff", "accent-dark"), ("bad", "bg"), ("bad", "#fdecec"), ("ok", "bg"),
    ("ok", "panel"), ("draft", "bg"), ("draft", "panel"), ("fg", "warn-bg"), ("fg", "#f7dede"), ("fg", "#f0c4c4"),
    ("fg", "#bcd3ea"), ("fg", "#f3e2bf"), ("muted", "#eceff3"), ("#ffffff", "fg"),
]


@pytest.mark.parametrize("text, background", PAIRS)
def test_text_contrast_meets_wcag_aa(text, background):
    assert css_contrast(text, background) >= 4.5, f"{text} on {background}: {css_contrast(text, background):.2f}:1"


def test_every_colour_variable_is_checked():
    used = {name for pair in PAIRS for name in pair if not name.startswith("#")}
    assert set(VARS) - used <= {"line", "focus"}  # borders and the focus ring are not text
