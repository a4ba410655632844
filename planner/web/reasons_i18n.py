"""Finnish and Swedish for the English messages of the domain code (proposal reasons, optimizer explanations).

Flask-free. The domain code keeps writing English (the CLI, the JSON contracts and the tests read it); the pages
show it in the user's language through this table. A message is split on "; " (not inside parentheses) and each
fragment is matched against an ordered list of regex templates, one per message template of the domain code
(planner/core/availability.py, planner/core/propose.py, planner/optimize/explain.py, planner/optimize/instance.py,
planner/optimize/model.py, planner/store/plan_runs.py, planner/planning/{conflicts,actions}.py). The variable parts (names, durations, dates, euros, skills) are
named groups; they are re-formatted for the language (dates as 6.5.2027, "2 h 10 min" as "2 t 10 min" in Finnish,
holiday names from the ``holidays`` package) and put into the Finnish or Swedish template. English, and any
fragment no template matches, pass through unchanged. ``unmatched`` lists the fragments no template matches
(tests/test_reasons_i18n.py runs it over every message the demo data produces).
"""
from __future__ import annotations

import re
from datetime import date, time
from functools import lru_cache
from typing import Callable

import holidays
from babel import dates as babel_dates

LANGS = {"fi": "fi_FI", "sv": "sv_FI"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MON = "(?:" + "|".join(MONTHS) + ")"
DATE = rf"\d{{1,2}} {_MON} \d{{4}}"                       # fmt_day: '6 May 2027'
RANGE = rf"\d{{1,2}}(?: {_MON})?-\d{{1,2}} {_MON}|\d{{1,2}} {_MON}"   # fmt_range: '7-8 Dec', '30 Nov-2 Dec', '7 Dec'
WHEN = rf"(?:{RANGE})(?:, (?:{RANGE}))*"                  # explain.py: a range or a list of days
DUR = r"\d+ h \d+ min|\d+ h|\d+ min"                       # fmt_minutes
HHMM = r"\d\d\.\d\d"

MISSING_WORDS = {"fi": {"skill": "taito", "language": "kieli"}, "sv": {"skill": "kompetens", "language": "språk"}}
MODES = {"fi": {"flight": "lentäen", "train": "junalla", "ferry": "lautalla", "taxi": "taksilla", "walk": "kävellen",
                "car": "autolla"},
         "sv": {"flight": "flyg", "train": "tåg", "ferry": "färja", "taxi": "taxi", "walk": "till fots", "car": "bil"}}
ABSENCE_KINDS = {"fi": {"vacation": "loma", "sick leave": "sairausloma", "training": "koulutus", "other": "muu"},
                 "sv": {"vacation": "semester", "sick leave": "sjukledighet", "training": "utbildning",
                        "other": "annat"}}
WEEKDAYS_PLURAL = {"fi": ("maanantaisin", "tiistaisin", "keskiviikkoisin", "torstaisin", "perjantaisin",
                          "lauantaisin", "sunnuntaisin"),
                   "sv": ("måndagar", "tisdagar", "onsdagar", "torsdagar", "fredagar", "lördagar", "söndagar")}


class NoMatch(ValueError):
    """A variable part that does not look as the template expects (the fragment is left in English)."""


# Formatting of the variable parts --------------------------------------------------------------------------

def _month(name: str) -> int:
    return MONTHS.index(name) + 1


def parse_day(text: str) -> date:
    d, m, y = text.split()
    return date(int(y), _month(m), int(d))


def fmt_date(text: str, lang: str) -> str:
    """'6 May 2027' -> '6.5.2027'."""
    day = parse_day(text)
    return f"{day.day}.{day.month}.{day.year}"


def fmt_range(text: str, lang: str) -> str:
    """'7-8 Dec' -> '7.–8.12.' (fi), '7–8.12.' (sv); '30 Nov-2 Dec' -> '30.11.–2.12.'; '7 Dec' -> '7.12.'."""
    m = re.fullmatch(rf"(\d{{1,2}})(?: ({_MON}))?-(\d{{1,2}}) ({_MON})", text)
    if m:
        d1, m1, d2, m2 = m.groups()
        if m1 is None or m1 == m2:
            return f"{d1}.–{d2}.{_month(m2)}." if lang == "fi" else f"{d1}–{d2}.{_month(m2)}."
        return f"{d1}.{_month(m1)}.–{d2}.{_month(m2)}."
    m = re.fullmatch(rf"(\d{{1,2}}) ({_MON})", text)
    if not m:
        raise NoMatch(text)
    return f"{m.group(1)}.{_month(m.group(2))}."


def fmt_iso(text: str, lang: str) -> str:
    """'2026-12-08' -> '8.12.2026'."""
    day = date.fromisoformat(text)
    return f"{day.day}.{day.month}.{day.year}"


def fmt_when(text: str, lang: str) -> str:
    return ", ".join(fmt_range(part, lang) for part in text.split(", "))


def fmt_duration(text: str, lang: str) -> str:
    """'2 h 10 min' -> '2 t 10 min' in Finnish; Swedish writes it as English does."""
    return text.replace(" h", " t") if lang == "fi" else text


def fmt_hhmm(text: str, lang: str) -> str:
    h, m = text.split(".")
    return babel_dates.format_time(time(int(h), int(m)), "short", locale=LANGS[lang])


def fmt_missing(text: str, lang: str) -> str:
    """'skill health, language ru' -> 'taito health, kieli ru'."""
    out = []
    for part in text.split(", "):
        m = re.fullmatch(r"(skill|language) (\S+)", part)
        if not m:
            raise NoMatch(part)
        out.append(f"{MISSING_WORDS[lang][m.group(1)]} {m.group(2)}")
    return ", ".join(out)


def fmt_modes(text: str, lang: str) -> str:
    """'ferry and flight' -> 'lautalla ja lentäen' / 'färja och flyg'."""
    modes = text.split(" and ")
    if any(m not in MODES[lang] for m in modes):
        raise NoMatch(text)
    return (" ja " if lang == "fi" else " och ").join(MODES[lang][m] for m in modes)


def fmt_kind(text: str, lang: str) -> str:
    return ABSENCE_KINDS[lang].get(text, text)


def fmt_weekday(text: str, lang: str) -> str:
    return babel_dates.get_day_names("wide", context="stand-alone", locale=LANGS[lang])[WEEKDAYS.index(text)]


def fmt_weekdays(text: str, lang: str) -> str:
    return WEEKDAYS_PLURAL[lang][WEEKDAYS.index(text.removesuffix("s"))]


def fmt_period(text: str, lang: str) -> str:
    """'from 1 Jun 2026 until 31 Aug 2026' -> '1.6.2026–31.8.2026'; 'from 1 Jun 2026' -> '1.6.2026 alkaen'."""
    m = re.fullmatch(rf"from ({DATE}) until ({DATE})", text)
    if m:
        return f"{fmt_date(m.group(1), lang)}–{fmt_date(m.group(2), lang)}"
    m = re.fullmatch(rf"from ({DATE})", text)
    if m:
        d = fmt_date(m.group(1), lang)
        return f"{d} alkaen" if lang == "fi" else f"från {d}"
    m = re.fullmatch(rf"until ({DATE})", text)
    if m:
        d = fmt_date(m.group(1), lang)
        return f"{d} asti" if lang == "fi" else f"till {d}"
    raise NoMatch(text)


def fmt_legs(text: str, lang: str) -> str:
    """'Tampere 1 h 50 min each way, Oulu 2 h each way' -> 'Tampere 1 t 50 min suuntaansa, …'."""
    legs = re.findall(rf"(.+?) ({DUR}) each way(?:, |$)", text)
    if not legs or ", ".join(f"{o} {d} each way" for o, d in legs) != text:
        raise NoMatch(text)
    word = "suuntaansa" if lang == "fi" else "enkel väg"
    return ", ".join(f"{office} {fmt_duration(d, lang)} {word}" for office, d in legs)


def fmt_team(text: str, lang: str) -> str:
    """'hel-sw from Helsinki and tre-si1 from Tampere' -> 'hel-sw (Helsinki) ja tre-si1 (Tampere)'."""
    people = re.findall(r"(\S+) from (.+?)(?: and |$)", text)
    if not people or " and ".join(f"{s} from {o}" for s, o in people) != text:
        raise NoMatch(text)
    if lang == "fi":
        return " ja ".join(f"{s} ({o})" for s, o in people)
    return " och ".join(f"{s} från {o}" for s, o in people)


def fmt_busy_list(text: str, lang: str) -> str:
    """'hel-pm on demo-05; oulu-sc on demo-01, demo-02; …' (inside the parentheses)."""
    out = []
    for part in text.split("; "):
        if part == "…":
            out.append(part)
            continue
        m = re.fullmatch(r"(\S+) on (.+)", part)
        if not m:
            raise NoMatch(part)
        out.append(f"{m.group(1)}: {m.group(2)}" if lang == "fi" else f"{m.group(1)} på {m.group(2)}")
    return "; ".join(out)


def fmt_label(text: str, lang: str) -> str:
    """A commitment's label: 'trip T9' -> 'matka T9' / 'resa T9'."""
    m = re.fullmatch(r"trip (\S+)", text)
    if m:
        return ("matka " if lang == "fi" else "resa ") + m.group(1)
    return text


@lru_cache(maxsize=32)
def _holiday_names(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("FI", subdiv="01", years=year, language=language).items())


def holiday_in(day: date, english: str, lang: str) -> str:
    """The holiday's name in ``lang`` (by its date; Åland's own included), or the English name if it differs."""
    if _holiday_names(day.year, "en_US").get(day) != english:
        raise NoMatch(english)
    return _holiday_names(day.year, {"fi": "fi", "sv": "sv_FI"}[lang])[day]


# Named groups -> how to render them. A group named ``reason`` is translated as a fragment itself.
CONVERT: dict[str, Callable[[str, str], str]] = {
    "d": fmt_date, "d1": fmt_date, "d2": fmt_date, "range": fmt_range, "when": fmt_when, "dur": fmt_duration,
    "t1": fmt_hhmm, "t2": fmt_hhmm, "missing": fmt_missing, "modes": fmt_modes, "kind": fmt_kind,
    "weekday": fmt_weekday, "weekdays": fmt_weekdays, "period": fmt_period, "legs": fmt_legs, "team": fmt_team,
    "busy": fmt_busy_list, "label": fmt_label, "iso": fmt_iso, "iso1": fmt_iso, "iso2": fmt_iso,
}


def _busy_moment(m: re.Match, lang: str) -> dict[str, str]:
    """'busy (trip T9) Tue 08 Dec 06:00-20:00': weekday, day, month and times."""
    locale = LANGS[lang]
    wd = babel_dates.get_day_names("abbreviated", locale=locale)[("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
                                                                   .index(m["wd"])]
    t = [babel_dates.format_time(time(int(x[:2]), int(x[3:])), "short", locale=locale) for x in (m["h1"], m["h2"])]
    return {"when": f"{wd} {int(m['dd'])}.{_month(m['mon'])}. {t[0]}–{t[1]}"}


def _holiday(m: re.Match, lang: str) -> dict[str, str]:
    return {"holiday": holiday_in(parse_day(m["d"]), m["holiday"], lang)}


Rule = tuple[re.Pattern, dict[str, str], Callable[[re.Match, str], dict[str, str]] | None]


def _rule(pattern: str, fi: str, sv: str, special=None) -> Rule:
    return re.compile(pattern), {"fi": fi, "sv": sv}, special


_WD = "|".join(WEEKDAYS)
_N = r"(?P<n>\d+)"
_M = r"(?P<m>\d+)"

# One line per message template of the domain code, most specific first.
RULES: list[Rule] = [
    # planner/core/availability.py
    _rule(rf"(?P<d>{DATE}) is a (?P<weekday>{_WD})", "{d} on {weekday}", "{d} är en {weekday}"),
    _rule(rf"(?P<d>{DATE}) is (?P<holiday>.+)", "{d} on {holiday}", "{d} är {holiday}", _holiday),
    _rule(rf"not employed on (?P<d>{DATE})", "ei työsuhteessa {d}", "inte anställd {d}"),
    _rule(rf"absent \((?P<kind>[^)]+)\) (?P<range>{RANGE})", "poissa ({kind}) {range}", "frånvarande ({kind}) {range}"),
    _rule(rf"does not work on (?P<weekdays>(?:{_WD})s)", "ei työskentele {weekdays}", "arbetar inte på {weekdays}"),
    _rule(r"busy \((?P<label>[^)]+)\) (?P<wd>Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?P<dd>\d\d) (?P<mon>" + _MON
          + r") (?P<h1>\d\d:\d\d)-(?P<h2>\d\d:\d\d)",
          "varattu ({label}) {when}", "upptagen ({label}) {when}", _busy_moment),
    # planner/core/propose.py
    _rule(rf"cannot reach (?P<place>.+) for the meeting on (?P<d>{DATE}) \((?P<dur>{DUR}) away\)",
          "ei ehdi kohteeseen {place} tapaamiseen {d} (matkaa {dur})",
          "hinner inte till {place} till mötet {d} ({dur} resväg)"),
    _rule(rf"a trip (?P<range>{RANGE}): (?P<reason>.+)", "matka {range}: {reason}", "en resa {range}: {reason}"),
    _rule(r"no working day in the window: (?P<reason>.+)", "aikaikkunassa ei ole työpäivää: {reason}",
          "ingen arbetsdag i tidsfönstret: {reason}"),
    _rule(r"no working day in the window this week: (?P<reason>.+)",
          "aikaikkunassa ei ole tällä viikolla työpäivää: {reason}", "ingen arbetsdag i tidsfönstret denna vecka: {reason}"),
    _rule(r"lacks (?P<missing>.+)", "puuttuu: {missing}", "saknar {missing}"),
    _rule(r"free, but others are nearer or cheaper", "vapaana, mutta muut ovat lähempänä tai edullisempia",
          "ledig, men andra är närmare eller billigare"),
    _rule(r"not employed in the window \(employed (?P<period>.+)\)", "ei työsuhteessa aikaikkunassa (työsuhde {period})",
          "inte anställd i tidsfönstret (anställd {period})"),
    _rule(r"nearest qualified free person: (?P<legs>.+)", "lähin pätevä vapaa henkilö: {legs}",
          "närmaste behöriga lediga person: {legs}"),
    _rule(r"nearest qualified free team: (?P<legs>.+)", "lähin pätevä vapaa tiimi: {legs}",
          "närmaste behöriga lediga team: {legs}"),
    _rule(rf"(?P<s1>[+-])(?P<dur>{DUR}) travel, (?P<s2>[+-])€(?P<eur>\d+) against option 1",
          "{s1}{dur} matkaa, {s2}{eur} € vaihtoehtoon 1 verrattuna", "{s1}{dur} restid, {s2}{eur} € jämfört med alternativ 1"),
    _rule(rf"on (?P<d>{DATE})", "{d}", "den {d}"),
    _rule(r"the preferred person", "toivottu henkilö", "den önskade personen"),
    _rule(r"1 hotel night", "1 hotelliyö", "1 hotellnatt"),
    _rule(rf"{_N} hotel nights", "{n} hotelliyötä", "{n} hotellnätter"),
    _rule(r"by (?P<modes>.+)", "{modes}", "med {modes}"),
    # planner/optimize/explain.py (assignments)
    _rule(r"the only qualified person free", "ainoa vapaa pätevä henkilö", "den enda behöriga lediga personen"),
    _rule(r"the only qualified team free", "ainoa vapaa pätevä tiimi", "det enda behöriga lediga teamet"),
    _rule(r"nearest qualified free person", "lähin pätevä vapaa henkilö", "närmaste behöriga lediga person"),
    _rule(r"nearest qualified free team", "lähin pätevä vapaa tiimi", "närmaste behöriga lediga team"),
    _rule(rf"(?P<office>.+) would have added (?P<dur>{DUR})", "{office} olisi lisännyt matkaa {dur}",
          "{office} hade gett {dur} mer restid"),
    _rule(r"as near as (?P<who>\S+) \((?P<office>[^)]+)\)", "yhtä lähellä kuin {who} ({office})",
          "lika nära som {who} ({office})"),
    _rule(r"chosen for cost and an even spread of travel days",
          "valittu kustannusten ja matkapäivien tasaisen jakautumisen perusteella",
          "vald för kostnaden och en jämn fördelning av resdagar"),
    _rule(rf"(?P<who>\S+) \((?P<office>[^)]+)\) is (?P<dur>{DUR}) nearer but is on (?P<visits>.+)",
          "{who} ({office}) on {dur} lähempänä, mutta on käynnillä {visits}",
          "{who} ({office}) är {dur} närmare men är på {visits}"),
    _rule(rf"(?P<who>\S+) \((?P<office>[^)]+)\) is (?P<dur>{DUR}) nearer but would cost more in the plan as a whole",
          "{who} ({office}) on {dur} lähempänä, mutta tulisi kalliimmaksi koko suunnitelmassa",
          "{who} ({office}) är {dur} närmare men skulle kosta mer i planen som helhet"),
    _rule(r"(?P<who>\S+) chains it with (?P<places>.+) on one trip", "{who} yhdistää sen samalle matkalle: {places}",
          "{who} kombinerar det med {places} på samma resa"),
    _rule(r"the preferred person (?P<who>\S+) cannot go", "toivottu henkilö {who} ei pääse",
          "den önskade personen {who} kan inte åka"),
    _rule(r"the team meets at one start from different offices", "tiimi aloittaa yhtä aikaa eri toimipaikoista",
          "teamet börjar samtidigt från olika kontor"),
    # planner/optimize/instance.py, model.py, explain.py (unassigned visits); propose.short_of_people for both
    _rule(r"the window does not meet this week", "aikaikkuna ei osu tälle viikolle", "tidsfönstret träffar inte denna vecka"),
    _rule(r"pinned, but nobody can make it any more", "lukittu, mutta kukaan ei enää pääse",
          "låst, men ingen kan längre åka"),
    _rule(r"pinned, but a pinned person can no longer make it that day",
          "lukittu, mutta lukittu henkilö ei enää pääse sinä päivänä", "låst, men en låst person kan inte längre den dagen"),
    _rule(rf"nobody is free on (?P<when>{WHEN})", "kukaan ei ole vapaana {when}", "ingen är ledig {when}"),
    _rule(rf"nobody with (?P<missing>.+) is free on (?P<when>{WHEN})", "kukaan, jolla on {missing}, ei ole vapaana {when}",
          "ingen med {missing} är ledig {when}"),
    _rule(rf"only {_N} of the {_M} people needed are free on (?P<when>{WHEN})",
          "vain {n}/{m} tarvittavasta henkilöstä on vapaana {when}",
          "bara {n} av de {m} personer som behövs är lediga {when}"),
    _rule(rf"nobody free can reach (?P<place>.+) for a (?P<dur>{DUR}) meeting between (?P<t1>{HHMM}) and (?P<t2>{HHMM}) "
          rf"on (?P<when>{WHEN})",
          "kukaan vapaa ei ehdi kohteeseen {place} {dur} tapaamiseen klo {t1}–{t2} {when}",
          "ingen ledig hinner till {place} för ett möte på {dur} mellan {t1} och {t2} {when}"),
    _rule(rf"only {_N} of the {_M} people needed can reach (?P<place>.+) on (?P<when>{WHEN})",
          "vain {n}/{m} tarvittavasta henkilöstä ehtii kohteeseen {place} {when}",
          "bara {n} av de {m} personer som behövs hinner till {place} {when}"),
    _rule(rf"everyone who could go on (?P<when>{WHEN}) is needed for other visits \((?P<busy>.+)\)",
          "kaikkia, jotka voisivat lähteä {when}, tarvitaan muilla käynneillä ({busy})",
          "alla som kunde åka {when} behövs för andra besök ({busy})"),
    _rule(rf"no team of {_M} covering the visit is free at one start on (?P<when>{WHEN})",
          "{m} hengen tiimiä, joka kattaa käynnin, ei ole vapaana samaan alkuaikaan {when}",
          "inget team på {m} som täcker besöket är ledigt vid samma starttid {when}"),
    _rule(rf"left out within the time limit although {_N} qualified people were free on (?P<when>{WHEN})",
          "jäi pois aikarajan puitteissa, vaikka {n} pätevää henkilöä oli vapaana {when}",
          "utelämnat inom tidsgränsen fast {n} behöriga personer var lediga {when}"),
    # planner/optimize/candidates.py (TIME_RAN_OUT: a big week at a short time limit)
    _rule(r"the time limit ran out before this visit's trips were worked out",
          "aikaraja täyttyi ennen kuin tämän käynnin matkat ehdittiin laskea",
          "tidsgränsen tog slut innan resorna för det här besöket hann räknas ut"),
    # planner/store/plan_runs.py (SHARED_WITH_EDIT: a visit held back because of an edit made during the run)
    _rule(r"not planned in this run: it shared a trip or a person's time with a change made while the run was "
          r"planning",
          "ei suunniteltu tällä kertaa: sillä oli yhteinen matka tai henkilön aika muutoksen kanssa, joka tehtiin "
          "suunnittelun aikana",
          "inte planerat den här gången: det delade en resa eller en persons tid med en ändring som gjordes medan "
          "planeringen pågick"),
    _rule(r"plan again to place it", "suunnittele uudelleen, niin se sijoitetaan",
          "planera om för att placera det"),
    # planner/planning/conflicts.py (an absence during a trip, a meeting outside its window); actions.py (a move)
    _rule(rf"(?P<kind>vacation|sick leave|training|other) (?P<range>{RANGE})", "{kind} {range}", "{kind} {range}"),
    _rule(r"(?P<iso>\d{4}-\d\d-\d\d) is outside (?P<iso1>\d{4}-\d\d-\d\d)–(?P<iso2>\d{4}-\d\d-\d\d)",
          "{iso} on aikaikkunan {iso1}–{iso2} ulkopuolella", "{iso} ligger utanför {iso1}–{iso2}"),
    _rule(r"moved by a lead: (?P<reason>.+)", "tiiminvetäjän siirtämä: {reason}", "flyttat av en teamledare: {reason}"),
    # explain.py: 'oulu-sc from Oulu: nearest qualified free person' (the team first, then the first part)
    _rule(r"(?P<team>[^:;]+? from [^:;]+?): (?P<reason>.+)", "{team}: {reason}", "{team}: {reason}"),
    # actions.move_meeting: 'hel-pm: absent (vacation) 7-8 Dec' (a person's id, then why not)
    _rule(r"(?P<who>[a-z0-9][\w.-]*): (?P<reason>.+)", "{who}: {reason}", "{who}: {reason}"),
]


def split_fragments(message: str) -> list[str]:
    """Split on '; ' except inside parentheses."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(message):
        c = message[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and message.startswith("; ", i):
            parts.append(message[start:i])
            start = i + 2
            i += 1
        i += 1
    parts.append(message[start:])
    return parts


def translate_fragment(fragment: str, lang: str, misses: list[str] | None = None) -> str:
    for pattern, texts, special in RULES:
        m = pattern.fullmatch(fragment)
        if not m:
            continue
        try:
            values = {}
            for name, value in m.groupdict().items():
                if value is None:
                    continue
                if name == "reason":
                    values[name] = translate_fragment(value, lang, misses)
                else:
                    values[name] = CONVERT[name](value, lang) if name in CONVERT else value
            if special:
                values.update(special(m, lang))
        except (NoMatch, ValueError, KeyError, IndexError):
            continue
        return texts[lang].format(**values)
    if misses is not None:
        misses.append(fragment)
    return fragment


def translate(message: str | None, lang: str) -> str:
    """``message`` (English, from the domain code) in ``lang`` ('fi', 'sv'; others return it unchanged)."""
    if not message or lang not in LANGS:
        return message or ""
    return "; ".join(translate_fragment(f, lang) for f in split_fragments(message))


def unmatched(message: str) -> list[str]:
    """The fragments of ``message`` (nested ones included) that no template matches, in either language."""
    misses: list[str] = []
    for lang in LANGS:
        for fragment in split_fragments(message or ""):
            if fragment:
                translate_fragment(fragment, lang, misses)
    return list(dict.fromkeys(misses))
