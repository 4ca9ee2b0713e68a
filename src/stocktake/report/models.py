"""The report's numbered recommendations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from stocktake.reviews.models import Role
from stocktake.reviews.permissions import Access


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    NOT_PROGRESSED = "not_progressed", "Not progressed"
    SUPERSEDED = "superseded", "Superseded"


class RecommendationQuerySet(models.QuerySet):
    def visible_to(self, access: Access):
        qs = self.filter(review_id=access.review_id)
        if access.sees_all_submitted:
            return qs
        owned = access.own_organisations(Role.ACTION_OWNER)
        if owned:
            return qs.filter(Q(owner_id__in=owned))
        return qs.none()


class Recommendation(models.Model):
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveIntegerField()
    # The number as the source document prints it ("8.12", "2a", "R3"); "" when it is `number`.
    label = models.CharField(max_length=40, blank=True)
    text = models.TextField()
    section = models.CharField(max_length=255, blank=True)
    theme = models.ForeignKey(
        "reviews.Theme", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    owner = models.ForeignKey(
        "reviews.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="owned_recommendations",
    )
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.DRAFT
    )
    findings = models.ManyToManyField("collect.Finding", blank=True, related_name="recommendations")
    # The document it was imported from (None: typed in); named where printed labels collide.
    source_document = models.ForeignKey(
        "collect.SourceDocument", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="unique_recommendation_number")
        ]

    def __str__(self) -> str:
        return f"{self.shown_number}. {self.text[:60]}"

    @property
    def shown_number(self) -> str:
        """The number to show: as the source printed it, else the report's own number."""
        return self.label or str(self.number)


class CaseStudyQuerySet(models.QuerySet):
    def visible_to(self, access: Access):
        """Leads and reviewers see every case study; others only those with consent recorded."""
        qs = self.filter(review_id=access.review_id)
        if access.has("view_all_submitted"):
            return qs
        # Others see a case study only once consent to share it is recorded.
        return qs.filter(consent_recorded=True) if access.sees_all_submitted else qs.none()


class CaseStudy(models.Model):
    """A personal or organisational story told at length (never a best-practice example).

    Stored as imported; consent to publish is not recorded until someone says so
    (``consent_recorded``), so the report may not quote it until then.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="case_studies")
    title = models.CharField(max_length=255)
    person = models.CharField(max_length=255, blank=True)  # name or role, as printed
    organisation = models.ForeignKey(
        "reviews.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="case_studies",
    )
    text = models.TextField()
    consent_recorded = models.BooleanField(default=False)
    source_document = models.ForeignKey(
        "collect.SourceDocument", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="case_studies",
    )
    source_location = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title


class RenderedReport(models.Model):
    """The report page as last built, and the fingerprint of the data it was built from.

    Derived data, not a record of anything: ``report.actions.report_html`` serves
    it while the fingerprint (``report.queries.report_fingerprint``) still
    matches, and rebuilds it once when it does not.
    """

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, primary_key=True,
                                  related_name="+")
    fingerprint = models.CharField(max_length=200)
    html = models.TextField()
    built_at = models.DateTimeField(auto_now=True)
