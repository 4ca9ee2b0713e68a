"""Short feedback surveys on an innovation, answered by link without signing in.

An editor of the innovation opens a survey for staff or for people who use the service;
the link carries a random token of which only the hash is stored (as invitation links,
:mod:`stocktake.collect.tokens`). Answers become :class:`Feedback` rows. Receipts keep a
salted hash of the sender's address for a day, only to limit how often one address may
answer (docs/adr/0016-evaluation-survey-without-sign-in.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FeedbackSurvey(models.Model):
    innovation = models.ForeignKey("track.Innovation", on_delete=models.CASCADE,
                                   related_name="surveys")
    source = models.CharField(max_length=20)  # FeedbackSource: who it asks
    question = models.CharField(max_length=500)
    second_question = models.CharField(max_length=500, blank=True)
    ask_rating = models.BooleanField(default=True)
    token_hash = models.CharField(max_length=64, unique=True)
    is_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class SurveyReceipt(models.Model):
    """One answer's arrival: a salted hash of the sender's address, kept for a day."""

    survey = models.ForeignKey(FeedbackSurvey, on_delete=models.CASCADE, related_name="receipts")
    sender_hash = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["survey", "sender_hash", "received_at"]),
                   models.Index(fields=["received_at"])]  # clearing old receipts
