"""Which material a report may use: submitted findings and examples, and each organisation's system."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from stocktake.assess.counts import data_version
from stocktake.collect.models import Example, Finding, SubmissionStatus
from stocktake.reviews.models import Organisation, OrganisationLevel, Review

# --------------------------------------------------------------------------- queries


def reportable_findings(review: Review) -> QuerySet[Finding]:
    """The review's findings that may appear in a report: submitted ones only, in report order."""
    return (
        Finding.objects.filter(review=review, submission__status=SubmissionStatus.SUBMITTED)
        .select_related("organisation", "domain", "source_document")
        .order_by("organisation__name", "position", "id")
    )


def reportable_examples(review: Review) -> QuerySet[Example]:
    """Examples not tied to a submission, or tied to a submitted one."""
    return (
        Example.objects.filter(review=review)
        .filter(Q(submission__isnull=True) | Q(submission__status=SubmissionStatus.SUBMITTED))
        .select_related("domain", "organisation")
    )


def report_fingerprint(review: Review, *, today: dt.date) -> str:
    """What the review's report was built from: its data version and the date printed on it."""
    return f"{today.isoformat()}|{data_version(review)}"


class SystemIndex:
    """Organisation → its system (itself, if it is a system; None above or outside one).

    Loads the organisation tree once, in one query, and walks parents in memory.
    """

    def __init__(self) -> None:
        self._orgs: dict[int, Organisation] | None = None
        self._cache: dict[int, Organisation | None] = {}

    def _tree(self) -> dict[int, Organisation]:
        if self._orgs is None:
            self._orgs = {o.pk: o for o in Organisation.objects.all()}
        return self._orgs

    def system_of(self, org: Organisation | None) -> Organisation | None:
        if org is None:
            return None
        if org.pk not in self._cache:
            tree = self._tree()
            node, seen, found = tree.get(org.pk, org), set(), None
            while node is not None and node.pk not in seen:
                if node.level == OrganisationLevel.SYSTEM:
                    found = node
                    break
                seen.add(node.pk)
                node = tree.get(node.parent_id) if node.parent_id else None
            self._cache[org.pk] = found
        return self._cache[org.pk]

    def system_name(self, org: Organisation | None) -> str:
        system = self.system_of(org)
        return system.name if system else ""
