"""Messages as data: a reason, an explanation or a progress line is a code plus parameters, worded by a renderer.

Flask-free. The domain builds ``Message`` values (planner/core/reasons.py); they are stored as JSON
(``{"code": ..., **params}``) and worded at the edge: ``english`` here for the CLI and the JSON contracts (the
text they printed before messages existed, word for word), planner/web/messages.py for the pages in Finnish,
Swedish and English. Parameters are ids, ISO dates and times, numbers, skill and language codes, place and office
names as stored, and nested messages; never sentences. ``ENGLISH`` is the code catalog: a code without an entry
there is not a message.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from .network_data import calendar_text
from .public_holidays import holiday_name
from .import_problems import IMPORT_ENGLISH

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LEGACY = "text"  # stored English text no parser understood: shown as it is


@dataclass(frozen=True)
class Message:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if self.code not in WORDING:
            raise ValueError(f"unknown message code {self.code!r}")

    def __hash__(self) -> int:  # reasons are deduplicated with dict.fromkeys
        return hash(json.dumps(self.to_json(), sort_keys=True))

    def __getitem__(self, name: str):
        return self.params[name]

    def to_json(self) -> dict:
        return {"code": self.code, **{k: _to_json(v) for k, v in self.params.items()}}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False)

    @classmethod
    def from_json(cls, data) -> "Message":
        """From ``to_json``'s dict, its JSON text, or (a database written before messages) plain text."""
        if isinstance(data, Message):
            return data
        if isinstance(data, str):
            text = data
            try:
                data = json.loads(text) if text.startswith("{") else None
            except ValueError:
                data = None
            if not isinstance(data, dict):
                return legacy(text)
        params = {k: _from_json(v) for k, v in data.items() if k != "code"}
        return cls(data["code"], params) if data.get("code") in WORDING else legacy(json.dumps(data))


def message(code: str, **params) -> Message:
    return Message(code, params)


def legacy(text: str) -> Message:
    return Message(LEGACY, {"text": text})


def as_message(value) -> Message | None:
    """A Message from a Message, its JSON (dict or text) or legacy text; None for nothing."""
    if value is None or value == "" or value == {}:
        return None
    return Message.from_json(value)


def keep(msg: Message | None) -> Message | None:
    """The message itself (``Proposal.to_dict(word=keep)``: for a page that words it in its own language)."""
    return msg


def stored(msg: Message | None) -> str:
    """The text a database column holds: the message's JSON, or '' for none."""
    return msg.dumps() if msg is not None else ""


def _to_json(value):
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    return value


def _from_json(value):
    if isinstance(value, dict) and "code" in value:
        return Message.from_json(value)
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    return value


def english_tree(value):
    """``value`` (a plan or proposal JSON) with every Message worded in English: the JSON contract."""
    if isinstance(value, Message) or isinstance(value, dict) and value.get("code") in WORDING:
        return english(value)
    if isinstance(value, dict):
        return {k: english_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [english_tree(v) for v in value]
    return value


def json_tree(value):
    """``value`` with every Message as its JSON object: for storing."""
    if isinstance(value, Message):
        return value.to_json()
    if isinstance(value, dict):
        return {k: json_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_tree(v) for v in value]
    return value


# The English wording: exactly the text the domain code wrote before messages ---------------------------------

def english(msg: Message | dict | str | None) -> str:
    msg = as_message(msg)
    return "" if msg is None else WORDING[msg.code](msg.params)


def fmt_day(day: date) -> str:
    return f"{day.day} {day.strftime('%b')} {day.year}"


def fmt_range(start: date, end: date) -> str:
    """'7-8 Dec', '30 Nov-2 Dec', '7 Dec'."""
    if start == end:
        return f"{start.day} {start.strftime('%b')}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{end.day} {end.strftime('%b')}"
    return f"{start.day} {start.strftime('%b')}-{end.day} {end.strftime('%b')}"


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def span(start: str, end: str) -> str:
    return fmt_range(_day(start), _day(end))


def when(pairs) -> str:
    """'7-8 Dec' or '7 Dec, 9 Dec' from [[start, end], ...] ISO dates."""
    return ", ".join(span(a, b) for a, b in pairs)


def fmt_minutes(minutes: int) -> str:
    """'2 h 10 min', '45 min'."""
    h, m = divmod(int(minutes), 60)
    return f"{h} h {m} min" if h and m else f"{h} h" if h else f"{m} min"


def missing_text(p) -> str:
    """'skill health, language ru' from a message's ``skills`` and ``languages``."""
    return ", ".join([f"skill {s}" for s in p["skills"]] + [f"language {l}" for l in p["languages"]])


def _word(p) -> str:
    return "team" if p["team"] else "person"


def _nights(p) -> str:
    return f"{p['n']} hotel night{'s' if p['n'] > 1 else ''}"


def _period(p) -> str:
    return " ".join(part for part in (f"from {fmt_day(_day(p['start']))}" if p.get("start") else "",
                                      f"until {fmt_day(_day(p['end']))}" if p.get("end") else "") if part)


def _busy(p) -> str:
    start, end = datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"])
    label = f"trip {p['trip']}" if p.get("trip") else "trip"
    until = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %d %b %H:%M}"
    return f"busy ({label}) {start:%a %d %b %H:%M}-{until}"


