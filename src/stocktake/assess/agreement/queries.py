"""What the agreement pages, the CLI and exports read: progress, the next finding, results.

A sample is at most ``MAX_SAMPLE`` findings, so results are computed from its
judgements in one pass (a few thousand rows at most) each time they are asked for.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from stocktake.analysis.agreement import (
    Agreement,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    theme_agreement,
)
from stocktake.assess.agreement.models import (
    AgreementCoder,
    AgreementExercise,
    AgreementItem,
    AgreementJudgement,
)
from stocktake.reviews.frameworks import items_of


def exercises_of(review):
    """The review's exercises, newest first, each with its sample size."""
    return (AgreementExercise.objects.filter(review=review)
            .annotate(size=Count("items", distinct=True)).select_related("created_by"))


@dataclass(frozen=True)
class CoderProgress:
    position: int
    user_id: int
    name: str
    done: int
    size: int

    @property
    def finished(self) -> bool:
        return self.done >= self.size


def progress(exercise: AgreementExercise) -> list[CoderProgress]:
    size = exercise.items.count()
    coders = (exercise.coders.select_related("user")
              .annotate(done=Count("judgements")).order_by("position"))
    return [CoderProgress(position=c.position, user_id=c.user_id,
                          name=c.user.get_full_name() or c.user.get_username(),
                          done=c.done, size=size) for c in coders]


def next_item(exercise: AgreementExercise, coder: AgreementCoder) -> AgreementItem | None:
    """The first sampled finding this coder has not coded yet."""
    return (exercise.items.exclude(judgements__coder=coder).order_by("position")
            .select_related("finding").first())


def judgement_of(item: AgreementItem, coder: AgreementCoder) -> AgreementJudgement | None:
    return (AgreementJudgement.objects.filter(item=item, coder=coder)
            .prefetch_related("themes").first())


@dataclass(frozen=True)
class ThemeResult:
    key: str
    name: str
    agreement: Agreement


@dataclass(frozen=True)
class Results:
    coders: int
    complete: int  # findings coded by every coder (only these are compared)
    size: int
    themes: list[ThemeResult]
    overall: Agreement
    domain_kappa: float | None
    domain_alpha: float | None
    domain_percent: float | None
    domain_units: int


def _coded(exercise: AgreementExercise):
    """Per item, per coder position: (themes keys, domain key)."""
    framework = items_of(exercise.review.framework)
    theme_key = {t.pk: t.key for t in framework.themes}
    domain_key = {d.pk: d.key for d in framework.domains}
    judgements = AgreementJudgement.objects.filter(item__exercise=exercise).values_list(
        "pk", "item_id", "coder__position", "domain_id")
    themes_of: dict[int, set[str]] = defaultdict(set)
    for judgement_id, theme_id in AgreementJudgement.themes.through.objects.filter(
            agreementjudgement__item__exercise=exercise).values_list(
            "agreementjudgement_id", "theme_id"):
        themes_of[judgement_id].add(theme_key.get(theme_id, str(theme_id)))
    coded: dict[int, dict[int, tuple[frozenset, str | None]]] = defaultdict(dict)
    for judgement_id, item_id, position, domain_id in judgements:
        coded[item_id][position] = (frozenset(themes_of[judgement_id]),
                                    domain_key.get(domain_id) if domain_id else None)
    return framework, coded


def results(exercise: AgreementExercise) -> Results:
    """Agreement per theme, pooled over themes, and on the domain, over fully coded findings."""
    framework, coded = _coded(exercise)
    positions = list(exercise.coders.values_list("position", flat=True))
    complete = {item: by for item, by in coded.items() if len(by) == len(positions)}
    decisions = {item: [by[p][0] for p in positions] for item, by in complete.items()}
    keys = [t.key for t in framework.themes]
    per_theme, overall = theme_agreement(decisions, keys)
    domains = [[by[p][1] for p in positions] for by in complete.values()]
    both = [row for row in domains if None not in row]
    domain_kappa = (cohen_kappa([r[0] for r in both], [r[1] for r in both])
                    if len(positions) == 2 and both else None)
    return Results(
        coders=len(positions), complete=len(complete), size=exercise.items.count(),
        themes=[ThemeResult(t.key, t.name, per_theme[t.key]) for t in framework.themes],
        overall=overall, domain_kappa=domain_kappa, domain_alpha=krippendorff_alpha(domains),
        domain_percent=percent_agreement(domains), domain_units=len(both),
    )


@dataclass(frozen=True)
class Disagreement:
    item: AgreementItem
    choices: list[tuple[int, frozenset, str | None]]  # (coder position, theme keys, domain key)


def disagreements(exercise: AgreementExercise) -> list[Disagreement]:
    """Fully coded findings where the coders' themes or domains differ, in sample order."""
    _framework, coded = _coded(exercise)
    positions = list(exercise.coders.values_list("position", flat=True))
    differing = [item for item, by in coded.items() if len(by) == len(positions)
                 and len({by[p] for p in positions}) > 1]
    items = AgreementItem.objects.filter(pk__in=differing).select_related(
        "finding__organisation", "reconciled_by").order_by("position")
    return [Disagreement(item=item, choices=[(p, *coded[item.pk][p]) for p in positions])
            for item in items]


def open_disagreements(exercise: AgreementExercise) -> int:
    return sum(1 for d in disagreements(exercise) if d.item.reconciled_at is None)


def exercises_for_coder(review, user):
    """Open exercises in which ``user`` still has findings to code (for the dashboard)."""
    return (AgreementExercise.objects.filter(review=review, status=AgreementExercise.Status.OPEN,
                                             coders__user=user)
            .annotate(size=Count("items", distinct=True),
                      done=Count("coders__judgements",
                                 filter=Q(coders__user=user), distinct=True)))
