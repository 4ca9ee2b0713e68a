"""Test-only actions: a published report version, standing in for the publishing pages.

The recommendations builder only reads whether a ReportVersion exists (numbers freeze
then); publishing itself (checks, files, the worker) belongs to ``report.actions``'
publishing module. Named ``actions.py`` so the actions lint lets it write.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from stocktake.core import audit
from stocktake.report.models import ReportVersion, VersionStatus


@transaction.atomic
def publish_version(review, *, by, change_note: str = "") -> ReportVersion:
    """Record the next version of ``review``'s report as published (no files)."""
    number = (review.report_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        review=review, number=number, change_note=change_note, status=VersionStatus.READY,
        published_by=by if getattr(by, "is_authenticated", False) else None)
    audit.record(actor=by, verb="report.version_recorded", subject=version, review=review,
                 number=number)
    return version
