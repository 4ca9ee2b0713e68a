"""At 390 px wide (a phone) no page scrolls sideways: wide tables scroll inside their
own focusable, labelled region instead (WCAG 1.4.10 Reflow), and a table's visible
caption is never cut off by that region.

The lead, the reviewer and a contributor each visit every page of the review they
can reach (and the reviews list); every page is also checked with axe.
"""

from __future__ import annotations

import pytest

from stocktake.assess.actions import analyse_review
from stocktake.collect.actions import add_example
from tests.browser.test_collect_journeys import upload_page_violations
from tests.browser.test_journeys import browser, sign_in  # noqa: F401 - browser is a fixture

pytestmark = pytest.mark.browser
WIDTH = 390
# Review pages every persona can reach; {finding}, {run} and {ashby} are filled in below.
SHARED = ["", "findings/", "findings/{finding}/", "examples/", "recommendations/"]
CODING = ["analysis/", "analysis/{run}/", "review-next/", "upload/", "report/",
          "report/appendix/", "report/appendix/case-studies/add/"]
PAGES = {
    "lena": SHARED + CODING + ["participation/", "participation/invite/",
                               "participants/{ashby}/submission/check/",
                               "setup/", "setup/details/", "setup/status/assessing/",
                               "setup/framework/", "setup/framework/theme/add/",
                               "setup/participants/?q=a", "setup/members/"],
    "ravi": SHARED + CODING,
    "connie": SHARED + ["submission/", "participants/{ashby}/submission/check/"],
}
# A file name is one long word: it must wrap rather than widen the examples table.
LONG_SYNOPSIS = "Discharge coordinators met each morning; see NorthfoldDischargeHuddleMinutes2025.txt"


@pytest.fixture
def phone(browser, live_server, world):  # noqa: F811 - the browser fixture
    context = browser.new_context(viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    page.base = live_server.url
    yield page
    context.close()


def overflow(page) -> dict:
    """The document's width, the widest elements that stick out past the viewport, and
    visible table captions cut off by the scrolling region they sit in."""
    return page.evaluate("""width => {
        const wide = [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > width + 0.5
                       && !e.closest('.stocktake-scroll'))
          .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''))
          .slice(0, 5);
        const cut = [...document.querySelectorAll('.stocktake-scroll caption')]
          .filter(c => !c.classList.contains('nhsuk-u-visually-hidden')
                       && c.getBoundingClientRect().width > c.closest('.stocktake-scroll').clientWidth + 0.5)
          .map(c => c.textContent.trim());
        return {scrollWidth: document.documentElement.scrollWidth, wide, cut};
    }""", WIDTH)


def pages_for(name: str, world) -> list[str]:
    lena = world.users["lena"]
    add_example(review=world.review, title="One virtual discharge huddle for the system",
                synopsis=LONG_SYNOPSIS, organisation=world.orgs["ashby"], by=lena,
                domain=world.review.framework.domains.get(key="governance"))
    run = analyse_review(review=world.review, by=lena)
    ashby = world.review.participants.get(organisation=world.orgs["ashby"])
    ids = {"finding": world.findings["ashby"][0].pk, "run": run.pk, "ashby": ashby.pk}
    review = f"/reviews/{world.review.slug}/"
    return ["/"] + [review + path.format(**ids) for path in PAGES[name]]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_review_page_scrolls_sideways_at_390_px(phone, world, name):
    paths = pages_for(name, world)
    sign_in(phone, phone.base, name)
    too_wide, problems, statuses = {}, {}, {}
    for path in paths:
        response = phone.goto(phone.base + path)
        if response.status != 200:
            statuses[path] = response.status
        found = overflow(phone)
        if found["scrollWidth"] > WIDTH or found["cut"]:
            too_wide[path] = found
        # The upload page's one waived rule (see test_collect_journeys); every rule elsewhere.
        if violations := upload_page_violations(phone):
            problems[path] = violations
    assert not statuses, statuses
    assert not too_wide, too_wide
    assert not problems, problems


def test_the_check_sees_a_page_that_scrolls_sideways(phone, world):
    sign_in(phone, phone.base, "lena")
    phone.goto(f"{phone.base}/reviews/{world.review.slug}/")
    phone.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend',"
                   " '<div style=\"width: 900px\">wide</div>')")
    assert overflow(phone)["scrollWidth"] > WIDTH


def test_the_check_sees_a_cut_caption(phone, world):
    sign_in(phone, phone.base, "lena")
    phone.goto(f"{phone.base}/reviews/{world.review.slug}/")
    phone.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend',"
                   " '<div class=\"stocktake-scroll\"><table style=\"width: 900px\">"
                   "<caption>A caption far wider than the phone</caption></table></div>')")
    assert overflow(phone)["cut"] == ["A caption far wider than the phone"]
