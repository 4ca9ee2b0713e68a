"""Building the report's data from the database, one module per part (a presenter: no HTML here).

:func:`build_report` reads a review and returns plain dataclasses
(:class:`stocktake.report.data.ReportData`); each part of the report is built
by its own module: ``participation`` (who took part), ``themes`` (observations,
theme sections, quotes, narrative), ``recommendations``, ``examples`` (the
best-practice appendix), ``method`` (the method appendix) and ``summary`` (the
method summary and warnings). Rendering is :mod:`stocktake.report.render`.

Only submitted material goes into a report: findings whose submission is
submitted, and examples that belong to no submission or to a submitted one.
Which themes a finding counts for is decided in one place,
:func:`stocktake.assess.themes.counted_themes`.
"""

from __future__ import annotations

import contextlib
import gc

from django.utils import timezone

from stocktake.analysis.consensus import CONSISTENT_SHARE, DISTINCTIVE_MAX
from stocktake.assess.themes import theme_assignments
from stocktake.collect.personal_data import hide_flagged
from stocktake.report.build.examples import example_rows
from stocktake.report.build.method import method_appendix
from stocktake.report.build.participation import participation
from stocktake.report.build.recommendations import by_theme, recommendation_item
from stocktake.report.build.summary import method_summary, warnings_for
from stocktake.report.build.texts import (
    case_study_items,
    chosen_quotes,
    narratives,
    summary_items,
)
from stocktake.report.build.themes import select_quotes, theme_parts
from stocktake.report.data import QUOTES_PER_THEME, ReportData
from stocktake.report.queries import reportable_findings
from stocktake.reviews.models import Review
from stocktake.reviews.orgtree import OrgTree

__all__ = ["build_report", "select_quotes"]


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cycle collector while the report is built, then restore it.

    Building a large review allocates hundreds of thousands of small objects that live
    until the end; each full collection would scan all of them again (a third of the
    time at 100,000 findings, docs/performance.md). Nothing built here forms cycles
    that need collecting before the end; the collector runs as usual afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_report(review: Review, **options) -> ReportData:
    """Everything the report shows, computed from the database (submitted material only)."""
    with _collector_paused():
        return _build(review, **options)


def _build(
    review: Review, *, quotes_per_theme: int = QUOTES_PER_THEME,
    consistent_share: float = CONSISTENT_SHARE, distinctive_max: int = DISTINCTIVE_MAX,
) -> ReportData:
    """Everything the report shows, computed from the database (submitted material only)."""
    systems = OrgTree.load()
    framework = review.framework
    themes = list(framework.themes.order_by("position", "id"))
    domains = list(framework.domains.order_by("position", "id"))
    # Undecided personal data is replaced ([NHS number] …); kept items stay as written.
    # The organisation, domain and document of each finding are shared instances (a
    # prefetch: one of each per organisation…), not one copy per finding as a join makes.
    reportable = reportable_findings(review)
    findings = hide_flagged(reportable.select_related(None).prefetch_related(
        "organisation", "domain", "source_document"))
    assignments = theme_assignments(reportable)

    taking_part = participation(review, findings, systems)
    recs_by_theme, further = by_theme(review, themes)
    summary_html, method_note, theme_texts = narratives(review)
    observations, sections = theme_parts(
        themes, findings, assignments, systems, recs_by_theme,
        total_systems=taking_part.system_count, quotes_per_theme=quotes_per_theme,
        consistent_share=consistent_share, distinctive_max=distinctive_max,
        chosen=chosen_quotes(review), narratives=theme_texts,
    )
    further_items = tuple(recommendation_item(r) for r in further)
    method = method_appendix(review, themes, domains, findings, assignments,
                             note_html=method_note)
    return ReportData(
        title=review.title, slug=review.slug, scope=review.scope, opens_on=review.opens_on,
        closes_on=review.closes_on, status=review.status, status_label=review.get_status_display(),
        region=review.region.name if review.region else "", generated_on=timezone.localdate(),
        method_summary=method_summary(taking_part, method, theme_count=len(themes)),
        participation=taking_part, observations=tuple(observations),
        theme_sections=tuple(sections), further_recommendations=further_items,
        examples=example_rows(review, domains, systems), method=method,
        warnings=warnings_for(sections, further_items, finding_count=len(findings)),
        summary_html=summary_html,
        summary_observations=summary_items(review, observations, taking_part.system_count),
        case_studies=case_study_items(review),
    )
