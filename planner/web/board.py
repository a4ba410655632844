"""The planning board's layout: rows are people grouped by office, columns the days shown (the weekend folded
unless something is planned on it), each trip a block over the days it spans, in a lane of its own when a
person's trips share a day. Free of Flask: the view gives it the week as read, the template draws it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable

from ..core.messages import Message
from ..core.records import Office, StaffMember

WORKING_DAYS = 5  # Monday to Friday are always shown


@dataclass
class Block:
    trip: dict
    column: int  # 1-based among the days shown
    span: int
    lane: int = 1
    conflict: bool = False
    declined: bool = False

    @property
    def places(self) -> list[str]:
        return list(dict.fromkeys(m["place_name"] for m in self.trip["meetings"]))

    @property
    def pinned(self) -> bool:
        return any(m["pinned"] for m in self.trip["meetings"])

    @property
    def draggable_meeting(self) -> int | None:
        """The meeting a drag of the whole block moves: only a trip to one meeting has one."""
        meetings = self.trip["meetings"]
        return meetings[0]["id"] if len(meetings) == 1 else None


@dataclass
class Row:
    person: StaffMember
    blocks: list[Block] = field(default_factory=list)
    off: dict[int, Message] = field(default_factory=dict)  # column -> why the person is not at work that day

    @property
    def lanes(self) -> int:
        return max((b.lane for b in self.blocks), default=1)

    def cells(self, days: int) -> list[list[tuple[int, int, Block | None]]]:
        """Per lane, the table cells across ``days`` columns: (column, span, the block there or None)."""
        out = []
        for lane in range(1, self.lanes + 1):
            starts = {b.column: b for b in self.blocks if b.lane == lane}
            cells, column = [], 1
            while column <= days:
                block = starts.get(column)
                span = block.span if block else 1
                cells.append((column, span, block))
                column += span
            out.append(cells)
        return out


@dataclass
class Board:
    days: list[date]
    folded: list[date]  # weekend days not shown: nothing is planned on them
    offices: list[tuple[Office, list[Row]]]

    @property
    def blocks(self) -> int:
        return sum(len(r.blocks) for _, rows in self.offices for r in rows)


def shown_days(monday: date, trips: list[dict]) -> tuple[list[date], list[date]]:
    """Monday to Friday, and the weekend too when a trip touches it; the folded days."""
    week = [monday + timedelta(i) for i in range(7)]
    touched = set()
    for t in trips:
        first, last = _day(t["depart"]), _day(t["return"])
        touched.update(d for d in week[WORKING_DAYS:] if first <= d <= last)
    if touched:
        return week, []
    return week[:WORKING_DAYS], week[WORKING_DAYS:]


def build_board(monday: date, grouped: dict[Office, list[StaffMember]], trips: list[dict],
                conflict_kinds: dict[str, set[str]], off_reason: Callable[[str, date], Message | None]) -> Board:
    """``conflict_kinds``: trip id -> the kinds of its conflicts ('absent', 'declined', 'window');
    ``off_reason(person, day)``: why the person does not work that day (absence, day off, not employed, holiday)."""
    days, folded = shown_days(monday, trips)
    index = {d: i + 1 for i, d in enumerate(days)}
    by_person: dict[str, list[dict]] = {}
    for t in trips:
        for s in t["staff"]:
            by_person.setdefault(s, []).append(t)
    offices = []
    for office, members in grouped.items():
        rows = []
        for person in members:
            row = Row(person, off={index[d]: why for d in days if (why := off_reason(person.id, d)) is not None})
            for t in sorted(by_person.get(person.id, []), key=lambda t: (t["depart"], t["id"])):
                first = max(_day(t["depart"]), days[0])
                last = min(_day(t["return"]), days[-1])
                if first > last:
                    continue
                kinds = conflict_kinds.get(t["id"], set())
                row.blocks.append(Block(t, index[first], index[last] - index[first] + 1,
                                        conflict=bool(kinds - {"declined"}), declined="declined" in kinds))
            _assign_lanes(row.blocks)
            rows.append(row)
        offices.append((office, rows))
    return Board(days, folded, offices)


def _assign_lanes(blocks: list[Block]) -> None:
    """The first lane whose last block ends before this one starts (blocks come in departure order)."""
    lane_ends: list[int] = []
    for b in blocks:
        for i, end in enumerate(lane_ends):
            if end < b.column:
                lane_ends[i] = b.column + b.span - 1
                b.lane = i + 1
                break
        else:
            lane_ends.append(b.column + b.span - 1)
            b.lane = len(lane_ends)


def _day(moment: str) -> date:
    return datetime.fromisoformat(moment).date()
