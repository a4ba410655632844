"""The plan's explanations (``planner.optimize.explain``) on tiny weeks: why a person was chosen, and a concrete
reason for a visit left out."""
from __future__ import annotations

from planner.core.availability import Availability
from planner.core.messages import english
from planner.optimize.candidates import CandidateGenerator
from planner.optimize.explain import explain_assignment, unassigned_reason
from planner.optimize.greedy import solve_greedy
from planner.optimize.instance import build_instance
from planner.core.settings import Settings

from optimize_support import MON, OFFICES, WEEK, FakeTravel, person, visit


def _solved(visits, staff):
    inst = build_instance(WEEK, MON, visits, staff, OFFICES, Availability(staff), Settings(), FakeTravel())
    inst.precompute_travel()
    cands = CandidateGenerator(inst).generate()
    return inst, cands, solve_greedy(inst, cands)


def test_the_nearest_person_is_explained_against_the_next_office():
    inst, cands, selection = _solved([visit("v", lat=60.3)], [person("near"), person("far", office="north")])
    text = english(explain_assignment(inst, cands, selection, inst.visit_by_id["v"], ["near"]))
    assert text.startswith("near from South: nearest qualified free person; North would have added")


def test_the_only_qualified_person_is_said_to_be_the_only_one():
    inst, cands, selection = _solved([visit("v", skills=frozenset({"health"}))],
                                     [person("nurse", skills={"health"}), person("other")])
    assert "the only qualified person free" in english(explain_assignment(inst, cands, selection,
                                                                           inst.visit_by_id["v"], ["nurse"]))


def test_a_visit_left_out_because_everyone_is_busy_names_what_they_do():
    # one person, two five-hour meetings on one day: one of them is left out
    inst, cands, selection = _solved([visit("a", lat=60.3, duration=300), visit("b", lat=60.4, duration=300)],
                                     [person("only")])
    left = [v for v in inst.visits if v.id not in selection.starts]
    assert len(left) == 1
    reason = english(unassigned_reason(inst, cands, selection, left[0]))
    covered = next(v for v in ("a", "b") if v != left[0].id)
    assert reason == f"everyone who could go on 7 Dec is needed for other visits (only on {covered})"


def test_a_person_busy_on_one_day_of_the_window_and_free_on_another_is_not_called_busy():
    """The person meets a on Monday; b could be met on Monday or Tuesday and the plan leaves it out: they were
    free on Tuesday, so the reason says a qualified person was free, not that everyone was needed elsewhere."""
    from dataclasses import replace
    from datetime import timedelta
    inst, cands, selection = _solved([visit("a", lat=60.3, duration=300),
                                      visit("b", lat=60.4, latest=MON + timedelta(1), duration=300)],
                                     [person("only")])
    cols = cands.columns
    on_monday = [i for i in selection.chosen if "a" in cols[i].visits and "b" not in cols[i].visits]
    assert on_monday and all(cols[i].days == (MON,) for i in on_monday)
    left_b = replace(selection, chosen=on_monday)
    reason = english(unassigned_reason(inst, cands, left_b, inst.visit_by_id["b"]))
    assert reason.startswith("left out") and "1 qualified" in reason


def test_the_weekly_plan_says_when_weighed_emissions_took_the_train(web_db):
    """Emissions weighed, a trip that goes by train where the fastest way flies says so in its explanation, with
    the time it costs; off (the default), no explanation says it."""
    from planner.core.messages import english
    from planner.core.settings import Settings
    from planner.planning.week_run import plan_and_store
    from web_support import WEEK
    said = {}
    for weight in (0.0, 5.0):
        plan, _run = plan_and_store(web_db, WEEK, Settings(emissions_eur_per_kg=weight), solver="cp-sat",
                                    time_limit=10, actor="test", dry_run=True)
        said[weight] = [english(a["explanation"]) for a in plan["assignments"]
                        if "rather than by plane" in english(a["explanation"])]
    assert not said[0.0] and said[5.0]
    assert "longer" in said[5.0][0] and "kg CO2e less" in said[5.0][0]


def test_a_visit_left_out_for_needs_nobody_holds_all_of_says_which():
    """Both needs are held by someone free, by no one person: the reason names the needs, not the travel."""
    inst, cands, selection = _solved([visit("v", skills=frozenset({"health"}), languages=frozenset({"ar"}))],
                                     [person("nurse", skills={"health"}), person("speaker", languages=("fi", "ar"))])
    assert not selection.starts
    assert english(unassigned_reason(inst, cands, selection, inst.visit_by_id["v"])) == (
        "nobody free on 7 Dec has all of skill health, language ar")


def test_a_team_holds_the_needs_only_when_enough_of_them_hold_them_together():
    from planner.core.reasons import team_holds
    nurse, speaker = person("nurse", skills={"health"}), person("speaker", languages=("fi", "ar"))
    both, other = person("both", skills={"health"}, languages=("fi", "ar")), person("other")
    need = dict(skills=frozenset({"health"}), languages=frozenset({"ar"}))
    assert not team_holds(visit("v", **need), [nurse, speaker, other])          # one person must hold both
    assert team_holds(visit("v", **need), [nurse, other, both])
    assert team_holds(visit("v", staff_needed=2, **need), [nurse, speaker])       # two hold them between them
    assert not team_holds(visit("v", staff_needed=3, **need), [nurse, speaker])   # but three are needed
    assert team_holds(visit("v", staff_needed=3, **need), [nurse, speaker, other])
    assert team_holds(visit("v"), [other]) and not team_holds(visit("v", staff_needed=2), [other])
    three = dict(skills=frozenset({"health", "social_work"}), languages=frozenset({"ar"}))
    social = person("social", skills={"social_work"})
    assert not team_holds(visit("v", staff_needed=2, **three), [nurse, speaker, social])   # three people's needs
    assert team_holds(visit("v", staff_needed=2, **three), [both, social, nurse])
