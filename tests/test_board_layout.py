"""The board's layout and its moves, without a browser: which days are shown, where a trip's block goes and which
lane it takes, what a person's grey days say; and, on the demo week planned by the product, the eligible moves and
the reasons a drop is refused (the same answer the panel, drag and drop and the keyboard move read)."""
from __future__ import annotations

from datetime import timedelta

from planner.core.messages import english, message
from planner.core.records import Office, StaffMember
from planner.core.settings import DEFAULT_SETTINGS
from planner.planning.moves import move_options
from planner.planning.week_run import plan_and_store
from planner.store import plan_queries
from planner.web.board import build_board, shown_days
from web_support import MONDAY, WEEK

OFFICE = Office("oulu", "Oulu", 65.0, 25.5)
AILA = StaffMember("a", "Aila", "counsellor", "oulu")
PEKKA = StaffMember("p", "Pekka", "counsellor", "oulu")


def trip(trip_id: str, staff: list[str], depart: str, back: str, places=("Kemi",)) -> dict:
    return {"id": trip_id, "staff": staff, "depart": depart, "return": back, "state": "draft",
            "meetings": [{"id": i, "place_name": p, "pinned": 0} for i, p in enumerate(places)]}


def at(day: int, clock: str) -> str:
    return f"{(MONDAY + timedelta(day)).isoformat()}T{clock}"


def test_the_weekend_is_folded_unless_a_trip_touches_it():
    shown, folded = shown_days(MONDAY, [trip("t1", ["a"], at(0, "08:00"), at(0, "16:00"))])
    assert shown == [MONDAY + timedelta(i) for i in range(5)] and len(folded) == 2
    shown, folded = shown_days(MONDAY, [trip("t1", ["a"], at(4, "08:00"), at(5, "12:00"))])
    assert len(shown) == 7 and folded == []


def test_blocks_span_their_days_and_share_a_day_in_lanes_of_their_own():
    trips = [trip("t1", ["a"], at(0, "08:00"), at(1, "12:00"), ("Kemi", "Tornio")),   # Monday to Tuesday
             trip("t2", ["a"], at(1, "13:00"), at(1, "17:00")),                      # Tuesday afternoon
             trip("t3", ["a", "p"], at(3, "08:00"), at(3, "15:00"))]                 # Thursday, two people
    board = build_board(MONDAY, {OFFICE: [AILA, PEKKA]}, trips, {"t3": {"declined"}},
                        lambda person, day: None)
    aila, pekka = board.offices[0][1]
    placed = {(b.trip["id"], b.column, b.span, b.lane) for b in aila.blocks}
    assert placed == {("t1", 1, 2, 1), ("t2", 2, 1, 2), ("t3", 4, 1, 1)}
    assert aila.lanes == 2
    assert [(c, s, b.trip["id"] if b else None) for c, s, b in aila.cells(5)[0]] == \
        [(1, 2, "t1"), (3, 1, None), (4, 1, "t3"), (5, 1, None)]
    assert [(b.trip["id"], b.declined, b.conflict) for b in pekka.blocks] == [("t3", True, False)]
    first = next(b for b in aila.blocks if b.trip["id"] == "t1")
    assert first.places == ["Kemi", "Tornio"] and first.draggable_meeting is None   # a chain moves meeting by meeting


def test_a_persons_grey_days_say_why():
    def off(person, day):
        return message("day_off", weekday=4) if day.weekday() == 4 and person == "a" else None
    board = build_board(MONDAY, {OFFICE: [AILA, PEKKA]}, [], {}, off)
    aila, pekka = board.offices[0][1]
    assert list(aila.off) == [5] and aila.off[5].code == "day_off" and pekka.off == {}


def test_moves_on_the_demo_week_are_eligible_pairs_best_first_and_every_other_cell_says_why(web_db):
    plan_and_store(web_db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="test")
    days = [MONDAY + timedelta(i) for i in range(5)]
    meetings = plan_queries.meetings_of_week(web_db, WEEK)
    checked = 0
    for m in meetings:
        found = move_options(web_db, DEFAULT_SETTINGS, m["id"], days)
        options = found["options"]
        if not options:
            continue
        checked += 1
        # best first: the proposer's order; the pair it has now is marked, and its change is nothing
        now = [o for o in options if o["current"]]
        for o in now:
            assert sorted(o["staff"]) == sorted(m["staff"])
            assert o["delta_minutes"] == 0 and o["delta_eur"] == 0
        visit = found["visit"]
        for o in options:
            assert visit.earliest <= o["day"] <= visit.latest and len(o["staff"]) == visit.staff_needed
            if now:
                assert o["delta_minutes"] == o["travel_minutes"] - now[0]["travel_minutes"]
        # every person and day of the board is either eligible or refused with a reason, never both
        eligible = {(s, o["day"]) for o in options for s in o["staff"]}
        team = {r["id"] for r in web_db.query("select id from staff")}
        for person in team:
            for day in days:
                assert ((person, day) in eligible) != ((person, day) in found["refusals"]), (person, day)
        for (person, day), why in found["refusals"].items():
            text = english(why)
            assert text, (person, day)
            if not visit.earliest <= day <= visit.latest:
                assert text.startswith("the visit's window is"), text
    assert checked >= 5


