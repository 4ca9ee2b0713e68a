"""Setting a review up in a real browser, with axe (WCAG 2.2 AA) on every page: sign in as
staff, create a review, add a theme, add participants (search and a whole system) and a
member, open collection; and the same pages without JavaScript."""

from __future__ import annotations

import pytest

from stocktake.reviews.models import Membership, Participant, Review
from tests.browser import test_journeys as journeys
from tests.browser.test_collect_journeys import upload_page_violations
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-review-setup")]


def test_staff_set_up_a_review_and_open_collection(page, world):
    base = page.base
    sign_in(page, base, "ada")
    page.get_by_role("link", name="Create a review").click()
    page.wait_for_url("**/reviews/new/")
    problems = {"new": axe_violations(page)}
    page.get_by_role("button", name="Create review").click()
    page.wait_for_selector(".nhsuk-error-summary")
    problems["new error"] = axe_violations(page)
    page.get_by_label("Title").fill("Spring 2026 learning review")
    page.get_by_label("Region or system (optional)").select_option(label="Wessex Vale Region")
    page.get_by_label("Collection opens").fill("2026-03-01")
    page.get_by_label("Collection closes").fill("2026-04-30")
    page.get_by_role("button", name="Create review").click()
    page.wait_for_selector("text=You are its lead")
    problems["set up"] = axe_violations(page)
    review = Review.objects.get(slug="spring-2026-learning-review")

    page.get_by_role("link", name="Framework", exact=True).click()
    page.wait_for_selector("h1:has-text('Framework')")
    problems["framework"] = axe_violations(page)
    page.get_by_role("link", name="Add a theme").click()
    problems["add theme"] = axe_violations(page)
    page.get_by_label("Name").fill("Digital inclusion")
    page.get_by_label("Description (optional)").fill("Reaching people without internet access")
    page.get_by_label("Keywords (optional)").fill("digital exclusion\nbroadband")
    page.get_by_role("button", name="Save theme").click()
    page.wait_for_selector("text=Theme “Digital inclusion” added.")
    page.get_by_role("button", name="Move up Digital inclusion").click()
    page.wait_for_selector("text=moved up")
    problems["framework edited"] = axe_violations(page)
    page.get_by_role("link", name="Import the framework from a YAML file").click()
    page.wait_for_selector(".nhsuk-file-upload__drop-zone, .nhsuk-file-upload__choose-files-button")
    problems["import"] = [
        p for p in upload_page_violations(page) if "label-content-name-mismatch" not in p
    ]
    assert review.framework.themes.filter(name="Digital inclusion").exists()

    page.goto(f"{base}/reviews/{review.slug}/setup/participants/")
    problems["participants"] = axe_violations(page)
    page.get_by_label("Search the register by name, acronym or other name").fill("AGH")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Ashby General Hospital NHS Foundation Trust (AGH)").check()
    problems["participants found"] = axe_violations(page)
    page.get_by_role("button", name="Add chosen organisations").click()
    page.wait_for_selector("text=1 organisation added")
    page.get_by_label("System", exact=True).select_option(
        label="Eastmarsh and Deane ICS (1 organisation)"
    )
    page.get_by_role("button", name="Add the system's organisations").click()
    page.wait_for_selector("text=1 organisation added: Brackenford")
    problems["participants added"] = axe_violations(page)
    assert Participant.objects.filter(review=review).count() == 2

    page.goto(f"{base}/reviews/{review.slug}/setup/members/")
    problems["members"] = axe_violations(page)
    page.get_by_label("Email address or username").fill("rita@example.nhs.uk")
    page.get_by_label("Full name (for a new account)").fill("Rita Reviewer")
    page.get_by_label("Reviewer: reads all submitted material", exact=False).check()
    page.get_by_role("button", name="Add member").click()
    page.wait_for_selector("text=added as reviewer")
    problems["member added"] = axe_violations(page)
    assert Membership.objects.filter(review=review, role="reviewer").exists()

    page.goto(f"{base}/reviews/{review.slug}/setup/")
    page.get_by_role("link", name="Open collection").click()
    page.wait_for_selector("text=What this does")
    problems["confirm"] = axe_violations(page)
    page.get_by_role("button", name="Yes, open collection").click()
    page.wait_for_selector("text=is now collecting submissions")
    problems["collecting"] = axe_violations(page)
    review.refresh_from_db()
    assert review.status == "collecting"
    assert {k: v for k, v in problems.items() if v} == {}


def test_set_up_works_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    sign_in(tab, live_server.url, "lena")
    tab.goto(f"{live_server.url}/reviews/new/")
    tab.get_by_label("Title").fill("Quiet review")
    tab.get_by_role("button", name="Create review").click()
    tab.wait_for_selector("text=You are its lead")
    tab.goto(f"{live_server.url}/reviews/quiet-review/setup/framework/theme/add/")
    tab.get_by_label("Name").fill("Estates")
    tab.get_by_role("button", name="Save theme").click()
    tab.wait_for_selector("text=Theme “Estates” added.")
    assert Review.objects.get(slug="quiet-review").framework.themes.filter(name="Estates").exists()
    context.close()
