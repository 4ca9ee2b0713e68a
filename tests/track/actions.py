"""A stand-in for the register's ``log_innovation`` action (built on another branch): the
evaluation tests need innovations to evaluate. Swapped for the real action at merge."""

from __future__ import annotations

from datetime import timedelta

from stocktake.core import audit
from stocktake.track.models import Innovation


def log_innovation(*, organisation, title: str, what_changed: str, by) -> Innovation:
    innovation = Innovation.objects.create(organisation=organisation, title=title,
                                           what_changed=what_changed, logged_by=by)
    audit.record(actor=by, verb="innovation.logged", subject=innovation)
    return innovation


def age_survey_receipts(*, survey, by: timedelta) -> None:
    """Make a survey's receipts look older (tests of their clearing)."""
    for receipt in survey.receipts.all():
        receipt.received_at -= by
        receipt.save(update_fields=["received_at"])
