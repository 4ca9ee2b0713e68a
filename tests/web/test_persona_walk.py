"""Each persona walks every page they can reach and sees only what their role allows.

The world (tests/personas.py): Ashby General (Northfold) has submitted three
findings; Brackenford (Eastmarsh) has one draft finding whose text starts
"DRAFT-ONLY". Before publication, drafts stay with their own organisation's
contributors, and viewers and action owners see no findings at all.
"""

from __future__ import annotations

import pytest

from stocktake.report import actions as report_actions
from stocktake.reviews import actions as review_actions
from tests.web.crawl import crawl

REVIEW = "/reviews/winter-2025/"
ALLOWED = {200, 302, 403, 404}
ASHBY_TEXT = [
    "Video consultations replaced most outpatient follow-ups",
    "Staff rest hubs with psychological support",
    "Daily data requests from the regional team",
]
DRAFT = "DRAFT-ONLY"
PERSONAS = ["ada", "lena", "ravi", "connie", "colin", "owen", "vera", "sam"]


def walk(world, login, name):
    client = login(world.users[name])
    result = crawl(client, ["/", REVIEW])
    bad = {url: v.status for url, v in result.visits.items() if v.status not in ALLOWED}
    assert not bad, f"{name} got unexpected statuses: {bad}"
    return result


@pytest.mark.parametrize("name", PERSONAS)
def test_no_persona_meets_a_server_error(world, login, name):
    result = walk(world, login, name)
    assert result.status("/") == 200


@pytest.mark.parametrize("name", ["ada", "lena", "ravi"])
def test_leads_and_reviewers_see_all_submitted_findings_but_no_draft(world, login, name):
    result = walk(world, login, name)
    for text in ASHBY_TEXT:
        assert text in result.text
    assert DRAFT not in result.text
    assert result.status(REVIEW + "report/") == 200
    # Every finding they were shown opens.
    details = [u for u in result.visits
               if "/findings/" in u and u.rstrip("/").split("/")[-1].isdigit()]
    assert len(details) == 3
    assert all(result.status(u) == 200 for u in details)


def test_connie_sees_her_organisation_and_never_the_other_draft(world, login):
    result = walk(world, login, "connie")
    for text in ASHBY_TEXT:
        assert text in result.text
    assert DRAFT not in result.text
    draft = world.findings["bracken"][0]
    assert login(world.users["connie"]).get(f"{REVIEW}findings/{draft.id}/").status_code == 404


def test_colin_sees_his_own_draft_and_nothing_else(world, login):
    result = walk(world, login, "colin")
    assert DRAFT in result.text
    for text in ASHBY_TEXT:
        assert text not in result.text
    draft = world.findings["bracken"][0]
    assert result.status(f"{REVIEW}findings/{draft.id}/") == 200


def test_lena_cannot_open_colins_draft(world, login):
    draft = world.findings["bracken"][0]
    assert login(world.users["lena"]).get(f"{REVIEW}findings/{draft.id}/").status_code == 404


def test_vera_sees_the_dashboard_but_no_finding_before_publication(world, login):
    result = walk(world, login, "vera")
    assert result.status(REVIEW) == 200
    for text in ASHBY_TEXT + [DRAFT]:
        assert text not in result.text
    assert "opens to you when the report is published" in result.text
    assert REVIEW + "report/" not in result.visits  # not offered
    assert login(world.users["vera"]).get(REVIEW + "report/").status_code == 404


def test_owen_sees_only_the_recommendation_his_organisation_owns(world, login):
    result = walk(world, login, "owen")
    assert "Agree one regional data request per week." in result.text
    assert "Keep the rest hubs funded" not in result.text
    for text in ASHBY_TEXT + [DRAFT]:
        assert text not in result.text


def test_sam_sees_no_reviews_and_the_review_does_not_exist_for_him(world, login):
    result = walk(world, login, "sam")
    assert "Winter 2025 learning review" not in result.visits["/"].html
    assert result.status(REVIEW) == 404
    client = login(world.users["sam"])
    for page in ["findings/", "examples/", "recommendations/", "report/",
                 f"findings/{world.findings['ashby'][0].id}/"]:
        assert client.get(REVIEW + page).status_code == 404


# The report page's status for each persona, before and after publication.
REPORT_STATUS = {
    "ada": (200, 200), "lena": (200, 200), "ravi": (200, 200), "connie": (404, 200),
    "colin": (404, 200), "owen": (404, 200), "vera": (404, 200), "sam": (404, 404),
}


@pytest.mark.parametrize("name", PERSONAS)
def test_report_page_opens_to_each_persona_as_their_role_allows(world, login, name):
    before, after = REPORT_STATUS[name]
    assert login(world.users[name]).get(REVIEW + "report/").status_code == before
    publish(world)
    assert login(world.users[name]).get(REVIEW + "report/").status_code == after


def publish(world):
    lena = world.users["lena"]
    review = world.review
    for status in ["assessing", "reporting"]:
        review = review_actions.change_review_status(review=review, status=status, by=lena)
    return report_actions.publish_report(review=review, by=lena, reason="Testing")


@pytest.mark.parametrize("name", ["vera", "owen", "connie"])
def test_after_publication_everyone_sees_submitted_findings_but_still_no_draft(world, login, name):
    publish(world)
    result = walk(world, login, name)
    for text in ASHBY_TEXT:
        assert text in result.text
    assert DRAFT not in result.text


def test_after_publication_colin_still_sees_his_draft(world, login):
    publish(world)
    result = walk(world, login, "colin")
    assert DRAFT in result.text
    for text in ASHBY_TEXT:
        assert text in result.text
