"""Single-visit proposals with the real travel model and gazetteer: ranking, reasons, teams by CP-SAT."""
from datetime import date, datetime

import pytest

from planner.core.availability import Availability, Busy
from planner.core.messages import english
from planner.core.records import Absence
from planner.core.propose import Proposer
from planner.core.settings import Settings
from planner.core.travel import NetworkTravelModel

from team_support import OFFICES, TEAM, visit_at

SETTINGS = Settings()
TRAVEL = NetworkTravelModel(SETTINGS)


def proposer(absences=(), busy=(), team=TEAM):
    return Proposer(team, OFFICES, Availability(team, absences, busy), TRAVEL, SETTINGS)


def test_nearest_free_person_ranks_first_with_reason_and_legs():
    proposal = proposer().propose(visit_at("Kemi"))
    best = proposal.options[0]
    assert [p.staff.id for p in best.people] == ["oulu"]
    assert english(best.reason).startswith("nearest qualified free person: Oulu")
    data = proposal.to_dict()["options"][0]
    assert data["people"][0]["travel_out"]["legs"] and data["cost_eur"] > 0
    assert data["start"] >= "2026-12-08T08:00" and data["end"] <= "2026-12-08T17:00"
    # Every person appears either in an option or with a reason.
    assert english(proposal.excluded["trainee"]) == "not employed in the window (employed from 1 Jun 2026 until 31 Aug 2026)"


def test_a_proposal_travels_as_the_network_runs_on_the_visit_day():
    ferry_days = proposer().propose(visit_at("Hailuoto", "2026-12-08", "2026-12-10"))
    road_days = proposer().propose(visit_at("Hailuoto", "2027-03-02", "2027-03-04"))
    modes = lambda proposal: {leg["mode"] for person in proposal.to_dict()["options"][0]["people"]
                              for way in ("travel_out", "travel_back") for leg in person[way]["legs"]}
    assert "ferry" in modes(ferry_days) and "ferry" not in modes(road_days)


def test_no_proposal_on_a_day_no_ferry_runs_and_the_reason_names_it():
    proposal = proposer().propose(visit_at("Vallisaari", "2027-09-14", "2027-09-16"))
    days = {o.day for o in proposal.options}
    assert days and max(days) <= date(2027, 9, 15)     # the waterbus runs until 15 Sep
    text = english(proposer().propose(visit_at("Vallisaari", "2027-09-16", "2027-09-17")).excluded["hel1"])
    assert "no way to reach Vallisaari on 16 Sep 2027; the ferry Kauppatori ferry pier (Helsinki)–Vallisaari quay " \
           "runs from 15 May to 15 Sep" in text


def test_skill_filters_people_and_says_so():
    proposal = proposer().propose(visit_at("Kemi", skills=frozenset({"health"})))
    assert {p.staff.id for o in proposal.options for p in o.people} == {"lpr"}
    assert english(proposal.excluded["oulu"]) == "lacks skill health"


def test_language_needed_unless_interpreter():
    v = visit_at("Tampere", languages=frozenset({"ru"}))
    assert {p.staff.id for o in proposer().propose(v).options for p in o.people} == {"hel1"}
    v = visit_at("Tampere", languages=frozenset({"ru"}), interpreter=True)
    assert proposer().propose(v).options[0].people[0].staff.id == "tre"


def test_absence_and_busy_reasons():
    absences = [Absence("oulu", date(2026, 12, 7), date(2026, 12, 11), "vacation")]
    busy = [Busy("tre", datetime(2026, 12, 8, 6), datetime(2026, 12, 10, 20), "trip T9")]
    proposal = proposer(absences, busy).propose(visit_at("Kemi"))
    assert english(proposal.excluded["oulu"]) == "absent (vacation) 7-11 Dec"
    assert "busy (trip T9)" in english(proposal.excluded["tre"])
    assert "oulu" not in {p.staff.id for o in proposal.options for p in o.people}


def test_preferred_person_is_favoured():
    base = proposer().propose(visit_at("Hämeenlinna", skills=frozenset({"identification"})))
    assert base.options[0].people[0].staff.id in {"hel1", "tre"}
    other = ({"hel1", "tre"} - {base.options[0].people[0].staff.id}).pop()
    preferred = proposer().propose(visit_at("Hämeenlinna", skills=frozenset({"identification"}), preferred_staff=other))
    assert preferred.options[0].people[0].staff.id == other
    assert "the preferred person" in english(preferred.options[0].reason)


def test_far_north_needs_a_night_or_a_flight():
    proposal = proposer().propose(visit_at("Utsjoki", skills=frozenset({"identification"}), duration_min=180))
    option = proposal.options[0]
    person = option.people[0]
    assert person.timing.nights >= 1 or person.out.mode == "flight"
    assert option.cost_eur > 100


def test_aland_visit_avoids_autonomy_day():
    proposal = proposer().propose(visit_at("Mariehamn", earliest="2026-06-09", latest="2026-06-10",
                                           languages=frozenset({"sv"})))
    assert {o.day for o in proposal.options} == {date(2026, 6, 10)}
    only = proposer().propose(visit_at("Mariehamn", earliest="2026-06-09", latest="2026-06-09"))
    assert not only.options
    assert english(only.reason) == "no working day in the window: 9 Jun 2026 is Åland's Autonomy Day"


