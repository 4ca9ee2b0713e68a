"""Double-coding in a real browser: the lead starts an exercise, two reviewers code the sample
blind, see kappa and reconcile a disagreement — with axe (WCAG 2.2 AA) on every page."""

from __future__ import annotations

import pytest

from stocktake.assess.models import Code, CodeOrigin
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-agreement")]


def _code_sample(page, choices: list[list[str]], problems: dict, who: str) -> None:
    page.locator("a.nhsuk-button", has_text="Start coding").click()
    for n, themes in enumerate(choices):
        page.wait_for_selector("h1:has-text('Code this finding')")
        if n == 0:
            problems[f"code ({who})"] = axe_violations(page)
        for theme in themes:
            page.get_by_label(theme, exact=True).check()
        page.get_by_role("button", name="Save and next").click()
    page.wait_for_selector("text=You have coded every finding in the sample")


def test_double_code_a_sample_and_see_kappa(page, world):
    base, root = page.base, f"{page.base}/reviews/{world.review.slug}/agreement/"
    sign_in(page, base, "lena")
    page.goto(root)
    problems = {"agreement": axe_violations(page)}
    page.get_by_role("button", name="Start the exercise").click()
    page.wait_for_selector("text=There is a problem")
    problems["start error"] = axe_violations(page)
    page.get_by_label("Title").fill("Double-coding, spring")
    page.get_by_label("How many findings to sample").fill("3")
    page.get_by_label("Lena Lead").check()
    page.get_by_label("Ravi Reviewer").check()
    page.get_by_role("button", name="Start the exercise").click()
    page.wait_for_selector("h1:has-text('Double-coding, spring')")
    problems["exercise"] = axe_violations(page)
    _code_sample(page, [["Using technology to improve care delivery"], ["Supporting the health and wellbeing of staff"], []], problems, "lena")
    problems["results (one coder)"] = axe_violations(page)

    page.context.clear_cookies()
    sign_in(page, base, "ravi")
    page.goto(root)
    page.locator("table").get_by_role("link", name="Double-coding, spring").click()
    assert "results stay hidden" in page.content()
    _code_sample(page, [["Using technology to improve care delivery"], ["Using technology to improve care delivery"], []], problems, "ravi")
    assert "kappa" in page.content()
    problems["results"] = axe_violations(page)
    page.get_by_role("link", name="Disagreements to reconcile").click()
    problems["disagreements"] = axe_violations(page)
    card = page.locator(".nhsuk-card").first
    card.get_by_label("Supporting the health and wellbeing of staff").check()
    card.get_by_role("button", name="Record the agreed themes").click()
    page.wait_for_selector("text=reconciled")
    assert Code.objects.filter(origin=CodeOrigin.HUMAN, theme__key="staff-wellbeing",
                               applies=True).exists()
    assert {k: v for k, v in problems.items() if v} == {}
