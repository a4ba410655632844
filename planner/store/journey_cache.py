"""Journeys kept between plan runs (table ``journey_cache``, migration 0013), so the travel matrix of a week whose
places were seen before is read rather than computed (``optimize.instance.TravelMatrix``).

Rows are keyed by the travel model's fingerprint (its network data, rules and travel settings): saving under a new
fingerprint deletes the rows of every other one, so a changed setting or network file never serves an old journey.
The ends are coordinates, not names: a leg's first and last names are the asking points', put back when read.
It is a cache: when the database is busy, a save is skipped and the next run computes the journeys again.
"""
from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from ..core.journeys import Journey, Leg
from .concurrency import write_transaction

CHUNK = 500     # origins per query (well under SQLite's limit on parameters)
SAVE_WAIT_MS = 1000     # how long a save waits for another writer before it gives up


def _texts(keys) -> dict[tuple, tuple[str, str]]:
    """Each pair key's two ends as the table writes them (``lat,lon``), each point formatted once."""
    text: dict[tuple[float, float], str] = {}
    for ka, kb in keys:
        for k in (ka, kb):
            if k not in text:
                text[k] = f"{k[0]:.5f},{k[1]:.5f}"
    return {(ka, kb): (text[ka], text[kb]) for ka, kb in keys}


def _one_car_leg(journey: Journey) -> bool:
    """Whether the journey is the single car leg its own figures describe (stored without its legs)."""
    if len(journey.legs) != 1:
        return False
    leg = journey.legs[0]
    return (leg.mode == journey.mode == "car" and (leg.minutes, leg.km, leg.cost_eur)
            == (journey.minutes, journey.distance_km, journey.cost_eur))


def _legs_json(journey: Journey) -> str | None:
    if _one_car_leg(journey):
        return None
    rows = [[leg.mode, leg.from_name, leg.to_name, leg.minutes, leg.km, leg.cost_eur] for leg in journey.legs]
    if rows:        # the ends are named by whoever asks
        rows[0][1], rows[-1][2] = "", ""
    return json.dumps(rows, ensure_ascii=False)


class JourneyCache:
    """``optimize.instance.JourneyStore`` over the database ``db``."""

    def __init__(self, db: Database):
        self.db = db

    def load(self, fingerprint: str, wanted: dict) -> dict:
        """The journeys of the ``wanted`` pairs (key → (a, b)) that are stored under ``fingerprint``."""
        by_text = {texts: key for key, texts in _texts(wanted).items()}
        origins = sorted({o for o, _d in by_text})
        found: dict = {}
        for i in range(0, len(origins), CHUNK):
            chunk = origins[i:i + CHUNK]
            rows = self.db.execute(
                "select origin, destination, minutes, km, cost_eur, mode, legs from journey_cache "
                f"where fingerprint = ? and origin in ({', '.join('?' * len(chunk))})", [fingerprint, *chunk])
            for origin, destination, minutes, km, cost, mode, legs in rows:
                key = by_text.get((origin, destination))
                if key is None:
                    continue
                a, b = wanted[key]
                if legs is None:
                    found[key] = Journey((Leg("car", a.name, b.name, minutes, km, cost),), minutes, km, cost, "car")
                    continue
                parts = [list(leg) for leg in json.loads(legs)]
                if parts:
                    parts[0][1], parts[-1][2] = a.name, b.name
                found[key] = Journey(tuple(Leg(*leg) for leg in parts), minutes, km, cost, mode)
        return found

    def save(self, fingerprint: str, journeys: dict) -> bool:
        """Store ``journeys`` (key → Journey) under ``fingerprint``, dropping every other fingerprint's rows;
        False when the database stayed locked (nothing is stored)."""
        texts = _texts(journeys)
        rows = [(fingerprint, *texts[key], j.minutes, j.distance_km, j.cost_eur, j.mode, _legs_json(j))
                for key, j in journeys.items()]
        patience = self.db.execute("PRAGMA busy_timeout").fetchone()[0]
        self.db.execute(f"PRAGMA busy_timeout = {SAVE_WAIT_MS}")     # a plan run does not wait long for a cache
        try:
            with write_transaction(self.db):
                self.db.execute("delete from journey_cache where fingerprint != ?", [fingerprint])
                self.db.conn.executemany("insert or replace into journey_cache values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            return False
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(patience)}")
        return True

    def count(self, fingerprint: str | None = None) -> int:
        """Rows stored (under ``fingerprint``, or all)."""
        if fingerprint is None:
            return self.db.execute("select count(*) from journey_cache").fetchone()[0]
        return self.db.execute("select count(*) from journey_cache where fingerprint = ?", [fingerprint]).fetchone()[0]
