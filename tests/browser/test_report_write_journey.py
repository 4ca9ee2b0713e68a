"""Writing the report in a real browser: a lead writes a theme's narrative, chooses evidence,
drafts the summary, meets an edit conflict; axe (WCAG 2.2 AA) on every writing page, and the
same forms without JavaScript."""

from __future__ import annotations

import pytest

from stocktake.report.actions import builder
from stocktake.report.models import EvidenceQuote, ReportText, SummaryObservation, TextKind
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in
from tests.report import conftest as report_fixtures

browser = journeys.browser
page = journeys.page
coded, domains, themes = report_fixtures.coded, report_fixtures.domains, report_fixtures.themes
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-report-write")]

THEME = "Using technology to improve care delivery"


def test_a_lead_writes_the_report_and_every_page_passes_axe(page, coded, themes):
    base, slug = page.base, coded.review.slug
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/report/")
    page.locator("nav[aria-label='The report']").get_by_role("link", name="Write").click()
    page.wait_for_url(f"{base}/reviews/{slug}/report/write/")
    problems = {"index": axe_violations(page)}

    page.get_by_role("link", name=THEME).click()
    page.wait_for_url("**/write/theme/technology/")
    problems["theme"] = axe_violations(page)
    page.get_by_label(f"Narrative for {THEME}").fill("## Video\n\nClinics moved **online**.")
    page.get_by_role("button", name="Save the narrative").click()
    page.wait_for_selector("text=The narrative for Using technology to improve care delivery saved.")
    assert ReportText.objects.get(kind=TextKind.THEME).html.startswith("<h4>Video</h4>")
    problems["theme saved"] = axe_violations(page)

    page.get_by_role("link", name="Choose evidence from this theme's findings").click()
    page.wait_for_url("**/evidence/")
    problems["evidence"] = axe_violations(page)
    page.get_by_label("Text contains").fill("video")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/evidence/?q=video*")
    page.get_by_role("button", name="Use as evidence").first.click()
    page.wait_for_selector("text=Chosen as evidence")
    assert EvidenceQuote.objects.count() == 1
    problems["evidence chosen"] = axe_violations(page)

    # Someone else saves while the lead edits: her text stays, theirs shows below.
    page.goto(f"{base}/reviews/{slug}/report/write/theme/technology/")
    page.get_by_label(f"Narrative for {THEME}").fill("My second thoughts.")
    text = ReportText.objects.get(kind=TextKind.THEME)
    builder.save_report_text(review=coded.review, kind=TextKind.THEME, theme=themes["technology"],
                             source="Ravi's rewrite.", by=coded.users["ravi"],
                             expected_revision=text.revision)
    page.get_by_role("button", name="Save the narrative").click()
    page.wait_for_selector("text=The version Ravi Reviewer saved")
    assert page.get_by_label(f"Narrative for {THEME}").input_value() == "My second thoughts."
    problems["conflict"] = axe_violations(page)

    page.goto(f"{base}/reviews/{slug}/report/write/summary/")
    problems["summary"] = axe_violations(page)
    page.get_by_label("Observation").fill("Video came to stay.")
    page.get_by_label("Theme it comes from").select_option(label=THEME)
    page.get_by_role("button", name="Add observation").click()
    page.wait_for_selector("text=Observation added at the end of the summary.")
    assert "Raised in 1 of" in page.content()
    page.get_by_role("link", name="Change observation 1").click()
    problems["observation"] = axe_violations(page)
    page.go_back()
    page.get_by_role("link", name="Delete observation 1").click()
    problems["delete observation"] = axe_violations(page)
    page.get_by_role("button", name="Delete observation").click()
    page.wait_for_selector("text=Observation deleted.")
    assert not SummaryObservation.objects.exists()

    page.goto(f"{base}/reviews/{slug}/report/write/method/")
    problems["method"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_writing_works_without_javascript(browser, live_server, coded):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "ravi")
    page.goto(f"{live_server.url}/reviews/{coded.review.slug}/report/write/theme/technology/")
    page.get_by_role("button", name="Keep these as the evidence").click()
    page.wait_for_selector("text=now chosen as the evidence")
    assert EvidenceQuote.objects.count() == 1
    page.get_by_label(f"Narrative for {THEME}").fill("Written without scripts.")
    page.get_by_role("button", name="Save the narrative").click()
    page.wait_for_selector("text=saved.")
    assert ReportText.objects.get(kind=TextKind.THEME).source == "Written without scripts."
    context.close()
