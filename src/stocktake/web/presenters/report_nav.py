"""The report's own pages, shown as a second menu under the review's Report tab.

Each builder page registers its URL name here; a page's link shows only to those with its
capability. Every page of the report uses ``current="review_report"`` in the review menu.
"""

from __future__ import annotations

from django.urls import NoReverseMatch

from stocktake.web.presenters.links import review_address
from stocktake.web.presenters.navigation import NavItem

# (URL name, link text, capability needed; None: whoever may see the report)
REPORT_PAGES = [
    ("review_report", "Draft", None),  # not "Report": the review menu's tab above says that
    ("report_write", "Write", "edit_report"),
    ("report_recommendations", "Edit recommendations", "edit_report"),  # the review tab lists them
    ("report_appendix", "Examples and case studies", "edit_report"),
    ("report_publish", "Publish", "edit_report"),
]


def report_menu(review, access, current: str) -> tuple[NavItem, ...]:
    """The report's pages this user may open; ``current`` is this page's URL name."""
    items = []
    for name, text, capability in REPORT_PAGES:
        if capability and not access.has(capability):
            continue
        try:
            href = review_address(name, review.slug)
        except NoReverseMatch:  # a page not built yet in this checkout
            continue
        items.append(NavItem(text=text, href=href, current=name == current))
    return tuple(items)
