"""State changes of emergent themes: run a clustering (in the background, seeded), rename,
merge, split and promote a theme to the framework.

Permission checks belong to the caller (the pages let leads and reviewers, as for the
analysis); these actions check that the data fit together.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from stocktake.analysis.emergent import emergent_themes, split_in_two
from stocktake.analysis.phrases import Background, label_phrases
from stocktake.assess.models import (
    Code,
    CodeOrigin,
    EmergentMember,
    EmergentRun,
    EmergentTheme,
)
from stocktake.collect.models import Finding, SubmissionStatus
from stocktake.core import audit
from stocktake.core.actors import acting_user
from stocktake.core.errors import InvalidInput
from stocktake.reviews.actions import add_theme
from stocktake.reviews.models import Review, Theme

# Other phrases the members share, kept beside the label.
PHRASES = 4
LABEL_MAX = 200


def review_findings(review: Review) -> list[tuple[int, str]]:
    """(id, text) of the review's submitted findings — what leads and reviewers see — by id."""
    return list(
        Finding.objects.filter(review=review, submission__status=SubmissionStatus.SUBMITTED)
        .order_by("id")
        .values_list("id", "text")
    )


@transaction.atomic
def queue_emergent_themes(
    *, review: Review, by, seed: int = 0, include_all: bool = False
) -> EmergentRun:
    """Record a queued :class:`EmergentRun` and put it on the background task queue.

    The worker runs :func:`cluster_review` on it. InvalidInput while another run of this
    review waits for a worker, or for a seed outside a 32-bit whole number.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**31:
        raise InvalidInput("The seed is a whole number from 0 to 2147483647")
    if EmergentRun.objects.filter(review=review, status=EmergentRun.Status.QUEUED).exists():
        raise InvalidInput("An emergent themes run of this review is already waiting to start")
    run = EmergentRun.objects.create(
        review=review, seed=seed, include_all=include_all, created_by=acting_user(by)
    )
    result = run_emergent_themes.enqueue(run.pk)
    audit.record(
        actor=by,
        verb="emergent.queued",
        subject=run,
        review=review,
        seed=seed,
        include_all=include_all,
        task=str(result.id),
    )
    run.refresh_from_db()  # an immediate backend (a test setting) has already run it
    return run


@task()
def run_emergent_themes(run_id: int) -> str:
    """The background task: cluster the review of queued run ``run_id``; its final status."""
    run = EmergentRun.objects.select_related("review", "created_by").get(pk=run_id)
    if run.status != EmergentRun.Status.QUEUED:
        return run.status
    cluster_review(run=run, by=run.created_by)
    return run.status


@dataclass(frozen=True)
class _Planned:
    label: str
    machine_label: str
    phrases: list[str]
    cohesion: float
    members: list[tuple[int, float]]  # finding id, closeness


def cluster_review(*, run: EmergentRun, by) -> EmergentRun:
    """Cluster the review's findings for queued ``run`` and store its themes (or fail it).

    Which findings: every submitted finding with ``include_all``; otherwise those whose
    top machine suggestion scores below the analysis library's fit threshold (every
    finding when the review has not been analysed). Nothing is stored unless it all
    worked: the run ends *done* with its themes, or *failed* with the message.
    """
    claimed = EmergentRun.objects.filter(pk=run.pk, status=EmergentRun.Status.QUEUED).update(
        status=EmergentRun.Status.RUNNING
    )
    run.refresh_from_db()
    if not claimed:
        return run
    try:
        planned, result, everything = _plan(run)
        _store(run, by, planned, result, everything)
    except Exception as exc:
        _fail(run, by, str(exc) or exc.__class__.__name__)
        raise
    return run


def _plan(run: EmergentRun):
    rows = review_findings(run.review)
    ids, texts = [r[0] for r in rows], [r[1] for r in rows]
    top = dict(
        Code.objects.filter(
            finding__review=run.review, origin=CodeOrigin.MACHINE, rank=0
        ).values_list("finding_id", "score")
    )
    everything = run.include_all or not top
    scores = None if everything else [top.get(i, 0.0) or 0.0 for i in ids]
    result = emergent_themes(texts, top_scores=scores, include_all=everything, seed=run.seed)
    background = Background(texts)
    planned = []
    for theme in result.themes:
        label, phrases = labelled(
            [texts[m] for m in theme.members], background, fallback=theme.label
        )
        planned.append(
            _Planned(
                label=label,
                machine_label=label,
                phrases=phrases,
                cohesion=theme.cohesion,
                members=[(ids[m], c) for m, c in zip(theme.members, theme.closeness, strict=True)],
            )
        )
    return planned, result, everything


def labelled(
    member_texts: list[str], background: Background, *, fallback: str
) -> tuple[str, list[str]]:
    """A group's label (its best noun phrase, else ``fallback``) and its other phrases."""
    phrases = [p.text for p in label_phrases(member_texts, background, limit=PHRASES + 1)]
    if not phrases:  # nothing shared widely enough: the most distinctive phrase of any one
        phrases = [p.text for p in label_phrases(member_texts, background, limit=1, min_findings=1)]
    if not phrases:
        return (fallback or "Unnamed theme")[:LABEL_MAX], []
    return phrases[0][:LABEL_MAX], phrases[1:]


