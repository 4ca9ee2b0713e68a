"""A double-coding exercise: a random sample of a review's findings coded blind by two or more coders."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AgreementExercise(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="agreement_exercises")
    title = models.CharField(max_length=200)
    seed = models.PositiveIntegerField(default=0)  # the sample is reproducible from it
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class AgreementCoder(models.Model):
    exercise = models.ForeignKey(AgreementExercise, on_delete=models.CASCADE,
                                 related_name="coders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()  # "Coder 1", "Coder 2", …

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "user"], name="unique_agreement_coder"),
        ]


class AgreementItem(models.Model):
    exercise = models.ForeignKey(AgreementExercise, on_delete=models.CASCADE,
                                 related_name="items")
    finding = models.ForeignKey("collect.Finding", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    reconciled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    reconciled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "finding"], name="unique_agreement_item"),
        ]
        indexes = [models.Index(fields=["exercise", "position"])]


class AgreementJudgement(models.Model):
    """One coder's themes (and domain) for one sampled finding, made without seeing anyone else's."""

    item = models.ForeignKey(AgreementItem, on_delete=models.CASCADE, related_name="judgements")
    coder = models.ForeignKey(AgreementCoder, on_delete=models.CASCADE, related_name="judgements")
    themes = models.ManyToManyField("reviews.Theme", blank=True, related_name="+")
    domain = models.ForeignKey("reviews.Domain", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "coder"], name="unique_agreement_judgement"),
        ]
