"""State changes of the report builder: narratives, summary observations, chosen evidence.

Each is atomic, takes the actor as ``by`` and records an audit event that names what
changed, never the words written (narratives can quote people). Edits made from an
older revision are refused (:func:`stocktake.core.edits.check_revision`), so two
reviewers editing one narrative never overwrite each other silently.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from stocktake.analysis.consensus import CONSISTENT
from stocktake.core import audit
from stocktake.core.actors import acting_user
from stocktake.core.edits import check_revision
from stocktake.core.errors import InvalidInput
from stocktake.core.richtext import MAX_SOURCE, to_html
from stocktake.report.models import EvidenceQuote, ReportText, SummaryObservation, TextKind
from stocktake.reviews.models import Review

MAX_OBSERVATION = 2_000  # characters of one summary observation



def _theme_of(review: Review, theme):
    if theme is not None and theme.framework_id != review.framework_id:
        raise InvalidInput(f"Theme {theme.key!r} is not part of this review's framework")
    return theme


@transaction.atomic
def save_report_text(*, review: Review, kind: str, source: str, by, theme=None,
                     expected_revision: int | None = None) -> ReportText:
    """Write the summary narrative, a theme's narrative or the method note (Markdown).

    The source is kept as typed and rendered once to sanitised HTML. An empty source
    clears the narrative (the report falls back to the sentences it writes itself).
    ``expected_revision``: the revision the writer's form showed (0 for a new text).
    """
    if kind not in TextKind.values:
        raise InvalidInput(f"Unknown kind of report text {kind!r}; one of {', '.join(TextKind.values)}")
    if (kind == TextKind.THEME) != (theme is not None):
        raise InvalidInput("A theme's narrative needs its theme, and only it")
    _theme_of(review, theme)
    source = (source or "").replace("\r\n", "\n").strip()
    if len(source) > MAX_SOURCE:
        raise InvalidInput(f"The text is {len(source):,} characters; at most {MAX_SOURCE:,} fit")
    text = (ReportText.objects.select_for_update()
            .filter(review=review, kind=kind, theme=theme).first())
    if text is None:
        if expected_revision not in (None, 0):
            check_revision(ReportText(revision=0), expected_revision, what="this text")
        text = ReportText(review=review, kind=kind, theme=theme, revision=0)
    else:
        check_revision(text, expected_revision, what="this text")
    if text.pk and text.source == source:
        return text
    text.source, text.html = source, to_html(source)
    text.revision += 1
    text.updated_by = acting_user(by)
    text.save()
    audit.record(actor=by, verb="report.text_saved", subject=text, review=review, kind=kind,
                 theme=theme.key if theme else None, characters=len(source),
                 revision=text.revision)
    return text


@transaction.atomic
def draft_summary_observations(*, review: Review, observations, by) -> list[SummaryObservation]:
    """Add a summary observation for each consistent message not yet in the summary.

    ``observations``: the report's theme observations (``build_report(review).observations``).
    Drafted text names the theme and says it was consistent; reviewers then rewrite it.
    Observations already tied to a theme are left as they are.
    """
    have = set(review.summary_observations.exclude(theme=None).values_list("theme__key", flat=True))
    themes = {t.key: t for t in review.framework.themes.all()}
    position = _next_position(review)
    added = []
    for obs in observations:
        if obs.pattern != CONSISTENT or obs.key in have or obs.key not in themes:
            continue
        added.append(SummaryObservation.objects.create(
            review=review, theme=themes[obs.key], position=position,
            text=f"{obs.name} was a consistent message, raised across the systems that took part.",
            updated_by=acting_user(by)))
        position += 1
    if added:
        audit.record(actor=by, verb="report.summary_drafted", subject=review, review=review,
                     added=len(added))
    return added


def _next_position(review: Review) -> int:
    return (review.summary_observations.aggregate(n=Max("position"))["n"] or 0) + 1


def _observation_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput("A summary observation needs its text")
    if len(text) > MAX_OBSERVATION:
        raise InvalidInput(f"A summary observation is at most {MAX_OBSERVATION:,} characters")
    return text


@transaction.atomic
def add_summary_observation(*, review: Review, text: str, by, theme=None) -> SummaryObservation:
    row = SummaryObservation.objects.create(
        review=review, theme=_theme_of(review, theme), text=_observation_text(text),
        position=_next_position(review), updated_by=acting_user(by))
    audit.record(actor=by, verb="report.observation_added", subject=row, review=review,
                 theme=theme.key if theme else None)
    return row


@transaction.atomic
def update_summary_observation(*, observation: SummaryObservation, text: str, by, theme=None,
                               expected_revision: int | None = None) -> SummaryObservation:
    row = SummaryObservation.objects.select_for_update().get(pk=observation.pk)
    check_revision(row, expected_revision, what="this observation")
    row.text = _observation_text(text)
    row.theme = _theme_of(row.review, theme)
    row.revision += 1
    row.updated_by = acting_user(by)
    row.save()
    audit.record(actor=by, verb="report.observation_updated", subject=row, review=row.review,
                 theme=theme.key if theme else None, revision=row.revision)
    return row


@transaction.atomic
def delete_summary_observation(*, observation: SummaryObservation, by) -> None:
    review = observation.review
    audit.record(actor=by, verb="report.observation_deleted", subject=observation, review=review)
    SummaryObservation.objects.filter(pk=observation.pk).delete()


def _move(rows: list, pk: int, offset: int) -> list:
    """``rows`` with the row of ``pk`` moved ``offset`` places (clamped to the ends)."""
    index = next(i for i, row in enumerate(rows) if row.pk == pk)
    row = rows.pop(index)
    rows.insert(max(0, min(len(rows), index + offset)), row)
    return rows


@transaction.atomic
def move_summary_observation(*, observation: SummaryObservation, offset: int, by) -> None:
    """Move an observation up (offset -1) or down (+1) the summary."""
    rows = list(SummaryObservation.objects.select_for_update()
                .filter(review_id=observation.review_id).order_by("position", "id"))
    for position, row in enumerate(_move(rows, observation.pk, offset), start=1):
        if row.position != position:
            SummaryObservation.objects.filter(pk=row.pk).update(position=position)
    audit.record(actor=by, verb="report.observation_moved", subject=observation,
                 review=observation.review, offset=offset)


@transaction.atomic
def choose_quote(*, review: Review, theme, finding, by) -> EvidenceQuote:
    """Add a finding to a theme's supporting evidence (at the end)."""
    _theme_of(review, theme)
    if theme is None:
        raise InvalidInput("Evidence is chosen for a theme")
    if finding.review_id != review.pk:
        raise InvalidInput("Evidence must be a finding of this review")
    existing = EvidenceQuote.objects.filter(theme=theme, finding=finding).first()
    if existing:
        return existing
    position = (EvidenceQuote.objects.filter(review=review, theme=theme)
                .aggregate(n=Max("position"))["n"] or 0) + 1
    quote = EvidenceQuote.objects.create(review=review, theme=theme, finding=finding,
                                         position=position, chosen_by=acting_user(by))
    audit.record(actor=by, verb="report.quote_chosen", subject=quote, review=review,
                 theme=theme.key, finding=finding.pk)
    return quote


@transaction.atomic
def remove_quote(*, quote: EvidenceQuote, by) -> None:
    audit.record(actor=by, verb="report.quote_removed", subject=quote, review=quote.review,
                 theme=quote.theme.key, finding=quote.finding_id)
    EvidenceQuote.objects.filter(pk=quote.pk).delete()


@transaction.atomic
def move_quote(*, quote: EvidenceQuote, offset: int, by) -> None:
    """Move a chosen quote up (offset -1) or down (+1) its theme's evidence."""
    rows = list(EvidenceQuote.objects.select_for_update()
                .filter(theme_id=quote.theme_id).order_by("position", "id"))
    for position, row in enumerate(_move(rows, quote.pk, offset), start=1):
        if row.position != position:
            EvidenceQuote.objects.filter(pk=row.pk).update(position=position)
    audit.record(actor=by, verb="report.quote_moved", subject=quote, review=quote.review,
                 offset=offset)
