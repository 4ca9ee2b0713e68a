"""The theme matrix and emergent themes in a real browser, with axe on every page.

Same set-up as test_journeys.py (Debian's chromium through Playwright, axe-core from
npm; skipped where either is missing).
"""

from __future__ import annotations

import pytest

from tests.assess.test_tasks import run_queue
from tests.browser import test_journeys as journeys
from tests.web.test_emergent_pages import add_topics
from tests.web.test_matrix import coded

browser, page = journeys.browser, journeys.page
axe_violations, sign_in = journeys.axe_violations, journeys.sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-matrix-emergent")]


def test_reviewer_drills_down_from_the_matrix(page, world):
    coded(world)
    base, slug = page.base, world.review.slug
    sign_in(page, base, "ravi")
    page.goto(f"{base}/reviews/{slug}/")
    page.get_by_role("link", name="Matrix").click()
    page.wait_for_url(f"**/reviews/{slug}/matrix/")
    problems = {"matrix by system": axe_violations(page)}
    assert "Consistent" in page.content() and "Distinctive" in page.content()
    page.get_by_role("link", name="By domain").click()
    page.wait_for_url("**/matrix/?by=domains")
    problems["matrix by domain"] = axe_violations(page)
    page.get_by_label("By organisation within a system").select_option(
        label="Northfold Integrated Care System"
    )
    page.get_by_role("button", name="Show organisations").click()
    page.wait_for_url("**/matrix/?by=organisations*")
    problems["matrix by organisation"] = axe_violations(page)
    # Drill down: a cell's challenges open the findings list filtered to them.
    page.goto(f"{base}/reviews/{slug}/matrix/")
    page.get_by_role(
        "link",
        name="1 challenge: Supporting the health and wellbeing of staff, Eastmarsh and Deane ICS",
    ).click()
    page.wait_for_url("**/findings/?theme=staff-wellbeing*polarity=challenge*")
    assert "Staff burnout in the community teams" in page.content()
    assert "Rest rooms for night staff" not in page.content()
    problems["findings of a cell"] = axe_violations(page)
    # A phone: the page does not scroll sideways; the table scrolls inside its region.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/reviews/{slug}/matrix/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    problems["matrix on a phone"] = axe_violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_reviewer_runs_renames_and_promotes_an_emergent_theme(page, world):
    add_topics(world)
    base, slug = page.base, world.review.slug
    sign_in(page, base, "lena")
    page.goto(f"{base}/reviews/{slug}/analysis/")
    page.get_by_role("link", name="Emergent themes").click()
    page.wait_for_url(f"**/reviews/{slug}/analysis/emergent/")
    problems = {"emergent themes": axe_violations(page)}
    page.get_by_label("Every finding").check()
    page.get_by_label("Seed").fill("4")
    page.get_by_role("button", name="Find emergent themes").click()
    page.wait_for_url("**/analysis/emergent/*/")
    problems["run queued"] = axe_violations(page)
    run_queue()
    # HTMX polls the page every 2 s and swaps the run's region: the themes appear in place.
    page.locator("#emergent-run:not([hx-trigger])").wait_for(timeout=15000)
    assert page.get_by_role("link", name="Care home visiting", exact=True).count() == 1
    problems["run done"] = axe_violations(page)

    page.get_by_role("link", name="Care home visiting", exact=True).click()
    page.wait_for_url("**/themes/*/")
    problems["theme"] = axe_violations(page)
    page.get_by_label("Name", exact=True).fill("Visiting in care homes")
    page.get_by_role("button", name="Rename").click()
    page.wait_for_url("**/themes/*/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Visiting in care homes")
    problems["theme renamed"] = axe_violations(page)
    page.get_by_role("button", name="Add to the framework").click()
    page.wait_for_url("**/themes/*/")
    assert "added to the framework" in page.content()
    problems["theme promoted"] = axe_violations(page)

    page.goto(f"{base}/reviews/{slug}/matrix/")
    assert page.get_by_role("link", name="Visiting in care homes", exact=True).count() >= 1
    assert {k: v for k, v in problems.items() if v} == {}


def test_emergent_themes_work_without_javascript(browser, live_server, world):
    add_topics(world)
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    sign_in(tab, live_server.url, "ravi")
    tab.goto(f"{live_server.url}/reviews/{world.review.slug}/analysis/emergent/")
    tab.get_by_role("button", name="Find emergent themes").click()
    tab.wait_for_url("**/analysis/emergent/*/")
    run_queue()
    tab.get_by_role("link", name="Refresh").click()
    assert tab.get_by_role("link", name="Virtual ward", exact=True).count() == 1
    context.close()
