"""What reviewers wrote for the report: narratives, summary observations, chosen quotes,
case studies (a presenter part: plain data, no HTML made here)."""

from __future__ import annotations

from stocktake.collect.personal_data import hide_flagged
from stocktake.report.data import CaseStudyItem, SummaryItem, ThemeObservation
from stocktake.report.models import (
    CaseStudy,
    EvidenceQuote,
    ReportText,
    SummaryObservation,
    TextKind,
)
from stocktake.reviews.models import Review


def narratives(review: Review) -> tuple[str, str, dict[int, str]]:
    """The summary's and the method note's HTML, and each theme's narrative HTML by theme id."""
    summary, method, by_theme = "", "", {}
    for kind, theme_id, html in ReportText.objects.filter(review=review).values_list(
            "kind", "theme_id", "html"):
        if kind == TextKind.SUMMARY:
            summary = html
        elif kind == TextKind.METHOD:
            method = html
        elif theme_id is not None:
            by_theme[theme_id] = html
    return summary, method, by_theme


def chosen_quotes(review: Review) -> dict[int, list[int]]:
    """Finding ids reviewers chose as evidence, by theme id, in their order."""
    chosen: dict[int, list[int]] = {}
    for theme_id, finding_id in (EvidenceQuote.objects.filter(review=review)
                                 .order_by("theme_id", "position", "id")
                                 .values_list("theme_id", "finding_id")):
        chosen.setdefault(theme_id, []).append(finding_id)
    return chosen


def summary_items(review: Review, observations: list[ThemeObservation],
                  total_systems: int) -> tuple[SummaryItem, ...]:
    """The summary observations as written, each with its theme's reach counted today."""
    by_key = {o.key: o for o in observations}
    items = []
    for row in SummaryObservation.objects.filter(review=review).select_related("theme"):
        obs = by_key.get(row.theme.key) if row.theme_id else None
        items.append(SummaryItem(
            text=row.text, theme_key=obs.key if obs else "", theme_name=obs.name if obs else "",
            anchor=obs.anchor if obs else "", systems=obs.systems if obs else (),
            organisation_count=obs.organisation_count if obs else 0,
            total_systems=total_systems,
        ))
    return tuple(items)


def case_study_items(review: Review) -> tuple[CaseStudyItem, ...]:
    """Case studies the report may publish: consent recorded, not excluded, in order."""
    rows = hide_flagged(CaseStudy.objects.filter(review=review, consent_recorded=True,
                                                 excluded=False)
                        .select_related("organisation").order_by("position", "id"))
    # (undecided personal data in a title, name or story replaced: [name] …)
    return tuple(
        CaseStudyItem(title=c.title, person=c.person,
                      organisation=c.organisation.name if c.organisation_id else "",
                      text=c.text, anchor=f"case-study-{c.pk}")
        for c in rows
    )
