"""Publishing in a real browser: moving the review to reporting, the checks, "Publish
anyway" with a reason, the published version on the report page and its download; axe
(WCAG 2.2 AA) on the pages on the way."""

from __future__ import annotations

import pytest

from stocktake.reviews import actions as review_actions
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in
from tests.report.test_publishing import run_queue

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-publish")]


def test_lead_publishes_anyway_and_a_contributor_downloads_the_version(page, world):
    lena = world.users["lena"]
    review_actions.change_review_status(review=world.review, status="assessing", by=lena)
    base, slug = page.base, world.review.slug
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/report/")
    page.get_by_role("link", name="Publish", exact=True).click()
    page.wait_for_selector("text=Checks before publishing")
    problems = {"publish, assessing": axe_violations(page)}
    page.get_by_role("button", name="Move the review to reporting").click()
    page.wait_for_selector("text=The review is now reporting")
    problems["publish"] = axe_violations(page)
    page.get_by_role("button", name="Publish anyway").click()
    page.wait_for_selector("text=There is a problem")
    problems["publish, reason missing"] = axe_violations(page)
    page.get_by_label("Why publish while checks are open").fill("The board meets on Monday.")
    page.get_by_role("button", name="Publish anyway").click()
    page.wait_for_selector("text=Publish a correction")
    assert page.get_by_text("Being prepared", exact=True).count() == 1
    problems["published"] = axe_violations(page)
    run_queue()
    page.reload()
    assert page.get_by_text("Published with open checks, because:").count() == 1
    page.context.clear_cookies()
    sign_in(page, base, "connie")
    page.goto(f"{base}/reviews/{slug}/report/")
    page.wait_for_selector("text=Version 1, published")
    problems["report, contributor"] = axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download: Web page (HTML)").click()
    assert download.value.suggested_filename == "winter-2025-report-v1.html"
    assert {k: v for k, v in problems.items() if v} == {}
