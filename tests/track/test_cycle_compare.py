"""The comparison of two stocktakes, on a hand-built example whose answers are counted here."""

import pytest

from stocktake.reviews.permissions import access_for
from stocktake.track import actions as track_actions
from stocktake.track import cycle_compare as compare
from stocktake.track.actions import evaluation
from stocktake.track.cycle_compare import Filters
from stocktake.track.models import CycleEntry
from tests.track.cycle_helpers import EVIDENCE, progress, publish, start


@pytest.fixture
def two_cycles(world):
    """Cycle 1: recommendation 1 in progress, 2 untouched. Cycle 2: 1 complete (with a note),
    2 not progressed."""
    publish(world)
    world.review.refresh_from_db()
    owen, lena = world.users["owen"], world.users["lena"]
    one = world.review.recommendations.get(number=1)
    two = world.review.recommendations.get(number=2)
    first = start(world, title="Stocktake 2027")
    progress(one, "in_progress", owen)
    track_actions.close_cycle(cycle=first, by=lena)
    second = start(world, title="Stocktake 2028")
    progress(one, "completed", owen, evidence_links=[EVIDENCE],
             note="Weekly return in place since May")
    progress(two, "not_progressed", lena)
    return world, first, second


def rows(qs):
    return {e.recommendation.number: (e.prev_status, e.status, e.updates)
            for e in qs.select_related("recommendation")}


def test_cycle_two_against_cycle_one(two_cycles):
    world, first, second = two_cycles
    access = access_for(world.users["lena"], world.review)
    base = compare.entries_visible_to(access, second)
    qs = compare.recommendation_entries(base, compare.cycle_side(first), Filters())
    assert rows(qs) == {1: ("in_progress", "completed", 1), 2: ("agreed", "not_progressed", 1)}
    summary = compare.recommendation_summary(qs)
    assert (summary.items, summary.changed, summary.improved) == (2, 2, 1)
    assert sorted(summary.transitions) == [("agreed", "not_progressed", 1),
                                           ("in_progress", "completed", 1)]
    themes = compare.status_counts(qs, "recommendation__theme_id")
    wellbeing = world.review.recommendations.get(number=2).theme_id
    assert themes[wellbeing] == {"before": {"agreed": 1}, "now": {"not_progressed": 1}}
    systems = compare.by_system(qs)
    assert systems[world.orgs["northfold"].pk] == {"before": {"in_progress": 1},
                                                   "now": {"completed": 1}}
    assert systems[world.orgs["eastmarsh"].pk] == {"before": {"agreed": 1},
                                                   "now": {"not_progressed": 1}}


def test_cycle_one_against_publication(two_cycles):
    world, first, _ = two_cycles
    access = access_for(world.users["lena"], world.review)
    base = compare.entries_visible_to(access, first)
    side = compare.previous_side(first, compare.cycles_visible_to(access, world.review))
    assert side.is_publication and side.published_at is not None
    qs = compare.recommendation_entries(base, side, Filters())
    assert rows(qs) == {1: ("agreed", "in_progress", 1), 2: ("agreed", "agreed", 0)}
    changed = compare.recommendation_entries(base, side, Filters(changed=True))
    assert set(rows(changed)) == {1}


def test_filters_and_the_owners_view(two_cycles):
    world, first, second = two_cycles
    lead = access_for(world.users["lena"], world.review)
    before = compare.cycle_side(first)
    base = compare.entries_visible_to(lead, second)
    east = compare.recommendation_entries(base, before, Filters(system=world.orgs["eastmarsh"].pk))
    assert set(rows(east)) == {2}
    done = compare.recommendation_entries(base, before, Filters(status="completed"))
    assert set(rows(done)) == {1}
    owner = access_for(world.users["owen"], world.review)
    mine = compare.recommendation_entries(compare.entries_visible_to(owner, second), before,
                                          Filters())
    assert set(rows(mine)) == {1}


def test_who_sees_which_cycles(two_cycles):
    world, first, second = two_cycles
    see = {name: list(compare.cycles_visible_to(access_for(world.users[name], world.review),
                                                world.review).values_list("number", flat=True))
           for name in ("lena", "ravi", "owen", "vera", "connie")}
    assert see == {"lena": [1, 2], "ravi": [1, 2], "owen": [1, 2], "vera": [1], "connie": []}


