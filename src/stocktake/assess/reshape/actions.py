"""Split a finding in two, or merge two findings of one submission into one.

Reviewers' decisions, evidence links and personal-data flags follow the text they
belong to. Every relation that points at a finding must be named in ``MOVED`` or
``DROPPED``: a test fails when one is added without a decision, and until then a
merge is refused rather than losing rows. Audit events name ids, never text.
"""

from __future__ import annotations

from django.db import transaction

from stocktake.assess.agreement.models import AgreementItem
from stocktake.assess.models import Code, CodeOrigin, ReviewPriority
from stocktake.collect.models import Finding, PersonalDataFlag
from stocktake.collect.similarity.actions import findings_changed
from stocktake.core import audit
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.reviews.permissions import access_for

# What a merge does with each relation to the absorbed finding (app.model.field).
MOVED = {
    "assess.agreementitem.finding",  # unless keep is in the same sample (then it goes)
    "assess.memo.finding",
    "assess.code.finding",  # reviewers' decisions; the machine's are dropped (re-analysed)
    "collect.personaldataflag.finding",  # offsets shifted past the kept text
    "collect.example.finding",
    "report.evidencequote.finding",
    "report.recommendation.findings",
    "track.innovation.findings",
}
DROPPED = {
    "assess.reviewpriority.finding",  # the kept finding's place in the queue stands
    # one line of a session's notes made the absorbed finding; the kept one keeps its own
    "reflection.sessionfinding.finding",
    # worked out again for both findings (collect.similarity.actions.findings_changed)
    "collect.similarfinding.finding",
    "collect.similarfinding.neighbour",
}


def relations() -> dict[str, object]:
    """``app.model.field`` -> relation, for every relation pointing at Finding."""
    found = {}
    for rel in Finding._meta.related_objects:
        found[f"{rel.related_model._meta.label_lower}.{rel.field.name}"] = rel
    return found


def unhandled() -> list[str]:
    return sorted(set(relations()) - MOVED - DROPPED)


def _require(finding: Finding, by) -> None:
    if by is not None and not access_for(by, finding.review).has("code_findings"):
        raise NotAllowed("Only the review's leads and reviewers may split or merge findings")


def _tidy(text: str) -> str:
    return " ".join(str(text or "").split())


@transaction.atomic
def split_finding(*, finding: Finding, first: str, second: str, by) -> Finding:
    """Split ``finding`` into ``first`` (kept, with its decisions) and ``second`` (a new finding
    right after it, undecided, so it joins the coding queue). ``first`` + ``second`` must be the
    finding's text, split at one point (spacing aside). Returns the new finding."""
    finding = Finding.objects.select_for_update().select_related("review").get(pk=finding.pk)
    _require(finding, by)
    first, second = _tidy(first), _tidy(second)
    if not first or not second:
        raise InvalidInput("Both parts need some text")
    text = finding.text
    rest = text[len(first):]
    if not text.startswith(first) or _tidy(rest) != second:
        raise InvalidInput("The two parts must together be the finding's text, split at one "
                           "point. To change the wording, edit the finding instead.")
    cut = len(text) - len(rest.lstrip())  # where the second part starts in the old text
    new = Finding.objects.create(
        review=finding.review, submission=finding.submission,
        organisation=finding.organisation, domain=finding.domain, section=finding.section,
        text=second, polarity=finding.polarity, polarity_origin=finding.polarity_origin,
        source_document=finding.source_document,
        source_location=finding.source_location, position=finding.position)
    _move_flags_after(finding, new, cut)
    finding.text = first
    finding.save(update_fields=["text"])
    Code.objects.filter(finding=finding, origin=CodeOrigin.MACHINE).delete()  # stale now
    findings_changed(review_id=finding.review_id, findings=[finding.pk, new.pk])
    audit.record(actor=by, verb="finding.split", subject=finding, review=finding.review,
                 finding=finding.pk, new_finding=new.pk)
    return new


def _move_flags_after(finding: Finding, new: Finding, cut: int) -> None:
    for flag in PersonalDataFlag.objects.filter(finding=finding, field="text", start__gte=cut):
        flag.finding, flag.start, flag.end = new, flag.start - cut, flag.end - cut
        flag.save(update_fields=["finding", "start", "end"])


@transaction.atomic
def merge_findings(*, keep: Finding, absorb: Finding, by) -> Finding:
    """Join ``absorb``'s text onto ``keep``'s and delete ``absorb``: both from one submission.

    ``keep`` keeps its reviewers' decisions; ``absorb``'s are added where ``keep`` has none on
    that theme. Links from examples, evidence, recommendations and innovations move to ``keep``.
    """
    keep = Finding.objects.select_for_update().select_related("review").get(pk=keep.pk)
    absorb = Finding.objects.select_for_update().get(pk=absorb.pk)
    _require(keep, by)
    if unhandled():
        raise InvalidInput("Findings cannot be merged until stocktake knows what to do with "
                           + ", ".join(unhandled()))
    if keep.pk == absorb.pk:
        raise InvalidInput("A finding cannot be merged with itself")
    if keep.submission_id != absorb.submission_id:
        raise InvalidInput("Only findings of the same submission can be merged")
    offset = len(keep.text) + 1
    for flag in PersonalDataFlag.objects.filter(finding=absorb):
        flag.finding = keep
        if flag.field == "text":
            flag.start, flag.end = flag.start + offset, flag.end + offset
        flag.save(update_fields=["finding", "start", "end"])
    _merge_codes(keep, absorb)
    _move_links(keep, absorb)
    keep.text = f"{keep.text} {absorb.text}"
    keep.save(update_fields=["text"])
    absorbed = absorb.pk
    findings_changed(review_id=keep.review_id, findings=[keep.pk, absorbed])
    absorb.delete()
    audit.record(actor=by, verb="finding.merged", subject=keep, review=keep.review,
                 finding=keep.pk, absorbed=absorbed)
    return keep


def _merge_codes(keep: Finding, absorb: Finding) -> None:
    decided = set(Code.objects.filter(finding=keep, origin=CodeOrigin.HUMAN)
                  .values_list("theme_id", flat=True))
    Code.objects.filter(finding=absorb, origin=CodeOrigin.HUMAN).exclude(
        theme_id__in=decided).update(finding=keep)
    Code.objects.filter(finding=keep, origin=CodeOrigin.MACHINE).delete()  # text changed
    ReviewPriority.objects.filter(finding=absorb).delete()


def _move_links(keep: Finding, absorb: Finding) -> None:
    relation = relations()
    sampled = AgreementItem.objects.filter(finding=keep).values("exercise_id")
    AgreementItem.objects.filter(finding=absorb).exclude(exercise_id__in=sampled).update(
        finding=keep)
    for key in ("collect.example.finding", "report.evidencequote.finding", "assess.memo.finding"):
        rel = relation[key]
        rel.related_model._base_manager.filter(**{rel.field.name: absorb}).update(
            **{rel.field.name: keep})
    for recommendation in absorb.recommendations.all():
        recommendation.findings.add(keep)
    for innovation in absorb.innovations.all():
        innovation.findings.add(keep)
