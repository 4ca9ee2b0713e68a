"""Follow-up: progress reported on recommendations after publication."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from stocktake.report.models import Recommendation, RecommendationStatus


class Rag(models.TextChoices):
    """Red, amber, green: how the owner rates delivery against the plan ("" not rated)."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class UpdateChannel(models.TextChoices):
    FORM = "form", "Update form"
    LINK = "link", "Emailed link"
    IMPORT = "import", "Imported response document"
    CLI = "cli", "Command line"


class ProgressUpdate(models.Model):
    """One update on a recommendation, kept for ever: the recommendation's history.

    ``organisation``: the system or organisation it is about, where the recommendation
    applies to every system (a status each); empty for the recommendation as a whole.
    "Complete" needs evidence (links or an attachment) or a ``reason`` why there is none.
    ``response``: the imported response it was made from (Collect), if any.
    """

    recommendation = models.ForeignKey(
        "report.Recommendation", on_delete=models.CASCADE, related_name="progress_updates"
    )
    organisation = models.ForeignKey(
        "reviews.Organisation", null=True, blank=True, on_delete=models.PROTECT,
        related_name="progress_updates",
    )
    status = models.CharField(max_length=20, choices=RecommendationStatus.choices)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    note = models.TextField(blank=True)  # the narrative
    evidence_links = models.JSONField(default=list, blank=True)  # URLs
    attachment_path = models.CharField(max_length=500, blank=True)  # relative to MEDIA_ROOT
    attachment_name = models.CharField(max_length=255, blank=True)
    reason = models.TextField(blank=True)  # why "complete" has no evidence
    channel = models.CharField(max_length=10, choices=UpdateChannel.choices,
                               default=UpdateChannel.FORM)
    cycle = models.ForeignKey("track.StocktakeCycle", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="updates")
    response = models.OneToOneField("track.RecommendationResponse", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="update")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["recommendation", "organisation", "-reported_at"])]


class SystemStatus(models.Model):
    """Where a recommendation applies to every system: its current status in one of them.

    Derived from the latest :class:`ProgressUpdate` for that organisation (kept by the
    update action), so registers read one row per system instead of the history.
    """

    recommendation = models.ForeignKey("report.Recommendation", on_delete=models.CASCADE,
                                       related_name="system_statuses")
    organisation = models.ForeignKey("reviews.Organisation", on_delete=models.PROTECT,
                                     related_name="recommendation_statuses")
    status = models.CharField(max_length=20, choices=RecommendationStatus.choices,
                              default=RecommendationStatus.AGREED)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    latest = models.ForeignKey(ProgressUpdate, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recommendation", "organisation"],
                                               name="unique_system_status")]


class ResponseStatus(models.TextChoices):
    """What a response or progress document says of a recommendation.

    The same values as ``collect.importers.RESPONSE_STATUSES`` (a test checks).
    """

    ACCEPTED = "accepted", "Accepted"
    ACCEPTED_IN_PART = "accepted_in_part", "Accepted in part or in principle"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    NOTED = "noted", "Noted"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    UNKNOWN = "unknown", "Status not stated"


class RecommendationResponseQuerySet(models.QuerySet):
    def visible_to(self, access):
        """The responses to recommendations the user may see; unattached ones with the review's
        submitted material (leads and reviewers)."""
        from_recs = Recommendation.objects.visible_to(access).values("pk")
        qs = self.filter(review_id=access.review_id)
        if access.sees_all_submitted:
            return qs
        return qs.filter(recommendation_id__in=from_recs)


class RecommendationResponse(models.Model):
    """One answer to a recommendation, read from a response or progress document.

    Attached to the review's recommendation with the same number (``label``, as the
    document prints it); ``recommendation`` is empty when the review has none such:
    kept, shown and counted, never dropped (docs/adr/0007-recommendation-responses.md).
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="recommendation_responses")
    recommendation = models.ForeignKey(
        "report.Recommendation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="responses",
    )
    label = models.CharField(max_length=40, blank=True)  # the number as the document prints it
    number = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField()
    # Free text that may hold personal data: flagged and hidden by collect.personal_data.
    personal_data_fields = ("text",)
    personal_data_flags = GenericRelation("collect.PersonalDataFlag",
                                          related_query_name="recommendation_response")
    status = models.CharField(max_length=20, choices=ResponseStatus.choices,
                              default=ResponseStatus.UNKNOWN)
    recommendation_text = models.TextField(blank=True)  # the recommendation as quoted there
    source_document = models.ForeignKey(
        "collect.SourceDocument", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="recommendation_responses",
    )
    source_location = models.CharField(max_length=255, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = RecommendationResponseQuerySet.as_manager()

    class Meta:
        ordering = ["imported_at", "id"]

    def __str__(self) -> str:
        return f"Response to {self.label or self.number}: {self.get_status_display()}"
