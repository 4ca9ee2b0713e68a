"""A stocktake in a real browser: a lead starts a cycle, asks the owners, an owner follows the
emailed link, and the lead sees the comparison side by side; then the example review's
followed-up review tried as its lead, an action owner and a contributor. axe (WCAG 2.2 AA)
on each page."""

from __future__ import annotations

import pytest
from django.core import mail

from stocktake.example_review import load_example_review
from stocktake.track import actions as track_actions
from stocktake.track.models import Innovation, StocktakeCycle
from tests.browser import test_journeys as journeys
from tests.browser import test_register_journey as register_journey
from tests.browser.test_journeys import axe_violations, sign_in
from tests.collect.conftest import EXAMPLES
from tests.personas import PASSWORD
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


def row(page, text: str) -> str:
    return page.locator("tr", has_text=text).first.inner_text()


def test_the_example_stocktake_as_lead_action_owner_and_contributor(page, settings):
    """The demo's 2023 review: cycle 2 (open) against cycle 1 (closed) shows status changes and
    retain/adapt/reject decisions side by side; the lead sets the reminder date and asks a
    named contact; the contact updates through the emailed link with evidence; a contributor
    logs an innovation for their trust."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_example_review(directory=EXAMPLES, by=None, password=PASSWORD)
    base, slug = page.base, "northmere-recovery-2023"
    sign_in(page, base, "lead.hartley")
    page.goto(f"{base}/reviews/{slug}/cycles/")
    problems = {"cycles": axe_violations(page)}
    page.get_by_role("link", name="2. Second stocktake: two years on").click()
    page.wait_for_selector("text=Since cycle 1")
    problems["cycle 2 against 1"] = axe_violations(page)
    moves = page.locator("#moves + ul").inner_text()
    assert "In progress → Not progressed: 1" in moves and "In progress → Superseded: 1" in moves
    assert "Adapt → Retain" in row(page, "Video visits for insulin-dependent patients")
    assert "Not yet decided → Reject" in row(page, "Video speech and language therapy sessions")
    assert "Adapt → Adapt" in row(page, "Home first discharge with therapy on the day")
    assert "Velbrook and Ostley" in page.locator("#by-system + div").inner_text()
    # The lead moves the reminder date: a date after the deadline first.
    deadline = StocktakeCycle.objects.get(review__slug=slug, number=2).deadline
    page.get_by_label("Send reminders from (optional)").fill(deadline.replace(year=deadline.year + 1)
                                                            .isoformat())
    page.get_by_role("button", name="Save the dates").click()
    page.wait_for_selector("text=There is a problem")
    problems["dates, reminders after the deadline"] = axe_violations(page)
    page.get_by_label("Send reminders from (optional)").fill(deadline.isoformat())
    page.get_by_role("button", name="Save the dates").click()
    page.wait_for_selector("text=The dates of cycle 2 were saved")
    assert StocktakeCycle.objects.get(review__slug=slug, number=2).reminders_from == deadline
    # Velbrook owns recommendation 4 and has no action owner: the lead names a contact.
    page.get_by_label("Organisation", exact=True).select_option(
        label="Velbrook Teaching Hospitals NHS Foundation Trust")
    page.get_by_label("Contact's name").fill("Nadia Ferreira")
    page.get_by_label("Contact's email address").fill("nadia.ferreira@example.org")
    page.get_by_role("button", name="Send a personal link").click()
    page.wait_for_selector("text=A personal link was sent to Velbrook")
    problems["link sent"] = axe_violations(page)
    (email,) = mail.outbox
    assert email.to == ["nadia.ferreira@example.org"]
    link = email.body.split(base)[1].split()[0]
    # The contact follows the emailed link, with no password, in a fresh session.
    page.context.clear_cookies()
    page.goto(base + link)
    problems["owner's link"] = axe_violations(page)
    page.get_by_role("button", name="Continue to your items").click()
    page.wait_for_selector("text=Your items in Second stocktake: two years on")
    problems["owner's items"] = axe_violations(page)
    assert "Recommendation 2" not in page.content()  # Saltmere's, not theirs
    page.get_by_role("link", name="Recommendation 4").click()
    page.wait_for_selector("text=Update progress")
    page.get_by_label("Complete", exact=True).check()
    page.get_by_label("Green").check()
    page.get_by_label("What has been done").fill(
        "The theatre passport is accepted by all four trusts since the Saltmere board agreed it.")
    page.get_by_label("Evidence links (optional)").fill(EVIDENCE)
    page.get_by_role("button", name="Save update").click()
    page.wait_for_selector("text=accepted by all four trusts")
    problems["owner's update"] = register_journey.axe_violations(page)  # the drop zone's waiver
    update = (StocktakeCycle.objects.get(review__slug=slug, number=2).updates
              .get(recommendation__number=4, channel="link"))
    assert update.reported_by.email == "nadia.ferreira@example.org"
    assert update.evidence_links == [EVIDENCE]
    # The lead sees it beside cycle 1.
    page.context.clear_cookies()
    sign_in(page, base, "lead.hartley")
    page.goto(f"{base}/reviews/{slug}/cycles/2/")
    assert "Agreed, not started → Complete: 1" in page.locator("#moves + ul").inner_text()
    # A contributor logs an innovation for their trust.
    page.context.clear_cookies()
    sign_in(page, base, "contrib.latchford")
    page.goto(f"{base}/innovations/log/")
    problems["log an innovation"] = axe_violations(page)
    assert page.locator("select#organisation").count() == 0  # theirs is the only one
    assert "Velbrook Teaching Hospitals NHS Foundation Trust" in page.locator("main").inner_text()
    page.get_by_label("Title").fill("Theatre lists shared across trusts at short notice")
    page.get_by_label("What changed").fill(
        "Cancelled theatre sessions are offered to the other trusts' waiting lists the same day.")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2024")
    page.get_by_role("button", name="Log innovation").click()
    page.wait_for_selector("h1:has-text('Innovation logged')")
    problems["innovation logged"] = axe_violations(page)
    logged = Innovation.objects.get(title="Theatre lists shared across trusts at short notice")
    assert logged.organisation.short_name == "VTH"
    assert logged.logged_by.username == "contrib.latchford"
    assert {k: v for k, v in problems.items() if v} == {}
