"""Analysis and coding in a real browser, with axe checks on every new page.

Same set-up as test_journeys.py (Debian's chromium through Playwright, axe-core
from npm; skipped where either is missing).
"""

from __future__ import annotations

import pytest

from tests.assess.test_tasks import run_queue
from tests.browser import test_journeys as journeys

# The same browser and page fixtures and helpers as the other journeys.
browser, page = journeys.browser, journeys.page
axe_violations, sign_in = journeys.axe_violations, journeys.sign_in

# Under pytest-xdist (`--dist loadgroup`) one worker runs the module: one chromium.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-assess-journeys")]


def test_reviewer_analyses_follows_progress_and_codes_with_javascript(page, world):
    base, slug = page.base, world.review.slug
    sign_in(page, base, "ravi")
    page.goto(f"{base}/reviews/{slug}/")
    page.get_by_role("link", name="Analysis").click()
    page.wait_for_url(f"**/reviews/{slug}/analysis/")
    problems = {"analysis": axe_violations(page)}
    page.get_by_label("Seed").fill("11")
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_url("**/analysis/*/")
    assert "Waiting for a worker" in page.content()
    assert page.locator("#run-cancel button").is_visible()
    problems["run queued"] = axe_violations(page)

    run_queue()
    # HTMX polls the status region every 2 s: no reload needed to see the outcome.
    page.locator("#run-status:not([hx-trigger])").wait_for(timeout=15000)
    assert "Done" in page.locator("#run-status").inner_text()
    # The same poll took the Cancel button away (an out-of-band swap).
    page.locator("#run-cancel button").wait_for(state="detached", timeout=5000)
    problems["run done"] = axe_violations(page)

    page.goto(f"{base}/reviews/{slug}/review-next/")
    problems["review next"] = axe_violations(page)

    video = world.findings["ashby"][0]
    page.goto(f"{base}/reviews/{slug}/findings/{video.id}/")
    problems["finding"] = axe_violations(page)
    page.locator("#coding form button").filter(has_text="Confirm").first.click()
    note = page.locator("#coding-note")
    note.wait_for()
    assert "confirmed for this finding" in note.inner_text()
    # Focus moves on htmx:afterSettle, a moment after the note is swapped in.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'coding-note'",
                           timeout=5000)
    assert "Confirmed by a reviewer" in page.locator("#coding").inner_text()
    problems["finding after a decision"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_lead_cancels_a_waiting_run(page, world):
    base, slug = page.base, world.review.slug
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/analysis/")
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_url("**/analysis/*/")
    page.get_by_role("button", name="Cancel run").click()
    page.locator("#run-status:not([hx-trigger])").wait_for(timeout=15000)
    assert "Cancelled" in page.locator("#run-status").inner_text()
    assert "Nothing from it was stored" in page.content()
    assert page.locator("#run-cancel button").count() == 0
    assert axe_violations(page) == []


def test_reviewer_codes_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    sign_in(tab, live_server.url, "lena")
    video = world.findings["ashby"][0]
    tab.goto(f"{live_server.url}/reviews/{world.review.slug}/findings/{video.id}/")
    tab.get_by_label("Add a theme").select_option("staff-wellbeing")
    tab.get_by_role("button", name="Add theme").click()
    tab.wait_for_url("**#coding")
    text = tab.locator("#coding").inner_text()
    assert "Supporting the health and wellbeing of staff" in text
    assert "confirmed for this finding" in text
    tab.get_by_label("Set polarity").select_option("mixed")
    tab.get_by_role("button", name="Save polarity").click()
    tab.wait_for_url("**#polarity")
    assert "Mixed (set by a reviewer)" in tab.content()
    assert tab.locator("#polarity-note").inner_text() == "Polarity set to Mixed."
    # An unknown polarity (a stale form): the error shows by the polarity form, on the
    # finding's page, not on a bare /polarity/ page.
    tab.evaluate("document.querySelector('#polarity option').value = 'furious'")
    tab.get_by_label("Set polarity").select_option(index=0)
    tab.get_by_role("button", name="Save polarity").click()
    tab.wait_for_url("**/findings/*/#polarity")
    assert "Select a polarity from the list" in tab.locator(".nhsuk-error-summary").inner_text()
    context.close()
