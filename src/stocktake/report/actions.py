"""State changes for recommendations and publication."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from stocktake.core import audit
from stocktake.core.errors import InvalidInput
from stocktake.report.models import Recommendation, RecommendationStatus
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import Review
from stocktake.reviews.workflow import ReviewStatus


@transaction.atomic
def create_recommendation(
    *, review: Review, text: str, user, number: int | None = None, section: str = "",
    theme=None, owner=None, findings=(), status: str = RecommendationStatus.DRAFT,
) -> Recommendation:
    """Add a recommendation; without a number it takes the next one in the report."""
    text = text.strip()
    if not text:
        raise InvalidInput("A recommendation needs its text")
    if number is None:
        number = (review.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    if review.recommendations.filter(number=number).exists():
        raise InvalidInput(f"Recommendation {number} already exists in {review.slug}")
    recommendation = Recommendation.objects.create(
        review=review, number=number, text=text, section=section, theme=theme, owner=owner,
        status=status,
    )
    if findings:
        recommendation.findings.set(findings)
    audit.record(
        actor=user, verb="recommendation.created", subject=recommendation, review=review,
        number=number,
    )
    return recommendation


@transaction.atomic
def publish_report(*, review: Review, user) -> Review:
    """Publish: the review moves to tracking and its recommendations become agreed."""
    review = review_actions.change_review_status(review=review, status=ReviewStatus.TRACKING, user=user)
    review.recommendations.filter(status=RecommendationStatus.DRAFT).update(
        status=RecommendationStatus.AGREED
    )
    audit.record(actor=user, verb="report.published", subject=review, review=review)
    return review
