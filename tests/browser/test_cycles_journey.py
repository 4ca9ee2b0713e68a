"""A stocktake in a real browser: a lead starts a cycle, asks the owners, an owner follows the
emailed link, and the lead sees the comparison side by side; axe (WCAG 2.2 AA) on each page."""

from __future__ import annotations

import pytest
from django.core import mail

from stocktake.track import actions as track_actions
from tests.browser import test_journeys as journeys
from tests.browser import test_register_journey as register_journey
from tests.browser.test_journeys import axe_violations, sign_in
from tests.track.cycle_helpers import EVIDENCE, progress, publish, start

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-cycles")]


def test_lead_starts_a_cycle_and_sees_the_comparison(page, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    publish(world)
    world.review.refresh_from_db()
    first = start(world, title="Stocktake 2027")
    progress(world.review.recommendations.get(number=1), "in_progress", world.users["owen"])
    track_actions.close_cycle(cycle=first, by=world.users["lena"])
    base, slug = page.base, world.review.slug
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/recommendations/")
    page.get_by_role("link", name="Stocktake cycles: follow-ups of this report").click()
    problems = {"cycles": axe_violations(page)}
    page.get_by_label("Title").fill("Stocktake 2028")
    page.get_by_label("Opens on").fill("2028-03-01")
    page.get_by_role("button", name="Start the cycle").click()
    page.wait_for_selector("text=There is a problem")
    problems["start, deadline missing"] = axe_violations(page)
    page.get_by_label("Deadline for owners' updates").fill("2028-03-31")
    page.get_by_role("button", name="Start the cycle").click()
    page.wait_for_selector("text=Cycle 2 started")
    problems["cycle 2"] = axe_violations(page)
    page.get_by_role("button", name="Send requests to owners not yet asked").click()
    page.wait_for_selector("text=1 request sent")
    link = mail.outbox[-1].body.split(base)[1].split()[0]
    # The owner follows the link in another session.
    page.context.clear_cookies()
    page.goto(base + link)
    problems["link"] = axe_violations(page)
    page.get_by_role("button", name="Continue to your items").click()
    page.wait_for_selector("text=Your items in Stocktake 2028")
    problems["owner's items"] = axe_violations(page)
    page.get_by_role("link", name="Recommendation 1").click()
    page.wait_for_selector("text=Update progress")
    page.get_by_label("Complete", exact=True).check()
    page.get_by_label("Green").check()
    page.get_by_label("What has been done").fill("One weekly return agreed with the region.")
    page.get_by_label("Evidence links (optional)").fill(EVIDENCE)
    page.get_by_role("button", name="Save update").click()
    page.wait_for_selector("text=One weekly return agreed with the region.")
    # The update form's file drop zone: the project's documented waiver (register journey).
    problems["owner's update"] = register_journey.axe_violations(page)
    assert world.review.recommendations.get(number=1).progress_updates.first().channel == "link"
    page.context.clear_cookies()
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/cycles/2/")
    page.wait_for_selector("text=Since cycle 1")
    assert page.get_by_text("In progress → Complete: 1").count() == 1
    assert page.get_by_text("1 of 2 owner organisations have updated every item").count() == 1
    page.get_by_label("Only what changed").check()
    page.get_by_role("button", name="Show the comparison").click()
    page.wait_for_selector("text=Since cycle 1")
    problems["comparison, changed only"] = axe_violations(page)
    assert page.get_by_text("Keep the rest hubs funded").count() == 0
    assert {k: v for k, v in problems.items() if v} == {}
