"""The report's participation part: which organisations and systems took part."""

from __future__ import annotations

from collections import Counter

from stocktake.collect.models import Finding, SubmissionStatus
from stocktake.report.data import OrganisationRow, Participation
from stocktake.reviews.models import Review
from stocktake.reviews.orgtree import OrgTree


def participation(review: Review, findings: list[Finding], systems: OrgTree) -> Participation:
    """Every invited organisation, whether it submitted, and the systems taking part."""
    submitted_orgs: set[int] = set()
    submissions_submitted = 0
    for org_id in review.submissions.filter(status=SubmissionStatus.SUBMITTED).values_list(
        "participant__organisation_id", flat=True
    ):
        submitted_orgs.add(org_id)
        submissions_submitted += 1
    findings_per_org = Counter(f.organisation_id for f in findings)
    rows = []
    for participant in review.participants.select_related("organisation"):
        org = participant.organisation
        rows.append(OrganisationRow(
            name=org.name, short_name=org.short_name, system=systems.system_name(org.pk),
            submitted=org.pk in submitted_orgs, finding_count=findings_per_org.get(org.pk, 0),
        ))
    rows.sort(key=lambda r: (r.system == "", r.system, r.name))
    taking_part = sorted({r.system for r in rows if r.submitted and r.system}
                         | {systems.system_name(f.organisation_id) for f in findings} - {""})
    return Participation(
        organisations=tuple(rows), invited_count=len(rows), submitted_count=len(submitted_orgs),
        submissions_submitted=submissions_submitted, systems=tuple(taking_part),
        finding_count=len(findings),
    )
