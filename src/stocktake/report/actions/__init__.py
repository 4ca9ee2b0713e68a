"""State changes for recommendations and publication, and writing the report out."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import threading
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from stocktake.collect import actions as collect_actions
from stocktake.core import audit
from stocktake.core.edits import apply_changes, check_fields, check_revision
from stocktake.core.errors import InvalidInput
from stocktake.report.actions.publishing import (  # noqa: F401 - stocktake.report.actions.publish_report
    publish_correction,
    publish_report,
    retry_version_build,
)
from stocktake.report.build import build_report
from stocktake.report.models import (
    CaseStudy,
    Recommendation,
    RecommendationStatus,
    RenderedReport,
)
from stocktake.report.queries import report_fingerprint
from stocktake.report.render import render_html
from stocktake.reviews.models import Review


@transaction.atomic
def create_recommendation(
    *, review: Review, text: str, by, number: int | None = None, section: str = "",
    theme=None, owner=None, findings=(), status: str = RecommendationStatus.DRAFT,
    label: str = "", source_document=None, lead_contact: str = "", due_date=None,
) -> Recommendation:
    """Add a recommendation; without a number it takes the next one in the report.

    ``label``: its number as an imported document prints it ("8.12", "2a"), shown instead of
    ``number`` (which orders it and must be unique in the review). ``source_document``: the
    document it was imported from, named beside the label where two documents print the same.
    ``lead_contact`` and ``due_date``: who leads the work at the owner, and by when."""
    text = text.strip()
    if not text:
        raise InvalidInput("A recommendation needs its text")
    if number is None:
        number = (review.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
    if review.recommendations.filter(number=number).exists():
        raise InvalidInput(f"Recommendation {number} already exists in {review.slug}")
    if due_date is not None and not isinstance(due_date, dt.date):
        raise InvalidInput(f"A due date must be a date, not {due_date!r}")
    recommendation = Recommendation.objects.create(
        review=review, number=number, text=text, section=section, theme=theme, owner=owner,
        status=status, label=" ".join(label.split())[:40], source_document=source_document,
        lead_contact=" ".join(str(lead_contact or "").split())[:255], due_date=due_date,
    )
    if findings:
        recommendation.findings.set(findings)
    audit.record(
        actor=by, verb="recommendation.created", subject=recommendation, review=review,
        number=number, label=recommendation.label,
    )
    collect_actions.flag_personal_data(review=review, items=[recommendation], by=by,
                                       subject=recommendation)
    return recommendation


# What editing a recommendation may change; its status moves by publication and progress.
RECOMMENDATION_FIELDS = ("text", "number", "label", "section", "theme", "owner", "findings",
                         "lead_contact", "due_date")


@transaction.atomic
def update_recommendation(*, recommendation: Recommendation, by,
                          expected_revision: int | None = None, **changes) -> Recommendation:
    """Change a recommendation: any of ``RECOMMENDATION_FIELDS``, as keyword arguments.

    The same rules as :func:`create_recommendation`: text is required, a number
    is a whole number of 1 or more not used by another recommendation of the
    review; the theme comes from the review's framework and the cited findings
    from the review. The audit event names the fields that changed.
    """
    check_fields(changes, allowed=RECOMMENDATION_FIELDS, what="a recommendation")
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    check_revision(recommendation, expected_revision, what=f"recommendation {recommendation.number}")
    review = recommendation.review
    if "text" in changes:
        changes["text"] = str(changes["text"] or "").strip()
        if not changes["text"]:
            raise InvalidInput("A recommendation needs its text")
    if "section" in changes:
        changes["section"] = " ".join(str(changes["section"] or "").split())[:255]
    if "number" in changes:
        _check_number(recommendation, changes["number"])
    if "label" in changes:
        changes["label"] = " ".join(str(changes["label"] or "").split())[:40]
    if "lead_contact" in changes:
        changes["lead_contact"] = " ".join(str(changes["lead_contact"] or "").split())[:255]
    if "due_date" in changes and not isinstance(changes["due_date"], dt.date | None):
        raise InvalidInput(f"A due date must be a date, not {changes['due_date']!r}")
    theme = changes.get("theme")
    if theme is not None and theme.framework_id != review.framework_id:
        raise InvalidInput(f"Theme {theme.key!r} is not part of this review's framework")
    findings = changes.pop("findings", None)
    before = {"text": recommendation.text}
    changed = apply_changes(recommendation, changes)
    if findings is not None:
        changed += _cite(recommendation, list(findings))
    if changed:
        recommendation.revision += 1
        recommendation.save()
        audit.record(actor=by, verb="recommendation.updated", subject=recommendation,
                     review=review, number=recommendation.number, fields=sorted(changed))
        if "text" in changed:  # its personal data found again; what a lead kept stays kept
            collect_actions.reflag_personal_data(obj=recommendation, fields=["text"], by=by,
                                                 before=before)
    return recommendation


def _check_number(recommendation: Recommendation, number) -> None:
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise InvalidInput(f"A recommendation's number must be a whole number of 1 or more, "
                           f"not {number!r}")
    taken = (Recommendation.objects.filter(review_id=recommendation.review_id, number=number)
             .exclude(pk=recommendation.pk))
    if taken.exists():
        raise InvalidInput(f"Recommendation {number} already exists in "
                           f"{recommendation.review.slug}")


def _cite(recommendation: Recommendation, findings: list) -> list[str]:
    """Set the findings the recommendation cites; ["findings"] if that changed them."""
    if any(f.review_id != recommendation.review_id for f in findings):
        raise InvalidInput("A recommendation can cite only findings of its own review")
    before = set(recommendation.findings.values_list("pk", flat=True))
    if before == {f.pk for f in findings}:
        return []
    recommendation.findings.set(findings)
    return ["findings"]


@transaction.atomic
def create_case_study(
    *, review: Review, title: str, text: str, by, person: str = "", organisation=None,
    source_document=None, source_location: str = "",
) -> CaseStudy:
    """Store a case study (from an imported document): consent to share it not yet recorded."""
    text = text.strip()
    title = " ".join(title.split())[:255] or " ".join(text.split()[:8])[:255]
    if not text:
        raise InvalidInput("A case study needs its text")
    study = CaseStudy.objects.create(
        review=review, title=title, text=text, person=" ".join(person.split())[:255],
        organisation=organisation, source_document=source_document,
        source_location=source_location[:255],
        created_by=by if getattr(by, "is_authenticated", False) else None)
    # The story and the person's name stay out of the audit trail.
    audit.record(actor=by, verb="case_study.created", subject=study, review=review,
                 source_document=source_document.pk if source_document else None)
    collect_actions.flag_personal_data(review=review, items=[study], by=by, subject=study)
    return study


def write_report(*, review: Review, directory: Path, by) -> Path:
    """Render the report and write it to ``directory/index.html``, replacing it atomically.

    The HTML goes to a temporary file in the same folder first and is then
    moved over ``index.html``, so a reader never sees half a report.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    data = build_report(review)
    html = render_html(data)
    target = directory / "index.html"
    fd, temp_name = tempfile.mkstemp(dir=directory, prefix=".index-", suffix=".html.tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(html)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    with transaction.atomic():
        audit.record(
            actor=by, verb="report.written", subject=review, review=review, path=str(target),
            bytes=len(html.encode("utf-8")), warnings=list(data.warnings), **data.counts,
        )
    return target


@transaction.atomic
def renumber_recommendations(*, review: Review, by) -> dict[int, int]:
    """Number the recommendations 1, 2, 3… in the order the report reads them.

    The report shows theme sections in framework order, then recommendations
    with no theme; within a section, the current numbers keep their order.
    Returns ``{old_number: new_number}`` for those that changed.
    """
    themes = list(review.framework.themes.order_by("position", "id").values_list("pk", flat=True))
    rank = {theme_id: index for index, theme_id in enumerate(themes)}
    recommendations = sorted(
        review.recommendations.select_for_update(),
        key=lambda r: (rank.get(r.theme_id, len(rank)), r.number, r.pk),
    )
    changes = {
        r.number: new for new, r in enumerate(recommendations, start=1) if r.number != new
    }
    if not changes:
        return {}
    # Move every number out of the way first, so the unique constraint never clashes.
    offset = max(r.number for r in recommendations) + len(recommendations) + 1
    for r in recommendations:
        Recommendation.objects.filter(pk=r.pk).update(number=r.number + offset)
    for new, r in enumerate(recommendations, start=1):
        Recommendation.objects.filter(pk=r.pk).update(number=new)
    audit.record(
        actor=by, verb="recommendations.renumbered", subject=review, review=review,
        changes={str(old): new for old, new in sorted(changes.items())},
    )
    return changes


# One lock per review in this process, so concurrent first requests after a
# change build the report once (the others wait, then read what it stored).
_BUILDING: dict[int, threading.Lock] = {}
_BUILDING_GUARD = threading.Lock()


def _lock_for(review_id: int) -> threading.Lock:
    with _BUILDING_GUARD:
        return _BUILDING.setdefault(review_id, threading.Lock())


def _stored(review: Review, fingerprint: str) -> str | None:
    row = RenderedReport.objects.filter(review=review, fingerprint=fingerprint).first()
    return row.html if row else None


def report_html(*, review: Review, by=None) -> str:
    """The review's report page: built once per change of its data, then served as stored.

    The stored page is keyed by :func:`stocktake.report.queries.report_fingerprint`;
    when that no longer matches, the first caller rebuilds and stores it while
    other callers in the process wait for it. The report is the same for everyone
    who may see it (who may is the caller's check). Storing it is a cache write,
    not a change to the review, so no audit event (one would change the fingerprint).
    """
    fingerprint = report_fingerprint(review, today=timezone.localdate())
    if (html := _stored(review, fingerprint)) is not None:
        return html
    with _lock_for(review.pk):
        if (html := _stored(review, fingerprint)) is not None:
            return html  # built by the request we waited for
        html = render_html(build_report(review))
        with transaction.atomic():
            RenderedReport.objects.update_or_create(
                review=review, defaults={"fingerprint": fingerprint, "html": html})
    return html