@transaction.atomic
def _store(run: EmergentRun, by, planned: list[_Planned], result, everything: bool) -> None:
    for number, plan in enumerate(planned, start=1):
        theme = EmergentTheme.objects.create(
            run=run,
            number=number,
            label=plan.label,
            machine_label=plan.machine_label,
            phrases=plan.phrases,
            cohesion=plan.cohesion,
        )
        EmergentMember.objects.bulk_create(
            [
                EmergentMember(
                    theme=theme, finding_id=finding_id, position=position, similarity=closeness
                )
                for position, (finding_id, closeness) in enumerate(plan.members)
            ],
            batch_size=1000,
        )
    now = timezone.now()
    run.status, run.finished_at = EmergentRun.Status.DONE, now
    run.considered, run.unclustered = len(result.considered), len(result.unclustered)
    run.parameters = {**result.parameters, "include_all": everything}
    run.message = f"{len(planned)} themes from {run.considered} findings" + (
        "" if everything else " that fit no framework theme well"
    )
    run.save(
        update_fields=[
            "status",
            "finished_at",
            "considered",
            "unclustered",
            "parameters",
            "message",
        ]
    )
    audit.record(
        actor=by,
        verb="emergent.completed",
        subject=run,
        review=run.review,
        seed=run.seed,
        themes=len(planned),
        considered=run.considered,
    )


def _fail(run: EmergentRun, by, message: str) -> None:
    EmergentRun.objects.filter(pk=run.pk).update(
        status=EmergentRun.Status.FAILED, message=message[:2000], finished_at=timezone.now()
    )
    run.refresh_from_db()
    audit.record(
        actor=by, verb="emergent.failed", subject=run, review=run.review, message=message[:200]
    )


def _check_label(label: str) -> str:
    label = " ".join(str(label or "").split())
    if not label or len(label) > LABEL_MAX:
        raise InvalidInput(f"A theme's name is 1 to {LABEL_MAX} characters")
    return label


@transaction.atomic
def rename_emergent_theme(*, theme: EmergentTheme, label: str, by) -> EmergentTheme:
    """Give an emergent theme the name reviewers call it by (the machine's label is kept)."""
    label = _check_label(label)
    theme.label = label
    theme.revision += 1
    theme.save(update_fields=["label", "revision"])
    audit.record(
        actor=by,
        verb="emergent.renamed",
        subject=theme,
        review=theme.run.review,
        run=theme.run_id,
        number=theme.number,
    )
    return theme


@transaction.atomic
def merge_emergent_themes(*, keep: EmergentTheme, absorb: EmergentTheme, by) -> EmergentTheme:
    """Move ``absorb``'s findings into ``keep`` (after its own) and remove ``absorb``."""
    if keep.run_id != absorb.run_id:
        raise InvalidInput("Only themes of the same run can be merged")
    if keep.pk == absorb.pk:
        raise InvalidInput("Choose another theme to merge with")
    if absorb.promoted_to_id:
        raise InvalidInput(
            f"“{absorb.label}” is already a framework theme: merge the other one into it instead"
        )
    have = set(keep.members.values_list("finding_id", flat=True))
    start = (keep.members.aggregate(n=Max("position"))["n"] or 0) + 1
    moved = [m for m in absorb.members.order_by("position", "id") if m.finding_id not in have]
    EmergentMember.objects.bulk_create(
        [
            EmergentMember(
                theme=keep, finding_id=m.finding_id, position=start + i, similarity=m.similarity
            )
            for i, m in enumerate(moved)
        ],
        batch_size=1000,
    )
    number = absorb.number
    absorb.delete()
    keep.revision += 1
    keep.save(update_fields=["revision"])
    audit.record(
        actor=by,
        verb="emergent.merged",
        subject=keep,
        review=keep.run.review,
        run=keep.run_id,
        number=keep.number,
        absorbed=number,
        moved=len(moved),
    )
    return keep


