"""The comparison of two stocktakes, on a hand-built example whose answers are counted here."""

import pytest

from stocktake.reviews.permissions import access_for
from stocktake.track import actions as track_actions
from stocktake.track import cycle_compare as compare
from stocktake.track.cycle_compare import Filters
from tests.track.cycle_helpers import progress, publish, start


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
    progress(one, "completed", owen, note="Weekly return in place since May")
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