def _against(p) -> str:
    minutes, eur = p["minutes"], p["eur"]
    return (f"{'+' if minutes >= 0 else '-'}{fmt_minutes(abs(minutes))} travel, "
            f"{'+' if eur >= 0 else '-'}€{abs(eur):.0f} against option 1")


def _all_busy(p) -> str:
    shown = "; ".join(f"{s} on {', '.join(visits)}" for s, visits in p["busy"]) + ("; …" if p["more"] else "")
    return f"everyone who could go on {when(p['when'])} is needed for other visits ({shown})"


def _hhmm(text: str) -> str:
    return text.replace(":", ".")


def _items(items) -> str:
    return "; ".join(english(m) for m in items)


ENGLISH: dict[str, Callable[[dict], str]] = {
    LEGACY: lambda p: p["text"],
    "list": lambda p: _items(p["items"]),
    # who is free when (planner/core/availability.py)
    "holiday": lambda p: f"{fmt_day(_day(p['day']))} is {holiday_name(_day(p['day']), p.get('aland', False))}",
    "weekend": lambda p: f"{fmt_day(_day(p['day']))} is a {WEEKDAYS[_day(p['day']).weekday()]}",
    "not_employed_on": lambda p: f"not employed on {fmt_day(_day(p['day']))}",
    "absent": lambda p: f"absent ({p['kind'].replace('_', ' ')}) {span(p['start'], p['end'])}",
    "day_off": lambda p: f"does not work on {WEEKDAYS[p['weekday']]}s",
    "busy": _busy,
    # one person, one option (planner/core/propose.py)
    "cannot_reach": lambda p: (f"cannot reach {p['place']} for the meeting on {fmt_day(_day(p['day']))} "
                               f"({fmt_minutes(p['minutes'])} away)"),
    "trip_blocked": lambda p: f"a trip {span(p['start'], p['end'])}: {english(p['reason'])}",
    "no_way_then": lambda p: (f"no way to reach {p['place']} on {fmt_day(_day(p['day']))}"
                              + "".join(f"; the {link['kind']} {link['from']}–{link['to']} {calendar_text(link)}"
                                        for link in p["links"])),
    "no_working_day": lambda p: (f"no working day in the window{' this week' if p.get('this_week') else ''}: "
                                 + _items(p["days"])),
    "window_not_this_week": lambda p: "the window does not meet this week",
    "lacks": lambda p: f"lacks {missing_text(p)}",
    "free_not_chosen": lambda p: "free, but others are nearer or cheaper",
    "meeting_is_here": lambda p: "the meeting is already there",
    "no_team_on_day": lambda p: f"free on {fmt_day(_day(p['day']))}, but no team with them covers the visit then",
    "declined": lambda p: f"said they can't make this visit on {fmt_day(_day(p['day']))}",
    "not_employed_window": lambda p: f"not employed in the window (employed {_period(p)})",
    "nearest": lambda p: (f"nearest qualified free {_word(p)}: "
                          + ", ".join(f"{office} {fmt_minutes(m)} each way" for office, m in p["legs"])),
    "against_best": _against,
    "on_day": lambda p: f"on {fmt_day(_day(p['day']))}",
    "preferred": lambda p: "the preferred person",
    "hotel_nights": _nights,
    "by_modes": lambda p: "by " + " and ".join(p["modes"]),
    "train_not_flight": lambda p: (f"by train rather than by plane for lower emissions: {fmt_minutes(p['minutes'])} "
                                   f"longer, {p['kg']} kg CO2e less"),
    # why nobody can go (planner/core/reasons.py: both the proposer and the weekly planner)
    "nobody_free": lambda p: f"nobody is free on {when(p['when'])}",
    "nobody_with": lambda p: f"nobody with {missing_text(p)} is free on {when(p['when'])}",
    "too_few_free": lambda p: f"only {p['free']} of the {p['needed']} people needed are free on {when(p['when'])}",
    "nobody_with_all": lambda p: (f"nobody free on {when(p['when'])} has all of {missing_text(p)}" if p["needed"] == 1
                                  else f"no {p['needed']} people free on {when(p['when'])} have all of "
                                       f"{missing_text(p)} between them"),
    "no_common_start": lambda p: (f"no team of {p['needed']} covering the visit is free at one start on "
                                  f"{when(p['when'])}"),
    # the weekly plan (planner/optimize/explain.py, model.py, candidates.py, persist.py)
    "assignment": lambda p: (" and ".join(f"{s} from {office}" for s, office in p["team"]) + ": "
                             + _items(p["parts"])),
    "only_qualified": lambda p: f"the only qualified {_word(p)} free",
    "nearest_added": lambda p: (f"nearest qualified free {_word(p)}; {p['office']} would have added "
                                f"{fmt_minutes(p['minutes'])}"),
    "as_near_as": lambda p: (f"as near as {p['staff']} ({p['office']}); chosen for cost and an even spread of "
                             "travel days"),
    "nearer_but_busy": lambda p: (f"{p['staff']} ({p['office']}) is {fmt_minutes(p['minutes'])} nearer but is on "
                                  + ", ".join(p["visits"])),
    "nearer_but_costly": lambda p: (f"{p['staff']} ({p['office']}) is {fmt_minutes(p['minutes'])} nearer but would "
                                    "cost more in the plan as a whole"),
    "chains": lambda p: (f"{p['staff']} chains it with "
                         + ", ".join(f"{place} ({vid})" for place, vid in p["visits"]) + " on one trip"),
    "preferred_cannot": lambda p: f"the preferred person {p['staff']} cannot go",
    "team_offices": lambda p: "the team meets at one start from different offices",
    "pin_nobody": lambda p: "pinned, but nobody can make it any more",
    "pin_person": lambda p: "pinned, but a pinned person can no longer make it that day",
    "cannot_reach_any": lambda p: (f"nobody free can reach {p['place']} for a {fmt_minutes(p['minutes'])} meeting "
                                   f"between {_hhmm(p['from'])} and {_hhmm(p['until'])} on {when(p['when'])}"),
    "too_few_reach": lambda p: (f"only {p['able']} of the {p['needed']} people needed can reach {p['place']} on "
                                f"{when(p['when'])}"),
    "all_busy": _all_busy,
    "left_out": lambda p: f"left out although {p['free']} qualified people were free on {when(p['when'])}",
    "time_ran_out": lambda p: "the time limit ran out before this visit's trips were worked out",
    "shared_with_edit": lambda p: ("not planned in this run: it shared a trip or a person's time with a change made "
                                   "while the run was planning; plan again to place it"),
    # a lead's edits and the plan's conflicts (planner/planning/services.py)
    "moved_by_lead": lambda p: "moved by a lead: " + english(p["reason"]),
    "person_reason": lambda p: f"{p['staff']}: {english(p['reason'])}",
    "absence": lambda p: f"{p['kind'].replace('_', ' ')} {span(p['start'], p['end'])}",
    "outside_window": lambda p: f"{p['day']} is outside {p['earliest']}–{p['latest']}",
    "email_invalid": lambda p: f"{p['email']!r} is not an email address",
    "email_taken": lambda p: f"a user {p['email']} already exists",
    "role_unknown": lambda p: f"role must be one of {', '.join(p['roles'])}",
    "staff_unknown": lambda p: f"no staff member {p['staff']!r}",
    "staff_user_needs_person": lambda p: "a staff user needs --staff ID (their own schedule)",
    "other_trip": lambda p: f"another trip {p['start'][:16].replace('T', ' ')}–{p['end'][:16].replace('T', ' ')}",
    "lost_meeting": lambda p: ", ".join(p["places"]),
    "no_meeting": lambda p: "no such meeting",
    "choose_people": lambda p: f"choose {p['n']} person(s)",
    "window_is": lambda p: f"the visit's window is {span(p['start'], p['end'])}",
}

