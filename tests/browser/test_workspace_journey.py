"""The coding workspace in a real browser, coded with the keyboard alone, with axe (WCAG 2.2 AA)
on every page; and the same save without JavaScript."""

from __future__ import annotations

import pytest

from stocktake.assess.actions import analyse_review
from stocktake.assess.models import Code, CodeOrigin
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-workspace")]


def test_code_with_the_keyboard_bulk_accept_and_undo(page, world):
    analyse_review(review=world.review, by=world.users["lena"])
    base, root = page.base, f"{page.base}/reviews/{world.review.slug}/coding/"
    sign_in(page, base, "ravi")
    page.goto(root)
    problems = {"workspace": axe_violations(page)}
    decided = 0
    while page.locator("form[data-coding-keys]").count():
        page.locator("h1").click()  # focus out of any field: the shortcuts apply
        finding = page.locator("input[name=finding]").get_attribute("value")
        page.keyboard.press("2")  # tick the second theme shown as well
        page.keyboard.press("s")
        page.wait_for_selector(f"text=Finding {finding}: 2 theme(s) applied")
        decided += 1
        assert decided <= 5
    assert decided == 3  # the three submitted findings
    assert "Nothing left in this queue" in page.content()
    problems["empty queue"] = axe_violations(page)
    assert Code.objects.filter(origin=CodeOrigin.HUMAN).values("finding").distinct().count() == 3
    page.keyboard.press("u")  # undo the last save
    page.wait_for_selector("text=Undone")
    assert Code.objects.filter(origin=CodeOrigin.HUMAN).values("finding").distinct().count() == 2
    page.get_by_role("link", name="Accept suggestions in bulk").click()
    page.wait_for_selector("h1:has-text('Accept suggestions in bulk')")
    problems["bulk"] = axe_violations(page)
    page.get_by_label("Confidence at least").fill("0.01")
    page.get_by_role("button", name="Count what would be accepted").click()
    page.get_by_role("button", name="Accept these suggestions").click()
    page.wait_for_selector("text=suggestions accepted")
    assert "Nothing left in this queue" in page.content()
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_workspace_saves_without_javascript(browser, live_server, world):
    analyse_review(review=world.review, by=world.users["lena"])
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "lena")
    page.goto(f"{live_server.url}/reviews/{world.review.slug}/coding/")
    page.get_by_role("button", name="Save and next").click()
    page.wait_for_selector("text=theme(s) applied")
    assert Code.objects.filter(origin=CodeOrigin.HUMAN).exists()
    context.close()
