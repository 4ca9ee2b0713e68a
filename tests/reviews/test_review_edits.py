"""Editing a review's details, and the one way to tracking: publishing the report."""

from __future__ import annotations

import datetime as dt

import pytest

from stocktake.analysis.framework import FrameworkSpec, ItemSpec
from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.core.models import AuditEvent
from stocktake.report import actions as report_actions
from stocktake.reviews import actions


def test_update_review_changes_details_and_audits_field_names_only(world):
    lena = world.users["lena"]
    review = actions.update_review(
        review=world.review, by=lena, title="  Winter   2025 review ", scope="Urgent care",
        opens_on=dt.date(2025, 1, 6), closes_on=dt.date(2025, 3, 31))
    review.refresh_from_db()
    assert (review.title, review.scope) == ("Winter 2025 review", "Urgent care")
    assert (review.opens_on, review.closes_on) == (dt.date(2025, 1, 6), dt.date(2025, 3, 31))
    event = AuditEvent.objects.get(verb="review.updated")
    assert event.actor == lena and event.review == review
    assert event.details == {"fields": ["closes_on", "opens_on", "scope", "title"]}


def test_update_review_with_nothing_changed_records_nothing(world):
    actions.update_review(review=world.review, title=world.review.title, by=None)
    assert not AuditEvent.objects.filter(verb="review.updated").exists()


@pytest.mark.parametrize("changes,message", [
    ({"title": "   "}, "needs a title"),
    ({"title": "x" * 256}, "255 characters or fewer"),
    ({"opens_on": dt.date(2025, 3, 1), "closes_on": dt.date(2025, 2, 1)}, "close before it opens"),
    ({"opens_on": "2025-03-01"}, "must be a date"),
    ({"slug": "renamed"}, "'slug' of a review cannot be changed"),
    ({"status": "closed"}, "'status' of a review cannot be changed"),
])
def test_update_review_refuses_bad_values(world, changes, message):
    with pytest.raises(InvalidInput, match=message):
        actions.update_review(review=world.review, by=None, **changes)
    world.review.refresh_from_db()
    assert world.review.slug == "winter-2025" and world.review.title == "Winter 2025 learning review"


def other_framework(world):
    spec = FrameworkSpec(name="Other", key="other", themes=(ItemSpec(key="t", name="T"),))
    return actions.create_framework(spec=spec, by=world.users["ada"])


def test_the_framework_changes_only_while_an_empty_review_is_a_draft(world):
    lena, other = world.users["lena"], other_framework(world)
    with pytest.raises(InvalidTransition, match="only while the review is a draft"):
        actions.update_review(review=world.review, framework=other, by=lena)
    fresh = actions.create_review(title="Spring", slug="spring", framework=world.framework, by=lena)
    fresh = actions.update_review(review=fresh, framework=other, by=lena)
    assert fresh.framework == other


def test_tracking_is_reached_only_by_publishing(world):
    lena = world.users["lena"]
    review = world.review
    for status in ("assessing", "reporting"):
        review = actions.change_review_status(review=review, status=status, by=lena)
    with pytest.raises(InvalidTransition, match="publish the report instead"):
        actions.change_review_status(review=review, status="tracking", by=lena)
    with pytest.raises(InvalidInput, match="Unknown review status 'published'"):
        actions.change_review_status(review=review, status="published", by=lena)
    review = report_actions.publish_report(review=review, by=lena, reason="Testing")
    assert review.status == "tracking"
    assert set(review.recommendations.values_list("status", flat=True)) == {"agreed"}
    event = AuditEvent.objects.filter(verb="review.status_changed").first()
    assert event.details == {"previous": "reporting", "status": "tracking"}


def test_the_default_framework_is_stored_once(db):
    first = actions.store_default_framework(by=None)
    assert actions.store_default_framework(by=None) == first
    assert first.themes.count() == 9 and AuditEvent.objects.filter(
        verb="framework.created").count() == 1
