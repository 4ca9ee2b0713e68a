"""Staff learning: a review's individual online questionnaire, answered by link without
signing in, and the notes of team conversations uploaded from the conversation pack.

A questionnaire's answers become findings of the organisation the respondent chose: each
response is one submitted :class:`~stocktake.collect.models.Submission` (its source), with
no document, so it is coded and analysed like any other. Anonymous responses keep no name,
role or address; a receipt keeps a salted hash of the sender's address for a day, only to
limit how often one address may answer (docs/adr/0017-questionnaire-staff-learning.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from stocktake.reviews.permissions import Access


class Identity(models.TextChoices):
    ANONYMOUS = "anonymous", "Anonymous: no name or role asked"
    NAMED_OPTIONAL = "named_optional", "Named: name and role asked, both optional"
    NAMED_REQUIRED = "named_required", "Named: name and role required"


class QuestionnaireQuerySet(models.QuerySet):
    def visible_to(self, access: Access):
        """Questionnaires (and the names named responses give): the review's leads only."""
        if not access.has("manage_review"):
            return self.none()
        return self.filter(review_id=access.review_id)


class Questionnaire(models.Model):
    """One staff learning questionnaire of a review; its link's token is stored hashed."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="questionnaires")
    title = models.CharField(max_length=200)
    identity = models.CharField(max_length=20, choices=Identity.choices,
                                default=Identity.ANONYMOUS)
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    # [{"domain": domain key or "", "kind": collect SectionKind, "text": the question}]
    questions = models.JSONField(default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    is_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def named(self) -> bool:
        return self.identity != Identity.ANONYMOUS


class QuestionnaireResponse(models.Model):
    """One person's answers: their findings hang off ``submission``. ``name`` and ``role``
    stay empty for an anonymous questionnaire."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="responses")
    submission = models.OneToOneField("collect.Submission", on_delete=models.CASCADE,
                                      related_name="questionnaire_response")
    organisation = models.ForeignKey("reviews.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    number = models.PositiveIntegerField()  # 1, 2, … within the questionnaire
    name = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=120, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "number"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"],
                                               name="unique_response_number")]
        indexes = [models.Index(fields=["questionnaire", "received_at"])]


class QuestionnaireReceipt(models.Model):
    """One answer's arrival: a salted hash of the sender's address, kept for a day."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="receipts")
    sender_hash = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["questionnaire", "sender_hash", "received_at"]),
                   models.Index(fields=["received_at"])]


class TeamNotesQuerySet(models.QuerySet):
    def visible_to(self, access: Access):
        """Leads and reviewers see every team's notes; contributors their organisations'."""
        qs = self.filter(review_id=access.review_id)
        if access.sees_all_submitted:
            return qs
        mine = access.own_organisations()
        return qs.filter(organisation_id__in=mine) if mine else qs.none()


class TeamNotes(models.Model):
    """The notes of one team conversation, uploaded from the pack's Word template: a source
    document whose findings belong to ``organisation``, each located under ``team``."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE,
                               related_name="team_notes")
    organisation = models.ForeignKey("reviews.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    team = models.CharField(max_length=120)
    document = models.OneToOneField("collect.SourceDocument", on_delete=models.CASCADE,
                                    related_name="team_notes")
    findings = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = TeamNotesQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
