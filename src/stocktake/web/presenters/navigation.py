"""Breadcrumbs and the review's own navigation."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from stocktake.reviews.permissions import may_see_sessions
from stocktake.web.presenters.links import review_address, review_url

REVIEW_SECTIONS = [
    ("review", "Dashboard"),
    ("findings", "Findings"),
    ("examples", "Examples"),
    ("recommendations", "Recommendations"),
    ("search", "Search"),
]


def breadcrumbs(review=None, *trail: tuple[str, str]) -> dict:
    """Parameters for the NHS.UK breadcrumb macro: Reviews › review › ``trail``.

    ``trail`` is (text, href) pairs for the pages above the current one; the
    current page itself is never a breadcrumb.
    """
    items = [{"text": "Reviews", "href": reverse("reviews")}]
    if review is not None:
        items.append({"text": review.title, "href": review_url(review.slug)})
    items.extend({"text": text, "href": href} for text, href in trail)
    return {"items": items}


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool


# For leads and reviewers (the code_findings capability).
CODING_SECTIONS = [("analysis", "Analysis"), ("workspace", "Coding"), ("matrix", "Matrix"),
                   ("agreement", "Agreement"), ("memos", "Memos")]


def collect_sections(access) -> list[tuple[str, str]]:
    """The collect pages this user may open: their form, upload, participation, staff
    learning (the questionnaire and the team conversation pack)."""
    sections = []
    if access.own_organisations() and access.has("write_submission"):
        sections.append(("my_submission", "Your submission"))
    if access.has("import_documents"):
        sections.append(("upload", "Upload"))
    if access.has("manage_review"):
        sections.append(("participation", "Participation"))
        sections.append(("review_setup", "Set up"))
    if access.has("import_documents") or (access.own_organisations()
                                          and access.has("write_submission")):
        sections.append(("staff_learning", "Staff learning"))
    return sections


def review_menu(review, access, current: str) -> tuple[NavItem, ...]:
    """The review's menu for this user: the same tabs on every page, from the access alone.

    ``current`` is the URL name of the section this page belongs to (it may match
    no tab, as on a lead's view of a participant's form)."""
    sections = list(REVIEW_SECTIONS)
    if access.has("code_findings"):
        sections.extend(CODING_SECTIONS)
    if may_see_sessions(access):
        sections.append(("sessions", "Sessions"))
    sections.extend(collect_sections(access))
    if access.sees_all_submitted:
        sections.append(("review_report", "Report"))
    return tuple(
        NavItem(text=text, href=review_address(name, review.slug),
                current=name == current)
        for name, text in sections
    )