def test_team_of_two_covers_skills_together_at_one_time():
    v = visit_at("Jyväskylä", staff_needed=2, skills=frozenset({"identification", "social_work"}))
    proposal = proposer().propose(v)
    assert proposal.options
    for option in proposal.options:
        ids = {p.staff.id for p in option.people}
        assert len(ids) == 2 and "hel2" in ids and ids & {"hel1", "tre"}
        assert len({p.timing.meeting_start for p in option.people}) == 1
    # Distinct teams are offered, cheapest first.
    scores = [o.score for o in proposal.options]
    assert scores == sorted(scores)


def test_team_impossible_gives_reason():
    v = visit_at("Jyväskylä", staff_needed=2, skills=frozenset({"health", "social_work"}))
    absences = [Absence("lpr", date(2026, 12, 1), date(2026, 12, 31), "sick_leave")]
    proposal = proposer(absences).propose(v)
    assert not proposal.options
    # the weekly plan's wording (reasons.short_of_people), over the visit's window
    from planner.core.messages import fmt_range
    assert english(proposal.reason) == f"nobody with skill health is free on {fmt_range(v.earliest, v.latest)}"


def test_a_visit_of_one_whose_skills_only_two_people_hold_between_them_says_so():
    """hel2 has social work and lpr health, but a visit of one needs both in one person: the reason says so
    (before: "no team of 1 covering the visit is free at one start")."""
    from planner.core.messages import fmt_range
    v = visit_at("Jyväskylä", skills=frozenset({"health", "social_work"}))
    proposal = proposer().propose(v)
    assert not proposal.options
    assert english(proposal.reason) == (f"nobody free on {fmt_range(v.earliest, v.latest)} has all of skill health, "
                                        "skill social_work")
    assert proposer().propose(visit_at("Jyväskylä", staff_needed=2,
                                       skills=frozenset({"health", "social_work"}))).options


def test_propose_cli_for_a_visit_in_the_database(db, runner, write_json):
    doc = {"staff": [{"id": "s1", "name": "Inspector", "role": "inspector", "office": "oulu",
                      "skills": ["identification"], "languages": ["fi"]}],
           "visits": [{"id": "v1", "kind": "client", "place": "Tornio", "earliest": "2026-12-08",
                       "latest": "2026-12-09", "duration_min": 60}]}
    assert runner.invoke(args=["import", write_json(doc)]).exit_code == 0
    import json
    result = runner.invoke(args=["propose", "v1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["options"][0]["staff"] == ["s1"] and data["options"][0]["offices"] == ["oulu"]
    text = runner.invoke(args=["propose", "--place", "Tornio", "--earliest", "2026-12-08", "--latest", "2026-12-08",
                               "--duration", "60"])
    assert text.exit_code == 0 and "1. " in text.output


@pytest.mark.parametrize("args, message", [
    (["propose", "nope"], "no visit 'nope'"),
    (["propose", "--place", "Kemi"], "give a VISIT_ID or --earliest, --latest, --duration"),
    (["propose", "--place", "Kemi", "--earliest", "2026-12-32", "--latest", "2026-12-09", "--duration", "60"],
     "--earliest: '2026-12-32' is not a date"),
    (["propose", "--place", "Kemi", "--earliest", "2026-12-09", "--latest", "2026-12-08", "--duration", "60"],
     "--latest is before --earliest"),
    (["propose", "--place", "Kemmi", "--earliest", "2026-12-08", "--latest", "2026-12-08", "--duration", "60"],
     "did you mean Kemi"),
])
def test_propose_cli_errors(db, runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output + (getattr(result, "stderr", "") or "")


def test_weighed_emissions_say_when_the_train_was_taken_over_the_plane():
    """With emissions weighed, a proposal that sends someone by train where the fastest way flies says what it
    costs in time and saves in CO2e; off (the default), nothing changes."""
    from datetime import date as _date
    from planner.core.places import get_gazetteer
    from planner.core.records import Office, StaffMember, Visit
    from planner.core.settings import Settings
    from planner.core.travel import travel_model
    from planner.core.propose import Proposer
    from planner.core.availability import Availability
    helsinki = Office("helsinki", "Helsinki (Pasila)", 60.1989, 24.9339)
    person = StaffMember("s1", "Sara", "social_worker", "helsinki")
    oulu = get_gazetteer().resolve("Oulu")
    day = _date(2026, 12, 9)
    visit = Visit(id="v1", kind="client", place_name="Oulu", lat=oulu.lat, lon=oulu.lon, on_aland=False,
                  region=oulu.region, earliest=day, latest=day, duration_min=60)
    texts = {}
    for weight in (0.0, 5.0):
        settings = Settings(emissions_eur_per_kg=weight)
        proposer = Proposer([person], {"helsinki": helsinki}, Availability([person]),
                            travel_model(settings, day=day), settings)
        option = proposer.propose(visit, limit=1).to_dict()["options"][0]
        texts[weight] = (option["people"][0]["travel_out"]["mode"], option["reason"])
    assert texts[0.0][0] == "flight" and "rather than by plane" not in str(texts[0.0][1])
    assert texts[5.0][0] == "train" and "by train rather than by plane for lower emissions" in str(texts[5.0][1])
