"""The report's participation part: which organisations and systems took part."""

from __future__ import annotations

from collections import Counter

from stocktake.collect.models import Finding, Invitation, InvitationKind, SubmissionStatus
from stocktake.report.data import OrganisationRow, Participation
from stocktake.reviews.models import Review
from stocktake.reviews.orgtree import OrgTree


def participation(review: Review, findings: list[Finding], systems: OrgTree) -> Participation:
    """Every participating organisation, whether it was invited and whether it submitted,
    and the systems taking part. Invited means a participant marked invited or sent an
    invitation email; an organisation whose file was imported may not have been."""
    submitted_orgs: set[int] = set()
    submissions_submitted = 0
    for org_id in review.submissions.filter(status=SubmissionStatus.SUBMITTED).values_list(
        "participant__organisation_id", flat=True
    ):
        submitted_orgs.add(org_id)
        submissions_submitted += 1
    findings_per_org = Counter(f.organisation_id for f in findings)
    sent_to = set(Invitation.objects.filter(review=review, kind=InvitationKind.INVITATION,
                                            sent_at__isnull=False)
                  .values_list("participant_id", flat=True))
    rows = []
    for participant in review.participants.select_related("organisation"):
        org = participant.organisation
        rows.append(OrganisationRow(
            name=org.name, short_name=org.short_name, system=systems.system_name(org.pk),
            submitted=org.pk in submitted_orgs, finding_count=findings_per_org.get(org.pk, 0),
            invited=participant.invited_at is not None or participant.pk in sent_to,
        ))
    rows.sort(key=lambda r: (r.system == "", r.system, r.name))
    taking_part = sorted({r.system for r in rows if r.submitted and r.system}
                         | {systems.system_name(f.organisation_id) for f in findings} - {""})
    return Participation(
        organisations=tuple(rows), invited_count=sum(r.invited for r in rows),
        submitted_count=len(submitted_orgs),
        submitted_uninvited=sum(1 for r in rows if r.submitted and not r.invited),
        submissions_submitted=submissions_submitted, systems=tuple(taking_part),
        finding_count=len(findings),
    )
