"""Memo actions: what a memo may be about, who may write one, revisions, the audit trail."""

import pytest

from stocktake.assess import actions
from stocktake.assess.models import Memo
from stocktake.core.errors import EditConflict, InvalidInput, NotAllowed
from stocktake.core.models import AuditEvent
from stocktake.reviews import actions as review_actions
from tests.assess.test_actions import other_framework_theme


def test_a_memo_is_about_one_subject_of_its_review(world):
    ravi = world.users["ravi"]
    theme = world.framework.themes.get(key="technology")
    finding = world.findings["ashby"][0]
    with pytest.raises(InvalidInput, match="one finding, theme or organisation"):
        actions.add_memo(review=world.review, text="x", by=ravi, finding=finding, theme=theme)
    with pytest.raises(InvalidInput, match="not in this review's framework"):
        actions.add_memo(review=world.review, text="x", by=ravi, theme=other_framework_theme(world))
    with pytest.raises(InvalidInput, match="Write the memo's text"):
        actions.add_memo(review=world.review, text="   ", by=ravi)
    with pytest.raises(InvalidInput, match="at most 10,000"):
        actions.add_memo(review=world.review, text="x" * 10_001, by=ravi)
    memo = actions.add_memo(review=world.review, text="  On the review  ", by=ravi)
    assert (memo.kind, memo.text, memo.revision, memo.author) == (
        "review",
        "On the review",
        1,
        ravi,
    )
    assert actions.add_memo(review=world.review, text="t", by=ravi, theme=theme).kind == "theme"


@pytest.mark.parametrize("name", ["connie", "owen", "vera", "sam"])
def test_only_leads_and_reviewers_write_memos(world, name):
    with pytest.raises(NotAllowed):
        actions.add_memo(review=world.review, text="x", by=world.users[name])
    memo = actions.add_memo(review=world.review, text="x", by=world.users["lena"])
    with pytest.raises(NotAllowed):
        actions.update_memo(memo=memo, text="y", by=world.users[name])
    with pytest.raises(NotAllowed):
        actions.delete_memo(memo=memo, by=world.users[name])
    assert Memo.objects.get().text == "x"


def test_revisions_and_the_audit_trail_without_the_text(world):
    lena, ravi = world.users["lena"], world.users["ravi"]
    memo = actions.add_memo(
        review=world.review, text="Secret thought", by=ravi, organisation=world.orgs["ashby"]
    )
    assert (
        actions.update_memo(memo=memo, text="Secret thought", by=lena, expected_revision=1).revision
        == 1
    )  # nothing changed
    memo = actions.update_memo(memo=memo, text="Second thought", by=lena, expected_revision=1)
    assert memo.revision == 2 and memo.updated_by == lena and memo.author == ravi
    with pytest.raises(EditConflict):
        actions.update_memo(memo=memo, text="Third", by=ravi, expected_revision=1)
    with pytest.raises(EditConflict):
        actions.delete_memo(memo=memo, by=ravi, expected_revision=1)
    actions.delete_memo(memo=memo, by=ravi, expected_revision=2)
    with pytest.raises(InvalidInput, match="already been deleted"):
        actions.delete_memo(memo=memo, by=ravi)
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="assess.memo")
        .values_list("verb", flat=True)
        .order_by("id")
    )
    assert verbs == ["assess.memo_added", "assess.memo_updated", "assess.memo_deleted"]
    details = str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert "thought" not in details


def test_merging_organisations_moves_their_memos(world):
    ada = world.users["ada"]
    memo = actions.add_memo(
        review=world.review, text="About Brackenford", by=ada, organisation=world.orgs["bracken"]
    )
    duplicate = review_actions.create_organisation(
        name="Brackenford Community Services",
        level="organisation",
        parent=world.orgs["eastmarsh"],
        by=ada,
    )
    moved = actions.add_memo(
        review=world.review, text="About the duplicate", by=ada, organisation=duplicate
    )
    review_actions.merge_organisations(keep=world.orgs["bracken"], absorb=duplicate, by=ada)
    moved.refresh_from_db()
    assert moved.organisation_id == memo.organisation_id == world.orgs["bracken"].pk
