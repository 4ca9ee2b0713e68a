"""Personal data in a real browser, with axe (WCAG 2.2 AA): a lead redacts a flagged NHS number
on the finding page, with JavaScript and without; the review's personal data page."""

from __future__ import annotations

import pytest

from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.models import Finding
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-personal-data")]
NHS = "943 476 5919"


def flagged_finding(world) -> Finding:
    return collect_actions.add_findings(
        submission=world.submissions["ashby"], by=world.users["connie"],
        findings=[NewFinding(f"A discharge letter for NHS number {NHS} went to the wrong "
                             "practice, and Mrs Edith Barnes waited a week for it.")])[0]


def test_a_lead_redacts_a_flagged_nhs_number_on_the_finding_page(page, world):
    finding = flagged_finding(world)
    base, slug = page.base, world.review.slug
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/")
    problems = {"dashboard": axe_violations(page)}
    page.get_by_role("link", name="Personal data").click()
    page.wait_for_selector("h1:has-text('Personal data')")
    problems["personal data page"] = axe_violations(page)
    page.goto(f"{base}/reviews/{slug}/findings/{finding.id}/")
    assert page.get_by_role("heading", name="Personal data").is_visible()
    problems["finding with flags"] = axe_violations(page)
    page.get_by_role("button", name=f"Redact NHS number {NHS}").click()
    page.wait_for_selector("text=Redacted 1 item of personal data.")
    quote = page.locator("blockquote").inner_text()
    assert "[NHS number]" in quote and NHS not in quote
    problems["after redacting"] = axe_violations(page)
    page.get_by_role("button", name="Keep Name Edith Barnes").click()
    page.wait_for_selector("text=Kept 1 item of personal data")
    problems["after keeping"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
    finding.refresh_from_db()
    assert finding.text.startswith("A discharge letter for NHS number [NHS number] went")


def test_redacting_works_without_javascript_and_a_viewer_never_sees_the_number(
        browser, live_server, world):
    finding = flagged_finding(world)
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    url = f"{live_server.url}/reviews/{world.review.slug}/findings/{finding.id}/"
    sign_in(tab, live_server.url, "ravi")
    tab.goto(url)
    assert NHS not in tab.locator("blockquote").inner_text()
    assert tab.get_by_role("heading", name="Personal data").count() == 0
    context.clear_cookies()
    sign_in(tab, live_server.url, "lena")
    tab.goto(url)
    tab.get_by_role("button", name="Redact all 2 items").click()
    tab.wait_for_selector("text=Redacted 2 items of personal data.")
    assert tab.locator("blockquote").inner_text() == (
        "A discharge letter for NHS number [NHS number] went to the wrong practice, and "
        "Mrs [name] waited a week for it.")
    context.close()
