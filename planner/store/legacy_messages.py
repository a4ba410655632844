"""Reasons and explanations stored as English text before messages (migration 0012): read back into messages.

The one place that parses the old English. Each pattern is one wording planner/core/messages.py ``ENGLISH``
produces; text none of them reads whole stays as it is (a ``text`` message, shown verbatim). Day ranges in the old
text have no year: ``year`` (of the meeting or the plan's week) supplies it.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Callable

from ..core.messages import WEEKDAYS, Message, english, legacy, message
from ..core.reasons import reasons

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MON = "(?:" + "|".join(MONTHS) + ")"
DAY = rf"\d{{1,2}} {_MON} \d{{4}}"
RANGE = rf"\d{{1,2}}(?: {_MON})?-\d{{1,2}} {_MON}|\d{{1,2}} {_MON}"
WHEN = rf"(?:{RANGE})(?:, (?:{RANGE}))*"
DUR = r"\d+ h \d+ min|\d+ h|\d+ min"


def _iso(text: str) -> str:
    d, m, y = text.split()
    return date(int(y), MONTHS.index(m) + 1, int(d)).isoformat()


def _span(text: str, year: int) -> list[str]:
    m = re.fullmatch(rf"(\d{{1,2}})(?: ({_MON}))?-(\d{{1,2}}) ({_MON})", text)
    if m:
        d1, m1, d2, m2 = m.groups()
        first_month, last_month = MONTHS.index(m1 or m2) + 1, MONTHS.index(m2) + 1
        first = date(year, first_month, int(d1))
        last = date(year + (last_month < first_month), last_month, int(d2))
        return [first.isoformat(), last.isoformat()]
    d, mon = text.split()
    one = date(year, MONTHS.index(mon) + 1, int(d)).isoformat()
    return [one, one]


def _when(text: str, year: int) -> list[list[str]]:
    return [_span(part, year) for part in text.split(", ")]


def _minutes(text: str) -> int:
    h = re.search(r"(\d+) h", text)
    m = re.search(r"(\d+) min", text)
    return (int(h.group(1)) * 60 if h else 0) + (int(m.group(1)) if m else 0)


def _missing(text: str) -> dict[str, list[str]]:
    out = {"skills": [], "languages": []}
    for part in text.split(", "):
        kind, code = part.split(" ", 1)
        out["skills" if kind == "skill" else "languages"].append(code)
    return out


def split_fragments(text: str) -> list[str]:
    """Split on '; ' except inside parentheses."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        depth += c == "("
        depth -= c == ")" and depth > 0
        if depth == 0 and text.startswith("; ", i):
            parts.append(text[start:i])
            start, i = i + 2, i + 1
        i += 1
    return parts + [text[start:]]


Rule = tuple[re.Pattern, Callable[[re.Match, int], Message]]


def _rule(pattern: str, build: Callable[[re.Match, int], Message]) -> Rule:
    return re.compile(pattern), build


def _busy(m: re.Match, year: int) -> Message:
    day = date(year, MONTHS.index(m["mon"]) + 1, int(m["dd"]))
    start = datetime.combine(day, datetime.strptime(m["h1"], "%H:%M").time())
    last = date(year, MONTHS.index(m["mon2"]) + 1, int(m["dd2"])) if m["dd2"] else day
    end = datetime.combine(last, datetime.strptime(m["h2"], "%H:%M").time())
    end += timedelta(days=1) if end <= start else timedelta(0)  # the old text kept no end day
    trip = m["label"].removeprefix("trip").strip()
    return message("busy", trip=trip, start=start.isoformat(), end=end.isoformat())


def _not_employed(m: re.Match, year: int) -> Message:
    return message("not_employed_window", start=m["a"] and _iso(m["a"]), end=m["b"] and _iso(m["b"]))


def _holiday(m: re.Match, year: int) -> Message:
    for aland in (False, True):
        msg = message("holiday", day=_iso(m["d"]), aland=aland)
        if english(msg) == m.group(0):
            return msg
    raise ValueError(m.group(0))


# One rule per fragment wording; a rule whose builder raises does not match.
RULES: list[Rule] = [
    _rule(rf"(?P<d>{DAY}) is a (?P<wd>{'|'.join(WEEKDAYS)})", lambda m, y: message("weekend", day=_iso(m["d"]))),
    _rule(rf"(?P<d>{DAY}) is .+", _holiday),
    _rule(rf"not employed on (?P<d>{DAY})", lambda m, y: message("not_employed_on", day=_iso(m["d"]))),
    _rule(rf"absent \((?P<kind>[^)]+)\) (?P<r>{RANGE})", lambda m, y: message(
        "absent", kind=m["kind"].replace(" ", "_"), start=_span(m["r"], y)[0], end=_span(m["r"], y)[1])),
    _rule(rf"does not work on (?P<wd>{'|'.join(WEEKDAYS)})s",
          lambda m, y: message("day_off", weekday=WEEKDAYS.index(m["wd"]))),
    _rule(rf"busy \((?P<label>[^)]+)\) \w{{3}} (?P<dd>\d\d) (?P<mon>{_MON}) (?P<h1>\d\d:\d\d)-"
          rf"(?:\w{{3}} (?P<dd2>\d\d) (?P<mon2>{_MON}) )?(?P<h2>\d\d:\d\d)",
          _busy),
    _rule(rf"not employed in the window \(employed (?:from (?P<a>{DAY}))? ?(?:until (?P<b>{DAY}))?\)", _not_employed),
    _rule(rf"cannot reach (?P<place>.+) for the meeting on (?P<d>{DAY}) \((?P<dur>{DUR}) away\)",
          lambda m, y: message("cannot_reach", place=m["place"], day=_iso(m["d"]), minutes=_minutes(m["dur"]))),
    _rule(rf"a trip (?P<r>{RANGE}): (?P<rest>.+)", lambda m, y: message(
        "trip_blocked", start=_span(m["r"], y)[0], end=_span(m["r"], y)[1], reason=fragment(m["rest"], y))),
    _rule(r"lacks (?P<missing>(?:skill|language) \S+(?:, (?:skill|language) \S+)*)",
          lambda m, y: message("lacks", **_missing(m["missing"]))),
    _rule(r"free, but others are nearer or cheaper", lambda m, y: message("free_not_chosen")),
    _rule(r"the preferred person", lambda m, y: message("preferred")),
    _rule(r"(?P<n>\d+) hotel nights?", lambda m, y: message("hotel_nights", n=int(m["n"]))),
    _rule(r"by (?P<modes>[a-z]+(?: and [a-z]+)*)", lambda m, y: message("by_modes", modes=m["modes"].split(" and "))),
    _rule(rf"on (?P<d>{DAY})", lambda m, y: message("on_day", day=_iso(m["d"]))),
    _rule(r"the window does not meet this week", lambda m, y: message("window_not_this_week")),
    _rule(r"the only qualified (?P<w>person|team) free", lambda m, y: message("only_qualified", team=m["w"] == "team")),
    _rule(r"the team meets at one start from different offices", lambda m, y: message("team_offices")),
    _rule(r"pinned, but nobody can make it any more", lambda m, y: message("pin_nobody")),
    _rule(r"pinned, but a pinned person can no longer make it that day", lambda m, y: message("pin_person")),
    _rule(r"the time limit ran out before this visit's trips were worked out", lambda m, y: message("time_ran_out")),
    _rule(r"the preferred person (?P<s>\S+) cannot go", lambda m, y: message("preferred_cannot", staff=m["s"])),
    _rule(rf"nobody is free on (?P<w>{WHEN})", lambda m, y: message("nobody_free", when=_when(m["w"], y))),
    _rule(rf"nobody with (?P<missing>.+) is free on (?P<w>{WHEN})",
          lambda m, y: message("nobody_with", **_missing(m["missing"]), when=_when(m["w"], y))),
    _rule(rf"only (?P<n>\d+) of the (?P<k>\d+) people needed are free on (?P<w>{WHEN})", lambda m, y: message(
        "too_few_free", free=int(m["n"]), needed=int(m["k"]), when=_when(m["w"], y))),
    _rule(rf"only (?P<n>\d+) of the (?P<k>\d+) people needed can reach (?P<place>.+) on (?P<w>{WHEN})",
          lambda m, y: message("too_few_reach", able=int(m["n"]), needed=int(m["k"]), place=m["place"],
                               when=_when(m["w"], y))),
    _rule(rf"no team of (?P<k>\d+) covering the visit is free at one start on (?P<w>{WHEN})",
          lambda m, y: message("no_common_start", needed=int(m["k"]), when=_when(m["w"], y))),
    _rule(rf"left out within the time limit although (?P<n>\d+) qualified people were free on (?P<w>{WHEN})",
          lambda m, y: message("left_out", free=int(m["n"]), when=_when(m["w"], y))),
    _rule(rf"nobody free can reach (?P<place>.+) for a (?P<dur>{DUR}) meeting between (?P<a>\d\d\.\d\d) and "
          rf"(?P<b>\d\d\.\d\d) on (?P<w>{WHEN})",
          lambda m, y: message("cannot_reach_any", place=m["place"], minutes=_minutes(m["dur"]),
                               when=_when(m["w"], y), **{"from": m["a"].replace(".", ":"),
                                                         "until": m["b"].replace(".", ":")})),
    _rule(rf"(?P<s>\S+) \((?P<o>[^)]+)\) is (?P<dur>{DUR}) nearer but is on (?P<v>.+)", lambda m, y: message(
        "nearer_but_busy", staff=m["s"], office=m["o"], minutes=_minutes(m["dur"]), visits=m["v"].split(", "))),
    _rule(rf"(?P<s>\S+) \((?P<o>[^)]+)\) is (?P<dur>{DUR}) nearer but would cost more in the plan as a whole",
          lambda m, y: message("nearer_but_costly", staff=m["s"], office=m["o"], minutes=_minutes(m["dur"]))),
    _rule(r"(?P<s>\S+) chains it with (?P<v>.+) on one trip", lambda m, y: message(
        "chains", staff=m["s"], visits=[list(p) for p in re.findall(r"(.+?) \((\S+)\)(?:, |$)", m["v"])])),
]

# Wordings that hold '; ' themselves, read before splitting.
WHOLE: list[Rule] = [
    _rule(r"no working day in the window(?P<tw> this week)?: (?P<rest>.+)", lambda m, y: message(
        "no_working_day", days=[fragment(f, y) for f in split_fragments(m["rest"])], this_week=bool(m["tw"]))),
    _rule(r"not planned in this run: it shared a trip or a person's time with a change made while the run was "
          r"planning; plan again to place it", lambda m, y: message("shared_with_edit")),
    _rule(rf"everyone who could go on (?P<w>{WHEN}) is needed for other visits \((?P<b>.+)\)", lambda m, y: message(
        "all_busy", when=_when(m["w"], y), more=m["b"].endswith("; …"),
        busy=[[p.split(" on ")[0], p.split(" on ", 1)[1].split(", ")] for p in split_fragments(m["b"]) if p != "…"])),
    _rule(r"moved by a lead: (?P<rest>.+)", lambda m, y: message("moved_by_lead", reason=parse(m["rest"], y))),
    _rule(r"nearest qualified free (?P<w>person|team): (?P<legs>.+? each way(?:, .+? each way)*)(?P<rest>(?:; .+)?)",
          lambda m, y: _proposal_reason(m, y)),
    _rule(rf"(?P<sign>[+-])(?P<dur>{DUR}) travel, (?P<esign>[+-])€(?P<eur>\d+) against option 1(?P<rest>(?:; .+)?)",
          lambda m, y: _proposal_reason(m, y)),
    _rule(r"(?P<team>\S+ from [^:;]+?(?: and \S+ from [^:;]+?)*): (?P<rest>.+)", lambda m, y: _assignment(m, y)),
]


def _proposal_reason(m: re.Match, year: int) -> Message:
    if "legs" in m.groupdict():
        legs = [[office, _minutes(dur)] for office, dur in re.findall(rf"(.+?) ({DUR}) each way(?:, |$)", m["legs"])]
        first = message("nearest", team=m["w"] == "team", legs=legs)
    else:
        minutes = _minutes(m["dur"]) * (-1 if m["sign"] == "-" else 1)
        first = message("against_best", minutes=minutes, eur=float(m["eur"]) * (-1 if m["esign"] == "-" else 1))
    rest = [fragment(f, year) for f in split_fragments(m["rest"][2:])] if m["rest"] else []
    return reasons([first, *rest])


def _assignment(m: re.Match, year: int) -> Message:
    team = [[s, o] for s, o in re.findall(r"(\S+) from (.+?)(?: and |$)", m["team"])]
    rest = split_fragments(m["rest"])
    parts, i = [], 0
    while i < len(rest):
        first = re.fullmatch(r"nearest qualified free (person|team)", rest[i])
        added = re.fullmatch(rf"(.+) would have added ({DUR})", rest[i + 1]) if first and i + 1 < len(rest) else None
        near = re.fullmatch(r"as near as (\S+) \(([^)]+)\)", rest[i])
        if added:
            parts.append(message("nearest_added", team=first.group(1) == "team", office=added.group(1),
                                 minutes=_minutes(added.group(2))))
            i += 2
        elif near and i + 1 < len(rest) and rest[i + 1] == "chosen for cost and an even spread of travel days":
            parts.append(message("as_near_as", staff=near.group(1), office=near.group(2)))
            i += 2
        else:
            parts.append(fragment(rest[i], year))
            i += 1
    return message("assignment", team=team, parts=parts)


def _first(rules: list[Rule], text: str, year: int) -> Message | None:
    for pattern, build in rules:
        m = pattern.fullmatch(text)
        if m:
            try:
                msg = build(m, year)
            except (ValueError, IndexError, KeyError):
                continue
            if english(msg) == text:  # read back only what words the same again
                return msg
    return None


def fragment(text: str, year: int) -> Message:
    msg = _first(RULES, text, year) or _first(WHOLE, text, year)
    if msg is None:
        raise ValueError(text)
    return msg


def parse(text: str, year: int) -> Message:
    """The message ``text`` (old English) words; a ``text`` message with it when it reads as none."""
    try:
        whole = _first(WHOLE, text, year)
        if whole is not None:
            return whole
        parts = split_fragments(text)
        if len(parts) > 1:
            msg = message("list", items=[fragment(p, year) for p in parts])
        else:
            msg = fragment(text, year)
        return msg if english(msg) == text else legacy(text)
    except ValueError:
        return legacy(text)
