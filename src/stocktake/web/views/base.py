"""What every review page does first: :func:`review_page` finds the review, the user's
access to it, the review's menu and the page's breadcrumbs.

Notices (django messages) are not read here: layout.html shows them on every full
page (see web/presenters/notices.py), so a POST that redirects never swallows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from stocktake.core.errors import NotAllowed
from stocktake.reviews.models import Review
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import Access, access_for
from stocktake.web.presenters.navigation import NavItem, breadcrumbs, review_menu


@dataclass(frozen=True)
class ReviewPage:
    """A review page's review, the user's access, the menu and the breadcrumbs."""

    review: Review
    access: Access
    nav: tuple[NavItem, ...]
    breadcrumbs: dict

    def require(self, capability: str) -> None:
        """403 for members whose role does not allow this (non-members already got a 404)."""
        if not self.access.has(capability):
            raise PermissionDenied(
                f"You do not have permission to {capability.replace('_', ' ')}")

    def context(self, **extra) -> dict:
        """The template context every review page starts from."""
        return {"review": self.review, "access": self.access, "nav": self.nav,
                "breadcrumbs": self.breadcrumbs, **extra}


def review_page(request, slug: str, *, current: str, require: str | None = None,
                trail: Sequence[tuple[str, str]] = (), crumbs: bool = True) -> ReviewPage:
    """The page of review ``slug`` in section ``current`` (a URL name in the menu).

    404 when the user may not see the review; 403 when ``require`` names a
    capability their role lacks. ``trail``: (text, href) breadcrumbs between the
    review and this page; ``crumbs=False`` for the dashboard (Reviews only).
    """
    review, access = review_and_access(request, slug)
    page = ReviewPage(
        review=review, access=access, nav=review_menu(review, access, current),
        breadcrumbs=breadcrumbs(review, *trail) if crumbs else breadcrumbs(),
    )
    if require:
        page.require(require)
    return page


def review_and_access(request, slug: str) -> tuple[Review, Access]:
    """The review and the user's access, or 404 – never 403, so as not to reveal it exists."""
    # Found by slug alone, then the user's roles decide (a user with no role in it lacks
    # view_review, as reviews_visible_to would say): a simpler query than a join through
    # the user's memberships, and one the roles query repeats anyway.
    review = Review.objects.select_related("framework").filter(slug=slug).first()
    if review is None:
        raise Http404("No review found")
    access = access_for(request.user, review)
    try:
        access.require("view_review")
    except NotAllowed:
        raise Http404("No review found") from None
    return review, access


def organisation_tree() -> OrgTree:
    """All organisations (read only): the process's shared tree, one small version query
    (see :meth:`OrgTree.shared`)."""
    return OrgTree.shared()
