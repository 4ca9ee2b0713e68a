"""What every review page does first: find the review and the user's access to it."""

from __future__ import annotations

from django.http import Http404

from stocktake.core.errors import NotAllowed
from stocktake.reviews.models import Review
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import Access, access_for, reviews_visible_to


def review_and_access(request, slug: str) -> tuple[Review, Access]:
    """The review and the user's access, or 404 – never 403, so as not to reveal it exists."""
    review = reviews_visible_to(request.user).select_related("framework").filter(slug=slug).first()
    if review is None:
        raise Http404("No review found")
    access = access_for(request.user, review)
    try:
        access.require("view_review")
    except NotAllowed:
        raise Http404("No review found") from None
    return review, access


def organisation_tree() -> OrgTree:
    """All organisations, once per request (a region has a few hundred): one query."""
    return OrgTree.load()
