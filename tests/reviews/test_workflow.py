import pytest

from stocktake.core.errors import InvalidTransition
from stocktake.core.models import AuditEvent
from stocktake.reviews import actions
from stocktake.reviews.workflow import VALID_TRANSITIONS, ReviewStatus, check_transition


def test_every_state_is_in_the_table_and_every_target_is_a_state():
    assert set(VALID_TRANSITIONS) == set(ReviewStatus.values)
    for targets in VALID_TRANSITIONS.values():
        assert targets <= set(ReviewStatus.values)


def test_closed_is_final_and_draft_cannot_jump_to_reporting():
    with pytest.raises(InvalidTransition, match="allowed from 'draft': collecting"):
        check_transition("draft", "reporting")
    with pytest.raises(InvalidTransition, match="none"):
        check_transition("closed", "draft")


def test_change_status_validates_and_audits(world):
    review, lena = world.review, world.users["lena"]
    with pytest.raises(InvalidTransition):
        actions.change_review_status(review=review, status="closed", by=lena)
    review = actions.change_review_status(review=review, status="assessing", by=lena)
    assert review.status == "assessing"
    event = AuditEvent.objects.filter(verb="review.status_changed").first()
    assert event.actor == lena
    assert event.details == {"previous": "collecting", "status": "assessing"}
