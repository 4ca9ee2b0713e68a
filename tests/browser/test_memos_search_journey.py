"""Memos and search in a real browser: a reviewer writes a memo on a finding, finds it through
Search (with JavaScript, results swapped in place; and without), edits it and meets another
reviewer's change; axe (WCAG 2.2 AA) on every page visited."""

from __future__ import annotations

import pytest

from stocktake.assess import actions
from stocktake.assess.models import Memo
from tests.browser import test_journeys as journeys
from tests.browser.test_journeys import axe_violations, sign_in

browser = journeys.browser
page = journeys.page
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-memos-search")]


def test_a_reviewer_writes_a_memo_and_finds_it_by_search(page, world):
    base, slug = page.base, world.review.slug
    video = world.findings["ashby"][0]
    sign_in(page, base, "ravi")
    page.goto(f"{base}/reviews/{slug}/findings/{video.pk}/")
    problems = {"finding": axe_violations(page)}
    page.get_by_label("Memo", exact=True).fill(
        "Did the follow-ups by telephone last beyond spring?"
    )
    page.get_by_role("button", name="Save memo").click()
    page.wait_for_selector(f"text=Memo about finding {video.pk} saved.")
    assert Memo.objects.get().finding_id == video.pk
    problems["finding with memo"] = axe_violations(page)

    page.locator("nav[aria-label='This review']").get_by_role("link", name="Search").click()
    page.wait_for_url(f"{base}/reviews/{slug}/search/")
    problems["search"] = axe_violations(page)
    page.get_by_label("Search for").fill("telephone spring")
    page.get_by_role("button", name="Search").click()
    result = page.locator("#results mark", has_text="telephone")
    result.first.wait_for()
    assert page.locator("#results").get_by_text("Memo about finding").count() == 1
    problems["search results"] = axe_violations(page)
    # Changing what to search refreshes the results in place (HTMX).
    page.get_by_label("Search in").select_option(label="Findings")
    page.wait_for_selector("#results >> text=0 results")
    page.get_by_label("Search in").select_option(label="Memos")
    page.wait_for_selector("#results >> text=1 result")
    page.locator("#results").get_by_role("link", name=f"Memo about finding {video.pk}").click()
    page.wait_for_url(f"**/findings/{video.pk}/#memos")

    # Edit it while Lena changes it too: nothing is overwritten.
    page.get_by_role("link", name="Edit memo").click()
    problems["edit"] = axe_violations(page)
    memo = Memo.objects.get()
    actions.update_memo(
        memo=memo,
        text="Lena: ask in the reflection session.",
        by=world.users["lena"],
        expected_revision=memo.revision,
    )
    page.get_by_label("Memo", exact=True).fill("Ravi: ask the outpatients lead.")
    page.get_by_role("button", name="Save memo").click()
    page.wait_for_selector("text=The version saved in the meantime")
    problems["conflict"] = axe_violations(page)
    assert Memo.objects.get().text == "Lena: ask in the reflection session."

    page.goto(f"{base}/reviews/{slug}/memos/")
    problems["memos"] = axe_violations(page)
    assert page.locator("main").get_by_text("Lena: ask in the reflection session.").count() == 1
    assert {k: v for k, v in problems.items() if v} == {}


def test_search_works_without_javascript(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "lena")
    page.goto(f"{live_server.url}/reviews/{world.review.slug}/search/")
    page.get_by_label("Search for").fill('"rest hubs"')
    page.get_by_label("Domain").select_option(label="People")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("text=1 result")
    assert page.locator("#results mark").count() == 2
    context.close()
