"""The publish page and who sees which version of the report (draft, published files)."""

from __future__ import annotations

import pytest

from stocktake.report import actions as report_actions
from stocktake.reviews import actions as review_actions
from tests.report.test_publishing import run_queue

REPORT = "/reviews/winter-2025/report/"
PUBLISH = REPORT + "publish/"


@pytest.fixture
def reporting(world):
    lena = world.users["lena"]
    for status in ["assessing", "reporting"]:
        world.review = review_actions.change_review_status(review=world.review, status=status,
                                                           by=lena)
    return world


def test_the_lead_sees_the_checks_and_must_give_a_reason_to_publish_anyway(reporting, login):
    client = login(reporting.users["lena"])
    html = client.get(PUBLISH).content.decode()
    assert "Checks before publishing" in html and "Publish anyway" in html
    assert "1 recommendation cites no finding as evidence." in html
    assert 'href="/reviews/winter-2025/personal-data/"' not in html  # passed: no link
    # An open check links to the page where it is put right.
    assert '<a href="/reviews/winter-2025/report/recommendations/">Cite findings' in html
    assert '<a href="/reviews/winter-2025/report/write/">Write narratives' in html
    refused = client.post(PUBLISH, {"reason": "  "})
    assert refused.status_code == 400
    assert "Give a reason to publish while checks are open" in refused.content.decode()
    reporting.review.refresh_from_db()
    assert reporting.review.status == "reporting"
    done = client.post(PUBLISH, {"reason": "The board meets on Monday."})
    assert done.status_code == 302
    reporting.review.refresh_from_db()
    assert reporting.review.status == "tracking"
    version = reporting.review.report_versions.get()
    assert version.override_reason == "The board meets on Monday."
    page = client.get(PUBLISH).content.decode()
    assert "Publish a correction" in page and "Being prepared" in page


def test_the_lead_moves_an_assessing_review_to_reporting_from_the_publish_page(world, login):
    lena = world.users["lena"]
    world.review = review_actions.change_review_status(review=world.review, status="assessing",
                                                       by=lena)
    start = PUBLISH + "start-reporting/"
    html = login(lena).get(PUBLISH).content.decode()
    assert "Move the review to reporting" in html and "Publish anyway" not in html
    assert f'action="{start}"' in html
    ravi = login(world.users["ravi"])
    assert "Move the review to reporting" not in ravi.get(PUBLISH).content.decode()
    assert ravi.post(start).status_code == 403
    client = login(lena)
    assert client.get(start).status_code == 405
    moved = client.post(start, follow=True)
    world.review.refresh_from_db()
    assert world.review.status == "reporting"
    assert "The review is now reporting" in moved.content.decode()
    assert "Publish anyway" in moved.content.decode()
    again = client.post(start, follow=True).content.decode()  # already reporting: one message
    assert "The review is already reporting" in again


def test_reviewers_see_the_checks_read_only_and_others_may_not(reporting, login):
    html = login(reporting.users["ravi"]).get(PUBLISH).content.decode()
    assert "Checks before publishing" in html and "Publish anyway" not in html
    assert login(reporting.users["ravi"]).post(PUBLISH, {"reason": "x"}).status_code == 403
    for name in ("connie", "owen", "vera"):
        assert login(reporting.users[name]).get(PUBLISH).status_code == 403
    assert login(reporting.users["sam"]).get(PUBLISH).status_code == 404


def publish(world):
    review = report_actions.publish_report(review=world.review, by=world.users["lena"],
                                           reason="Testing")
    run_queue()
    return review


@pytest.mark.parametrize("name", ["connie", "owen", "vera"])
def test_others_see_only_the_published_version_never_the_draft(reporting, login, name):
    client = login(reporting.users[name])
    assert client.get(REPORT).status_code == 404
    assert client.get(REPORT + "draft/html/").status_code == 404
    review = publish(reporting)
    html = client.get(REPORT).content.decode()
    assert "Version 1, published" in html
    assert "Agree one regional data request per week." in html
    assert "Download the draft" not in html and "/report/draft/" not in html
    response = client.get(REPORT + "v1/html/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="winter-2025-report-v1.html"'
    published = b"".join(response.streaming_content)
    # The draft changes; what was published does not.
    rec = review.recommendations.get(number=1)
    report_actions.update_recommendation(recommendation=rec, by=reporting.users["lena"],
                                         text="Agree one regional data request per month.")
    assert b"".join(client.get(REPORT + "v1/html/").streaming_content) == published
    assert "per week" in client.get(REPORT).content.decode()
    assert client.get(REPORT + "download/").status_code == 404
    assert client.get(REPORT + "v2/html/").status_code == 404


def test_leads_see_the_draft_with_downloads_and_every_version(reporting, login):
    review = publish(reporting)
    report_actions.publish_correction(review=review, change_note="Monthly, not weekly.",
                                      by=reporting.users["lena"], reason="Testing")
    for name in ("lena", "ravi"):
        html = login(reporting.users[name]).get(REPORT).content.decode()
        assert "Download the draft" in html
        assert "Version 1, published" in html
        assert "Version 2, published" in html and "correction: Monthly, not weekly." in html
    draft = login(reporting.users["ravi"]).get(REPORT + "draft/html/")
    assert draft.status_code == 200
    assert draft["Content-Disposition"] == 'attachment; filename="winter-2025-report-draft.html"'
    # Contributors see version 1 only until version 2's files are ready.
    html = login(reporting.users["connie"]).get(REPORT).content.decode()
    assert "Version 1, published" in html and "Version 2" not in html
    run_queue()
    html = login(reporting.users["connie"]).get(REPORT).content.decode()
    assert "Version 2, published" in html and "Earlier versions" in html


def test_a_correction_needs_its_note(reporting, login):
    publish(reporting)
    client = login(reporting.users["lena"])
    refused = client.post(PUBLISH, {"reason": "x", "change_note": ""})
    assert refused.status_code == 400
    assert "Say what this correction changes" in refused.content.decode()
    assert client.post(PUBLISH, {"reason": "x", "change_note": "Typo in 2."}).status_code == 302
    assert reporting.review.report_versions.count() == 2


@pytest.mark.parametrize("key", ["html", "docx", "pdf", "data", "qdpx"])
def test_the_draft_downloads_in_each_format_this_build_has(reporting, login, key):
    from stocktake.report import formats

    client = login(reporting.users["lena"])
    response = client.get(f"{REPORT}draft/{key}/")
    if reason := formats.unavailable_reason(key):
        assert response.status_code == 404
        assert f"/report/draft/{key}/" not in client.get(REPORT).content.decode(), reason
        return
    assert response.status_code == 200
    assert response["Content-Type"] == formats.FORMATS[key].content_type
    name = formats.FORMATS[key].filename("winter-2025")
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert len(response.content) > 0
    assert login(reporting.users["connie"]).get(f"{REPORT}draft/{key}/").status_code == 404
