"""Stocktake cycles: follow-ups of a review, each asking owners again and compared side by side.

A cycle carries over the review's recommendations and innovations, asks each owner
organisation for an update through a personal emailed link with a deadline
(:class:`UpdateRequest`, hashed token as for invitations, docs/adr/0006), sends
reminders, and is compared with the previous cycle. :class:`CycleEntry` holds each
item's standing in a cycle (status, RAG, decision, adoptions, new evidence), kept up to
date by the update actions while the cycle is open and frozen when it closes, so the
comparison reads one row per item and cycle instead of replaying the history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CycleStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class StocktakeCycle(models.Model):
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="stocktake_cycles")
    number = models.PositiveIntegerField()  # 1 is the first follow-up after publication
    title = models.CharField(max_length=255)
    opens_on = models.DateField()
    deadline = models.DateField()
    # The daily reminder job (`stocktake cycle remind --all-open`) reminds from this date
    # on; None: from the day the cycle opens.
    reminders_from = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=CycleStatus.choices,
                              default=CycleStatus.OPEN)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"],
                                               name="unique_cycle_number")]

    def __str__(self) -> str:
        return self.title


class UpdateRequest(models.Model):
    """A personal link asking an owner organisation's contact for updates in a cycle.

    Only the SHA-256 hash of the token is kept; the link signs the contact in as the
    organisation's action owner for this review, and works until the cycle closes or
    it is revoked. Each reminder sends a new link.
    """

    cycle = models.ForeignKey(StocktakeCycle, on_delete=models.CASCADE,
                              related_name="update_requests")
    organisation = models.ForeignKey("reviews.Organisation", on_delete=models.PROTECT,
                                     related_name="update_requests")
    contact = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="update_requests")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    reminder = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cycle", "organisation"])]


class CycleEntry(models.Model):
    """One item's standing in one cycle: a recommendation (per system where it applies to
    each) or an innovation. Exactly one of ``recommendation`` and ``innovation`` is set."""

    cycle = models.ForeignKey(StocktakeCycle, on_delete=models.CASCADE, related_name="entries")
    recommendation = models.ForeignKey("report.Recommendation", null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="cycle_entries")
    innovation = models.ForeignKey("track.Innovation", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="cycle_entries")
    organisation = models.ForeignKey("reviews.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="cycle_entries")
    status = models.CharField(max_length=20, blank=True)  # a recommendation's status
    rag = models.CharField(max_length=10, blank=True)
    outcome = models.CharField(max_length=20, blank=True)  # an innovation's decision
    adoptions = models.PositiveIntegerField(default=0)
    updates = models.PositiveIntegerField(default=0)  # updates received in this cycle
    evidence = models.PositiveIntegerField(default=0)  # evidence items added in this cycle
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(recommendation__isnull=False, innovation__isnull=True)
                           | models.Q(recommendation__isnull=True, innovation__isnull=False)),
                name="cycle_entry_one_item"),
            models.UniqueConstraint(fields=["cycle", "recommendation", "organisation"],
                                    name="unique_cycle_recommendation_system"),
            models.UniqueConstraint(fields=["cycle", "recommendation"],
                                    condition=models.Q(organisation__isnull=True,
                                                       recommendation__isnull=False),
                                    name="unique_cycle_recommendation"),
            models.UniqueConstraint(fields=["cycle", "innovation"],
                                    condition=models.Q(innovation__isnull=False),
                                    name="unique_cycle_innovation"),
        ]
        indexes = [models.Index(fields=["cycle", "status"])]
