"""Who sees what, told through the personas (see tests/personas.py)."""

import pytest

from stocktake.collect.models import Finding, Submission, scope_key
from stocktake.core.errors import NotAllowed
from stocktake.report import actions as report_actions
from stocktake.report.models import Recommendation
from stocktake.reviews import actions
from stocktake.reviews.permissions import access_for, reviews_visible_to


def visible_texts(world, name):
    access = access_for(world.users[name], world.review)
    return {f.text for f in Finding.objects.visible_to(access)}


def test_lead_and_reviewer_see_every_submitted_finding_but_no_draft(world):
    for name in ("lena", "ravi", "ada"):
        texts = visible_texts(world, name)
        assert len(texts) == 3
        assert not any("DRAFT-ONLY" in t for t in texts)


def test_contributor_sees_own_organisation_only_until_publication(world):
    assert len(visible_texts(world, "connie")) == 3
    assert visible_texts(world, "colin") == {world.findings["bracken"][0].text}


def test_viewer_and_action_owner_see_no_findings_before_publication(world):
    assert visible_texts(world, "vera") == set()
    assert visible_texts(world, "owen") == set()
    assert visible_texts(world, "sam") == set()


def test_after_publication_everyone_with_a_role_sees_submitted_material(world):
    lena = world.users["lena"]
    review = world.review
    for status in ("assessing", "reporting"):
        review = actions.change_review_status(review=review, status=status, by=lena)
    world.review = report_actions.publish_report(review=review, by=lena, reason="Testing")
    for name in ("vera", "owen", "colin"):
        texts = visible_texts(world, name)
        assert len([t for t in texts if "DRAFT-ONLY" not in t]) == 3
    assert not any("DRAFT-ONLY" in t for t in visible_texts(world, "vera"))
    assert visible_texts(world, "sam") == set()


def test_action_owner_sees_only_recommendations_their_organisation_owns(world):
    access = access_for(world.users["owen"], world.review)
    numbers = [r.number for r in Recommendation.objects.visible_to(access)]
    assert numbers == [1]


def test_contributor_submissions_scope(world):
    access = access_for(world.users["connie"], world.review)
    orgs = {s.participant.organisation for s in Submission.objects.visible_to(access)}
    assert orgs == {world.orgs["ashby"]}


def test_capabilities(world):
    assert access_for(world.users["ravi"], world.review).has("code_findings")
    with pytest.raises(NotAllowed):
        access_for(world.users["connie"], world.review).require("code_findings")
    assert not access_for(world.users["sam"], world.review).has("view_review")


def test_reviews_list_is_scoped(world):
    assert list(reviews_visible_to(world.users["sam"])) == []
    assert list(reviews_visible_to(world.users["connie"])) == [world.review]
    assert list(reviews_visible_to(world.users["ada"])) == [world.review]


def _scope_keys(world):
    return {name: scope_key(access_for(user, world.review)) for name, user in world.users.items()}


def test_equal_scope_keys_see_the_same_findings_and_different_ones_do_not(world):
    """What is kept per scope (similar-practice indexes, findings lists) is named by
    scope_key: users with one key must see the same findings."""
    lena = world.users["lena"]
    keys_at = {}
    for stage in ("collecting", "published"):
        if stage == "published":
            review = world.review
            for status in ("assessing", "reporting"):
                review = actions.change_review_status(review=review, status=status, by=lena)
            world.review = report_actions.publish_report(review=review, by=lena, reason="Testing")
        keys = keys_at[stage] = _scope_keys(world)
        seen = {name: visible_texts(world, name) for name in keys}
        for a in keys:
            for b in keys:
                if keys[a] == keys[b]:
                    assert seen[a] == seen[b], (stage, a, b)
        assert keys["lena"] == keys["ravi"]
        assert keys["connie"] != keys["colin"]  # both contributors, different organisations
        assert seen["connie"] != seen["colin"]
    # after publication a contributor also sees everyone's submitted material: a new key
    assert keys_at["collecting"]["colin"] != keys_at["published"]["colin"]


def test_leads_scope_joins_no_participant_table(world):
    """With no organisations of their own, a lead's or reviewer's scope is the submitted
    material alone (no join through participants); a contributor's still names them."""
    for name in ("lena", "ravi"):
        query = str(Finding.objects.visible_to(access_for(world.users[name], world.review)).query)
        assert "reviews_participant" not in query
    contributor = access_for(world.users["connie"], world.review)
    assert "reviews_participant" in str(Finding.objects.visible_to(contributor).query)
