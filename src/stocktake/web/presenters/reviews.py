"""The reviews list and the review's heading facts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from stocktake.web.presenters.labels import format_date, review_status_tag, roles_text
from stocktake.web.presenters.links import review_url


@dataclass(frozen=True)
class ReviewSummary:
    title: str
    href: str
    status: dict
    roles: str
    opens: str
    closes: str


def review_summary(review, *, roles: Iterable[str], superuser: bool = False) -> ReviewSummary:
    return ReviewSummary(
        title=review.title,
        href=review_url(review.slug),
        status=review_status_tag(review.status),
        roles=roles_text(roles, superuser=superuser),
        opens=format_date(review.opens_on),
        closes=format_date(review.closes_on),
    )


def review_summaries(reviews: Iterable, *, roles_by_review: Mapping[int, set[str]],
                     superuser: bool = False) -> list[ReviewSummary]:
    return [
        review_summary(r, roles=roles_by_review.get(r.id, set()), superuser=superuser)
        for r in reviews
    ]