# What raised a big week's bound above its LP (``big_week.solve_big``).
BOUND_CUTS = {"scip": " with SCIP’s cuts", "cores": " with the coverage cores’ cuts",
              "inserted": " with the trips the insertion made",
              "cores and inserted": " with the coverage cores’ cuts and the trips the insertion made"}

# A plan run's progress (planner/optimize/, planner/planning/week_run.py): English only, for the CLI's status line,
# the log and the job JSON's ``progress``; the pages say which phase a run is in instead.
PROGRESS: dict[str, Callable[[dict], str]] = {
    "loading_week": lambda p: f"loading week {p['week']}",
    "loaded": lambda p: (f"{p['visits']} open visits, {p['staff']} staff, {p['pinned']} pinned meetings"
                         + (f", {p['replanned']} with conflicts planned again" if p.get("replanned") else "")),
    "writing_run": lambda p: "writing the plan run",
    "matrix_size": lambda p: f"travel matrix: {p['visits']} visits, {p['offices']} offices",
    "matrix_part": lambda p: f"travel matrix: {p['done']}/{p['total']} journeys",
    "matrix_done": lambda p: f"travel matrix: {p['journeys']} journeys",
    "matrix_unroutable": lambda p: f"travel matrix: no route for {p['pairs']} pairs, e.g. {p['example']}",
    "matrix_cut": lambda p: (f"travel matrix: time is short: {p['left_out']} journeys left out (farther offices and "
                             "visit pairs: those trips are not made)"),
    "single_trips": lambda p: f"candidates: {p['n']} single-visit trips",
    "chained_trips": lambda p: f"candidates: {p['n']} chained trips",
    "no_search_time": lambda p: "solving: no time left for the search within the time limit: keeping the greedy plan",
    "cp_sat": lambda p: f"solving: CP-SAT over {p['trips']} trips, limit {p['limit']:g} s",
    "greedy_kept": lambda p: "solving: keeping the greedy start, the search did not improve on it in time",
    "solution": lambda p: (f"solving: plan with objective {p['objective']:,.0f} min, bound {p['bound']:,.0f} after "
                           f"{p['seconds']:.1f} s"),
    "lp_bound": lambda p: f"solving: LP relaxation bound {p['bound']:,.0f} min",
    "scip": lambda p: f"solving: SCIP over the {p['members']:,} most promising of {p['trips']:,} trips",
    "repairing": lambda p: (f"solving: {p['visits']} visits covered, objective {p['objective']:,.0f} min; repairing "
                            "the visits left out"),
    "big_week_plan": lambda p: (f"solving: plan with objective {p['objective']:,.0f} min, bound {p['bound']:,.0f} "
                                + ("(the Lagrangian bound: the LP did not finish)" if p["cuts"] == "lagrangian"
                                   else f"(the whole week's LP{BOUND_CUTS.get(p['cuts'], '')})")),
    "repair": lambda p: f"solving: repair around visit {p['visit']}: objective {p['objective']:,.0f} min",
    "inserted": lambda p: (f"solving: {p['visits']} visits left out added to trips of the plan: objective "
                           f"{p['objective']:,.0f} min"),
    "free_people_trips": lambda p: (f"solving: {p['visits']} visits left out given trips of people free that day: "
                                    f"objective {p['objective']:,.0f} min"),
    "relieved": lambda p: (f"solving: {p['visits']} visits left out taken by people relieved of a trip, its visits "
                           f"given to people free that day: objective {p['objective']:,.0f} min"),
    "outside_trips": lambda p: f"candidates: {p['n']:,} more chains the rules allow, priced against the week's LP",
    "outside_search": lambda p: ("candidates: too many chains the rules allow to make them all; they are searched "
                                 "under each LP, each grown only while it could still improve the plan"),
    "outside_given_up": lambda p: ("candidates: too many chains the rules allow to price them all in the time; "
                                   "a plan proven optimal is so over the candidates only"),
    "priced": lambda p: (f"solving: {p['trips']:,} trips outside the candidates priced: "
                         + (f"{p['better']} could improve the plan" if p["better"] else "none could improve the plan")),
    "done": lambda p: "done",
}
ENGLISH.update(IMPORT_ENGLISH)
WORDING = {**ENGLISH, **PROGRESS}
