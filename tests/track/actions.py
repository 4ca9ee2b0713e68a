"""Test helpers for the evaluation tests: innovations logged through the register's own
action (without coding them, which the evaluation tests do not need), and receipts aged."""

from __future__ import annotations

from datetime import timedelta

from stocktake.track.actions import innovations
from stocktake.track.models import Innovation


def log_innovation(*, organisation, title: str, what_changed: str, by) -> Innovation:
    return innovations.log_innovation(organisation=organisation, title=title,
                                      what_changed=what_changed, by=by, code=False)


def age_survey_receipts(*, survey, by: timedelta) -> None:
    """Make a survey's receipts look older (tests of their clearing)."""
    for receipt in survey.receipts.all():
        receipt.received_at -= by
        receipt.save(update_fields=["received_at"])
