"""Every review page shows a persona the same menu: the tabs come from their access alone.

Each persona walks every page they can reach (as in test_persona_walk.py); the
"This review" navigation is read from each page's HTML and must be the same set
of tabs everywhere. Before one helper built every review page, the findings,
finding, examples, recommendations, analysis and review-next pages dropped
Upload and Participation for the lead and Your submission for a contributor.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from stocktake.assess.actions import queue_analysis
from tests.web.crawl import crawl
from tests.web.test_persona_walk import REVIEW, publish

BASE = ["Dashboard", "Findings", "Examples", "Recommendations", "Search"]
CODING = ["Analysis", "Coding", "Matrix", "Agreement", "Memos"]
EXPECTED = {
    "ada": BASE + CODING + ["Sessions", "Upload", "Participation", "Set up", "Staff learning",
                            "Report"],
    "lena": BASE + CODING + ["Sessions", "Upload", "Participation", "Set up", "Staff learning",
                             "Report"],
    "ravi": BASE + CODING + ["Sessions", "Upload", "Staff learning", "Report"],
    "connie": BASE + ["Sessions", "Your submission", "Staff learning"],
    "colin": BASE + ["Sessions", "Your submission", "Staff learning"],
    "owen": BASE,
    "vera": BASE,
}


class _Menu(HTMLParser):
    """The link texts of the first <nav aria-label="This review">, or None without one."""

    def __init__(self):
        super().__init__()
        self.tabs: list[str] | None = None
        self._depth = 0  # >0 while inside the menu
        self._done = False
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "nav" and dict(attrs).get("aria-label") == "This review" and not self._done:
            self._depth, self.tabs = 1, []
        elif self._depth and tag == "nav":
            self._depth += 1
        elif self._depth and tag == "a":
            self._text = []

    def handle_endtag(self, tag):
        if self._depth and tag == "a" and self._text is not None:
            self.tabs.append(" ".join("".join(self._text).split()))
            self._text = None
        elif self._depth and tag == "nav":
            self._depth -= 1
            self._done = self._depth == 0

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def menu(html: str) -> list[str] | None:
    parser = _Menu()
    parser.feed(html)
    return parser.tabs


def review_pages(client, starts=()) -> dict[str, list[str] | None]:
    """The menu of every HTML page under the review that the persona reached."""
    result = crawl(client, ["/", REVIEW, *starts])
    return {url: menu(v.html) for url, v in result.visits.items()
            if url.startswith(REVIEW) and v.status == 200 and v.html
            and not url.startswith(REVIEW + "report/download/")  # the standalone file
            and not url.startswith(REVIEW + "report/draft/")  # the draft in each format
            and not re.match(re.escape(REVIEW) + r"report/v\d+/", url)}  # a version's files


def assert_one_menu(pages: dict, expected: list[str]) -> None:
    assert pages, "the persona reached no review page"
    without = sorted(url for url, tabs in pages.items() if tabs is None)
    assert not without, f"review pages without the review menu: {without}"
    differ = {url: tabs for url, tabs in pages.items() if sorted(tabs) != sorted(expected)}
    assert not differ, f"pages whose menu is not {expected}: {differ}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_review_page_shows_the_persona_the_same_menu(world, login, name):
    lena = world.users["lena"]
    queue_analysis(review=world.review, by=lena)  # so there is a run page to walk
    participants = list(world.review.participants.order_by("pk"))
    starts = [REVIEW + "participation/invite/"] + [
        f"{REVIEW}participants/{p.pk}/submission/check/" for p in participants]
    pages = review_pages(login(world.users[name]), starts)
    assert_one_menu(pages, EXPECTED[name])
    if name == "lena":  # the walk reached every kind of review page
        kinds = {"findings/", "examples/", "recommendations/", "analysis/", "review-next/",
                 "upload/", "participation/", "participation/invite/", "submission/", "report/",
                 "report/publish/", "staff-learning/", "staff-learning/questionnaires/new/"}
        reached = {kind for kind in kinds if any(u.startswith(REVIEW + kind) or
                                                 u.endswith("/" + kind) for u in pages)}
        assert reached == kinds
        assert any(u.rstrip("/").split("/")[-1].isdigit() and "/analysis/" in u for u in pages)


@pytest.mark.parametrize("name", ["vera", "owen", "connie"])
def test_after_publication_the_report_joins_every_menu(world, login, name):
    publish(world)
    pages = review_pages(login(world.users[name]))
    assert_one_menu(pages, [*EXPECTED[name], "Report"])


def test_the_menu_reader_sees_a_missing_tab():
    html = ('<nav aria-label="This review"><ul><li><a href="/a/">Dashboard</a></li>'
            '<li><a href="/b/" aria-current="page"><strong>Findings</strong></a></li></ul></nav>')
    assert menu(html) == ["Dashboard", "Findings"]
    with pytest.raises(AssertionError):
        assert_one_menu({"/x/": menu(html)}, ["Dashboard", "Findings", "Upload"])
    assert menu("<p>no menu</p>") is None
