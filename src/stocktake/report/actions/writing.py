"""Writing the report from its pages and the CLI: several quotes chosen at once.

The single changes (a narrative saved, an observation added, a quote chosen) are in
:mod:`stocktake.report.actions.builder`; this module adds what the writing pages do
in one step, atomically, so a half-done choice is never left behind.
"""

from __future__ import annotations

from django.db import transaction

from stocktake.collect.models import Finding, SubmissionStatus
from stocktake.core import audit
from stocktake.core.errors import InvalidInput
from stocktake.report.actions.builder import choose_quote
from stocktake.report.models import EvidenceQuote
from stocktake.reviews.models import Review

MAX_QUOTES = 50  # chosen at once: more than a section could hold


@transaction.atomic
def choose_quotes(*, review: Review, theme, findings, by) -> list[EvidenceQuote]:
    """Choose these submitted findings as the theme's evidence, in this order, after any
    already chosen ("keep these" on the report's suggestion). All or nothing."""
    findings = list(findings)
    if not findings:
        raise InvalidInput("Choose at least one finding as evidence")
    if len(findings) > MAX_QUOTES:
        raise InvalidInput(f"At most {MAX_QUOTES} quotes can be chosen at once")
    submitted = set(Finding.objects.filter(pk__in=[f.pk for f in findings],
                                           submission__status=SubmissionStatus.SUBMITTED)
                    .values_list("pk", flat=True))
    for finding in findings:
        if finding.pk not in submitted:
            raise InvalidInput(f"Finding {finding.pk} is not from a submitted submission; "
                               "only submitted findings appear in the report")
    quotes = [choose_quote(review=review, theme=theme, finding=f, by=by) for f in findings]
    audit.record(actor=by, verb="report.quotes_kept", subject=review, review=review,
                 theme=theme.key, findings=[f.pk for f in findings])
    return quotes
