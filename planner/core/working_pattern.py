"""A person's working pattern as people write it: the days they work and their hours.

``{"days": ["mon", "tue", "wed", "thu"], "start": "08:00", "end": "16:15"}`` is a four-day week; a list of such
blocks gives days different hours (``[{"days": ["mon", "tue", "wed", "thu"], ...}, {"days": ["fri"], "start":
"08:00", "end": "12:00"}]``). The planner keeps a pattern as weekday (0 = Monday) → (start, end); a day not in it
is a day off. Used by the import file and the lead's form alike.
"""
from __future__ import annotations

import re
from datetime import time

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
MAX_BLOCKS = 7

Pattern = dict[int, tuple[time, time]]


def parse_pattern(value) -> tuple[Pattern | None, list[tuple[str, str]]]:
    """The pattern ``value`` describes, or None with its problems as (where, what) pairs; ``where`` is a suffix of
    the field's path such as ``[1].days[0]`` or ``.start`` (empty for the value itself)."""
    blocks = value if isinstance(value, list) else [value]
    prefix = (lambda i: f"[{i}]") if isinstance(value, list) else (lambda i: "")
    if not blocks or len(blocks) > MAX_BLOCKS:
        return None, [("", f"must be an object with days, start and end, or a list of 1 to {MAX_BLOCKS} of them")]
    problems: list[tuple[str, str]] = []
    pattern: Pattern = {}
    for i, block in enumerate(blocks):
        where = prefix(i)
        if not isinstance(block, dict):
            problems.append((where, "must be an object with days, start and end"))
            continue
        unknown = sorted(set(block) - {"days", "start", "end"})
        if unknown:
            problems.append((where, f"unknown key {unknown[0][:20]!r} (expected days, start, end)"))
        start, end = (_clock(block.get(key), f"{where}.{key}", problems) for key in ("start", "end"))
        if start and end and end <= start:
            problems.append((f"{where}.end", f"{block['end']} is not after the start {block['start']}"))
        days = block.get("days")
        if not isinstance(days, list) or not days or len(days) > len(WEEKDAYS):
            problems.append((f"{where}.days", f"must list weekdays ({', '.join(WEEKDAYS)})"))
            continue
        for j, day in enumerate(days):
            name = day.strip().lower() if isinstance(day, str) else None
            if name not in WEEKDAYS:
                problems.append((f"{where}.days[{j}]", f"{str(day)[:20]!r} is not a weekday ({', '.join(WEEKDAYS)})"))
            elif WEEKDAYS.index(name) in pattern:
                problems.append((f"{where}.days[{j}]", f"{name} is given twice"))
            elif start and end and end > start:
                pattern[WEEKDAYS.index(name)] = (start, end)
    return (None, problems) if problems else (pattern, [])


def _clock(value, where: str, problems: list) -> time | None:
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if match is None:
        problems.append((where, f"{str(value)[:20]!r} is not a time of day (HH:MM)"))
        return None
    return time(int(match[1]), int(match[2]))



def pattern_blocks(pattern: Pattern) -> list[dict]:
    """``pattern`` written as the blocks ``parse_pattern`` reads: days with the same hours together, Monday first
    (the lead's form audits a change in these words)."""
    blocks: dict[tuple[time, time], list[str]] = {}
    for day in sorted(pattern):
        blocks.setdefault(pattern[day], []).append(WEEKDAYS[day])
    return [{"days": days, "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
            for (start, end), days in blocks.items()]


def day_runs(days) -> list[list[int]]:
    """Weekdays (0 = Monday) as runs of consecutive days: [0, 1, 2, 4] → [[0, 1, 2], [4]]."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


_TYPED_CLOCK = re.compile(r"^\s*(\d{1,2})(?:\s*[.:]\s*(\d{2}))?\s*$")


def typed_clock(text: str | None) -> time | None:
    """A time of day as people type it in a form: '8', '8.00', '8:00', '08:00', '16.15'; None when it is not one."""
    match = _TYPED_CLOCK.match(text or "")
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None
