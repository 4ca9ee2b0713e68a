"""The report's numbered recommendations."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q

from stocktake.reviews.models import Role
from stocktake.reviews.permissions import Access


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed, not started"  # published, no progress reported yet
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Complete"
    NOT_PROGRESSED = "not_progressed", "Not progressed"
    SUPERSEDED = "superseded", "Superseded"
    NO_LONGER_RELEVANT = "no_longer_relevant", "No longer relevant"


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
    # Free text that may hold personal data: flagged and hidden by collect.personal_data.
    personal_data_fields = ("text",)
    personal_data_flags = GenericRelation("collect.PersonalDataFlag",
                                          related_query_name="recommendation")
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
    # Who leads the work at the owner organisation (a name, role or team), and when it is due.
    lead_contact = models.CharField(max_length=255, blank=True)
    due_date = models.DateField(null=True, blank=True)
    # Raised by every edit; an edit made from an older revision is refused (core.edits).
    revision = models.PositiveIntegerField(default=1)
    # Tracking: the owner's latest red/amber/green rating, and whether every system reports
    # its own status (track.SystemStatus) rather than one for the whole recommendation.
    rag = models.CharField(max_length=10, blank=True)
    per_system = models.BooleanField(default=False)
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
    # Free text that may hold personal data: flagged and hidden by collect.personal_data.
    personal_data_fields = ("title", "person", "text")
    personal_data_flags = GenericRelation("collect.PersonalDataFlag",
                                          related_query_name="case_study")
    organisation = models.ForeignKey(
        "reviews.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="case_studies",
    )
    text = models.TextField()
    consent_recorded = models.BooleanField(default=False)
    # How consent was given (a form, an email of a date…) and who recorded it when.
    consent_note = models.CharField(max_length=255, blank=True)
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    # Order in the report's case studies appendix; excluded ones stay stored, unpublished.
    position = models.PositiveIntegerField(default=0)
    excluded = models.BooleanField(default=False)
    revision = models.PositiveIntegerField(default=1)
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
        ordering = ["position", "id"]
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


class TextKind(models.TextChoices):
    SUMMARY = "summary", "Summary"  # the report's opening narrative, before the observations
    THEME = "theme", "Theme narrative"
    METHOD = "method", "Method note"  # added to the generated method appendix


class ReportText(models.Model):
    """A narrative the lead and reviewers write: the summary, a theme's narrative, a method note.

    ``source`` is what the writer typed (Markdown: headings, lists, links, emphasis);
    ``html`` is its rendering through :func:`stocktake.core.richtext.to_html`, sanitised,
    and the only form any page or document shows. Raw HTML typed by a user is never kept.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="report_texts")
    kind = models.CharField(max_length=20, choices=TextKind.choices)
    theme = models.ForeignKey("reviews.Theme", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="report_texts")
    source = models.TextField(blank=True)
    html = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "kind", "theme"],
                                    name="unique_report_text"),
            models.UniqueConstraint(fields=["review", "kind"], condition=Q(theme__isnull=True),
                                    name="unique_report_text_without_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.review_id}"


class SummaryObservation(models.Model):
    """One of the report's summary observations: a message and, if tied to a theme, its reach.

    Drafted from the analysis (the consistent messages) and then edited; the number
    of systems and organisations that raised it is counted from the linked theme's
    findings whenever the report is built, so it never goes stale.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="summary_observations")
    theme = models.ForeignKey("reviews.Theme", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="summary_observations")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class EvidenceQuote(models.Model):
    """A finding chosen as supporting evidence in a theme's section of the report.

    While a theme has none chosen, the report suggests quotes itself
    (:func:`stocktake.report.build.themes.select_quotes`).
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="evidence_quotes")
    theme = models.ForeignKey("reviews.Theme", on_delete=models.CASCADE,
                              related_name="evidence_quotes")
    finding = models.ForeignKey("collect.Finding", on_delete=models.CASCADE,
                                related_name="evidence_quotes")
    position = models.PositiveIntegerField(default=0)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "finding"], name="unique_evidence_quote"),
        ]


class VersionStatus(models.TextChoices):
    BUILDING = "building", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ReportVersion(models.Model):
    """A published version of the report, frozen: its files are kept exactly as published.

    Version 1 is the publication; each correction after it is a new version with a
    change note. ``open_checks`` lists what the publish checks still found open, and
    ``override_reason`` why the lead published anyway. ``files`` maps a format
    (html, docx, pdf, data, qdpx) to {"path": relative to MEDIA_ROOT, "sha256", "size"}.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="report_versions")
    number = models.PositiveIntegerField()
    change_note = models.TextField(blank=True)
    override_reason = models.TextField(blank=True)
    open_checks = models.JSONField(default=list, blank=True)
    files = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=VersionStatus.choices,
                              default=VersionStatus.BUILDING)
    message = models.TextField(blank=True)  # why building failed, for the lead
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"],
                                    name="unique_report_version"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of review {self.review_id}"
