"""Languages: Finnish by default, Swedish and English by the switch; locale formats; complete catalogs."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po


TRANSLATIONS = Path(__file__).resolve().parent.parent / "planner" / "translations"


def test_finnish_by_default_then_swedish_and_english(browser):
    b = browser("lead")
    page = b.get("/overview").get_data(as_text=True)
    assert '<html lang="fi">' in page and "Yleiskatsaus" in page
    response = b.post("/language", {"lang": "sv", "next": "/overview"})
    assert response.status_code == 302 and response.location == "/overview"
    page = b.get("/overview").get_data(as_text=True)
    assert '<html lang="sv">' in page and "Översikt" in page
    b.post("/language", {"lang": "en", "next": "/overview"})
    page = b.get("/overview").get_data(as_text=True)
    assert '<html lang="en">' in page and "Overview" in page


def test_language_switch_refuses_other_hosts_and_unknown_languages(browser):
    b = browser("lead")
    assert b.post("/language", {"lang": "sv", "next": "https://evil.example/"}).location == "/"
    b.post("/language", {"lang": "xx", "next": "/overview"})
    assert '<html lang="sv">' in b.get("/overview").get_data(as_text=True)


@pytest.mark.parametrize("target", ["/plan\r\nX", "/plan\rX", "/plan\nX", "/\t/evil.example", "/\\evil.example",
                                    "/plan\x00"])
def test_language_switch_refuses_control_characters_in_next(browser, target):
    b = browser("lead")
    response = b.post("/language", {"lang": "sv", "next": target})
    assert response.status_code == 302 and response.location == "/"


def test_the_choice_survives_sign_in(browser):
    b = browser()
    b.post("/language", {"lang": "sv", "next": "/sign-in"})
    b.sign_in("lead")
    assert '<html lang="sv">' in b.get("/overview").get_data(as_text=True)


@pytest.mark.parametrize("lang, expected", [("fi", "ma 30.11."), ("sv", "mån 30 nov."), ("en", "Mon 30 Nov")])
def test_dates_in_the_locale_format(web_app, lang, expected):
    from datetime import date
    from flask import session
    from planner.web.i18n import format_day, format_eur, format_time
    with web_app.test_request_context():
        session["lang"] = lang
        assert format_day(date(2026, 11, 30)) == expected
        assert format_time("2026-11-30T08:30:00") == {"fi": "8.30", "sv": "8.30", "en": "08:30"}[lang]
        assert format_eur(1234.5).replace("\xa0", " ").replace("\u202f", " ") == {
            "fi": "1 234,50 €", "sv": "1 234,50 €", "en": "€1,234.50"}[lang]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_catalogs_are_complete_and_compiled(lang):
    folder = TRANSLATIONS / lang / "LC_MESSAGES"
    with open(folder / "messages.po", "rb") as f:
        po = read_po(f)
    with open(folder / "messages.mo", "rb") as f:
        mo = read_mo(f)
    untranslated = [m.id for m in po if m.id and not m.string]
    assert not untranslated
    plain = lambda value: value if isinstance(value, str) else tuple(value)  # plural entries are lists/tuples
    assert {plain(m.id): plain(m.string) for m in po if m.id} == {plain(m.id): plain(m.string) for m in mo if m.id}, \
        "run: pybabel compile -d planner/translations"


def test_every_message_in_the_code_is_in_the_catalog():
    from babel.messages.frontend import CommandLineInterface
    import tempfile
    root = TRANSLATIONS.parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(TRANSLATIONS / "babel.cfg"), "-k", "_l",
                                    "-o", str(pot), "--no-location", str(root / "planner"), str(root / "templates")])
        with open(pot, "rb") as f:
            wanted = {m.id for m in read_po(f) if m.id}
    with open(TRANSLATIONS / "fi" / "LC_MESSAGES" / "messages.po", "rb") as f:
        have = {m.id for m in read_po(f) if m.id}
    assert wanted <= have, f"new messages to translate: {sorted(wanted - have)[:5]}"


def test_counts_are_real_plurals_not_parenthesised_endings():
    """'1 hotelliyö', '2 hotelliyötä' through ngettext; no message in the code or the templates writes 'night(s)'."""
    from babel.support import Translations
    for lang, one, two in (("fi", "1 hotelliyö", "2 hotelliyötä"), ("sv", "1 hotellnatt", "2 hotellnätter")):
        catalog = Translations.load(str(TRANSLATIONS), [lang])
        assert catalog.ngettext("%(num)d hotel night", "%(num)d hotel nights", 1) % {"num": 1} == one
        assert catalog.ngettext("%(num)d hotel night", "%(num)d hotel nights", 2) % {"num": 2} == two
    with open(TRANSLATIONS / "messages.pot", "rb") as f:
        fake = [m.id for m in read_po(f) if m.id and "(s)" in (m.id if isinstance(m.id, str) else m.id[0])]
    assert not fake, fake


@pytest.mark.parametrize("lang, texts", [
    ("fi", {538: "8 t 58 min", 45: "45 min", 120: "2 t", 0: "0 min", -75: "−1 t 15 min"}),
    ("sv", {538: "8 h 58 min", 45: "45 min", 120: "2 h", 0: "0 min", -75: "−1 h 15 min"}),
    ("en", {538: "8 h 58 min", 45: "45 min", 120: "2 h", 0: "0 min", -75: "−1 h 15 min"}),
])
def test_one_style_for_hours_in_each_language(web_app, lang, texts):
    """Durations read '8 t 58 min' in Finnish and '8 h 58 min' in Swedish and English: the templates' ``minutes``
    filter and the reasons' renderer are one function (planner/web/messages.py ``minutes``)."""
    from planner.web import messages
    with web_app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
        template = web_app.jinja_env.from_string("{{ n|minutes }}")
        for n, text in texts.items():
            assert template.render(n=n) == text
            assert messages.minutes(n) == text
        reason = messages.render({"code": "cannot_reach", "place": "Oulu", "day": "2026-12-07", "minutes": 538})
        assert texts[538] in reason


@pytest.mark.parametrize("lang, hours", [("fi", "t"), ("sv", "h"), ("en", "h")])
def test_proposals_word_hours_in_the_page_language(browser, lang, hours):
    import re
    from web_support import visit_form
    lead = browser("lead")
    lead.post("/language", {"lang": lang, "next": "/overview"})
    page = lead.post("/visits/proposals", visit_form()).get_data(as_text=True)
    durations = re.findall(r"\b\d+ (t|h) \d+ min\b", page)
    assert durations and set(durations) == {hours}, durations


def test_the_calendar_feed_words_legs_in_finnish(browser):
    """The feed's trip description: the mode, the places and the duration in Finnish, not 'car: ... (155 min)'."""
    import re
    from web_support import WEEK, file_and_assign
    lead = browser("lead")
    file_and_assign(lead)  # Rovaniemi, Oulu's counsellor
    assert lead.post("/plan/publish", {"week": WEEK}).status_code == 302
    oulu = browser("oulu")
    url = re.search(r'value="(http[^"]+\.ics)"', oulu.post("/schedule/calendar").get_data(as_text=True))[1]
    body = browser().get(url.split("localhost", 1)[1]).get_data(as_text=True).replace("\r\n ", "")
    assert re.search(r"auto: Oulu[^→]* → Rovaniemi \(\d+ t \d+ min\)", body), body
    assert "car:" not in body and not re.search(r"\(\d+ min\)", body)
