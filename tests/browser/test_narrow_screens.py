"""At 390 px wide (a phone) no page scrolls sideways: wide tables scroll inside their
own focusable, labelled region instead (WCAG 1.4.10 Reflow)."""

from __future__ import annotations

import pytest

from tests.browser.test_collect_journeys import upload_page_violations
from tests.browser.test_journeys import browser, sign_in  # noqa: F401 - browser is a fixture

pytestmark = pytest.mark.browser
WIDTH = 390
# Pages worth checking for each persona: the dashboard and the findings list are the widest.
PAGES = ["", "findings/", "examples/", "recommendations/", "participation/", "analysis/",
         "review-next/", "upload/"]


@pytest.fixture
def phone(browser, live_server, world):  # noqa: F811 - the browser fixture
    context = browser.new_context(viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    page.base = live_server.url
    yield page
    context.close()


def overflow(page) -> dict:
    """The document's width, and the widest elements that stick out past the viewport."""
    return page.evaluate("""width => {
        const wide = [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > width + 0.5
                       && !e.closest('.stocktake-scroll'))
          .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''))
          .slice(0, 5);
        return {scrollWidth: document.documentElement.scrollWidth, wide};
    }""", WIDTH)


def test_the_lead_never_scrolls_sideways_at_390_px(phone, world):
    sign_in(phone, phone.base, "lena")
    review = f"{phone.base}/reviews/{world.review.slug}/"
    too_wide, problems = {}, {}
    for path in PAGES:
        phone.goto(review + path)
        found = overflow(phone)
        if found["scrollWidth"] > WIDTH:
            too_wide[path or "dashboard"] = found
        # The upload page's one waived rule (see test_collect_journeys); every rule elsewhere.
        if violations := upload_page_violations(phone):
            problems[path or "dashboard"] = violations
    assert too_wide == {}
    assert problems == {}


def test_the_check_sees_a_page_that_scrolls_sideways(phone, world):
    sign_in(phone, phone.base, "lena")
    phone.goto(f"{phone.base}/reviews/{world.review.slug}/")
    phone.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend',"
                   " '<div style=\"width: 900px\">wide</div>')")
    assert overflow(phone)["scrollWidth"] > WIDTH
