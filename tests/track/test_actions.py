import pytest

from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.core.models import AuditEvent
from stocktake.report import actions as report_actions
from stocktake.reviews import actions
from stocktake.track.actions import record_progress


def publish(world):
    review, lena = world.review, world.users["lena"]
    for status in ("assessing", "reporting"):
        review = actions.change_review_status(review=review, status=status, by=lena)
    return report_actions.publish_report(review=review, by=lena, reason="Testing")


def test_progress_waits_for_publication(world):
    rec = world.review.recommendations.get(number=1)
    with pytest.raises(InvalidTransition, match="once the report is published"):
        record_progress(recommendation=rec, status="in_progress", by=world.users["owen"])


def test_owner_reports_progress_after_publication(world):
    review = publish(world)
    rec = review.recommendations.get(number=1)
    assert rec.status == "agreed"
    with pytest.raises(InvalidInput, match="needs evidence"):
        record_progress(recommendation=rec, status="completed", note="Weekly return agreed",
                        by=world.users["owen"])
    update = record_progress(recommendation=rec, status="completed", note="Weekly return agreed",
                             evidence_links=["https://example.org/return"], by=world.users["owen"])
    rec.refresh_from_db()
    assert rec.status == "completed" and update.reported_by == world.users["owen"]
    event = AuditEvent.objects.get(verb="recommendation.progress")
    assert event.details == {"previous": "agreed", "status": "completed", "evidence": 1}
    with pytest.raises(InvalidInput):
        record_progress(recommendation=rec, status="draft", by=world.users["owen"])
