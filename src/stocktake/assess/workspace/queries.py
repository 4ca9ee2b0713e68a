"""What the coding workspace reads: the queue, a finding's decision state, recent batches and
what a bulk accept would take. Every query narrows findings the caller already scoped."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet

from stocktake.assess.models import Code, CodeOrigin
from stocktake.assess.queries import next_to_review
from stocktake.collect.models import Finding

COUNT_CAP = 1_000  # "more than 1,000 left": an exact count of a large queue costs too much


def finding_state(finding_id: int) -> str:
    """A short fingerprint of reviewers' decisions on a finding ("undecided" when none): a
    page carries it so that a save can tell whether someone decided meanwhile."""
    rows = sorted(Code.objects.filter(finding_id=finding_id, origin=CodeOrigin.HUMAN)
                  .values_list("theme_id", "applies", "confirmed_at"))
    if not rows:
        return "undecided"
    text = ";".join(f"{t}:{int(a)}:{c.isoformat() if c else ''}" for t, a, c in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _suggested(findings: QuerySet, theme_id: int | None, min_score: float | None) -> QuerySet:
    if theme_id is None and min_score is None:
        return findings
    codes = Code.objects.filter(finding_id=OuterRef("pk"), origin=CodeOrigin.MACHINE)
    if theme_id is not None:
        codes = codes.filter(theme_id=theme_id)
    if min_score is not None:
        codes = codes.filter(score__gte=min_score)
    return findings.filter(Exists(codes))


def undecided(findings: QuerySet) -> QuerySet:
    return findings.exclude(Exists(Code.objects.filter(finding_id=OuterRef("pk"),
                                                       origin=CodeOrigin.HUMAN)))


def queue(*, review, findings: QuerySet, theme_id: int | None = None,
          min_score: float | None = None, skip: tuple[int, ...] = (), limit: int = 1
          ) -> list[Finding]:
    """The next undecided findings in review order (least certain first), narrowed to those
    with a suggestion of ``theme_id`` and/or at ``min_score`` or more, ``skip`` left out."""
    narrowed = _suggested(findings, theme_id, min_score).exclude(pk__in=skip)
    return next_to_review(review=review, findings=narrowed, limit=limit)


def left(findings: QuerySet, theme_id: int | None = None, min_score: float | None = None
         ) -> tuple[int, bool]:
    """How many undecided findings the queue holds, capped: (count, more than the cap)."""
    n = undecided(_suggested(findings, theme_id, min_score))[:COUNT_CAP + 1].count()
    return min(n, COUNT_CAP), n > COUNT_CAP


def bulk_candidates(*, review, findings: QuerySet, min_score: float, theme=None) -> QuerySet:
    """Machine suggestions a bulk accept would turn into decisions, best first."""
    codes = Code.objects.filter(finding__in=undecided(findings), finding__review=review,
                                origin=CodeOrigin.MACHINE, score__gte=min_score)
    if theme is not None:
        codes = codes.filter(theme=theme)
    return codes.order_by("-score", "finding_id", "theme_id")


@dataclass(frozen=True)
class BulkPreview:
    codes: int
    findings: int


def bulk_preview(*, review, findings: QuerySet, min_score: float, theme=None) -> BulkPreview:
    counts = bulk_candidates(review=review, findings=findings, min_score=min_score,
                             theme=theme).order_by().aggregate(
        codes=Count("pk"), findings=Count("finding_id", distinct=True))
    return BulkPreview(codes=counts["codes"], findings=counts["findings"])


@dataclass(frozen=True)
class Batch:
    batch: str
    at: object
    codes: int
    accepted: int
    findings: int
    first_finding: int


def recent_batches(*, review, user, limit: int = 8) -> list[Batch]:
    """The user's latest decisions saved together, newest first, for "Undo"."""
    rows = (Code.objects.filter(finding__review=review, origin=CodeOrigin.HUMAN,
                                confirmed_by=user).exclude(batch="")
            .values("batch").annotate(at=Max("confirmed_at"), codes=Count("pk"),
                                      accepted=Count("pk", filter=Q(applies=True)),
                                      findings=Count("finding_id", distinct=True),
                                      first_finding=Min("finding_id"))
            .order_by("-at")[:limit])
    return [Batch(**row) for row in rows]


def suggestions_of(finding: Finding) -> list[Code]:
    """The machine's suggestions for a finding the caller already fetched through its scope."""
    return list(Code.objects.filter(finding=finding, origin=CodeOrigin.MACHINE))


def decisions_on(finding: Finding) -> list[Code]:
    """Reviewers' decisions on a finding the caller already fetched through its scope."""
    return list(Code.objects.filter(finding=finding, origin=CodeOrigin.HUMAN)
                .select_related("confirmed_by").order_by("theme__position"))
