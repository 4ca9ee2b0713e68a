"""The finding page shows similar practice from other organisations, within the user's scope.

Similar findings are worked out in the background (collect.similarity.actions); these
tests work them out in the foreground, as the worker would, before reading a page."""

from django.urls import reverse

from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.similarity.actions import compute_similar_findings
from stocktake.reviews.models import Participant

VIDEO = "Video consultations replaced clinic follow-ups for most community patients within a month."
PENDING = "Similar findings are being worked out"


def add_bracken_submission(world, text, *, compute=True):
    participant = Participant.objects.get(review=world.review, organisation=world.orgs["bracken"])
    submission = collect_actions.create_submission(participant=participant, by=world.users["colin"])
    collect_actions.add_findings(
        submission=submission, by=world.users["colin"], findings=[NewFinding(text)]
    )
    collect_actions.submit_submission(submission=submission, by=world.users["colin"])
    if compute:
        compute_similar_findings(review_id=world.review.pk, by=None)


def page(client, world, finding):
    url = reverse("finding", kwargs={"slug": world.review.slug, "finding_id": finding.pk})
    return client.get(url).content.decode()


def test_reviewer_sees_similar_practice_from_other_organisations(world, login):
    add_bracken_submission(world, VIDEO)
    video = world.findings["ashby"][0]
    html = page(login(world.users["ravi"]), world, video)
    assert "Similar practice in other organisations" in html
    assert "Video consultations replaced clinic follow-ups" in html
    assert "% similar" in html
    # Ashby's own other findings are not offered as "similar practice elsewhere"
    assert "Staff rest hubs" not in html.split("Similar practice in other organisations")[1]
    assert PENDING not in html


def test_contributor_is_not_shown_other_organisations_before_publication(world, login):
    add_bracken_submission(world, VIDEO)
    html = page(login(world.users["connie"]), world, world.findings["ashby"][0])
    assert "Video consultations replaced clinic follow-ups" not in html
    assert "DRAFT-ONLY" not in html
    assert "No finding from another organisation that you can see is similar" in html


def test_the_page_says_so_while_similar_findings_are_being_worked_out(world, login):
    add_bracken_submission(world, VIDEO, compute=False)
    html = page(login(world.users["ravi"]), world, world.findings["ashby"][0])
    assert PENDING in html
    assert "Video consultations replaced clinic follow-ups" not in html
    compute_similar_findings(review_id=world.review.pk, by=None)
    html = page(login(world.users["ravi"]), world, world.findings["ashby"][0])
    assert PENDING not in html and "Video consultations replaced clinic follow-ups" in html
