"""Follow-up: progress reported on recommendations after publication."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from stocktake.report.models import RecommendationStatus


class ProgressUpdate(models.Model):
    recommendation = models.ForeignKey(
        "report.Recommendation", on_delete=models.CASCADE, related_name="progress_updates"
    )
    status = models.CharField(max_length=20, choices=RecommendationStatus.choices)
    note = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
