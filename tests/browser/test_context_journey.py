"""A finding in its document, split and merged, in a real browser with axe (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest

from stocktake.collect.models import Finding
from stocktake.report.importing import import_document
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in
from tests.collect.conftest import SUBMISSIONS

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-context")]


def test_see_a_finding_in_its_document_then_split_and_merge(page, world):
    result = import_document(review=world.review, by=world.users["lena"],
                             path=SUBMISSIONS / "velbrook-teaching-hospitals.docx")
    findings = list(Finding.objects.filter(source_document=result.document)
                    .order_by("position", "id"))
    base = page.base
    sign_in(page, base, "ravi")
    page.goto(f"{base}/reviews/{world.review.slug}/findings/{findings[4].pk}/")
    problems = {"finding": axe_violations(page)}
    page.get_by_role("link", name="See it in the whole document").click()
    page.wait_for_selector("h1:has-text('velbrook-teaching-hospitals.docx')")
    problems["document"] = axe_violations(page)
    page.goto(f"{base}/reviews/{world.review.slug}/findings/{findings[4].pk}/")
    page.get_by_role("link", name="Split it in two").click()
    problems["split"] = axe_violations(page)
    page.get_by_role("button", name="Split the finding").click()
    page.wait_for_selector("text=Split in two")
    page.get_by_role("link", name="Merge it with another").click()
    problems["merge"] = axe_violations(page)
    page.get_by_role("button", name="Merge the findings").click()
    page.wait_for_selector("text=There is a problem")
    problems["merge error"] = axe_violations(page)
    page.locator("input[name=other]").first.check()
    page.get_by_role("button", name="Merge the findings").click()
    page.wait_for_selector("text=Merged")
    assert {k: v for k, v in problems.items() if v} == {}
