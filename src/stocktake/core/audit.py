"""Writing audit events. Called from actions, inside their transaction."""

from __future__ import annotations

from typing import Any

from stocktake.core.models import AuditEvent


def record(*, actor, verb: str, subject=None, review=None, **details: Any) -> AuditEvent:
    """Write one audit event for a state change made by ``actor`` (None for the system)."""
    subject_type = subject_id = ""
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = str(subject.pk)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        verb=verb,
        review=review,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
    )