def test_a_move_to_a_refused_cell_is_refused_by_the_server_too(web_db):
    """What the board refuses before posting, the server refuses when posted anyway (nothing saved)."""
    from planner.planning import actions
    plan_and_store(web_db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="test")
    days = [MONDAY + timedelta(i) for i in range(5)]
    m = next(m for m in plan_queries.meetings_of_week(web_db, WEEK) if m["staff_needed"] == 1)
    found = move_options(web_db, DEFAULT_SETTINGS, m["id"], days)
    person, day = next((p, d) for (p, d), why in found["refusals"].items()
                       if found["visit"].earliest <= d <= found["visit"].latest and why.code != "meeting_is_here")
    new_id, why = actions.move_meeting(web_db, m["id"], day, [person], DEFAULT_SETTINGS, "test")
    assert new_id is None and why is not None
    assert web_db["meetings"].get(m["id"])["state"] == "active"


def test_a_meeting_moved_off_a_chained_trip_never_double_books_and_its_trip_asks_to_be_planned_again(web_db):
    """A trip goes on from the meeting to others: moving the meeting keeps that trip, so its person is not offered
    for the days it holds them (before, the trip was freed whole and the move booked them twice, with no conflict
    shown); the trip left behind still has the route through the moved meeting, which shows as a conflict that
    "plan again" routes anew."""
    from planner.planning import actions
    from planner.planning.conflicts import conflicts
    plan_and_store(web_db, WEEK, DEFAULT_SETTINGS, solver="cp-sat", time_limit=10, actor="test")
    chained = [t for t in plan_queries.trips_of_week(web_db, WEEK) if len(t["meetings"]) >= 2 and len(t["staff"]) == 1]
    assert chained, "the demo plan chains visits into trips"
    days = [MONDAY + timedelta(i) for i in range(5)]
    for t in chained:
        first, last = t["depart"][:10], t["return"][:10]
        for m in t["meetings"]:
            for o in move_options(web_db, DEFAULT_SETTINGS, m["id"], days)["options"]:
                assert not (t["staff"][0] in o["staff"] and first <= o["day"].isoformat() <= last), (t["id"], o)
    t = chained[0]
    moved = next((m, o) for m in t["meetings"] for o in move_options(web_db, DEFAULT_SETTINGS, m["id"], days)["options"]
                 if not o["current"])
    meeting, option = moved
    new_id, why = actions.move_meeting(web_db, meeting["id"], option["day"], option["staff"], DEFAULT_SETTINGS, "lead")
    assert new_id is not None, why
    found = conflicts(web_db, MONDAY, MONDAY + timedelta(6))
    assert not [c for c in found if c["kind"] == "overlap"]
    route = [c for c in found if c["kind"] == "route"]
    assert [c["trip"] for c in route] == [t["id"]] and english(route[0]["detail"]) == meeting["place_name"]
    plan_and_store(web_db, WEEK, DEFAULT_SETTINGS, solver="cp-sat", time_limit=10, actor="lead", replan_conflicts=True)
    assert conflicts(web_db, MONDAY, MONDAY + timedelta(6)) == []
    assert t["id"] not in {trip["id"] for trip in plan_queries.trips_of_week(web_db, WEEK)}


def test_a_person_on_two_trips_at_once_is_a_conflict_on_both(web_db):
    from planner.planning.conflicts import conflicts
    from planner.store import plan_edits
    plan_and_store(web_db, WEEK, DEFAULT_SETTINGS, solver="greedy", time_limit=10, actor="test")
    t = plan_queries.trips_of_week(web_db, WEEK)[0]
    row = dict(web_db["trips"].get(t["id"]), id="copy-of-" + t["id"])
    row.pop("week", None)
    with web_db.conn:
        plan_edits.add_trip(web_db, row, t["staff"], t["meetings"][0]["id"])
    found = [c for c in conflicts(web_db, MONDAY, MONDAY + timedelta(6)) if c["kind"] == "overlap"]
    assert {c["trip"] for c in found} == {t["id"], row["id"]}
    assert english(found[0]["detail"]).startswith("another trip " + t["depart"][:10])
