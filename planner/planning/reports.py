"""The figures of a period for the annual report (issue 17; definitions in docs/reports.md): visits asked for,
done and left out; travel per office and per person; costs; emissions. Everything comes from the published trips
(their legs, people and meetings) and the visits, so the figures add up to what is stored.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from .. import store
from ..core.costs import daily_allowance
from ..core.emissions import EmissionFactors
from ..core.settings import Settings
from ..core.weeks import week_of, weeks_between
from ..store import plan_queries, report_queries

PUBLIC_MODES = ("train", "flight", "ferry", "taxi")


def _day(text: str) -> date:
    return datetime.fromisoformat(text).date()


def published_trips(db: Database, start: date, end: date) -> list[dict]:
    """The published trips that leave in [start, end]."""
    return [t for t in plan_queries.trips_between(db, start, end, published_only=True)
            if start <= _day(t["depart"]) <= end]


def report(db: Database, settings: Settings, factors: EmissionFactors, start: date, end: date) -> dict:
    """The period's figures as plain data (the CLI's JSON; the CSV flattens it)."""
    trips = published_trips(db, start, end)
    staff_offices = {s.id: s.office for s in store.load_staff(db).values()}
    return {"from": start.isoformat(), "to": end.isoformat(), "visits": _visits(db, trips, start, end),
            **travel_figures(trips, staff_offices, settings, factors), "plans": _plans(db, start, end),
            "emission_factors": factors.factors, "emission_source": factors.source}


def _plans(db: Database, start: date, end: date) -> dict:
    """The plans' quality: per week its newest plan run (covered, left out, coverage, gap, status), and the share
    of the published meetings kept as planned or proposed (not moved by a lead)."""
    rows = []
    for run in report_queries.newest_plan_runs(db, weeks_between(start, end)):
        plan = run["result"]
        covered, left = len(plan.get("assignments", [])), len(plan.get("unassigned", []))
        rows.append({"week": run["week"], "status": run["status"], "covered": covered, "left_out": left,
                     "coverage": round(covered / (covered + left), 3) if covered + left else None,
                     "gap": run["gap"]})
    explanations = report_queries.published_meeting_explanations(db, start, end)
    moved = sum(1 for e in explanations if isinstance(e, dict) and e.get("code") == "moved_by_lead")
    return {"weeks": rows, "meetings": len(explanations),
            "kept_as_planned": round(1 - moved / len(explanations), 3) if explanations else None}


def _visits(db: Database, trips: list[dict], start: date, end: date) -> dict:
    """Visits asked for (first possible day in the period), done (reached by a published trip) and left out (by
    the newest plan of their week, with its reason), by kind, region and month."""
    asked = report_queries.visits_requested(db, start, end)
    reached = {m["visit"] for t in trips for m in t["meetings"]}
    weeks = sorted({week_of(date.fromisoformat(v["earliest"])) for v in asked})
    reasons = report_queries.reasons_left_out(db, weeks)
    rows: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    left_out: Counter = Counter()
    examples: dict[str, dict] = {}
    for v in asked:
        region = "Ahvenanmaa" if v["on_aland"] else (v["region"] or "")
        count = rows[(v["kind"], region, v["earliest"][:7])]
        count["requested"] += 1
        if v["id"] in reached:
            count["done"] += 1
        elif v["id"] in reasons:
            count["unassigned"] += 1
            reason = reasons[v["id"]]
            code = reason.get("code", "text") if isinstance(reason, dict) else "text"
            left_out[code] += 1
            examples.setdefault(code, reason)
    by_group = [{"kind": kind, "region": region, "month": month, "requested": c["requested"], "done": c["done"],
                 "unassigned": c["unassigned"]} for (kind, region, month), c in sorted(rows.items())]
    flights = {m["visit"] for t in trips if any(leg["mode"] == "flight" for leg in t["legs"]) for m in t["meetings"]}
    done = sum(r["done"] for r in by_group)
    return {"requested": len(asked), "done": done, "unassigned": sum(r["unassigned"] for r in by_group),
            "by_group": by_group, "left_out_reasons": dict(sorted(left_out.items())),
            "left_out_examples": examples,
            "done_without_flying": len({v["id"] for v in asked if v["id"] in reached} - flights),
            "share_without_flying": round(len({v["id"] for v in asked if v["id"] in reached} - flights) / done, 3)
            if done else None}


def travel_figures(trips: list[dict], staff_offices: dict[str, str], settings: Settings,
                   factors: EmissionFactors) -> dict:
    """Per person and per office (a person's home office: ``staff_offices``): days away, hours on the way, hotel
    nights, km by mode and costs; emissions per office and mode. ``trips`` are stored trips or a plan's (each with
    staff, office, depart, return, distance_km, nights and legs). A trip's legs are each person's; a car (own,
    rental, taxi) is shared by the trip's people."""
    people: dict[str, Counter] = defaultdict(Counter)
    offices: dict[str, Counter] = defaultdict(Counter)
    by_mode: Counter = Counter()
    per_trip: list[dict] = []
    for t in trips:
        n = max(1, len(t["staff"]))
        depart, ret = datetime.fromisoformat(t["depart"]), datetime.fromisoformat(t["return"])
        days = (ret.date() - depart.date()).days + 1
        hours_away = (ret - depart).total_seconds() / 3600
        allowance = daily_allowance(hours_away, t["distance_km"], settings)
        trip_kg = 0.0
        shared_cost = sum(leg["cost_eur"] for leg in t["legs"] if leg["mode"] in ("car",))
        for leg in t["legs"]:
            kg = factors.leg_kg(leg["mode"], leg["km"], n)
            trip_kg += kg
            by_mode[f"kg_{leg['mode']}"] += kg
        for person in t["staff"]:
            row = people[person]
            row["trips"] += 1
            row["days_away"] += days
            row["hours_travelling"] += sum(leg["minutes"] for leg in t["legs"]) / 60
            row["hotel_nights"] += t["nights"]
            for leg in t["legs"]:
                row[f"km_{leg['mode']}"] += leg["km"]
            row["mileage_eur"] += shared_cost / n
            row["tickets_eur"] += sum(leg["cost_eur"] for leg in t["legs"] if leg["mode"] in PUBLIC_MODES)
            row["per_diem_eur"] += allowance
            row["hotel_eur"] += t["nights"] * settings.hotel_night_eur
            row["kg_co2e"] += trip_kg / n
        office = offices[t["office"]]
        office["trips"] += 1
        office["kg_co2e"] += trip_kg
        per_trip.append({"depart": t["depart"], "office": t["office"], "people": n,
                         "km": round(sum(leg["km"] for leg in t["legs"]), 1),
                         "modes": sorted({leg["mode"] for leg in t["legs"]} - {"walk"}), "kg_co2e": round(trip_kg, 2)})
    for person, row in people.items():
        office = offices[staff_offices.get(person, "")]
        for key, value in row.items():
            if key not in ("trips", "kg_co2e"):
                office[key] += value
    return {"people": {p: _rounded(r) for p, r in sorted(people.items())},
            "offices": {o: _rounded(r) for o, r in sorted(offices.items())},
            "emissions_by_mode": _rounded(by_mode), "trips": per_trip,
            "totals": _rounded(sum((Counter(r) for r in offices.values()), Counter()))}


