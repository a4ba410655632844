"""Journeys asked one by one on two cores: a forked child process takes every other pair.

The travel model answers a pair in pure Python (0.1-0.2 ms for a long one with its trains, flights and ferries), and a
1,000-visit week asks about 37,000 pairs so: half the matrix's time, while the second core waits for the search. The
child is forked when the asking starts, so it has the model and its searches as they stand; it sends its journeys
back pickled and ends. It touches nothing but the model (no database, no log), so a thread of the parent holding a
lock at the fork does not matter. Where a process cannot fork, or the pairs are few, the caller asks them itself.
"""
from __future__ import annotations

import os
import pickle
import time as clock
import warnings
from typing import Callable

from ..core.journeys import Journey, Leg

# From this many pairs a child is worth its fork and the pickling (about 10 ms, and 10 µs a journey)
FORK_FROM = 2000
TICK = 2000     # pairs between two progress lines

Asked = dict  # key → journey, or the reason as a string when the model has no route (its ValueError)


def ask_each(ask: Callable, items: list, until: float | None, tick: Callable[[int], None] | None = None,
             must: int = 0) -> Asked:
    """``ask(a, b)`` for each ``(key, (a, b))`` of ``items`` in order, until ``until`` (``time.perf_counter()``
    time) but the first ``must`` whatever the time; ``tick(n)`` is told each ``TICK``-th pair done."""
    done: Asked = {}
    for n, (key, (a, b)) in enumerate(items, 1):
        if until is not None and n > must and clock.perf_counter() >= until:
            break
        try:
            done[key] = ask(a, b)
        except ValueError as exc:
            done[key] = str(exc)
        if tick is not None and n % TICK == 0:
            tick(n)
    return done


def _rows(done: Asked) -> dict:
    """``done`` as plain tuples, which pickle ten times faster than the dataclasses."""
    return {key: found if isinstance(found, str) else (
        tuple((leg.mode, leg.from_name, leg.to_name, leg.minutes, leg.km, leg.cost_eur) for leg in found.legs),
        found.minutes, found.distance_km, found.cost_eur, found.mode) for key, found in done.items()}


def _journeys(rows: dict) -> Asked:
    return {key: row if isinstance(row, str) else Journey(tuple(Leg(*leg) for leg in row[0]), *row[1:])
            for key, row in rows.items()}


def can_fork(n: int) -> bool:
    return n >= FORK_FROM and hasattr(os, "fork") and (os.cpu_count() or 1) >= 2


def ask_in_two(ask: Callable, items: list, until: float | None,
               tick: Callable[[int], None] | None = None, must: int = 0) -> Asked:
    """``ask_each`` over ``items``, the even ones here and the odd ones in a forked child (so a cut at ``until``
    leaves out the last of both halves, in ``items``' order). The child's half is asked here when it fails."""
    read, write = os.pipe()
    with warnings.catch_warnings():     # Python 3.12+ warns of a fork beside threads: the child needs none of them
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:    # the child: its half, sent back, and out without the parent's exit handlers
        status = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:
                pickle.dump(_rows(ask_each(ask, items[1::2], until, must=must // 2)), out,
                            protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    mine = ask_each(ask, items[0::2], until, tick and (lambda n: tick(2 * n)), (must + 1) // 2)
    try:
        with os.fdopen(read, "rb") as inp:     # read before waiting: the child blocks on a full pipe
            theirs = _journeys(pickle.load(inp))
    except (EOFError, pickle.UnpicklingError):
        theirs = ask_each(ask, items[1::2], until, must=must // 2)
    finally:
        os.waitpid(pid, 0)
    return {key: (mine[key] if key in mine else theirs[key]) for key, _pair in items if key in mine or key in theirs}
