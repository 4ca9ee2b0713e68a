"""Which published versions of a report there are, and who may see which (read only).

Leads and reviewers (``view_all_submitted``) see the draft and every version;
everyone else with a role in the review sees only published versions, and of
those only the ones whose files are ready (never the draft).
"""

from __future__ import annotations

from django.db.models import QuerySet

from stocktake.report.models import ReportVersion, VersionStatus
from stocktake.reviews.models import Review
from stocktake.reviews.permissions import Access


def sees_draft(access: Access) -> bool:
    """The draft report (and the versions still being prepared): leads and reviewers."""
    return access.has("view_all_submitted")


def versions_for(review: Review, access: Access) -> QuerySet[ReportVersion]:
    """The versions this user may see, newest first."""
    versions = ReportVersion.objects.filter(review=review).select_related("published_by")
    if sees_draft(access):
        return versions
    if not access.has("view_review"):
        return versions.none()
    return versions.filter(status=VersionStatus.READY)


def has_versions(review: Review) -> bool:
    return ReportVersion.objects.filter(review=review).exists()