def csv_rows(figures: dict) -> list[list]:
    """The figures as rows of (section, group, measure, value): one table a spreadsheet reads."""
    rows = [["section", "group", "measure", "value"]]
    visits = figures["visits"]
    for measure in ("requested", "done", "unassigned", "done_without_flying", "share_without_flying"):
        rows.append(["visits", "all", measure, visits[measure]])
    for row in visits["by_group"]:
        group = f"{row['kind']}/{row['region']}/{row['month']}"
        rows += [["visits", group, measure, row[measure]] for measure in ("requested", "done", "unassigned")]
    rows += [["left_out_reasons", code, "visits", n] for code, n in visits["left_out_reasons"].items()]
    for section in ("people", "offices"):
        for name, values in figures[section].items():
            rows += [[section, name, measure, value] for measure, value in values.items()]
    rows += [["emissions_by_mode", "all", measure, value] for measure, value in figures["emissions_by_mode"].items()]
    for trip in figures["trips"]:
        group = f"{trip['depart']}/{trip['office']}"
        rows += [["trips", group, "people", trip["people"]], ["trips", group, "km", trip["km"]],
                 ["trips", group, "modes", " ".join(trip["modes"])], ["trips", group, "kg_co2e", trip["kg_co2e"]]]
    rows += [["totals", "all", measure, value] for measure, value in figures["totals"].items()]
    rows += [["emission_factors", mode, "kg_co2e_per_km", value] for mode, value in figures["emission_factors"].items()]
    for week in figures["plans"]["weeks"]:
        rows += [["plans", week["week"], measure, week[measure]] for measure in ("covered", "left_out", "coverage",
                                                                                   "gap", "status")]
    rows.append(["plans", "all", "kept_as_planned", figures["plans"]["kept_as_planned"]])
    return rows


def _rounded(counts: Counter) -> dict:
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in sorted(counts.items())}


def period(text_from: str, text_to: str) -> tuple[date, date]:
    """[from, to] from ISO dates; a ValueError says what is wrong."""
    try:
        start, end = date.fromisoformat(text_from), date.fromisoformat(text_to)
    except ValueError:
        raise ValueError(f"--from {text_from!r}, --to {text_to!r}: give days as YYYY-MM-DD") from None
    if end < start:
        raise ValueError("--to is before --from")
    if end - start > timedelta(days=366 * 5):
        raise ValueError("a period of at most five years")
    return start, end
