"""The recommendations builder in a real browser, as a lead would use it: add a recommendation
with an owner and a due date, cite two findings from the search, move it, see a mistake
explained; axe (WCAG 2.2 AA) on every page of the builder."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-recommendations")]


def test_lead_adds_a_recommendation_cites_two_findings_and_moves_it(page, world):
    base, slug = page.base, world.review.slug
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/report/recommendations/")
    problems = {"list": axe_violations(page)}
    page.get_by_role("link", name="Add a recommendation", exact=True).click()
    page.wait_for_url("**/report/recommendations/add/")
    problems["add"] = axe_violations(page)

    # A due date that is not a date: one message, what was typed kept.
    page.get_by_label("Recommendation", exact=True).fill("Share one rota tool across the system.")
    page.get_by_label("Theme").select_option(label="Using technology to improve care delivery")
    page.get_by_label("Owner organisation (optional)").fill("NICS")
    page.get_by_label("Lead contact (optional)").fill("Chief digital officer")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save recommendation").click()
    page.wait_for_selector("text=There is a problem")
    assert page.get_by_label("Lead contact (optional)").input_value() == "Chief digital officer"
    problems["add with an error"] = axe_violations(page)
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_role("button", name="Save recommendation").click()
    page.wait_for_url("**/report/recommendations/#recommendation-*")
    assert page.get_by_text("Recommendation 1 added.").count() == 1
    rec = world.review.recommendations.get(text__startswith="Share one rota tool")
    assert (rec.number, rec.owner, rec.due_date) == (1, world.orgs["northfold"],
                                                     dt.date(2026, 3, 31))
    problems["list after adding"] = axe_violations(page)

    page.get_by_role("link", name="Cite findings for recommendation 1").click()
    page.wait_for_url(f"**/report/recommendations/{rec.pk}/evidence/")
    problems["evidence"] = axe_violations(page)
    page.get_by_label("Words in the finding").fill("video")
    page.get_by_role("button", name="Search findings").click()
    page.wait_for_url("**evidence/?q=video**")
    video, hubs, _ = world.findings["ashby"]
    page.get_by_role("button", name=f"Cite finding {video.pk}").click()
    page.wait_for_selector(f"text=Finding {video.pk} cited.")
    page.get_by_label("Words in the finding").fill("rest hubs")
    page.get_by_role("button", name="Search findings").click()
    page.get_by_role("button", name=f"Cite finding {hubs.pk}").click()
    page.wait_for_selector(f"text=Finding {hubs.pk} cited.")
    assert set(rec.findings.all()) == {video, hubs}
    problems["evidence with citations"] = axe_violations(page)

    page.get_by_role("link", name="Back to the recommendations").click()
    page.get_by_role("link", name="Move recommendation 1 to another theme").click()
    page.wait_for_url(f"**/report/recommendations/{rec.pk}/move/")
    problems["move"] = axe_violations(page)
    page.get_by_label("Section").select_option(label="Further recommendations (no theme)")
    page.get_by_role("button", name="Move recommendation").click()
    page.wait_for_selector("text=it is now recommendation 3")
    rec.refresh_from_db()
    assert (rec.theme, rec.number) == (None, 3)

    page.get_by_role("link", name="Edit recommendation 3").click()
    problems["edit"] = axe_violations(page)
    page.goto(f"{base}/reviews/{slug}/report/recommendations/{rec.pk}/delete/")
    problems["delete"] = axe_violations(page)
    page.get_by_role("button", name="Delete recommendation 3").click()
    page.wait_for_selector("text=Recommendation 3 deleted")
    assert not world.review.recommendations.filter(pk=rec.pk).exists()
    assert {k: v for k, v in problems.items() if v} == {}
