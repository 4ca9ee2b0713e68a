"""Double-coding exercises for the pages: lists, progress, results tables, disagreements."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from stocktake.analysis.agreement import Agreement, strength
from stocktake.web.presenters.analysis import format_datetime


def exercise_url(slug: str, exercise_id: int, name: str = "agreement_exercise") -> str:
    return reverse(name, kwargs={"slug": slug, "exercise_id": exercise_id})


def number(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


@dataclass(frozen=True)
class ExerciseRow:
    title: str
    href: str
    size: int
    status: str
    started: str
    started_by: str


def exercise_rows(exercises, *, slug: str) -> list[ExerciseRow]:
    return [ExerciseRow(title=e.title, href=exercise_url(slug, e.pk), size=e.size,
                        status=e.get_status_display(), started=format_datetime(e.created_at),
                        started_by=(e.created_by.get_full_name() or e.created_by.get_username())
                        if e.created_by else "–") for e in exercises]


def agreement_cells(a: Agreement, *, kappa: bool) -> list[dict]:
    """One results row's cells after its name, for the NHS.UK table macro."""
    headline = a.kappa if kappa else a.alpha
    cells = [{"text": str(a.units), "format": "numeric"},
             {"text": percent(a.percent), "format": "numeric"}]
    if kappa:
        cells.append({"text": number(a.kappa), "format": "numeric"})
    cells += [{"text": number(a.alpha), "format": "numeric"},
              {"text": strength(headline)},
              {"text": str(a.disagreements), "format": "numeric"}]
    return cells


def results_head(*, kappa: bool) -> list[dict]:
    head = [{"text": "Theme"}, {"text": "Findings", "format": "numeric"},
            {"text": "Agreement", "format": "numeric"}]
    if kappa:
        head.append({"text": "Cohen's kappa", "format": "numeric"})
    head += [{"text": "Krippendorff's alpha", "format": "numeric"},
             {"text": "Strength"}, {"text": "Disagreements", "format": "numeric"}]
    return head


def results_rows(result) -> list[list[dict]]:
    kappa = result.coders == 2
    rows = [[{"text": r.name}] + agreement_cells(r.agreement, kappa=kappa) for r in result.themes
            if r.agreement.units]
    rows.append([{"html": "<strong>All themes</strong>"}] +
                agreement_cells(result.overall, kappa=kappa))
    return rows


def names(keys, labels: dict[str, str]) -> str:
    chosen = [labels.get(k, k) for k in sorted(keys, key=lambda k: list(labels).index(k)
                                                if k in labels else 0)]
    return ", ".join(chosen) or "No theme"
