"""A previous report and its response, uploaded in a real browser: the preview's theme per
section heading (changed by the user), the responses on the Recommendations page and the case
studies on the Examples page, with axe (WCAG 2.2 AA) on each page."""

from __future__ import annotations

import pytest

from stocktake.collect import importers
from stocktake.collect.importers import (
    ExtractedCaseStudy,
    ExtractedRecommendation,
    ExtractedResponse,
    Extraction,
)
from stocktake.report.models import Recommendation
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-report-parts")]

HEADING = "Developing the NHSE/I relationship with the local NHS"
FILES = {
    "previous-report.txt": Extraction(file="previous-report.txt", format="text", recommendations=[
        ExtractedRecommendation(number=31, label="3.1", section=HEADING,
                                text="Agree one data request a week."),
        ExtractedRecommendation(number=51, label="5.1", section="Looking after our people",
                                text="Keep rest hubs open at night."),
    ], case_studies=[ExtractedCaseStudy(title="A ward sister's winter", person="Ward sister",
                                        text="We changed the rota every week.")]),
    "response.txt": Extraction(file="response.txt", format="text", responses=[
        ExtractedResponse(label="3.1", number=None, status="accepted_in_part",
                          text="Accepted in part: a weekly request from April."),
        ExtractedResponse(label="9.9", number=None, status="noted", text="Noted."),
    ]),
}


def _upload(page, base, slug, path):
    page.goto(f"{base}/reviews/{slug}/upload/")
    page.set_input_files("input[type=file]", [str(path)])
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_url("**/upload/*/")


def test_report_and_response_pages_pass_axe(page, world, tmp_path, monkeypatch):
    monkeypatch.setattr(importers, "extract",
                        lambda path, *, name=None, **_: FILES[name or path.name])
    for name in FILES:
        (tmp_path / name).write_text(f"stand-in for {name}")
    base, slug = page.base, world.review.slug
    sign_in(page, base, "lena")
    _upload(page, base, slug, tmp_path / "previous-report.txt")
    problems = {"report preview": axe_violations(page)}
    page.get_by_label(f"Theme for \u201c{HEADING}\u201d").select_option(
        label="Using technology to improve care delivery")
    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_selector("text=Import results")
    assert Recommendation.objects.get(label="3.1").theme.key == "technology"
    assert Recommendation.objects.get(label="5.1").theme.key == "staff-wellbeing"
    _upload(page, base, slug, tmp_path / "response.txt")
    assert "Recommendation 9.9: no recommendation 9.9 in this review" in page.content()
    problems["response preview"] = axe_violations(page)
    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_selector("text=Import results")
    page.goto(f"{base}/reviews/{slug}/recommendations/")
    assert page.get_by_text("Accepted in part: a weekly request from April.").count() == 1
    assert page.get_by_text("Response to recommendation 9.9").count() == 1
    problems["recommendations"] = axe_violations(page)
    page.goto(f"{base}/reviews/{slug}/examples/")
    assert page.get_by_text("A ward sister's winter").count() == 1
    problems["examples"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
