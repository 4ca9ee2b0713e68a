"""Cross-cutting models: the audit trail."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One explicit record of a state change, written by an action.

    Actions write these themselves (no signals), so the trail says who did
    what, when, through which action, with the details that matter.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    verb = models.CharField(max_length=80, db_index=True)
    review = models.ForeignKey(
        "reviews.Review", null=True, blank=True, on_delete=models.CASCADE,
        related_name="audit_events",
    )
    subject_type = models.CharField(max_length=80, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        who = self.actor.get_username() if self.actor else "system"
        return f"{self.created_at:%Y-%m-%d %H:%M} {who} {self.verb} {self.subject_type}:{self.subject_id}"