@transaction.atomic
def split_emergent_theme(*, theme: EmergentTheme, by) -> tuple[EmergentTheme, EmergentTheme]:
    """Re-cluster a theme's findings into two (seeded by the run's seed), each labelled anew.

    The theme keeps the larger half (and its name, if reviewers renamed it); the other half
    becomes a new theme of the run. InvalidInput for fewer than four findings, or a theme
    already promoted to the framework.
    """
    if theme.promoted_to_id:
        raise InvalidInput(f"“{theme.label}” is already a framework theme and cannot be split")
    members = list(theme.members.order_by("position", "id").select_related("finding"))
    if len(members) < 4:
        raise InvalidInput("A theme needs at least four findings to be split in two")
    texts = [m.finding.text for m in members]
    first, second = split_in_two(texts, seed=theme.run.seed)
    background = Background([text for _, text in review_findings(theme.run.review)])
    number = (theme.run.themes.aggregate(n=Max("number"))["n"] or 0) + 1
    renamed = theme.label != theme.machine_label
    label, phrases = labelled([texts[i] for i in first], background, fallback=theme.label)
    new_label, new_phrases = labelled(
        [texts[i] for i in second], background, fallback=f"{theme.label} (part 2)"
    )
    other = EmergentTheme.objects.create(
        run=theme.run,
        number=number,
        label=new_label,
        machine_label=new_label,
        phrases=new_phrases,
        cohesion=theme.cohesion,
    )
    moving = [members[i] for i in second]
    EmergentMember.objects.filter(pk__in=[m.pk for m in moving]).delete()
    EmergentMember.objects.bulk_create(
        [
            EmergentMember(
                theme=other, finding_id=m.finding_id, position=i, similarity=m.similarity
            )
            for i, m in enumerate(moving)
        ],
        batch_size=1000,
    )
    for position, i in enumerate(first):  # close the gaps the other half left
        EmergentMember.objects.filter(pk=members[i].pk).update(position=position)
    theme.machine_label, theme.phrases = label, phrases
    if not renamed:
        theme.label = label
    theme.revision += 1
    theme.save(update_fields=["label", "machine_label", "phrases", "revision"])
    audit.record(
        actor=by,
        verb="emergent.split",
        subject=theme,
        review=theme.run.review,
        run=theme.run_id,
        number=theme.number,
        new_number=number,
        kept=len(first),
        moved=len(second),
    )
    return theme, other


@transaction.atomic
def promote_emergent_theme(
    *, theme: EmergentTheme, by, name: str = "", description: str = ""
) -> Theme:
    """Make a framework theme of an emergent theme and suggest it for each of its findings.

    The theme is added to the review's framework (``reviews.actions.add_theme``; named
    ``name`` or the emergent theme's label, its phrases as keywords so the next analysis
    knows it). Each member finding gets it as a machine suggestion: its top suggestion
    when the analysis suggested nothing for the finding, else the next one down — so a
    reviewer confirms or rejects it like any other. InvalidInput if already promoted.
    """
    if theme.promoted_to_id:
        raise InvalidInput(
            f"“{theme.label}” is already the framework theme “{theme.promoted_to.name}”"
        )
    run = theme.run
    review = run.review
    created = add_theme(
        framework=review.framework,
        name=name or theme.label,
        by=by,
        description=description or f"Emerged from the findings of {review.title}.",
        keywords=[theme.label, *theme.phrases],
        review=review,
    )
    members = list(theme.members.values_list("finding_id", "similarity"))
    ranks = dict(
        Code.objects.filter(finding_id__in=[f for f, _ in members], origin=CodeOrigin.MACHINE)
        .values("finding_id")
        .annotate(top=Max("rank"))
        .values_list("finding_id", "top")
    )
    why = f"In the emergent theme “{theme.label}” (run {run.pk})"[:500]
    Code.objects.bulk_create(
        [
            Code(
                finding_id=finding_id,
                theme=created,
                origin=CodeOrigin.MACHINE,
                score=round(min(1.0, max(0.0, similarity)), 4),
                rank=ranks[finding_id] + 1 if finding_id in ranks else 0,
                explanation=why,
            )
            for finding_id, similarity in members
        ],
        batch_size=1000,
    )
    theme.promoted_to = created
    theme.revision += 1
    theme.save(update_fields=["promoted_to", "revision"])
    audit.record(
        actor=by,
        verb="emergent.promoted",
        subject=theme,
        review=review,
        run=run.pk,
        number=theme.number,
        theme=created.key,
        suggestions=len(members),
    )
    return created
