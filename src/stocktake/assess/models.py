"""Coding findings to themes: human decisions and machine suggestions, kept apart."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from stocktake.assess.agreement.models import (  # noqa: F401 (Django finds the models here)
    AgreementCoder,
    AgreementExercise,
    AgreementItem,
    AgreementJudgement,
)


class AnalysisRun(models.Model):
    """One run of the analysis over a review, recorded so it can be reproduced and compared.

    queued → running → done, failed or cancelled (see ``assess.actions``). While
    running, ``heartbeat_at`` is touched at every progress step; a run silent for
    longer than ``STOCKTAKE_ANALYSIS_STALE_SECONDS`` has lost its worker
    (``assess.liveness``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    # Runs a worker is still expected to finish; the others never change again.
    ACTIVE = (Status.QUEUED, Status.RUNNING)

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="analysis_runs"
    )
    backend = models.CharField(max_length=60)
    parameters = models.JSONField(default=dict, blank=True)
    seed = models.IntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    finding_count = models.PositiveIntegerField(default=0)
    progress = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the worker last reported: moving to running, and after every progress step.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.backend} run on {self.review} ({self.status})"


class CodeOrigin(models.TextChoices):
    HUMAN = "human", "Reviewer"
    MACHINE = "machine", "Analysis"


class Code(models.Model):
    """A finding coded to a theme.

    Machine suggestions (origin=machine, with a score and the run that made
    them) are stored beside human decisions (origin=human) and never replace
    them; a reviewer's confirmation or rejection is a human code.
    """

    finding = models.ForeignKey(
        "collect.Finding", on_delete=models.CASCADE, related_name="codes"
    )
    theme = models.ForeignKey("reviews.Theme", on_delete=models.PROTECT, related_name="codes")
    origin = models.CharField(max_length=20, choices=CodeOrigin.choices)
    score = models.FloatField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(default=0)
    explanation = models.CharField(max_length=500, blank=True)
    # For human codes: False records a reviewer's rejection of the theme.
    applies = models.BooleanField(default=True)
    analysis_run = models.ForeignKey(
        AnalysisRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="codes"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Reviewers' decisions saved together (one save in the coding workspace, one bulk
    # accept), so they can be undone together; empty for decisions made one at a time.
    batch = models.CharField(max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rank", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "theme", "origin"], name="unique_code_per_origin"
            )
        ]

    def __str__(self) -> str:
        return f"{self.finding_id} → {self.theme.key} ({self.origin})"


class ReviewPriority(models.Model):
    """Where an undecided finding stands in the "Review next" list, set when the analysis runs.

    ``position`` 0 is most worth a reviewer's look (see
    :func:`stocktake.analysis.active.review_order`). Written by
    ``assess.actions`` at the end of a run for findings with no reviewer
    decision; a reviewer's decision (``confirm_code``) removes the finding's row.
    """

    finding = models.OneToOneField("collect.Finding", on_delete=models.CASCADE, primary_key=True,
                                   related_name="review_priority")
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    uncertainty = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["review", "position"])]


class MemoKind(models.TextChoices):
    """What a memo is about: one finding, one theme, one organisation, or the whole review."""

    FINDING = "finding", "Finding"
    THEME = "theme", "Theme"
    ORGANISATION = "organisation", "Organisation"
    REVIEW = "review", "Review"


class MemoQuerySet(models.QuerySet):
    def visible_to(self, access):
        """The memos this user may read: a review's memos are its leads' and reviewers' working
        notes (the ``code_findings`` capability), never shown to contributors, action owners
        or viewers, before or after publication."""
        if not access.has("code_findings"):
            return self.none()
        return self.filter(review_id=access.review_id)


class Memo(models.Model):
    """A reviewer's analytic note (a memo, in the qualitative-analysis sense) about a finding,
    a theme, an organisation or the review itself.

    Written, edited and deleted only through ``assess.actions`` (``add_memo``, ``update_memo``,
    ``delete_memo``); every edit raises ``revision``, and an edit from an older revision is
    refused (``core.edits.check_revision``). Its text is in the review's search index.
    """

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="memos")
    kind = models.CharField(max_length=20, choices=MemoKind.choices)
    finding = models.ForeignKey("collect.Finding", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="memos")
    theme = models.ForeignKey("reviews.Theme", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="memos")
    organisation = models.ForeignKey("reviews.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="memos")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=1)

    objects = MemoQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["review", "kind", "updated_at"])]
        constraints = [
            models.CheckConstraint(
                name="memo_about_its_kind",
                condition=(
                    models.Q(kind="finding", finding__isnull=False, theme__isnull=True,
                             organisation__isnull=True)
                    | models.Q(kind="theme", finding__isnull=True, theme__isnull=False,
                               organisation__isnull=True)
                    | models.Q(kind="organisation", finding__isnull=True, theme__isnull=True,
                               organisation__isnull=False)
                    | models.Q(kind="review", finding__isnull=True, theme__isnull=True,
                               organisation__isnull=True)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Memo on {self.kind} ({self.text[:40]})"
class EmergentRun(models.Model):
    """One clustering of a review's findings into emergent themes, reproducible from its seed.

    queued → running → done or failed (``assess.emergent.actions``). ``include_all``:
    every submitted finding was clustered, not only those fitting no framework theme well.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, related_name="emergent_runs")
    seed = models.IntegerField(default=0)
    include_all = models.BooleanField(default=False)
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    considered = models.PositiveIntegerField(default=0)  # findings clustered
    unclustered = models.PositiveIntegerField(default=0)  # of those, in no theme
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Emergent themes run {self.pk} of {self.review} ({self.status})"


class EmergentTheme(models.Model):
    """A cluster of findings found by an :class:`EmergentRun`, with its readable label.

    ``machine_label`` is the label the run chose; ``label`` is what reviewers call it
    (the same until renamed). ``promoted_to``: the framework theme made from it.
    """

    run = models.ForeignKey(EmergentRun, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveIntegerField()  # 1, 2, … by size at the run; splits get new ones
    label = models.CharField(max_length=200)
    machine_label = models.CharField(max_length=200)
    phrases = models.JSONField(default=list, blank=True)  # other phrases the members share
    cohesion = models.FloatField(default=0.0)
    promoted_to = models.ForeignKey(
        "reviews.Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"],
                                               name="unique_emergent_theme_number")]

    def __str__(self) -> str:
        return self.label


class EmergentMember(models.Model):
    """A finding in an emergent theme; ``position`` 0 is the closest to its centre."""

    theme = models.ForeignKey(EmergentTheme, on_delete=models.CASCADE, related_name="members")
    finding = models.ForeignKey("collect.Finding", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    similarity = models.FloatField(default=0.0)  # cosine to the theme's centre

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["theme", "finding"],
                                               name="unique_emergent_member")]
        indexes = [models.Index(fields=["theme", "position"])]
