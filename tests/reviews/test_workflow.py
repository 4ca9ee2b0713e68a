import pytest

from stocktake.core.errors import InvalidInput, InvalidTransition
from stocktake.core.models import AuditEvent
from stocktake.report.actions import publish_report
from stocktake.reviews import actions
from stocktake.reviews.workflow import VALID_TRANSITIONS, ReviewStatus, check_transition


def test_every_state_is_in_the_table_and_every_target_is_a_state():
    assert set(VALID_TRANSITIONS) == set(ReviewStatus.values)
    for targets in VALID_TRANSITIONS.values():
        assert targets <= set(ReviewStatus.values)


def test_closed_is_final_and_draft_cannot_jump_to_reporting():
    with pytest.raises(InvalidTransition, match="from draft it can move to: collecting"):
        check_transition("draft", "reporting")
    with pytest.raises(InvalidTransition, match="nothing .it is closed."):
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


@pytest.mark.parametrize("current, new", [
    ("assessing", ReviewStatus.TRACKING), (ReviewStatus.TRACKING, ReviewStatus.DRAFT),
    (ReviewStatus.CLOSED, "draft"), ("draft", ReviewStatus.REPORTING),
])
def test_refusals_name_statuses_by_value_never_as_enum_reprs(current, new):
    with pytest.raises(InvalidTransition) as info:
        check_transition(current, new)
    assert "ReviewStatus" not in str(info.value)
    assert f"from {str(current)} to {str(new)}" in str(info.value)


def test_moving_to_the_status_a_review_has_says_it_is_already_there():
    with pytest.raises(InvalidTransition, match="^The review is already assessing$"):
        check_transition("assessing", ReviewStatus.ASSESSING)


def test_publishing_is_refused_before_reporting_and_once_published(world):
    review, lena = world.review, world.users["lena"]
    with pytest.raises(InvalidTransition) as info:
        publish_report(review=review, by=lena, reason="Testing")
    assert str(info.value) == ("The report can be published only while the review is "
                               "reporting (it is collecting)")
    for status in ("assessing", "reporting"):
        actions.change_review_status(review=review, status=status, by=lena)
    publish_report(review=review, by=lena, reason="Testing")
    with pytest.raises(InvalidTransition, match="^The report is already published$"):
        publish_report(review=review, by=lena, reason="Testing")


def test_unknown_status_lists_only_the_statuses_a_change_accepts(world):
    with pytest.raises(InvalidInput) as info:
        actions.change_review_status(review=world.review, status="bogus", by=None)
    listed = str(info.value).split("use one of ")[1].split(" (")[0].split(", ")
    assert listed == ["draft", "collecting", "assessing", "reporting", "closed"]