def test_innovations_decisions_and_spread_side_by_side(world):
    """An innovation undecided at publication is retained in cycle 1 (and adopted by one
    organisation), adapted in cycle 2 (adopted by a second)."""
    publish(world)
    world.review.refresh_from_db()
    lena = world.users["lena"]
    ward = track_actions.log_innovation(organisation=world.orgs["ashby"], title="Virtual ward",
                                        what_changed="Hospital care at home.", by=lena,
                                        code=False)
    first = start(world, title="Stocktake 2027")
    evaluation.decide(innovation=ward, outcome="retain", rationale="Fewer admissions.", by=lena)
    evaluation.record_adoption(innovation=ward, organisation=world.orgs["bracken"],
                               status="adopted", by=lena)
    entry = CycleEntry.objects.get(cycle=first, innovation=ward)
    assert (entry.outcome, entry.adoptions, entry.updates) == ("retain", 1, 1)
    track_actions.close_cycle(cycle=first, by=lena)
    second = start(world, title="Stocktake 2028")
    evaluation.decide(innovation=ward, outcome="adapt", rationale="Evenings too.", by=lena)
    evaluation.record_adoption(innovation=ward, organisation=world.orgs["northfold"],
                               status="adapted", by=lena)
    access = access_for(lena, world.review)
    now = compare.innovation_entries(compare.entries_visible_to(access, second),
                                     compare.cycle_side(first), Filters())
    assert [(e.prev_outcome, e.outcome, e.prev_adoptions, e.adoptions) for e in now] == [
        ("retain", "adapt", 1, 2)]
    summary = compare.innovation_summary(now)
    assert (summary.changed, summary.adoptions_before, summary.adoptions_now) == (1, 1, 2)
    assert summary.outcomes_before == {"retain": 1} and summary.outcomes_now == {"adapt": 1}
    at_publication = compare.innovation_entries(
        compare.entries_visible_to(access, first), compare.publication_side(world.review),
        Filters())
    assert [(e.prev_outcome, e.outcome, e.prev_adoptions) for e in at_publication] == [
        ("undecided", "retain", 0)]
    assert CycleEntry.objects.get(cycle=first, innovation=ward).outcome == "retain"  # frozen


def test_per_system_recommendations_compare_system_by_system(world):
    publish(world)
    world.review.refresh_from_db()
    lena = world.users["lena"]
    rec = world.review.recommendations.get(number=2)
    track_actions.set_per_system(recommendation=rec, per_system=True, by=lena)
    first = start(world)
    systems = {e.organisation_id for e in CycleEntry.objects.filter(cycle=first, recommendation=rec)}
    assert systems == {world.orgs["northfold"].pk, world.orgs["eastmarsh"].pk}
    progress(rec, "in_progress", lena, organisation=world.orgs["eastmarsh"], rag="amber")
    track_actions.close_cycle(cycle=first, by=lena)
    second = start(world, title="Stocktake 2028")
    progress(rec, "completed", lena, organisation=world.orgs["eastmarsh"], rag="green",
             evidence_links=[EVIDENCE])
    access = access_for(lena, world.review)
    qs = compare.recommendation_entries(compare.entries_visible_to(access, second),
                                        compare.cycle_side(first), Filters())
    got = {(e.recommendation.number, e.organisation_id): (e.prev_status, e.prev_rag, e.status,
                                                          e.rag, e.evidence) for e in qs}
    east, north = world.orgs["eastmarsh"].pk, world.orgs["northfold"].pk
    assert got[(2, east)] == ("in_progress", "amber", "completed", "green", 1)
    assert got[(2, north)][0] == got[(2, north)][2] == "agreed"
    matrix = compare.by_system(qs)
    # Eastmarsh: its own entry (in progress → complete) and Brackenford's nothing else;
    # Northfold: its entry for 2 (agreed → agreed) and Ashby's recommendation 1.
    assert matrix[east] == {"before": {"in_progress": 1}, "now": {"completed": 1}}
    assert matrix[north] == {"before": {"agreed": 2}, "now": {"agreed": 2}}
